"""A browser's display preferences: language and time zone, kept in cookies (for visitors, and before signing in)."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from tracker.accounts.schemas import DisplayIn
from tracker.forms import FormDep, form_values
from tracker.i18n import LANGUAGE_COOKIE, request_language
from tracker.pages import safe_next
from tracker.templating import TZ_COOKIE, gettext_of, render, viewer_zone
from tracker.times import all_timezones
from tracker.validation import messages

router = APIRouter(include_in_schema=False)
ONE_YEAR = 365 * 24 * 3600


@router.get("/preferences", name="preferences")
def preferences_page(request: Request):
    values = {"language": request_language(request), "timezone": viewer_zone(request) or ""}
    context = {
        "values": values,
        "errors": {},
        "timezones": all_timezones(),
        "next": safe_next(request.query_params.get("next")),
    }
    return render(request, "preferences.html", context)


@router.post("/preferences", name="preferences_save")
def preferences_save(request: Request, form: FormDep):
    values = form_values(form, DisplayIn)
    try:
        data = DisplayIn.model_validate(values)
    except ValidationError as exc:
        context = {
            "values": values,
            "errors": messages(exc, gettext_of(request)),
            "timezones": all_timezones(),
            "next": safe_next(form.get("next")),
        }
        return render(request, "preferences.html", context, 422)
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, data.language, max_age=ONE_YEAR, samesite="lax", httponly=True)
    if data.timezone:
        response.set_cookie(TZ_COOKIE, data.timezone, max_age=ONE_YEAR, samesite="lax", httponly=True)
    else:
        response.delete_cookie(TZ_COOKIE)
    return response
