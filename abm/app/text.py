"""Labels (Dutch first, English toggle) and scenario presets of the workshop app.

Dutch domain terms are used as the room knows them: wijkteam (social district team), mantelzorg
(informal care by family), Even Buurten (the Rotterdam network-building method), netwerkontwikkelaar
(network developer), vraagverlegenheid (reluctance to ask).
"""

from __future__ import annotations

from abm.app.session import Settings

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Buurtkracht: wat kan burgerkracht wel en niet?", "Buurtkracht: what can citizen power do, and what not?"),
    "language": ("English", "Nederlands"),
    "district_type": ("Type wijk of dorp", "District type"),
    "population": ("Aantal inwoners", "Residents"),
    "levers": ("Knoppen", "Levers"),
    "fte": ("Netwerkontwikkelaars (fte, Even Buurten)", "Network developers (FTE, Even Buurten)"),
    "funding": ("Financiering", "Funding"),
    "structural": ("structureel", "structural"),
    "project": ("project van {n} jaar", "{n}-year project"),
    "gp_referral": ("Huisarts verwijst naar activiteiten (Welzijn op recept)", "GP refers to activities (Welzijn op recept)"),
    "volunteer_support": ("Steun voor vrijwilligers (×)", "Volunteer support (×)"),
    "specialist": ("Capaciteit specialistische zorg (×)", "Specialist care capacity (×)"),
    "front_line": ("Budget wijkteam en welzijn (×)", "Wijkteam and welfare budget (×)"),
    "speed": ("Weken per tik", "Weeks per tick"),
    "seed": ("Toevalsgetal (seed)", "Random seed"),
    "apply": ("Opnieuw opbouwen", "Rebuild"),
    "play": ("Afspelen", "Play"),
    "pause": ("Pauze", "Pause"),
    "step": ("Stap", "Step"),
    "reset": ("Opnieuw", "Reset"),
    "compare": ("Vergelijk met de huidige situatie (zelfde seed)", "Compare with today's situation (same seed)"),
    "preset": ("Kies een situatie", "Choose a situation"),
    "year": ("Jaar", "Year"),
    "clients": ("Cliënten formele zorg", "Formal care clients"),
    "informal_hours": ("Uren informele hulp per week (mantelzorg, burenhulp)", "Informal support hours per week (mantelzorg, neighbours)"),
    "cost": ("Kosten per inwoner per jaar (€)", "Cost per resident per year (€)"),
    "lonely": ("Eenzame volwassenen", "Lonely adults"),
    "levers_run": ("met knoppen", "with levers"),
    "baseline_run": ("huidige situatie", "today's situation"),
    "network": ("Sociaal netwerk van de wijk", "The district's social network"),
    "colour_by": ("Kleur", "Colour"),
    "by_loneliness": ("eenzaamheid", "loneliness"),
    "by_need": ("hulpvraag", "need"),
    "chart_lonely": ("Eenzaamheid (aandeel volwassenen)", "Loneliness (share of adults)"),
    "chart_demand": ("Formele zorg per niveau (cliënten)", "Formal care by level (clients)"),
    "chart_waiting": ("Wachtlijst en escalaties", "Waiting list and escalations"),
    "chart_cost": ("Kosten per inwoner per jaar (€)", "Cost per resident per year (€)"),
    "light": ("licht (wijkteam)", "light (wijkteam)"),
    "intensive": ("intensief (specialist)", "intensive (specialist)"),
    "longterm": ("langdurig", "long-term"),
    "crisis": ("crisis", "crisis"),
    "waiting": ("wachtlijst", "waiting list"),
    "escalations": ("escalaties per week", "escalations per week"),
    "formal_cost": ("formele zorg", "formal care"),
    "intervention_cost": ("interventies", "interventions"),
    "export_csv": ("Tabel downloaden (CSV)", "Download table (CSV)"),
    "export_png": ("Grafieken downloaden (PNG)", "Download charts (PNG)"),
    "error_build": ("Deze situatie kan niet worden opgebouwd; de vorige blijft staan.", "This situation cannot be built; the previous one stays."),
    "error_step": ("De simulatie is gestopt door een fout", "The simulation stopped because of an error"),
    "finished": ("Einde van de looptijd bereikt.", "End of the horizon reached."),
    "brokered": ("band gelegd door netwerkontwikkelaar", "tie brokered by a network developer"),
    "new": ("nieuwe band", "new tie"),
    "lost": ("verloren band", "lost tie"),
    "volunteer": ("vrijwilliger", "volunteer"),
    "developer": ("netwerkontwikkelaar", "network developer"),
    "loneliness": ("eenzaamheid (0-11)", "loneliness (0-11)"),
    "need": ("zwaarte hulpvraag (4 = crisis)", "need severity (4 = crisis)"),
    "streets": ("straten", "streets"),
    "difference": ("verschil", "difference"),
}

