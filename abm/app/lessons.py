"""The lessons "burgerkracht en haar grenzen" (citizen power and its limits): their texts in Dutch and
English, shared by the app's guided mode (``abm.app.guided``) and the lesson notebooks
(``notebooks/lessons/``, written from these texts by ``notebooks/lessons/build.py``).

Each lesson has a question, a prediction with three answers, what to watch while playing, what the
model shows (the finding: asserted on the classroom runs by ``abm.experiments.lessons``, key
``claim``), a discussion with the source's own words (Dutch; seed documents in docs/spec/SOURCES.md)
and an exercise that changes one lever. ``settings`` is the app's district and scenarios for it.
Texts are pairs (Dutch, English).
"""

from __future__ import annotations

from abm.app.settings import Levers, Settings

BOOK = "Steunend stelsel (bron 003)"  # docs/spec/MODEL.md: the main source, a book on the social domain


def _s(district: str, *scenarios: Levers) -> Settings:
    """A lesson's app settings: one district of 600 residents, 4 paired runs, 5 years."""
    return Settings(district_type=district, population=600, runs=4, years=5, scenarios=scenarios)


DEV = Levers(developers_fte=2.0)  # two FTE for 600 residents: a high dose, as in the classroom runs

LESSONS: list[dict] = [
    {
        "key": "netwerk", "claim": "netwerk",
        "title": ("1. Netwerken bouwen kost jaren", "1. Building networks takes years"),
        "question": (
            "Een netwerkontwikkelaar (Even Buurten) brengt kwetsbare bewoners in contact met vitale buren. Hoe snel "
            "zie je dat terug in banden, en in eenzaamheid?",
            "A network developer (Even Buurten) connects vulnerable residents with vital neighbours. How fast does "
            "that show in ties, and in loneliness?"),
        "choices": (("Binnen een half jaar minder eenzaamheid", "Less loneliness within half a year"),
                    ("Eerst meer banden, eenzaamheid daalt later duidelijk", "Ties first, loneliness clearly falls later"),
                    ("Meer banden, maar eenzaamheid beweegt nauwelijks", "More ties, but loneliness hardly moves")),
        "watch": ("Kijk naar de grafiek eenzaamheid en naar de gelegde banden in het netwerk.",
                  "Watch the loneliness chart and the brokered ties in the network."),
        "finding": (
            "In de klassikale runs (één netwerkontwikkelaar per wijk: ongeveer twintig keer de dosis van het "
            "referentiescenario) groeit het aantal gelegde banden langzaam: in het eerste halfjaar is het minder "
            "dan een kwart van het aantal na anderhalf à twee jaar. Kwetsbare bewoners hebben daarna gemiddeld iets "
            "vaker een band met een vitale buur, maar de winst is klein (minder dan vijf procentpunt) en niet op "
            "elk toevalsgetal te zien; de eenzaamheid beweegt in vier jaar niet meer dan anderhalve procentpunt. "
            "Bij de referentiedosis (6 fte per 44.000 inwoners, 1,4 per 10.000) ontstaan in dezelfde runs minder "
            "dan een vijfde van die gelegde banden, en beweegt de eenzaamheid evenmin meer dan anderhalve "
            "procentpunt; over twaalf toevalsgetallen is geen effect op eenzaamheid van toeval te onderscheiden. Op "
            "de vier toevalsgetallen van de les kan een interval toch naast nul liggen: met weinig runs lijkt toeval "
            "soms een effect. Is de dosis die wél iets laat zien realistisch?",
            "In the classroom runs (one network developer per district: about twenty times the reference "
            "scenario's dose) the number of brokered ties grows slowly: in the first half year it is less than a "
            "quarter of the number after one and a half to two years. Vulnerable residents then have a tie to a "
            "vital neighbour slightly more often on average, but the gain is small (less than five points) and "
            "not visible on every seed; loneliness moves no more than one and a half points in four years. At the "
            "reference dose (6 FTE per 44,000 residents, 1.4 per 10,000) the same runs build less than a fifth of "
            "those brokered ties, and loneliness moves no more than one and a half points either; over twelve seeds "
            "no effect on loneliness is distinguishable from chance. On the lesson's four seeds an interval can still "
            "miss zero: with few runs, chance sometimes looks like an effect. Is the dose that does show something "
            "realistic?"),
        "quote": ("Evaluaties van dergelijke aanpakken in Enschede en Rotterdam wezen uit dat het wel een paar jaar kan "
                  "duren voordat tussen burgers de sociale contacten en wederzijdse hulp op gang komen.",
                  f"{BOOK}, §6.5"),
        "discuss": (
            "Waarom zou eenzaamheid trager reageren dan het aantal banden? Wat betekent dat voor een wethouder die "
            "na twee jaar resultaat wil zien? En wat zegt het dat pas een onrealistisch hoge dosis iets laat zien?",
            "Why would loneliness respond more slowly than the number of ties? What does that mean for an alderman "
            "who wants results after two years? And what does it say that only an unrealistically high dose shows "
            "anything?"),
        "exercise": ("Zet de netwerkontwikkelaars op de referentiedosis en kijk of de banden nog stijgen.",
                     "Set the developers to the reference dose and see whether the ties still rise."),
        "lever": ["interventions.network_developers.fte=0.1"],  # 600 residents x 1.4 per 10,000
        "settings": _s("deprived_urban", Levers(), DEV),
    },
    {
        "key": "project", "claim": "project",
        "title": ("2. Als het projectgeld op is", "2. When the project money runs out"),
        "question": (
            "Een gemeente financiert netwerkontwikkelaars twee jaar als project. Wat blijft er over als het geld op is?",
            "A municipality funds network developers for two years as a project. What is left when the money runs out?"),
        "choices": (("De banden blijven: ze dragen zichzelf", "The ties stay: they sustain themselves"),
                    ("Een deel blijft, het meeste verdwijnt", "Some stay, most disappear"),
                    ("Alles verdwijnt meteen", "Everything disappears at once")),
        "watch": ("Vergelijk B (twee jaar) en C (structureel) na jaar 2: gelegde banden en eenzaamheid.",
                  "Compare B (two years) and C (structural) after year 2: brokered ties and loneliness."),
        "finding": (
            "Anderhalf jaar na het einde van een tweejarig project is meer dan 40% van de gelegde banden verdwenen; "
            "structurele financiering houdt er op hetzelfde moment meer dan twee keer zoveel in stand. Banden worden "
            "maar zelden zelfdragend in de tijd die een project heeft. De winst voor kwetsbare bewoners, een band "
            "met een vitale buur, is aan het eind van het project klein (minder dan vijf procentpunt) en anderhalf "
            "jaar later ook: over twaalf toevalsgetallen van bijna twee procentpunt naar ongeveer één, een daling die "
            "niet van toeval te onderscheiden is. In deze kleine wijken zijn gelegde banden een klein deel van alle "
            "banden van kwetsbaren.",
            "A year and a half after a two-year project ends, more than 40% of the brokered ties are gone; "
            "structural funding keeps more than twice as many at the same moment. Ties rarely become "
            "self-sustaining in the time a project has. The gain for vulnerable residents, a tie to a vital "
            "neighbour, is small at the end of the project (less than five points) and a year and a half later too: "
            "over twelve seeds from almost two points to about one, a fall that cannot be told from chance. In "
            "these small districts brokered ties are a small part of all the ties of vulnerable residents."),
        "quote": ("Vanwege die lange termijn is het ook nodig dat dit stimuleringswerk robuust wordt georganiseerd, "
                  "[...] op basis van een duurzaam budget (en dus niet in de vorm van tijdelijke projecten zoals nu "
                  "vaak het geval is).", f"{BOOK}, §6.5"),
        "discuss": (
            "Waarom verdwijnen gelegde banden als niemand ze meer onderhoudt? Wat zou een netwerkontwikkelaar anders "
            "moeten doen als zij weet dat het project stopt ('loslaten')?",
            "Why do brokered ties disappear once nobody maintains them? What should a developer do differently "
            "knowing the project will stop ('letting go')?"),
        "exercise": ("Verleng het project van twee naar vier jaar.", "Extend the project from two to four years."),
        "lever": ["interventions.network_developers.fte=2", "interventions.network_developers.end_year=4"],
        "settings": _s("deprived_urban", Levers(), DEV.with_(funding_years=2.0), DEV),
    },
    {
        "key": "verloop", "claim": "verloop",
        "title": ("3. Verhuizen en niet mengen", "3. Moving out and not mixing"),
        "question": (
            "Drie middenklassewijken, gelijk op één ding na: in de tweede verhuist elk jaar een vijfde van de "
            "bewoners, in de derde mengen oude en nieuwe bewoners niet. Elk krijgt één netwerkontwikkelaar. Waar "
            "hebben kwetsbare bewoners daarna de meeste banden met vitale buren?",
            "Three middle-class wards, equal but for one thing: in the second a fifth of residents move every year, "
            "in the third old and new residents do not mix. Each gets one network developer. Where do vulnerable "
            "residents then have most ties to vital neighbours?"),
        "choices": (("Overal ongeveer evenveel: dezelfde inzet", "About the same everywhere: the same effort"),
                    ("De ontwikkelaar haalt de achterstand in", "The developer closes the gap"),
                    ("De gewone wijk blijft ver voor", "The ordinary ward stays far ahead")),
        "watch": ("Kies in de app een achterstandswijk (veel verhuizingen) en daarna een middenklassewijk.",
                  "Choose a deprived ward (high turnover) in the app, then a middle-class ward."),
        "finding": (
            "In de wijk waar oude en nieuwe bewoners niet mengen, hebben kwetsbare bewoners met én zonder "
            "ontwikkelaar minder vaak een vitale band dan in de gewone wijk (over twaalf toevalsgetallen ongeveer 0,85 "
            "keer): dezelfde inzet "
            "haalt de achterstand niet in. Voor niet-mengen komt de uitspraak van MODEL.md §9 ('dezelfde inzet "
            "bereikt minder') dus naar voren in de banden van kwetsbaren. Voor veel verhuizingen niet: de "
            "verloopwijk krijgt ongeveer evenveel blijvende gelegde banden (over twaalf toevalsgetallen niet van "
            "toeval te onderscheiden), want nieuwkomers brengen in het model hun familiebanden mee. Hoeveel gelegde banden blijven in de gescheiden wijk verschilt sterk per run: "
            "kijk naar de intervallen.",
            "In the ward where old and new residents do not mix, vulnerable residents have a vital tie less often "
            "than in the ordinary ward, with and without a developer (over twelve seeds about 0.85 times): the same "
            "effort does "
            "not close the gap. For not mixing, MODEL.md §9's statement ('the same effort achieves less') emerges "
            "in the vulnerable residents' ties. For high turnover it does not: the high-turnover ward does not get "
            "fewer lasting brokered ties: about as many (over twelve seeds no difference from chance), because newcomers bring "
            "their kin ties in the model. How many "
            "brokered ties last in the non-mixing ward differs strongly between runs: look at the intervals."),
        "quote": ("De chemie tussen de ingezetenen en import kan ook ontbreken. [...] Het leefklimaat kan dan juist meer anoniem zijn. [...] In dit soort plaatsen kan gebrek aan activiteiten, weinig participatie en sociaal "
                  "isolement een veel voorkomend patroon zijn.",
                  f"{BOOK}, Capita selecta, plaatsen ('storpen')"),
        "discuss": (
            "Wat kan een netwerkontwikkelaar doen aan verhuizingen? Is 'meer mengen' iets wat je kunt organiseren, "
            "bijvoorbeeld met een sleutelvoorziening?",
            "What can a developer do about people moving? Is 'more mixing' something you can organise, for example "
            "with a key facility (sleutelvoorziening)?"),
        "exercise": ("Zet één netwerkontwikkelaar in de achterstandswijk (veel verhuizingen); herhaal het daarna met "
                     "district_type=\"middle_class\" en vergelijk.",
                     "Put one developer in the deprived ward (high turnover); then repeat with "
                     "district_type=\"middle_class\" and compare."),
        "lever": ["interventions.network_developers.fte=1"],
        "settings": _s("deprived_urban", Levers(), Levers(developers_fte=1.0)),
    },
    {
        "key": "grenzen", "claim": "grenzen",
        "title": ("4. Dementie en psychiatrie: de grenzen van burgerkracht",
                  "4. Dementia and psychiatry: the limits of citizen power"),
        "question": (
            "Meer contact tussen buren: daalt daardoor ook de vraag naar zorg bij dementie en psychiatrische "
            "aandoeningen?",
            "More contact between neighbours: does that also lower the demand for care for dementia and "
            "psychiatric conditions?"),
        "choices": (("Ja, net zo sterk als bij sociale problemen", "Yes, as much as for social problems"),
                    ("Een beetje", "A little"), ("Nee, die vraag daalt niet", "No, that demand does not fall")),
        "watch": ("Kijk naar de grafiek 'soort hulpvraag': sociaal, dementie, psychiatrisch.",
                  "Watch the 'kind of need' chart: social, dementia, psychiatric."),
        "finding": (
            "Het aantal cliënten met dementie en met een psychiatrische aandoening daalt niet (minder dan 15% in "
            "het gemiddelde; het interval omvat nul). Maar in deze kleine runs daalt ook de sociale hulpvraag niet "
            "met 15% of meer: over twaalf toevalsgetallen is binnen vier jaar bij geen enkele soort hulpvraag een "
            "daling van toeval te onderscheiden. "
            "Het verschil dat MODEL.md §9 verwacht (sociaal daalt, dementie niet) is hier dus niet te zien; "
            "eerdere, grotere runs met tien keer de referentiedosis lieten het wel zien (docs/ODD.md).",
            "The number of clients with dementia or a psychiatric condition does not fall (less than 15% in the "
            "mean; the interval includes zero). But in these small runs social demand does not fall by 15% or more "
            "either: over twelve seeds no kind of need falls distinguishably from chance within four years. The "
            "contrast MODEL.md §9 "
            "expects (social falls, dementia does not) does not show here; earlier, larger runs at ten times the "
            "reference dose did show it (docs/ODD.md)."),
        "quote": ("Ouderdom en dementie zijn tot dusverre onbehandelbaar en meer menselijk contact en bezigheden "
                  "kunnen de situatie verzachten en misschien het proces van achteruitgang vertragen, maar niet stoppen.",
                  f"{BOOK}, §5.5 'Burgerkracht in zijn beperkingen'"),
        "discuss": (
            "Wat is het risico als een gemeente op informele hulp rekent voor 'diepe' individuele aandoeningen? "
            "Welke hulp kunnen buren wél bieden aan iemand met dementie?",
            "What is the risk when a municipality counts on informal help for 'deep' individual conditions? What "
            "help can neighbours offer someone with dementia?"),
        "exercise": ("Kies een woondorp (vergrijzing) en zet twee netwerkontwikkelaars in.",
                     "Choose a residential village (ageing) and deploy two developers."),
        "lever": ["interventions.network_developers.fte=2"],
        "settings": _s("residential_village", Levers(), DEV),
    },
    {
        "key": "signaleren", "claim": "signaleren",
        "title": ("5. Vroegsignalering: eerst meer zorg?", "5. Early detection: more care first?"),
        "question": (
            "Netwerkontwikkelaars zien ook zorgen die niemand meldde en geven die door. Wat doet dat met de vraag "
            "naar formele zorg?",
            "Network developers also notice worries nobody reported, and pass them on. What does that do to the "
            "demand for formal care?"),
        "choices": (("Die daalt meteen", "It falls at once"), ("Die stijgt eerst", "It rises first"),
                    ("Niets te zien", "Nothing to see")),
        "watch": ("Kijk naar cliënten en wachtlijst in de eerste twee jaar.",
                  "Watch clients and the waiting list in the first two years."),
        "finding": (
            "Of ontwikkelaars doorgeven wat ze zien, maakt in deze runs weinig uit: het aantal gesignaleerde "
            "bewoners verschilt minder dan 10%, en de vraag naar formele zorg in de eerste twee jaar ook minder dan "
            "10%. De stijging-vóór-de-daling van MODEL.md §9 is bij deze dosis en schaal niet te zien: huisartsen, "
            "wijkteam en het netwerk van bewoners signaleren ook, en veel van wat de ontwikkelaar ziet, was al in "
            "beeld of komt er later toch.",
            "Whether developers pass on what they notice makes little difference in these runs: the number of "
            "residents detected differs by less than 10%, and so does the demand for formal care in the first two "
            "years. MODEL.md §9's rise-before-the-fall does not show at this dose and scale: GPs, the wijkteam and "
            "residents' own networks notice needs too, and much of what the developer sees was already known or "
            "comes to light later anyway."),
        "quote": ("Er is ook weinig oog voor de kans dat preventie een kostenverhogend effect zal hebben doordat eerder "
                  "en meer signaleren ook kan leiden tot een grotere zorgvraag.", f"{BOOK}, §2.3"),
        "discuss": (
            "Is een stijgende zorgvraag na signalering een mislukking of een succes? Hoe leg je dat uit aan een "
            "gemeenteraad?",
            "Is rising demand after detection a failure or a success? How do you explain that to a council?"),
        "exercise": ("Laat de huisarts verwijzen (Welzijn op recept) en vergelijk.",
                     "Let the GP refer (Welzijn op recept) and compare."),
        "lever": ["interventions.gp_referral.enabled=true"],
        "settings": _s("deprived_urban", Levers(), DEV),
    },
    {
        "key": "specialist", "claim": "specialist",
        "title": ("6. Bezuinigen op specialistische zorg", "6. Cutting specialist care"),
        "question": ("De gemeente halveert de specialistische zorg en rekent op lichte hulp. Wat gebeurt er?",
                     "The municipality halves specialist care and counts on light help. What happens?"),
        "choices": (("Lichte hulp vangt het op", "Light help absorbs it"), ("Wachtlijsten, verder niets", "Waiting lists, nothing else"),
                    ("Wachtlijsten, escalatie en crises", "Waiting lists, escalation and crises")),
        "watch": ("Kijk naar de wachtlijst en de opnames.", "Watch the waiting list and admissions."),
        "finding": (
            "Met de helft van de specialistische capaciteit stijgen op elk toevalsgetal de wachtlijst en de "
            "escalaties (elk meer dan 10%) en de crises en opnames (elk meer dan 30%). Dit is de Deense les, en het "
            "sterkste effect in het model.",
            "With half the specialist capacity the waiting list and escalations rise (each by more than 10%) and "
            "crises and admissions (each by more than 30%), on every seed. This is the Danish lesson, and the "
            "strongest effect in the model."),
        "quote": ("Specialistisch aanbod kan door een verkeerde aanpak zodanig krimpen dat op een gegeven moment "
                  "wachtlijsten ontstaan en degenen die het echt nodig hebben niet of te laat worden geholpen.",
                  f"{BOOK}, §7.5"),
        "discuss": (
            "Waarom escaleren problemen als mensen wachten? Kan een groter wijkteambudget dit opvangen?",
            "Why do problems escalate when people wait? Can a larger wijkteam budget absorb this?"),
        "exercise": ("Snijd minder diep: 0,8 in plaats van 0,5.", "Cut less deeply: 0.8 instead of 0.5."),
        "lever": ["capacity.specialist_factor=0.8"],
        "settings": _s("storp", Levers(), Levers(specialist_capacity=0.5)),
    },
    {
        "key": "verborgen", "claim": "verborgen",
        "title": ("7. Verborgen nood in villawijk en dorp", "7. Hidden needs in the villa ward and the village"),
        "question": (
            "In een villawijk zijn weinig zichtbare problemen. Komen problemen daar minder vaak, of later en zwaarder "
            "in beeld?",
            "In a villa ward few problems are visible. Do problems surface less often there, or later and heavier?"),
        "choices": (("Minder problemen: minder crises", "Fewer problems: fewer crises"),
                    ("Later en zwaarder: meer crises per nieuwe cliënt", "Later and heavier: more crises per new client"),
                    ("Geen verschil", "No difference")),
        "watch": ("Kijk naar opnames en cliënten; vergelijk daarna met een middenklassewijk.",
                  "Watch admissions and clients; then compare with a middle-class ward."),
        "finding": (
            "In de villawijk komen op elke nieuwe cliënt gemiddeld meer crises dan in de open wijken "
            "(middenklassewijk en woondorp): nood komt laat en zwaar in beeld. In het traditionele dorp minder dan in de "
            "villawijk; over twaalf toevalsgetallen ook meer dan in de open wijken, maar niet op elke vier. Kijk naar "
            "de intervallen: in deze kleine runs zijn ze breed. De grotere scenariotest van het model (zeven wijken "
            "van 700 inwoners, zes jaar) meet ongeveer twee en een half keer zoveel crises per nieuwe cliënt in de "
            "villawijk als in de open wijken, en in het traditionele dorp een kwart tot de helft meer.",
            "In the villa ward there are more crises per new client on average than in the open wards "
            "(middle-class ward and residential village): needs surface late and heavy. In the traditional village "
            "fewer than in the villa ward; over twelve seeds also more than in the open wards, but not on every four. "
            "Look at the intervals: in these small runs they are wide. The model's larger scenario test (seven "
            "districts of 700 residents, six years) measures about two and a half times as many crises per new "
            "client in the villa ward as in the open wards, and a quarter to a half more in the traditional village."),
        "quote": ("Bewoners in voorstandswijken zijn weinig op de hoogte van elkaars problemen en noden, ook vanwege "
                  "gêne om deze te tonen. Hierdoor kunnen individuele probleemsituaties, zoals eenzaamheid en "
                  "psychische problemen, lang verborgen blijven en in die afzondering verergeren.",
                  f"{BOOK}, Capita selecta, voorstandswijken"),
        "discuss": (
            "Wie zijn in een villawijk de 'ogen en oren'? Wat kan de huisarts doen, wat de wijkverpleegkundige?",
            "Who are the 'eyes and ears' in a villa ward? What can the GP do, and the district nurse?"),
        "exercise": ("Laat de huisarts eenzame patiënten verwijzen (Welzijn op recept).",
                     "Let the GP refer lonely patients (Welzijn op recept)."),
        "lever": ["interventions.gp_referral.enabled=true"],
        "settings": _s("affluent", Levers(), Levers(gp_referral=True)),
    },
    {
        "key": "portemonnee", "claim": "portemonnee",
        "title": ("8. Wie betaalt, wie bespaart? De verkeerde portemonnee", "8. Who pays, who saves? The wrong pocket"),
        "question": (
            "Gemeente (Wmo, jeugd), zorgverzekeraar (Zvw) en Wet langdurige zorg betalen elk een deel. Als de gemeente "
            "netwerkontwikkelaars betaalt of op specialistische zorg bezuinigt: wie betaalt dan, en wie bespaart?",
            "The municipality (Wmo, youth care), the health insurer (Zvw) and the Long-term Care Act each pay a part. "
            "When the municipality pays for network developers or cuts specialist care: who pays, and who saves?"),
        "choices": (("Wie investeert, bespaart ook", "Whoever invests also saves"),
                    ("Kosten en besparingen vallen bij verschillende betalers", "Costs and savings fall on different payers"),
                    ("Niemand bespaart iets", "Nobody saves anything")),
        "watch": ("Kijk naar de kostengrafiek: opgeteld per inwoner.", "Watch the cost chart: added up per resident."),
        "finding": (
            "Netwerkontwikkelaars worden voor minstens 90% door de gemeente betaald; verzekeraar en langdurige zorg "
            "besparen daar in vier jaar samen minder dan een kwart van terug. De bezuiniging op specialistische zorg "
            "verlaagt de kosten van formele zorg op elk toevalsgetal, maar de crisiskosten stijgen met meer dan een "
            "vijfde van die besparing (ziekenhuis, spoedeisende hulp, crisisopvang): een deel van de rekening "
            "verschuift, een ander deel verdwijnt in wachten en onvervulde zorg.",
            "Network developers are paid for at least 90% by the municipality; the insurer and long-term care save "
            "less than a quarter of that back in four years. The specialist cut lowers formal care cost on every "
            "seed, but crisis cost rises by more than a fifth of that saving (hospital, emergency, crisis care): "
            "part of the bill moves, another part disappears into waiting and unmet care."),
        "quote": ("De kost gaat voor de baat uit, maar als die baten lang duren zijn de kosten impopulair. Dit is een "
                  "klassiek bestuurlijk dilemma.", f"{BOOK}, §3.3"),
        "discuss": (
            "Waarom investeert een gemeente weinig in preventie als de verzekeraar de baten krijgt? Welke afspraken "
            "tussen betalers zouden helpen?",
            "Why would a municipality invest little in prevention when the insurer reaps the benefits? Which "
            "agreements between payers would help?"),
        "exercise": ("Geef het wijkteam anderhalf keer zoveel budget naast de bezuiniging.",
                     "Give the wijkteam one and a half times the budget alongside the cut."),
        "lever": ["capacity.specialist_factor=0.5", "budget.front_line_factor=1.5"],
        "settings": _s("storp", Levers(), Levers(specialist_capacity=0.5), DEV),
    },
    {
        "key": "mantelzorg", "claim": "mantelzorg",
        "title": ("9. Mantelzorgers: hoeveel kunnen zij dragen?", "9. Informal carers: how much can they carry?"),
        "question": (
            "Hoeveel mantelzorgers zijn er, hoeveel zijn zwaar belast, en kunnen zij opvangen wat een bezuiniging "
            "op specialistische zorg wegneemt?",
            "How many informal carers are there, how many are heavily burdened, and can they take up what a cut in "
            "specialist care takes away?"),
        "choices": (("Mantelzorgers vangen het grotendeels op", "Carers take most of it up"),
                    ("Een deel; de rest wordt wachten", "Some of it; the rest becomes waiting"),
                    ("De meeste mantelzorgers raken overbelast", "Most carers become overburdened")),
        "watch": ("Kijk naar de kaarten zwaarbelaste en overbelaste mantelzorgers.",
                  "Watch the cards for heavily burdened and overburdened carers."),
        "finding": (
            "Ongeveer één op de negen volwassenen is mantelzorger (CBS 2024: 12,9%); van hen geeft meer dan een op de "
            "drie meer dan 8 uur per week (CBS telt alleen langdurige of intensieve hulp; SCP's 19% geldt voor alle "
            "helpers, ook wie af en toe helpt) en is ongeveer een op de elf overbelast (SCP 2016: 8,5%). Mantelzorgers vangen een "
            "bezuiniging op specialistische zorg niet op: hun uren hulp stijgen minder dan half zo sterk als de "
            "wachtlijst, want wie al zorgt heeft weinig ruimte over. Het aantal overbelaste mantelzorgers verandert "
            "niet duidelijk (minder dan 30% in het gemiddelde; niet van toeval te onderscheiden).",
            "About one in nine adults is an informal carer (CBS 2024: 12.9%); of them more than one in three gives "
            "more than 8 hours a week (CBS counts only long or intensive help; SCP's 19% is of all helpers, "
            "occasional ones too) and about one in eleven is overburdened (SCP 2016: 8.5%). Carers do not absorb a cut in "
            "specialist care: their hours of help rise less than half as much as the waiting list, because those "
            "who already care have little room left. Overburdened carers do not change clearly (less than 30% "
            "on average; not distinguishable from chance)."),
        "quote": ("Gemeenten zullen geld moeten blijven uitgeven aan de ondersteuning van eenzame ouderen, overbelaste "
                  "mantelzorgers en zorgcoöperaties, ook als er zaken mis gaan bij de intensieve hulpverlening en zorg aan evident hulpbehoevende burgers.",
                  f"{BOOK}, §3.3"),
        "discuss": (
            "Waar ligt de grens van wat je van mantelzorgers mag vragen? Wat doet respijtzorg?",
            "Where is the limit of what can be asked of informal carers? What does respite care do?"),
        "exercise": ("Verdubbel het bereik van mantelzorgondersteuning.", "Double the reach of carer support."),
        "lever": ["interventions.carer_support.support_reach=0.2"],
        "settings": _s("residential_village", Levers(), Levers(specialist_capacity=0.5)),
    },
]

STAGES = ("predict", "play", "reveal", "discuss")
STAGE_LABELS: dict[str, tuple[str, str]] = {
    "predict": ("1. Voorspel", "1. Predict"), "play": ("2. Speel", "2. Play"),
    "reveal": ("3. Onthul", "3. Reveal"), "discuss": ("4. Bespreek", "4. Discuss"),
}
TEXT: dict[str, tuple[str, str]] = {
    "lesson": ("Les", "Lesson"),
    "free": ("— vrij spelen —", "— free play —"),
    "next": ("Volgende", "Next"),
    "back": ("Vorige", "Back"),
    "predict_help": ("Spreek eerst samen een voorspelling af en kies die. Pas daarna zie je de runs.",
                     "First agree on a prediction together and choose it. Only then you see the runs."),
    "your_prediction": ("Jullie voorspelling", "Your prediction"),
    "no_prediction": ("(nog geen voorspelling gekozen)", "(no prediction chosen yet)"),
    "play_help": ("Druk op Afspelen. Let op de banden: de lijn is het gemiddelde van de runs, de band het "
                  "95%-interval.", "Press Play. Mind the bands: the line is the mean of the runs, the band its 95% interval."),
    "model_shows": ("Wat het model laat zien", "What the model shows"),
    "source": ("De bron", "The source"),
    "exercise": ("Opdracht: verander één knop", "Exercise: change one lever"),
    "notebook": ("Notebook", "Notebook"),
}


def lesson(key: str) -> dict:
    return next(item for item in LESSONS if item["key"] == key)


def t(key: str, lang: str) -> str:
    nl, en = TEXT[key]
    return nl if lang == "nl" else en


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "nl" else pair[1]
