"""The API's reference for people writing scripts: /api/docs (Swagger UI, vendored, served from this origin
so the Content-Security-Policy holds) over /openapi.json, which says how scripts authenticate."""

from fastapi import APIRouter, FastAPI, Request

from tracker.templating import render

router = APIRouter(include_in_schema=False)

BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "A personal API token (mou_…), created on the Account page. Scripts act with its owner's roles.",
}


@router.get("/api/docs", name="api_docs")
def api_docs(request: Request):
    return render(request, "api_docs.html", {"nav": "api"})


def describe_security(app: FastAPI) -> None:
    """Let /openapi.json say that every API route takes a bearer token (the viewer's Authorize button uses it).

    The tracker checks tokens itself (tracker/auth.py) rather than through FastAPI's security classes, so the
    scheme is added to the generated document once, when it is first asked for.
    """
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate()
            schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = BEARER
            # A token, or a browser's sign-in session (pages and the viewer itself): either is accepted.
            schema["security"] = [{"bearer": []}, {}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
