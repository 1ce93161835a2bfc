"""Dutch names of the intents and of the kinds of danger, the one mapping each that every
page, filter and export uses.

Staff read "Wat helpt thuis", not `ask_help_at_home`; the intent name is shown only as
a small secondary detail. tests/test_review_units.py checks that every intent of
domain.yml and every kind of the danger model (components/danger_model.py `KINDS`) has
a name here, so a new intent or kind cannot appear untranslated.
"""
from typing import List, Optional, Tuple

from actions import names
from content.topics import topics

# The topics of the page take their staff name from the topic table (content/topics.yml,
# `staff`); the turns of the conversation are named here.
TOPIC_NAMES = {
    **{intent: topic.staff for intent, topic in topics().items()},
    "inform_age": "Leeftijd van het kind",
    "report_emergency": "Noodsituatie",
    "report_possible_emergency": "Mogelijke noodsituatie (veiligheidsvraag gesteld)",
    "deny_danger": "Geen gevaar (na de veiligheidsvraag)",
    "greet": "Begroeting",
    "goodbye": "Afscheid",
    "thank": "Bedankje",
    "bot_challenge": "Vraagt of de chat een mens is",
    "ask_capabilities": "Wat kan de chat?",
    "other_language": "Andere taal",
    "out_of_scope": "Ander onderwerp (niet over hechting)",
    "feedback_positive": "Had iets aan het antwoord (👍)",
    "feedback_negative": "Had niets aan het antwoord (👎)",
    "ask_follow_up": "Vervolgvraag op het vorige antwoord",
    "ask_several_questions": "Meer vragen in één bericht",
    names.FALLBACK_INTENT: "Niet begrepen",
}


# The kind of danger the danger model (components/danger.py) records in the parse data,
# as staff read it in the emergency queue and next to the message in a conversation.
DANGER_KIND_NAMES = {
    "self_harm_suicide": "Zelfdoding of zelfbeschadiging",
    "domestic_violence": "Geweld tussen volwassenen thuis",
    "child_physical_abuse": "Mishandeling van een kind",
    "sexual_abuse_grooming": "Seksueel misbruik of grooming",
    "neglect": "Verwaarlozing",
    "medical_emergency": "Medisch noodgeval",
    "missing_child": "Vermist kind",
    "threat_weapon": "Dreiging of wapen",
    "overdose_collapse": "Overdosis of onwel",
    "honour_violence_forced_marriage": "Eergerelateerd geweld of gedwongen huwelijk",
    "parent_fear_of_harming": "Ouder bang het kind iets aan te doen",
}


def topic_name(intent: Optional[str]) -> str:
    """The Dutch name of an intent; an unknown intent shows as itself, never as nothing."""
    if not intent:
        return "–"
    return TOPIC_NAMES.get(intent, intent)


def danger_kind_name(kind: Optional[str]) -> Optional[str]:
    """The Dutch name of a kind of danger; an unknown kind shows as itself; None for none."""
    if not kind:
        return None
    return DANGER_KIND_NAMES.get(kind, str(kind))


def correction_choices() -> List[Tuple[str, str]]:
    """(intent, Dutch name) a staff member can choose as the right topic, by name.

    Not `nlu_fallback`: "not understood" is no topic to train; a message about
    something else is `out_of_scope`. Not `ask_several_questions` either: a component
    sets it (components/questions.py), the classifier is never trained on it; nor is
    `report_possible_emergency` (components/safety_net.py)."""
    untrainable = {names.FALLBACK_INTENT, names.SEVERAL_QUESTIONS_INTENT, names.POSSIBLE_EMERGENCY_INTENT}
    return sorted(((intent, name) for intent, name in TOPIC_NAMES.items() if intent not in untrainable),
                  key=lambda pair: pair[1].lower())
