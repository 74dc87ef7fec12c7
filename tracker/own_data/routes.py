"""Pages behind the link every email carries: what the tracker holds about the recipient, the form that
corrects it, and the request to be deleted. The signed link is the permission: no sign-in, and a forged,
expired or anonymised one is a 404. Search engines keep none of these pages."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session, select

from tracker.db import SessionDep
from tracker.forms import FormDep, display_values, form_values
from tracker.i18n import LANGUAGES, babel_locale
from tracker.labels import REGISTRATION_STATES
from tracker.models import Language, Organization, Participant, Person, utcnow
from tracker.own_data import service as own_data_service
from tracker.own_data.schemas import DeletionRequestIn, ParticipantCorrection, PersonCorrection
from tracker.participants.schemas import _COUNTRIES as COUNTRIES
from tracker.templating import gettext_of, render
from tracker.times import all_timezones
from tracker.validation import FieldErrors, messages

router = APIRouter(include_in_schema=False)
# Names and what someone gave are personal data; the address is a secret: no index, no cache, no referrer.
PRIVATE = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _holder(request: Request, session: Session, token: str) -> Participant | Person:
    record = own_data_service.holder_or_404(session, request.app.state.settings.secret_key, token, now=utcnow())
    # Their own language unless they chose the other one on the page (?lang=).
    chosen = request.query_params.get("lang")
    request.state.language = chosen if chosen in LANGUAGES else str(record.language)
    return record


def _schema(record) -> type:
    return ParticipantCorrection if isinstance(record, Participant) else PersonCorrection


def _address(token: str, request: Request, step: str = "", **params) -> str:
    """The address of the page (or of its `step`, "/delete"), keeping the language the reader chose."""
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        params["lang"] = chosen
    query = urlencode(params)
    return f"/my-data/{token}{step}" + (f"?{query}" if query else "")


def _countries(language: str) -> list[tuple[str, str]]:
    names = babel_locale(language).territories
    return sorted(((code, names.get(code, code)) for code in COUNTRIES), key=lambda pair: pair[1].casefold())


def _page(request: Request, session: Session, record, token: str, *, values=None, errors=None, status: int = 200):
    if values is None:
        values = display_values({name: getattr(record, name) for name in _schema(record).model_fields})
    context = {
        "record": record,
        "kind": own_data_service.holder_kind(record),
        "held": own_data_service.what_we_hold(session, record),
        "token": token,
        "values": values,
        "errors": errors or {},
        "languages_all": list(Language),
        "organizations": list(session.exec(select(Organization).order_by(Organization.acronym))),
        "timezones": all_timezones(),
        "countries": _countries(request.state.language),
        "country_name": lambda code: babel_locale(request.state.language).territories.get(code, code) if code else "",
        "free_texts": own_data_service.free_texts,
        "registration_states": REGISTRATION_STATES,
        "survey_kinds": own_data_service.SURVEY_KINDS,
        "applied_words": own_data_service.APPLIED,
        "action": _address(token, request),
        "delete_url": _address(token, request, "/delete"),
        "saved": request.query_params.get("saved") == "1",
        "requested": request.query_params.get("requested") == "1",
    }
    return render(request, "own_data/page.html", context, status, headers=PRIVATE)


@router.get("/my-data/{token}", name="own_data")
def own_data_page(token: str, request: Request, session: SessionDep):
    record = _holder(request, session, token)
    return _page(request, session, record, token)


@router.post("/my-data/{token}", name="own_data_correct")
def own_data_correct(token: str, request: Request, session: SessionDep, form: FormDep):
    record = _holder(request, session, token)
    values = form_values(form, _schema(record))
    try:
        own_data_service.correct(session, record=record, data=_schema(record).model_validate(values))
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        return _page(
            request, session, record, token, values=values, errors=messages(exc, gettext_of(request)), status=422
        )
    session.commit()
    return RedirectResponse(_address(token, request, saved="1"), status_code=303)


def _deletion_page(request: Request, session: Session, record, token: str, *, values=None, errors=None, status=200):
    context = {
        "record": record,
        "kind": own_data_service.holder_kind(record),
        "open_request": own_data_service.open_request(session, record),
        "token": token,
        "values": values or {},
        "errors": errors or {},
        "action": _address(token, request, "/delete"),
        "back": _address(token, request),
    }
    return render(request, "own_data/delete.html", context, status, headers=PRIVATE)


@router.get("/my-data/{token}/delete", name="own_data_delete_confirm")
def own_data_delete_confirm(token: str, request: Request, session: SessionDep):
    record = _holder(request, session, token)
    return _deletion_page(request, session, record, token)


@router.post("/my-data/{token}/delete", name="own_data_delete")
def own_data_delete(token: str, request: Request, session: SessionDep, form: FormDep):
    record = _holder(request, session, token)
    values = form_values(form, DeletionRequestIn)
    try:
        data = DeletionRequestIn.model_validate(values)
    except ValidationError as exc:
        errors = messages(exc, gettext_of(request))
        return _deletion_page(request, session, record, token, values=values, errors=errors, status=422)
    own_data_service.request_deletion(session, request.app.state.settings, record=record, note=data.note, now=utcnow())
    session.commit()
    return RedirectResponse(_address(token, request, requested="1"), status_code=303)
