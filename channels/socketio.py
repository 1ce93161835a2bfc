"""Rasa's socketio channel for the website widget (web/), with what the widget needs.

On top of Rasa's own channel (see credentials.yml):

- **The room fix.** Rasa 3.6 calls `sio.enter_room(...)` without `await`; since
  python-socketio 5.x made that a coroutine, the socket never joined the session's room
  and, with `session_persistence: true`, the bot's replies reached no one.
- **Origin.** A handshake whose `Origin` header is not `WIDGET_ORIGIN` (the site with
  the widget, default http://localhost:8080) is refused; a client without an Origin
  (not a browser) is let in, since it could send any Origin anyway.
- **Rate limits** (`channels.rate_limit`): new connections per address, messages per
  connection and per address, erasures per address. A refused message gets the calm
  Dutch answer `utter_slow_down` (with 112) instead of silence.
- **Messages at most once.** The widget gives every message a random `message_id` and
  sends it again after a reconnect until the server acknowledges it; a message whose id
  this server has seen, or that is in the tracker store already, is acknowledged and
  not handled again.
- **One event per bot message**, not one per paragraph, carrying the name of the
  response (`response`), so the widget can show the emergency answer as one block in
  its own style and the registration link as a button.
- **Erasure.** `erase_conversation` deletes every event of the session from the tracker
  store (`tracker_store.database.erase_conversation`), under the conversation's lock so
  no turn in progress writes it back.

Like the REST channel, it installs the guards of `channels/`: messages are cleaned and
capped in length before the NLU, and a custom action that cannot reach the action server
answers with a calm message instead of silence.
"""
from __future__ import annotations

import json
import logging
import os
import re
import uuid
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, Hashable, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint
from socketio.exceptions import ConnectionRefusedError as Refused

from actions.names import SLOW_DOWN_RESPONSE
from channels import action_server
from channels.messages import RunningAgent, guard_messages
from channels.rate_limit import TokenBuckets
from tracker_store.database import erase_conversation, has_user_message

logger = logging.getLogger(__name__)

DEFAULT_WIDGET_ORIGIN = "http://localhost:8080"
# Session ids and message ids the widget makes: random hex; Rasa's own: uuid4().hex.
_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SEEN_MESSAGE_IDS = 20_000  # per process; older ones are checked in the tracker store

# Limits (capacity = burst, per_second = steady rate). A parent types a message every
# few seconds at most; a page reload or reconnect is one connection. The address limits
# leave room for several parents behind one address (a school, an office).
CONNECTIONS_PER_ADDRESS = dict(capacity=30, per_second=0.5)
MESSAGES_PER_CONNECTION = dict(capacity=8, per_second=1 / 3)
MESSAGES_PER_ADDRESS = dict(capacity=60, per_second=1.0)
ERASURES_PER_ADDRESS = dict(capacity=3, per_second=1 / 20)


def widget_origin() -> str:
    return (os.environ.get("WIDGET_ORIGIN", "").strip() or DEFAULT_WIDGET_ORIGIN).rstrip("/")


def client_address(environ: Dict[str, Any]) -> str:
    """The client's address: Sanic's `remote_addr` (from X-Forwarded-For or X-Real-IP when
    SANIC_PROXIES_COUNT or SANIC_REAL_IP_HEADER says a proxy is trusted), else the peer."""
    request = environ.get("sanic.request")
    if request is None:
        return environ.get("REMOTE_ADDR", "unknown")
    return request.remote_addr or request.ip or "unknown"


def store_engine(agent: Any) -> Optional[Any]:
    """The SQLAlchemy engine of the agent's tracker store: Rasa wraps our
    RedactingSQLTrackerStore in FailSafeTrackerStore and AwaitableTrackerStore."""
    store = getattr(agent, "tracker_store", None)
    for _ in range(4):
        if store is None or getattr(store, "engine", None) is not None:
            break
        store = getattr(store, "_tracker_store", None)
    return getattr(store, "engine", None)


