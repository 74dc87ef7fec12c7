"""Surveys: a personal link found by its token, answers checked and stored (and copied to the roster), an
activity's test questions, and its response rates. Services never commit: the request or the sweep does."""

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import func, update
from sqlmodel import Session, select

from tracker.errors import NotFound
from tracker.i18n import N_
from tracker.models import Activity, Enrollment, Participant, SurveyInvitation, SurveyQuestion
from tracker.surveys.schedule import APPLIED, EVALUATION, FOLLOWUP, PRETEST, USES, score, state, token_hash

MAX_TEXT = 2000
MAX_CHOICES = 6
GONE = N_("This survey link does not exist.")


@dataclass(frozen=True)
class Found:
    """A survey link and everything its page needs."""

    invitation: SurveyInvitation
    enrollment: Enrollment
    participant: Participant
    activity: Activity


def find_by_token(session: Session, token: str) -> Found:
    """The invitation a personal token opens (NotFound for any other string)."""
    if not token or len(token) > 100:
        raise NotFound(GONE)
    row = session.exec(
        select(SurveyInvitation, Enrollment, Participant, Activity)
        .join(Enrollment, Enrollment.id == SurveyInvitation.enrollment_id)
        .join(Participant, Participant.id == Enrollment.participant_id)
        .join(Activity, Activity.id == Enrollment.activity_id)
        .where(SurveyInvitation.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise NotFound(GONE)
    return Found(*row)


def state_of(invitation: SurveyInvitation, now: datetime) -> str:
    """answered, expired or open."""
    return state(answered_at=invitation.answered_at, expires_at=invitation.expires_at, now=now)


# Questions ----------------------------------------------------------------------------------


def questions_of(session: Session, *, activity_id: int) -> list[SurveyQuestion]:
    """An activity's test questions, in their order."""
    return list(
        session.exec(
            select(SurveyQuestion)
            .where(SurveyQuestion.activity_id == activity_id)
            .order_by(SurveyQuestion.position, SurveyQuestion.id)
        )
    )


def has_questions(session: Session, *, activity_id: int) -> bool:
    """Whether the activity has a test (then the pre-test is sent, and the post-test is in the evaluation)."""
    return session.exec(select(SurveyQuestion.id).where(SurveyQuestion.activity_id == activity_id)).first() is not None


def choices_of(question: SurveyQuestion) -> list[SimpleNamespace]:
    """A question's choices as bilingual records (`text_en`, `text_es`), as pages show any bilingual text."""
    return [
        SimpleNamespace(text_en=c.get("en") or "", text_es=c.get("es") or "")
        for c in question.choices
        if isinstance(c, dict)
    ]


def get_question_or_404(session: Session, *, activity: Activity, question_id: int) -> SurveyQuestion:
    """One of the activity's questions."""
    question = session.get(SurveyQuestion, question_id)
    if question is None or question.activity_id != activity.id:
        raise NotFound(N_("This question does not exist."))
    return question


def question_values(question: SurveyQuestion | None) -> dict:
    """A question as its form shows it: texts, one pair of boxes per choice slot, the right one."""
    values = {"text_en": "", "text_es": "", "correct": ""}
    if question is None:
        return values
    values |= {"text_en": question.text_en or "", "text_es": question.text_es or "", "correct": str(question.correct)}
    for index, choice in enumerate(choices_of(question)):
        values[f"choice_{index}_en"], values[f"choice_{index}_es"] = choice.text_en, choice.text_es
    return values


def _clean(value) -> str:
    text = value if isinstance(value, str) else ""
    # One line: control characters (and NUL, which PostgreSQL refuses) become spaces.
    return " ".join("".join(" " if ord(c) < 32 or c in "\u2028\u2029\x7f" else c for c in text).split())


def parse_question(values: dict) -> tuple[dict, dict[str, str]]:
    """A question form's values checked: (fields for SurveyQuestion, field -> message id)."""
    errors: dict[str, str] = {}
    text = {code: _clean(values.get(f"text_{code}"))[:500] for code in ("en", "es")}
    if not any(text.values()):
        errors["text_es"] = errors["text_en"] = N_("Write the question in Spanish, in English or in both.")
    choices, slot_of = [], {}
    for index in range(MAX_CHOICES):
        pair = {code: _clean(values.get(f"choice_{index}_{code}"))[:300] for code in ("en", "es")}
        if any(pair.values()):
            slot_of[index] = len(choices)
            choices.append(pair)
    if len(choices) < 2:
        errors["choices"] = N_("Write at least two answers.")
    raw = values.get("correct")
    correct = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 3 else None
    if correct is None or correct not in slot_of:
        errors["correct"] = N_("Choose the right answer among those written.")
    fields = {"text_en": text["en"] or None, "text_es": text["es"] or None, "choices": choices}
    fields["correct"] = slot_of.get(correct, 0) if correct is not None else 0
    return fields, errors


def add_question(session: Session, *, activity: Activity, fields: dict) -> SurveyQuestion:
    """A question at the end of the activity's test."""
    last = session.exec(
        select(func.max(SurveyQuestion.position)).where(SurveyQuestion.activity_id == activity.id)
    ).one()
    question = SurveyQuestion(activity_id=activity.id, position=(last or 0) + 1, **fields)
    session.add(question)
    session.flush()
    return question


def save_question(session: Session, *, question: SurveyQuestion, fields: dict) -> SurveyQuestion:
    """A question's new texts, choices and right answer."""
    for name, value in fields.items():
        setattr(question, name, value)
    session.add(question)
    session.flush()
    return question


def move_question(session: Session, *, question: SurveyQuestion, direction: str) -> None:
    """Swap a question with the one before ("up") or after ("down"); positions are renumbered 1, 2, 3…"""
    ordered = questions_of(session, activity_id=question.activity_id)
    index = next(i for i, q in enumerate(ordered) if q.id == question.id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
        session.add(item)
    session.flush()


def remove_question(session: Session, *, question: SurveyQuestion) -> None:
    """Take a question out of the test (scores already given stay)."""
    session.delete(question)
    session.flush()


# Answers ------------------------------------------------------------------------------------


def _rating(values: dict, name: str, errors: dict) -> int | None:
    raw = values.get(name)
    if isinstance(raw, str) and raw in ("1", "2", "3", "4", "5"):
        return int(raw)
    errors[name] = N_("Choose one.")
    return None


def _text(values: dict, name: str, errors: dict) -> str:
    raw = values.get(name)
    text = raw.replace("\x00", "").strip() if isinstance(raw, str) else ""
    if len(text) > MAX_TEXT:
        errors[name] = N_("This text is too long.")
    return text[:MAX_TEXT]


def parse_answers(kind: str, values: dict, questions: list[SurveyQuestion]) -> tuple[dict, dict[str, str]]:
    """A survey form's values checked: (what to store, field -> message id). `values` holds lists for
    repeated fields (the follow-up's `uses`)."""
    errors: dict[str, str] = {}
    answers: dict = {}
    if kind == EVALUATION:
        answers["satisfaction"] = _rating(values, "satisfaction", errors)
        answers["relevance"] = _rating(values, "relevance", errors)
        answers["apply"] = _text(values, "apply", errors)
        answers["comments"] = _text(values, "comments", errors)
    elif kind == FOLLOWUP:
        applied = values.get("applied")
        if applied not in APPLIED:
            errors["applied"] = N_("Choose one.")
        answers["applied"] = applied if applied in APPLIED else None
        uses = values.get("uses") or []
        answers["uses"] = [u for u in USES if u in uses]
        answers["how"] = _text(values, "how", errors)
        answers["result"] = _text(values, "result", errors)
    if kind in (PRETEST, EVALUATION) and questions:
        chosen = {}
        for question in questions:
            raw = values.get(f"q{question.id}")
            count = len(question.choices)
            if isinstance(raw, str) and raw.isdigit() and int(raw) < count:
                chosen[question.id] = int(raw)
            else:
                errors[f"q{question.id}"] = N_("Choose an answer.")
        answers["questions"] = {str(k): v for k, v in chosen.items()}
        answers["score"] = score([(q.id, q.correct) for q in questions], chosen)
    return answers, errors


def record_answers(session: Session, *, found: Found, answers: dict, now: datetime) -> bool:
    """Store the answers, once: a conditional UPDATE only the first submission wins (False for a second one,
    or one after the link expired). The roster follows: satisfaction and post-test from the evaluation,
    pre-test from the pre-test."""
    invitation = found.invitation
    stored = {k: v for k, v in answers.items() if k not in ("satisfaction", "relevance", "applied", "score")}
    won = session.exec(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.id == invitation.id,
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.expires_at > now,
        )
        .values(
            answered_at=now,
            satisfaction=answers.get("satisfaction"),
            relevance=answers.get("relevance"),
            applied=answers.get("applied"),
            score=answers.get("score"),
            answers=stored,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        return False
    enrollment = found.enrollment
    if invitation.kind == EVALUATION:
        enrollment.satisfaction = answers.get("satisfaction")
        if answers.get("score") is not None:
            enrollment.post_score = answers["score"]
    elif invitation.kind == PRETEST and answers.get("score") is not None:
        enrollment.pre_score = answers["score"]
    session.add(enrollment)
    session.flush()
    session.refresh(invitation)
    return True


# Response rates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """People invited to one survey and those who answered."""

    invited: int = 0
    answered: int = 0

    @property
    def share(self) -> float | None:
        return self.answered / self.invited if self.invited else None


def activity_rates(session: Session, *, activity_id: int) -> dict[str, Rate]:
    """kind -> invited / answered for one activity, in one query."""
    rows = session.exec(
        select(SurveyInvitation.kind, func.count(), func.count(SurveyInvitation.answered_at))
        .join(Enrollment, Enrollment.id == SurveyInvitation.enrollment_id)
        .where(Enrollment.activity_id == activity_id)
        .group_by(SurveyInvitation.kind)
    ).all()
    found = {kind: Rate(int(invited), int(answered)) for kind, invited, answered in rows}
    return {kind: found.get(kind, Rate()) for kind in (PRETEST, EVALUATION, FOLLOWUP)}


def activity_summary(session: Session, *, activity: Activity) -> dict:
    """What the activity page shows of its surveys: the response rates and how many test questions."""
    count = session.exec(select(func.count()).where(SurveyQuestion.activity_id == activity.id)).one()
    return {"rates": activity_rates(session, activity_id=activity.id), "questions": int(count or 0)}
