"""The walkthrough data model (SQLAlchemy 2.x typed ORM).

One walkthrough holds its lens snapshot, its team, its observations (each with
photos) and its improvement plan (actions).  Keys are UUID strings so that
walkthroughs recorded on several laptops can be merged later without clashes.
Ids that point into the lens (area, prompt, rating, principle, core component)
are plain strings checked against the walkthrough's own lens snapshot by the
services, because a lens is data, not schema.

Only :mod:`walkthrough.storage` creates engines; this module just declares.
Changing anything here needs an Alembic migration in
``walkthrough/storage/migrations/versions``.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The vocabulary lives in its own module (no SQLAlchemy), so records and views can
# use it without paying for the ORM at start-up; re-exported here for the services.
from walkthrough.domain.vocabulary import ActionStatus, OnTrack, Priority, Role, Voice  # noqa: F401 - re-exported

# Stable constraint names, so Alembic migrations (batch mode on SQLite) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A fresh random key (UUID4, 36 characters)."""
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    """Now, in UTC, timezone-aware."""
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores aware datetimes as naive UTC; gives them back aware (SQLite has no zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use walkthrough.domain.models.utcnow()")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.timezone.utc)


class NumberList(TypeDecorator[tuple[int, ...]]):
    """A short list of small whole numbers (an action's MAT standards), stored as text: ``"1,4,10"``.

    Ascending, without repeats; the empty list is the empty text.  A list of
    numbers has no place of its own worth a table: it is read and written
    whole, and compared whole by the history.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: object, dialect: object) -> str | None:
        if value is None:
            return None
        return ",".join(str(n) for n in sorted({int(n) for n in value}))  # type: ignore[attr-defined]

    def process_result_value(self, value: str | None, dialect: object) -> tuple[int, ...]:
        return tuple(int(n) for n in value.split(",")) if value else ()


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store the readable value ("lived-experience"), as text with a CHECK.
    return Enum(
        cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        create_constraint=True,
        length=32,
        name=cls.__name__.lower(),
    )


class Base(DeclarativeBase):
    """Declarative base with the naming convention above."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Service(Base):
    """A service that is walked, again and again: its walkthroughs belong to it.

    Its sites are not stored here: each walkthrough keeps the site it walked,
    and a service's sites are those of its walkthroughs (one source for each
    fact; a service walked at two sites lists both).
    """

    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    organisation: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Walkthrough(Base):
    """One walk of one service, with the lens it was started with.

    ``service`` is the service's name as the walkthrough records it (its
    report prints it); ``service_id`` the service it belongs to, kept in step
    by the services (renaming a service renames it in its walkthroughs).
    ``service_id`` is empty only for a walkthrough that came from a laptop
    that did not know services yet.  ``follows_id`` is the walk this one
    follows up ("walk again"), if any.
    """

    __tablename__ = "walkthrough"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service: Mapped[str] = mapped_column(Text)
    site: Mapped[str] = mapped_column(Text)
    visit_date: Mapped[dt.date] = mapped_column(Date)
    lens_id: Mapped[str] = mapped_column(String(64))
    lens_version: Mapped[str] = mapped_column(String(64))
    lens_title: Mapped[str] = mapped_column(Text)
    #: The whole lens as JSON (:meth:`Lens.to_snapshot`), so editing or
    #: upgrading the lens file never changes this walkthrough's findings.
    lens_snapshot: Mapped[str] = mapped_column(Text, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Last, as revision 0004 added them to a stored table.
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"), index=True)
    follows_id: Mapped[str | None] = mapped_column(ForeignKey("walkthrough.id", ondelete="SET NULL"))

    facilitators: Mapped[list[Facilitator]] = relationship(
        back_populates="walkthrough", cascade="all, delete-orphan", order_by="Facilitator.position"
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="walkthrough", cascade="all, delete-orphan", order_by="Participant.position"
    )
    observations: Mapped[list[Observation]] = relationship(
        back_populates="walkthrough", cascade="all, delete-orphan", passive_deletes=True
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="walkthrough", cascade="all, delete-orphan", passive_deletes=True
    )


class Facilitator(Base):
    """A person who led the walkthrough."""

    __tablename__ = "facilitator"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    walkthrough_id: Mapped[str] = mapped_column(ForeignKey("walkthrough.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    walkthrough: Mapped[Walkthrough] = relationship(back_populates="facilitators")


class Participant(Base):
    """A member of the walkthrough team, with their role."""

    __tablename__ = "participant"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    walkthrough_id: Mapped[str] = mapped_column(ForeignKey("walkthrough.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[Role] = mapped_column(_enum(Role))
    position: Mapped[int] = mapped_column(Integer, default=0)

    walkthrough: Mapped[Walkthrough] = relationship(back_populates="participants")


action_observation = Table(
    "action_observation",
    Base.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("observation_id", ForeignKey("observation.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ObservationPrinciple(Base):
    """Link row: an observation looked at through a principle."""

    __tablename__ = "observation_principle"

    observation_id: Mapped[str] = mapped_column(ForeignKey("observation.id", ondelete="CASCADE"), primary_key=True)
    principle_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class ActionPrinciple(Base):
    """Link row: an action serves a principle."""

    __tablename__ = "action_principle"

    action_id: Mapped[str] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), primary_key=True)
    principle_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class Observation(Base):
    """Something noticed in an area: a rating, a note, principles, whose voice, photos.

    ``prompt_id`` is ``None`` for a free-standing observation (what the
    prompts did not foresee).  ``rating_id`` is ``None`` while it is not rated
    yet (written first, rated later: :mod:`walkthrough.domain.not_rated`).
    """

    __tablename__ = "observation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    walkthrough_id: Mapped[str] = mapped_column(ForeignKey("walkthrough.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[str] = mapped_column(String(64))
    prompt_id: Mapped[str | None] = mapped_column(String(64))
    rating_id: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    voice: Mapped[Voice] = mapped_column(_enum(Voice), default=Voice.FACILITATOR)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    walkthrough: Mapped[Walkthrough] = relationship(back_populates="observations")
    principle_links: Mapped[list[ObservationPrinciple]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ObservationPrinciple.principle_id"
    )
    photos: Mapped[list[Photo]] = relationship(
        back_populates="observation", cascade="all, delete-orphan", passive_deletes=True, order_by="Photo.position"
    )

    @property
    def principle_ids(self) -> list[str]:
        """The principles this observation is tagged with."""
        return [link.principle_id for link in self.principle_links]


class Photo(Base):
    """A photo attached to an observation, stored inside the database.

    ``jpeg`` is the stored picture: upright, 8-bit RGB, longest edge at most
    the configured maximum, with no metadata (no EXIF, GPS, XMP, IPTC).
    ``sha256`` is the hex digest of ``jpeg``, checked by ``walkthrough check``.
    The large columns are deferred: listing photos never loads the pixels.
    """

    __tablename__ = "photo"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    observation_id: Mapped[str] = mapped_column(ForeignKey("observation.id", ondelete="CASCADE"), index=True)
    caption: Mapped[str] = mapped_column(Text, default="")
    original_name: Mapped[str] = mapped_column(Text)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    jpeg: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: what someone who cannot see the photo needs to know; empty until written (the caption stands in).
    #: Last, where the upgrade that added it puts it.
    alt_text: Mapped[str] = mapped_column(Text, default="")
    #: the picture at the size a report prints it (:func:`walkthrough.domain.stored_photo.print_rendition`),
    #: made at intake, on blur and on receiving, so a report only embeds it; ``jpeg`` stays the source of truth.
    #: ``None`` where it could not be made (the stored JPEG is damaged): the report falls back to ``jpeg``.
    print_jpeg: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    observation: Mapped[Observation] = relationship(back_populates="photos")


class Action(Base):
    """An improvement plan action, optionally linked to the findings it answers."""

    __tablename__ = "action"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    walkthrough_id: Mapped[str] = mapped_column(ForeignKey("walkthrough.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    priority: Mapped[Priority] = mapped_column(_enum(Priority), default=Priority.MEDIUM)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus), default=ActionStatus.NOT_STARTED)
    component_id: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: the accountable lead (the owner does the work; the lead answers for it)
    lead: Mapped[str] = mapped_column(Text, default="", server_default="")
    on_track: Mapped[OnTrack | None] = mapped_column(_enum(OnTrack))
    #: "how we'll know": what will show the action worked
    success_measure: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the MAT standards (1-10) it serves
    mat_standards: Mapped[tuple[int, ...]] = mapped_column(NumberList, default=(), server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    walkthrough: Mapped[Walkthrough] = relationship(back_populates="actions")
    principle_links: Mapped[list[ActionPrinciple]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ActionPrinciple.principle_id"
    )
    observations: Mapped[list[Observation]] = relationship(secondary=action_observation)
    progress_updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(ProgressUpdate.date, ProgressUpdate.created_at)",
    )

    @property
    def principle_ids(self) -> list[str]:
        """The principles this action serves."""
        return [link.principle_id for link in self.principle_links]


class ProgressUpdate(Base):
    """A dated note on how an action is going, who wrote it, and the action's status and on-track then."""

    __tablename__ = "progress_update"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    action_id: Mapped[str] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    written_by: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus))
    on_track: Mapped[OnTrack | None] = mapped_column(_enum(OnTrack))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="progress_updates")


class Device(Base):
    """A computer (a database) that makes changes: this one, and later those whose changes came in.

    Each database has exactly one row with ``this_device`` set: its own id
    and the name the person gave it (by default the computer's name), with
    the last sequence number and clock it gave a change.  ``person`` is who
    uses it, shown beside the device in the history when set.
    """

    __tablename__ = "device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text, default="")
    person: Mapped[str] = mapped_column(Text, default="")
    this_device: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_clock: Mapped[str | None] = mapped_column(String(24))
    #: what that device last told us it had seen: JSON ``{device id: sequence number}``
    seen: Mapped[str | None] = mapped_column(Text)


class Change(Base):
    """One change of the history (:class:`walkthrough.domain.changes.Change` describes the columns).

    ``walkthrough_id`` is not a foreign key: a deleted walkthrough's
    tombstone stays.  ``operation`` is the ``seq`` of the first change of the
    operation this one belongs to (one person's action: an edit, an import).
    ``value`` is JSON, or NULL for a tombstone and for erased content;
    ``replaces`` the ids of the changes this one replaced, comma-separated.
    ``parent_id`` is what the thing belongs to (a photo's observation), kept in a
    tombstone too.
    """

    __tablename__ = "change"
    __table_args__ = (
        UniqueConstraint("device_id", "seq"),
        # A thing's changes, and one field's of it (what a new value replaces): migration 0007.
        Index("ix_change_lookup", "walkthrough_id", "entity_id", "field"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"))
    seq: Mapped[int] = mapped_column(Integer)
    operation: Mapped[int] = mapped_column(Integer)
    clock: Mapped[str] = mapped_column(String(24))
    walkthrough_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(36))
    parent_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(8))
    field: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(Text)
    replaces: Mapped[str | None] = mapped_column(Text)
