"""Pages: the outbox (admins), reminder rules (admins), and a person's reminder preferences."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import Field
from sqlmodel import Session, func, select

from tracker.api import PathId
from tracker.auth import AdminDep
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.forms import FormDep
from tracker.i18n import LANGUAGES
from tracker.models import OutboxMessage, Person, ReminderMode, ReminderSettings, utcnow
from tracker.pages import PAGE_SIZE, ListQuery, list_page, parse_query
from tracker.partnerships import service as partnership_service
from tracker.reminders import outbox
from tracker.reminders.links import person_of
from tracker.templating import gettext_of, render
from tracker.times import all_timezones, is_timezone
from tracker.validation import MESSAGES, message

router = APIRouter(include_in_schema=False)
STATUSES = ("pending", "sending", "sent", "written", "failed", "dropped")


class OutboxQuery(ListQuery):
    status: str | None = Field(None, max_length=12)


@router.get("/admin/outbox", name="admin_outbox")
def outbox_page(request: Request, session: SessionDep, _admin: AdminDep):
    query, errors = parse_query(request, OutboxQuery)
    statement = select(OutboxMessage)
    if query.status in STATUSES:
        statement = statement.where(OutboxMessage.status == query.status)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE).offset(query.offset)).all()
    counts = dict(session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    context = {"messages": rows, "statuses": STATUSES, "counts": counts}
    return list_page(request, "reminders/outbox", query, total, context, errors)


@router.post("/admin/outbox/{message_id}/retry", name="admin_outbox_retry")
def outbox_retry(message_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    outbox.retry(session, message_id=message_id, now=utcnow())
    session.commit()
    return RedirectResponse("/admin/outbox", status_code=303)


def _rules_context(session: Session, **extra) -> dict:
    rows = []
    for partnership in partnership_service.list_partnerships(session):
        row = session.exec(
            select(ReminderSettings).where(ReminderSettings.partnership_id == partnership.id)
        ).first() or ReminderSettings(partnership_id=partnership.id)
        rows.append((partnership, row))
    return {"rows": rows, "errors": {}, "saved": False} | extra


@router.get("/admin/reminders", name="admin_reminders")
def rules_page(request: Request, session: SessionDep, _admin: AdminDep):
    return render(request, "reminders/rules.html", _rules_context(session))


def _day_list(raw: str) -> str | None:
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not all(part.isdigit() and 1 <= int(part) <= 90 for part in parts) or len(parts) > 6:
        return None
    return ",".join(str(n) for n in sorted({int(p) for p in parts}, reverse=True))


@router.post("/admin/reminders/{slug}", name="admin_reminders_save")
def rules_save(slug: str, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    deliverable_days = _day_list(str(form.get("deliverable_days") or ""))
    activity_days = _day_list(str(form.get("activity_days") or ""))
    hour = str(form.get("local_hour") or "")
    errors = {}
    problem = message("day_list", {}, gettext_of(request))
    if deliverable_days is None:
        errors[f"deliverable_days-{slug}"] = problem
    if activity_days is None:
        errors[f"activity_days-{slug}"] = problem
    if not (hour.isdigit() and 0 <= int(hour) <= 23):
        errors[f"local_hour-{slug}"] = message("hour", {}, gettext_of(request))
    if errors:
        return render(request, "reminders/rules.html", _rules_context(session, errors=errors), 422)
    row = session.exec(select(ReminderSettings).where(ReminderSettings.partnership_id == partnership.id)).first()
    row = row or ReminderSettings(partnership_id=partnership.id)
    row.deliverable_days, row.activity_days, row.local_hour = deliverable_days, activity_days, int(hour)
    row.on_due_date = form.get("on_due_date") == "on"
    row.overdue_weekly = form.get("overdue_weekly") == "on"
    session.add(row)
    session.commit()
    return render(request, "reminders/rules.html", _rules_context(session, saved=True))


def _person_for(session: Session, request: Request, token: str) -> Person:
    person_id = person_of(request.app.state.settings.secret_key, token)
    person = session.get(Person, person_id) if person_id else None
    if person is None:
        raise NotFound()
    return person


def _preferences_context(person: Person, token: str, **extra) -> dict:
    values = {"reminder_mode": str(person.reminder_mode), "language": str(person.language), "timezone": person.timezone}
    return {
        "person": person,
        "token": token,
        "values": values,
        "errors": {},
        "timezones": all_timezones(),
        "modes": list(ReminderMode),
        "saved": False,
    } | extra


@router.get("/reminders/{token}", name="reminder_preferences")
def preferences_page(token: str, request: Request, session: SessionDep):
    person = _person_for(session, request, token)
    return render(request, "reminders/preferences.html", _preferences_context(person, token))


@router.post("/reminders/{token}", name="reminder_preferences_save")
def preferences_save(token: str, request: Request, session: SessionDep, form: FormDep):
    person = _person_for(session, request, token)
    values = {k: str(form.get(k) or "") for k in ("reminder_mode", "language", "timezone")}
    errors = validate_preferences(request, values)
    if errors:
        return render(
            request,
            "reminders/preferences.html",
            _preferences_context(person, token, errors=errors, values=values),
            422,
        )
    apply_preferences(person, values)
    session.commit()
    return render(request, "reminders/preferences.html", _preferences_context(person, token, saved=True))


def validate_preferences(request: Request, values: dict) -> dict:
    """Field messages for a reminder-mode / language / time-zone choice."""
    gettext = gettext_of(request)
    errors = {}
    if values.get("reminder_mode") not in {m.value for m in ReminderMode}:
        errors["reminder_mode"] = message("enum", {"expected": ", ".join(m.value for m in ReminderMode)}, gettext)
    if values.get("language") not in LANGUAGES:
        errors["language"] = message("enum", {"expected": ", ".join(LANGUAGES)}, gettext)
    if not is_timezone(values.get("timezone", "")):
        errors["timezone"] = gettext(MESSAGES["timezone"])
    return errors


def apply_preferences(person: Person, values: dict) -> None:
    person.reminder_mode = values["reminder_mode"]
    person.language = values["language"]
    person.timezone = values["timezone"]
