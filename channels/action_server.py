"""A calm answer instead of silence when the action server cannot be reached.

Rasa 3.6 runs every custom action through `RemoteAction`, created by
`rasa.core.actions.action.action_for_name_or_text` from the module's global name.
When the action server is down, `RemoteAction.run` raises, the processor logs the
exception and the parent gets no answer at all. `install()` replaces that global
with `GuardedRemoteAction`, which on a failure to reach the action server (refused,
reset, timeout, 5xx or an invalid reply) sends the domain response
`utter_service_unavailable` through Rasa's NLG, logs the error, and ends the turn
(the rest of the rule, e.g. "Had je iets aan dit antwoord?", would not fit). The
conversation is kept; the next message tries the action server again, so the bot
recovers by itself. `ActionExecutionRejection` (a deliberate "no" of the action)
passes through unchanged.


The answer action (`action_answer`) fails more usefully: a question about one of the
page's topics gets that topic's own answer through Rasa's NLG (`plain_answer`, from
content/topics.yml), without the reader's variant or the repeat check, and only other
messages (a follow-up, several questions) get the apology. A parent is answered even
while the action server restarts.

`install()` is called by our input channels (`channels.rest.RestInput` and
`channels.socketio.SocketIOInput`, both in credentials.yml), so the guard is
active in every `rasa run` with our credentials and logs once that it is.
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING, List

import aiohttp
import rasa.core.actions.action as rasa_action
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import Event, FollowupAction
from rasa.shared.exceptions import RasaException

from actions.actions import links
from actions.answers import TURNS
from actions.names import ANSWER_ACTION, BEHAVIOUR_INTENT, UNAVAILABLE_RESPONSE
from content.topics import topics

if TYPE_CHECKING:
    from rasa.core.channels.channel import OutputChannel
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

# Rasa waits up to 5 minutes for an action server that accepted the connection but
# does not answer; a parent should not. OCRN_ACTION_TIMEOUT overrides (seconds).
DEFAULT_TIMEOUT_S = 20.0


def action_timeout() -> float:
    try:
        return float(os.environ.get("OCRN_ACTION_TIMEOUT", "") or DEFAULT_TIMEOUT_S)
    except ValueError:
        return DEFAULT_TIMEOUT_S


class GuardedRemoteAction(RemoteAction):
    """Rasa's RemoteAction that answers `utter_service_unavailable` when it fails."""

    async def run(
        self,
        output_channel: "OutputChannel",
        nlg: "NaturalLanguageGenerator",
        tracker: "DialogueStateTracker",
        domain: "Domain",
    ) -> List[Event]:
        timeout = action_timeout()
        try:
            return await asyncio.wait_for(
                super().run(output_channel, nlg, tracker, domain), timeout=timeout
            )
        except ActionExecutionRejection:
            raise
        except (RasaException, aiohttp.ClientError, asyncio.TimeoutError) as error:
            names = plain_answer(tracker) if self.name() == ANSWER_ACTION else []
            names = names or [UNAVAILABLE_RESPONSE]
            messages = []
            for name in names:
                message = await nlg.generate(name, tracker, output_channel.name(), **links())
                if not message:
                    logger.error("Response %s is missing from the domain", name)
                    raise
                message["utter_action"] = name
                messages.append(create_bot_utterance(message))
            logger.error("Custom action '%s' failed (%s: %s); answered with %s",
                         self.name(), type(error).__name__, error, ", ".join(names))
            # End the turn here: listen for the parent's next message.
            return messages + [FollowupAction(ACTION_LISTEN_NAME)]


def plain_answer(tracker: "DialogueStateTracker") -> List[str]:
    """The topic's own answer (content/topics.yml) for a content question, sent through
    Rasa's NLG when the answer action cannot be reached: no variant for the reader, no
    check for repeats, but the parent's question is answered. [] for anything else."""
    intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
    if intent in TURNS:
        return [TURNS[intent][0]]
    topic = topics().get(intent)
    if topic is None or intent == BEHAVIOUR_INTENT:  # the behaviour answer needs the age logic
        return []
    return list(topic.answer)


def install() -> None:
    """Make Rasa create `GuardedRemoteAction` for every custom action (idempotent)."""
    if rasa_action.RemoteAction is GuardedRemoteAction:
        return
    if rasa_action.RemoteAction is not RemoteAction:
        raise RuntimeError(
            f"rasa.core.actions.action.RemoteAction is already replaced by "
            f"{rasa_action.RemoteAction!r}; refusing to stack guards"
        )
    rasa_action.RemoteAction = GuardedRemoteAction
    logger.info(
        "Action-server guard active: a custom action that cannot reach the action server "
        "answers with '%s' (timeout %.0f s)", UNAVAILABLE_RESPONSE, action_timeout(),
    )
