"""Labels (Dutch first, English toggle), chart explanations and scenario presets of the workshop app.

Dutch domain terms are used as the room knows them: wijkteam (social district team), mantelzorg
(informal care by family), Even Buurten (the Rotterdam network-building method), netwerkontwikkelaar
(network developer), Welzijn op recept (GP referral to activities).
"""

from __future__ import annotations

from abm.app.formatting import number
from abm.app.settings import Levers, Settings

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Buurtkracht: wat kan burgerkracht wel en niet?", "Buurtkracht: what can citizen power do, and what not?"),
    "language": ("English", "Nederlands"),
    "district_type": ("Type wijk of dorp", "District type"),
    "population": ("Aantal inwoners", "Residents"),
    "runs": ("Runs per scenario (toeval)", "Runs per scenario (chance)"),
    "scenario": ("Scenario", "Scenario"),
    "scenarios": ("Aantal scenario's", "Number of scenarios"),
    "edit": ("Knoppen van scenario", "Levers of scenario"),
    "fte": ("Netwerkontwikkelaars (fte)", "Network developers (FTE)"),
    "funding": ("Financiering", "Funding"),
    "structural": ("structureel", "structural"),
    "project": ("{n} jaar", "{n} years"),
    "gp_referral": ("Huisarts verwijst (Welzijn op recept)", "GP refers (Welzijn op recept)"),
    "volunteer_support": ("Steun vrijwilligers (×)", "Volunteer support (×)"),
    "specialist": ("Specialistische zorg (×)", "Specialist care (×)"),
    "front_line": ("Budget wijkteam (×)", "Wijkteam budget (×)"),
    "speed": ("Weken per tik", "Weeks per tick"),
    "seed": ("Toevalsgetal", "Random seed"),
    "play": ("Afspelen", "Play"),
    "pause": ("Pauze", "Pause"),
    "step": ("Stap", "Step"),
    "reset": ("Opnieuw", "Reset"),
    "present": ("Presentatie", "Presentation"),
    "controls": ("Instellingen", "Settings"),
    "preset": ("Kies een situatie", "Choose a situation"),
    "year": ("Jaar", "Year"),
    "computing": ("runs worden berekend…", "computing runs…"),
    "clients": ("Cliënten formele zorg", "Formal care clients"),
    "clients_short": ("cliënten", "clients"),
    "waiting": ("Wachtlijst", "Waiting list"),
    "informal_hours": ("Informele hulp (uur/week)", "Informal help (hours/week)"),
    "cost": ("Kosten per inwoner per jaar", "Cost per resident per year"),
    "cost_short": ("per inwoner per jaar", "per resident per year"),
    "cumulative_cost": ("Kosten opgeteld sinds jaar 0", "Cost added up since year 0"),
    "cumulative_cost_short": ("opgeteld per inwoner", "added up per resident"),
    "lonely": ("Eenzame volwassenen", "Lonely adults"),
    "heavy_carers": ("Zwaarbelaste mantelzorgers", "Heavily burdened carers"),
    "overburdened_carers": ("Overbelaste mantelzorgers", "Overburdened carers"),
    "admissions": ("Opnames", "Admissions"),
    "qaly_loss": ("Verlies aan QALY's", "QALY loss"),
    "per_avoided": ("Extra kosten per vermeden jaar zorgvraag", "Extra cost per year of care need avoided"),
    "none_avoided": ("geen zorgvraag vermeden", "no care need avoided"),
    "saving": ("geen extra kosten: besparing", "no extra cost: a saving"),
    "chance": ("nog niet te onderscheiden van toeval", "not yet distinguishable from chance"),
    "interval": ("95%-interval", "95% interval"),
    "vs": ("t.o.v. A", "vs A"),
    "dementia": ("dementie", "dementia"),
    "psychiatric": ("psychiatrisch", "psychiatric"),
    "chronic_illness": ("chronisch ziek", "chronic illness"),
    "recovery": ("herstel na ziekenhuisopname", "recovery after a hospital stay"),
    "social": ("sociaal (eenzaamheid)", "social (loneliness)"),
    "network": ("Netwerk, run 1 van", "Network, run 1 of"),
    "by_loneliness": ("eenzaamheid", "loneliness"),
    "by_need": ("hulpvraag", "need"),
    "chart_lonely": ("Eenzaamheid", "Loneliness"),
    "chart_kind": ("Cliënten formele zorg naar soort hulpvraag", "Formal care clients by kind of need"),
    "chart_demand": ("Formele zorg en wachtlijst", "Formal care and waiting list"),
    "chart_cost": ("Kosten (formele zorg + interventies)", "Cost (formal care + interventions)"),
    "chart_lonely_short": ("Eenzaamheid", "Loneliness"),
    "chart_kind_short": ("Soort hulpvraag", "Kind of need"),
    "chart_demand_short": ("Zorg en wachtlijst", "Care and waiting"),
    "chart_cost_short": ("Kosten", "Cost"),
    "band_short": ("lijn: gemiddelde van {runs} runs, band: 95%-interval",
                   "line: mean of {runs} runs, band: 95% interval"),
    "what": ("Wat zie ik?", "What am I looking at?"),
    "band_help": (
        "Lijn: gemiddelde over {runs} runs met verschillend toeval; band: 95%-interval van dat gemiddelde; "
        "stippellijn: een knop is omgezet.",
        "Line: mean over {runs} runs with different chance; band: 95% interval of that mean; dotted line: a "
        "lever was changed."),
    "chart_lonely_help": (
        "Het aandeel volwassenen met een eenzaamheidsscore van 3 of meer. Netwerkontwikkeling werkt traag: "
        "vertrouwen opbouwen kost jaren.",
        "The share of adults with a loneliness score of 3 or more. Network building is slow: building trust takes "
        "years."),
    "chart_kind_help": (
        "Wat burgerkracht niet verandert: dementie en psychiatrische problemen blijven zorg vragen. Alleen de "
        "sociale hulpvraag kan dalen als bewoners elkaar vinden.",
        "What citizen power cannot change: dementia and psychiatric conditions keep needing care. Only social "
        "needs can fall when residents find each other."),
    "chart_demand_help": (
        "Alle cliënten van wijkteam, specialist, langdurige zorg en crisis; rechts wie wacht op een plek. "
        "Minder capaciteit geeft wachtlijsten en later zwaardere zorg.",
        "All clients of wijkteam, specialist, long-term and crisis care; on the right who waits for a place. Less "
        "capacity means waiting lists and heavier care later."),
    "chart_cost_help": (
        "Links de kosten opgeteld sinds jaar 0 per inwoner, rechts per inwoner per jaar. Interventies kosten "
        "direct geld; besparingen komen later, als ze komen.",
        "Left the cost added up since year 0 per resident, right per resident per year. Interventions cost money "
        "at once; savings come later, if at all."),
    "export_csv": ("Tabel downloaden (CSV)", "Download table (CSV)"),
    "save": ("Sessie opslaan", "Save session"),
    "load": ("Sleep hier een sessiebestand heen om het te laden", "Drop a session file here to load it"),
    "link": ("Link naar deze instellingen", "Link to these settings"),
    "rejected": ("{label} = {value} kan niet: {allowed}. De vorige instelling blijft staan.",
                 "{label} = {value} is not possible: {allowed}. The previous setting stays."),
    "allowed_range": ("toegestaan is {low} tot en met {high}", "allowed is {low} to {high}"),
    "allowed_street": ("een {district} heeft minstens één straat van {low} inwoners",
                       "a {district} has at least one street of {low} residents"),
    "allowed_choice": ("kies uit de lijst", "choose from the list"),
    "bad_file": ("Dit bestand is geen leesbare sessie: {why}", "This file is not a readable session: {why}"),
    "bad_link": ("De link bevat een instelling die niet kan: {why}", "The link holds a setting that cannot be used: {why}"),
    "error_step": ("De simulatie is gestopt door een fout", "The simulation stopped because of an error"),
    "finished": ("Einde van de looptijd bereikt.", "End of the horizon reached."),
    "lever_changed": ("Scenario {s}: knoppen omgezet in {year}", "Scenario {s}: levers changed in {year}"),
    "brokered": ("band gelegd door netwerkontwikkelaar", "tie brokered by a developer"),
    "new": ("nieuwe band", "new tie"),
    "lost": ("verloren band", "lost tie"),
    "volunteer": ("vrijwilliger", "volunteer"),
    "developer": ("netwerkontwikkelaar", "network developer"),
    "loneliness": ("eenzaamheid (0-11)", "loneliness (0-11)"),
    "need": ("zwaarte hulpvraag (4 = crisis)", "need severity (4 = crisis)"),
    "nothing": ("niets extra", "nothing extra"),
    "d_fte": ("{fte} fte netwerkontwikkelaar", "{fte} FTE network developer"),
    "d_project": ("tot jaar {n}", "until year {n}"),
    "d_gp": ("huisarts verwijst", "GP refers"),
    "d_volunteers": ("vrijwilligers ×{x}", "volunteers ×{x}"),
    "d_specialist": ("specialist ×{x}", "specialist ×{x}"),
    "d_front_line": ("wijkteam ×{x}", "wijkteam ×{x}"),
}

