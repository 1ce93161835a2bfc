"""What staff read: the list, the emergency queue, the overview, a conversation, exports."""
from __future__ import annotations

import math
from types import SimpleNamespace
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, g, render_template, request, stream_with_context

from review import alarms, audit, conversations, export, index
from review.app import client_address, settings
from review.chart import bar_chart
from review.conversations import Filters, alarmed, by_last_alarm, emergency_open
from review.navigation import Place
from review.overview import PERIODS, headline, in_period, overview, period_of
from review.schema import FOLLOWUPS, NOTES
from review.topics import correction_choices
from review.transcript import load_transcript
from review.work import followup_of, note_of
from review.workflow import account_names

blueprint = Blueprint("pages", __name__)


def _page_number(total: int, size: int) -> tuple:
    pages = max(1, math.ceil(total / size))
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), pages), pages


def _listing(template: str, action: str, audit_action: str, extra=(), order=None, **context):
    s = settings()
    filters = Filters.from_query(request.args)
    query = urlencode(filters.as_query())
    context["place"] = Place(action == "/noodsituaties", bool(context.get("everything")),
                             Filters() if filters.errors else filters)
    if filters.errors:
        audit.log(s.engine, g.user.name, audit_action, address=client_address(), filters=filters.describe(),
                  errors=len(filters.errors))
        return render_template(template, rows=[], total=0, page=1, pages=1, filters=filters, query=query,
                               action=action, **context), 400
    total = conversations.count(s.engine, filters, s.low_confidence, extra)
    number, pages = _page_number(total, s.page_size)
    rows = conversations.page(s.engine, filters, s.low_confidence, number, s.page_size, extra, order)
    audit.log(s.engine, g.user.name, audit_action, address=client_address(), filters=filters.describe(),
              page=number, shown=len(rows))
    return render_template(template, rows=rows, total=total, page=number, pages=pages, filters=filters,
                           query=query, action=action, **context)


@blueprint.get("/")
def conversation_list():
    return _listing("list.html", "/", "list")


@blueprint.get("/noodsituaties")
def emergencies():
    """The follow-up queue: every conversation with an alarm (review/alarms.py: the same
    definition as the list's flag), the last alarm first; each with its alarms and why."""
    everything = request.args.get("alle") == "1"
    extra = [alarmed()] if everything else [emergency_open()]
    return _listing("emergencies.html", "/noodsituaties", "emergencies", extra, by_last_alarm(),
                    everything=everything, followups=followups_for, alarms=alarms_for, headline=alarms.headline)


@blueprint.get("/summary")
def summary():
    """The figures of a period (this week unless chosen; review/overview.py), compared with
    the period before it of the same length."""
    s = settings()
    filters = Filters.from_query(request.args)
    period = period_of(request.args, filters)
    if not filters.errors:
        filters = in_period(filters, period.since, period.until)
    query = urlencode(filters.as_query())
    others = {key: value for key, value in filters.as_query().items() if key not in ("since", "until")}
    shortcuts = [(key, name, "/summary?" + urlencode({**others, "periode": key})) for key, name in PERIODS.items()]
    status = 400 if filters.errors else 200
    figures = before = None
    if not filters.errors:
        figures = overview(s.engine, filters, s.low_confidence)
        if period.previous:
            before = headline(s.engine, in_period(filters, *period.previous), s.low_confidence)
    audit.log(s.engine, g.user.name, "overview", address=client_address(), filters=filters.describe())
    return render_template("summary.html", summary=figures, chart=bar_chart(figures.per_day if figures else []),
                           filters=filters, query=query, action="/summary", period=period, before=before,
                           shortcuts=shortcuts,
                           fallback_list="/?" + urlencode({**filters.as_query(), "fallback": "1"}),
                           emergency_list="/?" + urlencode({**filters.as_query(), "emergency": "1"}),
                           topic_link=lambda topic: "/?" + urlencode({**filters.as_query(), "topic": topic})), status


@blueprint.get("/conversations/<path:sender_id>")
def conversation(sender_id: str):
    s = settings()
    messages = load_transcript(s.engine, sender_id, s.low_confidence)
    if not messages:
        index.forget_erased(s.engine, [sender_id])  # erased in the chat: what the tool kept goes too
        abort(404)
    audit.log(s.engine, g.user.name, "transcript", sender_id, client_address())
    place = Place.from_query(request.args)
    following = place.next_sender(s.engine, s.low_confidence, sender_id)
    followup = followup_of(s.engine, sender_id)
    lead, _ = alarms.headline([m.alarm for m in messages if m.alarm], followup["covers"] if followup else 0.0)
    return render_template("conversation.html", sender_id=sender_id, messages=messages, place=place,
                           next_link=place.link(following) if following else None,
                           lead_alarm=lead.event_id if lead else None, accounts=account_names(s.engine),
                           conversation=conversations.one(s.engine, sender_id, s.low_confidence),
                           note=note_of(s.engine, sender_id), followup=followup,
                           choices=correction_choices())


def followups_for(rows) -> dict:
    """Follow-up of each row of a page of the emergency queue: who followed it up, and the
    conversation's one note (where the follow-up's words are kept since there is one note)."""
    if not rows:
        return {}
    senders = [r.sender_id for r in rows]
    with settings().engine.connect() as db:
        notes = {n.sender_id: n.text for n in db.execute(NOTES.select().where(NOTES.c.sender_id.in_(senders)))}
        return {row.sender_id: SimpleNamespace(**row._asdict(), shown_note=row.note or notes.get(row.sender_id, ""))
                for row in db.execute(FOLLOWUPS.select().where(FOLLOWUPS.c.sender_id.in_(senders)))}


def alarms_for(rows) -> dict:
    """The alarms of each row of a page of the emergency queue, from its events."""
    return alarms.of_senders(settings().engine, [r.sender_id for r in rows])


def _export(fmt: str, mimetype: str):
    s = settings()
    filters = Filters.from_query(request.args)
    if filters.errors:
        return Response("\n".join(filters.errors) + "\n", 400, mimetype="text/plain")
    rows = conversations.count(s.engine, filters, s.low_confidence)
    audit.log(s.engine, g.user.name, "export", address=client_address(), format=fmt, filters=filters.describe(),
              rows=rows)
    body = export.stream(s.engine, filters, fmt, s.low_confidence)
    return Response(stream_with_context(body), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{export.file_name(filters, fmt)}"'})


@blueprint.get("/export.csv")
def export_csv():
    return _export("csv", "text/csv")


@blueprint.get("/export.json")
def export_json():
    return _export("json", "application/json")

