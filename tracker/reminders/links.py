"""Signed links to a person's reminder preferences, for people who never sign in."""

import hashlib
import hmac


def preferences_token(secret: str, person_id: int) -> str:
    """A token naming the person, signed with the tracker's secret key."""
    signature = hmac.new(secret.encode(), f"reminder-preferences:{person_id}".encode(), hashlib.sha256)
    return f"{person_id}.{signature.hexdigest()[:32]}"


def person_of(secret: str, token: str) -> int | None:
    """The person a token names, if its signature holds."""
    person, _, _ = token.partition(".")
    if not person.isdigit() or len(person) > 10:
        return None
    return int(person) if hmac.compare_digest(preferences_token(secret, int(person)), token) else None
