"""Rasa's socketio channel with one fix, for the website widget (see credentials.yml).

Rasa 3.6 calls `sio.enter_room(...)` without `await`; since python-socketio 5.x made
that a coroutine, the socket never joins the session's room and, with
`session_persistence: true`, the bot's replies reach no one. This class re-registers
Rasa's `session_request` handler with the `await`; everything else is Rasa's own.
"""
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint


class SocketIOInput(RasaSocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"], namespace=self.namespace)
            await sio.emit("session_confirm", data["session_id"], room=sid,
                           namespace=self.namespace)

        return blueprint
