"""Names in a chat message: the spans `tracker_store.redact` replaces by "[naam]".

Pure functions, no Rasa imports. A word is a name after a cue ("mijn zoon Daan",
"ik heet Noor", "groetjes, Sanne", "Lisa (6)", "mama Kimberley"), in a signature,
next to another name, or anywhere when it is in first_names.txt (about 3,000 first
names of the origins families here have). Words of name_words.txt that are also
everyday words (roos, storm, peter) need a cue, a capital inside a sentence or a
name beside them; "ben", "wil" and "elke", also function words, a capital inside a
sentence or "ik ben wil,". Also: initials before a surname ("J.W. Brouwer"), a name alone
as the last sentence (". Annick Declercq"), a name-word with a surname ("Mees de Graaf"),
hyphenated first names ("chanel-lee") and a word named before in the same message. The
measurements are in tracker_store/redact.py's docstring.
"""
import re
from itertools import islice
from pathlib import Path
from typing import List, Tuple

Span = Tuple[int, int]
LOOK_BACK = 60  # characters searched before a position: keeps every look-back O(1)


def word_list(file_name: str) -> frozenset:
    """Lower-case words of a data file next to this module, one a line, '#' lines skipped."""
    lines = (Path(__file__).parent / file_name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


# About 3,000 first names of the origins families here have (see the file's header).
FIRST_NAMES = word_list("first_names.txt")
# Names that are also everyday words (roos, storm, peter): never a name on their own in lower case.
NAME_WORDS = word_list("name_words.txt")

STOP_WORDS = set("""
ik jij je hij zij ze wij we jullie u het de een en of maar want dus is was zijn heeft had hebben heb ben wil
wilde kan kon zal zou moet mag gaat ging doet deed zit zat loopt liep komt kwam wordt werd blijft
niet geen nooit altijd soms vaak ook nog al nu toen dan daar hier zo erg heel echt best wel die dat
dit deze van voor met op in aan bij uit naar over om tot na sinds door zonder tegen als omdat hoe wat
wie waar waarom wanneer welke eigenlijk gewoon bang boos verdrietig moe blij bezorgd ongerust benieuwd
moeder vader mama papa mam pap ouder ouders leerkracht juf meester alleenstaand alleenstaande
pleegouder pleegouders pleegmoeder pleegvader nieuw nieuwe net even steeds elke iedere ieder alles niets iets
veel weinig meer minder jaar jaren maanden weken dagen groep klas school thuis sorry hoi hallo dag
doei bedankt dank groetjes ja nee oke ok hem haar hun mijn ons onze jouw uw mezelf zelf allebei
beide samen nederlands nederlandse marokkaans marokkaanse turks turkse surinaams surinaamse pools
poolse syrisch syrische belgisch belgische duits duitse engels engelse autistisch hoogbegaafd
god allah zoon dochter kind kinderen baby vriend vriendin man vrouw partner broer zus oma opa
heet heten noemen genaamd naam hechting hechtingsproblemen hechtingsstoornis adhd autisme
dyslexie trauma erg super zeer enorm extra vanaf waarvan waarbij terwijl ondanks sindsdien
sowieso inmiddels ondertussen toch helaas gelukkig misschien ongeveer bijna pas ineens opeens
plotseling vandaag gisteren morgen vanavond vanochtend vannacht week maand
lieve koos frans franse antilliaans antilliaanse arubaans arubaanse curaçaos curaçaose vlaams vlaamse
arabisch arabische spaans spaanse italiaans italiaanse portugees portugese papiaments eritrees eritrese
somalisch somalische afghaans afghaanse koerdisch koerdische hindoestaans hindoestaanse creools creoolse
javaans javaanse moluks molukse chinees chinese ghanees ghanese roemeens roemeense oekraïens oekraïense
russisch russische iraans iraanse irakees irakese christen christelijk moslim islamitisch joods joodse
hindoe katholiek katholieke nederlander belg marokkaan turk surinamer antilliaan
beste hey hee hai goedemorgen goedemiddag goedenavond goeiedag dankjewel dankuwel kusjes
fam familie gezin kids jongens meiden meisjes allemaal
""".split())
_TUSSENVOEGSELS = {"van", "von", "de", "der", "den", "te", "ter", "ten", "het", "'t", "la", "le", "du",
                   "da", "di", "el", "al", "in", "op"}
# Unambiguous names count wherever they stand, in any case: "kacper wil niet slapen".
_STANDALONE_NAMES = FIRST_NAMES - NAME_WORDS - STOP_WORDS
# Names that are also function words ("ik ben", "ik wil", "elke dag"): only with a capital
# inside a sentence ("mijn zoon Ben", "de kleine Wil"), before an age ("ben (9)") or right
# after a cue and before a comma or "en" ("ik ben wil, de opa"). "Frans" is a language.
_STOP_WORD_NAMES = (FIRST_NAMES & STOP_WORDS) - {"frans"}
_ORDINARY_WORDS = NAME_WORDS | STOP_WORDS
# Words before a name in a list that say who it is: "Jurgen, Shurandy en oma Yolanda".
_NAME_LEAD = (r"kleine|grote|lieve|baby|oma|opa|mama|papa|mam|pap|tante|oom|ome|juf|meester"
              r"|broer(?:tje)?|zus(?:je)?|neef(?:je)?|nicht(?:je)?")
# Characters, shops and idioms that contain a first name but name no one.
_NOT_A_PERSON = re.compile(
    r"\b(?:albert\s+heijn|zwarte\s+piet(?:en)?|sint[\s-]+(?:nicolaas|maarten)|klaas\s+vaak|jip\s+en\s+janneke"
    r"|jan\s+(?:en\s+alleman|modaal|met\s+de\s+pet)|jantje\s+lacht|pietje\s+precies"
    r"|profeet\s+(?:mohammed|mohamed|muhammad)|harry\s+potter|bob\s+de\s+bouwer|thomas\s+de\s+(?:trein|stoomlocomotief)"
    r"|fien\s+(?:en|&)\s+teun|samson\s+(?:en|&)\s+gert|woezel\s+(?:en|&)\s+pip|dikkie\s+dik|(?:anna|elsa)\s+(?:en|&)\s+(?:anna|elsa)|mamm?a\s+mia)\b",
    re.I)
WORD = re.compile(r"[^\W\d_][\w'’-]*")
# In a name also "'t" ("Aaltje van 't Hul"), which WORD reads as "t" after an apostrophe.
_NAME_WORD = re.compile(r"['’]t(?![\w'’])|[^\W\d_][\w'’-]*")

_RELATIONS = (r"zoon(?:tje)?|dochter(?:tje)?|kind(?:je)?|pleeg(?:zoon|dochter|kind)|stief(?:zoon|dochter|kind)"
              r"|adoptie(?:zoon|dochter|kind)|broer(?:tje)?|zus(?:je)?|man|vrouw|partner|vriend(?:in)?|ex(?:-man|-vrouw|-partner)?"
              r"|moeder|vader|oma|opa|neef(?:je)?|nicht(?:je)?|klein(?:zoon|dochter)|leerling(?:e)?|baby|tweeling(?:broer|zus)?"
              r"|jongste|oudste|middelste|peuter|kleuter|puber|kleine|meid|meisje|jongen|jongetje|buurjongen|buurmeisje"
              r"|dochters|zonen|zoons|kleindochters|kleinzonen|kleinkinderen|pleegkinderen|jongens|meiden|meisjes"
              r"|papa|mama")
_POSSESSIVE = r"(?:mijn|m'n|mn|onze|ons|zijn|z'n|haar|hun|jouw|je)"
_ROLE_OF = (r"moeder|vader|mama|papa|mam|pap|oma|opa|juf|meester|mentor|leerkracht|voogd|pleeg(?:moeder|vader|ouder)s?"
            r"|groot(?:moeder|vader|ouders?)|netwerkpleeg(?:moeder|vader|ouder)s?"
            r"|stief(?:moeder|vader)|ouders?|tante|oom|docent|begeleider|coach|trainer")
_ROLE_BEFORE = r"papa|mama|pap|mam|oma|opa|tante|oom|ome|fam\.?|familie|(?:pleeg)?gezin(?:netje)?|gezinshuis"
_ROLE_IN_BRACKETS = (r"vader|moeder|mama|papa|mam|pap|oma|opa|ouders?|pleeg\w*|stief\w*|plus\w*|zoon|dochter"
                     r"|broer|zus|juf|meester|mentor")
_SIGN_OFFS = (r"(?:vele\s+|veel\s+|lieve\s+)?(?:groetjes|groeten|groet|liefs)|gr\.?|grtz|grtjs|mvg|m\.v\.g\.?"
              r"|(?:met\s+)?(?:vriendelijke|hartelijke|lieve)\s+groet(?:en)?|xx+|tot\s+(?:horens|ziens|snel)")
_CLOSINGS = rf"{_SIGN_OFFS}|alvast\s+bedankt|bedankt|dank\s*je\s*wel|dankjewel|dank\s+u\s+wel|doei"

# Cue regexes; the name follows where the match ends. Strength: 2 accepts any
# word (also in lower case), 1 capitalised words and known names, 0 capitalised
# words and names that are not also everyday words, -1 known names only.
STRONG, WEAK, LIGHT, KNOWN = 2, 1, 0, -1
# Each cue comes with words of which one must be in the message (lower case) before
# its regex runs at all: most messages have no cue, and that halves the time.
_SIGN_OFF_HINTS = ("gr", "liefs", "mvg", "m.v.g", "xx", "tot ")
_NAME_CUES = [
    (re.compile(rf"\b{_POSSESSIVE}\s+(?:[a-zà-ÿ]+\s+){{0,2}}(?:{_RELATIONS})(?:\s+van\s+\d{{1,2}}(?:\s+jaar)?)?,?\s+(?:is\s+)?\(?", re.I),
     WEAK, ()),
    (re.compile(rf"\b(?:{_ROLE_OF})\s+van\s+", re.I), WEAK, ("van",)),
    (re.compile(r"\b(?:ik\s+ben|ben\s+ik|ich\s+bin)\s+", re.I), WEAK, ("ben", "bin")),  # "ich bin": Limburgs
    # A child named between commas after "een": "ik heb een dochter, Lente, van 3".
    (re.compile(rf"\been\s+(?:[a-zà-ÿ]+\s+)?(?:{_RELATIONS})(?:\s+van\s+\d{{1,2}}(?:[,.]5)?\s*(?:jaar|jr\.?|maanden|mnd|weken)?"
                r"|\s+uit\s+[A-ZÀ-Ý][\w'-]*)?"
                r",\s+(?=[^\W\d_][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)?\s*[,(])", re.I), WEAK, ("een",)),
    (re.compile(r"\b(?:juf(?:frouw)?|meester|meneer|mevrouw|mevr\.?|dhr\.?|mw\.?|dokter|dr\.?|mentor|coach)\s+", re.I), WEAK,
     ("juf", "meester", "meneer", "mevr", "dhr", "mw", "dokter", "dr", "mentor", "coach")),
    # Who someone is to the family, before the name: clergy, trainers and leaders, colleagues and
    # neighbours ("dominee Van der Maas", "Trainer Dijkstra", "mijn collega Hilda", "buurvrouw Ank").
    (re.compile(r"\b(?:dominee|ds\.|pastoor|pastor|kapelaan|pater|imam|rabbijn|trainer|trainster|leider|leidster"
                r"|collega|buurvrouw|buurman|buurmeisje|buurjongen|schoon(?:zus|broer|moeder|vader|zoon|dochter)"
                r"|nonkel|tante|peetoom|peettante|meter|peter|pake|beppe|heit|mem)\s+", re.I), LIGHT,
     ("dominee", "ds.", "pastoor", "pastor", "kapelaan", "pater", "imam", "rabbijn", "trainer", "trainster", "leider",
      "leidster", "collega", "buur", "schoon", "nonkel", "tante", "peet", "meter", "peter", "pake", "beppe", "heit",
      "mem ")),
    (re.compile(rf"\b(?:{_ROLE_BEFORE})\s+", re.I), WEAK, ("pa", "ma", "opa", "tante", "oo", "ome", "fam", "gezin")),
    (re.compile(r"\b(?:ik|wij|we)\s*\(\s*(?=[^\W\d_][\w'’ ,-]{0,40}\))", re.I), WEAK, ("(",)),
    (re.compile(r"\bons\s+", re.I), LIGHT, ("ons",)),  # Flemish "ons Jenthe"
    (re.compile(rf"\b(?:{_POSSESSIVE})\s+(?:voor|achter|roep)?naam\s*(?:is|=|:)\s*", re.I), STRONG, ("naam",)),
    # Without "is" or ":" the word after "naam" may be a verb ("ik wil mijn naam niet geven"): a capital
    # or a known name only. "Achternaam Van Gils, voornaam Thijs".
    (re.compile(rf"\b(?:(?:{_POSSESSIVE})\s+(?:voor|achter|roep)?naam|(?:voor|achter|roep|familie|meisjes)naam)\s+", re.I),
     WEAK, ("naam",)),
    # A nickname: "Onze kleinste noemen we Muis", "noemt iedereen hem Jantje", "die zich TurboTonnie noemt".
    (re.compile(r"\b(?:noemen|noemt|noemde|noemden)\s+(?:we|wij|ze|zij|iedereen|ze\s+allemaal)\s+(?:(?:hem|haar|hen)\s+)?"
                r"(?:(?:ook|altijd|gewoon|thuis|nog\s+steeds)\s+)?", re.I), WEAK, ("noem",)),
    (re.compile(r"\bzich(?:zelf)?\s+(?=[^\W\d_][\w'’.-]*\s+(?:noemt|noemde|noemen|noemden)\b)", re.I), WEAK, ("noem",)),
    # since pii_j: the subject first ("wij noemen haar Joy", "ze noemen hem thuis Bram")
    (re.compile(r"\b(?:we|wij|ze|zij|iedereen)\s+(?:noemen|noemt|noemde|noemden)\s+(?:hem|haar)\s+(?:(?:ook|altijd|gewoon"
                r"|thuis)\s+)?", re.I), WEAK, ("noem",)),
    (re.compile(rf"\b(?:ik|hij|zij|ze|jij|je|wij|we|{_RELATIONS})\s+(?:heet|heten|noemen\s+we)\s+", re.I), STRONG,
     ("heet", "heten", "noemen")),
    (re.compile(r"\bgenaamd\s+", re.I), STRONG, ("genaamd",)),
    # Since pii_i: "ze is 4, heet fleur": the subject stands before the comma; "heet" is also "hot" (", heet water"),
    # so only a name of the list.
    (re.compile(r",\s*(?:heet|heten)\s+", re.I), KNOWN, ("heet", "heten")),
    # "en heet Jurensley", "die heet Precious": "heet" is also "hot" ("en heet water"), so only a capital.
    (re.compile(r"\b(?:en|die|dat)\s+(?:heet|heten)\s+(?=[A-ZÀ-Ý])"), WEAK, ("heet", "heten")),
    (re.compile(r"\b(?:heet|heten)\s+(?:hij|ze|zij|ik|je|jij|hem|haar|daar|hier)\s+(?:echt\s+|eigenlijk\s+)?", re.I),
     STRONG, ("heet", "heten")),
    (re.compile(r"\bnaam(?:\s+(?:van\s+)?(?:het\s+)?(?:kind|moeder|vader|ouder|pleegkind|zoon|dochter))?\s*:\s*", re.I),
     STRONG, ("naam",)),
    (re.compile(r"(?<![\w.])(?:dr|dhr|mevr|mw|drs|ir|mr)\.\s*", re.I), STRONG, ("dr.", "dhr.", "mevr.", "mw.", "mr.")),
    (re.compile(rf"(?:^|[\s,.!])(?:{_CLOSINGS})(?![\w])\s*[,!.:\n-]*\s*(?:van\s+)?", re.I), WEAK,
     _SIGN_OFF_HINTS + ("dank", "doei")),
]
_SIGNATURE = re.compile(
    rf"(?:^|[\s,.!])(?:{_SIGN_OFFS})(?![\w])(?:\s+(?:van|uit)\s+(?:ons\s+allemaal|ons|mij|[A-ZÀ-Ý][\w'-]+))?\s*(?:,|\n|!|-|:)\s*",
    re.I)
_SIGNATURE_REST = re.compile(r"[\w\s'’.,&()+/-]*[.!]?\s*")
_SIGNATURE_PART = re.compile(r"[^,&+()/\n]+")
_JOIN = re.compile(rf"\s*(?:,|\ben\b|&|\+)\s*(?:(?:{_NAME_LEAD})\s+)?", re.I)
_JOIN_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)(?:[ \t]*[,&+][ \t]*|[ \t]+en[ \t]+)$", re.I)
_NAME_BEFORE_AGE = re.compile(
    r"(?<![\w])([^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)?)\s*\(\s*(?:bijna\s+|ruim\s+|net\s+)?\d{1,2}(?:[,.]5)?\s*(?:jaar|jr\.?|mnd|maanden)?\s*\)")
