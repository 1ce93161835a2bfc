"""Schools, daycare, clubs and workplaces ([school]) and towns ([plaats]) in a chat message.

Pure functions, no Rasa imports; used by tracker_store/redact.py, whose docstring has
the measurements. Both are open classes (no list of every school or village), so they
are found by what stands around them:

- School: a type word before the name ("obs De Springplank", "kinderdagverblijf
  Dikkertje Dap", "vv Quick Boys", "bso (Kids Planet)", "School: De Vuurtoren"), a type
  word after it ("Grotius College", "het alfrink college", "Sint-Lodewijkscollege"), a
  school context ("groep 6 van De Kleine Reus", "zit op het Sint-Ludgardis", "intern
  begeleider van De Duinroos", "voetbalt bij AFC"), and workplaces after a work cue
  ("werk bij de Rabobank", "bijbaan bij de HEMA", "collega bij Volvo Cars Gent").
  Capitalised names count after any of these; a name in lower case only after a type
  word that is never used alone ("obs", "vv") or after "kinderopvang het ...".
- Town: after a residence cue ("wij wonen (sinds 2021) in", "bij ons in", "hier in",
  "haar moeder in", "uit" after a name, "groeten uit"), before one ("sinds we in
  Kerkrade wonen"), after a school, workplace, address or postcode ("[school] in
  Kralingen", "[postcode] Lochem"), at the end of a signature ("Carla Wouters,
  Spijkenisse"), in a move ("van Gent naar Amsterdam", "de verhuizing naar Apeldoorn",
  "naar Antwerpen verhuisd"), narrowing a country down ("in België (Lanaken)") and after
  what the writer is or does ("ik ben gastouder in Assen"); the last two only for a place
  of the gazetteer (PLACES). Countries, provinces and regions (België, Vlaanderen,
  Limburg) stay: the country is read by the bot and names no family. A town without any
  such cue stays too ("In Rotterdam-Zuid is de wachtlijst lang").
- Since the sixth writer (gazetteer places only): where someone works ("werkt nachten in
  Goes"), where a move came from ("de verhuizing vanuit Weert"), after "als gastouder in",
  before "op school", with a place of daily life ("bij het station in Veghel", "aan huis in"),
  a corrected town ("in Leeuwarden... nee sorry, in Franeker"); a place of several words
  ("Son en Breugel") is taken whole, and a place that is also a word ("Best") after an address.
  Schools also: youth movements (Chiro), "-instituut", a church with its town, Flemish school
  abbreviations (KTA, VBS), shifts and the till as work cues, "ik ben verpleegkundige in het X".
"""
import re
from itertools import islice
from typing import AbstractSet, List, Optional, Tuple

from tracker_store.redact_names import FIRST_NAMES, STOP_WORDS, mostly_capitalised, word_list

Span = Tuple[int, int]
_WORD = re.compile(r"[\w'’&.-]*\w")
_ROLES = frozenset("oma opa mama papa mam pap juf meester tante oom ome".split())
# Dutch and Belgian places with >= 500 inhabitants (GeoNames; tracker_store/places_build.py).
# Only a second condition beside a weak cue ("ik ben gastouder in Assen", "in België
# (Lanaken)"), never enough on its own: many are also words or names (Best, Echt, Born).
PLACES = word_list("places_nl_be.txt")

# --- words that are never (the start of) a school or town name ------------------
_NOT_PLACES = frozenset("""
nederland belgië belgie vlaanderen wallonië wallonie holland europa buitenland randstad brabant noord-brabant
limburg friesland fryslân drenthe overijssel gelderland flevoland zeeland noord-holland zuid-holland
oost-vlaanderen west-vlaanderen vlaams-brabant henegouwen luik luxemburg achterhoek twente veluwe betuwe kempen
duitsland frankrijk engeland spanje italië italie portugal polen roemenië roemenie bulgarije oekraïne oekraine
rusland griekenland turkije marokko algerije tunesië tunesie egypte syrië syrie irak iran afghanistan pakistan
india china japan vietnam indonesië indonesie suriname curaçao curacao aruba bonaire sint-maarten antillen
eritrea ethiopië ethiopie somalië somalie ghana nigeria congo kaapverdië kaapverdie brazilië brazilie colombia
haïti haiti amerika canada azië afrika zweden noorwegen denemarken ierland schotland oostenrijk zwitserland
hongarije tsjechië slowakije litouwen letland estland kroatië servië bosnië albanië kosovo macedonië moldavië
januari februari maart april mei juni juli augustus september oktober november december
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag kerst pasen sinterklaas
stad dorp buurt wijk huis flat woning centrum gezin opvang tehuis kindertehuis gezinshuis pleeggezin azc
instelling woongroep gevangenis ziekenhuis kliniek hemel tuin klas school bed kamer zorg armoede angst
plaats groep paniek therapie detentie bak bajes nood tranen shock rouw stress quarantaine coma slaap bad auto
bus trein contact gesprek orde totaal principe zijn haar hun een brand keuken woonkamer appartement kamers
klein kleine groot grote ander andere nieuw nieuwe oud oude mooi mooie rustig rustige fijn fijne zelfde
verschillende diverse meerdere allerlei allerhande enkele sommige vele
""".split())
# Nouns for a state or an activity, not a town: "in behandeling", "in opleiding", "in de puberteit".
_STATE_SUFFIX = re.compile(r"\w*(?:ing|heid|teit|schap|isme|atie|ment|tijd|huis|kamer|zaal|school|werk|gezin"
                           r"|gezinnen|centrum|kliniek|therapie|opvang|instelling|groep|klas)")
# Words after an article that describe, not name: "de basisschool de hele dag".
# The practice and the services the bot itself names: never someone's school or workplace
# ("hoe werkt de behandeling bij OCRN", "met de Kindertelefoon", "naar het CJG").
_SERVICES = frozenset("""
ocrn ras kindertelefoon clb cjg ggd ggz veilig kind jeugdzorg wijkteam nicu huisarts consultatiebureau zorgverzekeraar
""".split())
_NOT_NAME_AFTER_ARTICLE = frozenset("""
hele heel eerste tweede derde laatste volgende vorige andere komende afgelopen zelfde meeste liefst beste
juf meester leiding groep klas kinderen ouders dag week ochtend middag avond nacht tijd rest buurt stad
""".split())
_STOP = frozenset("""
ik jij je hij zij ze wij we jullie u het de een en of maar want dus is was zijn heeft had hebben heb ben wil
niet geen nooit altijd soms vaak ook nog al nu toen dan daar hier zo erg heel echt best wel die dat dit deze van
voor met op in aan bij uit naar over om tot na sinds door zonder tegen als omdat hoe wat wie waar waarom wanneer
welke mijn mn m'n zijn zn z'n haar hun onze ons jouw uw te ter ten
""".split())

_CAP = r"(?:(?![A-Z]{1,3}\d)[A-ZÀ-Ý][\w'’&-]*(?:\.(?:com|nl|be)|(?<=\bSt)\.)?|'t|\d{1,2}e)"
_LINK = r"(?:de|het|der|den|van|von|'t|en|&|\d{1,2}e)"
_LINK_WORDS = frozenset("de het der den van von 't en &".split())
_CAP_NAME = rf"{_CAP}(?:\s+(?:{_LINK}\s+)*{_CAP})*"
_STREET_TAIL = (r"(?:\s+aan\s+(?:de|het|'t)\s+[A-Za-zÀ-ÿ][\w'-]*"
                r"(?:straat|laan|weg|plein|dijk|kade|singel|gracht|markt|baan|dreef|steenweg|lei|vest|hof))?")
_ARTICLE = r"(?:[Dd]e|[Hh]et|'?t)"  # "zit op t Canisius": 't written without its apostrophe
# Type words before a school's name; the first ones are never used without a name.
_ALWAYS_NAMED = r"obs|cbs|rkbs|pcbs|ikc|kdv|psz|sbo|vv|v\.v\.|sv|s\.v\.|gv|g\.v\.|hv|kv|zv|hc|mhc|ltc|rkvv|rksv"
_SCHOOL_TYPES = (rf"{_ALWAYS_NAMED}|basisschool|daltonschool|jenaplanschool|montessorischool|vrije\s+school"
                 r"|praktijkschool|kleuterschool|scholengemeenschap|kindcentrum|kinderdagverblijf|kinderopvang"
                 r"|peuterspeelzaal|peuteropvang|bso|buitenschoolse\s+opvang|naschoolse\s+opvang|crèche|creche"
                 r"|gastouderbureau|[a-zà-ÿ]*vereniging|[a-zà-ÿ]*club|scouting"
                 r"|scouts|chiro|ksa|klj|kaj|patro|jeugdbeweging|dansschool|muziekschool|school|opvang"
                 r"|college|lyceum|gymnasium|atheneum|ziekenhuis|verpleeghuis|verzorgingshuis|[a-z]*zorgcentrum"
                 r"|revalidatiecentrum|kliniek|buurthuis|jeugdhuis|wijkcentrum|buurtcentrum|clubhuis|voedselbank|kerk|moskee|tempel"
                 r"|synagoge|restaurant|eethuis|toko|kapsalon|snackbar"
                 # since the eighth writer: military bases, the associations of villages in the south and east,
                 # and schools across the border
                 r"|vliegbasis|luchtmachtbasis|marinebasis|legerplaats|kazerne|marinierskazerne|schutterij"
                 r"|schutterswacht|schuttersgilde|gilde|harmonie|fanfare|drumband|showband|muziekkorps|zangkoor"
                 r"|kerkkoor|toneelgroep|grundschule|gesamtschule|realschule|hauptschule|kita|kindergarten|école"
                 r"|ecole|lycée|athénée"
                 # since the ninth writer: youth care and foster care, foundations, health centres and practices,
                 # neighbourhood teams, vocational colleges and universities
                 r"|stichting|pleegzorg|jeugdbescherming|jeugdhulp|gezondheidscentrum|huisartsenpraktijk|huisartspraktijk"
                 r"|huisartsenpost|tandartspraktijk|apotheek|roc|hogeschool|universiteit|sociaal\s+wijkteam|sociaal\s+team"
                 r"|wijkteam|buurtteam|gebiedsteam|jeugdteam"
                 # since the tenth writer (pii_j): a studio by its kind, a partnership of a farm or practice, Flemish
                 # foster and home-support services
                 r"|[a-zà-ÿ]+studio|maatschap|pleeggezinnendienst|thuisbegeleidingsdienst|gastouderdienst")
_TYPE_THEN_NAME = re.compile(
    rf"(?<![\w-])(?:GO!\s+)?({_SCHOOL_TYPES})(\s*(?::|\(|,(?=\s*(?:[Dd]e\s+|[Hh]et\s+)?[A-ZÀ-Ý])"
    r"|\s(?:is|was|heet|heette|genaamd)\b)\s*|\s+)", re.I)
