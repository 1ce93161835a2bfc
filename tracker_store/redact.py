"""Replace personal data in a chat message by placeholders before it is stored.

Pure functions, no Rasa imports. `redact(text)` replaces e-mail addresses,
IBANs, Dutch phone numbers, BSNs (11-proef), postcodes, street addresses and
names that the message makes recognisable ("mijn zoon Daan", "ik heet Noor",
"groetjes, Sanne", "Lisa (6)"). Help-line numbers (0800-2000, 112, 113), ages,
school groups and years stay as they are.
"""
import re
from itertools import islice
from typing import List, Optional, Tuple

EMAIL, IBAN, PHONE, BSN, POSTCODE, ADDRESS, NAME = (
    "[e-mail]", "[iban]", "[telefoon]", "[bsn]", "[postcode]", "[adres]", "[naam]")
PLACEHOLDERS = (EMAIL, IBAN, PHONE, BSN, POSTCODE, ADDRESS, NAME)

Span = Tuple[int, int]

# --- e-mail ---------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\w-]+)*\.[a-z]{2,}",
    re.I)

# --- IBAN: Dutch shape always, other countries when the mod-97 check passes --
_IBAN_SHAPE = r"[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?!\w)"
_IBAN = re.compile(rf"(?<![\w]){_IBAN_SHAPE}", re.I)
_IBAN_NL = re.compile(r"NL\d{2}[A-Z]{4}\d{10}", re.I)
_IBAN_CUE = re.compile(rf"\b(?:iban|rekening(?:nummer)?|rek\.?\s?nr\.?)\s*(?:is|:)?\s*({_IBAN_SHAPE})", re.I)


def iban_checksum_ok(candidate: str) -> bool:
    code = candidate.replace(" ", "").upper()
    digits = "".join(str(int(ch, 36)) for ch in code[4:] + code[:4])
    return len(code) >= 15 and int(digits) % 97 == 1


def _is_iban(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    return bool(_IBAN_NL.fullmatch(compact)) or iban_checksum_ok(compact)


# --- phone numbers ---------------------------------------------------------
# 0 or +31 / 0031 (with an optional "(0)"), then nine digits with spaces,
# dashes, dots or brackets between them: 06-12345678, +31 (0)20 123 45 67.
_PHONE_NL = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?31[\s.-]*(?:\(0\)[\s.-]*)?|\(0|0)\d(?:[\s.\-/)]{0,3}\d){8}(?![\d])")
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}[\s.-]?(?:\(?\d\)?[\s.-]?){6,12}\d(?!\d)")
_DATE_START = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_SERVICE_NUMBER = re.compile(r"\(?0(?:800|90[069])")  # free / paid service lines are no one's own


def _is_phone(candidate: str) -> bool:
    return not _DATE_START.match(candidate) and not _SERVICE_NUMBER.match(candidate)


# --- BSN: nine digits passing the 11-proef, or any number after a cue ------
_BSN = re.compile(r"(?<![\w.,/-])(?:\d{3}[ .-]?\d{3}[ .-]?\d{3}|\d{4}[ .]\d{2}[ .]\d{3})(?![\w]|[.,/-]\d)")
_BSN_CUE = re.compile(
    r"\b(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)(?:[\s-]*(?:nummer|nr\.?))?\s*(?:is|:)?\s*(\d[\d .-]{6,12}\d)",
    re.I)


def bsn_eleven_test(candidate: str) -> bool:
    digits = [int(ch) for ch in candidate if ch.isdigit()]
    if len(digits) != 9 or not any(digits):
        return False
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) - digits[8]
    return total % 11 == 0


# --- postcodes: 1234 AB, 1234AB, 1234ab (not SA, SD, SS, nor units) --------
_UNITS = "KM|MG|ML|CM|MM|KG|GR|GB|MB|KB|PK|KW|CC|MS|XL"
_POSTCODE = re.compile(rf"(?<![\w.,])[1-9]\d{{3}}(?:\s?(?!SA|SD|SS|{_UNITS})[A-Z]{{2}}|(?!sa|sd|ss|{_UNITS.lower()})[a-z]{{2}})(?!\w)")
_POSTCODE_CUE = re.compile(r"\bpostcode\s*(?:is|:)?\s*([1-9]\d{3}\s?[a-z]{2})(?!\w)", re.I)

