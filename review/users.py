"""Staff accounts of the review tool, in the tracker database (`review_accounts`), with
salted scrypt hashes and a role: `beheerder` (manages accounts, reads the access log, and
reviews) or `medewerker` (reviews).

Why in the database and not a file: the access log must record account changes in the
same transaction, the beheerder manages accounts in the browser, and a PostgreSQL set-up
keeps accounts with the data they protect (one backup, one place to restrict access).
Accounts of the old `var/review_users.json` are imported once, as medewerker.

    python -m review.users add <name> [--role beheerder|medewerker] [--replace]
    python -m review.users role <name> <role>
    python -m review.users remove <name>
    python -m review.users list
    python -m review.users autostart      # exit 0 when `make run` should start the review tool
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import time
from pathlib import Path
from typing import List, Optional, Tuple

import sqlalchemy as sa

from review import audit
from review.schema import ACCOUNTS, LOGINS, ensure_schema
from tracker_store.database import add_database_arguments, open_engine

ROLES = {"beheerder": "Beheerder", "medewerker": "Medewerker"}
MIN_PASSWORD_LENGTH = 12
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
_DUMMY = json.dumps({"salt": "00" * 16, "hash": "00" * 32, **SCRYPT})


def legacy_file() -> Path:
    return Path(os.environ.get("REVIEW_USERS_FILE", "var/review_users.json"))


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return json.dumps({"salt": salt.hex(), "hash": digest.hex(), **SCRYPT})


def _matches(stored: str, password: str) -> bool:
    record = json.loads(stored)
    params = {key: record[key] for key in SCRYPT}
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(record["salt"]), **params)
    return hmac.compare_digest(digest.hex(), record["hash"])


def normalise(name: str) -> str:
    return name.strip().lower()


def check_new(name: str, password: str, role: str) -> str:
    name = normalise(name)
    if not NAME.fullmatch(name):
        raise ValueError(name_problem(name))
    check_password(password)
    if role not in ROLES:
        raise ValueError(f"Onbekende rol '{role}': kies beheerder of medewerker.")
    return name


NAME_RULES = ("Een accountnaam is 2 tot 32 tekens: letters (a tot z), cijfers, een punt, een liggend streepje (_) of "
              "een streepje (-), zonder spaties. Hij begint met een letter of cijfer. Hoofdletters worden "
              "kleine letters. Bijvoorbeeld: anna.devries")


def name_problem(name: str) -> str:
    """What is wrong with an account name, in Dutch, with the rules."""
    shown = name[:40]
    if not name:
        why = "Je hebt geen naam ingevuld."
    elif any(character.isspace() for character in name):
        why = f"De naam ‘{shown}’ heeft een spatie."
    elif len(name) < 2 or len(name) > 32:
        why = f"De naam ‘{shown}’ is {len(name)} tekens lang."
    elif not name[0].isalnum():
        why = f"De naam ‘{shown}’ begint niet met een letter of cijfer."
    else:
        why = f"De naam ‘{shown}’ heeft een teken dat niet mag."
    return f"{why} {NAME_RULES}."


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.")


def get_account(engine, name: str) -> Optional[Tuple[str, str]]:
    """(name, role) of an account, else None."""
    with engine.connect() as db:
        row = db.execute(sa.select(ACCOUNTS.c.name, ACCOUNTS.c.role).where(ACCOUNTS.c.name == normalise(name))).first()
    return tuple(row) if row else None


def verify_password(engine, name: str, password: str) -> bool:
    """True when `name` exists and `password` is right; as slow for unknown names."""
    with engine.connect() as db:
        stored = db.execute(sa.select(ACCOUNTS.c.password).where(ACCOUNTS.c.name == normalise(name))).scalar()
    return _matches(stored or _DUMMY, password) and stored is not None


def list_accounts(engine) -> List[Tuple[str, str, float]]:
    with engine.connect() as db:
        return [tuple(r) for r in db.execute(sa.select(ACCOUNTS.c.name, ACCOUNTS.c.role, ACCOUNTS.c.created)
                                             .order_by(ACCOUNTS.c.name))]


def add_account(engine, name: str, password: str, role: Optional[str], by: str, address: Optional[str] = None,
                replace: bool = False) -> str:
    """Create an account (role default medewerker); with `replace`, give an existing one a
    new password (and `role`, when given) and end its open sessions."""
    name = check_new(name, password, role or "medewerker")
    with engine.begin() as db:
        current = db.execute(sa.select(ACCOUNTS.c.role).where(ACCOUNTS.c.name == name)).scalar()
        if current and not replace:
            raise ValueError(f"Het account '{name}' bestaat al.")
        if current:
            role = role or current
            _require_beheerder_left(db, name, role)
            db.execute(ACCOUNTS.update().where(ACCOUNTS.c.name == name)
                       .values(password=hash_password(password), role=role))
            _end_logins(db, name)
        else:
            role = role or "medewerker"
            db.execute(ACCOUNTS.insert().values(name=name, role=role, password=hash_password(password),
                                                created=time.time()))
        audit.record(db, by, "account_password" if current else "account_add", name, address, role=role)
    return name


def set_role(engine, name: str, role: str, by: str, address: Optional[str] = None) -> None:
    if role not in ROLES:
        raise ValueError(f"Onbekende rol '{role}'.")
    with engine.begin() as db:
        _require_account(db, name)
        _require_beheerder_left(db, name, role)
        db.execute(ACCOUNTS.update().where(ACCOUNTS.c.name == normalise(name)).values(role=role))
        audit.record(db, by, "account_role", normalise(name), address, role=role)


def set_password(engine, name: str, password: str, by: str, address: Optional[str] = None) -> None:
    check_password(password)
    with engine.begin() as db:
        _require_account(db, name)
        db.execute(ACCOUNTS.update().where(ACCOUNTS.c.name == normalise(name)).values(password=hash_password(password)))
        _end_logins(db, normalise(name))
        audit.record(db, by, "account_password", normalise(name), address)


def remove_account(engine, name: str, by: str, address: Optional[str] = None) -> None:
    with engine.begin() as db:
        _require_account(db, name)
        _require_beheerder_left(db, name, None)
        db.execute(ACCOUNTS.delete().where(ACCOUNTS.c.name == normalise(name)))
        _end_logins(db, normalise(name))
        audit.record(db, by, "account_remove", normalise(name), address)


def _require_account(db, name: str) -> None:
    if not db.execute(sa.select(ACCOUNTS.c.name).where(ACCOUNTS.c.name == normalise(name))).first():
        raise ValueError(f"Er is geen account '{name}'.")


def _require_beheerder_left(db, name: str, new_role: Optional[str]) -> None:
    """Refuse to remove or demote the last beheerder: nobody could manage accounts any more."""
    if new_role == "beheerder":
        return
    others = db.execute(sa.select(sa.func.count()).select_from(ACCOUNTS).where(
        ACCOUNTS.c.role == "beheerder", ACCOUNTS.c.name != normalise(name))).scalar()
    current = db.execute(sa.select(ACCOUNTS.c.role).where(ACCOUNTS.c.name == normalise(name))).scalar()
    if current == "beheerder" and not others:
        raise ValueError("Dit is de laatste beheerder. Maak eerst een ander account beheerder.")


def _end_logins(db, name: str) -> None:
    db.execute(LOGINS.update().where(LOGINS.c.account == name, LOGINS.c.ended.is_(None)).values(ended=time.time()))


def import_legacy(engine, path: Optional[Path] = None) -> int:
    """Accounts of the old JSON file, as medewerker, when the database has none yet."""
    path = path or legacy_file()
    if not path.is_file() or list_accounts(engine):
        return 0
    users = json.loads(path.read_text(encoding="utf-8"))
    with engine.begin() as db:
        for name, record in users.items():
            stored = json.dumps({key: record[key] for key in ("salt", "hash", *SCRYPT)})
            db.execute(ACCOUNTS.insert().values(name=name, role="medewerker", password=stored, created=time.time()))
            audit.record(db, "import", "account_add", name, role="medewerker", source=str(path))
    return len(users)


def shell_account() -> str:
    """Who acts from the command line, as the access log names them."""
    try:
        return f"shell:{getpass.getuser()}"
    except (KeyError, OSError):
        return "shell"


def should_autostart() -> bool:
    """REVIEW_AUTOSTART=1 always, =0 never; otherwise once a staff account exists."""
    setting = os.environ.get("REVIEW_AUTOSTART", "auto").strip().lower()
    if setting in ("1", "yes", "true"):
        return True
    if setting not in ("", "auto"):
        return False
    try:
        engine = open_engine()
        return bool(sa.inspect(engine).has_table(ACCOUNTS.name) and list_accounts(engine)) or legacy_file().is_file()
    except (sa.exc.SQLAlchemyError, SystemExit, OSError):
        return False


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Wachtwoord nog een keer: ") != first:
        raise ValueError("De wachtwoorden verschillen.")
    return first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Staff accounts of the review tool.")
    add_database_arguments(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create an account (or set a new password with --replace)")
    add.add_argument("name", nargs="?")
    add.add_argument("--role", choices=list(ROLES), help="default: medewerker (with --replace: unchanged)")
    add.add_argument("--replace", action="store_true")
    role = sub.add_parser("role", help="give an account another role")
    role.add_argument("name")
    role.add_argument("role", choices=list(ROLES))
    sub.add_parser("remove").add_argument("name")
    sub.add_parser("list")
    sub.add_parser("autostart")
    args = parser.parse_args(argv)
    if args.command == "autostart":
        return 0 if should_autostart() else 1
    engine = open_engine(args.endpoints, args.db_url)
    ensure_schema(engine)
    import_legacy(engine)
    try:
        if args.command == "add":
            name = add_account(engine, args.name or input("Naam van het account: "), _read_password(), args.role,
                               shell_account(), replace=args.replace)
            print(f"Account '{name}' ({get_account(engine, name)[1]}) opgeslagen.")
        elif args.command == "role":
            set_role(engine, args.name, args.role, shell_account())
            print(f"Account '{normalise(args.name)}' is nu {args.role}.")
        elif args.command == "remove":
            remove_account(engine, args.name, shell_account())
            print(f"Account '{normalise(args.name)}' verwijderd.")
        else:
            for name, role_name, created in list_accounts(engine):
                print(f"{name}\t{role_name}\taangemaakt {time.strftime('%d-%m-%Y', time.localtime(created))}")
    except ValueError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
