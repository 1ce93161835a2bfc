"""E-mail a configured address when a new emergency comes in (issue 21), optional.

    REVIEW_NOTIFY_TO=team@praktijk.nl REVIEW_SMTP_HOST=smtp.praktijk.nl make run
    python -m review.notify [--once]      # the same check on its own (cron, or a test)

What the mail says: that there is a new emergency, the time of its alarm, and a link to the
emergency inbox (`REVIEW_PUBLIC_URL` + /noodsituaties). Nothing else: no message text, no
kind of danger, no conversation id, nothing of the parent. To read it one logs in, and that
is in the access log. Each mail sent is logged too (`notify`: the conversation, the number
of addresses; no address, no text).

Design (docs/staff-review.md): the review tool's server runs a daemon thread (`Notifier`)
that, every `REVIEW_NOTIFY_INTERVAL` seconds (60), brings the summaries up to date
(`index.sync`, as a page view does) and mails each emergency not mailed before. Why there:
- it never touches the parent's conversation: the bot and its action server do not know
  about mail at all, so a slow or unreachable SMTP server cannot delay an answer, and a
  crash of the mail code cannot take the chat down;
- `make run` already starts the review tool, so nothing else has to be started or watched
  (a separate process would need the launcher to start and stop it as well);
- the alarm is the one definition of review/alarms.py, read from the summary rows, so a
  mail goes out exactly for what the queue shows.
`python -m review.notify` runs the same loop alone, for a practice that runs the tool
elsewhere or wants cron (`--once`).

Once per emergency: `review_notified` remembers, per conversation, the alarm time last
mailed. A conversation is mailed when it is open (an alarm no follow-up covers) and no
mail went out since its last follow-up; several alarms in one conversation before anyone
followed it up give one mail, a new alarm after a follow-up gives a new one. The row is
claimed in the database *before* sending (so two processes never both send) and given
back when sending fails (so the next round tries again). Alarms from before notification
was first switched on (`notify_since` in review_state) are not mailed: switching it on
must not send a mail for every open emergency of the past months.
"""
from __future__ import annotations

import argparse
import os
import smtplib
import ssl
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import List, Mapping, Optional, Tuple

import sqlalchemy as sa

from review import audit, index
from review.conversations import emergency_open
from review.schema import CONVERSATIONS, FOLLOWUPS, NOTIFIED, STATE
from review.words import day_words

SINCE_KEY = "notify_since"
ACCOUNT = "tool (e-mail)"  # the access log's account of a mail sent: never a valid name
SUBJECT = "Nieuwe noodsituatie in de OCRN-chat"
DEFAULT_INTERVAL = 60.0


@dataclass
class MailSettings:
    to: List[str]
    sender: str
    host: str = "localhost"
    port: int = 25
    starttls: bool = False
    user: str = ""
    password: str = ""
    public_url: str = "http://localhost:8081"
    interval: float = DEFAULT_INTERVAL
    timeout: float = 20.0


def _flag(value: str, name: str) -> bool:
    if value.strip().lower() in ("1", "true", "ja", "yes", "on"):
        return True
    if value.strip().lower() in ("0", "false", "nee", "no", "off"):
        return False
    raise SystemExit(f"{name} must be 1 or 0, not {value!r}")


