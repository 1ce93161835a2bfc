"""Server-side staff sessions behind a random cookie; they expire when idle or too old."""
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Deque, Dict, Optional

IDLE_SECONDS = 30 * 60
MAX_SECONDS = 8 * 60 * 60
MAX_FAILURES, FAILURE_WINDOW = 5, 15 * 60


@dataclass
class Session:
    user: str
    created: float
    last_seen: float


class Sessions:
    def __init__(self, idle: float = IDLE_SECONDS, maximum: float = MAX_SECONDS, clock=time.monotonic):
        self.idle, self.maximum, self.clock = idle, maximum, clock
        self._sessions: Dict[str, Session] = {}
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def start(self, user: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._sessions[token] = Session(user, now, now)
        return token

    def user(self, token: Optional[str]) -> Optional[str]:
        """The staff member of a live session (and keep it alive), else None."""
        if not token:
            return None
        now = self.clock()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if now - session.last_seen > self.idle or now - session.created > self.maximum:
                del self._sessions[token]
                return None
            session.last_seen = now
            return session.user

    def end(self, token: Optional[str]) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    def too_many_failures(self, client: str) -> bool:
        with self._lock:
            failures = self._failures[client]
            while failures and self.clock() - failures[0] > FAILURE_WINDOW:
                failures.popleft()
            return len(failures) >= MAX_FAILURES

    def failed(self, client: str) -> None:
        with self._lock:
            self._failures[client].append(self.clock())
