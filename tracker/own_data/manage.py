"""Managers' pages: the data requests of the partnerships they manage, and carrying one out (anonymising
the person) or declining it with a reason; each after a page that says what will happen."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from tracker.api import PathId
from tracker.auth import ManagerDep
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.forms import FormDep, form_values
from tracker.models import Participant, utcnow
from tracker.own_data import erasure
from tracker.own_data import service as own_data_service
from tracker.own_data.names import shown_name
from tracker.own_data.schemas import DeclineIn
from tracker.templating import gettext_of, render
from tracker.validation import N_, messages

router = APIRouter(include_in_schema=False)
LIST = "/data-requests"


@router.get("/data-requests", name="data_requests")
def requests_page(request: Request, session: SessionDep, viewer: ManagerDep):
    managed = viewer.managed_ids
    context = {
        "open_rows": own_data_service.list_requests(session, managed=managed, done=False),
        "done_rows": own_data_service.list_requests(session, managed=managed, done=True, limit=20),
        "done": request.query_params.get("done"),
        "nav": "admin",
    }
    return render(request, "own_data/requests.html", context)


def _who(row, gettext) -> str:
    holder = row.holder
    if holder is None:
        return gettext("a record deleted since")
    return shown_name(holder.name, gettext)


# What anonymising does, said on its confirmation page (the first sentence names the person).
PARTICIPANT_CONSEQUENCES = (
    N_(
        "%(name)s's names, email, organization and position are erased from every record, including the audit "
        "trail; the roster shows “Anonymised participant”."
    ),
    N_(
        "Their roster entries, attendance, scores, sex and country stay: the people trained, attendance and scores "
        "do not change; the breakdown by organization counts them as not recorded."
    ),
    N_(
        "Their certificates are revoked; registrations' needs and consent copies, written survey answers and the "
        "emails sent to them are erased."
    ),
    N_("Their own-data link stops working. This cannot be undone."),
)
PERSON_CONSEQUENCES = (
    N_(
        "%(name)s's name, email and organization are erased from every record, including the audit trail; their "
        "deliverables and activities show “Anonymised person”."
    ),
    N_("Their own-data link stops working. This cannot be undone."),
)


def _consequences(row, gettext) -> list[str]:
    sentences = PARTICIPANT_CONSEQUENCES if isinstance(row.holder, Participant) else PERSON_CONSEQUENCES
    first, *rest = (gettext(sentence) for sentence in sentences)
    return [first % {"name": _who(row, gettext)}, *rest]


@router.get("/data-requests/{request_id}/anonymise", name="data_request_anonymise_confirm")
def anonymise_confirm(request_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    row = own_data_service.get_request_or_404(session, request_id, managed=viewer.managed_ids)
    gettext = gettext_of(request)
    return confirm_page(
        request,
        title=gettext("Anonymise %(name)s?") % {"name": _who(row, gettext)},
        consequences=_consequences(row, gettext),
        action=f"{LIST}/{request_id}/anonymise",
        back=LIST,
        submit=gettext("Anonymise"),
    )


@router.post("/data-requests/{request_id}/anonymise", name="data_request_anonymise")
def anonymise(request_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    row = own_data_service.get_request_or_404(session, request_id, managed=viewer.managed_ids)
    gettext = gettext_of(request)
    erasure.anonymise(
        session,
        row=row,
        done_by=viewer.person_id,
        # Written in the manager's language, as any reason they would type.
        reason=gettext("At the person's own request (data request %(number)s)") % {"number": request_id},
        certificate_reason=gettext("The holder was anonymised at their own request."),
        now=utcnow(),
    )
    session.commit()
    return RedirectResponse(f"{LIST}?done=anonymised", status_code=303)


def _decline_page(request: Request, row, values=None, errors=None):
    gettext = gettext_of(request)
    return confirm_page(
        request,
        title=gettext("Decline the request of %(name)s?") % {"name": _who(row, gettext)},
        consequences=[
            gettext("Nothing is erased; the request is closed with your reason, kept in its history."),
            gettext("Tell the person why yourself: the tracker does not write to them."),
        ],
        action=f"{LIST}/{row.request.id}/decline",
        back=LIST,
        submit=gettext("Decline the request"),
        reason=True,
        values=values,
        errors=errors,
    )


@router.get("/data-requests/{request_id}/decline", name="data_request_decline_confirm")
def decline_confirm(request_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    row = own_data_service.get_request_or_404(session, request_id, managed=viewer.managed_ids)
    return _decline_page(request, row)


@router.post("/data-requests/{request_id}/decline", name="data_request_decline")
def decline(request_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    row = own_data_service.get_request_or_404(session, request_id, managed=viewer.managed_ids)
    values = form_values(form, DeclineIn)
    try:
        data = DeclineIn.model_validate(values)
    except ValidationError as exc:
        return _decline_page(request, row, values, messages(exc, gettext_of(request)))
    erasure.decline(session, row=row, done_by=viewer.person_id, reason=data.reason, now=utcnow())
    session.commit()
    return RedirectResponse(f"{LIST}?done=declined", status_code=303)
