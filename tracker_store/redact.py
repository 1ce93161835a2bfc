"""Replace personal data in a chat message by placeholders before it is stored.

Pure functions, no Rasa imports. `redact(text)` replaces e-mail addresses (also
spelled out: "jan punt de vries apenstaartje gmail punt com"), IBANs, phone numbers
(Dutch and Belgian, dotted, spelled out from "nul"), BSNs (11-proef), postcodes,
street addresses (3-II, 45 bis, "bus 4", Belgian postcodes) and names, and since the
independent writers' sets also dates of birth, licence plates, social-media accounts
(tracker_store/redact_tokens.py), schools, daycare, clubs and workplaces, and towns
after a residence cue (tracker_store/redact_places.py; docs/decisions.md says which
towns count). Names are found after a cue ("mijn zoon Daan", "ik heet Noor",
"groetjes, Sanne", "Lisa (6)", "mama Kimberley", "Ik (Marjolein)", "Naam kind:",
"dr. vermeulen"), in a signature ("Liefs, Khadija, Rachid en de kinderen", ". Annick
Declercq" at the end, "J.W. Brouwer"), next to another name ("Rob en Annemarie"), again
where the message named them before ("Hoop Mulder ... Hoop heeft"), and without any cue
when the word is in a list of about 3,000 first names (first_names.txt) of the origins
families here have. Names that are also everyday words (name_words.txt: roos, storm,
hoop; and ben, wil, elke) need a cue, a capital inside a sentence, a surname or a name
beside them. Help-line numbers (0800-2000, 112, 113), ages, school groups, appointment
dates, years, countries and regions stay as they are.

Measured on tests/data/redaction_cases.yml (see tests/test_redaction.py): recall
on 65 messages in styles added later (several names in a sign-off, spelled-out
e-mail, names without a cue, parents next to children) went from 0.383 to 1.000
(the name list was written after them); on 30 messages written after the rules
it was 1.000 at once (the rules before: 0.385), with three non-personal words
replaced ("Kijk,", "Gr,", a town before a name), since fixed.

The independent writers' sets (tests/data/redaction_writers, 833 items in 135 messages,
measured once before any rule for the new kinds: docs/benchmarks.md) then became the
training data of the rules for dates of birth, plates, accounts, schools and towns:
recall per writer went from 0.565, 0.625 and 0.586 to 0.997, 1.000 and 0.983 (0.591 to
0.995 over all; the four items left: "hoop" and "storm" also stand there as the
ordinary words, "ik hoop echt", "zo'n storm"; "bij de regenboog" without a type word;
"de verhuis naar Berchem", a move to one town, see docs/decisions.md). 0 of their 45
clean messages, 0 of 3,994 examples of data/nlu.yml and 0 of the 101 clean messages
change. Time per typical message (the examples of data/nlu.yml, CPU time, best of 9):
55 µs before the new kinds, 69 µs with them; the hint words of every new rule are found
in one pass (one regex shaped as a trie), and a rule runs only when its words are there.

Two more writers (pii_d, pii_e: 70 messages, 373 items), measured once at 0.915 and 0.969,
then taught the rules by kind, never by sentence (tests/test_redaction.py holds each rule
with its own examples): care institutions and any club or association as type words
(ziekenhuis, verpleeghuis, turnvereniging, tennisclub), club abbreviations (KFC, TC, HC),
a workplace after "op" and up to 60 characters after the work cue, a branch named with its
street; towns before a residence verb ("in Kerkrade wonen"), after a move ("de verhuizing
naar Apeldoorn", "naar Antwerpen verhuisd"), narrowing a country down ("in België
(Lanaken)") or after what the writer is ("ik ben gastouder in Assen": capitalised and in
the gazetteer of GeoNames places, tracker_store/places_nl_be.txt); a year as '17 and the
birth cue after the date; "ich bin", "oet", a name-word before an age ("Storm is vijf") and
between commas ("een dochter, Lente, van 3"). Recall per writer: 1.000, 1.000, 0.983, 1.000,
1.000 (1203/1206; before 1181/1206); 0 of their 75 clean messages change; of data/nlu.yml
one example changes, a move to Antwerpen (listed in the test). 76 -> 79 µs per message.

A sixth writer (pii_f: villages and rural towns, 80 messages, 244 items), measured once at 0.832
(deduce 0.701), then taught the rules by kind: dates of birth spelled out ("vijftien februari
tweeduizend zestien"), as eight digits or after "geb datum" and "geboortedatum van X is", and a
full date of an earlier year after a name in a record ("[naam] - [bsn] - 2015-06-30"); a few
words between a plate cue and the plate; the Belgian rijksregisternummer (mod-97 check) and
Belgian 07x service numbers kept ("Kind en Gezin 078 150 100"); names after clergy, trainers,
colleagues, neighbours and "het gezin", nicknames ("noemen we Muis", "die zich X noemt"),
"achternaam Van Gils", a child named after its age ("een baby van 10 maanden, Lou,"); youth
movements (Chiro), institutes, a church with its town, Flemish school abbreviations (KTA, VBS),
shifts and the till as work cues, "ik ben verpleegkundige in het X"; towns where someone works,
where a move came from, after "als gastouder in", before "op school", with a place of daily life
("bij het station in Veghel", "aan huis in"), a corrected town, multi-word places of the
gazetteer ("Son en Breugel") and a town that is also a word after an address ("in Best").
pii_f 0.832 -> 1.000, all six 0.970 -> 0.998 (1447/1450); 0 of their 95 clean messages change;
of data/nlu.yml no example more changes (four fewer: "mijn naam geven", "de week erna",
"verschillende azc's", "uit Colombia (6)"). 85 -> 93 µs per message (both measured now).

A seventh writer (pii_g: city districts and suburbs, many backgrounds; 80 messages, 344 items), measured
once at 0.828 (districts 52/85, institutions 30/45), then taught the rules by kind. Districts and foreign
towns are rarely in the gazetteer, so these cues take any capital that is no country, region or known
non-place: a district after its town ("[plaats], Woensel-Noord", "[plaats] (Moerwijk)"), "in de <X>" after a
residence cue or a school, who someone is before "uit" ("een leerling uit Strijp", "[naam] (6) uit"), where
someone came from or wants to go back to, a neighbourhood worker's district ("Jongerenwerker Carnisse"), the
family's business ("een restaurant in Almere-Haven, De Gouden Draak"), a work clause that ends at the town;
a class in a town of the gazetteer. Institutions: community and faith houses (buurthuis, jeugdhuis,
voedselbank, kerk, moskee) before a name, a house of prayer named before its type word ("de Mevlana moskee",
not "de Turkse moskee"), -gemeente compounds, a school by its playground or a child skipping it, a company
before the work verb or after "het distributiecentrum van". Addresses without a street word after "op/aan/
naar de", French streets, a Belgian postcode ending a clause. "en heet X", plural children ("mijn dochters
X en Y"), a gaming handle after "gamen als", a date a few words before a colon after "verjaardag". pii_g
0.828 -> 0.997 (343/344; "op Curaçao" stays, a country of the Kingdom), all seven 1790/1794; 0 of their 115
clean messages change, no example of data/nlu.yml more. 97 -> 106 µs per message (both measured now).

An eighth writer (pii_h: the east and south of the Netherlands, Brussels; 80 messages, 422 items), measured once
at 0.855 (towns and villages 70/105, institutions 44/59), then taught the rules by kind. Towns: near the town
named ("[plaats] net buiten Lichtenvoorde", "net over de grens bij"), a named area ("in de wijk X", "gemeente X"),
between two villages after a residence cue, where someone is from ("is van Gent"), a relative's town ("zijn
moeder zit in", "vader is militair in"), home ("thuis in", "bij het raam in"), another person's town after a
comma ("[plaats], zij in Sittard"), a named person's town ("[naam], in Oostburg"), a move with an auxiliary
("verhuisd zijn naar") or out of a town ("uit Manchester naar"), a town before a named school, "in 't Harde",
a cue before a bracket ("bij ons (pleeggezin X) in"); lower-case words after a cue only from the gazetteer ("bij ons
in netwerkpleegzorg" stays), which got a hand-written list of villages, hamlets and districts (places_build.py).
Institutions: employers after what someone does ("chauffeur bij", "ik rij voor"), military bases and units,
the associations of villages (schutterij, harmonie, fanfare), hospitals by abbreviation (MUMC+, UMCG), "school was
X", "school, X,", schools across the border (Grundschule, école), "de Ulu Camii", "op t X". Also a relative named
between commas, "pleeggezin X", "born", words between "geboortedatum" and the date, German plates, "(punt)" in
mail, WeChat and "naam daar is" handles, Belgian "bus" after a French street. pii_h 0.855 -> 0.993 (419/422), all
eight writers >= 0.98; 0 clean messages and no example of data/nlu.yml change. 0.64 -> 0.71 ms per message of
the writers' sets (CPU, best of 9; these messages are longer than the typical ones above).

A ninth writer (pii_i: the Randstad and the north, Antwerp and Belgian Limburg; 80 messages, 530 items), measured
once at 0.887 (towns and districts 81/109, institutions 58/79, rijksregisternummers 4/7), then taught the rules by
kind: a category of districts and villages of the west and north, Antwerp and Belgian Limburg in the gazetteer;
towns in a move in lower case, back to a town, with a prison, after an adjective ("Nieuw Den Helder"), "thuis in
de", districts by their kind (-wijk, -kwartier, -buurt), a war's town, home without "in", a neighbourhood team's
area, greetings and the writer's role before "uit", someone gone to a town, a town before the address; hospitals
and care organisations by their short names, youth care, foundations, health centres, teams and colleges as type
words, prisons, placements "via" an organisation, professional clubs, a capital article inside a sentence; the
rijksregisternummer after its cue without the mod-97 check; "'t" in surnames, Frisian first names. pii_i 0.887 ->
0.991 (525/530), all nine writers >= 0.98; 0 clean messages and no example of data/nlu.yml change. 0.72 -> 0.75 ms
per message of the nine writers' sets, 117 -> 125 µs per example of data/nlu.yml (CPU, best of 9, both measured now).

A tenth writer (pii_j: Utrecht, Gelderland, Flevoland, Overijssel, Brabant, Limburg, Rotterdam-Zuid, Flanders; 80 messages,
459 items), measured once at 0.924 (towns and districts 82/99, institutions 51/57, names 174/184), then taught the rules
by kind: a category of districts and villages of the middle, east and south and Flemish deelgemeenten in the gazetteer;
home without "in" after an adverb, the area before the town, a child with its age before where it is from ("oet", lower
case, "van"), the writer's role after the name, the consultatiebureau's town, businesses by their kind, lower-case
districts after "in de", a district after its town, the town near a home, a street right after the town; studios,
partnerships (maatschap), Flemish foster services, hospital groups, a church named after its type word, the kind of
business before an employer; "onder de naam" handles; "wij noemen haar X". pii_j 0.924 -> 0.983 (451/459), all ten
writers >= 0.98 (3185/3205); 0 clean messages and no example of data/nlu.yml change. 784 -> 786 µs per message of the
ten writers' sets, 124 -> 121 µs per example of data/nlu.yml (CPU, best of 9, both measured now: the same within noise).
"""
import re
from typing import List, Optional

