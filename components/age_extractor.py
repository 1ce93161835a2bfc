"""Deterministic extraction of the child's age group (`age_band`) from a message.

Only the band is kept (baby, peuter_kleuter, schoolkind, puber), never the exact
age: it is all the bot needs to tailor its answer.

Parents answer "how old?" in many ways: a bare number ("7", "3,5", "zeven en een
half"), months or weeks ("18 mnd", "tien maandjes"), a school year in the Dutch or
the Flemish system ("groep 6", "tweede kleuterklas", "derde leerjaar", "havo 2",
"eerste middelbaar"), or a word ("dreumes", "tiener"). Three tiers, most precise
first: a number with or without a unit, then a school year, then a word; within a
tier the age mentioned first wins (the child the message is about is usually named
first). `only_tells_age` says whether a message holds nothing but an age, for the
context rules of components/context.py.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.names import AGE_BAND
from components.rule_component import RuleComponent

ENTITY = AGE_BAND

_UNITS = ["een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
NUMBER_WORDS: Dict[Text, float] = {
    "een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
    "zeven": 7, "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13,
    "veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18,
    "negentien": 19, "twintig": 20, "anderhalf": 1.5, "half": 0.5,
}
# 21-24 ("vierentwintig maanden"), with and without the diaeresis.
for _i, _w in enumerate(_UNITS[:4], start=1):
    for _joint in ("en", "ën"):
        NUMBER_WORDS[f"{_w}{_joint}twintig"] = 20 + _i
ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6,
    "1e": 1, "2e": 2, "3e": 3, "4e": 4, "5e": 5, "6e": 6,
    "1ste": 1, "2de": 2, "3de": 3, "4de": 4, "5de": 5, "6de": 6,
}


def _alternation(words) -> Text:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_DIGITS = r"(?<![\d.,])\d{1,2}(?:[.,]\d)?(?![\d])"
_HALF = r"(?:\s*(?:en\s+(?:een\s+)?half|½|1/2|-?ënhalf|-?enhalf))?"
# A number, with "and a half" (digits or words); "een" counts as 1 only before a unit.
_NUM = rf"((?:{_DIGITS}|\b(?:{_alternation(NUMBER_WORDS)})){_HALF})"
_NUM_BARE = (rf"((?:{_DIGITS}|\b(?:{_alternation(w for w in NUMBER_WORDS if w not in ('een', 'één', 'eén', 'half'))}))"
             rf"{_HALF})(?![^\W\d_])")
_QUAL = r"(?:(?:net|bijna|pas|nog maar|nog|al|ruim|ongeveer|rond de|zo'n|circa|ca\.?|amper|krap|precies|inmiddels|nu)\s+)*"
_KID = (r"\b(?:kind(?:je|jes|eren)?|zoon(?:tje)?|dochter(?:tje|ke)?|jongen(?:tje)?|jongetje|meisje|meiske|meid|"
        r"kleine|kleintje|baby|ventje|mannetje|manneke|knul|jongste|oudste|middelste|tweeling|"
        r"(?:pleeg|stief|klein)(?:kind|zoon|dochter)|neefje|nichtje|broertje|zusje|puber|tiener|peuter|kleuter)")
_NOT_AN_AGE_AFTER = (r"(?!\s*(?:keer|x\b|uur|u\b|minuten|min\b|seconden|dagen|dag\b|weken|week|maanden|maand|"
                     r"kinderen|kids|euro|€|cm|kilo|kg|km|procent|%|vriend|broer|zus|van de|op de|tegen))")
_MONTHS = r"(?:maanden|maandjes|maandje|maand|mnd|mndn|mnden|mth)\b"
_WEEKS = r"(?:weken|weekjes|week|wk|wkn)\b"
_YEARS = r"(?:jaar|jaartjes|jaartje|jaren|jr|j)\b"
_DURATION_BEFORE = r"(?<!sinds )(?<!sedert )(?<!binnen )(?<!per )(?<!elke )(?<!om de )(?<!na )(?<!over )(?<!voor )(?<!al )"
_DURATION_AFTER = r"(?!\s*(?:geleden|lang|later|terug|getrouwd|samen|gescheiden))"

# "ze wordt in maart 9", "hij wordt volgende week 4"
_WHEN = (r"(?:in|op|eind|begin|half|deze|dit|volgende|volgend|komende|vorige|vorig|afgelopen|laatst|onlangs|binnenkort|straks|morgen|de|het|"
         r"zomer|winter|lente|herfst|kerst|jaar|week|maand|januari|februari|maart|april|mei|juni|juli|"
         r"augustus|september|oktober|november|december)")
# (pattern, unit): group 1 is the number; the match whose number comes first wins,
# ties go to the pattern listed first.
_NUMBER_PATTERNS: List[Tuple["re.Pattern[str]", Text]] = [
    (re.compile(r"\bjaar\s+of\s+" + _NUM_BARE), "years"),  # "een jaar of 8": about 8
    (re.compile(_NUM + r"\s*-?\s*" + _MONTHS), "months"),
    (re.compile(_NUM + r"\s*-?\s*" + _WEEKS + r"(?=\s*oud)"), "weeks"),
    (re.compile(r"(?:\bvan|\bis|\bwordt|\bwerd|\bpas|\bnet)\s+" + _QUAL + _NUM + r"\s*-?\s*" + _WEEKS
                + r"(?!\s*(?:ziek|weg|bezig|thuis|lang|geleden|zwanger))"), "weeks"),
    (re.compile(_DURATION_BEFORE + _NUM + r"\s*-?\s*" + _YEARS + _DURATION_AFTER + r"(?!\s+of\b)"), "years"),
    (re.compile(_NUM + r"\s*-?\s*jarig(?:e|en)?\b"), "years"),
    (re.compile(_KID + r"\s*\(\s*" + _NUM_BARE + r"\s*(?:jaar|jr|j)?\s*\)"), "years"),
    (re.compile(_KID + r"\s*,\s*" + _NUM_BARE + r"\s*(?:jaar|jr|j)?\s*(?=,|\.|;|$)"), "years"),
    (re.compile(_KID + r"\s+van\s+" + _QUAL + _NUM_BARE + _NOT_AN_AGE_AFTER), "years"),
    (re.compile(r"\b(?:is|wordt|word|werd|was|ben|zijn|leeftijd:?)\s+(?:er\s+)?" + _QUAL + _NUM_BARE + _NOT_AN_AGE_AFTER), "years"),
    (re.compile(r"^\W*" + _QUAL + _NUM_BARE + r"\W*$"), "years"),
    # "en als hij al 15 is?", "wanneer ze 3 wordt" (not "toen": a past age)
    (re.compile(r"\b(?:als|wanneer)\s+(?:hij|zij|ze|het|die|je kind|mijn kind|ons kind)\s+" + _QUAL + _NUM_BARE
                + r"\s*(?:jaar\s+)?(?:oud\s+)?(?:is|was|wordt|werd)\b"), "years"),
    (re.compile(r"\b(?:wordt|word)\s+(?:" + _WHEN + r"\s+){1,3}" + _QUAL + _NUM_BARE + _NOT_AN_AGE_AFTER), "years"),
    (re.compile(r"\b(?:is|werd)\s+(?:" + _WHEN + r"\s+){1,3}" + _QUAL + _NUM_BARE + r"(?=\s*(?:jaar\b|geworden|\W*$))"),
     "years"),  # "hij is in juni 12 geworden"
    (re.compile(r"^\W*" + _QUAL + _NUM + r"\s*-?\s*" + _WEEKS + r"\W*$"), "weeks"),  # "zes weken"
]

_ORD = rf"(?:{_alternation(ORDINALS)})"
_SCHOOL_PATTERNS: List[Tuple["re.Pattern[str]", Any]] = [
    # Dutch primary school: groep 1-2 are the kleuters, 3-8 the school years.
    (re.compile(r"\b(?:groep|gr\.?)\s*([1-8]|" + _alternation(w for w in NUMBER_WORDS if NUMBER_WORDS[w] in range(1, 9) and w not in ("een", "één", "eén")) + r")\b"), "groep"),
    # Flemish kleuterklassen, nursery and day care.
    (re.compile(r"\b(?:" + _ORD + r"\s+)?(?:kleuterklas\w*|peuterklas\w*|instapklas\w*|kleuterschool|peuterspeelzaal|"
                r"peuteropvang|peutergroep|kinderdagverblijf|kdv|cr[eè]che|kribbe|onthaalmoeder|onthaalouder)\b"),
     "peuter_kleuter"),
    # Flemish primary school years, and primary school in general.
    (re.compile(r"\b" + _ORD + r"\s+(?:leerjaar|studiejaar)\b"), "schoolkind"),
    (re.compile(r"\b(?:lagere school|het lager\b|lager onderwijs|basisschool|basisonderwijs|"
                r"buitenschoolse opvang|naschoolse opvang)"), "schoolkind"),
    # Secondary school in both systems: klas 1-6 (NL), middelbaar/secundair (BE), the school types.
    (re.compile(r"\b(?:" + _ORD + r"\s+(?:jaar\s+)?(?:middelbaar|secundair|klas|graad)\b|klas\s*[1-6]\b|"
                r"(?:vmbo|havo|vwo|mavo|gymnasium|atheneum|lyceum|mbo)(?:[\s-]*[1-6])?\b|"
                r"middelbare?\b|secundair\w*|voortgezet onderwijs|brugklas\w*|brugpieper\w*|humaniora|eindexamen\w*)"),
     "puber"),
]
_WORD_PATTERNS: List[Tuple["re.Pattern[str]", Text]] = [
    (re.compile(r"\b(?:baby\w*|zuigeling\w*|pasgeboren\w*|newborn|net geboren|nog geen jaar|nog geen 1\b)"), "baby"),
    (re.compile(r"\b(?:peuter(?!juf|leid)\w*|kleuter(?!juf|leid|meester|onderwijs)\w*|dreumes\w*|hummel\w*)"), "peuter_kleuter"),
    (re.compile(r"\b(?:schoolkind\w*|basisschoolleeftijd|schoolgaand\w*)"), "schoolkind"),
    (re.compile(r"\b(?:puber\w*|tiener\w*|adolescent\w*|teenager\w*)"), "puber"),
]

# Words that may surround an age in a message that says nothing else.
_FILLER = set("""
hij zij ze die het de een mijn m'n mn ons onze is was wordt word werd ben zijn zit zitten gaat
naar op in of en al nog maar net pas bijna ongeveer ruim rond zo'n circa ca precies nu inmiddels
jaar jaartjes jr j oud jong kind kindje zoon zoontje dochter dochtertje
jongen meisje meid kleine manneke ventje oudste jongste leeftijd van school klas groep leerjaar
ja hoor dus eh ehm uh he sorry oh gewoon geworden worden later binnenkort volgende vorige deze
hem haar t 't denk geloof ik hoor toch wel zo iets baby peuter kleuter puber tiener dochterke meiske kindje zoontje ventje mannetje
""".split())
# Units name what a number counts: "zes weken" alone is no age in years.
_UNIT_WORDS = {"maanden", "maand", "mnd", "weken", "week", "wk", "maandjes", "weekjes"}


def band_for_years(years: float) -> Optional[Text]:
    if years < 0 or years > 18:
        return None
    if years < 1:
        return "baby"
    if years < 6:
        return "peuter_kleuter"
    if years < 12:
        return "schoolkind"
    return "puber"


def _number(token: Text) -> float:
    """'7', '3,5', 'zeven en een half', 'tweeënhalf', '7 1/2' -> float."""
    token = token.strip()
    half = re.search(r"(?:en\s+(?:een\s+)?half|½|1/2|-?ënhalf|-?enhalf)$", token)
    base = token[:half.start()].strip(" -") if half else token
    value = NUMBER_WORDS[base] if base in NUMBER_WORDS else float(base.replace(",", "."))
    return value + (0.5 if half else 0)


def _school_band(kind: Any, match: "re.Match[str]") -> Optional[Text]:
    if kind != "groep":
        return kind
    token = match.group(1)
    group = int(token) if token.isdigit() else int(NUMBER_WORDS[token])
    return "peuter_kleuter" if group <= 2 else "schoolkind"


def _earliest(found: List[Tuple[int, int, int, Text]]) -> Optional[Dict[Text, Any]]:
    if not found:
        return None
    start, _, end, band = min(found)
    return {"value": band, "start": start, "end": end}


def find_age_band(text: Text) -> Optional[Dict[Text, Any]]:
    """Return `{"value", "start", "end"}` for the age told in `text`, or None."""
    lowered = (text or "").lower()
    found = []
    for rank, (pattern, unit) in enumerate(_NUMBER_PATTERNS):
        for match in pattern.finditer(lowered):
            amount = _number(match.group(1))
            years = {"months": amount / 12, "weeks": amount / 52}.get(unit, amount)
            band = band_for_years(years)
            if band and not (unit == "weeks" and "zwanger" in lowered):
                found.append((match.start(1), rank, match.end(), band))
    if found:
        return _earliest(found)
    found = _tier(_SCHOOL_PATTERNS, lowered) or _number_among_fillers(lowered) or _tier(_WORD_PATTERNS, lowered)
    return _earliest(found)


def _tier(patterns, lowered: Text) -> List[Tuple[int, int, int, Text]]:
    found = []
    for rank, (pattern, kind) in enumerate(patterns):
        for match in pattern.finditer(lowered):
            band = _school_band(kind, match)
            if band:
                found.append((match.start(), rank, match.end(), band))
    return found


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d{1,2}(?:[.,]\d)?")
_NUMBER_ONLY = re.compile(_NUM_BARE)


def _number_among_fillers(lowered: Text) -> List[Tuple[int, int, int, Text]]:
    """One number and only filler words around it ("12 hoor", "pas 3 denk ik")."""
    numbers, others = [], []
    for match in _WORD.finditer(lowered):
        whole = _NUMBER_ONLY.fullmatch(match.group())
        (numbers if whole else others).append(match)
    if len(numbers) != 1 or any(m.group() not in _FILLER or m.group() in _UNIT_WORDS for m in others):
        return []
    band = band_for_years(_number(numbers[0].group()))
    return [(numbers[0].start(), 0, numbers[0].end(), band)] if band else []


def only_tells_age(text: Text) -> bool:
    """True when `text` tells an age and nothing else ("12", "ze is pas 4", "groep 6")."""
    found = find_age_band(text)
    if not found:
        return False
    lowered = (text or "").lower()
    rest = lowered[:found["start"]] + " " + lowered[found["end"]:]
    words = [m.group() for m in _WORD.finditer(rest)]
    return all(word in _FILLER or word in _UNIT_WORDS or word in NUMBER_WORDS or word in ORDINALS
               for word in words)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class AgeExtractor(RuleComponent):
    """Adds an `age_band` entity when a message tells the child's age."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = find_age_band(message.get(TEXT))
            if found and not any(e.get("entity") == ENTITY for e in message.get(ENTITIES, [])):
                entity = {**found, "entity": ENTITY, "confidence_entity": 1.0,
                          "extractor": self.__class__.__name__}
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages
