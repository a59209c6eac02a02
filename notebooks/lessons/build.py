"""Write the lesson notebooks from the lesson texts (abm/app/lessons.py) and the figure code below.

    python notebooks/lessons/build.py

Every notebook: the question, a "predict first" cell, the shared classroom runs (run once, then read
from the cache by every lesson), a figure with 95% intervals over seeds, what the model shows (the
claim's numbers), the discussion with the source's words, an exercise that changes one lever, and a
last cell that asserts the lesson's claim (abm.experiments.lessons). Texts are Dutch with the English
below; set LANG = "en" for English figure labels. Notebooks are stored without outputs; CI executes
them (tests/test_lessons.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from abm.app.lessons import LESSONS

HERE = Path(__file__).parent

FIGURES = {
    "netwerk": '''labels = {"baseline": L("niets extra", "nothing extra"),
          "reference_dose": L("referentiedosis (1,4 fte per 10.000)", "reference dose (1.4 FTE per 10,000)"),
          "developers": L("1 fte per wijk (29 per 10.000)", "1 FTE per district (29 per 10,000)")}
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
lesson_plots.bands(axes[0], runs, "brokered_ties", {k: labels[k] for k in ("reference_dose", "developers")},
                   title=L("gelegde banden die bestaan", "brokered ties alive"))
lesson_plots.bands(axes[1], runs, "vulnerable_with_vital_tie_share", labels, scale=100,
                   title=L("kwetsbaren met een vitale band", "vulnerable residents with a vital tie"), ylabel="%")
lesson_plots.bands(axes[2], runs, "lonely_share", labels, scale=100,
                   title=L("eenzame volwassenen", "lonely adults"), ylabel="%")
fig.tight_layout()''',
    "project": '''fig, axes = plt.subplots(1, 2, figsize=(12, 4))
labels = {"baseline": L("niets extra", "nothing extra"), "project": L("project, 2 jaar", "project, 2 years"),
          "developers": L("structureel", "structural")}
lesson_plots.bands(axes[0], runs, "brokered_ties", {k: labels[k] for k in ("project", "developers")},
                   title=L("gelegde banden die nog bestaan", "brokered ties still alive"), mark_year=2)
lesson_plots.bands(axes[1], runs, "vulnerable_with_vital_tie_share", labels, scale=100,
                   title=L("kwetsbaren met een vitale band", "vulnerable residents with a vital tie"), ylabel="%", mark_year=2)
fig.tight_layout()''',
    "verloop": '''wards = {"middenklassewijk": L("gewone middenklassewijk", "ordinary middle-class ward"),
         "verloopwijk": L("veel verhuizingen", "high turnover"), "gescheiden_wijk": L("groepen mengen niet", "groups do not mix")}
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
shares = {}
for d, name in wards.items():
    shares[f"{name}: " + L("niets", "nothing")] = runs.level("baseline", "vulnerable_with_vital_tie_share", (2, 4), d)
    shares[f"{name}: " + L("ontwikkelaar", "developer")] = runs.level("developers", "vulnerable_with_vital_tie_share", (2, 4), d)
lesson_plots.estimates(axes[0], shares, scale=100, zero=False, xlabel="%",
                       title=L("kwetsbaren met een vitale band, jaar 2-4", "vulnerable with a vital tie, years 2-4"))
lesson_plots.estimates(axes[1], {name: runs.level("developers", "brokered_ties", (2, 4), d) for d, name in wards.items()},
                       zero=False, title=L("gelegde banden die bestaan, jaar 2-4", "brokered ties alive, years 2-4"))
fig.tight_layout()''',
    "grenzen": '''fig, ax = plt.subplots(figsize=(8, 3))
kinds = {"social": L("sociaal", "social"), "dementia": L("dementie", "dementia"), "psychiatric": L("psychiatrisch", "psychiatric")}
lesson_plots.estimates(ax, {name: runs.effect("developers", f"clients_{k}", (2, 4), relative=True) for k, name in kinds.items()},
                       scale=100, xlabel="%", title=L("verandering in cliënten door netwerkontwikkelaars, jaar 2-4",
                                                        "change in clients with network developers, years 2-4"))
fig.tight_layout()''',
    "signaleren": '''fig, axes = plt.subplots(1, 2, figsize=(12, 4))
labels = {"no_detection": L("geven niets door", "pass nothing on"), "developers": L("geven door wat ze zien", "pass on what they notice")}
lesson_plots.bands(axes[0], runs, "detected", labels, title=L("gesignaleerd per week", "detected per week"))
lesson_plots.bands(axes[1], runs, "demand_total", {"baseline": L("niets extra", "nothing extra"), **labels},
                   title=L("bewoners die formele zorg nodig hebben", "residents needing formal care"))
fig.tight_layout()''',
    "specialist": '''fig, axes = plt.subplots(1, 2, figsize=(12, 4))
labels = {"baseline": L("zoals nu", "as now"), "specialist_cut": L("specialistische zorg gehalveerd", "specialist care halved")}
lesson_plots.bands(axes[0], runs, "waiting_list", labels, title=L("wachtlijst", "waiting list"))
names = {"waiting_list": L("wachtlijst", "waiting list"), "escalations": L("escalaties", "escalations"),
         "crises": L("crises", "crises"), "admissions": L("opnames", "admissions")}
lesson_plots.estimates(axes[1], {n: runs.effect("specialist_cut", k, (0, 4), relative=True) for k, n in names.items()},
                       scale=100, xlabel="%", title=L("verandering door de bezuiniging, jaar 0-4", "change with the cut, years 0-4"))
fig.tight_layout()''',
    "verborgen": '''from abm.app.text import district_label

fig, ax = plt.subplots(figsize=(8, 4))
types = dict(zip(classroom.DISTRICTS, (t for t, _ in classroom.DISTRICTS.values())))
lesson_plots.estimates(ax, {district_label(types[d], LANG): runs.ratio("crises", "new_clients", district=d)
                            for d in list(classroom.DISTRICTS)[:7]}, zero=False,
                       title=L("crises per nieuwe cliënt (zonder extra inzet)", "crises per new client (nothing extra)"))
fig.tight_layout()''',
    "portemonnee": '''payers = {"cost_municipality": L("gemeente (Wmo, jeugd)", "municipality (Wmo, youth)"),
          "cost_insurer": L("zorgverzekeraar (Zvw)", "health insurer (Zvw)"),
          "cost_longterm_care": L("langdurige zorg (Wlz)", "long-term care (Wlz)"),
          "societal_cost": L("alle betalers", "all payers")}
fig, axes = plt.subplots(1, 2, figsize=(12, 3.6))
for ax, variant, title in ((axes[0], "developers", L("netwerkontwikkelaars", "network developers")),
                           (axes[1], "specialist_cut", L("bezuiniging specialistische zorg", "specialist care cut"))):
    lesson_plots.estimates(ax, {n: runs.effect(variant, k, (0, 4), stat="sum") for k, n in payers.items()},
                           scale=1e-6, xlabel=L("miljoen euro over 4 jaar", "million euro over 4 years"), title=title)
fig.tight_layout()''',
    "mantelzorg": '''fig, axes = plt.subplots(1, 2, figsize=(12, 4))
labels = {"baseline": L("zoals nu", "as now"), "specialist_cut": L("specialistische zorg gehalveerd", "specialist care halved")}
lesson_plots.bands(axes[0], runs, "heavy_carers", labels, title=L("zwaarbelaste mantelzorgers (> 8 uur per week)", "heavy carers (> 8 hours a week)"))
lesson_plots.bands(axes[1], runs, "overburdened_carers", labels, title=L("overbelaste mantelzorgers", "overburdened carers"))
fig.tight_layout()''',
}


def md(*parts: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell("\n\n".join(parts))


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text)


def notebook(item: dict, number: int) -> nbformat.NotebookNode:
    key, (q_nl, q_en) = item["key"], item["question"]
    choices = "\n".join(f"{i}. {nl} — *{en}*" for i, (nl, en) in enumerate(item["choices"], 1))
    quote, where = item["quote"]
    cells = [
        md(f"# {item['title'][0]}\n*{item['title'][1]}*",
           f"**Vraag.** {q_nl}", f"*Question. {q_en}*",
           "Les uit de reeks *Burgerkracht en haar grenzen* (docs/teaching.md). Nederlands, met het Engels eronder; "
           "zet `LANG = \"en\"` voor Engelse figuren. — *Nederlands first, English below; set `LANG = \"en\"` for "
           "English figure labels.*"),
        md("## Voorspel eerst — *Predict first*",
           "Spreek met je groep af wat je verwacht, vóór je de runs ziet. Kies 1, 2 of 3:\n\n" + choices,
           "*Agree with your group what you expect before you see the runs. Choose 1, 2 or 3.*"),
        code("LANG = \"nl\"  # \"en\" for English labels\nvoorspelling = None  # jullie keuze / your choice: 1, 2 of 3"),
        md("## De runs — *The runs*",
           "Alle lessen lezen dezelfde klassikale runs: een gemeente van negen kleine wijken (de zeven typen wijken "
           "en dorpen, plus twee middenklassewijken met veel verhuizingen of met groepen die niet mengen), een jaar "
           "inloop en vier jaar, elk scenario op dezelfde drie toevalsgetallen (gepaard). De eerste les rekent ze "
           "uit (een paar minuten); daarna komen ze uit de cache.",
           "*Every lesson reads the same classroom runs: a municipality of nine small districts (the seven "
           "district types plus two middle-class wards with high turnover or with groups that do not mix), one "
           "warm-up year and four years, every scenario on the same three seeds (paired). The first lesson "
           "computes them (a few minutes); after that they come from the cache.*"),
        code("import matplotlib.pyplot as plt\n\n"
             "from abm.app.lessons import lesson, pick\nfrom abm.experiments import classroom, lesson_plots, lessons\n\n"
             f"les = lesson({key!r})\nruns = classroom.load(progress=False)\n"
             "L = lambda nl, en: nl if LANG == \"nl\" else en\nprint(classroom.describe(runs))"),
        md("## Wat zie je? — *What do you see?*",
           "Lijnen zijn gemiddelden over de drie toevalsgetallen, banden en balken hun 95%-interval; de stipjes zijn "
           "de afzonderlijke runs.",
           "*Lines are means over the three seeds, bands and bars their 95% interval; the dots are the single runs.*"),
        code(FIGURES[key]),
        md("## Onthul — *Reveal*", item["finding"][0], f"*{item['finding'][1]}*"),
        code(f"finding = lessons.CLAIMS[{item['claim']!r}](runs)\n"
             "chosen = pick(les[\"choices\"][voorspelling - 1], LANG) if voorspelling else L(\"(geen)\", \"(none)\")\n"
             "print(L(\"Jullie voorspelling\", \"Your prediction\"), \":\", chosen)\n"
             "print(finding.report())"),
        md("## Bespreek — *Discuss*", f"> {quote}\n>\n> — {where}", item["discuss"][0], f"*{item['discuss'][1]}*"),
        md("## Opdracht: verander één knop — *Exercise: change one lever*", item["exercise"][0], f"*{item['exercise'][1]}*",
           "Zet `OEFENEN = True` en voer de cel uit (een paar minuten: één wijk, drie gepaarde runs). — *Set "
           "`OEFENEN = True` and run the cell (a few minutes: one district, three paired runs).*"),
        code(f"OEFENEN = False\nLEVER = {item['lever']!r}\n"
             "if OEFENEN:\n"
             f"    ex = classroom.exercise(district_type={item['settings'].district_type!r}, lever=LEVER)\n"
             "    fig, ax = plt.subplots(figsize=(6, 3.5))\n"
             "    lesson_plots.bands(ax, ex, \"lonely_share\", {\"baseline\": L(\"zonder\", \"without\"), \"lever\": L(\"met\", \"with\")},"
             " scale=100, ylabel=\"%\")\n"
             "    print(ex.effect(\"lever\", \"demand_total\", (2, 4)))"),
        md("## Klopt de les nog? — *Does the lesson still hold?*",
           "Deze cel controleert de bewering van de les op dezelfde runs. Faalt ze na een wijziging van het model, dan "
           "moet de tekst van de les veranderen, niet het model.",
           "*This cell checks the lesson's claim on the same runs. If it fails after a model change, the lesson's "
           "text must change, not the model.*"),
        code(f"print(lessons.check({item['claim']!r}, runs).report())"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def main() -> None:
    for number, item in enumerate(LESSONS, 1):
        path = HERE / f"{number:02d}_{item['key']}.ipynb"
        nbformat.write(notebook(item, number), path)
        print(path)


if __name__ == "__main__":
    main()
