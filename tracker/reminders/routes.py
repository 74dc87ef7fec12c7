"""Pages: reminder rules (administrators), and a person's reminder preferences behind a signed link."""

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlmodel import Session

from tracker.accounts import service as account_service
from tracker.accounts.schemas import PreferencesIn
from tracker.auth import AdminDep
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.forms import FormDep, form_values
from tracker.models import Person, ReminderMode
from tracker.partnerships import service as partnership_service
from tracker.reminders import rules as rule_service
from tracker.reminders.links import person_of
from tracker.reminders.rules import RulesIn
from tracker.templating import gettext_of, render
from tracker.times import all_timezones
from tracker.validation import messages

router = APIRouter(include_in_schema=False)


def _rules_page(request: Request, session: Session, status: int = 200, *, edited=None, values=None, errors=None):
    """Every partnership's rules; the one just edited with the administrator's input and its messages."""
    rows = []
    for partnership in partnership_service.list_partnerships(session):
        shown = rule_service.shown(rule_service.rules_for(session, partnership.id))
        if edited is not None and partnership.id == edited.id:
            shown = shown | values
        mine = edited is not None and partnership.id == edited.id
        rows.append((partnership, shown, (errors or {}) if mine else {}))
    context = {"rows": rows, "saved": status == 200 and edited is not None}
    return render(request, "reminders/rules.html", context, status)


@router.get("/admin/reminders", name="admin_reminders")
def rules_page(request: Request, session: SessionDep, _admin: AdminDep):
    return _rules_page(request, session)


@router.post("/admin/reminders/{slug}", name="admin_reminders_save")
def rules_save(slug: str, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = form_values(form, RulesIn)
    try:
        rule_service.save_rules(session, partnership=partnership, data=RulesIn.model_validate(values))
    except ValidationError as exc:
        session.rollback()
        errors = messages(exc, gettext_of(request))
        return _rules_page(request, session, 422, edited=partnership, values=values, errors=errors)
    session.commit()
    return _rules_page(request, session, edited=partnership, values={})


def _person_for(session: Session, request: Request, token: str) -> Person:
    person_id = person_of(request.app.state.settings.secret_key, token)
    person = session.get(Person, person_id) if person_id else None
    if person is None:
        raise NotFound()
    return person


def _preferences_page(request: Request, person: Person, token: str, status: int = 200, **extra):
    values = {"reminder_mode": str(person.reminder_mode), "language": str(person.language), "timezone": person.timezone}
    context = {
        "person": person,
        "token": token,
        "values": values,
        "errors": {},
        "timezones": all_timezones(),
        "modes": list(ReminderMode),
        "saved": False,
    } | extra
    return render(request, "reminders/preferences.html", context, status)


@router.get("/reminders/{token}", name="reminder_preferences")
def preferences_page(token: str, request: Request, session: SessionDep):
    return _preferences_page(request, _person_for(session, request, token), token)


@router.post("/reminders/{token}", name="reminder_preferences_save")
def preferences_save(token: str, request: Request, session: SessionDep, form: FormDep):
    person = _person_for(session, request, token)
    values = form_values(form, PreferencesIn)
    try:
        data = PreferencesIn.model_validate(values)
    except ValidationError as exc:
        errors = messages(exc, gettext_of(request))
        return _preferences_page(request, person, token, 422, errors=errors, values=values)
    account_service.save_preferences(session, person=person, data=data)
    session.commit()
    return _preferences_page(request, person, token, saved=True)
