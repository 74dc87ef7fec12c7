"""The calendar: subscribable .ics feeds behind a secret address (one per language), and a month view."""

from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError
from sqlmodel import select

from tracker.auth import ViewerDep
from tracker.calendar.feed import calendar_for, month_grid
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.i18n import DEFAULT_LANGUAGE, LANGUAGES
from tracker.models import Activity, CooperationArea, Deliverable, Partnership
from tracker.partnerships import service as partnership_service
from tracker.templating import gettext_of, render, today_for, viewer_zone
from tracker.times import day_start, in_zone
from tracker.validation import Day, messages

router = APIRouter(include_in_schema=False)
DAY = TypeAdapter(Day)


def _by_token(session, token: str) -> Partnership:
    found = session.exec(select(Partnership).where(Partnership.calendar_token == token)).first() if token else None
    if found is None:
        raise NotFound()
    return found


def _feed_language(request: Request) -> str:
    """The language a feed's address names (`?lang=es`); English without one, as addresses given out before.

    Only the address decides: a calendar program subscribes to one URL and sends no useful language of
    its own, so each language has its own address.
    """
    chosen = request.query_params.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def _ics(body: bytes, name: str, language: str) -> Response:
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'inline; filename="{name}-{language}.ics"',
            "Content-Language": language,
            "Cache-Control": "private, max-age=300",
        },
    )


@router.get("/calendar/{token}.ics", name="calendar_feed")
def partnership_feed(token: str, request: Request, session: SessionDep):
    partnership = _by_token(session, token)
    language = _feed_language(request)
    body = calendar_for(
        session, partnership=partnership, area=None, base_url=request.app.state.settings.base_url, language=language
    )
    return _ics(body, partnership.slug, language)


@router.get("/calendar/{token}/areas/{area_slug}.ics", name="calendar_area_feed")
def area_feed(token: str, area_slug: str, request: Request, session: SessionDep):
    partnership = _by_token(session, token)
    area = partnership_service.get_area_or_404(session, slug=area_slug, partnership=partnership)
    language = _feed_language(request)
    body = calendar_for(
        session, partnership=partnership, area=area, base_url=request.app.state.settings.base_url, language=language
    )
    return _ics(body, f"{partnership.slug}-{area.slug}", language)


def _month(raw: str | None, today: date, gettext) -> tuple[date, dict]:
    """The month asked for (YYYY-MM), else this month: quietly if unreadable, with a message if out of the window."""
    try:
        return DAY.validate_python(datetime.strptime(raw or "", "%Y-%m").date()), {}
    except ValidationError as exc:
        return today.replace(day=1), {"month": next(iter(messages(exc, gettext).values()))}
    except ValueError:
        return today.replace(day=1), {}


@router.get("/partnerships/{slug}/calendar", name="calendar_month")
def month_view(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    month, errors = _month(request.query_params.get("month"), today_for(request), gettext_of(request))
    zone = viewer_zone(request) or request.app.state.settings.default_timezone
    weeks = month_grid(month)
    last = max(d for d in weeks[-1] if d)
    start, end = day_start(month, zone), day_start(last + timedelta(days=1), zone)
    days: dict[date, list] = {}
    for activity in session.exec(
        select(Activity)
        .where(Activity.partnership_id == partnership.id, Activity.starts_at < end, Activity.ends_at >= start)
        .order_by(Activity.starts_at)
    ):
        day = in_zone(activity.starts_at, zone).date()
        days.setdefault(max(day, month), []).append(("activity", activity))
    for deliverable in session.exec(
        select(Deliverable)
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(
            CooperationArea.partnership_id == partnership.id, Deliverable.due_on >= month, Deliverable.due_on <= last
        )
    ):
        days.setdefault(deliverable.due_on, []).append(("deliverable", deliverable))
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    context = {
        "partnership": partnership,
        "month": month,
        "weeks": weeks,
        "days": days,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "today": today_for(request),
        "errors": errors,
        "nav": "calendar",
    }
    return render(request, "calendar/month.html", context, 422 if errors else 200)
