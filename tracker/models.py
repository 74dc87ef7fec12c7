"""Every table of the tracker, in one metadata (Alembic and relationships need them all)."""

from datetime import UTC, date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import JSON, Column, Field, Relationship, SQLModel

from tracker.i18n import LANGUAGES

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


# The interface languages, as stored (a person's, a participant's, an activity's): one list, in tracker.i18n.
Language = StrEnum("Language", [(code, code) for code in LANGUAGES])


class Role(StrEnum):
    admin = "admin"
    manager = "manager"
    partner = "partner"


class ReminderMode(StrEnum):
    digest = "digest"
    each = "each"
    none = "none"


class Sex(StrEnum):
    female = "female"
    male = "male"
    another = "another"
    not_stated = "not_stated"


class AttendanceStatus(StrEnum):
    registered = "registered"
    attended = "attended"
    absent = "absent"
    excused = "excused"


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


# Still to take place: what "upcoming" lists, counts of planned work and reminders look at.
OPEN_ACTIVITY_STATUSES = (ActivityStatus.planned, ActivityStatus.confirmed, ActivityStatus.postponed)


class DeliverableStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    submitted = "submitted"
    accepted = "accepted"
    cancelled = "cancelled"


# Still to be delivered: what can be overdue, and what deadlines and reminders look at.
OPEN_DELIVERABLE_STATUSES = (DeliverableStatus.not_started, DeliverableStatus.in_progress, DeliverableStatus.submitted)


def enum_column(enum: type[StrEnum], **kwargs) -> Column:
    """A VARCHAR column holding an enum's values (no native type: migrations stay simple)."""
    return Column(
        sa.Enum(enum, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e]),
        **kwargs,
    )


def search_column() -> Column:
    """A record's searchable fields folded into one text (tracker.search keeps it current)."""
    return Column("search_text", sa.Text, nullable=False, server_default="")


def version_column() -> Column:
    """The optimistic-lock counter: SQLAlchemy bumps it and refuses to save over a newer row."""
    return Column("version", sa.Integer, nullable=False, server_default="1")


class PartnershipParty(SQLModel, table=True):
    __tablename__ = "partnership_party"

    partnership_id: int = Field(foreign_key="partnership.id", primary_key=True, ondelete="CASCADE")
    organization_id: int = Field(foreign_key="organization.id", primary_key=True, ondelete="RESTRICT")


class ActivityArea(SQLModel, table=True):
    __tablename__ = "activity_area"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    area_id: int = Field(foreign_key="cooperation_area.id", primary_key=True, ondelete="RESTRICT")


class ActivityResponsible(SQLModel, table=True):
    """The people responsible for an activity (organizers, facilitators): they get its reminders."""

    __tablename__ = "activity_responsible"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")


class ActivityOrganizer(SQLModel, table=True):
    __tablename__ = "activity_organizer"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    organization_id: int = Field(foreign_key="organization.id", primary_key=True, ondelete="RESTRICT")


_VERSION_ORGANIZATION = version_column()


class Organization(SQLModel, table=True):
    __mapper_args__ = {"version_id_col": _VERSION_ORGANIZATION}
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_VERSION_ORGANIZATION)
    acronym: str = Field(max_length=20, unique=True)
    # Bilingual texts: one language is enough (tracker.i18n.in_language picks what a reader sees).
    name_en: str | None = Field(default=None, max_length=200)
    name_es: str | None = Field(default=None, max_length=200)
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2 code")
    timezone: str = Field(max_length=64)


_VERSION_PARTNERSHIP = version_column()


class Partnership(SQLModel, table=True):
    __mapper_args__ = {"version_id_col": _VERSION_PARTNERSHIP}
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_VERSION_PARTNERSHIP)
    slug: str = Field(max_length=60, unique=True)
    title_en: str | None = Field(default=None, max_length=200)
    title_es: str | None = Field(default=None, max_length=200)
    signed_on: date
    # False until the date has been checked against the signed text.
    signed_on_confirmed: bool = Field(default=False)
    starts_on: date
    ends_on: date
    text_url_en: str | None = Field(default=None, max_length=500)
    text_url_es: str | None = Field(default=None, max_length=500)
    summary_en: str = Field(default="", max_length=4000)
    summary_es: str = Field(default="", max_length=4000)
    # What participants agree to when they register (purpose and retention of their data; Panama's Law 81
    # of 2019 for MiAMBIENTE's): shown on the registration form, copied onto each registration.
    consent_en: str = Field(default="", max_length=4000, sa_column_kwargs={"server_default": ""})
    consent_es: str = Field(default="", max_length=4000, sa_column_kwargs={"server_default": ""})
    # Whether anonymous visitors may see the overview's aggregates (no names).
    published: bool = Field(default=False)
    # The secret in the subscribable calendar's address; None when no feed is shared.
    calendar_token: str | None = Field(default=None, max_length=64, unique=True)
    # The secret in the public progress page's address (aggregates only); None when not shared.
    public_token: str | None = Field(default=None, max_length=64, unique=True)

    parties: list[Organization] = Relationship(link_model=PartnershipParty)
    areas: list["CooperationArea"] = Relationship(
        back_populates="partnership",
        sa_relationship_kwargs={"order_by": "CooperationArea.number"},
    )