_NAME_BEFORE_ROLE = re.compile(rf"(?<![\w])([^\W\d_][\w'’-]*)\s*\(\s*(?:{_ROLE_IN_BRACKETS})\s*\)", re.I)
# A nickname explained after it: "Jantje (zo noemt iedereen hem", "Muis, zo noemen we haar".
_NICKNAME_BEFORE = re.compile(
    r"(?<![\w])([A-ZÀ-Ý][\w'’-]*)\s*[(,]\s*zo\s+(?:noemt|noemen|noemde|noemden)\s+(?:iedereen|we|wij|ze|zij)\s+(?:hem|haar)\b")
_FROM_BEFORE = re.compile(r"\b(?:uit|in)\s+$", re.I)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(]|\s-)\s*$")
_ARTICLE_BEFORE = re.compile(r"\b(?:de|het|een|'t|die|dat|deze|dit)\s+$", re.I)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and word[1:2].islower()


def _looks_like_name(word: str, strength: int) -> bool:
    lower = word.lower()
    if lower in STOP_WORDS:
        return False
    if _hyphenated_name(lower):
        return True
    if strength == KNOWN:
        return lower in FIRST_NAMES
    if strength == STRONG or _is_capitalised(word):
        return True
    return lower in (FIRST_NAMES if strength == WEAK else _STANDALONE_NAMES)