# Dutch and Belgian club abbreviations, in capitals, before a capitalised name: "KFC Wambeek",
# "TC Ter Heide", "AFC Ajax". Without a name after them they stay ("we aten bij KFC").
_CLUB_ABBREVIATION = re.compile(
    r"(?<![\w-])(?:R?K?(?:FC|SV|VV|SC|VC|HC|TC|KV|HV|ZV|GV|BC)|AFC|KSV|KVC|KVV|LTC|MHC|RKSV|KAA|RSC|SK"
    r"|PEC|NEC|NAC|RKC|VVV|ADO|PSV|SBV|RBC|HFC|KRC)\s+(?=[A-ZÀ-Ý])")  # "PEC Zwolle", "ADO Den Haag" (pii_i)
# A church or congregation named with its town: "de Hervormde Kerk in Kruiningen", "de Gereformeerde Kerk
# vrijgemaakt in Winsum", "de Evangelische Gemeente te Drachten". Without a town it is a denomination
# ("de katholieke kerk vindt dat", "de Protestantse Kerk in Nederland") and stays.
_CHURCH = re.compile(
    r"(?<![\w-])((?:[A-ZÀ-Ý][\w'-]*\s+){1,3}(?:[Kk]erk(?:en)?|[Gg]emeente|[Pp]arochie|[Mm]oskee)"
    r"(?:\s+(?:vrijgemaakt|hersteld|\([A-Za-z]+\)))?"
    r"(?:\s+(?:De|Het|'t)\s+[A-ZÀ-Ý][\w'-]*)?)(?=\s+(?:in|te)\s+[A-ZÀ-Ý])")  # pii_j: "Hervormde Gemeente De Ark in"
# Flemish school abbreviations, in capitals: "het KTA in Mol", "VBS De Regenboog", "KA Geel".
# Hospitals by their abbreviation ("een opname in het MUMC+", "het UMCG", "AZ Groeninge") and military units
# ("11 Luchtmobiele Brigade", "het 45e Pantserinfanteriebataljon"): names of a place the family is at.
_HOSPITAL_ABBREVIATION = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,3}UMC\+?|UMC[GU]|UMC\s+(?:Utrecht|Groningen)|Amsterdam\s+UMC|Erasmus\s*MC|VUmc|Radboudumc"
    r"|AMC|LUMC|ETZ|CWZ|ZGT|MST|JBZ|SJG|MCL|OLVG|HMC|WKZ|ZOL|ZNA|GZA|(?:AZ|UZ)\s+[A-ZÀ-Ý][\w-]+)(?![\w-])")
_MILITARY_UNIT = re.compile(
    r"(?<![\w-])(?:\d{1,3}(?:e|ste|de)?\s+)?(?:[A-ZÀ-Ý][\w-]*\s+){0,2}[A-ZÀ-Ý]?[\w-]*(?:[Bb]rigade|[Bb]ataljon"
    r"|[Rr]egiment|[Dd]ivisie|[Cc]ompagnie|[Ss]quadron|[Ss]maldeel)(?:\s+[A-ZÀ-Ý][\w-]*){0,2}(?![\w-])")
# Since the ninth writer (pii_i). Hospitals and care organisations by their common short names (no first name or
# ordinary word among them: "Catharina", "Antonius", "Karakter" and "Fier" count only with a type word), capitalised:
# "opgenomen in het Dijklander", "een afspraak bij Accare".
_CARE_NAMES = re.compile(
    r"(?<![\w-])(?:Dijklander|Treant|Isala|Amphia|Rijnstate|Tergooi|Alrijne|Zuyderland|VieCuri|Bernhoven|Elkerliek"
    r"|Ikazia|Maasstad|Spaarne\s+Gasthuis|Gelre|Noordwest\s+Ziekenhuisgroep|Ommelander|Nij\s+Smellinghe"
    r"|Tjongerschans|Sionsberg|Saxenburgh|Slingeland|Jessa|Vesalius|Middelheim|Accare|Levvel|Lindenhout|Pluryn"
    r"|Youké|Yorneo|Jeugdformaat|Parnassia|Arkin|Lentis|Altrecht|Curium|De\s+Bascule|Triversum|Cordaan|Amsta"
    r"|Ipse\s+de\s+Bruggen|ASVZ|Middin|Jarabee|Jonx|Ambiq|Youz|Entrea|Spirit\s+Jeugd(?:hulp|zorg)?)(?![\w-])")
# A care organisation or hospital named before its type word: "het Treant ziekenhuis", "via Horizon Jeugdzorg".
_NAME_THEN_CARE = re.compile(
    rf"(?<![\w-])((?:{_CAP}\s+){{0,2}}{_CAP}\s+(?:[Zz]iekenhuis(?:groep|zen)?|[Gg]asthuis|[Jj]eugdzorg|[Jj]eugdhulp|[Pp]leegzorg"
    r"|[Zz]orggroep))(?![\w-])")
_NOT_CARE_NAMES = frozenset("bureau academisch algemeen".split())
# Justice: a prison or youth institution by its abbreviation and name ("PI Haaglanden", "JJI Teylingereind").
_JUSTICE = re.compile(r"(?<![\w-])(?:PI|JJI|FPC)\s+(?=[A-ZÀ-Ý])")
# A child placed through an organisation (a foster, adoption or youth care message): "via Spirit", "komt via De
# Jeugd- en Gezinsbeschermers". Not a platform or a service the bot names ("via WhatsApp", "via Veilig Thuis").
_VIA = re.compile(r"\bvia\s+(?=(?:De\s+|Het\s+)?[A-ZÀ-Ý])")
_PLACEMENT = re.compile(r"pleeg|adopt|geplaatst|plaatsing|voogd|jeugdzorg|jeugdbescherming|crisisopvang")
# A school before the verb of attending: "nu hij op het Piter Jelles zit".
_AT_THEN_ATTENDS = re.compile(r"\bop\s+(?=(?:de|het|'t)\s+[A-ZÀ-Ý])")
_ATTENDS_AFTER = re.compile(r"\s+(?:zit|zat|zitten|zaten)\b")
# A name with a capital article after a preposition inside a sentence is a named place: "in z'n broek op De
# Sprong", "bij Het Palet". A town ("naar De Bilt") is left to the rules for towns.
_CAPITAL_ARTICLE = re.compile(r"(?<=[a-zà-ÿ] )(?:op|bij|van|naar)\s+(?=(?:De|Het)\s+[A-ZÀ-Ý])")
# A name in brackets after a kind of school or daycare in the same clause: "naar de opvang gaat (Humpie Dumpie)".
_TYPE_THEN_BRACKET = re.compile(
    rf"\b(?:opvang|school|bso|kdv|crèche|creche|peuterspeelzaal|kinderdagverblijf|club|vereniging)\b[^.!?()\n]{{0,30}}?"
    rf"\(\s*((?:(?:De|Het|'t)\s+)?{_CAP}(?:\s+{_CAP}){{0,3}})\s*\)")
_BE_SCHOOL_ABBREVIATION = re.compile(r"(?<![\w-])(?:KTA|KA|VTI|VTS|TI|BuSO|BuBaO|SBSO|VBS|GBS|GVBS|GLS)(?![\w-])")
_ATTENDS_BEFORE = re.compile(r"\b(?:op|naar)\s+$", re.I)
_NAME_BEFORE_PLACE = re.compile(
    r"([a-zà-ÿ][\w'-]+)(?=\s+(?:in|te)\s+(?!de\b|het\b|een\b)[a-zà-ÿA-ZÀ-Ý]|\s+aan\s+(?:de|het)\s)")
# Before a type word these make it a common noun ("op het kdv", "zijn school"): a name after it
# must then have a capital.
_DETERMINER_BEFORE = re.compile(
    r"\b(?:de|het|'t|een|die|deze|dat|mijn|m'n|mn|zijn|zn|z'n|haar|hun|onze|ons|welke|elke)\s+$", re.I)
_LOWER_NAME_TYPES = re.compile(
    rf"(?:{_ALWAYS_NAMED}|basisschool|daltonschool|jenaplanschool|montessorischool|vrije\s+school|praktijkschool"
    r"|kindcentrum|kinderdagverblijf|kinderopvang|peuterspeelzaal|peuteropvang|bso|scouting)", re.I)
_LOWER_WORD = re.compile(r"[a-zà-ÿ][\w'’-]*")
_SUFFIX_TYPES = (r"[Cc]ollege|[Ll]yceum|[Gg]ymnasium|[Aa]theneum|[Ss]chool|[Ss]cholengemeenschap|[Aa]cademie"
                 r"|[Ii]nstituut")
_NAME_THEN_TYPE = re.compile(
    rf"(?<![\w-])((?:{_CAP}\s+(?:{_LINK}\s+)*){{0,2}}{_CAP}\s+(?:{_SUFFIX_TYPES})(?:\s+(?!In\b|Te\b){_CAP})?)(?![\w-])")
_LOWER_NAME_THEN_TYPE = re.compile(
    r"\b(?:op|naar|van|bij)\s+(?:het|de|'t)\s+([a-zà-ÿ][\w'-]+\s+(?:college|lyceum|gymnasium|atheneum))\b")
_COMPOUND = re.compile(
    rf"(?<![\w-])((?:{_CAP}\s+(?:{_LINK}\s+)*){{0,2}}[A-ZÀ-Ý][\w'-]*(?:school|college|lyceum|gymnasium|atheneum|club"
    r"|instituut|kerk|parochie|gemeente|moskee|kazerne)"
    rf"(?:\s+(?!in\b|te\b){_CAP})?)(?![\w-])")
# A house of prayer named before its type word: "de Al-Hijra moskee", "de Mevlana moskee". Not an adjective
# of a denomination or a country before it ("de Turkse moskee", "de Katholieke kerk"): those end in -e.
_NAME_THEN_PRAYER_HOUSE = re.compile(
    rf"(?<![\w-])((?:{_CAP}\s+){{0,2}}{_CAP}(?<![eE])\s+(?:[Mm]oskee|[Mm]osque|[Cc]amii|[Cc]ami|[Ss]ynagoge|[Tt]empel|[Mm]andir|[Gg]urdwara))(?![\w-])")
# A workplace before the work verb: "sinds die bij ASML in ploegendienst werkt", "die bij Bol werkt".
_AT_THEN_WORKS = re.compile(
    rf"\bbij\s+({_CAP_NAME})(?=(?:\s+[a-zà-ÿ][\w'-]*){{0,3}}?\s+(?:werkt|werk|werken|werkte|werkten|werkzaam)\b)")