_VERSION_COOPERATIONAREA = version_column()


class CooperationArea(SQLModel, table=True):
    __mapper_args__ = {"version_id_col": _VERSION_COOPERATIONAREA}
    __tablename__ = "cooperation_area"
    __table_args__ = (
        sa.UniqueConstraint("partnership_id", "number", name="uq_cooperation_area_number"),
        sa.UniqueConstraint("partnership_id", "slug", name="uq_cooperation_area_slug"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_VERSION_COOPERATIONAREA)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    number: int
    slug: str = Field(max_length=60)
    name_en: str | None = Field(default=None, max_length=200)
    name_es: str | None = Field(default=None, max_length=200)
    description_en: str = Field(default="", max_length=4000)
    description_es: str = Field(default="", max_length=4000)

    partnership: Partnership = Relationship(back_populates="areas")


_VERSION_PERSON = version_column()


class Person(SQLModel, table=True):
    __mapper_args__ = {"version_id_col": _VERSION_PERSON}
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_VERSION_PERSON)
    name: str = Field(max_length=120)
    # Stored lower-cased, so uniqueness ignores case.
    email: str = Field(max_length=254, unique=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", ondelete="SET NULL")
    language: Language = Field(default=Language.en, sa_column=enum_column(Language, nullable=False))
    timezone: str = Field(max_length=64)
    # A login: a role and (once set) a password. People without a role cannot sign in. An admin sees
    # and changes every partnership; anyone else what their memberships give them (the role here is
    # then the highest of those, kept by tracker.accounts.memberships).
    role: Role | None = Field(default=None, sa_column=enum_column(Role, nullable=True))
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = Field(default=True)
    last_sign_in_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # One digest a day (default), one email per reminder, or none.
    reminder_mode: ReminderMode = Field(
        default=ReminderMode.digest, sa_column=enum_column(ReminderMode, nullable=False, server_default="digest")
    )
    search_text: str = Field(default="", sa_column=search_column())

    organization: Organization | None = Relationship()


class Membership(SQLModel, table=True):
    """A person's role in one partnership: a partner reads it, a manager also changes its records."""

    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    partnership_id: int = Field(foreign_key="partnership.id", primary_key=True, index=True, ondelete="CASCADE")
    role: Role = Field(sa_column=enum_column(Role, nullable=False))


_VERSION_ACTIVITY = version_column()


class Activity(SQLModel, table=True):
    __mapper_args__ = {"version_id_col": _VERSION_ACTIVITY}
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_VERSION_ACTIVITY)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    kind: ActivityKind = Field(sa_column=enum_column(ActivityKind, nullable=False))
    title_en: str | None = Field(default=None, max_length=200)
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
    objectives_en: str = Field(default="", max_length=8000)
    objectives_es: str = Field(default="", max_length=8000)
    outcomes_en: str = Field(default="", max_length=8000)
    outcomes_es: str = Field(default="", max_length=8000)
    materials: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # A participant completes when present this share of the days; masters a topic at this post-test score.
    completion_threshold: int = Field(default=80, sa_column=Column(sa.Integer, nullable=False, server_default="80"))
    mastery_threshold: int = Field(default=70, sa_column=Column(sa.Integer, nullable=False, server_default="70"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    search_text: str = Field(default="", sa_column=search_column())

    areas: list[CooperationArea] = Relationship(
        link_model=ActivityArea, sa_relationship_kwargs={"order_by": "CooperationArea.number"}
    )
    organizers: list[Organization] = Relationship(
        link_model=ActivityOrganizer, sa_relationship_kwargs={"order_by": "Organization.acronym"}
    )
    responsible: list["Person"] = Relationship(
        link_model=ActivityResponsible, sa_relationship_kwargs={"order_by": "Person.name"}
    )


_VERSION_DELIVERABLE = version_column()


class Deliverable(SQLModel, table=True):
    __mapper_args__ = {"version_id_col": _VERSION_DELIVERABLE}
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_VERSION_DELIVERABLE)
    area_id: int = Field(foreign_key="cooperation_area.id", index=True, ondelete="RESTRICT")
    activity_id: int | None = Field(default=None, foreign_key="activity.id", ondelete="SET NULL")
    title_en: str | None = Field(default=None, max_length=200)
    title_es: str | None = Field(default=None, max_length=200)
    description_en: str = Field(default="", max_length=8000)
    description_es: str = Field(default="", max_length=8000)
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    organization_id: int | None = Field(default=None, foreign_key="organization.id", ondelete="SET NULL")
    due_on: date = Field(index=True)
    status: DeliverableStatus = Field(
        default=DeliverableStatus.not_started,
        sa_column=enum_column(DeliverableStatus, nullable=False, index=True),
    )
    completed_on: date | None = None
    evidence_url: str | None = Field(default=None, max_length=500)
    # Which revision of the deliverable's document was accepted (tracker.documents), when one was.
    accepted_revision: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    search_text: str = Field(default="", sa_column=search_column())

    area: CooperationArea = Relationship()
    activity: Activity | None = Relationship()
    owner: Person | None = Relationship()
    organization: Organization | None = Relationship()


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "user_session"

    id: str = Field(primary_key=True, max_length=64)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    client_ip: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, max_length=300)