from tracker_store import redact_places, redact_tokens
from tracker_store.redact_names import LOOK_BACK, WORD, Span, name_spans
from tracker_store.redact_places import district_spans, place_spans, school_spans
from tracker_store.redact_tokens import (
    account_spans,
    birth_date_after_child_spans,
    birth_date_spans,
    plate_spans,
    spelled_phone_spans,
)

EMAIL, IBAN, PHONE, BSN, POSTCODE, ADDRESS, NAME = (
    "[e-mail]", "[iban]", "[telefoon]", "[bsn]", "[postcode]", "[adres]", "[naam]")
BIRTH_DATE, PLATE, ACCOUNT, SCHOOL, PLACE = "[geboortedatum]", "[kenteken]", "[account]", "[school]", "[plaats]"
PLACEHOLDERS = (EMAIL, IBAN, PHONE, BSN, POSTCODE, ADDRESS, NAME, BIRTH_DATE, PLATE, ACCOUNT, SCHOOL, PLACE)


# --- e-mail ---------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@\s?|\s@\s|\s?(?:\(at\)|\[at\])\s?)[\w-]+(?:\s?(?:\.|\((?:dot|punt)\)|\[(?:dot|punt)\])\s?[\w-]+)*"
    r"(?:\.|\s?(?:\((?:dot|punt)\)|\[(?:dot|punt)\])\s?)[a-z]{2,}",
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
# Belgian fixed lines have nine digits (09 231 47 85, 03/827.46.19); at least one separator.
_PHONE_BE_FIXED = re.compile(r"(?<![\w+.,/-])0[1-9](?=[\d\s./-]{8,12})(?:[\s./-]{0,3}\d){7}(?![\d]|[.,/-]\d)")
# A date, not a phone number: valid day and month, and no fourth group in the same style
# ("01-02-2024 12:30" is a date and a time; "06.12.34.56.78" and "06-37.48.29.51" are numbers).
_DATE_START = re.compile(r"(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|1[0-2])\1(?:\d{4}|\d{2})(?!\d|\1\d)")
_SERVICE_NUMBER = re.compile(r"\(?0(?:800|90[069])")  # free / paid service lines are no one's own
# Belgian numbers of nine digits from 07 are service numbers (070, 077, 078: "Kind en Gezin 078 150 100");
# no Belgian zone starts with 7. A Dutch 078 number (Dordrecht) has ten digits and stays a phone number.
_BE_SERVICE_NUMBER = re.compile(r"\(?07")


