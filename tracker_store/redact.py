"""Replace personal data in a chat message by placeholders before it is stored.

Pure functions, no Rasa imports. `redact(text)` replaces e-mail addresses (also
spelled out: "jan punt de vries apenstaartje gmail punt com"), IBANs, Dutch phone
numbers, BSNs (11-proef), postcodes, street addresses and names. Names are found
after a cue ("mijn zoon Daan", "ik heet Noor", "groetjes, Sanne", "Lisa (6)",
"mama Kimberley", "Ik (Marjolein)"), in a signature ("Liefs, Khadija, Rachid en de
kinderen"), next to another name ("Rob en Annemarie"), and without any cue when
the word is in a list of about 3,000 first names (first_names.txt) of the origins
families here have. Names that are also everyday words (name_words.txt: roos,
storm, peter) need a cue, a capital inside a sentence or a name beside them.
Help-line numbers (0800-2000, 112, 113), ages, school groups and years stay as
they are.

Measured on tests/data/redaction_cases.yml (see tests/test_redaction.py): recall
on 65 messages in styles added later (several names in a sign-off, spelled-out
e-mail, names without a cue, parents next to children) went from 0.383 to 1.000
(the name list was written after them); on 30 messages written after the rules
it was 1.000 at once (the rules before: 0.385), with three non-personal words
replaced ("Kijk,", "Gr,", a town before a name), since fixed. 0 of 2,971
examples of data/nlu.yml and 0 of 104 clean messages change. About 50 µs per
typical message (58 µs before): cue regexes only run when a hint word is there.
"""
import re
from typing import List, Optional

from tracker_store.redact_names import LOOK_BACK, WORD, Span, name_spans

EMAIL, IBAN, PHONE, BSN, POSTCODE, ADDRESS, NAME = (
    "[e-mail]", "[iban]", "[telefoon]", "[bsn]", "[postcode]", "[adres]", "[naam]")
PLACEHOLDERS = (EMAIL, IBAN, PHONE, BSN, POSTCODE, ADDRESS, NAME)


# --- e-mail ---------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\w-]+)*\.[a-z]{2,}",
    re.I)

# E-mail addresses spelled out in words: "jan punt de vries apenstaartje gmail
# punt com". The tail (at-word, domain, known top-level domain) is found first;
# the user part is the few words before it, back to a cue word such as "naar".
_MAIL_AT = r"(?:[(\[]\s*)?(?:apenstaartje|apestaartje|at-teken|a-teken|at)(?:\s*[)\]])?"
_MAIL_PROVIDERS = r"gmail|hotmail|outlook|live|icloud|yahoo|ziggo|kpnmail|kpnplanet|planet|xs4all|telenet|skynet|msn|wp|onet|o2"
_MAIL_DOT = r"(?:\.|\s+(?:[(\[]\s*)?(?:punt|dot)(?:\s*[)\]])?\s+)"
_MAIL_TLD = r"com|nl|be|net|org|eu|de|fr|pl|tr|ma|sr|cw|aw|uk|info|nu|online|me"
_MAIL_TAIL = re.compile(
    rf"\s*(?<![\w])(?:{_MAIL_AT}|op(?=\s+(?:{_MAIL_PROVIDERS})\b))\s*[\w-]+(?:{_MAIL_DOT}[\w-]+)*?{_MAIL_DOT}(?:{_MAIL_TLD})(?![\w])",
    re.I)
_MAIL_USER_WORD = re.compile(r"([\w.+-]+)\s*$")
_MAIL_USER_STOP = {"naar", "is", "mail", "mailen", "email", "e-mail", "mailadres", "emailadres", "e-mailadres", "adres",
                   "stuur", "sturen", "gerust", "graag", "aub", "via", "op", "mij", "me", "maar", "mijn", "ons", "onze",
                   "kun", "kunt", "kan", "u", "je", "jullie", "ik", "het", "dat", "deze", "ook", "dan", "of", "en"}


def _spelled_email_spans(text: str) -> List[Span]:
    spans = []
    for tail in _MAIL_TAIL.finditer(text):
        start = tail.start()
        for _ in range(6):
            word = _MAIL_USER_WORD.search(text, max(0, start - LOOK_BACK), start)
            if not word or word.group(1).lower() in _MAIL_USER_STOP:
                break
            start = word.start(1)
        if start < tail.start():
            spans.append((start, tail.end()))
    return spans


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
        for word in WORD.finditer(text, match.start(), match.end()):
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
    text = _replace_spans(text, _spelled_email_spans(text), EMAIL)
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