class SignInAttempt(SQLModel, table=True):
    """Every sign-in try, so throttling holds across workers and restarts."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        sa.Index("ix_sign_in_attempt_email_at", "email", "at"),
        sa.Index("ix_sign_in_attempt_client_ip_at", "client_ip", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    email: str = Field(max_length=320)
    client_ip: str = Field(max_length=45)
    succeeded: bool = False


class OneTimeToken(SQLModel, table=True):
    """A single-use link: an invitation to set a password, or a password reset."""

    __tablename__ = "one_time_token"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    purpose: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ApiToken(SQLModel, table=True):
    """A personal API token; shown once, stored as its SHA-256."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class AuditEvent(SQLModel, table=True):
    """One change to a record: who, when, what kind, and the fields before and after."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    # Kept as written at the time, so the trail survives a renamed or removed person.
    actor_name: str = Field(max_length=120)
    action: str = Field(max_length=20)
    entity: str = Field(max_length=40)
    entity_id: int
    version: int | None = None
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Why, when the person had to say: a postponement, a cancellation, a reopened activity, a moved due date.
    reason: str | None = Field(default=None, max_length=1000)


class ReminderSettings(SQLModel, table=True):
    """A partnership's reminder rules: which moments, and the recipients' local hour."""

    __tablename__ = "reminder_settings"

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", unique=True, ondelete="CASCADE")
    # Days before a deliverable's due date, and before an activity's start, comma-separated. No defaults
    # here: a partnership without a row follows `tracker.reminders.schedule.Rules()`.
    deliverable_days: str = Field(max_length=60)
    on_due_date: bool
    overdue_weekly: bool
    activity_days: str = Field(max_length=60)
    local_hour: int


class OutboxMessage(SQLModel, table=True):
    """One email to one person, of any kind (an invitation, a digest of reminders...). Rendered once, sent once."""

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # invitation | password_reset | reminder | digest, and the kinds later features add (tracker.mail.kinds).
    kind: str = Field(default="reminder", max_length=24, sa_column_kwargs={"server_default": "reminder"})
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    # The partnership whose people may see it on its Outbox page (None: administrators only).
    partnership_id: int | None = Field(default=None, foreign_key="partnership.id", index=True, ondelete="SET NULL")
    language: str = Field(default="en", max_length=8, sa_column_kwargs={"server_default": "en"})
    # The envelope recipient: a bare address (its domain in IDNA), never parsed back from a header.
    to_address: str = Field(max_length=400)
    subject: str = Field(max_length=300)
    message_id: str = Field(max_length=200, unique=True)
    raw: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    # pending -> sending -> sent | written (no SMTP server) | failed; back to pending on a retry.
    status: str = Field(default="pending", max_length=12, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Delivery(SQLModel, table=True):
    """One reminder for one person about one item at one occurrence: the unit that is never sent twice."""

    __tablename__ = "delivery"
    __table_args__ = (
        sa.UniqueConstraint("item_type", "item_id", "rule", "occurrence", "person_id", name="uq_delivery_key"),
        sa.Index("ix_delivery_status_due", "status", "due_at"),
        sa.Index("ix_delivery_item", "item_type", "item_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_type: str = Field(max_length=20)
    item_id: int
    rule: str = Field(max_length=20)
    occurrence: date
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # pending -> queued (in a message) -> sent | written | failed; dropped (item closed or moved);
    # skipped (the person wants no reminders).
    status: str = Field(default="pending", max_length=12)
    message_id: int | None = Field(default=None, foreign_key="outbox_message.id", index=True, ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


_VERSION_PARTICIPANT = version_column()


class Participant(SQLModel, table=True):
    """Someone trained: one person across activities, so people are counted, not seats."""

    __mapper_args__ = {"version_id_col": _VERSION_PARTICIPANT}

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_VERSION_PARTICIPANT)
    # As the person writes them; `name` is the two composed in the order of their culture (rules.full_name).
    given_names: str = Field(default="", max_length=120)
    surnames: str = Field(default="", max_length=120)
    name: str = Field(max_length=241)
    organization: str = Field(default="", max_length=200)
    position: str = Field(default="", max_length=120)
    sex: Sex = Field(default=Sex.not_stated, sa_column=enum_column(Sex, nullable=False))
    country: str = Field(default="", max_length=2, description="ISO 3166-1 alpha-2, or empty")
    # Lower-cased; unique when given. Without it, people are matched by name and organization.
    email: str | None = Field(default=None, max_length=254, unique=True)
    match_key: str = Field(max_length=330, index=True)
    language: Language = Field(default=Language.es, sa_column=enum_column(Language, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


_VERSION_ENROLLMENT = version_column()


class Enrollment(SQLModel, table=True):
    """A participant on an activity's roster: attendance, and the evaluation scores."""

    __mapper_args__ = {"version_id_col": _VERSION_ENROLLMENT}
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "participant_id", name="uq_enrollment_activity_participant"),
        # Covers the indicator queries (who completed, average scores) so they never read the table.
        sa.Index(
            "ix_enrollment_scope",
            "activity_id",
            "status",
            "days_attended",
            "participant_id",
            "pre_score",
            "post_score",
            "satisfaction",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_VERSION_ENROLLMENT)
    activity_id: int = Field(foreign_key="activity.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    status: AttendanceStatus = Field(
        default=AttendanceStatus.registered, sa_column=enum_column(AttendanceStatus, nullable=False)
    )
    # For multi-day trainings; None means every day when attended.
    days_attended: int | None = None
    pre_score: int | None = None
    post_score: int | None = None
    satisfaction: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))

    participant: Participant = Relationship()


