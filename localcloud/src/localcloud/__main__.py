"""`python -m localcloud`: run the local cloud in the foreground until SIGINT/SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading

from localcloud import config
from localcloud.server import LocalCloud


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    settings = config.load()
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    cloud = LocalCloud(settings)
    cloud.install_layers()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    cloud.start()
    stop.wait()
    cloud.stop()


if __name__ == "__main__":
    main()
