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

Optional actions (`OPTIONAL_ACTIONS`: the feedback question) fail silently instead:
the answer itself has been sent already, and an apology for a question nobody asked
would only confuse. They wait at most `OPTIONAL_TIMEOUT_S`, so a hanging action server
does not hold up the next message.

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

from actions.names import ASK_FEEDBACK_ACTION, UNAVAILABLE_RESPONSE

if TYPE_CHECKING:
    from rasa.core.channels.channel import OutputChannel
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

# Rasa waits up to 5 minutes for an action server that accepted the connection but
# does not answer; a parent should not. OCRN_ACTION_TIMEOUT overrides (seconds).
DEFAULT_TIMEOUT_S = 20.0
OPTIONAL_ACTIONS = {ASK_FEEDBACK_ACTION}
OPTIONAL_TIMEOUT_S = 3.0


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
        optional = self.name() in OPTIONAL_ACTIONS
        timeout = min(action_timeout(), OPTIONAL_TIMEOUT_S) if optional else action_timeout()
        try:
            return await asyncio.wait_for(
                super().run(output_channel, nlg, tracker, domain), timeout=timeout
            )
        except ActionExecutionRejection:
            raise
        except (RasaException, aiohttp.ClientError, asyncio.TimeoutError) as error:
            if optional:
                logger.warning("Optional custom action '%s' failed (%s: %s); left out",
                               self.name(), type(error).__name__, error)
                return []
            message = await nlg.generate(UNAVAILABLE_RESPONSE, tracker, output_channel.name())
            if not message:
                logger.error("Response %s is missing from the domain", UNAVAILABLE_RESPONSE)
                raise
            logger.error(
                "Custom action '%s' failed (%s: %s); answered with %s",
                self.name(), type(error).__name__, error, UNAVAILABLE_RESPONSE,
            )
            message["utter_action"] = UNAVAILABLE_RESPONSE
            # End the turn here: listen for the parent's next message.
            return [create_bot_utterance(message), FollowupAction(ACTION_LISTEN_NAME)]


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
