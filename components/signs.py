"""One sign of attachment problems, told without asking whether it is normal.

"Ze laat zich nooit troosten" or "hij gaat met iedereen mee" is one of the signs the
practice's page lists; the parent wants to know what it may mean, and the answer is
the signs (`ask_signs_home`). The classifier often calls such a short description of
a child `ask_behaviour_normal`, the intent of "is dit normaal voor zijn leeftijd?",
because that intent holds many short descriptions of ordinary behaviour (tantrums,
fears, play). This component moves a message from `ask_behaviour_normal` (or the
fallback: "hij raakt volledig van slag" is better answered with the signs than with
"dat begreep ik niet") to `ask_signs_home` when it names a sign from the page (`SIGN`)
and does not ask about normality or age (`ASKS_IF_NORMAL`); from `ask_teacher_tips`
too when it asks for no tips (`ASKS_WHAT_TO_DO`), and from another content answer when
the message is no question at all ("doet alles om aandacht" is no question about a cause). No training example of
`ask_behaviour_normal` matches (tests/test_signs.py). Everything else stays the
classifier's call.
"""
from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.names import BEHAVIOUR_INTENT, FALLBACK_INTENT
from components.rule_component import RuleComponent
from content.topics import content_intents

CONTENT_INTENTS = content_intents()

SIGNS_INTENT = "ask_signs_home"
TEACHER_TIPS_INTENT = "ask_teacher_tips"
# Answers that already give the signs, or that a described sign cannot be moved from.
KEEPS = {SIGNS_INTENT, "ask_signs_school", "ask_diagnosis", "ask_is_it_my_fault"}
SIGN_KEY = "single_sign"  # output key: the rule fired
# The signs of the page (content/register.yml: utter_signs_home, utter_signs_school) in
# the words parents use: seeking or avoiding contact, hard to comfort, distrust,
# manipulating, going along with anyone, shallow contact, friendships that fail,
# thinking only of oneself.
SIGN = re.compile(
    r"\b(?:(?:laat|liet) zich\b[\w\s]{0,20}\bniet (?:\w+ )?troosten|\w*troost\w*|steun (?:zoek|zocht)\w*|"
    r"zoekt (?:nooit|geen) (?:steun|troost)|op (?:een )?afstand|afstand (?:houdt|hield|houden)|"
    r"(?:laat|liet) niemand\b[\w\s]{0,10}\b(?:toe|dichtbij)|\w*vertrouw\w*|argwaan|manipul\w*|"
    r"tegen elkaar (?:uit|op)|met (?:iedereen|vreemden|onbekenden) mee|bij (?:iedereen|vreemden) op schoot|"
    r"oppervlakkig|nep\b|gespeeld|vriendschap\w*|vriendjes? (?:houden|houdt|vasthouden)|"
    r"(?:denkt|bezig) (?:alleen|enkel) (?:aan|met) (?:zichzelf|zijn eigen|haar eigen)|egocentri\w*|"
    r"kijkt (?:me|mij|ons) (?:nooit|niet) aan|alles (?:om|voor) aandacht|"
    r"(?:vraagt|eist|zoekt|trekt) (?:\w+ )?(?:de hele dag |constant |steeds |altijd )?(?:alle )?aandacht)"
)
# A question what to do: then a teacher asks for tips, not what the sign means.
ASKS_WHAT_TO_DO = re.compile(
    r"\b(?:hoe|wat (?:kan|kun|moet|doe|doen|helpt)|tips?|help\w*|omgaan|aanpak\w*|reageer\w*|"
    r"spelletjes?|activiteiten|oefeningen|manieren|ideeën|versterken|verbeteren|"
    # "moet ik strenger zijn?", "kan ik beter negeren?", "zal ik hem apart nemen?"
    r"(?:moet|zal|mag) ik (?!me\b)|kan ik (?:beter|het best))\b")
ASKS_IF_NORMAL = re.compile(
    r"\b(?:normaal|fase|leeftijd|hoort (?:dat|het|dit|da) (?:er )?bij|erbij|gewoon|puberteit|peuterpubertijd|"
    r"koppigheidsfase|is dat erg|moet ik me (?:zorgen|ongerust))")


def is_single_sign(text: Optional[Text]) -> bool:
    lowered = (text or "").lower()
    return bool(SIGN.search(lowered)) and not ASKS_IF_NORMAL.search(lowered)


# Words of a question, or of a question about a cause or help, anywhere in a message.
_ASKING = re.compile(
    r"\?|\b(?:hoe|wat|waarom|wanneer|welke|wie|waar|kan|kun|kunnen|moet|heeft|hebben|vraag\w*|invloed|"
    r"gevolg\w*|oorza\w*|ontsta\w*|hulp|help\w*|doet (?:het|dat))\b")


def _asks_nothing(text: Text) -> bool:
    """A short description without any question: "doet alles om aandacht"."""
    return len(text.split()) <= 12 and not _ASKING.search(text.lower())


def _moves(intent: Optional[Text], text: Optional[Text]) -> bool:
    if intent in (BEHAVIOUR_INTENT, FALLBACK_INTENT):
        return is_single_sign(text)
    if intent in CONTENT_INTENTS and intent not in KEEPS and is_single_sign(text) and _asks_nothing(text or ""):
        return True  # "doet alles om aandacht" describes a sign; it asks for no cause or help
    # "mijn kind manipuleert de juf en ons" names a sign and asks for no tips.
    return intent == TEACHER_TIPS_INTENT and is_single_sign(text) and not ASKS_WHAT_TO_DO.search((text or "").lower())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SingleSign(RuleComponent):
    """Gives a described sign of attachment problems the signs answer (module docstring)."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if _moves(intent, message.get(TEXT)):
                message.set(INTENT, {INTENT_NAME_KEY: SIGNS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0},
                            add_to_output=True)
                message.set(SIGN_KEY, True, add_to_output=True)
        return messages