# --- street addresses: a street word, maybe "van X", then a house number ---
_ANY_CASE_STREET = r"(?:straat|laan|gracht|plein|singel|dijk|steeg|dreef|kade|plantsoen|burgwal|boulevard|straatweg)"
_CAPITAL_STREET = r"(?:weg|pad|park|markt|haven|wal|dam|veld|hoek|baan|akker|hof|erf|allee|dreef|laan|plein|kade|singel|dijk|gracht)"
_BARE_STREETS = r"(?:Laan|Plein|Kade|Singel|Dijk|Gracht|Dam|Hof|Markt|Dreef|Wal|Haven|Boulevard|Plantsoen)"
_STREET = rf"(?:[A-Za-zÀ-ÿ][\w'-]*?{_ANY_CASE_STREET}|[A-ZÀ-Ý][\w'-]*?{_CAPITAL_STREET}|{_BARE_STREETS})"
_STREET_WORD = re.compile(_STREET)
_HOUSE_NUMBER = r"(?:nr\.?\s*|nummer\s+)?\d{1,5}(?:\s?-?\s?[a-zA-Z](?![\w])|\s?-\s?\d{1,4}(?!\d)|\s?(?:hs|bis|zw|rd|bg|huis)(?!\w))?(?![\w])"
_ADDRESS = re.compile(
    r"(?<![\w])(?:(?:[A-ZÀ-Ý][\w.'-]*|van|de|der|den|'t|te|ter|ten)\s+){0,4}"
    rf"{_STREET}"
    r"(?:\s+(?:van|de|der|den|het|op|aan|te|ter|ten|in|naar)(?:\s+(?:de|der|den|het|'t))?\s+[A-ZÀ-Ý][\w'-]+(?:\s+[A-ZÀ-Ý][\w'-]+)?)?"
    rf",?\s+{_HOUSE_NUMBER}")
_NOT_STREETS = {"onderweg", "halfweg", "halverweg"}
_ADDRESS_LEAD_STOP = {"ik", "wij", "we", "mijn", "ons", "onze", "het", "de", "in", "op", "aan", "bij",
                      "naar", "adres", "wonen", "woon", "woont", "te", "ter", "ten", "van", "der", "den", "'t"}

# --- names -----------------------------------------------------------------
# Common first names; caught anywhere (except those that are also Dutch
# words) and in lower case after a cue.
FIRST_NAMES = set("""
daan sem noah lucas liam levi finn luuk milan bram jesse thijs sam ruben lars julian thomas jayden
mats hugo siem boaz gijs olivier vince tygo owen sven cas koen niek floris joep pepijn stan wout jurre
tobias quinn teun dex lev mohammed mohamed muhammed ahmed omar youssef ibrahim mustafa ayoub adam
yusuf emir eymen hamza bilal mehmet ali jens stijn dirk guus loek pim jip jasper tijn tim tom max mark
bas rik kees henk johan peter klaas gerrit willem hendrik pieter jan piet jeroen erik dennis kevin
emma julia tess sophie zoë zoe mila sara sarah anna evi noor lisa fenna lotte eva saar nora yara liv
isa nina olivia elin luna ella milou maud femke sanne fatima aisha aicha noa yasmina ilse inge marieke
janneke anne lieke pien puck fien amy mia elif zeynep ayla esra merve hanna hannah nova lina sofie
loïs lois jasmijn fleur roos iris amber jade sterre mees lot kim bo ben vera laura linda petra
esther mirjam annemiek wendy kelly sabine charlotte emily lynn senna jill vajèn maryam salma imane
""".split())
AMBIGUOUS_NAMES = {"fleur", "roos", "iris", "amber", "jade", "sterre", "mees", "lot", "kim", "bo", "ben",
                   "tim", "tom", "max", "mark", "bas", "rik", "jan", "piet", "guus", "senna", "ali", "noa",
                   "mia"}
_STANDALONE_NAMES = FIRST_NAMES - AMBIGUOUS_NAMES

