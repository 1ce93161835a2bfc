"""Staff accounts of the review tool, stored with scrypt hashes in var/review_users.json.

    python -m review.users add <name>     # asks the password twice (or reads one line from stdin)
    python -m review.users remove <name>
    python -m review.users list
    python -m review.users autostart      # exit 0 when `make run` should start the review tool
"""
import argparse
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
from datetime import datetime
from pathlib import Path
from typing import Dict, Optional

MIN_PASSWORD_LENGTH = 12
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
_DUMMY = {"salt": "00" * 16, "hash": "00" * 32, **SCRYPT}


def users_file() -> Path:
    return Path(os.environ.get("REVIEW_USERS_FILE", "var/review_users.json"))


def load_users(path: Optional[Path] = None) -> Dict[str, dict]:
    path = path or users_file()
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def save_users(users: Dict[str, dict], path: Optional[Path] = None) -> None:
    """Write atomically, readable by this user only."""
    path = path or users_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(users, out, indent=1)
    os.replace(tmp, path)


def hash_password(password: str, salt: Optional[bytes] = None) -> dict:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return {"salt": salt.hex(), "hash": digest.hex(), **SCRYPT}


def verify_password(users: Dict[str, dict], name: str, password: str) -> bool:
    """True when `name` exists and `password` is right; as slow for unknown names."""
    record = users.get(name.strip().lower(), _DUMMY)
    params = {key: record[key] for key in SCRYPT}
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(record["salt"]), **params)
    return hmac.compare_digest(digest.hex(), record["hash"]) and record is not _DUMMY


def add_user(name: str, password: str, replace: bool = False, path: Optional[Path] = None) -> None:
    name = name.strip().lower()
    if not NAME.fullmatch(name):
        raise ValueError("Use 2-32 characters: letters, digits, '.', '_' or '-'.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    users = load_users(path)
    if name in users and not replace:
        raise ValueError(f"Account '{name}' exists; use --replace to set a new password.")
    users[name] = {**hash_password(password), "created": datetime.now().isoformat(timespec="seconds")}
    save_users(users, path)


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise ValueError("The passwords differ.")
    return first


def should_autostart() -> bool:
    """REVIEW_AUTOSTART=1 always, =0 never; otherwise once a staff account exists."""
    setting = os.environ.get("REVIEW_AUTOSTART", "auto").strip().lower()
    return setting in ("1", "yes", "true") or (setting in ("", "auto") and bool(load_users()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Staff accounts of the review tool.")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create an account (or set a new password with --replace)")
    add.add_argument("name", nargs="?")
    add.add_argument("--replace", action="store_true")
    sub.add_parser("remove").add_argument("name")
    sub.add_parser("list")
    sub.add_parser("autostart")
    args = parser.parse_args(argv)
    try:
        if args.command == "add":
            name = args.name or input("Account name: ")
            add_user(name, _read_password(), args.replace)
            print(f"Account '{name.strip().lower()}' saved in {users_file()}.")
        elif args.command == "remove":
            users = load_users()
            if users.pop(args.name.strip().lower(), None) is None:
                raise ValueError(f"No account '{args.name}'.")
            save_users(users)
            print(f"Account '{args.name}' removed.")
        elif args.command == "list":
            for name, record in sorted(load_users().items()):
                print(f"{name}\tcreated {record.get('created', '?')}")
        else:
            return 0 if should_autostart() else 1
    except ValueError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
