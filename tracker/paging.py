"""One page of a list query and how many rows match it in all: what every list, page or API, shows."""

from sqlalchemy import func
from sqlmodel import Session, select


def paged(session: Session, query, *, order_by: tuple, limit: int, offset: int, options: tuple = ()) -> tuple:
    """(the rows of `query` from `offset`, at most `limit`, in `order_by` order; how many match in all)."""
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(*order_by).options(*options).limit(limit).offset(offset)).all()
    return list(rows), total