STOP_WORDS = set("""
ik jij je hij zij ze wij we jullie u het de een en of maar want dus is was zijn heeft had hebben heb ben wil
wilde kan kon zal zou moet mag gaat ging doet deed zit zat loopt liep komt kwam wordt werd blijft
niet geen nooit altijd soms vaak ook nog al nu toen dan daar hier zo erg heel echt best wel die dat
dit deze van voor met op in aan bij uit naar over om tot na sinds door zonder tegen als omdat hoe wat
wie waar waarom wanneer welke eigenlijk gewoon bang boos verdrietig moe blij bezorgd ongerust benieuwd
moeder vader mama papa mam pap ouder ouders leerkracht juf meester alleenstaand alleenstaande
pleegouder pleegmoeder pleegvader nieuw nieuwe net even steeds elke iedere ieder alles niets iets
veel weinig meer minder jaar jaren maanden weken dagen groep klas school thuis sorry hoi hallo dag
doei bedankt dank groetjes ja nee oke ok hem haar hun mijn ons onze jouw uw mezelf zelf allebei
beide samen nederlands nederlandse marokkaans marokkaanse turks turkse surinaams surinaamse pools
poolse syrisch syrische belgisch belgische duits duitse engels engelse autistisch hoogbegaafd
god allah zoon dochter kind kinderen baby vriend vriendin man vrouw partner broer zus oma opa
heet heten noemen genaamd naam hechting hechtingsproblemen hechtingsstoornis adhd autisme
dyslexie trauma erg super zeer enorm extra vanaf waarvan waarbij terwijl ondanks sindsdien
sowieso inmiddels ondertussen toch helaas gelukkig misschien ongeveer bijna pas ineens opeens
plotseling vandaag gisteren morgen vanavond vanochtend vannacht week maand
""".split())
_TUSSENVOEGSELS = {"van", "von", "de", "der", "den", "te", "ter", "ten", "het", "'t", "la", "le", "du",
                   "da", "di", "el", "al", "in", "op"}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")

_RELATIONS = (r"zoon(?:tje)?|dochter(?:tje)?|kind(?:je)?|pleeg(?:zoon|dochter|kind)|stief(?:zoon|dochter|kind)"
              r"|adoptie(?:zoon|dochter|kind)|broer(?:tje)?|zus(?:je)?|man|vrouw|partner|vriend(?:in)?|ex(?:-man|-vrouw|-partner)?"
              r"|moeder|vader|oma|opa|neef(?:je)?|nicht(?:je)?|klein(?:zoon|dochter)|leerling(?:e)?|baby|tweeling(?:broer|zus)?"
              r"|jongste|oudste|middelste|peuter|kleuter|puber|kleine|meid|meisje|jongen|jongetje|buurjongen|buurmeisje")
_POSSESSIVE = r"(?:mijn|m'n|mn|onze|ons|zijn|z'n|haar|hun|jouw|je)"
_ROLE_OF = (r"moeder|vader|mama|papa|mam|pap|oma|opa|juf|meester|mentor|leerkracht|voogd|pleeg(?:moeder|vader|ouder)"
            r"|stief(?:moeder|vader)|ouders?|tante|oom|docent|begeleider|coach|trainer")
_SIGN_OFFS = r"groetjes|groeten|groet|gr\.?|grtz|grtjs|liefs|mvg|m\.v\.g\.?|(?:met\s+)?(?:vriendelijke|hartelijke|lieve)\s+groet(?:en)?|xx+"
_CLOSINGS = rf"{_SIGN_OFFS}|alvast\s+bedankt|bedankt|dank\s*je\s*wel|dankjewel|dank\s+u\s+wel|doei"

# Cue regexes; the name follows where the match ends. "strong" cues accept any
# word (also in lower case); weak cues only capitalised words or known names.
_NAME_CUES = [
    (re.compile(rf"\b{_POSSESSIVE}\s+(?:[a-zà-ÿ]+\s+){{0,2}}(?:{_RELATIONS})(?:\s+van\s+\d{{1,2}}(?:\s+jaar)?)?,?\s+\(?", re.I), False),
    (re.compile(rf"\b(?:{_ROLE_OF})\s+van\s+", re.I), False),
    (re.compile(r"\b(?:ik\s+ben|ben\s+ik)\s+", re.I), False),
    (re.compile(r"\b(?:juf(?:frouw)?|meester|meneer|mevrouw|mevr\.?|dhr\.?|mw\.?|dokter|dr\.?|mentor|coach)\s+", re.I), False),
    (re.compile(rf"\b(?:{_POSSESSIVE})\s+(?:voor|achter|roep)?naam\s+(?:is|=|:)?\s*", re.I), True),
    (re.compile(rf"\b(?:ik|hij|zij|ze|jij|je|wij|we|{_RELATIONS})\s+(?:heet|heten|noemen\s+we)\s+", re.I), True),
    (re.compile(r"\bgenaamd\s+", re.I), True),
    (re.compile(rf"(?:^|[\s,.!])(?:{_CLOSINGS})\s*[,!.:\n-]*\s*", re.I), False),
]
_SIGNATURE = re.compile(rf"(?:^|[\s,.!])(?:{_SIGN_OFFS})\s*(?:,|\n|!|-|:)\s*", re.I)
_SIGNATURE_REST = re.compile(r"[\w\s'’.-]*[.!]?\s*")
_JOIN = re.compile(r"\s*(?:,|en|&)\s*")
_NAME_BEFORE_AGE = re.compile(r"(?<![\w])([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\s*\(\s*\d{1,2}\s*(?:jaar|jr\.?|mnd|maanden)?\s*\)")


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and word[1:2].islower()


