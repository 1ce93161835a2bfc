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
- **Messages exactly once.** The widget gives every message a random `message_id` and
  sends it again after a reconnect until the server acknowledges it. An id counts as
  handled only once the turn is done and its answer stored (Rasa saves the turn before
  `handle` returns); only then is the message acknowledged. A message whose handling
  fails is not acknowledged, the parent gets the calm `utter_service_unavailable`, and
  the widget's resend with the same id is handled like a new message. A resend of an id
  this server handled, or that is in the tracker store (an earlier server), is
  acknowledged and not handled again; one that arrives while the first is still being
  handled waits for it. The store is asked in a thread (`run_in_executor`), not on the
  server's event loop, and only when the id is not in this process's memory.
- **One event per bot message**, not one per paragraph, in Rasa's own shapes
  (`{"text"}`, `{"text", "quick_replies"}`), which standard clients such as
  rasa-webchat recognise by their exact keys. A client that announces itself as our
  widget (`{"ocrn_widget": 1}` in the `session_request` data or in a message's metadata)
  also gets the name of the response (`response`), so the widget can show the emergency
  answer as one block in its own style and the registration link as a button.
- **Erasure.** `erase_conversation` deletes every event of the session from the tracker
  store (`tracker_store.database.erase_conversation`), under the conversation's lock so
  no turn in progress writes it back.

Like the REST channel, it installs the guards of `channels/`: messages are cleaned and
capped in length before the NLU, and a custom action that cannot reach the action server
answers with a calm message instead of silence.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import uuid
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, Hashable, List, Optional, Set, Text, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError as Refused

from actions.names import SLOW_DOWN_RESPONSE, UNAVAILABLE_RESPONSE
from channels import action_server
from channels.messages import RunningAgent, guard_messages, response_text
from channels.rate_limit import (
    CONNECTIONS_PER_ADDRESS,
    ERASURES_PER_ADDRESS,
    MESSAGES_PER_ADDRESS,
    MESSAGES_PER_CONNECTION,
    TokenBuckets,
    request_address,
)
from tracker_store.database import erase_conversation, has_user_message

logger = logging.getLogger(__name__)

DEFAULT_WIDGET_ORIGIN = "http://localhost:8080"
# Session ids and message ids the widget makes: random hex; Rasa's own: uuid4().hex.
_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SEEN_MESSAGE_IDS = 20_000  # per process; older ones are checked in the tracker store
# How our widget (web/ocrn-chat.js) announces itself, in the `session_request` data or
# in a message's metadata: it then gets the `response` key with every bot message.
WIDGET_FLAG = "ocrn_widget"


def widget_origin() -> str:
    return (os.environ.get("WIDGET_ORIGIN", "").strip() or DEFAULT_WIDGET_ORIGIN).rstrip("/")


def client_address(environ: Dict[str, Any]) -> str:
    """The client's address: Sanic's `remote_addr` (from X-Forwarded-For or X-Real-IP when
    SANIC_PROXIES_COUNT or SANIC_REAL_IP_HEADER says a proxy is trusted), else the peer."""
    request = environ.get("sanic.request")
    if request is None:
        return environ.get("REMOTE_ADDR", "unknown")
    return request_address(request)


def announces_widget(data: Any) -> bool:
    """Whether `data` (session_request data or message metadata) says: our widget."""
    return isinstance(data, dict) and bool(data.get(WIDGET_FLAG))


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
    """One `bot_uttered` event per bot message in Rasa's shapes; for our widget
    (`widget=True`) with the response's name as well.

    Args:
        sio: the socket.io server.
        bot_message_evt: the event name (credentials.yml: bot_uttered).
        widget: add `response` (the name of the domain response) to each message. Only
            for a client that asked for it: rasa-webchat and other standard clients
            recognise a text message by its only key `text` and buttons by exactly
            `text` and `quick_replies`, and show nothing for a message with more keys.
    """

    def __init__(self, sio: AsyncServer, bot_message_evt: Text, widget: bool = False) -> None:
        super().__init__(sio, bot_message_evt)
        self.widget = widget

    def _event(self, text: Text, kwargs: Dict[str, Any]) -> Dict[str, Any]:
        event: Dict[str, Any] = {"text": text.strip()}
        if self.widget and kwargs.get("utter_action"):
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
        widgets: Set[str] = set()  # sids of connections that announced our widget
        # (session, message id) of messages whose turn is done and stored ...
        handled: "OrderedDict[Hashable, None]" = OrderedDict()
        # ... and of those being handled now: True when done, False when it failed.
        in_flight: Dict[Tuple[str, str], "asyncio.Future[bool]"] = {}
        logger.info("Socket.io channel: only the origin %s (WIDGET_ORIGIN) may connect", origin)

        async def slow_down(sid: str, session_id: Optional[str]) -> Dict[str, Any]:
            text = await response_text(agent(), SLOW_DOWN_RESPONSE, session_id or sid, self.name())
            if text:
                event: Dict[str, Any] = {"text": text}
                if sid in widgets:
                    event["response"] = SLOW_DOWN_RESPONSE
                await sio.emit(self.bot_message_evt, event, room=sid, namespace=namespace)
            return {"status": "limited"}

        def remember(key: Tuple[str, str]) -> None:
            handled[key] = None
            handled.move_to_end(key)
            if len(handled) > SEEN_MESSAGE_IDS:
                handled.popitem(last=False)

        async def already_handled(key: Tuple[str, str]) -> bool:
            """Whether the message `key` was handled (its answer stored) already. When it is
            being handled right now, wait for that: done means yes; failed means no, and
            the caller handles it."""
            while True:
                pending = in_flight.get(key)
                if pending is not None:
                    if await asyncio.shield(pending):
                        return True
                    continue  # failed; another resend may have taken it up meanwhile
                if key in handled:
                    return True
                engine = store_engine(agent())
                if engine is None:
                    return False
                # A blocking SQL query: in a thread, so the event loop keeps serving others.
                stored = await asyncio.get_running_loop().run_in_executor(
                    None, has_user_message, engine, *key)
                if stored:
                    remember(key)
                    return True
                if key not in in_flight and key not in handled:
                    return False

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
            widgets.discard(sid)
            per_connection.forget(sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = valid_id(data.get("session_id")) or uuid.uuid4().hex
            if announces_widget(data):
                widgets.add(sid)
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
            key = (session_id, message_id) if message_id else None
            if key and await already_handled(key):
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
            metadata = metadata if isinstance(metadata, dict) else {}
            output = SocketIOOutput(sio, self.bot_message_evt,
                                    widget=sid in widgets or announces_widget(metadata))
            message = UserMessage(text, output, session_id, input_channel=self.name(),
                                  message_id=message_id, metadata=metadata)
            # No await between the duplicate check above and this line: one handler per id.
            done = asyncio.get_running_loop().create_future() if key else None
            if key:
                in_flight[key] = done
            try:
                running = agent()
                if running is None or not running.is_ready():  # Rasa would drop it silently
                    raise RuntimeError("no model loaded")
                await handle(message)
            except Exception:
                # Not acknowledged and not remembered: the widget sends it again (same id)
                # after a reconnect, and then it is handled. Meanwhile no silence.
                logger.error("Message %s of %s could not be handled; not acknowledged, so the "
                             "widget sends it again", message_id, session_id)
                apology = await response_text(agent(), UNAVAILABLE_RESPONSE, session_id, self.name())
                if apology:
                    await output.send_text_message(session_id, apology, utter_action=UNAVAILABLE_RESPONSE)
                raise  # python-socketio logs the traceback and sends no acknowledgement
            else:
                if key:
                    remember(key)  # the turn is saved in the tracker store by now
            finally:
                if key:
                    in_flight.pop(key, None)
                    done.set_result(key in handled)
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
            for key in [key for key in handled if key[0] == session_id]:
                del handled[key]
            logger.info("Conversation erased at the parent's request: %d events", erased)
            return {"status": "erased", "events": erased}

        return blueprint
