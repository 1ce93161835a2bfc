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


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def day_words(day, year: bool = True, weekday: bool = False) -> str:
    """A date as staff say it: "7 december 2026", with `weekday` "maandag 7 december 2026".

    Written out here, not with strftime's %B: that needs a Dutch locale installed on the server."""
    text = f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def moment_words(moment) -> str:
    """A time as staff say it: "7 december 17:38" (the year only when it is not this year)."""
    from datetime import date

    return f"{day_words(moment, year=moment.year != date.today().year)} {moment:%H:%M}"
