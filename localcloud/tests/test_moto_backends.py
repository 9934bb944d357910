"""moto's backend lookup without its global lock for an account that has its backend already (moto_backends.py)."""

from __future__ import annotations

import threading

from moto.core.base_backend import BackendDict, backend_lock
from moto.sqs.models import sqs_backends

from localcloud import moto_backends


def test_an_existing_account_is_answered_while_moto_holds_its_lock() -> None:
    account = "111122223333"
    first = sqs_backends[account]  # created by moto's own lookup (the layers are not installed in this process)
    assert sqs_backends in BackendDict._instances  # type: ignore[misc]  # and registered, so moto's reset clears it
    held, release, answered = threading.Event(), threading.Event(), []

    def holder() -> None:
        with backend_lock:
            held.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    try:
        reader = threading.Thread(
            target=lambda: answered.append(moto_backends._backend_for_account(sqs_backends, account))
        )
        reader.start()
        reader.join(2)
        assert answered == [first]  # moto's lookup would still wait for the lock here
    finally:
        release.set()
        thread.join()
    assert sqs_backends[account] is first
