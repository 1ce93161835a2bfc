"""`rasa` with the API token from the environment, so it never shows in the process list.

`ps` shows every local user each process's command line; `--auth-token` there would
give the Rasa HTTP API away. The launcher (and deploy/systemd) pass the token in
$RASA_AUTH_TOKEN (a process's environment is readable by its own user only), and this module adds
`--auth-token` to the arguments inside the process before Rasa parses them: the
kernel's copy of the command line (/proc/<pid>/cmdline) stays without it.

    RASA_AUTH_TOKEN=... python -m launcher.rasa_cli run --enable-api ...
"""
import os
import sys

TOKEN_ENV = "RASA_AUTH_TOKEN"  # the same setting as launcher.settings.auth_token reads


def main() -> None:
    token = os.environ.pop(TOKEN_ENV, "")
    sys.argv = ["rasa", *sys.argv[1:], *(["--auth-token", token] if token else [])]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
