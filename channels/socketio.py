"""Rasa's socketio channel with one fix, for the website widget (see credentials.yml).

Rasa 3.6 calls `sio.enter_room(...)` without `await`; since python-socketio 5.x made
that a coroutine, the socket never joins the session's room and, with
`session_persistence: true`, the bot's replies reach no one. This class re-registers
Rasa's `session_request` handler with the `await`; everything else is Rasa's own.

Like the REST channel, it installs the guards of `channels/`: messages are cleaned and
capped in length before the NLU, and a custom action that cannot reach the action
server answers with a calm message instead of silence.
"""
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

from channels import action_server
from channels.messages import RunningAgent, guard_messages


class SocketIOInput(RasaSocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        action_server.install()
        agent = RunningAgent()
        blueprint = super().blueprint(guard_messages(on_new_message, agent))
        agent.listen_on(blueprint)
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
