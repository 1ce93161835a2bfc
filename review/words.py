"""Plain Dutch for figures staff should not have to interpret: how sure the chat was.

Why: "zekerheid 0,47" meant nothing to staff; "twijfelt" does. Below the review tool's
low-confidence threshold (REVIEW_LOW_CONFIDENCE, 0.6) the chat "twijfelt"; below the bot's
own fallback threshold (0.3, config.yml) it "begreep het niet"; otherwise it was "zeker".
"""
from typing import Optional

FALLBACK_THRESHOLD = 0.3  # config.yml's FallbackClassifier


def certainty(confidence: Optional[float], low: float = 0.6) -> str:
    """How sure the chat was of the topic, as a phrase: "de chat twijfelt"."""
    if confidence is None:
        return "zekerheid onbekend"
    if confidence < FALLBACK_THRESHOLD:
        return "de chat begreep het niet"
    return "de chat twijfelt" if confidence < low else "de chat is zeker"
