"""The access log in plain Dutch sentences: "anna opende gesprek van 7 december 17:38",
"anna zocht met 2 woorden", "Mislukte inlogpoging met de naam piet".

Why: the log page showed the stored details as code (`filters: {}; page: 1`), which staff
could not read (issue 21). The stored entries do not change (they are hashed into a chain,
review/audit.py); only how they are shown. A conversation is named by when it began, read
from its summary row for the entries of one page (one query); an erased conversation has
none left, and is named as erased. Nothing here adds text the entry did not hold: a note is
still only its length, a search only its number of words.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Dict, Iterable, List, Optional

import sqlalchemy as sa

from review.audit import PARENT_IN_CHAT, Entry
from review.schema import CONVERSATIONS
from review.topics import topic_name
from review.words import day_words, moment_words

FORMATS = {"csv": "CSV (Excel)", "json": "JSON"}
ROLE_NAMES = {"beheerder": "beheerder", "medewerker": "medewerker"}
FLAG_WORDS = {"emergency": "met een noodsituatie", "fallback": "met iets niet begrepen",
              "negative_feedback": "met negatieve feedback", "registration": "met aanmelden"}
STATUS_WORDS = {"nieuw": "nieuw", "nagekeken": "nagekeken", "opgevolgd": "opgevolgd"}
TAG_WORDS = {"test": "Test", "inhoud": "Inhoud verbeteren", "voorbeeld": "Goed voorbeeld"}


def who(account: str) -> str:
    """The one who acted: a staff name, "iemand op de server (root)" for the command line."""
    if account.startswith("shell"):
        user = account.partition(":")[2]
        return f"iemand op de server ({user})" if user else "iemand op de server"
    if account == PARENT_IN_CHAT:
        return "een ouder"
    return account


def _count(number: Any, one: str, many: str) -> str:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return many
    return f"{number} {one if number == 1 else many}"


def _day(text: Any) -> str:
    try:
        return day_words(date.fromisoformat(str(text)))
    except ValueError:
        return str(text)


def filter_words(filters: Any) -> str:
    """The filters of a list, an overview or an export as a phrase: "met een noodsituatie,
    van 1 december 2026 tot en met 7 december 2026"; "" without filters."""
    if not isinstance(filters, dict):
        return ""
    parts: List[str] = [FLAG_WORDS[flag] for flag in FLAG_WORDS if filters.get(flag)]
    since, until = filters.get("since"), filters.get("until")
    if since and until:
        parts.append(f"van {_day(since)} tot en met {_day(until)}" if since != until else f"op {_day(since)}")
    elif since:
        parts.append(f"vanaf {_day(since)}")
    elif until:
        parts.append(f"tot en met {_day(until)}")
    if filters.get("time_from") or filters.get("time_to"):
        parts.append(f"begonnen tussen {filters.get('time_from') or '00:00'} en {filters.get('time_to') or '23:59'}")
    if filters.get("topic"):
        parts.append(f"over ‘{topic_name(filters['topic'])}’")
    if filters.get("status") in STATUS_WORDS:
        parts.append(f"status {STATUS_WORDS[filters['status']]}")
    if filters.get("reviewed") == "ja":
        parts.append("nagekeken")
    elif filters.get("reviewed") == "nee":
        parts.append("nog niet nagekeken")
    if filters.get("tag") in TAG_WORDS:
        parts.append(f"met het label {TAG_WORDS[filters['tag']]}")
    if filters.get("low"):
        parts.append("met lage zekerheid")
    if filters.get("note"):
        parts.append("met notitie")
    return ", ".join(parts)


def _search(details: Dict[str, Any]) -> str:
    filters = details.get("filters") if isinstance(details.get("filters"), dict) else {}
    words = filters.get("search_words")
    return _count(words, "woord", "woorden") if words else ""


def _page(details: Dict[str, Any]) -> str:
    page = details.get("page")
    return f", pagina {page}" if isinstance(page, int) and page > 1 else ""


def _filtered(details: Dict[str, Any]) -> str:
    words = filter_words(details.get("filters"))
    return f" ({words})" if words else ""