# A school the child refuses or skips: "gaat al weken niet naar De Kameleon", "spijbelt van het Augustinianum".
_GOES_TO_NAMED = re.compile(
    rf"\bnaar\s+((?:De|Het|'t)\s+{_CAP}(?:\s+{_CAP})?)(?=\s+(?:gaat|gaan|ging|gingen|wil|wilde|durft|moet|mag)\b)")
# A business of the family: "wij hebben een restaurant in Almere-Haven, De Gouden Draak, en".
_BUSINESS_NAME = re.compile(
    r"\b(?:restaurant|eethuis|winkel|zaak|toko|kapsalon|snackbar|bakkerij|bedrijf|cafetaria|café|pizzeria|nagelstudio)"
    rf"\s+in\s+[A-ZÀ-Ý][\w'-]*(?:[\s-][A-ZÀ-Ý][\w'-]*)?\s*,\s*({_CAP_NAME})(?=\s*[,.!?])")
_GENERIC_SCHOOL_WORDS = frozenset("""
basisschool kleuterschool middelbare daltonschool jenaplanschool montessorischool praktijkschool muziekschool
dansschool zwemschool rijschool voetbalclub sportclub judoclub turnclub zwemclub hockeyclub school college
lyceum gymnasium atheneum club instituut kerk parochie
openbare christelijke katholieke islamitische speciale reguliere nieuwe oude
andere vorige eigen hele zijn haar mijn onze hun die deze de het een welke elke zo'n
""".split())
# School contexts, each with the name of its hint words (HINTS below).
_SCHOOL_CONTEXTS = [
    (re.compile(r"\b(?:zit|zitten|zat|zaten)\s+(?:(?:nu|al|ook|nog|alle\s+\w+|allebei|allemaal|daar)\s+)?op\s+"
                r"(?=(?:de|het|'?t)\s)", re.I), "zit"),
    (re.compile(r"\b(?:groep\s+\d+|(?:eerste|tweede|derde|vierde|vijfde|zesde|\d(?:e|de|ste))\s+(?:leerjaar|kleuterklas"
                r"|klas)|klas\s+\d\w*|[a-zà-ÿ]{3,}klas)\s+(?:van|op)\s+", re.I), "klas"),  # "de nieuwkomersklas van"
    (re.compile(r"\b(?:juf|meester|leerkracht|intern\s+begeleider|ib'?er|directeur|directrice|mentor|docent|leiding"
                r"|leidster|trainer|coach)\s+(?:van|op|bij)\s+(?=(?:[Dd]e|[Hh]et|'t)\s)", re.I),
     "staff"),
    # Since the ninth writer: a trainer or leader at a club named without an article ("trainer bij Boxing Noord"),
    # daycare at a named place ("de peuter bij Boefjes", "de opvang bij Het Kikkerhuis"); a person stays a name.
    (re.compile(r"\b(?:[a-zà-ÿ]*trainer|trainster|coach|leider|leidster|instructeur|instructrice)\s+(?:bij|van)\s+"
                r"(?=[A-ZÀ-Ý])"), "staff"),
    (re.compile(r"\b(?:peuter|peuters|peutergroep|opvang|bso|kdv|crèche|creche|gastouder)\s+(?:bij|van)\s+"
                r"(?=(?:De\s+|Het\s+)?[A-ZÀ-Ý])", re.I), "school"),
    # School contexts that name the school: its playground, a child sent away or skipping it.
    (re.compile(r"\b(?:schoolplein|speelplaats|schoolpoort|schoolhek|oudercommissie|ouderraad)\s+(?:van|bij)\s+"
                r"(?=(?:[Dd]e|[Hh]et|'t)\s+[A-ZÀ-Ý])", re.I), "staff"),
    (re.compile(r"\b(?:spijbelt|spijbelen|spijbelde|geschorst|verwijderd|ingeschreven|uitgeschreven)\s+(?:van|op|bij)\s+"
                r"(?=(?:de|het|'t)\s+[A-ZÀ-Ý])", re.I), "zit"),
    (re.compile(r"\b(?:voetbalt|voetballen|speelt|spelen|turnt|zwemt|danst|hockeyt|korfbalt|judoot|traint|sport|sporten)"
                r"\s+(?:[\w']+\s+){0,2}?bij\s+", re.I),
     "sport"),
]
# Words of which one must be in the lower-case message before a rule runs at all; redact.py
# finds them all in one pass (most messages have none).
HINTS = {
    "school": ("school", "opvang", "bso", "obs", "cbs", "kbs", "ikc", "kdv", "psz", "sbo", "vv", "sv", "v.v.", "s.v.",
               "chiro", "ksa", "klj", "kaj", "patro", "jeugdbeweging", "instituut",
               "kindcentrum", "kinderdagverblijf", "peuter", "crèche", "creche", "gastouder", "vereniging", "club",
               "scout", "college", "lyceum", "gymnasium", "atheneum", "academie", "ziekenhuis", "verpleeghuis",
               "verzorgingshuis", "zorgcentrum", "revalidatie", "kliniek", "buurthuis", "jeugdhuis", "wijkcentrum",
               "buurtcentrum", "clubhuis", "voedselbank", "kerk", "moskee", "tempel", "synagoge", "gemeente",
               "restaurant",
               "eethuis", "toko", "kapsalon", "snackbar", "winkel", "zaak", "bedrijf",
               "basis", "legerplaats", "kazerne", "schutter", "gilde", "harmonie", "fanfare", "drumband", "showband",
               "muziekkorps", "koor", "toneel", "schule", "kita", "kindergarten", "école", "ecole", "lycée", "athénée",
               "gv", "hv", "kv", "zv", "hc", "ltc", "rkvv", "rksv", "stichting", "pleegzorg", "jeugdbescherming",
               "jeugdhulp", "jeugdzorg", "gezondheidscentrum", "praktijk", "huisartsenpost", "apotheek", "roc",
               "hogeschool", "universiteit", "team", "ziekenhuis", "gasthuis", "studio", "maatschap", "pleeggezinnen",
               "begeleidingsdienst", "gastouderdienst"),
    "club": ("fc", "sv", "vv", "sc", "vc", "hc", "tc", "kv", "hv", "zv", "gv", "bc", "ksv", "kaa", "rsc", "sk",
             "pec", "nec", "nac", "rkc", "vvv", "ado", "psv", "sbv", "rbc", "hfc", "krc"),
    "branch": ("plein", "straat", "markt", "laan", "weg", "dijk", "kade", "singel", "gracht"),
    "work": ("werk", "baan", "job", "stage", "collega", "diensten", "nachtdienst", "kassa", "chauffeur", "begeleider",
             "medewerker", "technicus", "monteur", "verpleegkundige", "militair", "operator", "rij voor", "rijd voor",
             "rijdt voor", "rijden voor", "reed voor"),
    "church": ("kerk", "gemeente", "parochie", "moskee", "mosque", "cami", "synagoge", "tempel", "mandir", "gurdwara"),
    "zit": ("zit", "zat", "spijbel", "geschorst", "verwijderd", "geschreven"),
    "klas": ("groep", "leerjaar", "klas"),
    "staff": ("schoolplein", "speelplaats", "schoolpoort", "schoolhek", "oudercommissie", "ouderraad",
              "juf", "meester", "leerkracht", "begeleider", "iber", "ib'er", "directeur", "directrice", "mentor",
              "docent", "leiding", "leidster", "trainer", "coach"),
    "sport": ("voetbal", "speel", "spelen", "turnt", "zwemt", "danst", "hockey", "korfbal", "judo", "traint", "sport"),
    "move": ("naar",),
    "resident": ("woon", "wonen", "verhuis", "verhuiz", "geboren", "opgegroeid", "getrokken"),
    "self": ("ben", "zijn", "werk"),
    "as": ("als ",),
    "self_at": ("ik ben", "ben ik", "wij zijn", "we zijn"),
    "local": ("school", "ziekenhuis", "consultatiebureau", "station", "kerk", "moskee", "opvang", "bso", "kdv",
              "crèche", "creche",
              "speelzaal", "sporthal", "zwembad", "bibliotheek", "bieb", "speeltuin", "markt", "aan huis", "sportpark",
              "azc", "winkelcentrum", "portiek", "gevangenis", "inrichting", "pi ", "voetbal", "hockey", "korfbal",
              "turnen", "zwemles", "muziekles", "dansles", "scouting", "chiro", "raam", "voordeur", "huis",
              "boerderij", "camping"),
    "correction": ("nee", "sorry", "bedoel"),
    "care": ("dijklander", "treant", "isala", "amphia", "rijnstate", "tergooi", "alrijne", "zuyderland", "viecuri",
             "bernhoven", "elkerliek", "ikazia", "maasstad", "spaarne", "gelre", "noordwest", "ommelander",
             "smellinghe", "tjongerschans", "sionsberg", "saxenburgh", "slingeland", "jessa", "vesalius", "middelheim",
             "accare", "levvel", "lindenhout", "pluryn", "youké", "yorneo", "jeugdformaat", "parnassia", "arkin",
             "lentis", "altrecht",
             "curium", "bascule", "triversum", "cordaan", "amsta", "ipse", "asvz", "middin", "jarabee",
             "jonx", "ambiq", "youz", "entrea", "spirit"),
    "justice": ("pi ", "jji", "fpc"),
    "via": ("via ",),
    "hospital": ("umc", "amc", "etz", "cwz", "zgt", "mst", "jbz", "sjg", "mcl", "olvg", "hmc", "wkz", "zol", "zna",
                 "gza", "az ", "uz ", "erasmus", "vumc", "radboud"),
    "unit": ("brigade", "bataljon", "regiment", "divisie", "compagnie", "squadron", "smaldeel"),
    "area": ("wijk", "buurt", "gehucht", "dorp", "gemeente", "stadsdeel", "deelraad", "kern"),
    "district": ("werker", "wijkcoach", "wijkagent", "buurtcoach", "buurtvader", "buurtmoeder", "straatcoach",
                 "leerjaar", "groep", "klas", "terug", "restaurant", "eethuis", "toko", "zaak", "winkel", "kapsalon",
                 "snackbar", "bedrijf"),
}
_SCHOOL_RULE_HINTS = frozenset(
    ("school", "work", "zit", "klas", "staff", "sport", "club", "branch", "church", "self_at", "move", "unit",
     "hospital", "care", "justice", "via"))
# Work: also shifts and the till ("ik draai nachtdiensten bij", "achter de kassa bij de Jumbo").
_WORK_CUE = re.compile(
    r"\b(?:werk|werkt|werken|werkte|werkten|werkzaam|bijbaan|baan|job|stage|stageplek|collega|collega's"
    r"|(?:nacht|dag|avond|weekend|late|vroege)?diensten|nachtdienst|kassa"
    # since the eighth writer: what someone does for an employer ("chauffeur bij Vos Logistics", "ik rij voor Bolk")
    r"|[a-zà-ÿ]*(?:chauffeur|begeleider|medewerker|technicus|monteur|verpleegkundige|militair|operator)"
    r"|(?:rij|rijd|rijdt|rijden|reed)(?=\s+voor\s+[A-ZÀ-Ý]))\b", re.I)