def _is_phone(candidate: str) -> bool:
    return not _DATE_START.match(candidate) and not _SERVICE_NUMBER.match(candidate)


def _is_be_fixed_phone(candidate: str) -> bool:
    return _is_phone(candidate) and not _BE_SERVICE_NUMBER.match(candidate)


# --- BSN: nine digits passing the 11-proef, or any number after a cue ------
_BSN = re.compile(r"(?<![\w.,/-])(?:\d{3}[ .-]?\d{3}[ .-]?\d{3}|\d{4}[ .]\d{2}[ .]\d{3})(?![\w]|[.,/-]\d)")
_BSN_CUE = re.compile(
    r"\b(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)(?:[\s-]*(?:nummer|nr\.?))?\s*(?:is|:)?\s*(\d[\d .-]{6,12}\d)",
    re.I)


# The Belgian rijksregisternummer (INSZ): birth date YY.MM.DD, a serial of three and a mod-97 check of
# two digits (for births from 2000 on over "2" and the nine digits): 17090208711, 85.07.30-033.28.
# After a cue any such number that opens with a date (since pii_i: also when the check fails, a mistyped number
# is still the child's); without a cue only in its written form with dots and a dash, and with the check.
_RRN = r"\d{2}[.]?\d{2}[.]?\d{2}[ .-]?\d{3}[ .]?\d{2}"
_RRN_CUE = re.compile(
    rf"\b(?:rijksregister(?:nummer|nr\.?)?|insz(?:-nummer|nummer)?|nationaal\s+nummer|rrn)(?:\s+[^\W\d_][\w'’]*){{0,4}}?"
    rf"\s*(?:is|:)?\s*(?<![\w.-])({_RRN})(?![\w]|[.,-]\d)", re.I)