LABEL_OF_FIELD = {"population": "population", "seed": "seed", "runs": "runs", "years": "year",
                  "developers_fte": "fte", "funding_years": "funding", "volunteer_support": "volunteer_support",
                  "specialist_capacity": "specialist", "front_line_budget": "front_line", "scenarios": "scenarios",
                  "district_type": "district_type"}

DISTRICT_LABELS: dict[str, tuple[str, str]] = {
    "deprived_urban": ("Achterstandswijk", "Deprived urban ward"),
    "middle_class": ("Middenklassewijk", "Middle-class ward"),
    "affluent": ("Villawijk (voorstandswijk)", "Affluent villa ward"),
    "commuter_village": ("Forensendorp", "Commuter village"),
    "storp": ("Storp (plaats)", "Town-village (storp)"),
    "traditional_village": ("Traditioneel dorp", "Traditional village"),
    "residential_village": ("Woondorp (kleine kern)", "Residential village"),
}

# Dutch CSV headers (columns without one keep their name)
COLUMNS_NL: dict[str, str] = {
    "scenario": "scenario", "run": "run", "seed": "toevalsgetal", "step": "week", "year": "jaar", "district": "wijk",
    "district_type": "type wijk", "population": "inwoners", "lonely_share": "aandeel eenzaam",
    "severely_lonely_share": "aandeel zeer eenzaam", "elderly_lonely_share": "aandeel eenzaam 65+",
    "mean_degree": "gemiddeld aantal banden", "clustering": "clustering",
    "vulnerable_with_vital_tie_share": "aandeel kwetsbaren met vitale band",
    "informal_support_hours": "informele hulp (uur per week)", "heavily_burdened_carers": "zwaarbelaste helpers",
    "volunteers": "vrijwilligers", "network_developer_hours": "uren netwerkontwikkelaars",
    "brokered_ties": "gelegde banden", "brokered_support_hours": "hulp over gelegde banden (uur per week)",
    "social_need_share": "aandeel met sociale hulpvraag", "demand_light": "cliënten licht",
    "demand_intensive": "cliënten intensief", "demand_longterm": "cliënten langdurig", "demand_crisis": "cliënten crisis",
    "clients_dementia": "cliënten dementie", "clients_psychiatric": "cliënten psychiatrisch",
    "clients_chronic_illness": "cliënten chronisch ziek", "clients_recovery": "cliënten herstel na ziekenhuisopname",
    "clients_social": "cliënten sociaal", "waiting_list": "wachtlijst", "new_clients": "nieuwe cliënten",
    "new_clients_heavy": "nieuwe cliënten zwaar", "detected": "gesignaleerd", "escalations": "escalaties",
    "crises": "crises", "formal_care_cost": "kosten formele zorg (euro per week)",
    "intervention_cost": "kosten interventies (euro per week)", "clients": "cliënten formele zorg",
    "cost": "kosten (euro per week)", "cost_per_resident_year": "kosten per inwoner per jaar (euro)",
    "cumulative_cost": "kosten opgeteld (euro)", "cumulative_cost_per_resident": "kosten opgeteld per inwoner (euro)",
    "lever_developers_fte": "knop netwerkontwikkelaars (fte)", "lever_funding_years": "knop financiering tot jaar",
    "lever_gp_referral": "knop huisarts verwijst", "lever_volunteer_support": "knop steun vrijwilligers",
    "lever_specialist_capacity": "knop specialistische zorg", "lever_front_line_budget": "knop budget wijkteam",
    "setting_district_type": "type wijk (instelling)", "setting_population": "inwoners (instelling)",
}