def settings_from_env(env: Mapping[str, str] = os.environ) -> Optional[MailSettings]:
    """The mail settings (docs/configuration.md), or None when REVIEW_NOTIFY_TO is not set.

    Fails fast, with one line, on a setting that cannot work: a password would go over the
    network in plain text (REVIEW_SMTP_USER without STARTTLS), a port that is no number."""
    to = [address.strip() for address in env.get("REVIEW_NOTIFY_TO", "").split(",") if address.strip()]
    if not to:
        return None
    user = env.get("REVIEW_SMTP_USER", "").strip()
    starttls_text = env.get("REVIEW_SMTP_STARTTLS", "").strip()
    starttls = _flag(starttls_text, "REVIEW_SMTP_STARTTLS") if starttls_text else bool(user)
    if user and not starttls:
        raise SystemExit("REVIEW_SMTP_USER is set but REVIEW_SMTP_STARTTLS=0: the password would cross the "
                         "network unencrypted. Use STARTTLS, or a relay that needs no login.")
    try:
        port = int(env.get("REVIEW_SMTP_PORT", "") or (587 if starttls else 25))
        interval = float(env.get("REVIEW_NOTIFY_INTERVAL", "") or DEFAULT_INTERVAL)
    except ValueError:
        raise SystemExit("REVIEW_SMTP_PORT and REVIEW_NOTIFY_INTERVAL must be numbers") from None
    if interval <= 0:
        raise SystemExit("REVIEW_NOTIFY_INTERVAL must be more than 0 seconds")
    public = env.get("REVIEW_PUBLIC_URL", "").strip() or f"http://localhost:{env.get('REVIEW_PORT', '8081')}"
    return MailSettings(to=to, sender=env.get("REVIEW_NOTIFY_FROM", "").strip() or user or "ocrn-chat@localhost",
                        host=env.get("REVIEW_SMTP_HOST", "").strip() or "localhost", port=port, starttls=starttls,
                        user=user, password=env.get("REVIEW_SMTP_PASSWORD", ""), public_url=public.rstrip("/"),
                        interval=interval)


def message(settings: MailSettings, alarm_at: float) -> EmailMessage:
    """The mail: that there is a new emergency, when, and where to read it; nothing of the parent."""
    when = datetime.fromtimestamp(alarm_at)
    mail = EmailMessage()
    mail["Subject"] = SUBJECT
    mail["From"] = settings.sender
    mail["To"] = ", ".join(settings.to)
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    mail.set_content(
        "Er is een nieuwe noodsituatie in de OCRN-chat.\n\n"
        f"Tijd van het alarm: {day_words(when.date(), weekday=True)} {when:%H:%M}\n\n"
        "Open de noodsituaties om het gesprek te lezen en op te volgen:\n"
        f"{settings.public_url}/noodsituaties\n\n"
        "In deze e-mail staat met opzet niets uit het gesprek. Log in om het te lezen.\n"
        "Je krijgt deze e-mail omdat dit adres is ingesteld voor meldingen van noodsituaties.\n")
    return mail


def send(settings: MailSettings, mail: EmailMessage) -> None:
    """Through the practice's SMTP server; STARTTLS (certificate checked) when configured."""
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        smtp.ehlo()
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.user:
            smtp.login(settings.user, settings.password)
        smtp.send_message(mail)


def notify_since(engine: sa.engine.Engine) -> float:
    """When notification was first switched on (set now, the first time)."""
    query = sa.select(STATE.c.value).where(STATE.c.key == SINCE_KEY)
    with engine.connect() as db:
        found = db.execute(query).scalar()
    if found is not None:
        return found
    try:
        with engine.begin() as db:
            db.execute(STATE.insert().values(key=SINCE_KEY, value=time.time()))
    except sa.exc.IntegrityError:  # another process set it just now
        pass
    with engine.connect() as db:
        return db.execute(query).scalar()


def due(engine: sa.engine.Engine, since: float) -> List[Tuple[str, float]]:
    """(conversation, time of its last alarm) of the open emergencies to mail, oldest first:
    alarms since `since`, and no mail since the conversation's last follow-up."""
    c, n = CONVERSATIONS.c, NOTIFIED.c
    covers = (sa.select(FOLLOWUPS.c.covers).where(FOLLOWUPS.c.sender_id == c.sender_id)
              .correlate(CONVERSATIONS).scalar_subquery())
    mailed = sa.exists().where(n.sender_id == c.sender_id, n.alarm_at > sa.func.coalesce(covers, 0.0)) \
        .correlate(CONVERSATIONS)
    query = (sa.select(c.sender_id, c.emergency_at).where(emergency_open(), c.emergency_at >= since, ~mailed)
             .order_by(c.emergency_at, c.sender_id))
    with engine.connect() as db:
        return [(sender, at) for sender, at in db.execute(query)]