def _stop_word_name(text: str, word: re.Match, strength: int) -> bool:
    """ "Ben" after a cue, or "wil" after a cue and before a comma, "en" or the end: "ik ben wil, de opa"."""
    lower = word.group().lower()
    if lower not in _STOP_WORD_NAMES or strength < LIGHT:
        return False
    if _is_capitalised(word.group()):
        return True
    if strength >= WEAK and _AGE_AFTER_CUE.match(text, word.end()):
        return True  # since pii_i: "mn dochtertje lieve is 2", "mijn zoon ben (6)"
    return (re.match(r"\s*(?:[,.!?)]|$|en\b)", text[word.end():]) is not None
            and _SELF_NAMING_BEFORE.search(text, max(0, word.start() - 20), word.start()) is not None)


# An age right after a word that follows a cue makes it the name: "lieve is 2", "ben (6)".
_AGE_AFTER_CUE = re.compile(r"\s*\(\s*\d{1,2}\s*\)|\s+is\s+(?:nu\s+|net\s+|bijna\s+|pas\s+)?\d{1,2}(?:[,.]5)?(?:\s+jaar)?\b")
# Cues after which even a function word is the name: "ik ben wil, de opa", "hij heet ben".
_SELF_NAMING_BEFORE = re.compile(r"\b(?:ik\s+ben|ben\s+ik|heet|heten|naam\s*(?:is|:))\s+$", re.I)