def t(key: str, lang: str = "nl", **fmt) -> str:
    nl, en = TEXT[key]
    return (nl if lang == "nl" else en).format(**fmt)


def district_label(kind: str, lang: str = "nl") -> str:
    nl, en = DISTRICT_LABELS[kind]
    return nl if lang == "nl" else en


def describe(lev: Levers, lang: str) -> str:
    """A scenario's levers in a few words: "1 fte netwerkontwikkelaar, tot jaar 2"."""
    parts = []
    if lev.developers_fte > 0:
        parts.append(t("d_fte", lang, fte=number(lev.developers_fte, lang, 1 if lev.developers_fte % 1 else 0)))
        if lev.funding_years is not None:
            parts.append(t("d_project", lang, n=number(lev.funding_years, lang)))
    if lev.gp_referral:
        parts.append(t("d_gp", lang))
    for key, value in (("d_volunteers", lev.volunteer_support), ("d_specialist", lev.specialist_capacity),
                       ("d_front_line", lev.front_line_budget)):
        if value != 1.0:
            parts.append(t(key, lang, x=number(value, lang, 2 if value * 4 % 1 == 0 and value * 10 % 1 else 1)))
    return ", ".join(parts) or t("nothing", lang)


PRESETS: list[dict] = [
    {
        "key": "deprived_even_buurten",
        "name": ("Achterstandswijk: niets, project of structureel", "Deprived ward: nothing, project or structural"),
        "settings": Settings(district_type="deprived_urban", scenarios=(
            Levers(), Levers(developers_fte=1.0, funding_years=2.0), Levers(developers_fte=1.0))),
        "text": (
            "Een achterstandswijk: veel verhuizingen, anoniem, weinig zelforganisatie en veel eenzame ouderen. "
            "A doet niets extra, B heeft twee jaar een netwerkontwikkelaar (Even Buurten), C structureel. "
            "Blijven de banden bestaan als het project stopt? Hoe lang duurt het voor er iets verandert?",
            "A deprived ward: high turnover, anonymous, little self-organisation and many lonely elderly. A does "
            "nothing extra, B has a network developer (Even Buurten) for two years, C structurally. Do the ties last "
            "once the project stops? How long before anything changes?"),
    },
    {
        "key": "village_even_buurten",
        "name": ("Traditioneel dorp met Even Buurten", "Traditional village with Even Buurten"),
        "settings": Settings(district_type="traditional_village", scenarios=(Levers(), Levers(developers_fte=1.0))),
        "text": (
            "Een traditioneel dorp: burenhulp is vanzelfsprekend, maar nieuwkomers horen er niet bij en problemen "
            "blijven binnenskamers tot het misgaat. Wat verandert een netwerkontwikkelaar wel en niet?",
            "A traditional village: neighbours help as a matter of course, but newcomers are kept out and problems "
            "stay indoors until things go wrong. What does a network developer change, and what not?"),
    },
    {
        "key": "villa_hidden",
        "name": ("Villawijk: verborgen nood", "Villa ward: hidden needs"),
        "settings": Settings(district_type="affluent", scenarios=(Levers(), Levers(gp_referral=True))),
        "text": (
            "Een villawijk: genoeg contacten, maar buiten de wijk; hulp wordt privé geregeld en uit gêne wordt "
            "weinig gevraagd. In B verwijst de huisarts eenzame patiënten naar activiteiten.",
            "An affluent villa ward: enough contacts, but outside the ward; help is bought privately and shame keeps "
            "people from asking. In B the GP refers lonely patients to activities."),
    },
    {
        "key": "specialist_cut",
        "name": ("Bezuiniging op specialistische zorg", "Specialist care cut"),
        "settings": Settings(district_type="storp", scenarios=(
            Levers(), Levers(specialist_capacity=0.5), Levers(specialist_capacity=0.5, front_line_budget=1.5))),
        "text": (
            "B halveert de specialistische zorg in de hoop dat lichte hulp het opvangt (de Deense les); C doet "
            "hetzelfde maar geeft het wijkteam de helft meer budget. Kijk naar de wachtlijst en de kosten.",
            "B halves specialist care in the hope that light help absorbs it (the Danish lesson); C does the same "
            "but gives the wijkteam half as much budget again. Watch the waiting list and the costs."),
    },
]


def preset(key: str) -> dict:
    return next(p for p in PRESETS if p["key"] == key)
