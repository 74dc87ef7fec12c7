"""What every JSON endpoint shares: pagination, the page envelope, and PATCH merging."""

from typing import Annotated, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, ValidationError

from tracker.editing import Derived, fields_of
from tracker.validation import MAX_ID, FieldErrors, collect

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
SlugParam = Annotated[str, Path(max_length=60)]
T = TypeVar("T")
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Items to skip")]
# The filters lists share: one partnership (its slug), a record of another list (its id).
PartnershipFilter = Annotated[str | None, Query(max_length=60, description="Partnership slug")]
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total that matched."""

    items: list[T]
    total: int
    limit: int
    offset: int


def merged(schema: type[BaseModel], record, patch: BaseModel, derived: Derived | None = None) -> BaseModel:
    """The record's fields (as `fields_of` reads them) with the PATCH applied, validated as a whole.

    Errors surface as FieldErrors so that they answer 422 like any other rule.
    """
    current = fields_of(schema, record, derived)
    try:
        return schema.model_validate(current | patch.model_dump(exclude_unset=True, exclude={"version"}))
    except ValidationError as exc:
        raise FieldErrors(collect(exc)) from None


def listing_scope(session, viewer, slug: str | None) -> frozenset[int] | None:
    """The partnerships a list is limited to: the one asked for (404 if not visible), else all the
    viewer may see (None: every one)."""
    from tracker.partnerships.service import get_partnership_or_404

    if slug:
        return frozenset({get_partnership_or_404(session, slug, viewer).id})
    return viewer.partnership_ids
