"""The widget's socket.io protocol spoken from Python (channels/socketio.py), for tests
that need no browser: origin check, rate limits, duplicates, erasure on PostgreSQL."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any, Dict, List, Optional

import socketio


class SocketChat:
    """One websocket connection to a Rasa server's socket.io channel, as web/ocrn-chat.js
    connects: `async with SocketChat(url) as chat: await chat.session(); await chat.say(...)`."""

    def __init__(self, url: str, origin: Optional[str] = None):
        self.url, self.origin = url, origin
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
        self.session_id: Optional[str] = None
        self._confirmed: "asyncio.Queue[str]" = asyncio.Queue()
        self.client.on("bot_uttered", self.replies.put_nowait)
        self.client.on("session_confirm", self._confirmed.put_nowait)

    async def __aenter__(self) -> "SocketChat":
        headers = {"Origin": self.origin} if self.origin else {}
        await self.client.connect(self.url, transports=["websocket"], headers=headers, wait_timeout=10)
        return self

    async def __aexit__(self, *_exc) -> None:
        await self.client.disconnect()

    async def session(self, session_id: Optional[str] = None) -> str:
        await self.client.emit("session_request", {"session_id": session_id})
        self.session_id = await asyncio.wait_for(self._confirmed.get(), 10)
        return self.session_id

    async def say(self, text: str, message_id: Optional[str] = None, timeout: float = 30) -> Dict[str, Any]:
        """Send one message; the server's acknowledgement, once it has handled it."""
        return await self.client.call("user_uttered", {
            "message": text, "session_id": self.session_id,
            "message_id": message_id or uuid.uuid4().hex}, timeout=timeout)

    def received(self) -> List[Dict[str, Any]]:
        """The bot messages received so far (and not read before)."""
        messages = []
        while not self.replies.empty():
            messages.append(self.replies.get_nowait())
        return messages

    async def erase(self, session_id: Optional[str] = None) -> Dict[str, Any]:
        return await self.client.call("erase_conversation",
                                      {"session_id": session_id or self.session_id}, timeout=30)
