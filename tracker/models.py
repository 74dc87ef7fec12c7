"""Every table of the tracker, in one metadata (Alembic and relationships need them all)."""

from datetime import UTC, date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import JSON, Column, Field, Relationship, SQLModel

# Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An instant stored in UTC and always read back timezone-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        # SQLite keeps no zone: store the naive UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Language(StrEnum):
    en = "en"
    es = "es"


class ActivityKind(StrEnum):
    workshop = "workshop"
    technical_training = "technical_training"
    webinar = "webinar"
    study_visit = "study_visit"
    expert_meeting = "expert_meeting"


class ActivityFormat(StrEnum):
    in_person = "in_person"
    virtual = "virtual"
    hybrid = "hybrid"


class ActivityStatus(StrEnum):
    planned = "planned"
    confirmed = "confirmed"
    held = "held"
    postponed = "postponed"
    cancelled = "cancelled"


class DeliverableStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    submitted = "submitted"
    accepted = "accepted"
    cancelled = "cancelled"


def enum_column(enum: type[StrEnum], **kwargs) -> Column:
    """A VARCHAR column holding an enum's values (no native type: migrations stay simple)."""
    return Column(
        sa.Enum(enum, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e]),
        **kwargs,
    )


class PartnershipParty(SQLModel, table=True):
    __tablename__ = "partnership_party"

    partnership_id: int = Field(foreign_key="partnership.id", primary_key=True, ondelete="CASCADE")
    organization_id: int = Field(foreign_key="organization.id", primary_key=True, ondelete="RESTRICT")


class ActivityArea(SQLModel, table=True):
    __tablename__ = "activity_area"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    area_id: int = Field(foreign_key="cooperation_area.id", primary_key=True, ondelete="RESTRICT")


class ActivityOrganizer(SQLModel, table=True):
    __tablename__ = "activity_organizer"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    organization_id: int = Field(foreign_key="organization.id", primary_key=True, ondelete="RESTRICT")


class Organization(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    acronym: str = Field(max_length=20, unique=True)
    name_en: str = Field(max_length=200)
    name_es: str = Field(max_length=200)
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2 code")
    timezone: str = Field(max_length=64)


class Partnership(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    title_en: str = Field(max_length=200)
    title_es: str = Field(max_length=200)
    signed_on: date
    # False until the date has been checked against the signed text.
    signed_on_confirmed: bool = Field(default=False)
    starts_on: date
    ends_on: date
    text_url_en: str | None = Field(default=None, max_length=500)
    text_url_es: str | None = Field(default=None, max_length=500)
    summary_en: str = Field(default="", max_length=4000)
    summary_es: str = Field(default="", max_length=4000)

    parties: list[Organization] = Relationship(link_model=PartnershipParty)
    areas: list["CooperationArea"] = Relationship(
        back_populates="partnership",
        sa_relationship_kwargs={"order_by": "CooperationArea.number"},
    )


class CooperationArea(SQLModel, table=True):
    __tablename__ = "cooperation_area"
    __table_args__ = (
        sa.UniqueConstraint("partnership_id", "number", name="uq_cooperation_area_number"),
        sa.UniqueConstraint("partnership_id", "slug", name="uq_cooperation_area_slug"),
    )

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    number: int
    slug: str = Field(max_length=60)
    name_en: str = Field(max_length=200)
    name_es: str = Field(max_length=200)
    description_en: str = Field(default="", max_length=4000)
    description_es: str = Field(default="", max_length=4000)

    partnership: Partnership = Relationship(back_populates="areas")


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    # Stored lower-cased, so uniqueness ignores case.
    email: str = Field(max_length=254, unique=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", ondelete="SET NULL")
    language: Language = Field(default=Language.en, sa_column=enum_column(Language, nullable=False))
    timezone: str = Field(max_length=64)

    organization: Organization | None = Relationship()


class Activity(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    kind: ActivityKind = Field(sa_column=enum_column(ActivityKind, nullable=False))
    title_en: str = Field(max_length=200)
    title_es: str | None = Field(default=None, max_length=200)
    summary_en: str = Field(default="", max_length=4000)
    summary_es: str | None = Field(default=None, max_length=4000)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    timezone: str = Field(max_length=64)
    format: ActivityFormat = Field(sa_column=enum_column(ActivityFormat, nullable=False))
    venue: str | None = Field(default=None, max_length=300)
    meeting_url: str | None = Field(default=None, max_length=500)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: ActivityStatus = Field(
        default=ActivityStatus.planned,
        sa_column=enum_column(ActivityStatus, nullable=False, index=True),
    )
    objectives: str = Field(default="", max_length=8000)
    outcomes: str = Field(default="", max_length=8000)
    materials: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))

    areas: list[CooperationArea] = Relationship(
        link_model=ActivityArea, sa_relationship_kwargs={"order_by": "CooperationArea.number"}
    )
    organizers: list[Organization] = Relationship(
        link_model=ActivityOrganizer, sa_relationship_kwargs={"order_by": "Organization.acronym"}
    )


class Deliverable(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="cooperation_area.id", index=True, ondelete="RESTRICT")
    activity_id: int | None = Field(default=None, foreign_key="activity.id", ondelete="SET NULL")
    title_en: str = Field(max_length=200)
    title_es: str | None = Field(default=None, max_length=200)
    description: str = Field(default="", max_length=8000)
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    organization_id: int | None = Field(default=None, foreign_key="organization.id", ondelete="SET NULL")
    due_on: date = Field(index=True)
    status: DeliverableStatus = Field(
        default=DeliverableStatus.not_started,
        sa_column=enum_column(DeliverableStatus, nullable=False, index=True),
    )
    completed_on: date | None = None
    evidence_url: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))

    area: CooperationArea = Relationship()
    activity: Activity | None = Relationship()
    owner: Person | None = Relationship()
    organization: Organization | None = Relationship()