def _looks_like_name(word: str, strong: bool) -> bool:
    lower = word.lower()
    if lower in STOP_WORDS:
        return False
    return strong or lower in FIRST_NAMES or _is_capitalised(word)


def _spaces_only(text: str, a: int, b: int) -> bool:
    return a < b and text[a:b].strip(" ") == ""


def _name_at(text: str, pos: int, strong: bool) -> List[Span]:
    """Spans of the name(s) right after a cue at `pos`: "Jan de Vries", "Daan en Lisa"."""
    words = list(islice(_WORD.finditer(text, pos), 12))
    if not words or text[pos:words[0].start()].strip(" ("):
        return []
    i = 0
    # A capitalised tussenvoegsel may open a surname: "mevrouw De Vries".
    while (i + 1 < len(words) and words[i].group().lower() in _TUSSENVOEGSELS
           and _is_capitalised(words[i].group()) and _is_capitalised(words[i + 1].group())):
        i += 1
    if not _looks_like_name(words[i].group(), strong):
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
        if word.lower() in STOP_WORDS or not (_is_capitalised(word) or (strong and lower_case_name)):
            break
        end, i = words[j].end(), j + 1
    spans = [(start, end)]
    # Another name joined by "en", "&" or a comma: "Daan en Lisa".
    joined = _JOIN.match(text, end)
    if joined:
        following = _WORD.match(text, joined.end())
        if following and _looks_like_name(following.group(), False):
            spans.extend(_name_at(text, joined.end(), False))
    return spans


def name_spans(text: str) -> List[Span]:
    spans: List[Span] = []
    for cue, strong in _NAME_CUES:
        for match in cue.finditer(text):
            spans.extend(_name_at(text, match.end(), strong))
    # After "groetjes," (comma or new line) a short rest of the message is a signature.
    for match in _SIGNATURE.finditer(text):
        rest = text[match.end():]
        words = _WORD.findall(rest) if len(rest) <= 60 else []
        if words and len(words) <= 3 and words[0].lower() not in STOP_WORDS and _SIGNATURE_REST.fullmatch(rest):
            spans.append((match.end(), match.end() + len(rest.rstrip(" .!\n"))))
    for match in _NAME_BEFORE_AGE.finditer(text):
        if match.group(1).lower() not in STOP_WORDS:
            spans.append(match.span(1))
    for match in _WORD.finditer(text):
        if match.group().lower() in _STANDALONE_NAMES:
            spans.append(match.span())
    return spans


# --- putting it together ---------------------------------------------------
def _replace_spans(text: str, spans: List[Span], placeholder: str) -> str:
    merged: List[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + placeholder + text[end:]
    return text


def _sub(pattern: re.Pattern, placeholder: str, text: str, keep=lambda candidate: True, group: int = 0) -> str:
    spans = [m.span(group) for m in pattern.finditer(text) if keep(m.group(group))]
    return _replace_spans(text, spans, placeholder)


def _address_spans(text: str) -> List[Span]:
    """Address matches without leading words such as "de" or "Ik" that the prefix took along."""
    spans = []
    for match in _ADDRESS.finditer(text):
        for word in _WORD.finditer(text, match.start(), match.end()):
            token = word.group()
            if _STREET_WORD.fullmatch(token) or not (token.islower() or token.lower() in _ADDRESS_LEAD_STOP):
                if token.lower() not in _NOT_STREETS:
                    spans.append((word.start(), match.end()))
                break
    return spans


def redact(text: Optional[str]) -> Optional[str]:
    """`text` with personal data replaced by placeholders such as [telefoon] and [naam]."""
    if not text:
        return text
    text = _sub(_EMAIL, EMAIL, text)
    text = _sub(_IBAN_CUE, IBAN, text, group=1)
    text = _sub(_IBAN, IBAN, text, _is_iban)
    text = _sub(_PHONE_NL, PHONE, text, _is_phone)
    text = _sub(_PHONE_INTL, PHONE, text)
    text = _sub(_BSN_CUE, BSN, text, group=1)
    text = _sub(_BSN, BSN, text, bsn_eleven_test)
    text = _sub(_POSTCODE_CUE, POSTCODE, text, group=1)
    text = _sub(_POSTCODE, POSTCODE, text)
    text = _replace_spans(text, _address_spans(text), ADDRESS)
    text = _replace_spans(text, name_spans(text), NAME)
    return text
