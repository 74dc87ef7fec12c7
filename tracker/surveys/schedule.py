"""When each survey is sent, reminded and closed, and how a test is scored: pure functions of plain values
and a `now`, so they are tested without a database or a clock."""

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

PRETEST, EVALUATION, FOLLOWUP = "pretest", "evaluation", "followup"
KINDS = (PRETEST, EVALUATION, FOLLOWUP)
# The pre-test goes out this long before the start (at once when someone registers later).
PRETEST_LEAD = timedelta(days=3)
# A link works this long; an activity held longer ago than this gets no evaluation any more.
VALID_FOR = timedelta(days=30)
# One reminder, this long after the invitation, to those who have not answered (the pre-test has none:
# it closes when the activity starts).
REMIND_AFTER = timedelta(days=7)
REMINDED_KINDS = (EVALUATION, FOLLOWUP)
APPLIED = ("yes", "partly", "no")
APPLYING = ("yes", "partly")
# How people applied what they learned, at the follow-up.
USES = ("policy", "inventory", "project", "colleagues", "other")


def survey_token(secret: str, *, enrollment_id: int, kind: str, sent_at: datetime) -> str:
    """A person's token for one survey: 256 bits no one can guess without the tracker's secret key.

    Keyed on the invitation's own fields, so the one reminder carries the same link while the database
    keeps only the token's SHA-256 (a copy of the database opens no survey).
    """
    key = f"survey:{enrollment_id}:{kind}:{int(sent_at.timestamp())}"
    digest = hmac.new(secret.encode(), key.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def pretest_window(starts_at: datetime) -> tuple[datetime, datetime]:
    """(from when the pre-test is sent, when it closes): it closes as the activity starts."""
    return starts_at - PRETEST_LEAD, starts_at


def evaluation_window(ends_at: datetime) -> tuple[datetime, datetime]:
    """(from when, until when) the evaluation of a held activity is sent: from its end, for VALID_FOR."""
    return ends_at, ends_at + VALID_FOR


def followup_window(ends_at: datetime, followup_days: int) -> tuple[datetime, datetime]:
    """(from when, until when) the follow-up is sent: `followup_days` after the end, for VALID_FOR."""
    due = ends_at + timedelta(days=followup_days)
    return due, due + VALID_FOR


def expires(kind: str, *, now: datetime, starts_at: datetime) -> datetime:
    """When a link sent at `now` stops working."""
    if kind == PRETEST:
        return max(starts_at, now)
    return now + VALID_FOR


def reminder_due(sent_at: datetime) -> datetime:
    """When the one reminder goes to someone who has not answered."""
    return sent_at + REMIND_AFTER


def state(*, answered_at: datetime | None, expires_at: datetime, now: datetime) -> str:
    """answered, expired or open."""
    if answered_at is not None:
        return "answered"
    return "expired" if now >= expires_at else "open"


def score(questions: list[tuple[int, int]], chosen: dict[int, int]) -> int | None:
    """The share of right answers in percent, rounded: `questions` are (id, index of the right choice),
    `chosen` question id -> index chosen. None when the test has no questions."""
    if not questions:
        return None
    right = sum(1 for qid, correct in questions if chosen.get(qid) == correct)
    return round(100 * right / len(questions))
