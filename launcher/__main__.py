"""Start the OCRN servers on localhost (the Makefile's run, shell, web, review, status).

    python -m launcher run      # Rasa, action server, widget page (+ review tool); Ctrl-C stops
    python -m launcher shell    # action server + `rasa shell` in this terminal
    python -m launcher web      # only the widget page, for a Rasa server that already runs
    python -m launcher review   # only the staff review tool
    python -m launcher status [--wait SECONDS]
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time

from launcher import status
from launcher.settings import MODEL, RASA, ROOT, VAR, Settings, auth_token, private_dir, server_env
from launcher.stack import Stack, review_command, widget_command
from review.users import should_autostart

READY_MESSAGE = """
  De OCRN-chatassistent draait. / The OCRN assistant is running.
  Open http://localhost:{widget_port} in je browser (de chat op de website / the website widget).{review}
  REST:  curl -s -X POST http://localhost:{rasa_port}/webhooks/rest/webhook \\
           -H 'Content-Type: application/json' -d '{{"sender":"test","message":"Wat is hechting?"}}'
  Chat in de terminal / in a terminal: make shell
  Stoppen / stop: Ctrl-C
"""


def local_stack(settings: Settings) -> Stack:
    """The stack of `make run`: fixed ports, var/ for logs and the tracker database."""
    return Stack(private_dir(VAR), model=MODEL, endpoints=ROOT / settings.endpoints,
                 token=auth_token(), cors=settings.widget_origin, rasa_port=settings.rasa_port,
                 action_port=settings.action_port, action_host=settings.action_host,
                 logs=False)


def run(settings: Settings) -> int:
    print(f"[run] {status.pipeline_line()}", flush=True)
    stack = local_stack(settings)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        stack.start_actions()
        stack.start_rasa()
        stack.start_widget(settings.widget_port, settings.rasa_public_url)
        with_review = should_autostart()
        if with_review:
            stack.start_review(settings.review_port)
        stack.wait_ready()
        review = (f"\n  Medewerkers / staff: http://localhost:{settings.review_port}"
                  if with_review else "")
        print(READY_MESSAGE.format(widget_port=settings.widget_port, rasa_port=settings.rasa_port,
                                   review=review), flush=True)
        while all(p.poll() is None for p in stack.procs()):
            time.sleep(0.5)
        print("[run] A server stopped; stopping the others.", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        print("\n[run] Stopping ...", flush=True)
        stack.stop(grace=15)
        print("[run] Stopped.", flush=True)


def shell_command(settings: Settings) -> list:
    """`rasa shell` on loopback only: its REST channel must not be open to the network."""
    return [RASA, "shell", "--model", str(MODEL), "--endpoints", str(ROOT / settings.endpoints),
            "--interface", "127.0.0.1", "--port", str(settings.rasa_port)]


def _stop_on(*signals) -> None:
    """Turn these signals into SystemExit, so the `finally` of the caller stops the servers."""
    for sig in signals:
        signal.signal(sig, lambda *_: sys.exit(0))


def shell(settings: Settings) -> int:
    """The action server and `rasa shell` in this terminal; everything stops with it:
    Ctrl-C, SIGTERM, or SIGHUP when the terminal is closed."""
    stack = Stack(private_dir(VAR / "log"), endpoints=ROOT / settings.endpoints,
                  action_port=settings.action_port, action_host=settings.action_host)
    _stop_on(signal.SIGHUP, signal.SIGTERM)
    try:
        stack.start_actions()
        stack.wait_ready(rasa=False)
        stack.rasa = subprocess.Popen(shell_command(settings), cwd=ROOT, env=server_env())
        return stack.rasa.wait()
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        stack.stop(grace=10)


def foreground(cmd, env) -> int:
    try:
        return subprocess.call(cmd, cwd=ROOT, env=server_env(env))
    except KeyboardInterrupt:
        return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m launcher", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["run", "shell", "web", "review", "status"])
    parser.add_argument("--wait", type=float, default=0, help="status: wait this long for the servers")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "run":
        return run(settings)
    if args.command == "shell":
        return shell(settings)
    if args.command == "web":
        return foreground(widget_command(), {"WIDGET_PORT": str(settings.widget_port),
                                             "RASA_PUBLIC_URL": settings.rasa_public_url})
    if args.command == "review":
        return foreground(review_command(settings.review_port), {"RASA_ENDPOINTS": settings.endpoints})
    return status.main(settings, auth_token(), args.wait)


if __name__ == "__main__":
    sys.exit(main())