class Sentences:
    """Sentences for the entries of one page (or one batch of an export): the conversations
    they name are looked up once."""

    def __init__(self, engine: sa.engine.Engine, entries: Iterable[Entry]):
        targets = sorted({entry.target for entry in entries if entry.target and entry.action in CONVERSATION_ACTIONS})
        self.started: Dict[str, float] = {}
        if targets:
            c = CONVERSATIONS.c
            with engine.connect() as db:
                self.started = dict(db.execute(sa.select(c.sender_id, c.started).where(c.sender_id.in_(targets))).all())

    def conversation(self, target: Optional[str]) -> str:
        """ "gesprek van 7 december 17:38", or "een gesprek dat nu gewist is"."""
        started = self.started.get(target or "")
        if started is None:
            return "een gesprek dat nu gewist is"
        return f"gesprek van {moment_words(datetime.fromtimestamp(started))}"

    def __call__(self, entry: Entry) -> str:
        make = _SENTENCES.get(entry.action)
        details = entry.details if isinstance(entry.details, dict) else {}
        if make is None:
            return f"{who(entry.account)}: {entry.label}"
        return make(self, entry, who(entry.account), details)


def _list(place: str) -> Callable:
    """`place`: "de gesprekken", "de noodsituaties", "het overzicht"."""
    def sentence(s: Sentences, e: Entry, name: str, d: Dict[str, Any]) -> str:
        searched = _search(d)
        if searched:
            return f"{name} zocht in {place} met {searched}{_filtered(d)}{_page(d)}"
        if d.get("errors"):
            return f"{name} probeerde {place} te filteren met een datum of tijd die niet klopte"
        return f"{name} bekeek {place}{_filtered(d)}{_page(d)}"
    return sentence


def _tags(s: Sentences, e: Entry, name: str, d: Dict[str, Any]) -> str:
    chosen = [TAG_WORDS.get(tag, tag) for tag in d.get("tags") or []]
    if not chosen:
        return f"{name} haalde de labels weg bij {s.conversation(e.target)}"
    return f"{name} zette {'het label' if len(chosen) == 1 else 'de labels'} {', '.join(chosen)} " \
           f"bij {s.conversation(e.target)}"


def _assign(s: Sentences, e: Entry, name: str, d: Dict[str, Any]) -> str:
    if d.get("to"):
        return f"{name} wees {s.conversation(e.target)} toe aan {d['to']}"
    return f"{name} haalde de toewijzing weg bij {s.conversation(e.target)}"


def _password(s: Sentences, e: Entry, name: str, d: Dict[str, Any]) -> str:
    if e.account == e.target:
        return f"{name} koos een nieuw wachtwoord"
    return f"{name} gaf het account {e.target} een nieuw wachtwoord"


def _account_add(s: Sentences, e: Entry, name: str, d: Dict[str, Any]) -> str:
    role = ROLE_NAMES.get(d.get("role"), d.get("role") or "")
    if e.account == "import":
        return f"Account {e.target} overgenomen uit het oude accountbestand (rol: {role})"
    return f"{name} maakte het account {e.target} aan (rol: {role})"


def _unknown_logins(s: Sentences, e: Entry, name: str, d: Dict[str, Any]) -> str:
    text = f"{_count(d.get('failed'), 'mislukte inlogpoging', 'mislukte inlogpogingen')} met een naam die geen " \
           f"account is"
    if d.get("blocked"):
        text += f", daarna {_count(d['blocked'], 'keer', 'keer')} geblokkeerd"
    if d.get("since") and d.get("until"):
        text += f" (tussen {d['since']} en {d['until']})"
    return text[0].upper() + text[1:]


def _verify(s: Sentences, e: Entry, name: str, d: Dict[str, Any]) -> str:
    if d.get("ok"):
        return f"{name} controleerde het toegangslog: in orde ({_count(d.get('entries'), 'regel', 'regels')})"
    return f"{name} controleerde het toegangslog: NIET in orde, " \
           f"{_count(d.get('problems'), 'fout', 'fouten')} gevonden"


