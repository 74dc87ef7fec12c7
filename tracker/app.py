"""The application factory: create_app(settings) builds everything, nothing is built at import."""

import functools
import gc
import json
import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from tracker.audit import service as audit_service
from tracker.auth import CsrfFailed, Forbidden, KnownSessions, SignInRequired, csrf_protect
from tracker.config import ROOT, Settings
from tracker.data_version import VersionWatch
from tracker.db import install_session_hooks, make_engine
from tracker.documents.uploads import UploadLimit
from tracker.errors import Conflict, NotFound, StaleEdit
from tracker.i18n import LANGUAGE_COOKIE, LANGUAGES
from tracker.labels import status_label
from tracker.mail.courier import COURIER, Courier
from tracker.observability.logs import current_request_id
from tracker.observability.middleware import Observe
from tracker.page_cache import PageCache
from tracker.registration.limits import BodyLimit as RegistrationBodyLimit
from tracker.rendering import make_environment
from tracker.templating import gettext_of, is_htmx, render
from tracker.validation import MESSAGES, N_, FieldErrors, message

STATIC_DIR = ROOT / "static"
logger = logging.getLogger("tracker")
ONE_YEAR = 365 * 24 * 3600


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _static_version(directory: Path) -> str:
    """Changes whenever a static file changes, so browsers may cache them for long."""
    newest = max((p.stat().st_mtime_ns for p in directory.rglob("*") if p.is_file()), default=0)
    return format(newest % 10**10, "x")


def _validation_payload(exc: RequestValidationError | FieldErrors, request: Request) -> dict:
    gettext = gettext_of(request)
    if isinstance(exc, FieldErrors):
        items = [(("body", name), kind, ctx) for name, (kind, ctx) in exc.errors.items()]
    else:
        items = [(tuple(e["loc"]), e["type"], e.get("ctx") or {}) for e in exc.errors()]
    return {
        "detail": [{"loc": list(loc), "type": kind, "msg": message(kind, ctx, gettext)} for loc, kind, ctx in items]
    }


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError):
        if not _is_api(request):
            # A page URL with a malformed id is a page that does not exist.
            return _error_page(request, 404, N_("This page does not exist."))
        return JSONResponse(_validation_payload(exc, request), status_code=422)

    @app.exception_handler(FieldErrors)
    def _rules(request: Request, exc: FieldErrors):
        return JSONResponse(_validation_payload(exc, request), status_code=422)

    @app.exception_handler(NotFound)
    def _not_found(request: Request, exc: NotFound):
        return _refusal(request, 404, exc.what)

    @app.exception_handler(Conflict)
    def _conflict(request: Request, exc: Conflict):
        text = gettext_of(request)(exc.reason).format(**_translated_context(request, exc.context))
        if _is_api(request):
            return JSONResponse({"detail": text}, status_code=409)
        return _error_page(request, 409, text, translated=True)

    @app.exception_handler(SignInRequired)
    def _sign_in(request: Request, exc: SignInRequired):
        if _is_api(request):
            return JSONResponse(
                {"detail": gettext_of(request)(N_("Sign in, or send a personal API token as a bearer token."))},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?{urlencode({'next': target})}", status_code=303)

    @app.exception_handler(Forbidden)
    def _forbidden(request: Request, exc: Forbidden):
        back = _referring_page(request)
        if back and request.method not in ("GET", "HEAD") and not _is_api(request) and not is_htmx(request):
            # A form the role may not send: back to the page it came from, which says why.
            separator = "&" if "?" in back else "?"
            return RedirectResponse(f"{back}{separator}refused=role", status_code=303)
        return _refusal(request, 403, N_("Your role does not allow this. Ask an administrator if you need it."))

    @app.exception_handler(CsrfFailed)
    def _csrf(request: Request, exc: CsrfFailed):
        text = N_("This form has expired or did not come from this site. Go back, reload the page and try again.")
        return _refusal(request, 403, text)

    @app.exception_handler(StaleEdit)
    async def _stale(request: Request, exc: StaleEdit):
        # Pages catch StaleEdit themselves to re-show the form; this answers the API.
        events = await run_in_threadpool(_changes_since, request.app.state.engine, exc)
        try:
            yours = json.loads(await request.body() or b"null")
        except ValueError:
            yours = None
        text = gettext_of(request)(MESSAGES["stale"])
        return JSONResponse(
            {
                "detail": text,
                "your_version": exc.version,
                "current_version": exc.current_version,
                "changes": [
                    {"at": e.at.isoformat(), "by": e.actor_name, "action": e.action, "fields": e.changes}
                    for e in events
                ],
                "yours": yours,
            },
            status_code=409,
        )

    @app.exception_handler(StaleDataError)
    def _race(request: Request, exc: StaleDataError):
        # Two saves of the same version in the same instant: the database let one through.
        text = gettext_of(request)(MESSAGES["stale"])
        if _is_api(request):
            return JSONResponse({"detail": text}, status_code=409)
        return _error_page(request, 409, text, translated=True)

    @app.exception_handler(DataError)
    def _bad_data(request: Request, exc: DataError):
        # A value the database cannot hold slipped past validation: refuse it, do not crash.
        logger.warning("database refused a value on %s %s: %s", request.method, request.url.path, exc.orig)
        return _refused(request)

    @app.exception_handler(Exception)
    def _crash(request: Request, exc: Exception):
        # Logged with its traceback (given explicitly: this runs in a worker thread, where the exception is not
        # the one being handled); the viewer gets a page in their language, never a traceback.
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        # Sent from outside every middleware: the request id is added here, so the viewer can quote it.
        request_id = current_request_id() or ""
        headers = {"X-Request-ID": request_id}
        if _is_api(request):
            body = {"detail": "Internal error", "request_id": request_id}
            return JSONResponse(body, status_code=500, headers=headers)
        page = _error_page(request, 500, N_("Something went wrong on our side. Please try again."))
        page.headers.update(headers)
        return page

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException):
        if _is_api(request) or exc.status_code not in (404, 405):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return _error_page(request, exc.status_code, N_("This page does not exist."))


