"""The viewer's display preferences: language and time zone, kept in cookies until accounts exist."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from tracker.forms import FormDep
from tracker.i18n import LANGUAGE_COOKIE, LANGUAGES, request_language
from tracker.pages import safe_next
from tracker.templating import TZ_COOKIE, gettext_of, render, viewer_zone
from tracker.times import all_timezones, is_timezone
from tracker.validation import MESSAGES

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
    language = form.get("language")
    zone = (form.get("timezone") or "").strip()
    errors = {}
    if language not in LANGUAGES:
        errors["language"] = gettext_of(request)(MESSAGES["enum"]).format(expected=", ".join(LANGUAGES))
    if zone and not is_timezone(zone):
        errors["timezone"] = gettext_of(request)(MESSAGES["timezone"])
    if errors:
        context = {
            "values": {"language": language, "timezone": zone},
            "errors": errors,
            "timezones": all_timezones(),
            "next": safe_next(form.get("next")),
        }
        return render(request, "preferences.html", context, 422)
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="lax", httponly=True)
    if zone:
        response.set_cookie(TZ_COOKIE, zone, max_age=ONE_YEAR, samesite="lax", httponly=True)
    else:
        response.delete_cookie(TZ_COOKIE)
    return response
