"""What the HTML routes of every feature share: list queries, paging, form answers."""

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field, ValidationError, field_validator

from tracker.audit import service as audit_service
from tracker.errors import StaleEdit
from tracker.templating import gettext_of, is_htmx, render
from tracker.validation import FieldErrors, messages

PAGE_SIZE = 25


class ListQuery(BaseModel):
    """A list page's query string: blank means no filter; subclasses add their filters."""

    q: str | None = Field(None, max_length=200)
    page: int = Field(1, ge=1, le=1_000_000)

    @field_validator("*", mode="before")
    @classmethod
    def _blank(cls, value):
        return None if value == "" else value

    @property
    def search(self) -> str | None:
        return (self.q or "").strip() or None

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def shown(self) -> dict:
        """The filters as the filter form shows them."""
        return {k: ("" if v is None else str(getattr(v, "value", v))) for k, v in self.model_dump().items()}


Q = TypeVar("Q", bound=ListQuery)


def parse_query(request: Request, model: type[Q]) -> tuple[Q, dict]:
    """The list's filters, and a message for each one that could not be read (then ignored)."""
    raw = {k: v for k, v in request.query_params.items() if k in model.model_fields}
    try:
        return model.model_validate(raw), {}
    except ValidationError as exc:
        errors = messages(exc, gettext_of(request))
        return model.model_validate({k: v for k, v in raw.items() if k not in errors}), errors


def list_page(request: Request, feature: str, query: ListQuery, total: int, context: dict, errors: dict):
    """The list page, or only its results for htmx; 422 when a filter could not be read."""
    context |= {
        "total": total,
        "page": query.page,
        "pages": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        "filters": query.shown(),
        "errors": errors,
    }
    if is_htmx(request):
        return render(request, f"{feature}/_results.html", context)
    return render(request, f"{feature}/list.html", context, 422 if errors else 200)


def form_page(request: Request, feature: str, context: dict, status: int = 200):
    """A form: the whole page, or the form alone for htmx."""
    template = f"{feature}/_form.html" if is_htmx(request) else f"{feature}/form.html"
    return render(request, template, context, status)


def conflict_form(request: Request, session, feature: str, context: dict, exc: StaleEdit):
    """Someone saved first: the form again with the user's input, what changed, and the new version.

    Saving once more is then a deliberate choice to keep one's own version.
    """
    context["values"] = context["values"] | {"version": str(exc.current_version)}
    context["conflict"] = audit_service.changes_since(
        session, entity=exc.entity, entity_id=exc.entity_id, version=exc.version or 0
    )
    return form_page(request, feature, context, 409)


def save_form(
    request: Request,
    session,
    feature: str,
    *,
    save: Callable[[], object],
    context: Callable[[dict], dict],
    url: Callable[[object], str],
):
    """A form's POST: commit what `save` made and go to `url(record)`, or roll back and show the form again.

    Someone saved first: the form with what they changed (409); input refused: each field's message (422).
    """
    try:
        record = save()
    except StaleEdit as exc:
        session.rollback()
        return conflict_form(request, session, feature, context({}), exc)
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        return form_page(request, feature, context(messages(exc, gettext_of(request))), 422)
    session.commit()
    return saved(request, url(record))


def saved(request: Request, url: str):
    """After a successful save: 303 to the record, or HX-Redirect for htmx."""
    if is_htmx(request):
        return render(request, "empty.html", {}, 200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None) -> str:
    """Only a path on this site may be returned to: never //host, /\\host or a scheme."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch in target for ch in "\\\r\n\t") or ":" in target.split("?")[0]:
        return "/"
    return target
