"""Names from domain.yml that the code relies on, in one place.

Plain constants without imports, so the NLU components, the channels, the custom
actions, the staff review tool and the tests can all use them without Rasa.
tests/test_names.py checks every name against domain.yml.
"""

# Intents
EMERGENCY_INTENT = "report_emergency"
# Set by components/safety_net.py: the classifier alone heard danger, the rules did not.
POSSIBLE_EMERGENCY_INTENT = "report_possible_emergency"
FALLBACK_INTENT = "nlu_fallback"  # Rasa's FallbackClassifier; also set by the input guard
OUT_OF_SCOPE_INTENT = "out_of_scope"
OTHER_LANGUAGE_INTENT = "other_language"
DENY_DANGER_INTENT = "deny_danger"  # "geen gevaar" after the safety question
GREET_INTENT = "greet"
GOODBYE_INTENT = "goodbye"
THANK_INTENT = "thank"
REGISTRATION_INTENT = "ask_registration"
FEEDBACK_POSITIVE_INTENT = "feedback_positive"
FEEDBACK_NEGATIVE_INTENT = "feedback_negative"
INFORM_AGE_INTENT = "inform_age"
BEHAVIOUR_INTENT = "ask_behaviour_normal"
FOLLOW_UP_INTENT = "ask_follow_up"  # leans on the previous topic (actions/answers.py)
SEVERAL_QUESTIONS_INTENT = "ask_several_questions"  # set by components/questions.py

# Output key of components/danger.py in the parse data: {"probability", "kind", "rule", "level"}
DANGER_KEY = "danger"

# Entity and slot set by components/safety_net.py from the kind of danger
PENDING_TOPIC_ENTITY = "pending_topic"  # the question asked with a possible danger
DANGER_ANSWER_ENTITY = "danger_answer"  # which emergency answer: medical, suicide, missing, violence, parent_fear

# Responses and actions
EMERGENCY_RESPONSE = "utter_emergency"
REGISTRATION_RESPONSE = "utter_registration"
SAFETY_CHECK_RESPONSE = "utter_safety_check"
NO_DANGER_RESPONSE = "utter_no_danger"
UNAVAILABLE_RESPONSE = "utter_service_unavailable"  # channels/action_server.py
TOO_LONG_RESPONSE = "utter_message_too_long"  # channels/messages.py
SLOW_DOWN_RESPONSE = "utter_slow_down"  # channels/socketio.py and channels/rest.py, rate limits
ASK_FEEDBACK_RESPONSE = "utter_ask_feedback"
WHAT_WAS_MISSING_RESPONSE = "utter_ask_what_was_missing"
ASK_AGE_RESPONSE = "utter_ask_child_age"
AGE_NOTE_RESPONSE = "utter_age_band_note"
ACKNOWLEDGE_RESPONSE = "utter_acknowledge_worry"
CAPABILITIES_RESPONSE = "utter_capabilities"
SEVERAL_QUESTIONS_RESPONSE = "utter_several_questions"
ALREADY_COVERED_RESPONSE = "utter_already_covered"  # "Ik noemde al {topic} ..."
OFFER_PERSON_RESPONSE = "utter_offer_person"  # a topic asked a third time: a question back, a person
# The one action that chooses every content answer (actions/answers.py, content/topics.yml).
ANSWER_ACTION = "action_answer"
FALLBACK_ACTION = "action_default_fallback"  # Rasa's own action

# Slots and entities
AGE_BAND = "age_band"
FEEDBACK_SLOT = "feedback"
FEEDBACK_TOPICS_SLOT = "feedback_topics"
PENDING_TOPIC_SLOT = "pending_topic"  # the question asked with a possible danger
LAST_TOPIC_SLOT = "last_topic"  # the content intent the bot answered last

COUNTRY_SLOT = "country"  # components/country.py: "be" for parents in Belgium
ROLE = "role"  # who writes: teacher, professional, foster_parent, adoptive_parent, grandparent

# Keys the NLU components add to the parse data
FOLLOW_UP_KEY = "follow_up"  # components/context.py, components/questions.py: {"kind": ...}
QUESTIONS_KEY = "questions"  # components/questions.py: [{"text", "intent", "confidence"}, ...]
CONTEXT_KEY = "context"  # components/context.py: why the conversation set the intent

# Kinds of follow-up question (components/follow_up.py); content/topics.yml maps the
# last five to an answer per topic, AGE gets the age note and EXPLAIN the topic's `explain`.
AGE_KIND = "age"
EXPLAIN_KIND = "explain"
SCHOOL_KIND = "school"
HOME_KIND = "home"
WHY_KIND = "why"
HOW_KIND = "how"
MORE_KIND = "more"
FOLLOW_UP_KINDS = (SCHOOL_KIND, HOME_KIND, WHY_KIND, HOW_KIND, MORE_KIND)

# Rasa's own names, not declared in domain.yml.
RASA_BUILTIN = {FALLBACK_INTENT, FALLBACK_ACTION}
