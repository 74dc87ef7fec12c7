"""The per-request render: what every page template may use about the request and its viewer."""

from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlencode

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from tracker.auth import ANON_CSRF_COOKIE, csrf_token
from tracker.i18n import gettext_for, language_name, localized, request_language, translate
from tracker.labels import ACTIONS, DELIVERY, ENTITIES, MAIL_KINDS, MODES, field_label, status_label
from tracker.models import Language
from tracker.portfolio.service import several_visible
from tracker.rendering import gettext as _gettext
from tracker.rendering import rendering_in
from tracker.times import event_time, in_zone, is_timezone, long_date, today_in, zone_label, zone_name

TZ_COOKIE = "tz"


def is_htmx(request: Request) -> bool:
    """True when htmx sent the request (and wants a fragment back)."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true"


def viewer_zone(request: Request) -> str | None:
    """The zone the viewer chose for showing times, or None for each event's own."""
    zone = request.cookies.get(TZ_COOKIE)
    if zone and is_timezone(zone):
        return zone
    viewer = getattr(request.state, "viewer", None)
    return viewer.timezone if viewer is not None and is_timezone(viewer.timezone) else None


def page_context(request: Request) -> dict:
    """What every template may use about the request and its viewer."""
    language = request_language(request)
    zone = viewer_zone(request)
    settings = request.app.state.settings

    def when(start: datetime, end: datetime, event_zone: str):
        return event_time(start, end, event_zone, zone, language)

    def at(moment: datetime | None) -> str:
        """An instant on the viewer's clock, zone named."""
        if moment is None:
            return ""
        shown = in_zone(moment, zone or settings.default_timezone)
        clock = format_time(shown, "short", locale=language)
        return f"{format_skeleton('yMMMd', shown, locale=language)}, {clock} {zone_label(shown, language)}"

    def quarter(value: date) -> str:
        return format_date(value, "QQQ y", locale=language)

    def month_name(value: date) -> str:
        return format_skeleton("yMMMM", value, locale=language)

    def weekday_names() -> list[str]:
        from babel.dates import get_day_names

        names = get_day_names("abbreviated", locale=language)
        return [names[i] for i in range(7)]

    def label(code) -> str:
        """A stored code as the reader's word: a language by its name ("español"), anything else by its label."""
        if isinstance(code, Language):
            return language_name(code.value, language)
        return status_label(code, _gettext)

    def day(value: date | None) -> str:
        return long_date(value, language) if value else ""

    def number(value) -> str:
        return _decimal(value, language)

    def percent(value: float) -> str:
        return format_percent(value, locale=language)

    def field(record, name: str) -> str:
        return localized(record, name, language)

    def url_with(**changes) -> str:
        """The current path and query with some parameters changed (None drops one)."""
        params = dict(request.query_params)
        params.update({key: value for key, value in changes.items() if value is not None})
        for key in (key for key, value in changes.items() if value is None):
            params.pop(key, None)
        return request.url.path + ("?" + urlencode(params) if params else "")

    viewer = getattr(request.state, "viewer", None)
    return {
        "viewer": viewer,
        "manages": lambda record: viewer is not None and viewer.can_manage(partnership_of(record)),
        "several_partnerships": lambda: several_visible(request),
        "nav_partnership": lambda: _nav_partnership(request, viewer and viewer.reading()),
        # htmx sends the signed-in viewer's token; a visitor's is made only when a form asks for it,
        # so pages without forms stay the same for every visitor (and cacheable).
        "csrf_token": viewer.csrf_token if viewer is not None and viewer.csrf_token else "",
        "csrf_field": _CsrfField(request),
        "request": request,
        "lang": language,
        "viewer_zone": zone,
        "zone_name": lambda name: zone_name(name, language),
        "when": when,
        "day": day,
        "month_name": month_name,
        "quarter": quarter,
        "weekday_names": weekday_names,
        "number": number,
        "percent": percent,
        "field": field,
        "url_with": url_with,
        "label": label,
        "field_label": lambda name: field_label(name, _gettext),
        "reason": lambda status: translate(status.reason, status.context, language),
        "delivery_label": lambda status: _gettext(DELIVERY[status]) if status in DELIVERY else status,
        "status_pairs": lambda statuses, counts: [
            (st, f"{_gettext(DELIVERY[st])} ({counts.get(st, 0)})") for st in statuses
        ],
        "mail_kind_label": lambda kind: _gettext(MAIL_KINDS[kind]) if kind in MAIL_KINDS else kind,
        "mail_kind_pairs": lambda kinds: [(k, _gettext(MAIL_KINDS[k])) for k in kinds],
        "mode_options": lambda modes: [(m.value, _gettext(MODES[m.value])) for m in modes],
        "entity_label": lambda name: _gettext(ENTITIES[name]) if name in ENTITIES else name,
        "action_label": lambda name: _gettext(ACTIONS[name]) if name in ACTIONS else name,
        "at": at,
        "options": lambda codes: [(str(code.value), label(code)) for code in codes],
        "pairs": lambda values: [(v, v) for v in values],
        "actor_pairs": lambda actors: [(str(i), n) for i, n in actors],
        "entity_pairs": lambda names: [(n, _gettext(ENTITIES[n])) for n in names],
        "partnership_pairs": lambda items: [(str(p.id), field(p, "title")) for p in items],
        "org_options": lambda orgs: [(str(o.id), f"{o.acronym} — {field(o, 'name')}") for o in orgs],
        "activity_options": lambda activities: [(str(a.id), field(a, "title")) for a in activities],
        "person_options": lambda people: [(str(p.id), p.name) for p in people],
        "area_options": lambda areas: [(str(a.id), f"{a.number}. {field(a, 'name')}") for a in areas],
        "static_version": request.app.state.static_version,
        "settings": settings,
    }