def _spaces_only(text: str, a: int, b: int) -> bool:
    return a < b and text[a:b].strip(" ") == ""


def _name_at(text: str, pos: int, strength: int) -> List[Span]:
    """Spans of the name(s) right after a cue at `pos`: "Jan de Vries", "Daan en Lisa"."""
    words = list(islice(_NAME_WORD.finditer(text, pos), 12))
    if not words or text[pos:words[0].start()].strip(" ("):
        return []
    i = 0
    # A capitalised tussenvoegsel may open a surname: "mevrouw De Vries", "fam. Van den Berg".
    if words[0].group().lower() in _TUSSENVOEGSELS and _is_capitalised(words[0].group()):
        j = 1
        while j < len(words) and words[j].group().lower() in _TUSSENVOEGSELS and words[j].group().islower():
            j += 1
        if j < len(words) and _is_capitalised(words[j].group()) and words[j].group().lower() not in STOP_WORDS:
            i = j
    if not (_looks_like_name(words[i].group(), strength) or _stop_word_name(text, words[i], strength)):
        return []
    start, end = words[0].start(), words[i].end()
    lower_case_name = words[i].group().islower()
    i += 1
    # Surname parts: tussenvoegsels, then a capitalised word (any word after a strong cue).
    for _ in range(3):
        j, last = i, end
        while j < len(words) and words[j].group().lower() in _TUSSENVOEGSELS and _spaces_only(text, last, words[j].start()):
            last, j = words[j].end(), j + 1
        if j >= len(words) or not _spaces_only(text, last, words[j].start()):
            break
        word = words[j].group()
        if word.lower() in STOP_WORDS or not (_is_capitalised(word) or (strength == STRONG and lower_case_name)):
            break
        end, i = words[j].end(), j + 1
    spans = [(start, end)]
    # Another name joined by "en", "&" or a comma: "Daan en Lisa", "Sharona, Ravi en kleine Anjali".
    joined = _JOIN.match(text, end)
    if joined:
        following = WORD.match(text, joined.end())
        if following and _looks_like_name(following.group(), WEAK):
            spans.extend(_name_at(text, joined.end(), WEAK))
    return spans