_RRN_WRITTEN = re.compile(r"(?<![\w.,/-])\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}(?![\w]|[.,/-]\d)")


def rijksregister_date(candidate: str) -> bool:
    """Eleven digits that open with a date (YY.MM.DD, month or day 00 when unknown): after a cue the number is
    someone's even when the parent mistyped a digit and the mod-97 check fails (as a BSN after "BSN" is)."""
    digits = "".join(ch for ch in candidate if ch.isdigit())
    return len(digits) == 11 and int(digits[2:4]) <= 12 and int(digits[4:6]) <= 31


def rijksregister_check(candidate: str) -> bool:
    digits = "".join(ch for ch in candidate if ch.isdigit())
    if len(digits) != 11 or not (1 <= int(digits[2:4]) <= 12 or digits[2:4] == "00"):
        return False
    check = int(digits[9:])
    return any(97 - int(prefix + digits[:9]) % 97 == check for prefix in ("", "2"))


def bsn_eleven_test(candidate: str) -> bool:
    digits = [int(ch) for ch in candidate if ch.isdigit()]
    if len(digits) != 9 or not any(digits):
        return False
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) - digits[8]
    return total % 11 == 0


# --- postcodes: 1234 AB, 1234AB, 1234ab (not SA, SD, SS, nor units) --------
_UNITS = "KM|MG|ML|CM|MM|KG|GR|GB|MB|KB|PK|KW|CC|MS|XL"
_POSTCODE = re.compile(rf"(?<![\w.,])[1-9]\d{{3}}(?:\s?(?!SA|SD|SS|{_UNITS})[A-Z]{{2}}|(?!sa|sd|ss|{_UNITS.lower()})[a-z]{{2}})(?!\w)")
_POSTCODE_CUE = re.compile(r"\bpostcode\s*(?:is|:)?\s*([1-9]\d{3}(?:\s?[a-z]{2})?)(?!\w)", re.I)

