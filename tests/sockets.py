"""The widget's socket.io protocol spoken from Python (channels/socketio.py), for tests
that need no browser: origin check, rate limits, duplicates, erasure on PostgreSQL.

Engine.io 4 over a websocket only, as web/ocrn-chat.js connects, written out by hand on
the `websockets` package: python-socketio's own client needs a newer aiohttp than Rasa
3.6 allows. Packets: "0" open, "2"/"3" ping/pong, "40" connect, "44" connect refused,
"42[event, data]" an event, "42<n>[...]" one that wants an acknowledgement, "43<n>[...]"
the acknowledgement.

`SocketChat` announces itself as our widget (`ocrn_widget` in `session_request`), as
web/ocrn-chat.js does, so it gets the `response` key; `widget=False` speaks like a
standard client (rasa-webchat). `local_addr` and `http_from` send from another loopback
address (any of 127.0.0.0/8 reaches a server on 127.0.0.1), so a test can use up one
address's rate limits without touching those of 127.0.0.1, which other tests share.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import uuid
from typing import Any, Dict, List, Optional
from urllib.parse import urlsplit

import requests
import websockets
from requests.adapters import HTTPAdapter


class Refused(Exception):
    """The server refused the socket.io connection (packet 44); `data` as the browser gets it."""

    def __init__(self, packet: str):
        super().__init__(packet)
        self.data = (json.loads(packet or "{}") or {}).get("data")


class SocketChat:
    """One websocket connection to a Rasa server's socket.io channel:
    `async with SocketChat(url) as chat: await chat.session(); await chat.say(...)`."""

    def __init__(self, url: str, origin: Optional[str] = None, widget: bool = True,
                 local_addr: Optional[str] = None):
        parts = urlsplit(url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.url = f"{scheme}://{parts.netloc}/socket.io/?EIO=4&transport=websocket"
        self.origin, self.widget, self.local_addr = origin, widget, local_addr
        self.replies: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
        self.session_id: Optional[str] = None
        self._confirmed: "asyncio.Queue[str]" = asyncio.Queue()
        self._acks: Dict[int, "asyncio.Future"] = {}
        self._ids = itertools.count()
        self._ws = None
        self._reader: Optional[asyncio.Task] = None

    async def __aenter__(self) -> "SocketChat":
        extra = {"local_addr": (self.local_addr, 0)} if self.local_addr else {}
        self._ws = await websockets.connect(self.url, origin=self.origin, open_timeout=10, **extra)
        try:
            opened = await asyncio.wait_for(self._ws.recv(), 10)
            assert opened.startswith("0"), opened
            await self._ws.send("40")
            answer = await asyncio.wait_for(self._ws.recv(), 10)
        except Exception:
            await self._ws.close()
            raise
        if answer.startswith("44"):
            await self._ws.close()
            raise Refused(answer[2:])
        assert answer.startswith("40"), answer
        self._reader = asyncio.ensure_future(self._read())
        return self

    async def __aexit__(self, *_exc) -> None:
        if self._reader:
            self._reader.cancel()
        await self._ws.close()

    async def _read(self) -> None:
        async for packet in self._ws:
            if packet == "2":
                await self._ws.send("3")
            elif packet.startswith("43"):
                ack_id, payload = re.match(r"43(\d+)(.*)", packet, re.S).groups()
                future = self._acks.pop(int(ack_id), None)
                if future and not future.done():
                    future.set_result((json.loads(payload) or [None])[0])
            elif packet.startswith("42"):
                name, *args = json.loads(packet[2:])
                data = args[0] if args else None
                if name == "bot_uttered":
                    self.replies.put_nowait(data)
                elif name == "session_confirm":
                    self._confirmed.put_nowait(data)

    async def emit(self, event: str, data: Any) -> None:
        await self._ws.send("42" + json.dumps([event, data]))

    async def call(self, event: str, data: Any, timeout: float = 30) -> Any:
        """Emit an event and wait for the server's acknowledgement; its data."""
        ack_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = future
        await self._ws.send(f"42{ack_id}" + json.dumps([event, data]))
        return await asyncio.wait_for(future, timeout)

    async def session(self, session_id: Optional[str] = None) -> str:
        request: Dict[str, Any] = {"session_id": session_id}
        if self.widget:
            request["ocrn_widget"] = 1
        await self.emit("session_request", request)
        self.session_id = await asyncio.wait_for(self._confirmed.get(), 10)
        return self.session_id

    async def say(self, text: str, message_id: Optional[str] = None, timeout: float = 30) -> Dict[str, Any]:
        """Send one message; the server's acknowledgement, once it has handled it."""
        return await self.call("user_uttered", {
            "message": text, "session_id": self.session_id,
            "message_id": message_id or uuid.uuid4().hex}, timeout=timeout)

    def received(self) -> List[Dict[str, Any]]:
        """The bot messages received so far (and not read before)."""
        messages = []
        while not self.replies.empty():
            messages.append(self.replies.get_nowait())
        return messages

    async def erase(self, session_id: Optional[str] = None) -> Dict[str, Any]:
        return await self.call("erase_conversation", {"session_id": session_id or self.session_id})


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__(pool_maxsize=32)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def http_from(address: str) -> requests.Session:
    """A requests session whose connections come from the loopback `address` (127.x.y.z)."""
    session = requests.Session()
    adapter = _FromAddress(address)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
