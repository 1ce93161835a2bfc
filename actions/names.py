"""Names from domain.yml that the code relies on, in one place.

Plain constants without imports, so the NLU components, the channels, the custom
actions, the staff review tool and the tests can all use them without Rasa.
tests/test_names.py checks every name against domain.yml.
"""

# Intents
EMERGENCY_INTENT = "report_emergency"
FALLBACK_INTENT = "nlu_fallback"  # Rasa's FallbackClassifier; also set by the input guard
OUT_OF_SCOPE_INTENT = "out_of_scope"
OTHER_LANGUAGE_INTENT = "other_language"
GREET_INTENT = "greet"
GOODBYE_INTENT = "goodbye"
THANK_INTENT = "thank"
REGISTRATION_INTENT = "ask_registration"
FEEDBACK_POSITIVE_INTENT = "feedback_positive"
FEEDBACK_NEGATIVE_INTENT = "feedback_negative"

# Responses and actions
EMERGENCY_RESPONSE = "utter_emergency"
REGISTRATION_RESPONSE = "utter_registration"
UNAVAILABLE_RESPONSE = "utter_service_unavailable"  # channels/action_server.py
TOO_LONG_RESPONSE = "utter_message_too_long"  # channels/messages.py
SLOW_DOWN_RESPONSE = "utter_slow_down"  # channels/socketio.py, rate limits
ASK_FEEDBACK_RESPONSE = "utter_ask_feedback"
WHAT_WAS_MISSING_RESPONSE = "utter_ask_what_was_missing"
REGISTRATION_ACTION = "action_show_registration"
ASK_FEEDBACK_ACTION = "action_ask_feedback"  # actions/feedback.py
FALLBACK_ACTION = "action_default_fallback"  # Rasa's own action

# Slots and entities
AGE_BAND = "age_band"
FEEDBACK_SLOT = "feedback"
FEEDBACK_TOPICS_SLOT = "feedback_topics"

# Rasa's own names, not declared in domain.yml.
RASA_BUILTIN = {FALLBACK_INTENT, FALLBACK_ACTION}