_WORK_LINK = re.compile(r"(?:\b(bij|in|voor|op)\s+|(\())")
# What the writer is, at a named workplace: "ik ben verpleegkundige in het ZorgSaam", "ik ben kok bij
# Van der Valk". After "in" only with an article ("ik ben gastouder in Joure" is a town).
_SELF_AT = re.compile(
    r"\b(?:ik\s+ben|ben\s+ik|wij\s+zijn|we\s+zijn)(?:\s+(?:een|nu|al|ook|zelf))?(?:\s+[a-zà-ÿ][\w'-]*){1,2}"
    r"\s+(?:(?:in|bij|op)\s+(?=(?:de|het|'t)\s+[A-ZÀ-Ý])|bij\s+(?=[A-ZÀ-Ý]))", re.I)
# Characters after a work cue in which "bij", "in", "voor", "op" or "(" may open the workplace.
# 40 until the fifth writer ("ik werk in ploegendienst bij een chemisch bedrijf op Chemelot"
# is 46); at 60 no clean message of any set, nor an example of data/nlu.yml, changes.
WORK_WINDOW = 60
# A shop or a branch named with its street: "bij de Plus op het Vrijheidsplein", "bij de
# Jumbo aan de Dorpsstraat" (the street makes a chain's branch a place the family is at).
_BRANCH = re.compile(
    rf"\bbij\s+(?:de|het|'t)\s+({_CAP}(?:\s+{_CAP}){{0,2}}\s+(?:op|aan)\s+(?:de|het|'t)\s+[A-ZÀ-Ý][\w'-]*?"
    r"(?:plein|straat|markt|laan|weg|dijk|kade|singel|gracht))\b")
_GENERIC_WORKPLACES = frozenset("""
gemeente politie zorg thuiszorg kinderopvang opvang school bank supermarkt winkel fabriek zaak ziekenhuis bakker
slager kapper brandweer defensie marine post horeca jeugdzorg ggz huisarts apotheek kliniek overheid baas klas
buren familie kerk moskee nacht dag weekend schoonmaak bouw haven markt vereniging praktijk kantoor
""".split())


_CAP_NAME_RE = re.compile(rf"(?:{_ARTICLE}\s+)?{_CAP_NAME}{_STREET_TAIL}")


def _cap_name_end(text: str, pos: int) -> Optional[int]:
    """End of a capitalised name at `pos` ("De Kleine Reus", "Colruyt van Drongen"), or None."""
    match = _CAP_NAME_RE.match(text, pos)
    if not match:
        return None
    words = re.findall(r"[\w'’&.-]+", match.group())
    if all(word.lower() in _NOT_NAME_AFTER_ARTICLE | _STOP | _NOT_PLACES for word in words):
        return None
    first = words[1] if len(words) > 1 and words[0].lower() in _LINK_WORDS else words[0]
    if first.lower() in _SERVICES:
        return None
    return match.end()


def _lower_name_end(text: str, pos: int, article_only: bool) -> Optional[int]:
    """End of a name in lower case: "de wilgenhoek", or (not article_only) "quick boys"."""
    article = re.compile(r"(?:de|het|'t)\s+").match(text, pos)
    if article:
        word = _LOWER_WORD.match(text, article.end())
        if word and word.group() not in _NOT_NAME_AFTER_ARTICLE | _STOP | STOP_WORDS:
            return word.end()
        return None
    if article_only:
        return None
    end, count = None, 0
    for word in _LOWER_WORD.finditer(text, pos):
        if (count == 2 or word.group() in _STOP or word.group() in STOP_WORDS
                or text[end if end else pos:word.start()] not in ("", " ")):
            break
        end, count = word.end(), count + 1
    return end


def school_spans(text: str, hints: AbstractSet[str]) -> List[Span]:
    spans: List[Span] = []
    abbreviation = _BE_SCHOOL_ABBREVIATION.search(text)
    capital_article = " De " in text or " Het " in text
    if not (hints & _SCHOOL_RULE_HINTS or abbreviation or capital_article) or mostly_capitalised(text):
        return spans  # in CAPS or Title Case a capital is no sign of a name
    if capital_article:
        for match in _CAPITAL_ARTICLE.finditer(text):
            end = _cap_name_end(text, match.end())
            if end is not None and not gazetteer_span(text, match.end()):
                spans.append((match.end(), end))
    if abbreviation:
        spans += _be_abbreviation_spans(text)
    if "hospital" in hints:
        spans += [m.span() for m in _HOSPITAL_ABBREVIATION.finditer(text)]
    if "care" in hints:
        spans += [m.span() for m in _CARE_NAMES.finditer(text)]
    if "justice" in hints:
        spans += [(m.start(), end) for m in _JUSTICE.finditer(text) for end in [_cap_name_end(text, m.end())] if end]
    if "unit" in hints:
        spans += [m.span() for m in _MILITARY_UNIT.finditer(text) if m.group()[:1].isupper() or m.group()[:1].isdigit()]
    if not (hints & _SCHOOL_RULE_HINTS):
        return spans
    if "work" in hints:
        spans += _workplace_spans(text)
        spans += [m.span(1) for m in _AT_THEN_WORKS.finditer(text)
                  if _cap_name_end(text, m.start(1)) and m.group(1).split()[0].lower() not in FIRST_NAMES]
    if "move" in hints:
        spans += [m.span(1) for m in _GOES_TO_NAMED.finditer(text) if _cap_name_end(text, m.start(1))]
    if "self_at" in hints:
        for match in _SELF_AT.finditer(text):
            end = _cap_name_end(text, match.end())
            if end is not None and not _names_a_person(text, match.end()):
                spans.append((match.end(), end))
    if "church" in hints:
        spans += [m.span(1) for m in _CHURCH.finditer(text)
                  if _trimmed(text, m.span(1)) and _place_at(text, text.index(" ", m.end() + 1) + 1)]
    if "church" in hints:
        spans += [span for span in (_trimmed(text, m.span(1)) for m in _NAME_THEN_PRAYER_HOUSE.finditer(text)) if span]
    if "club" in hints:
        for match in _CLUB_ABBREVIATION.finditer(text):
            end = _cap_name_end(text, match.end())
            if end is not None:
                spans.append((match.start(), end))
    if "branch" in hints:
        spans += [match.span(1) for match in _BRANCH.finditer(text) if _cap_name_end(text, match.start(1))]
    for pattern, hint in _SCHOOL_CONTEXTS:
        if hint in hints:
            for match in pattern.finditer(text):
                end = _cap_name_end(text, match.end())
                if end is not None and not _names_a_person(text, match.end()):
                    spans.append((match.end(), end))
    if "via" in hints and _PLACEMENT.search(text.lower()):
        for match in _VIA.finditer(text):
            end = _cap_name_end(text, match.end())
            first = _WORD.match(text, match.end()).group().lower()
            if end is not None and not _names_a_person(text, match.end()) and first not in _NOT_CAPITAL_PLACES:
                spans.append((match.end(), end))
    if "zit" in hints:
        for match in _AT_THEN_ATTENDS.finditer(text):
            end = _cap_name_end(text, match.end())
            name = text.index(" ", match.end()) + 1  # after the article
            if end is not None and _ATTENDS_AFTER.match(text, end) and not _names_a_person(text, name):
                spans.append((match.end(), end))
    if "school" not in hints:
        return spans
    for match in _TYPE_THEN_BRACKET.finditer(text):
        words = match.group(1).split()
        if not (len(words) == 1 and words[0].lower() in FIRST_NAMES) and _cap_name_end(text, match.start(1)):
            spans.append(match.span(1))
    for match in _NAME_THEN_CARE.finditer(text):
        span = _trimmed(text, match.span(1))
        if (span and text[span[0]].isupper() and len(text[span[0]:span[1]].split()) > 1  # "Is pleegzorg ..." stays
                and _WORD.match(text, span[0]).group().lower() not in _NOT_CARE_NAMES | STOP_WORDS | _NOT_PLACES):
            spans.append(span)
    for match in _TYPE_THEN_NAME.finditer(text):
        before = text[max(0, match.start() - 8):match.start()]
        determiner, attends = _DETERMINER_BEFORE.search(before), _ATTENDS_BEFORE.search(before)
        end = _name_after_type(text, match.end(), match.group(1), match.group(2), determiner is not None,
                               attends is not None)
        if end is not None:
            joined = match.group(2).strip() == ""  # "obs De Springplank" as a whole, "school (" without
            spans.append((match.start() if joined else match.end(), end))
    spans += [m.span(1) for m in _BUSINESS_NAME.finditer(text) if _cap_name_end(text, m.start(1))]
    for pattern in (_NAME_THEN_TYPE, _COMPOUND):
        for match in pattern.finditer(text):
            span = _trimmed(text, match.span(1))
            if span:
                spans.append(span)
    for match in _LOWER_NAME_THEN_TYPE.finditer(text):
        if match.group(1).split()[0] not in _GENERIC_SCHOOL_WORDS:
            spans.append(match.span(1))
    return spans


def _be_abbreviation_spans(text: str) -> List[Span]:
    """ "VBS De Regenboog", "KA Geel" with the name; alone after "het" or before "in"/"te" and a
    capital ("spijbelt van het KTA in Mol"); "KA" in a sentence of its own stays."""
    spans = []
    for match in _BE_SCHOOL_ABBREVIATION.finditer(text):
        end = _cap_name_end(text, match.end() + 1) if text[match.end():match.end() + 1] == " " else None
        if end is not None and not re.match(r"\s+(?:In|Te)\b", text[match.end():]):
            spans.append((match.start(), end))
        elif (re.search(r"\b(?:het|'t)\s+$", text[max(0, match.start() - 6):match.start()], re.I)
              or re.match(r"\s+(?:in|te)\s+[A-ZÀ-Ý]", text[match.end():])):
            spans.append(match.span())
    return spans


def _name_after_type(text: str, pos: int, school_type: str, connector: str, determiner: bool,
                     attends: bool) -> Optional[int]:
    """End of the name after a type word: capitalised, or in lower case after some types.

    In lower case: "obs de wilgenhoek" (an article), "vv quick boys" (a type never used
    alone), "zit op kinderopvang dikkertje dap" (attending a type without an article) and
    "de vrije school zonnehuis in zeist" (a name and where it is); not "veranderen van
    kinderdagverblijf invloed" nor "op het kdv slecht".
    """
    if text[pos:pos + 1].isupper() or re.match(rf"{_ARTICLE}\s+[A-ZÀ-Ý]", text[pos:pos + 6]):
        return _cap_name_end(text, pos)
    if not _LOWER_NAME_TYPES.fullmatch(school_type):
        return None
    end = None
    if connector.strip() == "" and not determiner:
        always_named = re.fullmatch(_ALWAYS_NAMED, school_type, re.I) is not None
        end = _lower_name_end(text, pos, article_only=not (always_named or attends))
    if end is None and re.fullmatch(r"\s+", connector):
        end = _lower_name_before_place(text, pos)
    return end


