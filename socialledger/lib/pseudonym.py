"""Pseudonymous person keys: a keyed hash of an identifier, never the identifier itself.

Suppliers may give an identifier they already hold for a person (a payroll or apprentice
number) so the same person is not counted twice. The product keeps only
HMAC-SHA256(secret, provider + identifier): it cannot be reversed without the secret, and the
same person at two providers gets unrelated keys.
"""

from __future__ import annotations

import hashlib
import hmac


def person_key(identifier: str, *, provider_id: int, secret: str) -> str:
    """The 64-character key for an identifier; spaces and letter case do not matter."""
    normalised = "".join(identifier.split()).upper()
    message = f"{provider_id}:{normalised}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