def _changes_since(engine, exc: StaleEdit):
    with Session(engine) as session:
        return audit_service.changes_since(
            session, entity=exc.entity, entity_id=exc.entity_id, version=exc.version or 0
        )


def _translated_context(request: Request, context: dict) -> dict:
    gettext = gettext_of(request)
    return {key: (status_label(value, gettext) if key == "status" else value) for key, value in context.items()}


def _refusal(request: Request, status: int, text: str):
    """A refusal in the request's language: JSON for the API, an error page for a person."""
    if _is_api(request):
        return JSONResponse({"detail": gettext_of(request)(text)}, status_code=status)
    return _error_page(request, status, text)


def _error_page(request: Request, status: int, text: str, translated: bool = False):
    back = _referring_page(request)
    if back and urlsplit(back).path == request.url.path:
        back = None  # the page itself
    context = {"status": status, "message": text, "translated": translated, "back": back}
    context["request_id"] = current_request_id()  # "Reference: …", for someone reporting it
    return render(request, "error.html", context, status)


def _referring_page(request: Request) -> str | None:
    """The path (and query) of the tracker page a request came from, if it came from one of ours."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    query = "&".join(p for p in referer.query.split("&") if p and not p.startswith("refused="))
    return referer.path + (f"?{query}" if query else "")


def _has_nul(request: Request) -> bool:
    # No text we store or look up may hold a NUL byte (PostgreSQL refuses them): refuse it at the door.
    query = request.scope.get("query_string", b"").lower()
    return "\x00" in request.url.path or b"%00" in query or b"\x00" in query


def _refused(request: Request) -> Response:
    return _refusal(request, 400, N_("The request contains a character that is not allowed (a NUL byte)."))


def _security_headers(settings: Settings) -> dict[str, str]:
    headers = {
        # No inline script or style anywhere: htmx is a file, and its indicator styles are off.
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if settings.secure_cookies:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


class _SiteHeaders:
    """Around every request: refuse NUL bytes, keep a language chosen by ?lang= in a cookie, let
    browsers keep versioned static files for a year, add the security headers, and answer HEAD
    wherever GET is answered (uptime monitors and calendar clients ask HEAD first): the same status
    and headers, no body.

    Plain ASGI rather than a BaseHTTPMiddleware, which costs a task and a stream per request.
    """

    def __init__(self, app, security: dict[str, str]):
        self.app, self.security = app, security

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        head = scope["method"] == "HEAD"
        if head:
            # In place, so that the route the router finds stays visible to the middleware outside (metrics).
            scope["method"] = "GET"
        query = scope.get("query_string", b"")
        if b"lang=" in query or b"%00" in query.lower() or "\x00" in scope["path"] or b"\x00" in query:
            request = Request(scope)
            if _has_nul(request):
                return await _refused(request)(scope, receive, send)
            chosen = request.query_params.get("lang")
            if chosen not in LANGUAGES or request.cookies.get(LANGUAGE_COOKIE) == chosen:
                chosen = None
        else:
            chosen = None
        immutable = scope["path"].startswith("/static/") and b"v=" in query

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if chosen:
                    cookie = Response()
                    cookie.set_cookie(LANGUAGE_COOKIE, chosen, max_age=ONE_YEAR, samesite="lax", httponly=True)
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                if immutable:
                    headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
                else:
                    headers.setdefault("Vary", "Accept-Language, Cookie, HX-Request")
                for name, value in self.security.items():
                    headers.setdefault(name, value)
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the tracker for these settings."""
    settings = settings or Settings()
    settings.check_safe()
    install_session_hooks()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        scheduler = None
        if settings.scheduler == "on":
            from tracker.reminders.scheduler import start_background

            scheduler = start_background(app.state.engine, settings)
        # Long-lived objects built at start-up survive every request: keep them out of GC scans.
        gc.collect()
        gc.freeze()
        # A page render allocates ~100,000 short-lived objects (ORM rows, template frames): with the
        # default threshold (700) the collector ran dozens of times per render and took a third of it.
        gc.set_threshold(50_000, 20, 100)
        yield
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        app.state.courier.close()
        app.state.engine.dispose()

    app = FastAPI(
        # Every route, of every router, passes the CSRF check (a no-op for safe methods and bearer tokens).
        dependencies=[Depends(csrf_protect)],
        title="MOU tracker",
        version="1",
        summary="Workshops, trainings and deliverables of a Memorandum of Understanding.",
        lifespan=lifespan,
        # FastAPI's docs pages load their scripts from a CDN (blocked by our CSP, absent offline):
        # tracker.api_docs serves a vendored copy at /api/docs instead.
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.settings = settings
    app.state.started = time.monotonic()  # /healthz gives the first sweep time from here
    app.state.engine = make_engine(settings.database_url)
    app.state.courier = Courier(app.state.engine, settings)
    app.state.session_info = {COURIER: app.state.courier}
    app.state.templates = make_environment()
    app.state.data_version = VersionWatch(app.state.engine)
    app.state.page_cache = PageCache()
    # One page per signed-in viewer and page: at most ~30 MB of pages of about 30 kB.
    app.state.personal_pages = PageCache(max_entries=1024, name="personal")
    app.state.known_sessions = KnownSessions()
    app.state.static_version = _static_version(STATIC_DIR)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.add_middleware(_SiteHeaders, security=_security_headers(settings))
    # A document upload is never read past the size limit, whichever part of the app reads it first.
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_mb * 1024 * 1024)
    # The public registration forms take small bodies only, refused before the CSRF check reads them.
    app.add_middleware(RegistrationBodyLimit)
    # Outermost: every answer gets its id and is counted and timed, refusals by the middleware above included.
    app.add_middleware(Observe)

    _install_error_handlers(app)

    from tracker import api_docs, preferences
    from tracker.accounts import routes as account_routes
    from tracker.activities import api as activities_api
    from tracker.activities import routes as activities_routes
    from tracker.admin import amendments as admin_amendments
    from tracker.admin import areas as admin_areas
    from tracker.admin import organizations as admin_organizations
    from tracker.admin import partnerships as admin_partnerships
    from tracker.admin import routes as admin_routes
    from tracker.admin import users as admin_users
    from tracker.calendar import routes as calendar_routes
    from tracker.certificates import admin as certificate_admin
    from tracker.certificates import routes as certificate_routes
    from tracker.certificates import verify as certificate_verify
    from tracker.deliverables import api as deliverables_api
    from tracker.deliverables import routes as deliverables_routes
    from tracker.documents import api as documents_api
    from tracker.documents import routes as documents_routes
    from tracker.documents import serving as documents_serving
    from tracker.indicators import api as indicators_api
    from tracker.indicators import routes as indicator_routes
    from tracker.mail import routes as mail_routes
    from tracker.observability import health, metrics
    from tracker.own_data import manage as own_data_manage
    from tracker.own_data import routes as own_data_routes
    from tracker.participants import import_routes
    from tracker.participants import routes as participant_routes
    from tracker.partnerships import api as partnerships_api
    from tracker.people import api as people_api
    from tracker.plans import api as plans_api
    from tracker.plans import routes as plan_routes
    from tracker.portfolio import routes as portfolio_routes
    from tracker.progress import routes as progress_routes
    from tracker.registration import manage as registration_manage
    from tracker.registration import routes as registration_routes
    from tracker.reminders import routes as reminder_routes
    from tracker.steering import routes as steering_routes
    from tracker.surveys import manage as survey_manage
    from tracker.surveys import routes as survey_routes

    # Pages first: routes are tried in order, and the progress pages are the ones asked for most.
    for module in (
        progress_routes,
        activities_routes,
        deliverables_routes,
        preferences,
        account_routes,
        admin_routes,
        admin_users,
        mail_routes,
        reminder_routes,
        participant_routes,
        import_routes,
        indicator_routes,
        calendar_routes,
        certificate_routes,
        certificate_verify,
        certificate_admin,
        steering_routes,
        admin_amendments,
        plan_routes,
        portfolio_routes,
        admin_partnerships,
        admin_areas,
        admin_organizations,
        registration_routes,
        registration_manage,
        survey_routes,
        survey_manage,
        own_data_routes,
        own_data_manage,
        api_docs,
        health,
    ):
        app.include_router(module.router)
    app.router.routes.append(metrics.route)
    for module in (partnerships_api, activities_api, deliverables_api, people_api, indicators_api, plans_api):
        app.include_router(module.router, prefix="/api/v1")
    for module in (documents_routes, documents_serving):
        app.include_router(module.router)
    app.include_router(documents_api.router, prefix="/api/v1")
    api_docs.describe_security(app)
    if settings.benchmark_endpoints:
        # A FastAPI endpoint with nothing to do, first in line: what any answer of this server costs at least.
        app.router.routes.insert(0, APIRoute("/_bare/{size}", _bare, methods=["GET"], include_in_schema=False))
    return app


async def _bare(size: int) -> Response:
    """`size` bytes from memory: the baseline of benchmarks/pages.py."""
    return Response(_filler(min(max(size, 0), 10**6)), media_type="text/html; charset=utf-8")


@functools.cache
def _filler(size: int) -> bytes:
    return b"x" * size
