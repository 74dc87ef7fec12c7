"""Passwords: Argon2id hashes, and the one rule that matters (long and not commonly guessed)."""

import secrets

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 1024
_hasher = PasswordHash((Argon2Hasher(),))
# Verified against when the email is unknown, so both answers take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(24))


def hash_password(password: str) -> str:
    """An Argon2id hash ($argon2id$...)."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when the password matches; always does the same work, even with no hash."""
    if not password_hash:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # noqa: BLE001 - a malformed stored hash is simply a mismatch
        return False


def password_problem(password: str, *, user_inputs: list[str]) -> str | None:
    """The error kind for an unacceptable password, or None.

    No composition rules: length, and a guessability estimate that knows the commonest
    passwords, keyboard walks, repeats and the person's own name and email.
    """
    if len(password) < MIN_LENGTH:
        return "password_short"
    if len(password) > MAX_LENGTH:
        return "password_long"
    # zxcvbn reads at most 72 characters; a longer passphrase is judged on its start.
    if zxcvbn(password[:72], user_inputs=[u for u in user_inputs if u])["score"] < 2:
        return "password_common"
    return None