def _joined_before(text: str, start: int) -> List[Span]:
    """Names listed before a name: "Rob en Annemarie", "Noud en Fenne".

    Before a comma only a known name counts: "Kijk, Yousra...", "vanuit Tilburg,
    Anneloes" and "Gr, Dewi" were taken for names when any capital counted.
    """
    spans = []
    while True:
        match = _JOIN_BEFORE.search(text, max(0, start - LOOK_BACK), start)
        if (not match or _NOT_A_PERSON.match(text, match.start(1))
                or not _looks_like_name(match.group(1), WEAK if re.search(r"[&+]|\ben\b", match.group(), re.I) else KNOWN)):
            return spans
        spans.append(match.span(1))
        start = match.start(1)


def _signature_spans(text: str) -> List[Span]:
    """After "groetjes," (comma or new line) a short rest of the message is a signature:
    "Liefs, Khadija, Rachid en de kinderen", "Fam. Öztürk (Emine, Murat en Kaan)"."""
    spans: List[Span] = []
    for match in _SIGNATURE.finditer(text):
        rest = text[match.end():]
        if len(rest) > 80 or len(WORD.findall(rest)) > 10 or not _SIGNATURE_REST.fullmatch(rest):
            continue
        for part in _SIGNATURE_PART.finditer(text, match.end()):
            for word in WORD.finditer(text, part.start(), part.end()):
                lower = word.group().lower().rstrip(".")
                if lower in STOP_WORDS or re.fullmatch(_NAME_LEAD, lower):
                    continue
                spans.extend(_name_at(text, word.start(), WEAK))
                break
    return spans


