"""What staff do with a conversation: mark reviewed, note, tags, follow up an emergency,
correct a topic, erase it. Every change is a POST with a
CSRF token, answered with a redirect back to the conversation (303)."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, g, redirect, render_template, request

from review import index, work, workflow
from review.app import client_address, settings
from review.conversations import Filters
from review.navigation import Place
from review.transcript import load_transcript

blueprint = Blueprint("acts", __name__)


def _actor() -> work.Actor:
    return work.Actor(g.user.name, client_address())


def _sender() -> str:
    """The conversation acted on, its id exactly as sent (never stripped or changed: " abc"
    is another conversation than "abc"); 404 when it has no events."""
    sender = request.form.get("sender") or request.args.get("sender") or ""
    if not sender or not load_transcript(settings().engine, sender):
        if sender:
            index.forget_erased(settings().engine, [sender])  # erased in the chat: forget it now
        abort(404)
    return sender


def _erasable() -> str:
    """The conversation to erase: also one erased in the chat whose rows the tool still has."""
    sender = request.form.get("sender") or request.args.get("sender") or ""
    if not sender or not work.known(settings().engine, sender):
        abort(404)
    return sender


def _back(sender: str, anchor: str = ""):
    """Back to the conversation, with the list's filters; to the next one in that list when
    the staff member chose "... en volgende" (`then=next`)."""
    place = Place.from_string(request.form.get("terug", ""))
    if request.form.get("then") == "next":
        following = place.next_sender(settings().engine, settings().low_confidence, sender)
        if following:
            return redirect(place.link(following), 303)
        flash("Dit was het laatste gesprek in de lijst.")
        return redirect(place.back(), 303)
    return redirect(place.link(sender, anchor), 303)


@blueprint.post("/act/reviewed")
def reviewed():
    sender = _sender()
    done = request.form.get("value") == "1"
    work.set_reviewed(settings().engine, sender, done, _actor())
    flash("Gemarkeerd als nagekeken." if done else "Markering ‘nagekeken’ weggehaald.")
    return _back(sender)


@blueprint.post("/act/note")
def note():
    sender = _sender()
    work.save_note(settings().engine, sender, request.form.get("text", ""), _actor())
    flash("Notitie opgeslagen.")
    return _back(sender, "#notitie")


@blueprint.post("/act/tags")
def tags():
    sender = _sender()
    work.set_tags(settings().engine, sender, request.form.getlist("tag"), _actor())
    flash("Labels opgeslagen.")
    return _back(sender, "#labels")


@blueprint.post("/act/followup")
def followup():
    sender = _sender()
    note_text = request.form.get("note", "").strip()
    if not note_text:
        flash("Schrijf kort op wat je gedaan hebt, bijvoorbeeld ‘gelezen, geen actie nodig’.", "error")
        return _back(sender, _anchor("#opvolgen"))
    if not work.follow_up(settings().engine, sender, "", _actor()):
        abort(400)
    work.save_note(settings().engine, sender, note_text, _actor())  # the one note of the conversation
    flash("Noodsituatie gemarkeerd als opgevolgd. Wat je schreef staat in de notitie.")
    return _back(sender, _anchor("#opvolgen"))


@blueprint.post("/act/nagekeken")
def bulk_reviewed():
    """Mark the filtered list as nagekeken at once (not its emergencies: those are followed up)."""
    s = settings()
    filters = Filters.from_query(request.form)
    if filters.errors:
        abort(400)
    marked = workflow.bulk_reviewed(s.engine, filters, s.low_confidence, g.user.name, client_address())
    flash(f"{marked} gesprek{'' if marked == 1 else 'ken'} gemarkeerd als nagekeken.")
    query = urlencode(filters.as_query())
    return redirect("/" + (f"?{query}" if query else ""), 303)


@blueprint.post("/act/assign")
def assign():
    sender = _sender()
    account = request.form.get("account", "")
    account = g.user.name if account == "ik" else account
    try:
        workflow.assign(settings().engine, sender, account or None, g.user.name, client_address())
    except ValueError:
        abort(400)
    flash(f"Toegewezen aan {account}." if account else "Niemand meer toegewezen.")
    return _back(sender, _anchor("#toegewezen"))


def _anchor(default: str) -> str:
    """Where on the page to come back to: the message the form sat next to (`#m<id>`)."""
    anchor = request.form.get("anchor", "")
    return anchor if re.fullmatch(r"#m\d{1,12}", anchor) else default


@blueprint.post("/act/correction")
def correction():
    sender = _sender()
    try:
        event_id = int(request.form.get("event", ""))
        found = work.correct(settings().engine, sender, event_id, request.form.get("intent", ""), _actor())
    except ValueError:
        abort(400)
    if not found:
        abort(404)
    flash("Verbetering opgeslagen. Een ontwikkelaar neemt hem mee bij de volgende training.")
    return _back(sender, f"#m{event_id}")


def _summary(sender: str):
    """The conversation's row (start, first message) to confirm the erasure against."""
    from review.conversations import one

    return one(settings().engine, sender, settings().low_confidence)


@blueprint.get("/wissen")
def erase_form():
    sender = _erasable()
    return render_template("erase.html", sender_id=sender, row=_summary(sender))


@blueprint.post("/wissen")
def erase():
    sender = _erasable()
    if request.form.get("confirm") != "ja":
        flash("Vink aan dat je dit gesprek echt wilt wissen.", "error")
        return render_template("erase.html", sender_id=sender, row=_summary(sender)), 400
    work.erase(settings().engine, sender, _actor())
    flash("Het gesprek is gewist. Het is niet meer terug te halen.")
    return redirect("/", 303)