def claim(engine: sa.engine.Engine, sender_id: str, alarm_at: float) -> Optional[Tuple[bool, Optional[float]]]:
    """Take the mail of this alarm for this process: (True, the alarm time mailed before or
    None), or None when another process took it first."""
    n = NOTIFIED.c
    with engine.connect() as db:
        before = db.execute(sa.select(n.alarm_at).where(n.sender_id == sender_id)).first()
    if before is None:
        try:  # the primary key lets only one process insert it
            with engine.begin() as db:
                db.execute(NOTIFIED.insert().values(sender_id=sender_id, alarm_at=alarm_at, sent_at=time.time()))
        except sa.exc.IntegrityError:
            return None
        return True, None
    with engine.begin() as db:  # only one process changes the row from the value it read
        taken = db.execute(NOTIFIED.update().where(n.sender_id == sender_id, n.alarm_at == before[0])
                           .values(alarm_at=alarm_at, sent_at=time.time())).rowcount
    return (True, before[0]) if taken else None


def give_back(engine: sa.engine.Engine, sender_id: str, alarm_at: float, before: Optional[float]) -> None:
    """Sending failed: undo the claim, so the next round tries again."""
    n = NOTIFIED.c
    mine = sa.and_(n.sender_id == sender_id, n.alarm_at == alarm_at)
    with engine.begin() as db:
        if before is None:
            db.execute(NOTIFIED.delete().where(mine))
        else:
            db.execute(NOTIFIED.update().where(mine).values(alarm_at=before))


def _say(line: str) -> None:
    print(line, flush=True)


def notify_once(engine: sa.engine.Engine, settings: MailSettings, log=_say) -> int:
    """Mail every emergency due now; the number of mails sent. An SMTP failure is one line
    in the log, and those mails are tried again next time."""
    sent = 0
    for sender_id, alarm_at in due(engine, notify_since(engine)):
        taken = claim(engine, sender_id, alarm_at)
        if taken is None:
            continue
        try:
            send(settings, message(settings, alarm_at))
        except (OSError, smtplib.SMTPException) as error:
            give_back(engine, sender_id, alarm_at, taken[1])
            log(f"[notify] E-mail about a new emergency not sent ({type(error).__name__}: {error}); "
                f"trying again in {settings.interval:g} s")
            break  # the server is unreachable or refuses: the others wait for the next round too
        audit.log(engine, ACCOUNT, "notify", sender_id, recipients=len(settings.to))
        sent += 1
    return sent


class Notifier(threading.Thread):
    """The check every `settings.interval` seconds, in the review server's process."""

    def __init__(self, engine: sa.engine.Engine, settings: MailSettings):
        super().__init__(name="review-notify", daemon=True)
        self.engine, self.settings = engine, settings
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                index.sync(self.engine)
                notify_once(self.engine, self.settings)
            except Exception as error:  # noqa: BLE001 - the tool keeps serving; the next round tries again
                print(f"[notify] Check for new emergencies failed ({type(error).__name__}: {error})", flush=True)
            self.stopped.wait(self.settings.interval)

    def stop(self) -> None:
        self.stopped.set()


def start(engine: sa.engine.Engine, env: Mapping[str, str] = os.environ) -> Optional[Notifier]:
    """Start the notifier when REVIEW_NOTIFY_TO is set (review/server.py); None otherwise."""
    settings = settings_from_env(env)
    if settings is None:
        return None
    notify_since(engine)  # from now on: older open emergencies are not mailed
    notifier = Notifier(engine, settings)
    notifier.start()
    print(f"[notify] New emergencies are mailed to {len(settings.to)} address(es) via "
          f"{settings.host}:{settings.port}{' (STARTTLS)' if settings.starttls else ''}, "
          f"checked every {settings.interval:g} s", flush=True)
    return notifier


def main(argv=None) -> int:
    from review.db import review_engine
    from tracker_store.database import add_database_arguments

    parser = argparse.ArgumentParser(description="E-mail new emergencies of the OCRN chat (REVIEW_NOTIFY_TO).")
    parser.add_argument("--once", action="store_true", help="check once and exit")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    settings = settings_from_env()
    if settings is None:
        print("REVIEW_NOTIFY_TO is not set: no e-mail to send (docs/configuration.md).", file=sys.stderr)
        return 2
    engine = review_engine(args.endpoints, args.db_url)
    if args.once:
        index.sync(engine)
        print(f"[notify] {notify_once(engine, settings)} e-mail(s) sent", flush=True)
        return 0
    notifier = start(engine)
    try:
        while notifier.is_alive():
            notifier.join(1.0)
    except KeyboardInterrupt:
        notifier.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
