"""Credentials: join codes, facilitator keys, participant tokens and ids, made and checked.

Secrets (facilitator keys, tokens) are random, high-entropy, shown once and stored only as
SHA-256 hashes: a leaked database reveals no usable credential. Join codes are short enough to
read aloud and typed back in any case, with spaces or dashes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read aloud or copied from a slide survives."""
JOIN_CODE_LENGTH = 8
"""31**8 ≈ 8.5e11 codes; with attempts rate-limited per address, guessing one is hopeless."""


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_id() -> str:
    return secrets.token_hex(12)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_secret(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """What someone typed, as a code: case, spaces and dashes do not matter."""
    return re.sub(r"[^A-Z0-9]", "", typed.upper())


def format_join_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