# --- street addresses: a street word, maybe "van X", then a house number ---
_ANY_CASE_STREET = (r"(?:straat|laan|gracht|plein|singel|dijk|steeg|dreef|kade|plantsoen|burgwal|boulevard|straatweg"
                    r"|steenweg|weg|hoven|kaai|lei|vest)")
_CAPITAL_STREET = (r"(?:weg|pad|park|markt|haven|wal|dam|veld|hoek|baan|akker|hof|erf|allee|dreef|laan|plein|kade|singel"
                   r"|dijk|gracht|dorp|ring|dries|heide|berg|hof|hoven|kaai|lei|vest)")
_BARE_STREETS = r"(?:Laan|Plein|Kade|Singel|Dijk|Gracht|Dam|Hof|Markt|Dreef|Wal|Haven|Boulevard|Plantsoen)"
_STREET = rf"(?:[A-Za-zÀ-ÿ][\w'-]*?{_ANY_CASE_STREET}|[A-ZÀ-Ý][\w'-]*?{_CAPITAL_STREET}|{_BARE_STREETS})"
_STREET_WORD = re.compile(_STREET)
# A house number with its addition: 5a, 231-3, 3-II, 148-H, 45 bis, 215 bus 4; not "3 uur" or "2 keer".
_HOUSE_NUMBER = (r"(?:nr\.?\s*|nummer\s+)?\d{1,5}"
                 r"(?:\s?-?\s?(?:I{1,3}|IV|V)(?![\w])|\s?-?\s?[a-zA-Z](?![\w])|\s?-\s?\d{1,4}(?!\d)"
                 r"|\s?(?:hs|bis|zw|rd|bg|huis)(?!\w))?(?:\s+bus\s+\d{1,4}(?!\d))?(?![\w])"
                 r"(?!\s*(?:uur|keer|jaar|maanden|weken|dagen|minuten|min|km|kilometer|meter|euro|kinderen|x)\b)")
_ADDRESS = re.compile(
    r"(?<![\w])(?:(?:[A-ZÀ-Ý][\w.'-]*|van|de|der|den|'t|te|ter|ten|burg\.|mr\.|dr\.|prof\.|st\.|sint|grote|kleine"
    r"|lange|korte|oude|nieuwe|hoge|lage)\s+){0,4}"
    rf"{_STREET}"
    r"(?:\s+(?:van|de|der|den|het|op|aan|te|ter|ten|in|naar)(?:\s+(?:de|der|den|het|'t))?\s+[A-ZÀ-Ý][\w'-]+(?:\s+[A-ZÀ-Ý][\w'-]+)?)?"
    rf",?\s+{_HOUSE_NUMBER}")