_SENTENCES: Dict[str, Callable[[Sentences, Entry, str, Dict[str, Any]], str]] = {
    "login": lambda s, e, n, d: f"{n} logde in",
    "login_failed": lambda s, e, n, d: f"Mislukte inlogpoging met de naam {n} (fout wachtwoord)",
    "login_blocked": lambda s, e, n, d: f"Inloggen als {n} geweigerd: te veel mislukte pogingen, het account of "
                                        "adres is een kwartier dicht",
    "login_failed_unknown": _unknown_logins,
    "logout": lambda s, e, n, d: f"{n} logde uit",
    "list": _list("de gesprekken"),
    "emergencies": _list("de noodsituaties"),
    "overview": _list("het overzicht"),
    "transcript": lambda s, e, n, d: f"{n} opende {s.conversation(e.target)}",
    "export": lambda s, e, n, d: f"{n} exporteerde {_count(d.get('rows'), 'gesprek', 'gesprekken')} als "
                                 f"{FORMATS.get(d.get('format'), d.get('format') or 'bestand')}{_filtered(d)}",
    "story_export": lambda s, e, n, d: f"{n} maakte een testverhaal van {s.conversation(e.target)}",
    "reviewed": lambda s, e, n, d: f"{n} markeerde {s.conversation(e.target)} als nagekeken",
    "unreviewed": lambda s, e, n, d: f"{n} haalde de markering nagekeken weg bij {s.conversation(e.target)}",
    "note": lambda s, e, n, d: f"{n} schreef een notitie bij {s.conversation(e.target)} "
                               f"({_count(d.get('characters'), 'teken', 'tekens')})",
    "tags": _tags,
    "followup": lambda s, e, n, d: f"{n} volgde de noodsituatie op in {s.conversation(e.target)} "
                                   f"(notitie van {_count(d.get('characters'), 'teken', 'tekens')})",
    "assign": _assign,
    "bulk_reviewed": lambda s, e, n, d: f"{n} markeerde {_count(d.get('marked'), 'gesprek', 'gesprekken')} in één "
                                        f"keer als nagekeken{_filtered(d)}",
    "correction": lambda s, e, n, d: f"{n} verbeterde het onderwerp van een bericht in {s.conversation(e.target)}: "
                                     f"‘{topic_name(d.get('predicted'))}’ werd ‘{topic_name(d.get('intent'))}’",
    "erase": lambda s, e, n, d: f"{n} wiste een gesprek, met alles wat erover bewaard was",
    "erased_in_chat": lambda s, e, n, d: "Een ouder wiste een gesprek in de chat; wat de tool erover had, is "
                                         "ook verwijderd",
    "account_add": _account_add,
    "account_role": lambda s, e, n, d: f"{n} gaf het account {e.target} de rol "
                                       f"{ROLE_NAMES.get(d.get('role'), d.get('role'))}",
    "account_password": _password,
    "account_remove": lambda s, e, n, d: f"{n} verwijderde het account {e.target}",
    "audit_view": lambda s, e, n, d: f"{n} bekeek het toegangslog{_page(d)}",
    "audit_export": lambda s, e, n, d: f"{n} exporteerde het toegangslog "
                                       f"({_count(d.get('rows'), 'regel', 'regels')})",
    "training_export": lambda s, e, n, d: f"{n} exporteerde "
                                          f"{_count(d.get('corrections'), 'verbetering', 'verbeteringen')} "
                                          "als trainingsdata",
    "retention": lambda s, e, n, d: f"{n} paste de bewaartermijn toe: "
                                    f"{_count(d.get('conversations'), 'oud gesprek', 'oude gesprekken')} verwijderd",
    "audit_retention": lambda s, e, n, d: f"{_count(d.get('deleted'), 'oude regel', 'oude regels')} van het "
                                          "toegangslog opgeruimd (bewaartermijn)",
    "audit_chain_start": lambda s, e, n, d: "Vanaf hier draagt elke regel een hash die aan de vorige vastzit "
                                            f"({_count(d.get('earlier_entries'), 'eerdere regel', 'eerdere regels')})",
    "audit_verify": _verify,
    "notify": lambda s, e, n, d: f"E-mail over een nieuwe noodsituatie in {s.conversation(e.target)} verstuurd "
                                 f"naar {_count(d.get('recipients'), 'adres', 'adressen')} (zonder tekst uit het "
                                 "gesprek)",
}
# Entries whose target is a conversation (named by when it began).
CONVERSATION_ACTIONS = {"transcript", "story_export", "reviewed", "unreviewed", "note", "tags", "followup", "assign",
                        "correction", "notify"}
