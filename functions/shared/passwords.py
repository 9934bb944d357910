"""Password hashes in the Customers table: `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`.

The seed generator reuses `hash_password()` so stored hashes and the login check always agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

ALGORITHM = "pbkdf2_sha256"
# OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. Verification reads the iterations stored with each hash,
# so raising this later only affects new hashes.
DEFAULT_ITERATIONS = 600_000
_SALT_BYTES = 16


def hash_password(password: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None) -> str:
    if iterations < 1:
        raise ValueError(f"iterations must be positive, got {iterations}")
    salt = salt if salt is not None else os.urandom(_SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; a malformed stored hash never matches."""
    try:
        algorithm, iterations_text, salt_b64, hash_b64 = stored.split("$")
        iterations = int(iterations_text)
        salt, expected = base64.b64decode(salt_b64, validate=True), base64.b64decode(hash_b64, validate=True)
    except ValueError:
        return False
    if algorithm != ALGORITHM or iterations < 1:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return hmac.compare_digest(digest, expected)