class ImportLayout(SQLModel, table=True):
    """A sign-in sheet layout seen before (by its header row), and how its columns map to fields."""

    __tablename__ = "import_layout"

    id: int | None = Field(default=None, primary_key=True)
    signature: str = Field(max_length=64, unique=True)
    headers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    mapping: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ImportBatch(SQLModel, table=True):
    """An uploaded sheet waiting for the manager's confirmation: nothing is on the roster until then."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True, ondelete="CASCADE")
    created_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    filename: str = Field(max_length=255)
    # The parsed rows that passed, and one message per refused row ({"row": n, "errors": {...}}).
    rows: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    problems: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="preview", max_length=12)  # preview | confirmed | discarded
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class IndicatorTarget(SQLModel, table=True):
    """A target for one indicator over one period, for a partnership or one of its areas (IATI shape)."""

    __tablename__ = "indicator_target"
    __table_args__ = (
        sa.UniqueConstraint(
            "partnership_id",
            "area_id",
            "indicator",
            "dimension",
            "period_start",
            "period_end",
            name="uq_indicator_target",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    area_id: int | None = Field(default=None, foreign_key="cooperation_area.id", ondelete="CASCADE")
    indicator: str = Field(max_length=40)
    # An IATI-style dimension such as "sex=female", or "" for the whole.
    dimension: str = Field(default="", max_length=60)
    period_start: date
    period_end: date
    value: float


class DataVersion(SQLModel, table=True):
    """One row counting commits that changed what pages show: page caches compare it, not the data."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_column=Column(sa.BigInteger, nullable=False))


