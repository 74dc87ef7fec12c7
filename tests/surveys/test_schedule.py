from datetime import UTC, datetime, timedelta

from tracker.surveys import schedule

START = datetime(2026, 3, 10, 14, tzinfo=UTC)
END = datetime(2026, 3, 10, 22, tzinfo=UTC)


def test_it_scores_a_test_as_the_share_of_right_answers():
    questions = [(1, 0), (2, 2), (3, 1)]
    assert schedule.score(questions, {1: 0, 2: 2, 3: 1}) == 100
    assert schedule.score(questions, {1: 0, 2: 1, 3: 0}) == 33
    assert schedule.score(questions, {1: 0, 2: 2}) == 67  # an unanswered question counts as wrong
    assert schedule.score(questions, {}) == 0
    assert schedule.score([], {}) is None


def test_it_opens_the_pretest_three_days_before_and_closes_it_at_the_start():
    assert schedule.pretest_window(START) == (START - timedelta(days=3), START)
    assert schedule.expires("pretest", now=START - timedelta(days=3), starts_at=START) == START


def test_it_sends_the_follow_up_the_configured_days_after_the_end():
    due, until = schedule.followup_window(END, 90)
    assert due == END + timedelta(days=90) and until == due + schedule.VALID_FOR


def test_a_link_is_answered_expired_or_open():
    now = datetime(2026, 4, 1, tzinfo=UTC)
    assert schedule.state(answered_at=now, expires_at=now, now=now) == "answered"
    assert schedule.state(answered_at=None, expires_at=now, now=now) == "expired"
    assert schedule.state(answered_at=None, expires_at=now + timedelta(seconds=1), now=now) == "open"


def test_it_reminds_once_a_week_after_the_invitation():
    assert schedule.reminder_due(END) == END + timedelta(days=7)


def test_a_token_is_long_keyed_on_the_secret_and_only_its_hash_is_stored():
    token = schedule.survey_token("secret", enrollment_id=1, kind="evaluation", sent_at=END)
    assert len(token) == 43 and token == schedule.survey_token(
        "secret", enrollment_id=1, kind="evaluation", sent_at=END
    )
    assert token != schedule.survey_token("other", enrollment_id=1, kind="evaluation", sent_at=END)
    assert token != schedule.survey_token("secret", enrollment_id=2, kind="evaluation", sent_at=END)
    assert token != schedule.survey_token("secret", enrollment_id=1, kind="followup", sent_at=END)
    assert len(schedule.token_hash(token)) == 64 and token not in schedule.token_hash(token)
