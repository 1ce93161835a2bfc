"""Where a staff member came from (the list or the emergency queue, with its filters), so
"« Alle gesprekken", paging and "Volgende gesprek" keep the filters instead of starting over.

The place travels in the URL of a conversation (`?bron=nood&emergency=1&q=...`) and in a
hidden field `terug` of each form on it; it is parsed again each time, never trusted as a
URL, so it can only ever lead to the list or the queue of this tool.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional
from urllib.parse import parse_qsl, quote, urlencode

import sqlalchemy as sa

from review.conversations import Filters, alarmed, emergency_open
from review.schema import CONVERSATIONS

QUEUE = "nood"


@dataclass
class Place:
    queue: bool = False  # the emergency queue, else the list
    everything: bool = False  # the queue with the followed-up ones too
    filters: Filters = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Place":
        filters = Filters.from_query(query)
        return cls(query.get("bron") == QUEUE, query.get("alle") == "1",
                   Filters() if filters.errors else filters)

    @classmethod
    def from_string(cls, text: str) -> "Place":
        return cls.from_query(dict(parse_qsl(text or "", keep_blank_values=False)))

    def query(self) -> dict:
        return {**({"bron": QUEUE} if self.queue else {}), **({"alle": "1"} if self.everything else {}),
                **self.filters.as_query()}

    def query_string(self) -> str:
        return urlencode(self.query())

    def back(self) -> str:
        """The list or queue, with its filters (no `bron`)."""
        query = {key: value for key, value in self.query().items() if key != "bron"}
        return ("/noodsituaties" if self.queue else "/") + (f"?{urlencode(query)}" if query else "")

    @property
    def back_name(self) -> str:
        return "« Alle noodsituaties" if self.queue else "« Alle gesprekken"

    def link(self, sender_id: str, anchor: str = "") -> str:
        query = self.query_string()
        return f"/conversations/{quote(sender_id, safe='')}" + (f"?{query}" if query else "") + anchor

    def next_sender(self, engine, threshold: float, sender_id: str) -> Optional[str]:
        """The conversation after `sender_id` in the list's (or queue's) order and filters
        (keyset on the stored values: a float through datetime would lose precision)."""
        c = CONVERSATIONS.c
        with engine.connect() as db:
            found = db.execute(sa.select(c.started, c.emergency_at).where(c.sender_id == sender_id)).first()
        if found is None:
            return None
        where = self.filters.conditions(threshold, dialect=engine.dialect.name)
        if self.queue:
            at = found.emergency_at or 0.0
            where += [alarmed() if self.everything else emergency_open(),
                      sa.or_(c.emergency_at < at, sa.and_(c.emergency_at == at, c.sender_id < sender_id))]
            order = (c.emergency_at.desc(), c.sender_id.desc())
        else:
            at = found.started
            where.append(sa.or_(c.started < at, sa.and_(c.started == at, c.sender_id < sender_id)))
            order = (c.started.desc(), c.sender_id.desc())
        with engine.connect() as db:
            return db.execute(sa.select(c.sender_id).where(*where).order_by(*order).limit(1)).scalar()
