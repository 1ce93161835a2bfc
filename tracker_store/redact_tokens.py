"""Dates of birth, licence plates, social-media accounts and spelled-out phone numbers.

Pure functions, no Rasa imports; used by tracker_store/redact.py, whose docstring has
the measurements. Each finder returns spans; redact.py replaces them.

- Date of birth: a date in any written form (14-02-2017, 3/9/14, 14-6-'17, 30.01.2013,
  2014-09-03, 14 februari 2017, 17 aug 2013) after a birth cue (geboren, geb.,
  geboortedatum, °, jarig op), before one ("op 3 mei 2017 geboren") or right after a
  child ("Lars (11-03-2013)", "mijn zoon, 03-09-2014"), and a birthday with its year
  ("op 23 maart jarig, geboren in 2015"). Dates without such a cue are appointments and
  stay, and so does a year alone ("sinds 2019").
- Licence plate: the Dutch side codes (XX-99-99 ... 9-XX-999) and the Belgian 1-ABC-123
  with dashes anywhere; with spaces or none only after a cue (kenteken, nummerbord).
- Account: "@name" anywhere; after a platform or account cue (insta, snapchat, tiktok,
  discord, fortnite, gebruikersnaam ...) a name of a handle's shape (an underscore, a
  dot or digits inside, CamelCase, #1234) in the same stretch of text, or any word
  after "insta:". An ordinary word is never an account.
- Phone number spelled out in words from "nul" on ("nul twintig, zes vier zeven ...")
  when the words give nine digits or more.
"""
import re
from datetime import date
from typing import AbstractSet, List, Tuple

Span = Tuple[int, int]
# Words of which one must be in the lower-case message before a rule runs at all; redact.py
# finds them all in one pass (most messages have none).
HINTS = {
    "birth": ("geb", "jarig", "°", "verjaardag", "dob", "born", "birth"),
    "plate": ("kenteken", "nummerbord", "nummerplaat", "nrplaat"),
    "account": ("@", "insta", "snap", "tok", "facebook", "fb", "discord", "fortnite", "roblox", "minecraft", "wechat",
                "weixin", "kik", "skype", "viber", "linkedin", "pinterest", "bereal",
                "twitter", "youtube", "twitch", "telegram", "threads", "steam", "psn", "xbox", "playstation",
                "gamertag", "account", "naam", "user", "profiel", "kanaal", "game", "online"),
    "spelled": ("nul",),
}

# --- dates of birth --------------------------------------------------------------
_MONTHS = (r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
           r"|jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|nov|dec")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
# The year in full, in two digits or after an apostrophe: 14-6-2017, 14-6-17, 14-6-'17.
_NUMERIC_DATE = rf"{_DAY}\s?[-./]\s?{_MONTH_NUMBER}\s?[-./]\s?(?:(?:19|20)?\d{{2}}|['’]\d{{2}})(?!\d)"
_ISO_DATE = rf"(?:19|20)\d{{2}}-{_MONTH_NUMBER}-{_DAY}(?!\d)"
_DAY_MONTH = rf"{_DAY}(?:e|ste|de)?\s+(?:van\s+)?(?:{_MONTHS})(?![\w])\.?"  # "de 3e van mei 2016"
_YEAR = r"(?:19|20)\d{2}(?!\d)"
_WORD_DATE = rf"{_DAY_MONTH}(?:,?\s+(?:{_YEAR}|'\d{{2}}(?!\d)))?"
# A date spelled out in words: "vijftien februari tweeduizend zestien", "de eerste mei 2016".
_DAY_WORDS = (r"(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)(?:twintig|dertig)|eenendertig"
              r"|dertig|twintig|tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
              r"|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)"
              r"|(?:eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|\w+tiende|\w*twintigste"
              r"|\w*dertigste)")
_UNIT_WORDS = r"een|één|twee|drie|vier|vijf|zes|zeven|acht|negen"
_TEN_WORDS = r"twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
_YEAR_WORDS = (r"(?:tweeduizend|negentienhonderd)(?:[\s-]?(?:en[\s-]?)?"
               rf"(?:(?:{_UNIT_WORDS})(?:en|ën)(?:{_TEN_WORDS})|{_TEN_WORDS}|tien|elf|twaalf|\w+tien|{_UNIT_WORDS})(?![\w]))?")