# Since the seventh writer: a street without a street word after "op de", "aan de", "naar de" ("de verhuizing
# naar de Hillevliet 77", "wonen op de Mathenesserdijk 12" has one), and French street names in Brussels
# ("Rue de Ribaucourt 47"). Not a group, a bus line or a page ("op de Groep 7", "naar de Lijn 4").
_ARTICLE_STREET = re.compile(
    rf"\b(?:op|aan|naar)\s+de\s+((?!(?:Groep|Klas|Lijn|Bus|Tram|Route|Afdeling|Pagina|Week|Kamer|Etage|Verdieping|Ronde"
    rf"|Plek|Stap|Fase|Dag|Niveau|Leeftijd|Editie|Versie)\b)[A-ZÀ-Ý][a-zà-ÿ]{{3,}},?\s+{_HOUSE_NUMBER})")
_FRENCH_STREET = re.compile(
    r"(?<![\w])(?:Rue|Avenue|Av\.|Chaussée|Place|Quai|Chemin|Square|Boulevard|Bd\.?|Drève|Clos|Allée)\s+"
    r"(?:(?:de\s+la|de\s+l'|du|des|de|d')\s*)?[A-ZÀ-Ý][\w'-]*(?:[\s-][A-ZÀ-Ý][\w'-]*){0,2},?\s+\d{1,4}[a-z]?(?![\w])"
    r"(?:\s+bus\s+\d{1,4}(?!\d))?")  # "Rue Gray 88 bus 4"
_NOT_STREETS = {"onderweg", "halfweg", "halverweg", "snelweg", "zijweg", "heenweg", "terugweg", "weg", "lei"}
# After "adres:" or "wonen op/aan" any words up to a house number are the street: "adres: de hoven 45 bis".
_ADDRESS_CUE = re.compile(
    r"\b(?:adres(?:\s+is|\s*:)|(?:woon|woont|wonen|woonde|woonden)\s+(?:nu\s+)?(?:op|aan)(?:\s+(?:de|het|'t))?)"
    rf"\s+((?:(?:[^\W\d][\w'-]*|[a-z]{{1,4}}\.)\s+){{1,4}}{_HOUSE_NUMBER})", re.I)
# A Belgian postcode after an address: "Kerkstraat 87 bus 2, 2060 Antwerpen".
_POSTCODE_BE = re.compile(r"(?<=\[adres\])\s*,?\s*([1-9]\d{3})(?=\s+[^\W\d_]|\s*[.,;!?]\s|\s*[.!?]?$)")
_TOWN_THEN_STREET = re.compile(
    r"\[plaats\],\s+((?!(?:Groep|Klas|Lijn|Bus|Tram|Route|Kamer|Week|Stap|Fase|Niveau|Pagina)\b)[A-ZÀ-Ý][a-zà-ÿ'-]{3,}"
    r"(?:\s+[A-ZÀ-Ý][a-zà-ÿ'-]+)?\s+\d{1,4}[a-z]?)(?![\w]|[.,:/-]\d)")
_ADDRESS_LEAD_STOP = {"ik", "wij", "we", "mijn", "ons", "onze", "het", "de", "in", "op", "aan", "bij",
                      "naar", "adres", "wonen", "woon", "woont", "te", "ter", "ten", "van", "der", "den", "'t"}

# --- putting it together ---------------------------------------------------
# One pass over the lower-case message finds the hint words of every rule that has them: one
# regex shaped as a trie of all the words (a plain alternation of 100 words is six times slower).
_HINT_GROUPS = {**redact_tokens.HINTS, **redact_places.HINTS, "address": ("adres", "woon", "wonen"),
                "rrn": ("rijksregister", "insz", "rrn", "nationaal nummer")}
