"""The action server: rasa-sdk's own app, answering only the paths Rasa uses.

`rasa run actions` answers an unknown path with 500 (its catch-all exception handler)
and lists every custom action at GET /actions. Rasa needs only POST /webhook, and
the launcher GET /health; anything else gets a plain 404, so the server tells a
scanner nothing. It runs like `rasa run actions` otherwise (same app, same
SANIC_HOST, one worker, no CORS: Rasa calls it server to server).

    python -m actions.server --port 5055
"""
from __future__ import annotations

import logging
import os
import sys
from typing import List, Optional

from rasa_sdk import endpoint, utils
from sanic import Sanic, response

ANSWERED_PATHS = frozenset({"/webhook", "/health"})


def create_app(package: str = "actions") -> Sanic:
    app = endpoint.create_app(package, cors_origins=None)

    @app.middleware("request")
    async def only_rasa_paths(request):
        if request.path not in ANSWERED_PATHS:
            return response.json({"error": "not found"}, status=404)
        return None

    return app


def main(argv: Optional[List[str]] = None) -> None:
    args = endpoint.create_argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.update_sanic_log_level()
    app = create_app(args.actions)
    app.run(os.environ.get("SANIC_HOST", "0.0.0.0"), args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main(sys.argv[1:])