def _is_mid_sentence(text: str, start: int) -> bool:
    return not _SENTENCE_START.search(text, max(0, start - 20), start)


def mostly_capitalised(text: str) -> bool:
    """Title Case Or CAPS messages: a capital letter says nothing about a name there."""
    words = WORD.findall(text)
    return len(words) >= 4 and sum(1 for w in words if w[:1].isupper()) > 0.6 * len(words)


def _capital_name_word(text: str, match: re.Match) -> bool:
    """A name that is also a word, written with a capital inside a sentence ("met Roos"; not
    "'k Ben", "ik Wil": after a pronoun it is the verb), or anywhere before an age: "Storm
    is vijf", "Hoop is 3 jaar" (not "Storm is voorbij", "Hoop is er altijd")."""
    return (_is_capitalised(match.group())
            and (_is_mid_sentence(text, match.start()) or _AGE_AFTER.match(text, match.end()) is not None)
            and not _ARTICLE_BEFORE.search(text, max(0, match.start() - 20), match.start())
            and not (match.group().lower() in _STOP_WORD_NAMES
                     and _PRONOUN_BEFORE.search(text, max(0, match.start() - 8), match.start()))
            and not mostly_capitalised(text))


_AGE_WORDS = "één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien"
_AGE_AFTER = re.compile(
    rf"\s+(?:is|wordt|werd)\s+(?:nu\s+|net\s+|bijna\s+|pas\s+|al\s+)?(?:\d{{1,2}}|{_AGE_WORDS})"
    r"(?:\s+jaar\b|\s+maanden\b|(?=\s*(?:[,.!?;]|en\b|$)))", re.I)
