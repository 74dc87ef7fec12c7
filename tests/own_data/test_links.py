"""The own-data link: signed, naming the kind of recipient and their id, expiring after a year."""

from datetime import UTC, datetime, timedelta

from tracker.own_data.links import Holder, holder_of, own_data_token

SECRET = "link-secret"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_it_names_the_kind_of_recipient_and_their_id():
    token = own_data_token(SECRET, "participant", 42, now=NOW)
    assert token.startswith("participant.42.")
    assert holder_of(SECRET, token, now=NOW) == Holder("participant", 42)
    assert holder_of(SECRET, own_data_token(SECRET, "person", 7, now=NOW), now=NOW) == Holder("person", 7)


def test_a_forged_or_altered_token_names_nobody():
    token = own_data_token(SECRET, "participant", 42, now=NOW)
    kind, record, expires, signature = token.split(".")
    altered = [
        f"person.{record}.{expires}.{signature}",  # another kind of record, same number
        f"{kind}.43.{expires}.{signature}",  # someone else
        f"{kind}.{record}.{int(expires) + 10**8}.{signature}",  # a longer life
        f"{kind}.{record}.{expires}.{'0' * 32}",
        own_data_token("another-secret", "participant", 42, now=NOW),
        "participant.42",
        "",
        "participant.-1.1.x",
        "participant.99999999999.1.x",
    ]
    assert [holder_of(SECRET, t, now=NOW) for t in altered] == [None] * len(altered)


def test_it_lasts_a_year():
    token = own_data_token(SECRET, "person", 7, now=NOW)
    assert holder_of(SECRET, token, now=NOW + timedelta(days=364)) is not None
    assert holder_of(SECRET, token, now=NOW + timedelta(days=366)) is None
