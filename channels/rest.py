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
guard (`channels.action_server`) is installed.

**Rate limit per client address** (`channels.rate_limit.REST_MESSAGES_PER_ADDRESS`), as
the socket.io channel has: every POST counts, also a malformed one. A refused request
is not an error page but HTTP 429 with a `Retry-After` header and the body of a normal
answer, the calm Dutch `utter_slow_down` ("Je stuurt veel berichten kort na elkaar.
Wacht even een minuut … Bel dan 112."), so a client that shows the answer shows that.
The message itself is not handled (not stored). Behind a proxy set
SANIC_REAL_IP_HEADER=X-Real-IP, or every parent shares the proxy's address.

The channel keeps the name `rest`, so the URL is Rasa's own. Registered in
credentials.yml as `channels.rest.RestInput`.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage, SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.names import SLOW_DOWN_RESPONSE
from channels import action_server
from channels.messages import RunningAgent, guard_messages, response_text
from channels.rate_limit import REST_MESSAGES_PER_ADDRESS, TokenBuckets, request_address

logger = logging.getLogger(__name__)

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

    async def _slow_down(self, request: Request, app_agent: Any, retry_after: int) -> HTTPResponse:
        """429 with `utter_slow_down` as a normal answer's body (see the module docstring)."""
        try:
            sender: Optional[Text] = await self._extract_sender(request)
        except SanicException:  # invalid JSON or sender: answer all the same
            sender = None
        text = await response_text(app_agent, SLOW_DOWN_RESPONSE, sender or "rate-limited", self.name())
        message: Dict[Text, Any] = {"text": text}
        if sender:
            message = {"recipient_id": sender, **message}
        return response.json([message] if text else [], status=429,
                             headers={"Retry-After": str(retry_after)})

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        action_server.install()
        agent = RunningAgent()
        blueprint = super().blueprint(guard_messages(on_new_message, agent))
        agent.listen_on(blueprint)
        per_address = TokenBuckets(**REST_MESSAGES_PER_ADDRESS)

        # Blueprint middleware runs for this blueprint's routes only.
        @blueprint.middleware("request")
        async def rate_limit(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST":
                return None
            address = request_address(request)
            if per_address.allow(address):
                return None
            logger.warning("Too many REST requests from one address: refused")
            return await self._slow_down(request, agent(), per_address.retry_after(address))

        return blueprint
