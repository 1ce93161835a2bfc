"""Which responses answer which question, for the answers a custom action gives.

Single questions are answered by the rules in data/rules.yml. Two kinds of answer
need code, because they depend on more than the intent: a follow-up ("en in de
klas?", "waarom is dat?") depends on the previous topic, and a message with several
questions needs several answers in one turn. Both use `ANSWERS`, the same intent ->
responses mapping as the rules (tests/test_answers.py keeps the two equal).

Plain data and functions without Rasa imports, so the NLU components and the tests
can use them too.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from actions.names import (
    ACKNOWLEDGE_RESPONSE,
    AGE_NOTE_RESPONSE,
    ASK_AGE_RESPONSE,
    BEHAVIOUR_INTENT,
    CAPABILITIES_RESPONSE,
    MORE_GOING_ON_RESPONSE,
    REGISTRATION_INTENT,
    REGISTRATION_RESPONSE,
)

# Content intent -> the responses of its rule, without the feedback question.
# ask_registration's rule runs action_show_registration, which sends utter_registration.
ANSWERS: Dict[str, Tuple[str, ...]] = {
    "ask_what_is_attachment": ("utter_what_is_attachment",),
    "ask_attachment_problems": ("utter_attachment_problems",),
    "ask_signs_home": ("utter_signs_home",),
    "ask_signs_school": ("utter_signs_school",),
    "ask_teacher_tips": ("utter_teacher_tips",),
    "ask_causes": ("utter_causes",),
    "ask_cause_parent_history": ("utter_cause_parent_history",),
    "ask_cause_rejection": ("utter_cause_rejection",),
    "ask_cause_neglect": ("utter_cause_neglect",),
    "ask_cause_many_caregivers": ("utter_cause_many_caregivers",),
    "ask_cause_adoption_foster": ("utter_cause_adoption_foster",),
    "ask_cause_violence": ("utter_cause_violence",),
    "ask_cause_trauma": ("utter_cause_trauma",),
    "ask_is_it_my_fault": ("utter_not_your_fault",),
    "ask_help_at_home": ("utter_help_at_home",),
    "ask_seek_help": ("utter_seek_help",),
    "ask_treatment": ("utter_treatment",),
    REGISTRATION_INTENT: (REGISTRATION_RESPONSE,),
    "ask_practical_info": ("utter_practical_info",),
    "ask_diagnosis": ("utter_no_diagnosis",),
    # Age known: the tailored note; not known: the age question (see `responses_for`).
    BEHAVIOUR_INTENT: (ACKNOWLEDGE_RESPONSE, AGE_NOTE_RESPONSE, MORE_GOING_ON_RESPONSE),
}
CONTENT_INTENTS = frozenset(ANSWERS)

# A follow-up leans on the previous topic. Its kind comes from its words:
AGE, SCHOOL, HOME, WHY, HOW, MORE = "age", "school", "home", "why", "how", "more"
AGE_NOTE = "age_note"  # the tailored age sentence, as a follow-up target
_KINDS = (SCHOOL, HOME, WHY, HOW, MORE)

# topic -> what answers a follow-up of each kind: (school, home, why, how, more).
# Each target answers from the page what the parent most likely asks next, e.g.
# "waarom?" after the signs gives the causes, "hoe dan?" after help at home gives
# the treatment (a care worker helps you attune to your child).
_FOLLOW_UPS: Dict[str, Tuple[str, str, str, str, str]] = {
    "ask_what_is_attachment": ("ask_signs_school", "ask_help_at_home", "ask_attachment_problems",
                               "ask_help_at_home", "ask_attachment_problems"),
    "ask_attachment_problems": ("ask_signs_school", "ask_help_at_home", "ask_causes", "ask_signs_home",
                                "ask_signs_home"),
    "ask_signs_home": ("ask_signs_school", "ask_help_at_home", "ask_causes", "ask_seek_help", "ask_signs_school"),
    "ask_signs_school": ("ask_teacher_tips", "ask_signs_home", "ask_causes", "ask_teacher_tips", "ask_teacher_tips"),
    "ask_teacher_tips": ("ask_signs_school", "ask_help_at_home", "ask_attachment_problems", "ask_seek_help",
                         "ask_signs_school"),
    "ask_causes": ("ask_signs_school", "ask_help_at_home", "ask_attachment_problems", "ask_help_at_home",
                   "ask_help_at_home"),
    "ask_is_it_my_fault": ("ask_teacher_tips", "ask_help_at_home", "ask_causes", "ask_help_at_home",
                           "ask_help_at_home"),
    BEHAVIOUR_INTENT: ("ask_signs_school", "ask_help_at_home", AGE_NOTE, "ask_help_at_home", "ask_signs_home"),
    "ask_help_at_home": ("ask_teacher_tips", "ask_treatment", "ask_what_is_attachment", "ask_treatment",
                         "ask_treatment"),
    "ask_seek_help": ("ask_teacher_tips", "ask_help_at_home", "ask_signs_home", REGISTRATION_INTENT,
                      "ask_treatment"),
    "ask_treatment": ("ask_teacher_tips", "ask_help_at_home", "ask_help_at_home", REGISTRATION_INTENT,
                      REGISTRATION_INTENT),
    REGISTRATION_INTENT: ("ask_teacher_tips", "ask_help_at_home", "ask_treatment", REGISTRATION_INTENT,
                          "ask_treatment"),
    "ask_practical_info": ("ask_teacher_tips", "ask_help_at_home", "ask_practical_info", REGISTRATION_INTENT,
                           REGISTRATION_INTENT),
    "ask_diagnosis": ("ask_signs_school", "ask_help_at_home", "ask_signs_home", "ask_seek_help",
                      "ask_signs_home"),
}
# The specific causes: more about the cause is the general list; "hoe dan?" what helps.
for _cause in [i for i in ANSWERS if i.startswith("ask_cause_")]:
    _FOLLOW_UPS[_cause] = ("ask_signs_school", "ask_help_at_home", "ask_causes", "ask_help_at_home", "ask_causes")

_KIND_WORDS = [
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
    """What a follow-up asks: about an age, school, home, why, how, or just more."""
    if has_age:
        return AGE
    lowered = (text or "").lower()
    if re.match(r"\W*(?:(?:en|maar)\s+)?(?:waarom|hoezo|wrm)\b", lowered):
        return WHY  # "waarom zou ik er als vader iets mee moeten?" asks why, not about home
    for kind, pattern in _KIND_WORDS:
        if re.search(pattern, lowered):
            return kind
    return MORE


def follow_up_target(topic: Optional[str], kind: str) -> Optional[str]:
    """The intent (or AGE_NOTE) that answers a follow-up of `kind` on `topic`; None
    when there is no previous topic to lean on."""
    if kind == AGE:
        return AGE_NOTE
    if topic not in _FOLLOW_UPS:
        return None
    return _FOLLOW_UPS[topic][_KINDS.index(kind)]


def responses_for(target: Optional[str], age_known: bool) -> List[str]:
    """The responses that answer `target` (a content intent, AGE_NOTE or None)."""
    if target is None:
        return [CAPABILITIES_RESPONSE]
    if target == AGE_NOTE:
        return [AGE_NOTE_RESPONSE, MORE_GOING_ON_RESPONSE]
    if target == BEHAVIOUR_INTENT and not age_known:
        return [ACKNOWLEDGE_RESPONSE, ASK_AGE_RESPONSE]
    return list(ANSWERS[target])
