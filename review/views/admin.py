"""For the beheerder only: accounts and the access log (read and export; never change)."""
from __future__ import annotations

import csv
import io
import json
import math
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, stream_with_context

from review import audit, login, users
from review.app import client_address, settings
from review.audit import ACTIONS, AuditFilters
from review.audit_words import CONVERSATION_ACTIONS, Sentences
from review.conversations import parse_date
from review.export import cell

blueprint = Blueprint("admin", __name__)
PAGE_SIZE = 50


@blueprint.before_request
def beheerder_only():
    if not (g.get("user") and g.user.is_beheerder):
        abort(403)


@blueprint.get("/accounts")
def accounts():
    return render_template("accounts.html", accounts=users.list_accounts(settings().engine),
                           name_rules=users.NAME_RULES)


@blueprint.post("/accounts")
def change_account():
    engine, by, address = settings().engine, g.user.name, client_address()
    form = request.form
    action, name = form.get("action", ""), form.get("name", "")
    try:
        if action == "add":
            users.add_account(engine, name, form.get("password", ""), form.get("role", "medewerker"), by, address)
            flash(f"Account ‘{users.normalise(name)}’ aangemaakt.")
        elif action == "role":
            users.set_role(engine, name, form.get("role", ""), by, address)
            flash(f"De rol van ‘{name}’ is gewijzigd.")
        elif action == "password":
            users.set_password(engine, name, form.get("password", ""), by, address)
            flash(f"Nieuw wachtwoord voor ‘{name}’ opgeslagen; lopende sessies van dit account zijn beëindigd.")
        elif action == "remove":
            if users.normalise(name) == by:
                raise ValueError("Je kunt je eigen account niet verwijderen. "
                                 "Vraag een andere beheerder om het te doen.")
            if form.get("confirm") != "ja":
                raise ValueError(f"Vink eerst aan dat je het account ‘{name}’ echt wilt verwijderen.")
            users.remove_account(engine, name, by, address)
            flash(f"Account ‘{name}’ verwijderd.")
        else:
            abort(400)
    except ValueError as error:
        flash(str(error), "error")
    return redirect("/accounts", 303)


def _filters() -> AuditFilters:
    args = request.args
    return AuditFilters(account=args.get("account", "")[:64], action=args.get("action", "") if
                        args.get("action", "") in ACTIONS else "", target=args.get("target", "")[:255],
                        since=parse_date(args.get("since", "")), until=parse_date(args.get("until", "")))


@blueprint.get("/toegangslog")
def audit_log():
    engine = settings().engine
    login.flush_unknown(engine)  # closed quarters of failed logins with unknown names
    filters = _filters()
    total = audit.count(engine, filters)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    try:
        number = min(max(int(request.args.get("page", "1")), 1), pages)
    except ValueError:
        number = 1
    entries = audit.entries(engine, filters, PAGE_SIZE, (number - 1) * PAGE_SIZE)
    audit.log(engine, g.user.name, "audit_view", address=client_address(), filters=filters.as_query(), page=number)
    return render_template("audit.html", entries=entries, filters=filters, total=total, page=number, pages=pages,
                           sentence=Sentences(engine, entries), conversation_actions=CONVERSATION_ACTIONS,
                           query=urlencode(filters.as_query()), actions=ACTIONS,
                           retention_days=audit.retention_days(), unknown=login.open_unknown(engine))


def _batches(entries, size: int = 500):
    """The entries in lists of `size` (each batch's conversations are looked up at once)."""
    batch = []
    for entry in entries:
        batch.append(entry)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@blueprint.get("/toegangslog.csv")
def audit_csv():
    engine = settings().engine
    login.flush_unknown(engine)
    filters = _filters()
    rows = audit.count(engine, filters)
    audit.log(engine, g.user.name, "audit_export", address=client_address(), filters=filters.as_query(), rows=rows)

    def lines():
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel then reads UTF-8
        writer = csv.writer(buffer)
        writer.writerow(["tijd", "account", "adres", "handeling", "gesprek", "details", "wat er gebeurde"])
        for batch in _batches(audit.stream(engine, filters)):
            sentence = Sentences(engine, batch)
            for entry in batch:
                details = json.dumps(entry.details, ensure_ascii=False) if entry.details else ""
                writer.writerow([cell(value) for value in (entry.at.isoformat(timespec="seconds"), entry.account,
                                                            entry.address, entry.label, entry.target, details,
                                                            sentence(entry))])
            if buffer.tell() > 16384:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="ocrn-toegangslog.csv"'})