# A word opens its own rules and those of every hint word it starts with: the one-pass regex
# finds "geboren", never the "geb" inside it (a date of birth, and a town: "in Gent geboren").
_HINT_RULE = {word: frozenset(rule for rule, words in _HINT_GROUPS.items() for hint in words if word.startswith(hint))
              for words in _HINT_GROUPS.values() for word in words}


def _trie_regex(words) -> str:
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


# A lookahead, so that a hint inside a longer one is found too ("werk" in "ik werk").
_HINTS = re.compile(f"(?=({_trie_regex(_HINT_RULE)}))")


def hints_in(text: str) -> frozenset:
    """Names of the rules whose hint words are in `text` (see _HINT_GROUPS)."""
    found = [_HINT_RULE[match.group(1)] for match in _HINTS.finditer(text.lower()) if match.group(1)]
    return frozenset().union(*found)


def _replace_spans(text: str, spans: List[Span], placeholder: str) -> str:
    if not spans:
        return text
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
            capital_van = token == "Van" and text[word.end():word.end() + 2][1:].isupper()
            if _STREET_WORD.fullmatch(token) or capital_van or not (token.islower() or token.lower() in _ADDRESS_LEAD_STOP):
                if token.lower() not in _NOT_STREETS:
                    spans.append((word.start(), match.end()))
                break
    return spans


def redact(text: Optional[str]) -> Optional[str]:
    """`text` with personal data replaced by placeholders such as [telefoon] and [naam]."""
    if not text:
        return text
    hints = hints_in(text)
    text = _sub(_EMAIL, EMAIL, text)
    text = _replace_spans(text, _spelled_email_spans(text), EMAIL)
    text = _sub(_IBAN_CUE, IBAN, text, group=1)
    text = _sub(_IBAN, IBAN, text, _is_iban)
    text = _replace_spans(text, birth_date_spans(text, hints), BIRTH_DATE)
    text = _replace_spans(text, plate_spans(text, hints), PLATE)
    text = _replace_spans(text, account_spans(text, hints), ACCOUNT)
    text = _sub(_PHONE_NL, PHONE, text, _is_phone)
    text = _sub(_PHONE_INTL, PHONE, text)
    if "0" in text:
        text = _sub(_PHONE_BE_FIXED, PHONE, text, _is_be_fixed_phone)
    text = _replace_spans(text, spelled_phone_spans(text, hints), PHONE)
    text = _sub(_BSN_CUE, BSN, text, group=1)
    text = _sub(_BSN, BSN, text, bsn_eleven_test)
    if "rrn" in hints:
        text = _sub(_RRN_CUE, BSN, text, rijksregister_date, group=1)
    if "-" in text:
        text = _sub(_RRN_WRITTEN, BSN, text, rijksregister_check)
    text = _sub(_POSTCODE_CUE, POSTCODE, text, group=1)
    text = _sub(_POSTCODE, POSTCODE, text)
    text = _replace_spans(text, _address_spans(text), ADDRESS)
    if " de " in text:
        text = _sub(_ARTICLE_STREET, ADDRESS, text, group=1)
    text = _sub(_FRENCH_STREET, ADDRESS, text)
    if "address" in hints:
        text = _sub(_ADDRESS_CUE, ADDRESS, text, lambda street: "[" not in street, group=1)
    if "[adres]" in text:
        text = _sub(_POSTCODE_BE, POSTCODE, text, group=1)
    text = _replace_spans(text, school_spans(text, hints), SCHOOL)
    text = _replace_spans(text, name_spans(text), NAME)
    text = _replace_spans(text, birth_date_after_child_spans(text), BIRTH_DATE)
    text = _replace_spans(text, place_spans(text, hints), PLACE)
    if "[plaats]," in text:  # since pii_j: a street without a street word right after the town ("[plaats], Doorniksewijk 145")
        text = _sub(_TOWN_THEN_STREET, ADDRESS, text, group=1)
    text = _replace_spans(text, district_spans(text), PLACE)
    return text