_SPELLED_DATE = rf"(?:de\s+)?(?:{_DAY_WORDS})\s+(?:{_MONTHS})(?![\w])(?:,?\s+(?:{_YEAR_WORDS}|{_YEAR}))?"
# Eight digits in a row only after a cue: 20170412 (as apps write it) or 12042017.
_COMPACT_DATE = (r"(?:(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
                 r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2})(?!\d)")
_DATE = rf"(?:{_NUMERIC_DATE}|{_ISO_DATE}|{_WORD_DATE}|{_COMPACT_DATE}|{_SPELLED_DATE})"
# The cue, then at most a few words: "geb. datum:", "geboortedatum van Jesse is", "geboren op de".
_BIRTH_CUE = re.compile(
    r"(?:\b(?:geboren|geb|geboortedatum|geboortedag|geb\.?\s?datum|geboorte\s?datum|verjaardag|dob|born|date\s+of\s+birth)\b\.?"
    r"|°|\bjarig\b)"
    r"(?:\s+van\s+(?:[^\W\d_][\w'’-]*\s+){1,3}?(?=is\b|:))?"
    r"(?:(?:\s+[a-zà-ÿ]+){1,3}\s*:)?"  # "zijn verjaardag genoteerd: 19 maart 2013"
    # after the noun a few words may stand before the date: "geboortedatum volgens de papieren 1 januari 2014"
    r"(?:(?<=datum)(?:\s+(?!(?:en|of|maar|want|dus|afspraak|gesprek)\b)[a-zà-ÿ]+){1,4}(?=\s+\d))?"
    rf"\s*(?:(?:op|is|in|de|den|rond|was|:|=|-|,)\s*){{0,2}}({_DATE})", re.I)  # "in Damascus geboren, 21/04/2017"
# The cue after the date: "ze is op 3 mei 2017 geboren", "op 02-02-2019 is hij geboren".
_BIRTH_CUE_AFTER = re.compile(
    rf"\bop\s+({_DATE})\s+(?:(?:is|werd|ben|zijn)\s+(?:hij|ze|zij|ik|hem|haar|jij|die)?\s*|(?:hij|ze|zij)\s+)?geboren\b",
    re.I)
# "op 23 maart jarig, geboren in 2015": the birthday and the year together are the date.
_BIRTHDAY_FIRST = re.compile(
    rf"({_DAY_MONTH}\s+jarig(?:\s*[,;]?\s*(?:en\s+)?(?:(?:is\s+)?(?:hij|ze|zij)\s+)?(?:is\s+)?geboren\s+(?:in\s+)?{_YEAR})?)",
    re.I)
# A full date right after a child or a name: "Lars (11-03-2013)", "mijn zoon, 03-09-2014".
_AFTER_CHILD = re.compile(
    r"(?:\[naam\]|\b(?:zoon(?:tje)?|dochter(?:tje)?|kind(?:je)?|pleeg(?:zoon|dochter|kind)|kleinzoon|kleindochter"
    rf"|baby|broer(?:tje)?|zus(?:je)?))\s*(?:\(|,|:)\s*({_NUMERIC_DATE}|{_ISO_DATE}|{_DAY_MONTH}\s+{_YEAR})",
    re.I)
# A record of a child as a list: "[naam] - [bsn] - 2015-06-30", "[naam] | 03-09-2014": a full date with
# its year in four digits, before this year, after a name (and a number that identifies the child) set
# off by dashes or bars. An appointment ("[naam] - 12-03-2026 om 10:30") is this year or later.
_FULL_YEAR_DATE = (rf"{_DAY}\s?[-./]\s?{_MONTH_NUMBER}\s?[-./]\s?((?:19|20)\d{{2}})(?!\d)"
                   rf"|((?:19|20)\d{{2}})-{_MONTH_NUMBER}-{_DAY}(?!\d)|{_DAY_MONTH}\s+((?:19|20)\d{{2}})(?!\d)")
