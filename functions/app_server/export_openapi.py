"""Writes the App Server's OpenAPI document to functions/app_server/openapi.json.

Run from the repository root: `.venv/bin/python -m functions.app_server.export_openapi`
(or `--check` to fail when the committed copy is stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPENAPI_FILE = HERE / "openapi.json"


def generate() -> str:
    for folder in (HERE, HERE.parent):  # app_server and shared, as they sit at the root of the Lambda zip
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    from app_server.routes import openapi_json

    return openapi_json() + "\n"


def main(argv: list[str]) -> int:
    text = generate()
    if "--check" in argv:
        if OPENAPI_FILE.read_text() != text:
            print(f"{OPENAPI_FILE} is stale: run python -m functions.app_server.export_openapi", file=sys.stderr)
            return 1
        return 0
    OPENAPI_FILE.write_text(text)
    print(f"wrote {OPENAPI_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