def _nav_partnership(request: Request, viewer):
    """The partnership whose pages the main navigation leads to on a page of no partnership (Account,
    Administration, an error): the viewer's home partnership."""
    from tracker.partnerships.service import home_partnership

    if viewer is None:
        return None
    with Session(request.app.state.engine) as session:
        return home_partnership(session, viewer, request.app.state.settings.default_partnership)


def partnership_of(record) -> int | None:
    """The partnership a record belongs to (a partnership, or a record carrying its id, or a deliverable)."""
    if record is None:
        return None
    if hasattr(record, "partnership_id"):
        return record.partnership_id
    if hasattr(record, "area"):  # a deliverable: through its area
        return record.area.partnership_id
    return record.id


class _CsrfField:
    """The hidden input forms carry, made when a template prints it."""

    def __init__(self, request: Request):
        self._request = request

    def __html__(self) -> str:
        return f'<input type="hidden" name="csrf_token" value="{csrf_token(self._request)}">'


def render_html(request: Request, template: str, context: dict | None = None) -> str:
    """Render a template in the request's language."""
    ctx = page_context(request)
    ctx.update(context or {})
    with rendering_in(ctx["lang"]):
        return request.app.state.templates.get_template(template).render(ctx)


@lru_cache(maxsize=4096)
def _decimal(value, language: str) -> str:
    # Babel parses the locale's pattern on every call; pages print the same few numbers many times.
    return format_decimal(value, locale=language)


def render(request: Request, template: str, context: dict | None = None, status_code: int = 200, headers=None):
    """Render a template in the request's language, as an HTML response."""
    response = HTMLResponse(render_html(request, template, context), status_code=status_code, headers=headers)
    response.headers["Content-Language"] = request_language(request)
    if new_token := getattr(request.state, "new_anon_csrf", None):
        settings = request.app.state.settings
        response.set_cookie(ANON_CSRF_COOKIE, new_token, httponly=True, samesite="lax", secure=settings.secure_cookies)
    return response


def gettext_of(request: Request):
    """The gettext function of the request's language, for messages built in Python."""
    return gettext_for(request_language(request))


def today_for(request: Request) -> date:
    """Today's date on the viewer's clock (or the tracker's default zone)."""
    return today_in(viewer_zone(request) or request.app.state.settings.default_timezone)