_IN_A_RECORD = re.compile(
    r"\[naam\](?:\s+[-–|/]\s+\[(?:bsn|adres|postcode|telefoon)\])*\s+[-–|/]\s+"
    rf"({_FULL_YEAR_DATE})(?!\s*(?:om\s+|van\s+)?\d{{1,2}}[:.u]\d{{0,2}})", re.I)
_DATE_HINT = re.compile(r"\d\s?[-./]\s?\d|\d\s+[a-z]{3}", re.I)


def birth_date_spans(text: str, hints: AbstractSet[str]) -> List[Span]:
    if "birth" not in hints:
        return []
    spans = [m.span(1) for m in _BIRTH_CUE.finditer(text)]
    if "geboren" in text.lower():
        spans += [m.span(1) for m in _BIRTH_CUE_AFTER.finditer(text)]
    if "jarig" in text.lower():
        spans += [m.span(1) for m in _BIRTHDAY_FIRST.finditer(text)]
    return spans


def birth_date_after_child_spans(text: str) -> List[Span]:
    """Run after the names: "[naam] (03-09-2014)"."""
    if not _DATE_HINT.search(text):
        return []
    spans = [m.span(1) for m in _AFTER_CHILD.finditer(text)]
    if "[naam]" in text:
        this_year = date.today().year
        spans += [m.span(1) for m in _IN_A_RECORD.finditer(text)
                  if int(next(year for year in m.groups()[1:] if year)) < this_year]
    return spans


# --- licence plates --------------------------------------------------------------
# Dutch side codes 1-14 (L letter, D digit) and the Belgian 1-ABC-123.
_SIDE_CODES = ("LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
               "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D", "D-LLL-DDD")


def _side_code(code: str, separator: str) -> str:
    groups = [("[A-Z]" if part[0] == "L" else r"\d") + f"{{{len(part)}}}" for part in code.split("-")]
    return separator.join(groups)


_PLATE_DASHED = re.compile(
    r"(?<![\w-])(?:" + "|".join(_side_code(code, "-") for code in _SIDE_CODES) + r")(?![\w-])", re.I)
_PLATE_LOOSE = "|".join(_side_code(code, r"[ ]?") for code in _SIDE_CODES)
# After the cue a few words may come first: "de nummerplaat opgeschreven: zx814t", "kenteken van die auto is".
_PLATE_CUE = re.compile(
    r"\b(?:kenteken(?:plaat|nummer)?|nummerplaat|nummerbord|nrplaat)(?:\s+[^\W\d_][\w'’]*){0,4}?\s*(?:is|was|:|nr\.?)?\s*"
    # German plates after the cue too: "Duits kenteken AC-KL 482"
    rf"(?<![\w-])({_PLATE_LOOSE}|(?-i:[A-ZÄÖÜ]{{1,3}}-[A-Z]{{1,2}}[ ]?\d{{1,4}}[EH]?))(?![\w-])", re.I)


def plate_spans(text: str, hints: AbstractSet[str]) -> List[Span]:
    spans = [m.span() for m in _PLATE_DASHED.finditer(text)] if "-" in text else []
    if "plate" in hints:
        spans += [m.span(1) for m in _PLATE_CUE.finditer(text)]
    return spans


# --- social-media accounts -------------------------------------------------------
_AT_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[\w.]*\w)?")
_PLATFORMS = (r"insta(?:gram)?|snap(?:chat)?|tik\s?tok|facebook|fb|discord|fortniten?|roblox|minecraft|twitter"
              r"|wechat|weixin|kik|skype|viber|linkedin|pinterest|bereal|naam\s+(?:daar|online|in\s+(?:de|het)\s+spel)"
              r"|youtube|twitch|telegram|threads|steam|psn|xbox|playstation|gamertag|account|accountnaam"
              r"|gebruikersnaam|username|user|profiel(?:naam)?|bijnaam|nickname|schermnaam|kanaal"
              r"|(?:gamen|gamet|gamede|gamed|online)\s+als")  # "zit de hele nacht te gamen als xX_EdsonKing_Xx"