_PRONOUN_BEFORE = re.compile(r"(?:\b(?:ik|je|jij|ze|zij|hij|we|wij|u|jullie)|'k|\bk)\s+$", re.I)


# The hint words of each cue as one regex: a search is faster than a loop over the words.
_CUES_WITH_HINTS = [(cue, strength, re.compile("|".join(map(re.escape, hints))) if hints else None)
                    for cue, strength, hints in _NAME_CUES]
_SIGN_OFF_HINT = re.compile("|".join(map(re.escape, _SIGN_OFF_HINTS)))


def name_spans(text: str) -> List[Span]:
    lower_text = text.lower()
    spans: List[Span] = []
    for cue, strength, hints in _CUES_WITH_HINTS:
        if hints is None or hints.search(lower_text):
            for match in cue.finditer(text):
                spans.extend(_name_at(text, match.end(), strength))
    if _SIGN_OFF_HINT.search(lower_text):
        spans.extend(_signature_spans(text))
    if "zo noem" in lower_text:
        spans += [match.span(1) for match in _NICKNAME_BEFORE.finditer(text) if match.group(1).lower() not in STOP_WORDS]
    if "(" in text:
        for pattern in (_NAME_BEFORE_AGE, _NAME_BEFORE_ROLE):
            for match in pattern.finditer(text):
                if _FROM_BEFORE.search(text, max(0, match.start(1) - 5), match.start(1)):
                    continue  # "een jongen uit Colombia (6)": a country or town, not a name
                if _looks_like_name(match.group(1), WEAK) or match.group(1).lower() in _STOP_WORD_NAMES:
                    spans.append(match.span(1))
    for match in WORD.finditer(text):
        lower = match.group().lower()
        if lower in _STANDALONE_NAMES or ("-" in lower and _hyphenated_name(lower)) or (
                (lower in NAME_WORDS or lower in _STOP_WORD_NAMES)
                and (_capital_name_word(text, match) or _surname_follows(text, match))):
            spans.extend(_name_at(text, match.start(), WEAK))
    if _INITIAL.search(text):
        spans.extend(_initials_spans(text))
    spans.extend(_closing_name_spans(text))
    for start in {start for start, _ in spans}:
        spans.extend(_joined_before(text, start))
    if spans:
        spans.extend(_repeated_spans(text, spans))
    if spans:
        protected = [match.span() for match in _NOT_A_PERSON.finditer(text)]
        spans = [(a, b) for a, b in spans if not any(p <= a < q for p, q in protected)]
    return spans


def _hyphenated_name(lower: str) -> bool:
    """ "chanel-lee", "femke-jade": every part a first name, not all of them everyday words."""
    parts = lower.split("-")
    return (len(parts) > 1 and all(part in FIRST_NAMES for part in parts)
            and not all(part in _ORDINARY_WORDS for part in parts))


def _surname_follows(text: str, match: re.Match) -> bool:
    """ "Mees de Graaf", "Hoop Mulder": a name that is also a word, with a surname after it."""
    following = _SURNAME_AFTER.match(text, match.end())
    return (following is not None and _is_capitalised(match.group()) and following.group(1).lower() not in STOP_WORDS
            and not _ARTICLE_BEFORE.search(text, max(0, match.start() - 20), match.start())
            and not mostly_capitalised(text))


