"""Clean and cap user messages before the NLU sees them.

DIET's transformer attends over every token pair, so its cost grows with the square
of the message length: 100 000 characters of Dutch words took 29 s and 12.5 GB of
memory in one parse (measured 2026-11-25; 2 000 characters: 0.1 s). A message is
therefore cut to `MAX_MESSAGE_CHARS` characters before it reaches the NLU, and the
parent first gets `utter_message_too_long` ("your message was long, I read only a
part of it"). The cut keeps the start and the end of the message, where parents
tell the danger; the danger rules (`components.danger_rules`, plain regular
expressions) still run over the whole message, and when one fires only in the
middle, that part is kept instead, so the help lines still come.

Only the first `MAX_SCAN_CHARS` characters are looked at at all. Cleaning: C0/C1
control characters except tab and newline become spaces (NUL included, which
PostgreSQL refuses), lone UTF-16 surrogates (which cannot be encoded as UTF-8)
become U+FFFD.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Optional, Text, Tuple

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint

from actions.names import TOO_LONG_RESPONSE
from components.danger_rules import matching_rule

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
# Beyond this nothing is read at all, not even by the danger rules (which run on the
# server's event loop).
MAX_SCAN_CHARS = 100_000
# Metadata key on the stored user message: the original length of a cut message.
TRUNCATED_KEY = "ocrn_truncated_from"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean(text: Text) -> Text:
    """Control characters (except tab and newline) become spaces, lone surrogates U+FFFD."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))


def cap(text: Text, limit: int = MAX_MESSAGE_CHARS) -> Tuple[Text, bool]:
    """The part of `text` the NLU will read, and whether it was cut.

    A long story keeps its beginning and its end (parents often tell the danger in the
    last lines); when a danger rule fires only in the middle, that part is kept instead.
    """
    if len(text) <= limit:
        return text, False
    gap = " … "
    half = (limit - len(gap)) // 2
    kept = text[:half] + gap + text[-half:]
    if matching_rule(text) and not matching_rule(kept):
        # Windows of `limit` characters, half overlapping, so no phrase falls in a gap.
        for start in range(half, len(text), half):
            window = text[start:start + limit]
            if matching_rule(window):
                return window, True
    return kept, True


async def _send_notice(message: UserMessage, app_agent: Any) -> None:
    output: OutputChannel = message.output_channel
    try:
        tracker = DialogueStateTracker(message.sender_id, app_agent.domain.slots)
        notice = await app_agent.nlg.generate(TOO_LONG_RESPONSE, tracker, output.name())
    except Exception:  # noqa: BLE001 - the answer to the message matters more
        logger.exception("Could not build %s", TOO_LONG_RESPONSE)
        notice = None
    if notice:
        await output.send_response(message.sender_id, notice)
    else:
        logger.warning("Response %s missing from the model's domain: no notice sent",
                       TOO_LONG_RESPONSE)


async def response_text(app_agent: Any, response: Text, sender_id: Text,
                        channel: Optional[Text]) -> Optional[Text]:
    """The text of the domain response `response` (e.g. `utter_slow_down`) through the
    agent's NLG, or None without a running agent or without that response.

    Args:
        app_agent: the running Rasa agent (`RunningAgent()`), or None.
        response: the response's name in domain.yml.
        sender_id: the conversation (for a response with conditions on slots).
        channel: the output channel's name (for channel-specific variants).
    """
    if app_agent is None:
        return None
    try:
        tracker = DialogueStateTracker(sender_id, app_agent.domain.slots)
        message = await app_agent.nlg.generate(response, tracker, channel)
    except Exception:  # noqa: BLE001 - the caller answers without the text
        logger.exception("Could not build %s", response)
        return None
    return (message or {}).get("text") or None


class RunningAgent:
    """The Sanic app's Rasa agent, remembered when the server starts."""

    def __init__(self) -> None:
        self.app: Any = None

    def listen_on(self, blueprint: Blueprint) -> None:
        @blueprint.listener("before_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            self.app = app

    def __call__(self) -> Optional[Any]:
        return getattr(self.app.ctx, "agent", None) if self.app is not None else None


def guard_messages(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    agent: Callable[[], Optional[Any]],
) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap a channel's `on_new_message`: clean and cap the text, then hand it on.

    `agent` returns the running Rasa agent (for the notice's text from the domain);
    channels pass a `RunningAgent` that listens on their blueprint.
    """

    async def guarded(message: UserMessage) -> Any:
        if isinstance(message.text, str):
            text = clean(message.text[:MAX_SCAN_CHARS])
            text, cut = cap(text)
            if cut:
                logger.info("Message of %d characters from %s cut to %d before the NLU",
                            len(message.text), message.sender_id, len(text))
                message.metadata = {**(message.metadata or {}),
                                    TRUNCATED_KEY: len(message.text)}
                running = agent()
                if running is not None:
                    await _send_notice(message, running)
            message.text = text.strip()
        return await on_new_message(message)

    return guarded