class SweepHeartbeat(SQLModel, table=True):
    """When the reminder sweep last ran, in whichever process: health checks and metrics read it from here,
    so every web worker can tell that reminders have stopped."""

    __tablename__ = "sweep_heartbeat"

    id: int = Field(default=1, primary_key=True)
    started_at: datetime = Field(sa_column=Column(UTCDateTime(timezone=True), nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(timezone=True)))
    duration_seconds: float = 0
    # The last sweep that finished without an error (None until one has).
    succeeded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(timezone=True)))
    runs: int = Field(default=0, sa_column=Column(sa.BigInteger, nullable=False))
    failures: int = Field(default=0, sa_column=Column(sa.BigInteger, nullable=False))


class StoredFile(SQLModel, table=True):
    """A file kept by its content (tracker.storage): the same bytes are stored once, under their SHA-256."""

    __tablename__ = "stored_file"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    content_type: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Signatory(SQLModel, table=True):
    """Someone whose name and signature a partnership's certificates carry, in `position` order."""

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=120)
    title_en: str | None = Field(default=None, max_length=200)
    title_es: str | None = Field(default=None, max_length=200)
    organization_id: int = Field(foreign_key="organization.id", ondelete="RESTRICT")
    signature_sha256: str | None = Field(
        default=None, max_length=64, foreign_key="stored_file.sha256", ondelete="RESTRICT"
    )


class PartnershipLogo(SQLModel, table=True):
    """A partner's logo at the top of a partnership's certificates, in `position` order."""

    __tablename__ = "partnership_logo"

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    position: int = 0
    sha256: str = Field(max_length=64, foreign_key="stored_file.sha256", ondelete="RESTRICT")
    alt_text: str = Field(max_length=200)


class ActivityCertificate(SQLModel, table=True):
    """What an activity's certificates say besides the roster: the hours of instruction, when a manager set them."""

    __tablename__ = "activity_certificate"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    hours: float | None = None


class Certificate(SQLModel, table=True):
    """A certificate issued to someone who completed an activity: its number and verification address
    are assigned once and never reused; a revoked one stays, marked as such."""

    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", unique=True, ondelete="CASCADE")
    # Human-readable (CM-2026-00042), for the record; the token is the unguessable part of /verify/{token}.
    number: str = Field(max_length=40, unique=True)
    verify_token: str = Field(max_length=64, unique=True)
    issued_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    issued_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    revoked_reason: str | None = Field(default=None, max_length=1000)
    # The last time it was emailed, and how many times: a second send only when a manager resends.
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    times_sent: int = Field(default=0, sa_column=Column(sa.Integer, nullable=False, server_default="0"))


class CertificateCounter(SQLModel, table=True):
    """The last sequence number given to certificates of one prefix and year; it only ever goes up."""

    __tablename__ = "certificate_counter"

    prefix: str = Field(primary_key=True, max_length=12)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = 0


