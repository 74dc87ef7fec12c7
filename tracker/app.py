"""The application factory: create_app(settings) builds everything, nothing is built at import."""

import gc
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tracker.config import ROOT, Settings
from tracker.db import make_engine, ping
from tracker.errors import Conflict, NotFound
from tracker.i18n import LANGUAGE_COOKIE, LANGUAGES
from tracker.labels import status_label
from tracker.templating import gettext_of, make_environment, render
from tracker.validation import N_, FieldErrors, message

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
        if _is_api(request):
            return JSONResponse({"detail": gettext_of(request)(exc.what)}, status_code=404)
        return _error_page(request, 404, exc.what)

    @app.exception_handler(Conflict)
    def _conflict(request: Request, exc: Conflict):
        text = gettext_of(request)(exc.reason).format(**_translated_context(request, exc.context))
        if _is_api(request):
            return JSONResponse({"detail": text}, status_code=409)
        return _error_page(request, 409, text, translated=True)

    @app.exception_handler(Exception)
    def _crash(request: Request, exc: Exception):
        # Logged by the server; the viewer gets a page in their language, never a traceback.
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        if _is_api(request):
            return JSONResponse({"detail": "Internal error"}, status_code=500)
        return _error_page(request, 500, N_("Something went wrong on our side. Please try again."))

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException):
        if _is_api(request) or exc.status_code not in (404, 405):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return _error_page(request, exc.status_code, N_("This page does not exist."))


def _translated_context(request: Request, context: dict) -> dict:
    gettext = gettext_of(request)
    return {key: (status_label(value, gettext) if key == "status" else value) for key, value in context.items()}


def _error_page(request: Request, status: int, text: str, translated: bool = False):
    return render(request, "error.html", {"status": status, "message": text, "translated": translated}, status)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the tracker for these settings."""
    settings = settings or Settings()
    settings.check_safe()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Long-lived objects built at start-up survive every request: keep them out of GC scans.
        gc.collect()
        gc.freeze()
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="MOU tracker",
        version="1",
        summary="Workshops, trainings and deliverables of a Memorandum of Understanding.",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.templates = make_environment()
    app.state.static_version = _static_version(STATIC_DIR)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.middleware("http")
    async def language_and_headers(request: Request, call_next):
        response: Response = await call_next(request)
        chosen = request.query_params.get("lang")
        if chosen in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != chosen:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=ONE_YEAR, samesite="lax", httponly=True)
        if request.url.path.startswith("/static/") and "v" in request.query_params:
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        else:
            response.headers.setdefault("Vary", "Accept-Language, Cookie, HX-Request")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.get("/healthz", tags=["meta"], summary="200 when the database answers")
    def healthz(request: Request):
        if ping(request.app.state.engine):
            return {"status": "ok"}
        return JSONResponse({"status": "database unreachable"}, status_code=503)

    _install_error_handlers(app)

    from tracker import preferences
    from tracker.activities import api as activities_api
    from tracker.activities import routes as activities_routes
    from tracker.deliverables import api as deliverables_api
    from tracker.deliverables import routes as deliverables_routes
    from tracker.partnerships import api as partnerships_api
    from tracker.partnerships import routes as partnerships_routes
    from tracker.people import api as people_api

    for module in (partnerships_api, activities_api, deliverables_api, people_api):
        app.include_router(module.router, prefix="/api/v1")
    for module in (partnerships_routes, activities_routes, deliverables_routes, preferences):
        app.include_router(module.router)
    return app
