"""The public verification page: anyone holding a certificate's address (or its QR code) sees whether it
is valid, and only what the certificate itself says: the name, the activity, its dates."""

from fastapi import APIRouter, Request

from tracker.certificates import service as certificate_service
from tracker.certificates.rules import activity_dates, date_span
from tracker.db import SessionDep
from tracker.i18n import gettext_for, request_language
from tracker.own_data.names import shown_name
from tracker.templating import render
from tracker.times import in_zone

router = APIRouter(include_in_schema=False)
# Names are personal data: no search engine keeps these pages, whoever links to them.
NOINDEX = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store"}


@router.get("/verify/{code}", name="verify")
def verify_page(code: str, request: Request, session: SessionDep):
    found = certificate_service.verify(session, token=code)
    if found is None:
        return render(request, "certificates/verify_unknown.html", {}, 404, headers=NOINDEX)
    language = request_language(request)
    activity = found.activity
    first, last = activity_dates(activity.starts_at, activity.ends_at, activity.timezone)
    revoked_on = None
    if found.revoked_at is not None:
        day = in_zone(found.revoked_at, activity.timezone).date()
        revoked_on = date_span(day, day, language)
    context = {
        "name": shown_name(found.name, gettext_for(language)),
        "activity": activity,
        "dates": date_span(first, last, language),
        "one_day": first == last,
        "revoked_on": revoked_on,
    }
    return render(request, "certificates/verify.html", context, headers=NOINDEX)