class Baseline(SQLModel, table=True):
    """A partnership's work plan as an administrator approved it: a snapshot, not a live query.

    `items` holds one entry per planned activity or deliverable at that moment:
    {"type": "activity" | "deliverable", "id", "area_ids", "title_en", "title_es", "planned_on": ISO date}.
    Approving again makes a new baseline with the next number; earlier ones stay readable.
    """

    __table_args__ = (sa.UniqueConstraint("partnership_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    number: int
    approved_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    approved_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    # Why the plan was approved again (required from the second baseline on).
    note: str = Field(default="", max_length=1000)
    items: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Amendment(SQLModel, table=True):
    """A change to the MOU the parties agreed: its date, its text, and the term it set."""

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    signed_on: date
    # The term's end before and after: the partnership's own ends_on follows the latest amendment.
    previous_ends_on: date
    ends_on: date
    text_url: str | None = Field(default=None, max_length=500)
    summary_en: str = Field(default="", max_length=4000)
    summary_es: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class PeriodSummary(SQLModel, table=True):
    """The executive summary of a steering-committee report for one period, in each language."""

    __tablename__ = "period_summary"
    __table_args__ = (sa.UniqueConstraint("partnership_id", "starts_on", "ends_on"),)

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    starts_on: date
    ends_on: date
    summary_en: str = Field(default="", max_length=8000)
    summary_es: str = Field(default="", max_length=8000)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class PlanImport(SQLModel, table=True):
    """A work plan read from a spreadsheet, waiting for a manager's confirmation: nothing is planned until then.

    Staging only (not in the audit trail): what it creates is recorded as each activity or deliverable is.
    """

    __tablename__ = "plan_import"

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    created_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    filename: str = Field(max_length=255)
    # The rows that passed ({"row": n, "cells": {...}, "values": {...}}), and those refused ({..., "errors"}).
    rows: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    problems: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="preview", max_length=12)  # preview | confirmed | discarded
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Document(SQLModel, table=True):
    """A file kept as evidence: of an activity (agenda, slides, sign-in sheet, photos, minutes), of a
    deliverable (the deliverable itself, in numbered revisions) or of a partnership (signed texts, work
    plan). The bytes live in the file store under `sha256`; a deleted document stays, marked, for the history.
    """

    # A deliverable's revisions are numbered once each (other documents have none: NULLs never collide).
    __table_args__ = (sa.UniqueConstraint("deliverable_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    # Always set, also for an activity's or deliverable's file: access is decided by it.
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True, ondelete="CASCADE")
    deliverable_id: int | None = Field(default=None, foreign_key="deliverable.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=24)
    # The language of the text, when it is in one (a signed MOU text, minutes).
    language: str | None = Field(default=None, max_length=8)
    # A deliverable's revision (1, 2, ...); None for other documents.
    revision: int | None = None
    title: str = Field(max_length=200)
    filename: str = Field(max_length=255)
    sha256: str = Field(foreign_key="stored_file.sha256", max_length=64, ondelete="RESTRICT")
    size: int
    content_type: str = Field(max_length=100)
    note: str = Field(default="", max_length=2000)
    uploaded_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    # A deliverable revision's review: None (not submitted), submitted, sent_back or accepted.
    review: str | None = Field(default=None, max_length=12)
    reviewed_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    reviewed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    deleted_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")


class RegistrationForm(SQLModel, table=True):
    """An activity's public registration form, opened by a manager at an unguessable address."""

    __tablename__ = "registration_form"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    token: str = Field(max_length=64, unique=True)
    opened_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    opened_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    # Registrations are taken until then (None: until the activity starts), and until a manager closes it.
    closes_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Seats; beyond them registrations wait in line (None: no limit).
    capacity: int | None = None
    needs_approval: bool = False


class Registration(SQLModel, table=True):
    """Someone's registration for an activity, made by themselves: pending a manager's approval, waiting
    for a seat, confirmed (then on the roster as registered), cancelled or declined."""

    __table_args__ = (sa.UniqueConstraint("activity_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    enrollment_id: int | None = Field(default=None, foreign_key="enrollment.id", ondelete="SET NULL")
    state: str = Field(max_length=12)  # pending | waitlisted | confirmed | cancelled | declined
    needs: str = Field(default="", max_length=1000)  # accessibility or interpretation
    language: str = Field(max_length=8)
    consent_text: str = Field(default="", max_length=4000)
    consented_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # The personal link to change or cancel: only its SHA-256 is kept.
    token_hash: str = Field(max_length=64, unique=True)
    client_ip: str = Field(default="", max_length=45)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class SurveyQuestion(SQLModel, table=True):
    """One multiple-choice question of an activity's test, asked before it (pre-test) and after (post-test)."""

    __tablename__ = "survey_question"

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True, ondelete="CASCADE")
    position: int = 0
    text_en: str | None = Field(default=None, max_length=500)
    text_es: str | None = Field(default=None, max_length=500)
    # [{"en": ..., "es": ...}, ...] and the index of the right one.
    choices: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    correct: int = 0


class SurveyInvitation(SQLModel, table=True):
    """A participant's personal, expiring link to one survey of one activity (the pre-test, the evaluation
    after it, the follow-up months later), and their answers once given."""

    __tablename__ = "survey_invitation"
    __table_args__ = (sa.UniqueConstraint("enrollment_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=12)  # pretest | evaluation | followup
    token_hash: str = Field(max_length=64, unique=True)
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    reminded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    satisfaction: int | None = None  # 1-5
    relevance: int | None = None  # 1-5
    applied: str | None = Field(default=None, max_length=12)  # follow-up: yes | partly | no
    score: int | None = None  # a test's share of right answers, in percent
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class DataRequest(SQLModel, table=True):
    """Someone asking, from the link in an email, that the tracker delete what it holds about them; a
    manager does it (anonymising them) or declines, and both are audited."""

    __tablename__ = "data_request"

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True, ondelete="SET NULL")
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    kind: str = Field(default="deletion", max_length=12)
    note: str = Field(default="", max_length=2000)
    requested_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    done_by: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    outcome: str | None = Field(default=None, max_length=12)  # anonymised | declined