DISTRICT_LABELS: dict[str, tuple[str, str]] = {
    "deprived_urban": ("Achterstandswijk", "Deprived urban ward"),
    "middle_class": ("Middenklassewijk", "Middle-class ward"),
    "affluent": ("Villawijk (voorstandswijk)", "Affluent villa ward"),
    "commuter_village": ("Forensendorp", "Commuter village"),
    "storp": ("Storp (plaats)", "Town-village (storp)"),
    "traditional_village": ("Traditioneel dorp", "Traditional village"),
    "residential_village": ("Woondorp (kleine kern)", "Residential village"),
}


def t(key: str, lang: str = "nl", **fmt) -> str:
    nl, en = TEXT[key]
    return (nl if lang == "nl" else en).format(**fmt)


def district_label(kind: str, lang: str = "nl") -> str:
    nl, en = DISTRICT_LABELS[kind]
    return nl if lang == "nl" else en


PRESETS: list[dict] = [
    {
        "key": "deprived_even_buurten",
        "name": ("Achterstandswijk met Even Buurten", "Deprived ward with Even Buurten"),
        "settings": Settings(district_type="deprived_urban", population=1000, developers_fte=1.0, funding_years=None),
        "text": (
            "Een achterstandswijk: veel verhuizingen, anoniem, weinig zelforganisatie en veel eenzame ouderen. "
            "Eén netwerkontwikkelaar werkt er structureel volgens Even Buurten: contacten leggen tussen kwetsbare "
            "en vitale bewoners tot er blijvende relaties zijn. Let op de oranje banden, de eenzaamheid en de "
            "vraag naar licht en specialistische zorg. Hoe lang duurt het voor er iets verandert, en hoeveel?",
            "A deprived ward: high turnover, anonymous, little self-organisation and many lonely elderly. One network "
            "developer works here structurally in the Even Buurten way: linking vulnerable and vital residents until "
            "lasting ties exist. Watch the orange ties, loneliness and the demand for light and specialist care. How "
            "long before anything changes, and by how much?"),
    },
    {
        "key": "village_even_buurten",
        "name": ("Traditioneel dorp met Even Buurten", "Traditional village with Even Buurten"),
        "settings": Settings(district_type="traditional_village", population=1000, developers_fte=1.0, funding_years=None),
        "text": (
            "Een traditioneel dorp: burenhulp is vanzelfsprekend, maar nieuwkomers horen er niet bij en problemen "
            "blijven binnenskamers tot het misgaat. Kijk naar de crises en de zware instroom in de zorg, en naar "
            "wat de netwerkontwikkelaar daar wel en niet aan verandert.",
            "A traditional village: neighbours help as a matter of course, but newcomers are kept out and problems "
            "stay indoors until things go wrong. Watch the crises and the heavy entries into care, and what the "
            "network developer does and does not change about that."),
    },
    {
        "key": "project_two_years",
        "name": ("Tijdelijk project van 2 jaar", "Temporary 2-year project"),
        "settings": Settings(district_type="deprived_urban", population=1000, developers_fte=1.0, funding_years=2.0),
        "text": (
            "Dezelfde achterstandswijk, maar de netwerkontwikkelaar is een project van twee jaar. Blijven de "
            "banden bestaan als de financiering stopt?",
            "The same deprived ward, but the network developer is a two-year project. Do the ties last once the "
            "funding stops?"),
    },
    {
        "key": "villa_hidden",
        "name": ("Villawijk: verborgen nood", "Villa ward: hidden needs"),
        "settings": Settings(district_type="affluent", population=1000, developers_fte=0.0, gp_referral=True),
        "text": (
            "Een villawijk: genoeg contacten, maar buiten de wijk; hulp wordt privé geregeld en uit gêne wordt "
            "weinig gevraagd. De huisarts verwijst eenzame patiënten naar activiteiten. Komt de nood eerder in beeld?",
            "An affluent villa ward: enough contacts, but outside the ward; help is bought privately and shame keeps "
            "people from asking. The GP refers lonely patients to activities. Do needs come to light earlier?"),
    },
    {
        "key": "specialist_cut",
        "name": ("Bezuiniging op specialistische zorg", "Specialist care cut"),
        "settings": Settings(district_type="storp", population=1000, developers_fte=0.0, specialist_capacity=0.5),
        "text": (
            "De capaciteit van de specialistische zorg wordt gehalveerd, in de hoop dat lichte hulp het opvangt "
            "(de Deense les). Kijk naar de wachtlijst, de escalaties en de crises.",
            "Specialist care capacity is halved in the hope that light help will absorb it (the Danish lesson). "
            "Watch the waiting list, escalations and crises."),
    },
]


def preset(key: str) -> dict:
    return next(p for p in PRESETS if p["key"] == key)
