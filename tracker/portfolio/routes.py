"""The portfolio page: every partnership the viewer may see, side by side (also the home page of anyone
who may see more than one, tracker/progress/routes.py)."""

from fastapi import APIRouter, Request
from sqlmodel import Session

from tracker import page_cache
from tracker.auth import MaybeViewer, Viewer
from tracker.db import SessionDep
from tracker.i18n import request_language
from tracker.models import utcnow
from tracker.portfolio import service as portfolio_service
from tracker.progress.status import mou_sentence
from tracker.templating import render_html, today_for, viewer_zone

router = APIRouter(include_in_schema=False)
SHELL = "portfolio/page.html"


def content(request: Request, session: Session, viewer: Viewer | None) -> tuple[str, dict]:
    """The portfolio's content, the same for every viewer of one audience, language, zone and day."""
    zone = viewer_zone(request) or request.app.state.settings.default_timezone
    language = request_language(request)
    cards = portfolio_service.cards(
        session,
        viewer=viewer,
        today=today_for(request),
        now=utcnow(),
        zone=zone,
        first=request.app.state.settings.default_partnership,
    )
    summaries = {card.partnership.id: mou_sentence(card.figures.mou, language) for card in cards}
    html = render_html(request, "portfolio/_cards.html", {"cards": cards, "summaries": summaries})
    return html, {"portfolio": True}


@router.get("/portfolio", name="portfolio")
async def portfolio(request: Request, session: SessionDep, viewer: MaybeViewer):
    return await page_cache.serve(request, viewer, lambda: content(request, session, viewer), SHELL)
