"""Rasa's REST channel (`/webhooks/rest/webhook`) with request validation and our guards.

Rasa 3.6's `RestInput` trusts the JSON body: a body that is not an object, or a
`message` that is a number, list or null, ends in an exception (HTTP 500 or an empty
reply), and a missing `sender` files the message under the shared id "default".
Here a malformed request gets a clear 400 instead:

- the body must be a JSON object;
- `sender`: a non-empty string of at most 255 characters (the tracker store's column),
  without control characters (a number is accepted and used as text);
- `message`: a string (an empty one gets the fallback answer, like in Rasa);
- `metadata`, when given: an object; `input_channel`, when given: a string.

Every message is then cleaned and capped by `channels.messages`, and the action-server
guard (`channels.action_server`) is installed. The channel keeps the name `rest`, so the
URL is Rasa's own. Registered in credentials.yml as `channels.rest.RestInput`.
"""
from __future__ import annotations

import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from channels import action_server
from channels.messages import RunningAgent, guard_messages

MAX_SENDER_CHARS = 255
_BAD_SENDER_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _body(request: Request) -> Dict[Text, Any]:
    body = request.json  # invalid JSON: Sanic answers 400 itself
    if not isinstance(body, dict):
        raise InvalidUsage("The request body must be a JSON object.")
    return body


class RestInput(RasaRestInput):
    """Rasa's REST channel, validating requests; see the module docstring."""

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = _body(req).get("sender")
        if isinstance(sender, int) and not isinstance(sender, bool):
            sender = str(sender)
        if not isinstance(sender, str) or not sender.strip():
            raise InvalidUsage("'sender' must be a non-empty string.")
        if len(sender) > MAX_SENDER_CHARS or _BAD_SENDER_CHARS.search(sender):
            raise InvalidUsage(
                f"'sender' must be at most {MAX_SENDER_CHARS} characters, "
                "without control characters."
            )
        return sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage("'message' must be a string.")
        return message

    def _extract_input_channel(self, req: Request) -> Text:
        channel = _body(req).get("input_channel")
        if channel is not None and not isinstance(channel, str):
            raise InvalidUsage("'input_channel' must be a string.")
        return channel or self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("'metadata' must be a JSON object.")
        return metadata

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        action_server.install()
        agent = RunningAgent()
        blueprint = super().blueprint(guard_messages(on_new_message, agent))
        agent.listen_on(blueprint)
        return blueprint