def valid_id(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and _ID.match(value) else None


class SocketIOOutput(RasaSocketIOOutput):
    """One `bot_uttered` event per bot message, with the response's name."""

    @staticmethod
    def _event(text: Text, kwargs: Dict[str, Any]) -> Dict[str, Any]:
        event: Dict[str, Any] = {"text": text.strip()}
        if kwargs.get("utter_action"):
            event["response"] = kwargs["utter_action"]
        return event

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, self._event(text, kwargs))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        event = self._event(text, kwargs)
        event["quick_replies"] = [{"content_type": "text", "title": b["title"],
                                   "payload": b["payload"]} for b in buttons]
        await self._send_message(recipient_id, event)


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socketio channel with the additions of the module docstring."""

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        return SocketIOOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        action_server.install()
        agent = RunningAgent()
        handle = guard_messages(on_new_message, agent)
        blueprint = super().blueprint(handle)
        agent.listen_on(blueprint)
        sio, namespace = self.sio, self.namespace
        origin = widget_origin()
        connections = TokenBuckets(**CONNECTIONS_PER_ADDRESS)
        per_connection = TokenBuckets(**MESSAGES_PER_CONNECTION)
        per_address = TokenBuckets(**MESSAGES_PER_ADDRESS)
        erasures = TokenBuckets(**ERASURES_PER_ADDRESS)
        addresses: Dict[str, str] = {}  # sid -> client address
        sessions: Dict[str, str] = {}  # sid -> session id (room) it is in
        seen: "OrderedDict[Hashable, None]" = OrderedDict()  # (session, message id)
        logger.info("Socket.io channel: only the origin %s (WIDGET_ORIGIN) may connect", origin)

        async def slow_down(sid: str, session_id: Optional[str]) -> Dict[str, Any]:
            running = agent()
            text = None
            if running is not None:
                tracker = DialogueStateTracker(session_id or sid, running.domain.slots)
                message = await running.nlg.generate(SLOW_DOWN_RESPONSE, tracker, self.name())
                text = (message or {}).get("text")
            if text:
                await sio.emit(self.bot_message_evt, {"text": text, "response": SLOW_DOWN_RESPONSE},
                               room=sid, namespace=namespace)
            return {"status": "limited"}

        def already_handled(session_id: str, message_id: str) -> bool:
            key = (session_id, message_id)
            if key in seen:
                return True
            seen[key] = None
            if len(seen) > SEEN_MESSAGE_IDS:
                seen.popitem(last=False)
            engine = store_engine(agent())
            return engine is not None and has_user_message(engine, session_id, message_id)

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            sent_origin = environ.get("HTTP_ORIGIN")
            if sent_origin and sent_origin.rstrip("/") != origin:
                logger.warning("Socket.io connection from origin %r refused (WIDGET_ORIGIN is %s)",
                               sent_origin, origin)
                raise Refused("origin", {"reason": "origin"})
            address = client_address(environ)
            if not connections.allow(address):
                logger.warning("Too many socket.io connections from one address: refused")
                raise Refused("rate_limited", {"reason": "rate_limited"})
            addresses[sid] = address
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: Text) -> None:
            addresses.pop(sid, None)
            sessions.pop(sid, None)
            per_connection.forget(sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = valid_id(data.get("session_id")) or uuid.uuid4().hex
            if self.session_persistence:
                previous = sessions.get(sid)
                if previous and previous != session_id:
                    await sio.leave_room(sid, previous, namespace=namespace)
                await sio.enter_room(sid, session_id, namespace=namespace)
            sessions[sid] = session_id
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any) -> Dict[str, Any]:
            data = data if isinstance(data, dict) else {}
            text = data.get("message")
            session_id = valid_id(data.get("session_id")) if self.session_persistence else sid
            if not session_id or not isinstance(text, str):
                return {"status": "invalid"}
            message_id = valid_id(data.get("message_id"))
            if message_id and already_handled(session_id, message_id):
                logger.info("Message %s of %s arrived again: not handled twice", message_id, session_id)
                return {"status": "duplicate"}
            address = addresses.get(sid, "unknown")
            # Both buckets are charged, so a flood on one connection also counts for its address.
            if not (per_connection.allow(sid) & per_address.allow(address)):
                logger.warning("Too many messages on one connection or from one address: refused")
                return await slow_down(sid, session_id)
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(text, SocketIOOutput(sio, self.bot_message_evt), session_id,
                                  input_channel=self.name(), message_id=message_id,
                                  metadata=metadata if isinstance(metadata, dict) else {})
            await handle(message)
            return {"status": "ok"}

        @sio.on("erase_conversation", namespace=namespace)
        async def erase(sid: Text, data: Any) -> Dict[str, Any]:
            data = data if isinstance(data, dict) else {}
            session_id = valid_id(data.get("session_id"))
            if not session_id:
                return {"status": "invalid"}
            if not erasures.allow(addresses.get(sid, "unknown")):
                return {"status": "limited"}
            running = agent()
            engine = store_engine(running)
            if engine is None:
                logger.error("Erasure asked, but the tracker store is not an SQL store")
                return {"status": "error"}
            async with running.lock_store.lock(session_id):
                erased = erase_conversation(engine, session_id)
            for key in [key for key in seen if key[0] == session_id]:
                del seen[key]
            logger.info("Conversation erased at the parent's request: %d events", erased)
            return {"status": "erased", "events": erased}

        return blueprint