_PLATFORM = re.compile(rf"\b(?:{_PLATFORMS})(?:[\s-]?account)?\b", re.I)
# "snap" is also the verb snappen ("als ik het goed snap: dat ..."): before a colon only "snapchat".
_PLATFORM_COLON = re.compile(rf"\b(?:{_PLATFORMS.replace('snap(?:chat)?', 'snapchat')})\s*[:=]\s*@?"
                             r"([A-Za-z0-9][\w.#-]*\w)", re.I)
_TOKEN = re.compile(r"(?<![\w@\[.#-])[A-Za-z0-9][\w.#-]*[\w]")
_CAMEL = re.compile(r"[a-z][A-Z]")
_NOT_HANDLES = re.compile(r"(?:\d+(?:[.,:]\d+)*|[\w-]+\.(?:nl|be|com|org|net|eu)|\d+(?:e|de|ste|x)|v\d+)", re.I)
# Since pii_j: the name someone plays or posts under ("speelt Fortnite onder de naam RafaTjakalele"): right after the
# cue one capital inside the word or a digit is enough ("onder de naam van zijn broer" stays).
_UNDER_THE_NAME = re.compile(r"\bonder\s+de\s+(?:naam|gebruikersnaam|nickname|bijnaam)\s+@?([A-Za-z0-9][\w.#-]*\w)")
ACCOUNT_WINDOW = 160  # characters after a platform word in which a handle-shaped word is an account


def is_handle_shaped(token: str) -> bool:
    """A word that cannot be an ordinary word: kwame_tw0, daan.vd08, LarsTheBoss, rayan#4471."""
    if len(token) < 4 or _NOT_HANDLES.fullmatch(token) or sum(ch.isalpha() for ch in token) < 2:
        return False
    has_digit = any(ch.isdigit() for ch in token)
    return ("_" in token or "#" in token or bool(re.search(r"[a-z]\.[a-z0-9]", token, re.I))
            or (has_digit and any(ch.isalpha() for ch in token)) or len(_CAMEL.findall(token)) >= 2)


def account_spans(text: str, hints: AbstractSet[str]) -> List[Span]:
    if "account" not in hints:
        return []
    spans = [m.span() for m in _AT_HANDLE.finditer(text)] if "@" in text else []
    spans += [m.span(1) for m in _PLATFORM_COLON.finditer(text)]
    if "onder de" in text:
        spans += [m.span(1) for m in _UNDER_THE_NAME.finditer(text)
                  if is_handle_shaped(m.group(1)) or _CAMEL.search(m.group(1)) or re.search(r"\d", m.group(1))]
    for platform in _PLATFORM.finditer(text):
        for token in _TOKEN.finditer(text, platform.end(), min(len(text), platform.end() + ACCOUNT_WINDOW)):
            if is_handle_shaped(token.group()):
                spans.append(token.span())
    return spans


# --- phone numbers spelled out in words ------------------------------------------
_UNITS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9}
_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
          "zeventien": 17, "achttien": 18, "negentien": 19}
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
         "negentig": 90}
_NUMBER_WORD = (rf"(?:(?:{'|'.join(_UNITS)})(?:ën|en)(?:{'|'.join(_TENS)})|{'|'.join(_TENS)}|{'|'.join(_TEENS)}"
                rf"|{'|'.join(_UNITS)}|nul)")
_SPELLED_NUMBER = re.compile(rf"\bnul(?:[\s,.-]+{_NUMBER_WORD}){{3,}}\b", re.I)
_COMPOUND = re.compile(rf"({'|'.join(_UNITS)})(?:ën|en)({'|'.join(_TENS)})")


def _digits_of(word: str) -> str:
    word = word.lower()
    compound = _COMPOUND.fullmatch(word)
    if compound:
        return str(_TENS[compound.group(2)] + _UNITS[compound.group(1)])
    if word == "nul":
        return "0"
    return str({**_UNITS, **_TEENS, **_TENS}[word])


def spelled_phone_spans(text: str, hints: AbstractSet[str]) -> List[Span]:
    if "spelled" not in hints:
        return []
    spans = []
    for match in _SPELLED_NUMBER.finditer(text):
        words = re.findall(r"[^\W\d_]+", match.group())
        if sum(len(_digits_of(word)) for word in words) >= 9:
            spans.append(match.span())
    return spans