_SURNAME_AFTER = re.compile(r"[ ]+(?:(?:van|de|der|den|ter|ten|te|el|al)[ ]+){0,3}([A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?)\b")
_INITIAL = re.compile(r"[A-Z]\.")
# Initials and a surname: "J.W. Brouwer", "mevr. T. Scholten-Vos", "H. van Rijswijk".
_INITIALS = re.compile(
    r"(?<![\w.])((?:[A-Z]\.\s?){1,4})((?:(?:van|de|der|den|ter|ten|te|el|al|Van|De|Ter|Ten|'t)\s+){0,3}"
    r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?)(?![\w])")
_INITIALS_CUE = re.compile(
    rf"(?:(?:mevr|mevrouw|dhr|meneer|mw|fam|familie|dokter|dr|juf|meester|{_SIGN_OFFS}|hoogachtend|groet(?:en)?)\.?\s*"
    r"[,:]?\s*|[,\n]\s*)$", re.I)


def _initials_spans(text: str) -> List[Span]:
    """Initials before a surname: two or more ("J.W."), or one after a title, a sign-off or a
    comma, or at the end of the message ("W. Hoekstra"); "vitamine D. Daarna" is no name."""
    spans = []
    for match in _INITIALS.finditer(text):
        if match.group(2).split()[-1].lower() in STOP_WORDS:
            continue
        several = match.group(1).count(".") >= 2
        at_end = re.fullmatch(r"[\s.!]*", text[match.end():]) is not None
        cued = _INITIALS_CUE.search(text, max(0, match.start() - 40), match.start()) is not None
        if several or at_end or cued:
            spans.append(match.span())
    return spans


# The last sentence of a message that is only a name: ". Annick Declercq", ". An".
_CLOSING_NAME = re.compile(r"(?:^|[.!?\n]\s*)((?:[A-ZÀ-Ý][\w'’-]*)(?:\s+(?:[A-ZÀ-Ý][\w'’-]*|van|de|der|den|ter|ten)){0,3})"
                           r"[\s.!]*$")


def _closing_name_spans(text: str) -> List[Span]:
    last_word = text.rstrip(" .!\n").rsplit(None, 1)[-1:]
    if not last_word or not last_word[0][:1].isupper():
        return []
    match = _CLOSING_NAME.search(text[-60:])
    if not match:
        return []
    words = match.group(1).split()
    if words[0].lower() not in FIRST_NAMES or words[-1].lower() in STOP_WORDS | _TUSSENVOEGSELS:
        return []
    offset = len(text) - len(text[-60:])
    return [(offset + match.start(1), offset + match.end(1))]


# Words before a word that make it the ordinary word, not the name again: "de zon", "ik hoop".
_ORDINARY_BEFORE = re.compile(
    r"\b(?:de|het|een|'n|zo'n|die|dat|deze|dit|mijn|m'n|mn|je|jouw|ik|we|wij|jij|u|ze|zij|hij|ons|onze|geen|veel)\s+$",
    re.I)


def _repeated_spans(text: str, spans: List[Span]) -> List[Span]:
    """A word found as a name elsewhere in the message is that name again ("Hoop Mulder ...
    Hoop heeft moeite"); a word that is also an everyday word only with a capital or where no
    article or pronoun stands before it ("ja echt zon", but "ik hoop echt", "zo'n storm")."""
    names = set()
    for start, end in spans:
        for word in WORD.finditer(text, start, end):
            lower = word.group().lower()
            if len(lower) > 1 and lower not in _TUSSENVOEGSELS and (lower not in STOP_WORDS or lower in _STOP_WORD_NAMES):
                names.add(lower)
    if not names:
        return []
    covered = [False] * (len(text) + 1)
    for start, end in spans:
        for i in range(start, min(end, len(text))):
            covered[i] = True
    found = []
    for match in WORD.finditer(text):
        lower = match.group().lower()
        if lower not in names or covered[match.start()]:
            continue
        if lower in STOP_WORDS and not (_is_capitalised(match.group()) or not _is_mid_sentence(text, match.start())):
            continue
        if lower in _ORDINARY_WORDS and _ORDINARY_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        found.append(match.span())
    return found
