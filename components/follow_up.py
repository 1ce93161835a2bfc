"""Follow-ups: a short message that leans on the previous answer, and what kind of
question it asks. Pure functions, no Rasa imports.

The NLU components use them to classify ("en in de klas?" is a follow-up, of kind
school) and put the kind in the parse data (`follow_up` key, actions/names.py); the
answer action alone decides which answer that kind gets on the topic in play
(actions/answers.py, from content/topics.yml).
"""
from __future__ import annotations

import re

from actions.names import AGE_KIND as AGE
from actions.names import EXPLAIN_KIND as EXPLAIN
from actions.names import HOME_KIND as HOME
from actions.names import HOW_KIND as HOW
from actions.names import MORE_KIND as MORE
from actions.names import SCHOOL_KIND as SCHOOL
from actions.names import WHY_KIND as WHY

__all__ = ["AGE", "EXPLAIN", "HOME", "HOW", "MORE", "SCHOOL", "WHY", "follow_up_kind", "follow_up_shaped"]

_KIND_WORDS = [
    # "hoe bedoel je ...?", "klopt dat?": the same point once more, in plain words.
    (EXPLAIN, r"\b(?:(?:hoe|wat) bedoel\w*|wat betekent|wat wil (?:dat|dit|da) zeggen|leg\w*\b.{0,30}\buit|uitleg\w*|"
              r"in (?:gewone|simpele|makkelijke|eenvoudige) (?:taal|woorden)|simpeler|"
              r"(?:snap|begrijp) (?:ik )?(?:het|dat|dit|er) niet|(?:snap|begrijp) er niks van|"
              r"klopt (?:dat|dit|het|da)|is (?:dat|dit|da) (?:zo|echt|altijd|waar|wel zo)|echt waar|altijd zo)\b"),
    (SCHOOL, r"\b(?:klas\w*|school\w*|juf\w*|meester\w*|leerkracht\w*|leraar|leraren|docent\w*|leerling\w*|"
             r"mentor\w*|onderwijs\w*|les|lessen|ib'?er|zorgco\w*|opvang|kinderopvang|kdv|cr[eè]che|"
             r"kribbe|gastouder\w*|leidster\w*|bso)\b"),
    (HOME, r"\b(?:thuis|zelf|gezin\w*|als (?:ouder|mama|papa|moeder|vader|ma|pa|pleegouder)s?)\b"),
    (WHY, r"\b(?:waarom|hoezo|wrm|waardoor|waarvoor|hoe komt|hoe kan (?:dat|het|da)|oorzaa?k\w*|reden\w*|"
          r"waar (?:komt|kom) (?:dat|het|dit|da|zoiets) (?:door|vandaan)|door wat)\b"),
    (HOW, r"\b(?:hoe|wat (?:moet|moeten|kan|kun|kunnen|doe|doen|nu)|aanpak\w*|aanpakken)\b"),
]

# Words that name a topic of their own: a message with one is a question of its own.
_TOPIC_WORDS = re.compile(
    r"hecht|kenmerk|signa|symptom|herken|oorza|ontsta|meld|inschrijv|behandel|therap|begeleid|hulpverlen|"
    r"kost|betal|prijs|wachtlijst|wachttijd|verzeker|vergoed|adres|locatie|openingstijd|telefoon|verwijs|"
    r"adopt|pleeg|verwaarlo|geweld|ruzie|trauma|schuld|afwijz|afgewezen|opvoeder|oppas|huisarts|"
    r"consultatiebureau|diagnos|stoornis|normaal|fase|driftbui|ocrn|robot|computer|mens\b")
_JOINING_WORDS = {"en", "maar", "ook", "dus", "oke", "oké", "ok", "okee", "allez", "allee", "nou"}
_QUESTION_WORDS = {"waarom", "hoezo", "hoe", "wat", "waar", "wanneer", "wie", "welke", "wrm", "wa"}
_BACK_REFERENCES = {"dat", "dit", "daar", "daarmee", "daarvan", "daarover", "daaraan", "daardoor", "daarbij",
                    "daarvoor", "die", "het", "da", "er", "zoiets", "zo", "dan"}


def follow_up_shaped(text: str, after_question: bool = False) -> bool:
    """A short message that leans on what came before: it starts with a joining word
    ("en in de klas?", "maar waarom?") or is a question that points back ("hoe kan ik
    dat voorkomen?", "waarom niet?"), and names no topic of its own. Right after
    another question of the same message (`after_question`), any short question
    without a topic of its own leans on it ("..., wat kan je zelf doen?")."""
    words = re.findall(r"[^\W\d_]+", (text or "").lower())
    if not words or len(words) > 8 or _TOPIC_WORDS.search(" ".join(words)):
        return False
    if words[0] in _JOINING_WORDS or (after_question and words[0] in _QUESTION_WORDS):
        return True
    return words[0] in _QUESTION_WORDS and (len(words) <= 3 or bool(_BACK_REFERENCES & set(words[1:])))


def follow_up_kind(text: str, has_age: bool = False) -> str:
    """What a follow-up asks: about an age, to explain, school, home, why, how, or more."""
    if has_age:
        return AGE
    lowered = (text or "").lower()
    if re.match(r"\W*(?:(?:en|maar)\s+)?(?:waarom|hoezo|wrm)\b", lowered):
        return WHY  # "waarom zou ik er als vader iets mee moeten?" asks why, not about home
    for kind, pattern in _KIND_WORDS:
        if re.search(pattern, lowered):
            return kind
    return MORE