def _lower_name_before_place(text: str, pos: int) -> Optional[int]:
    """ "bso kidsplanet aan de vaartweg", "vrije school zonnehuis in zeist": a lower-case name
    followed by where it is."""
    match = _NAME_BEFORE_PLACE.match(text, pos)
    if match and match.group(1) not in _STOP | _NOT_NAME_AFTER_ARTICLE | STOP_WORDS:
        return match.end()
    return None


def _names_a_person(text: str, pos: int) -> bool:
    word = _WORD.match(text, pos)
    return word is not None and (word.group().lower() in FIRST_NAMES or word.group().lower() in _ROLES)


def _trimmed(text: str, span: Span) -> Optional[Span]:
    """`span` without leading words that are no part of a name ("Op het Stedelijk Gymnasium"),
    or None when only a generic word is left ("Middelbare school", "Zijn school")."""
    start, end = span
    words = list(_WORD.finditer(text, start, end))
    i = 0
    while i < len(words) - 1 and (words[i].group().lower() in _STOP or words[i].group().lower() in _LINK_WORDS):
        i += 1
    kept = words[i:]
    if kept[0].group().lower() in _GENERIC_SCHOOL_WORDS:
        return None
    if len(kept) == 2 and re.search(r"(?:^|[.!?:]\s*)$", text[max(0, kept[0].start() - 3):kept[0].start()]):
        return None  # "Goede school" at the start of a sentence: one capital says nothing there
    return kept[0].start(), end


# A part of a company at which someone works: "nachtdiensten bij het distributiecentrum van Lidl".
_PART_OF_COMPANY = re.compile(r"(?:de|het)\s+[a-zà-ÿ]+\s+van\s+(?=[A-ZÀ-Ý])")


# Since pii_j: the kind of business before an employer's name ("ik werk bij slachterij Vleesgroep Maasland", "bij
# transportbedrijf Van den Heuvel"); a relative or a role before a name stays a person ("bij tante Els").
_KIND_THEN_COMPANY = re.compile(r"([a-zà-ÿ]{5,})\s+(?=[A-ZÀ-Ý])")


def _company_kind_end(text: str, pos: int) -> Optional[int]:
    kind = _KIND_THEN_COMPANY.match(text, pos)
    if kind and not _PERSON_KINDS.fullmatch(kind.group(1).lower()) and kind.group(1).lower() not in _STOP:
        return kind.end()
    return None


def _workplace_spans(text: str) -> List[Span]:
    spans = []
    for cue in _WORK_CUE.finditer(text):
        window = re.split(r"[.!?]\s", text[cue.end():cue.end() + WORK_WINDOW], maxsplit=1)[0]
        for link in _WORK_LINK.finditer(text, cue.end(), cue.end() + len(window)):
            pos = link.end()
            if (re.match(rf"{_ARTICLE}\s+[A-ZÀ-Ý]", text[pos:pos + 6]) and link.group(1) != "op") or (
                    text[pos:pos + 1].isupper() and link.group(1) != "in"):  # "werk in Den Haag" is a town
                end = _cap_name_end(text, pos)
            elif link.group(1) == "bij" and _PART_OF_COMPANY.match(text, pos):
                pos = _PART_OF_COMPANY.match(text, pos).end()  # "bij het distributiecentrum van Lidl"
                end = _cap_name_end(text, pos)
            elif link.group(1) == "bij" and _company_kind_end(text, pos):
                pos = _company_kind_end(text, pos)  # "bij slachterij Vleesgroep Maasland" (pii_j)
                end = _cap_name_end(text, pos)
            elif (link.group(1) == "bij" and re.match(r"(?:de|het)\s", text[pos:pos + 4])
                  and re.fullmatch(r"\s*", text[cue.end():link.start()]) and cue.group().lower().startswith("werk")):
                end = _lower_workplace_end(text, pos)
            else:
                end = None
            if end is not None:
                spans.append((pos, end))
                break
    return spans


def _lower_workplace_end(text: str, pos: int) -> Optional[int]:
    """ "bij de hema", "bij de albert heijn": up to two words that are no generic workplace."""
    article = re.compile(r"(?:de|het)\s+").match(text, pos)
    end = None
    for count, word in enumerate(_LOWER_WORD.finditer(text, article.end())):
        if count == 2 or word.group() in _STOP or (end and text[end:word.start()] != " "):
            break
        if count == 0 and word.group() in _GENERIC_WORKPLACES | _NOT_NAME_AFTER_ARTICLE:
            return None
        end = word.end()
    return end


# --- towns -----------------------------------------------------------------------
_PLACE_CAP = (r"(?:(?:Den|De|Het|'s-|'t|Sint|St\.)[\s-]?)?[A-ZÀ-Ý][\w'’-]*"
              r"(?:\s+(?:aan|op|bij|in)\s+(?:(?:de|den|het|der|zee)\s+)?[A-ZÀ-Ý][\w'-]*|\s+[A-ZÀ-Ý][\w'’-]*){0,2}")
_PLACE_CAP_RE = re.compile(_PLACE_CAP)
_DISTRICT_WORDS = r"noord|zuid|oost|west|centrum|haven|poort|buiten|stad|dorp|rijn|aan\s+zee|aan\s+den\s+ijssel"
_PLACE_LOWER_RE = re.compile(
    rf"(?:den\s+|'s-)?[a-zà-ÿ][\w'-]*(?:\s+(?:{_DISTRICT_WORDS})\b)?|[a-zà-ÿ]+sche\s+[a-zà-ÿ]+")
_FAMILY = (r"opa|oma|papa|mama|pap|mam|vader|moeder|tante|oom|ome|zus|zusje|broer|broertje|ouders|grootouders"
           r"|pleegouders|schoonouders|vriend|vriendin|familie|zoon|dochter|ex|neef|nicht|buren|pleeggezin|gezin")
