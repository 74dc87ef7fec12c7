"""Signed links to a person's own data, one in every email: naming the kind of recipient and their id,
with an expiry inside the signed part, so a link is long-lived but not forever (and changing the secret
key revokes every one at once). No web framework here: the email renderer builds them."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

KINDS = ("participant", "person")
LIFETIME = timedelta(days=365)
_MAX_ID = 2_147_483_647


@dataclass(frozen=True)
class Holder:
    """Whom a link names: a participant (someone trained) or a person (staff, deliverable owners)."""

    kind: str
    id: int


def _signature(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), f"own-data:{payload}".encode(), hashlib.sha256).hexdigest()[:32]


def own_data_token(secret: str, kind: str, record_id: int, *, now: datetime) -> str:
    """A token for `kind`'s record `record_id`, valid for a year from `now`."""
    if kind not in KINDS:
        raise ValueError(kind)
    expires = int((now + LIFETIME).timestamp())
    payload = f"{kind}.{record_id}.{expires}"
    return f"{payload}.{_signature(secret, payload)}"


def holder_of(secret: str, token: str, *, now: datetime) -> Holder | None:
    """Whom a token names, if its signature holds and it has not expired."""
    parts = token.split(".")
    if len(parts) != 4:
        return None
    kind, record, expires, signature = parts
    if kind not in KINDS or not record.isdigit() or not expires.isdigit() or len(record) > 10 or len(expires) > 12:
        return None
    if not hmac.compare_digest(_signature(secret, f"{kind}.{record}.{expires}"), signature):
        return None
    if int(expires) < now.timestamp() or not 0 < int(record) <= _MAX_ID:
        return None
    return Holder(kind, int(record))


def own_data_url(base_url: str, secret: str, kind: str, record_id: int, *, now: datetime) -> str:
    """The address of someone's own-data page."""
    return f"{base_url}/my-data/{own_data_token(secret, kind, record_id, now=now)}"