# The kinds of person before a name after "bij" (_company_kind_end): "bij tante Els" is no employer.
_PERSON_KINDS = re.compile(rf"{_FAMILY}|{'|'.join(_ROLES)}|buurvrouw|buurman|vriendin|vriend")
# A town follows "in", "te", "uit" or a placeholder; the words before say whether it is where
# the family lives. Candidates come first (most "in" are "in de", "in het"), cues second.
_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|uit|vanuit|oet)\s+(?!(?:de|het|een|mijn|m'n|mn|zijn|z'n|zn|haar|hun|onze|ons|je|jouw|uw|dit|dat|deze|die"
    r"|elkaar|welke|wat|hoe|staat|plaats|principe|orde|zo'n|alle|veel|geval|feite|totaal)\b)(?=[^\W\d_']|'[st][\s-][A-Z])"
    r"|\bte\s+(?=[A-ZÀ-Ý])|(?<=\[postcode\])\s*,?\s*|(?<=\[adres\]),\s*")
_CUE_BEFORE_IN = re.compile(
    r"(?:\b(?:wonen|woon|woont|woonde|woonden|wonend|woonachtig|verblijft|verblijven|logeren|logeert|opgegroeid"
    r"|geboren|gevestigd)(?:\s+[^\s.,!?;:]+){0,3}?"
    rf"|\b(?:bij|naar)\s+(?:ons|mij|hem|haar|hen|jullie|(?:(?:mijn|m'n|mn|zijn|zn|z'n|haar|hun|onze|ons|een|de|het)\s+)?"
    rf"(?:{_FAMILY})(?:\s+en\s+(?:{_FAMILY}))?)(?:\s+thuis)?"
    r"|\b(?:gezin|pleeggezin|familie|ouders|pleegouders|grootouders|opa|oma|moeder|vader|mama|papa|tante|oom|ome"
    r"|broer|zus|ex|vriend|vriendin|zoon|dochter|hier|daar)"
    r"|\b(?:ons|mijn|m'n|mn|hun|zijn|haar|onze)\s+(?:huis|adres|dorp|stad|wijk|flat|woning|buurt|straat)"
    r"|\[(?:school|adres)\]\s*\)?(?:\s+[a-zà-ÿ]*(?:school|ziekenhuis|kliniek|kazerne|opvang|vestiging))?)\s+$", re.I)
# Since the eighth writer (pii_h), gazetteer places only: a relative who lives, stays or works somewhere ("zijn
# moeder zit in Antwerpen", "vader is militair in Havelte"), the family's home ("komt thuis in Veghel"), and a
# person named before the town ("de gastouder, [naam], in Oostburg").
_RELATIVE_BEFORE_IN = re.compile(
    r"\b(?:ouders|opa|oma|moeder|vader|mama|papa|tante|oom|ome|broer|zus|ex|ex-man|ex-vrouw|vriend|vriendin|zoon"
    r"|dochter|man|vrouw|partner|zij|hij)\s+(?:zit|zitten|is|woont|wonen|verblijft|leeft|logeert|werkt|zat|was)"
    r"(?:\s+(?:nu|nog|al|ook|daar|sindsdien|tegenwoordig))?(?:\s+[a-zà-ÿ]+)?\s+$"
    r"|\bthuis\s+$|\[naam\](?:\s+[A-ZÀ-Ý][\w'’-]*)?\s*,?\s+$"
    r"|\b(?:wijk|woonwijk|buurt|dorp|dorpje|boerderij)\s+$", re.I)  # pii_j: "de Molukse wijk in Culemborg"
_CUE_BEFORE_UIT = re.compile(
    r"(?:\[naam\]|\b(?:kom|komt|komen|kwam|kwamen|afkomstig|groeten|groetjes|groet|liefs)|\[(?:school|adres)\]\s*\)?"
    # since pii_i: a greeting that opens the message ("moi uit Urk"), what the writer is after the name ("ik ben
    # [naam], alleenstaande moeder uit goverwelle")
    r"|^\s*(?:hoi|hallo|hey|hee|hai|moi|moin|goedemorgen|goedemiddag|goedenavond|goeiedag|goedendag)[\s,!]*"
    r"|\b(?:ik\s+ben|wij\s+zijn|we\s+zijn)\s+\[naam\]\s*,\s+(?:[a-zà-ÿ]+\s+){0,2}"
    r"(?:moeder|vader|mama|papa|moeders|ouders|oma|opa|pleegmoeder|pleegvader|pleegouders|grootouders))\s+$",
    re.I)
# After "te" only a residence verb, an address word or a school counts ("wonend te Lochem",
# "[school] te Almere-Buiten"), and only a capital: "te" is mostly "te helpen", "te maken".
_CUE_BEFORE_TE = re.compile(
    r"(?:\b(?:wonen|woon|woont|woonde|woonden|wonend|woonachtig|verblijft|geboren|gevestigd)"
    r"|\b(?:huis|adres|dorp|woning)|\[(?:school|adres)\]\s*\)?)\s+$", re.I)
CUE_WINDOW = 60  # characters before "in" searched for a residence cue
# A town after a comma: the end of a signature or of a school ("cbs De Wegwijzer, Zoetermeer").
_COMMA_PLACE = re.compile(rf"\[(?:naam|school)\]\s*,\s*({_PLACE_CAP})(?=\s*(?:[.)!\n]|$))")
_MOVE = re.compile(rf"\b(?:van|uit|vanuit)\s+({_PLACE_CAP})\s+naar\s+({_PLACE_CAP})(?=[\s.,!?]|$)")
# A residence verb after the town: "sinds we in Kerkrade wonen", "die in Gent geboren is".
_CUE_AFTER_PLACE = re.compile(
    r"(?:\s+[^\W\d][\w'-]*){0,2}?\s+(?:wonen|woon|woont|woonde|woonden|gewoond|wonend|geboren|opgegroeid"
    r"|verhuisd|verhuizen|verhuist|verhuisden)\b", re.I)
# A move to a town names where the family lives now, as a verb ("verhuisd naar Tilburg", "naar
# Antwerpen verhuisd") or a noun ("sinds de verhuizing naar Apeldoorn", Flemish "de verhuis").
_MOVE_VERB = r"verhuis|verhuisd|verhuizen|verhuist|verhuisden|verhuizing|verhuisde|getrokken|gaan\s+wonen|gaat\s+wonen"
_MOVED_TO = re.compile(rf"\b(?:{_MOVE_VERB})\s+(?:(?:zijn|is|ben|zijn\s+we|zijn\s+wij)\s+)?"
                       r"(?:(?:pas|net|vorig\s+jaar|onlangs|allemaal|samen)\s+)?naar\s+(?=\S)",
                       re.I)
_TO_THEN_MOVED = re.compile(
    rf"\bnaar\s+({_PLACE_CAP})(?=(?:\s+(?:zijn|zijn\s+we|zijn\s+wij|\w+)){{0,2}}\s+(?:{_MOVE_VERB})\b)")
# A town that narrows a country or region down: "in België (Lanaken)", "in Nederland, in Venlo".
_REFINED = re.compile(rf"\bin\s+([A-ZÀ-Ý][\w-]+)\s*(?:\(\s*|,\s*in\s+)({_PLACE_CAP})(?=\s*[),.!?]|\s|$)")
# Who writes and what they are or do before "in": "ik ben gastouder in Assen", "ik werk als
# kapster in Hoorn"; a town here only when capitalised and in the gazetteer.
_SELF_BEFORE_IN = re.compile(
    r"\b(?:ik\s+ben|ben\s+ik|wij\s+zijn|we\s+zijn|ik\s+werk(?:\s+als)?|werk\s+ik(?:\s+als)?"
    r"|als(?!\s+(?:ik|je|jij|we|wij|ze|zij|hij|het|de|een|u|jullie|er|dat|die|dit|men|zo)\b))"
    r"(?:\s+(?:een|nu|al|sinds|ook|zelf|hier))?(?:\s+[a-zà-ÿ][\w'-]*){1,2}\s+$"
    r"|\b(?:ik\s+ben|wij\s+zijn|we\s+zijn)\s+\[naam\]\s*,(?:\s+[a-zà-ÿ][\w'-]*){1,2}\s+$", re.I)  # ", pleegmoeder in"
# Anyone's work in a town: "mijn vrouw werkt nachten in Goes", "hij werkt al jaren in Venlo" (gazetteer).
# Not a question about how something works there: "werkt dat ook in Antwerpen?", "werken jullie in Gent?".
_WORK_BEFORE_IN = re.compile(
    r"\b(?:werk|werkt|werken|werkte|werkten|werkzaam|stage|stage\s+lopen|loopt\s+stage)"
    r"(?:\s+(?!(?:het|dat|dit|die|zo|er|jullie|u|je|jij|men)\b)[a-zà-ÿ][\w'-]*){0,3}\s+$", re.I)
# A place of the family's daily life named with its town (gazetteer): "aan de schoolpoort in Arendonk",
# "bij het station in Veghel", "in het ziekenhuis van Heerenveen", "een BSO aan huis in Son en Breugel"
# (a home is someone's). Only a particular one (an article or a possessive before it), and never the
# practice: "hebben jullie een praktijk in Gent" stays.
_LOCAL_THEN_TOWN = re.compile(
    r"(?:\b(?:de|het|'t|onze|ons|mijn|m'n|zijn|haar|hun)\s+(?:[a-zà-ÿ]+e\s+)?"
    r"(?:[a-zà-ÿ]*(?:school|schoolpoort|schoolplein|ziekenhuis|station|kerk|moskee|opvang|bso|kdv|crèche|creche"
    r"|speelzaal|sporthal|zwembad|bibliotheek|bieb|speeltuin|markt|dorpshuis|buurthuis|jeugdhuis|sportpark|azc"
    r"|winkelcentrum|portiek|raam|voordeur|huis|boerderij|camping|gevangenis|inrichting|consultatiebureau)|BSO|PI)"
    r"\s+(?:in|te|van)|\baan\s+huis\s+in)\s+(?=[A-ZÀ-Ý'])")
# The town before school or a club: "hij zit in Bedum op school", "ze gaat in Mol naar de opvang".
_SCHOOL_AFTER_PLACE = re.compile(
    r"\s+(?:op|naar)\s+(?:de\s+|het\s+|'t\s+)?(?:school|opvang|bso|kdv|crèche|creche|kinderopvang|peuterspeelzaal"
    r"|voetbal|hockey|korfbal|turnen|zwemles|muziekles|dansles|scouting|chiro)\b|\s+(?:op|naar)\s+\[school\]", re.I)
# The origin of a move (gazetteer): "sinds de verhuizing vanuit Weert", "we zijn verhuisd uit Tiel".
_MOVED_FROM = re.compile(rf"\b(?:{_MOVE_VERB})\s+(?:(?:pas|net|vorig\s+jaar|onlangs|allemaal|samen)\s+)?"
                         r"(?:vanuit|uit|van)\s+(?=[A-ZÀ-Ý'])", re.I)
# A town corrected right after a town: "in Leeuwarden... nee sorry, in Franeker" (gazetteer).
_CORRECTION = re.compile(
    r"[.!?,\s]+(?:nee|sorry|ik\s+bedoel)(?:[\s,.!]+(?:sorry|nee|ik\s+bedoel))?[\s,.!]*(?:in\s+|uit\s+)?(?=[A-ZÀ-Ý'])",
    re.I)
# Since the seventh writer (pii_g, city districts): districts and foreign towns are rarely in the gazetteer,
# so these cues take any capitalised word that is no country, region, month or other known non-place.
# Who someone is to the town (any capital): "een leerling uit Strijp", "[naam] (6) uit Borgerhout",
# "hij hangt met jongens uit Kanaleneiland". Lower case is an ordinary phrase ("kinderen uit gescheiden gezinnen");
# "een gezin uit Mechelen" and "een meisje uit Antwerpen" in a question to the practice (data/nlu.yml) stay.
_PERSON_BEFORE_UIT = re.compile(
    r"(?:\[naam\]\s*(?:\(\s*\d{1,2}\s*\)|van\s+\d{1,2})|\b(?:leerling|leerlinge|leerlingen|jongens|meisjes|meiden|buurjongen|buurmeisje"
    r"|vrienden|vriendinnen|jongeren))\s+$", re.I)
# The origin of someone who came here (any capital): "sinds wij uit Charkiv zijn gekomen", "kwam vorig jaar uit
# Paramaribo", "uit Aleppo gevlucht".
_CAME_BEFORE_UIT = re.compile(
    r"\b(?:kom|komt|komen|kwam|kwamen|gevlucht|vluchtte|vluchtten)(?:\s+[^\s.,!?]+){1,3}?\s+$", re.I)
_CAME_AFTER_PLACE = re.compile(r"(?:\s+(?:zijn|is|ben|zijn\s+we|zijn\s+wij))?\s+(?:gekomen|gevlucht|vandaan)\b", re.I)
# Back to a town (any capital): "hij wil terug naar Lviv", "ze moet terug naar Kaapstad".
_BACK_TO = re.compile(r"\bterug(?:\s+(?:wil|wilde|willen|moet|moeten|moest|moesten|mocht|kon|gaat|gaan|ging|gingen|is"
                      r"|zijn|gegaan|gestuurd))?\s+naar\s+(?=[A-ZÀ-Ý])", re.I)
# A district named with the town before it: "in Eindhoven, Woensel-Noord.", "[plaats] (Moerwijk)", "in Lelystad,
# Tussen de Vaarten." (run after the towns are replaced, so "[plaats]" is there).
_DISTRICT_AFTER_TOWN = re.compile(
    r"\[plaats\]\s*(?:,|\()\s*([A-ZÀ-Ý][\w'’-]*(?:\s+(?:de|den|het|der|van|aan|op)\s+[A-ZÀ-Ý][\w'’-]*|\s+[A-ZÀ-Ý][\w'’-]*){0,2})"
    r"(?=\s*[).,;!?]|\s*,?\s*\[(?:adres|postcode)\]|\s*$)")
# The district or town someone works in (any capital): "Jongerenwerker Carnisse.", "ik ben wijkcoach in Escamp".
_DISTRICT_ROLE = re.compile(
    r"\b(?:[a-zà-ÿ]*jongerenwerker|buurtwerker|opbouwwerker|straatwerker|wijkcoach|wijkagent|buurtcoach|buurtvader"
    r"|buurtmoeder|straatcoach)s?\s+(?:(?:in|uit|van|voor)\s+)?(?=[A-ZÀ-Ý])", re.I)
# A class of a school in a town (gazetteer): "ik ben leerkracht in het vijfde leerjaar in Sint-Agatha-Berchem",
# "groep 7 in Zwolle". Not a kind of class ("ik sta in de tweede kleuterklas in Gent", data/nlu.yml).
_CLASS_BEFORE_IN = re.compile(r"\b(?:leerjaar|groep\s+\d{1,2}|klas\s+\d\w*)\s+(?:in|te)\s+(?=[A-ZÀ-Ý'])", re.I)
# The family's business in a town (any capital): "wij hebben een restaurant in Almere-Haven".
_BUSINESS_IN = re.compile(
    r"\b(?:een|ons|onze|mijn|m'n|zijn|haar|hun)\s+(?:eigen\s+)?(?:restaurant|eethuis|[a-zà-ÿ]*winkel|winkeltje|[a-zà-ÿ]*zaak|toko"
    r"|kapsalon|snackbar|bakkerij|[a-zà-ÿ]*bedrijf|cafetaria|café|pizzeria|nagelstudio)\s+(?:in|te)\s+(?=[A-ZÀ-Ý])",
    re.I)
# A district after "in de" with a cue ("woont bij mij in de Schilderswijk", "[school] in de Bijlmer").
_IN_THE = re.compile(r"\b(in|uit)\s+(?:de|het\s+(?=(?:[A-ZÀ-Ý][\w'-]*\s+)?[A-ZÀ-Ý][\w'-]*(?:wijk|kwartier|buurt)\b))\s*"
                     r"(?=[A-ZÀ-Ý])")
# Since pii_j: a child with its age, then where it is from ("[naam] (10) oet Hoensbroek", "[naam] van 5 uit Assebroek",
# "[naam] (3) van Heule"); gazetteer only.
_CHILD_FROM = re.compile(r"\[naam\]\s*(?:\(\s*\d{1,2}\s*\)|,?\s*van\s+\d{1,2}(?:\s+jaar)?,?)\s+"
                         r"(?:uit|oet|van|vanuit)\s+(?=[^\W\d_])")
# Since pii_i: a district named by its kind, without a cue: "in de Merenwijk", "uit het Ter Kleefkwartier", "naar de
# Indische Buurt".
_DISTRICT_BY_SUFFIX = re.compile(
    r"\b(?:in|uit|naar|van)\s+(?:de|het)\s+((?:[A-ZÀ-Ý][\w'-]*\s+)?(?:[A-ZÀ-Ý][\w'-]*(?:wijk|kwartier|buurt)|Wijk|Buurt"
    r"|Kwartier))\b")
# Since pii_i: the war or flight someone comes from names the town ("de oorlog in Aleppo"; a country stays).
_WAR_IN = re.compile(r"\b(?:oorlog|bombardementen|bombardement|aardbeving|vluchtelingenkamp|kamp)\s+(?:in|van)\s+"
                     r"(?=[A-ZÀ-Ý])", re.I)
# Since pii_i: a home without a preposition ("Wij wonen Voorhof Delft.") and a neighbourhood team's area ("van het
# wijkteam in Lelystad-Zuid").
_LIVE_NO_IN = re.compile(r"\b(?:wonen|woon|woont|woonde|woonden)\s+(?:(?:nu|hier|al|sinds\s+kort)\s+)?(?=[A-ZÀ-Ý])")
_TEAM_IN = re.compile(r"\b(?:wijkteam|buurtteam|gebiedsteam|jeugdteam|sociaal\s+team|dorpsteam)\s+(?:in|te|van)\s+"
                      r"(?=[A-ZÀ-Ý])", re.I)
# Since pii_i: someone left for a town ("sinds hij naar Groningen is.", "naar Leeds vertrokken", gazetteer or any
# capital before the end of the clause).
_TO_THEN_GONE = re.compile(
    rf"\bnaar\s+({_PLACE_CAP})\s+(?:(?:is|zijn)(?:\s+(?:vertrokken|teruggegaan|teruggekeerd|gevlucht))?|vertrokken"
    r"|teruggegaan|teruggekeerd|gevlucht)(?=\s*[.,;!?]|$)")
# A move between two towns of which one is written in lower case ("van Paramaribo naar almere buiten"): the
# lower-case one only from the gazetteer.
_MOVE_ANY = re.compile(r"\b(?:van|uit|vanuit)\s+(?=[^\W\d_])")
# Capitalised words that are no place after these cues.
_NOT_CAPITAL_PLACES = frozenset("""
ramadan kerst kerstvakantie zomervakantie herfstvakantie meivakantie voorjaarsvakantie krokusvakantie vakantie bijbel
koran corona covid engels nederlands frans duits arabisch turks pools excel word teams zoom whatsapp google
""".split())
_PLACEHOLDER_BEFORE_IN = re.compile(r"\[(?:school|adres|postcode)\]\s*\)?\s+$")


# A named area: "in de wijk Hoenderbos", "de Molukse wijk Lunetten", "het dorp Giethoorn", "(gemeente Haaksbergen)";
# any capital that is no country, region or other known non-place ("de Evangelische Gemeente" has no lower-case type).
_NAMED_AREA = re.compile(r"(?<![\w-])(?:wijk|woonwijk|nieuwbouwwijk|buurt|buurtschap|gehucht|kerkdorp|dorp|dorpje"
                         r"|deelgemeente|gemeente|stadsdeel|deelraad|kern|stadswijk|woonkern)\s+(?=[A-ZÀ-Ý])")
# Two places around a home: "wij wonen op een boerderij tussen Garderen en Stroe" (gazetteer, with a residence cue).
_BETWEEN = re.compile(rf"\btussen\s+({_PLACE_CAP})\s+en\s+(?=[A-ZÀ-Ý'])")
# Where someone is from: "mijn man is van Gent", "ze komt oorspronkelijk van Hasselt" (gazetteer).
_ORIGIN_VAN = re.compile(r"\b(?:is|ben|zijn|komt|kom|komen|kwam|kwamen)\s+(?:zelf\s+|oorspronkelijk\s+|eigenlijk\s+"
                         r"|ook\s+|zelf\s+ook\s+)?van\s+(?=[A-ZÀ-Ý'])")
# A town near the one named (run after the towns are replaced, gazetteer): "in [plaats] net buiten Lichtenvoorde",
# "[plaats], net over de grens bij Nijmegen", "[plaats] vlakbij Zwolle", a district in its town "[plaats] in Vught",
# and the town of someone else after a comma ("ik woon in [plaats], zij in Sittard").
_NEAR_TOWN = re.compile(
    r"\[plaats\]\s*,?\s+(?:(?:net|vlak|pal|ergens|dicht)\s+)?(?:buiten|bij|onder|boven|naast|vlakbij|tegen|in"
    r"|over\s+de\s+grens\s+bij|in\s+de\s+buurt\s+van|aan\s+de\s+rand\s+van|onder\s+de\s+rook\s+van"
    r"|in\s+de\s+gemeente)\s+(?=[A-ZÀ-Ý'])"
    r"|\[plaats\]\s*[,;]\s*(?:en\s+)?(?:zij|hij|ze|mijn\s+\w+|zijn\s+\w+|haar\s+\w+|hun\s+\w+|de\s+\w+)\s+in\s+(?=[A-ZÀ-Ý'])",
    re.I)


_PLACE_ADJECTIVES = frozenset("nieuw nieuwe oud oude groot grote klein kleine hoog lage laag hoge".split())


def _known_lower(words: str) -> bool:
    """A place written in lower case counts only when it is in the gazetteer ("deventer", "rotterdam-zuid");
    "bij ons in netwerkpleegzorg" is no town."""
    lower = words.lower()
    return lower in PLACES or lower.split("-")[0] in PLACES or lower.split()[0] in PLACES


def _in_gazetteer(text: str, span: Span) -> bool:
    """A capitalised place of PLACES: "Assen", "Bergen op Zoom", "Tilburg-Noord"."""
    words = text[span[0]:span[1]]
    return words[:1].isupper() and any(
        candidate.lower() in PLACES for candidate in (words, words.split()[0], words.split("-")[0]))


def _is_place(words: str) -> bool:
    parts = words.split()
    i = 1 if len(parts) > 1 and parts[0] in ("De", "Den", "Het", "'t", "den") else 0
    if (len(parts) > i + 1 and parts[i].lower() in _PLACE_ADJECTIVES and parts[i][:1].isupper()
            and parts[i + 1][:1].isupper()):
        i += 1  # since pii_i: "Nieuw Den Helder", "de Grote Waal" ("Nieuw Zeeland" stays: the second is a region)
        i += 1 if len(parts) > i + 1 and parts[i] in ("De", "Den", "Het") else 0
    first = parts[i].lower()
    return (first not in _NOT_PLACES and first not in _STOP and first not in STOP_WORDS and not first.isdigit()
            and not (words.islower() and _STATE_SUFFIX.fullmatch(first)))


def _place_at(text: str, pos: int) -> Optional[Span]:
    if text[pos:pos + 1].isupper() or text.startswith(("'s-", "'t "), pos):
        match = _PLACE_CAP_RE.match(text, pos)
    else:
        match = _PLACE_LOWER_RE.match(text, pos)
    if match and _is_place(match.group()):
        longer = gazetteer_span(text, pos)  # "Son en Breugel", "Nieuw en Sint Joosland"
        return longer if longer and longer[1] > match.end() else match.span()
    return None


_PLACE_TOKEN = re.compile(r"[^\s,.!?;:()\[\]\"“”]+")


def gazetteer_span(text: str, pos: int) -> Optional[Span]:
    """The longest capitalised place of PLACES at `pos`, up to four words: "Son en Breugel", "Best",
    "Tilburg-Noord" (a district of a place). A place that is also a word counts here ("Best"): the
    callers have a cue."""
    if not (text[pos:pos + 1].isupper() or text.startswith(("'s-", "'t "), pos)):
        return None
    tokens = list(islice(_PLACE_TOKEN.finditer(text, pos), 4))
    if not tokens or tokens[0].start() != pos:
        return None
    for count in range(len(tokens), 0, -1):
        last = tokens[count - 1]
        if count > 1 and text[tokens[count - 2].end():last.start()] != " ":
            continue
        if all(text[tokens[i].end():tokens[i + 1].start()] == " " for i in range(count - 1)):
            words = text[pos:last.end()]
            if words.lower() in PLACES or (count == 1 and words.split("-")[0].lower() in PLACES
                                           and words.lower() not in _NOT_PLACES):
                if words.split()[-1].lower() in _STOP and count > 1:
                    continue
                return pos, last.end()
    return None


def _cue_before_in(window: str, capitalised: bool) -> bool:
    """A residence cue before "in"; after a plural ("ouders in") only a capitalised town counts."""
    if window.rstrip().endswith(")"):  # "wonend bij ons (pleeggezin [naam]) in Vaassen"
        window = re.sub(r"\s*\([^()]{0,60}\)\s*$", " ", window)
    cue = _CUE_BEFORE_IN.search(window)
    return cue is not None and (capitalised or cue.group().split()[-1].lower() not in _PLURAL_CUES)


_PLURAL_CUES = frozenset("ouders pleegouders grootouders familie".split())


def place_spans(text: str, hints: AbstractSet[str]) -> List[Span]:
    spans = []
    for preposition in _PLACE_PREPOSITION.finditer(text):
        span = _place_at(text, preposition.end())
        if not span and "[" in text and _PLACEHOLDER_BEFORE_IN.search(
                text, max(0, preposition.start() - 20), preposition.start()):
            span = gazetteer_span(text, preposition.end())  # "[adres] in Best": a word, but the address says town
        if not span or not (text[span[0]].isupper() or text[span[0]] == "'" or _known_lower(text[span[0]:span[1]])):
            continue  # a lower-case word is a town only when the gazetteer has it ("bij ons in de pleegzorg")
        word = preposition.group().strip(" ,").lower()
        window = text[max(0, preposition.start() - CUE_WINDOW):preposition.start()]
        after_address = not word and "," in preposition.group() and window.endswith("[adres]")
        if ((not word and (text[span[0]].isupper() or not after_address))  # "[adres], Lochem", "[postcode] lochem"
                or (word in ("uit", "vanuit", "oet") and _CUE_BEFORE_UIT.search(window))
                or (word == "in" and _cue_before_in(window, text[span[0]].isupper()))
                or (word == "in" and "resident" in hints and _CUE_AFTER_PLACE.match(text, span[1])
                    and (text[span[0]].isupper() or _is_known_lower(text, span)))
                or (word == "in" and hints & {"self", "as"} and _in_gazetteer(text, span)
                    and _SELF_BEFORE_IN.search(text, max(0, preposition.start() - CUE_WINDOW), preposition.start()))
                or (word == "te" and text[span[0]].isupper() and _CUE_BEFORE_TE.search(window))
                or (word == "in" and "work" in hints
                    and (_in_gazetteer(text, span)
                         or (_capital_place(text, span[0]) and _CLAUSE_ENDS.match(text, span[1])))
                    and _WORK_BEFORE_IN.search(text, max(0, preposition.start() - CUE_WINDOW), preposition.start()))
                or (word == "in" and ("local" in hints or "[school]" in text) and _in_gazetteer(text, span)
                    and _SCHOOL_AFTER_PLACE.match(text, span[1]))
                or (word == "in" and _in_gazetteer(text, span) and _RELATIVE_BEFORE_IN.search(
                    text, max(0, preposition.start() - CUE_WINDOW), preposition.start()))):
            spans.append(span)
    if "uit" in text:
        for preposition in re.finditer(r"\b(?:uit|vanuit)\s+(?=[A-ZÀ-Ý])", text):
            span = _capital_place(text, preposition.end())
            window = text[max(0, preposition.start() - CUE_WINDOW):preposition.start()]
            if span and (_PERSON_BEFORE_UIT.search(window) or _CAME_BEFORE_UIT.search(window)
                         or _CAME_AFTER_PLACE.match(text, span[1])):
                spans.append(span)
            elif not span and window.endswith("[naam] "):
                span = gazetteer_span(text, preposition.end())  # "ik ben [naam] uit Best": a word, but a town
                spans += [span] if span else []
    if "[naam]" in text:
        # since pii_j: a child with its age, then where it is from in dialect or lower case, or with "van" (gazetteer):
        # "[naam] (10) oet Hoensbroek", "[naam] (8) uit erembodegem", "Ons [naam] (3) van Heule"
        for match in _CHILD_FROM.finditer(text):
            span = _place_at(text, match.end())
            if span and _is_known_lower(text, span) and text[span[1]:span[1] + 1] not in ("-", "'"):
                spans.append(span)
    if " de " in text:
        for match in _IN_THE.finditer(text):
            span = _capital_place(text, match.end())
            window = text[max(0, match.start() - CUE_WINDOW):match.start()]
            home = window.lower().endswith("thuis ")  # "Thuis in de Grote Waal" (pii_i)
            if span and ((match.group(1) == "in" and (_cue_before_in(window, True) or home))
                         or (match.group(1) == "uit" and _CUE_BEFORE_UIT.search(window))):
                spans.append(span)
        if "resident" in hints:  # since pii_j: a district of the gazetteer in lower case ("wonen in de tarwewijk")
            for match in re.finditer(r"\bin\s+de\s+(?=[a-zà-ÿ])", text):
                span = _place_at(text, match.end())
                window = text[max(0, match.start() - CUE_WINDOW):match.start()]
                if span and _is_known_lower(text, span) and _cue_before_in(window, False):
                    spans.append(span)
    if "district" in hints:
        for pattern in (_BACK_TO, _DISTRICT_ROLE, _BUSINESS_IN):
            spans += [span for span in (_capital_place(text, m.end()) for m in pattern.finditer(text)) if span]
        spans += [span for span in (gazetteer_span(text, m.end()) for m in _CLASS_BEFORE_IN.finditer(text)) if span]
    if "[" in text:
        spans += [m.span(1) for m in _COMMA_PLACE.finditer(text) if _is_place(m.group(1))]
    if "move" in hints:
        for match in _MOVE.finditer(text):
            if _is_place(match.group(1)) and _is_place(match.group(2)):
                spans += [match.span(1), match.span(2)]
        if "resident" in hints:
            for match in _MOVE_ANY.finditer(text):
                first = _place_at(text, match.end())
                to = first and re.compile(r"\s+naar\s+").match(text, first[1])
                second = to and _place_at(text, to.end())
                if second and all(text[a].isupper() or _is_known_lower(text, (a, b)) for a, b in (first, second)):
                    spans += [first, second]
        spans += [m.span(1) for m in _TO_THEN_GONE.finditer(text) if _is_place(m.group(1))
                  and m.group(1).split()[0].lower() not in _NOT_CAPITAL_PLACES]
        if "resident" in hints:
            for match in _MOVED_TO.finditer(text):
                span = _place_at(text, match.end())
                if span and (text[span[0]].isupper() or _is_known_lower(text, span)):
                    spans.append(span)
            spans += [m.span(1) for m in _TO_THEN_MOVED.finditer(text) if _is_place(m.group(1))]
    if "local" in hints:  # a district too since the seventh writer ("bij het winkelcentrum in Hillesluis")
        spans += [span for span in (gazetteer_span(text, m.end()) or _capital_place(text, m.end())
                                    for m in _LOCAL_THEN_TOWN.finditer(text)) if span]
    if "move" in hints or "resident" in hints:
        spans += [span for span in (gazetteer_span(text, m.end()) for m in _MOVED_FROM.finditer(text)) if span]
    if "correction" in hints and spans:
        ends = {end for _, end in spans}
        for match in _CORRECTION.finditer(text):
            span = gazetteer_span(text, match.end())
            if span and any(0 <= match.start() - end <= 3 for end in ends):
                spans.append(span)
    lower = text.lower()
    if "wijk" in lower or "buurt" in lower or "kwartier" in lower:
        spans += [m.span(1) for m in _DISTRICT_BY_SUFFIX.finditer(text) if _is_place(m.group(1).split()[-1])]
    if "oorlog" in lower or "bombard" in lower or "kamp" in lower or "aardbeving" in lower:
        spans += [span for span in (_capital_place(text, m.end()) for m in _WAR_IN.finditer(text)) if span]
    if "resident" in hints:
        spans += [span for span in (_capital_place(text, m.end()) for m in _LIVE_NO_IN.finditer(text)) if span]
    if "[adres]" in text:  # since pii_i: a town right before the address is the family's ("in Zaandam, [adres]")
        spans += [span for span in (_capital_place(text, m.end()) for m in re.finditer(r"\bin\s+(?=[A-ZÀ-Ý])", text))
                  if span and re.match(r"\s*,?\s*\[adres\]", text[span[1]:])]
    if "team" in lower:
        spans += [span for span in (_capital_place(text, m.end()) for m in _TEAM_IN.finditer(text)) if span]
    if "area" in hints:
        spans += [span for span in (_capital_place(text, m.end()) for m in _NAMED_AREA.finditer(text)) if span]
    if "resident" in hints and "tussen" in text:
        for match in _BETWEEN.finditer(text):
            first, second = gazetteer_span(text, match.start(1)), gazetteer_span(text, match.end())
            if first and second:
                spans += [first, second]
    if " van " in text:
        spans += [span for span in (gazetteer_span(text, m.end()) for m in _ORIGIN_VAN.finditer(text)) if span]
    if "(" in text or ", in " in text:
        for match in _REFINED.finditer(text):
            if match.group(1).lower() in _NOT_PLACES and _in_gazetteer(text, match.span(2)):
                spans.append(match.span(2))
    return spans


# A capital that ends a clause: "werken allebei in Shanghai." (a town not in the gazetteer; in "ik werk in
# Excel met tabellen" the clause goes on).
_CLAUSE_ENDS = re.compile(r"\s*(?:[.,;!?]|$)")


def _capital_place(text: str, pos: int) -> Optional[Span]:
    """A capitalised place at `pos` that need not be in the gazetteer ("Charkiv", "Kanaleneiland")."""
    if not text[pos:pos + 1].isupper():
        return None
    span = _place_at(text, pos)
    if span and text[span[0]:span[1]].split()[0].split("-")[0].lower() not in _NOT_CAPITAL_PLACES:
        return span
    return None


def district_spans(text: str) -> List[Span]:
    """Run after the towns are replaced: a district named after its town ("[plaats], Woensel-Noord")."""
    spans: List[Span] = []
    if ", " in text:  # since pii_j: the town near a home ("wonen in Zeeland, vlakbij Uden"; a region itself stays)
        for match in _HOME_NEAR.finditer(text):
            near = gazetteer_span(text, match.end())
            if near:
                spans.append(near)
                spans += [match.span(1)] if _is_place(match.group(1)) and _in_gazetteer(text, match.span(1)) else []
    if "[plaats]" not in text:
        return spans
    spans += [m.span(1) for m in _DISTRICT_AFTER_TOWN.finditer(text)
             if _is_place(m.group(1)) and m.group(1).split()[0].lower() not in _NOT_CAPITAL_PLACES]
    spans += [span for span in (gazetteer_span(text, m.end()) for m in _NEAR_TOWN.finditer(text)) if span]
    # since pii_j: a district of the gazetteer right after its town, in any case ("in [plaats] castellum en")
    for match in _TOWN_THEN_DISTRICT.finditer(text):
        if match.group(1).lower() in PLACES and match.group(1).lower() not in STOP_WORDS | _STOP:
            spans.append(match.span(1))
    return spans


_TOWN_THEN_DISTRICT = re.compile(r"\[plaats\]\s+([a-zà-ÿA-ZÀ-Ý][\w'-]{4,})(?=\s*[.,;!?)]|\s+en\b|\s*$)")
_HOME_NEAR = re.compile(r"\b(?:wonen|woon|woont|woonde|woonden)\s+(?:\w+\s+){0,2}?in\s+([A-ZÀ-Ý][\w'-]+)\s*,\s*"
                        r"(?:(?:net|vlak|pal|dicht)\s+)?(?:bij|vlakbij|naast|onder|boven|tegen)\s+(?=[A-ZÀ-Ý])")


def _is_known_lower(text: str, span: Span) -> bool:
    """A town in lower case after a move is one of PLACES: "verhuisd naar assen", not "naar huis"."""
    return text[span[0]:span[1]].lower() in PLACES
