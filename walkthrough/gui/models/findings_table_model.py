"""The findings table: one row per observation of the open walkthrough.

Rows are kept in walking order (the lens's area order, then prompt order,
free-standing last) and follow the controller's signals one observation at a
time, so an edit repaints one row and a view keeps its selection and scroll
position.  Sorting and filtering are left to a proxy
(:class:`~walkthrough.gui.models.findings_filter_model.FindingsFilterModel`),
which reads the custom roles below.
"""

from __future__ import annotations

import enum
import html
import unicodedata
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.domain.lens import FindingKind, Lens, Rating
from walkthrough.domain.not_rated import NOT_RATED_COLOUR, NOT_RATED_KEY
from walkthrough.domain.vocabulary import Voice
from walkthrough.domain.records import ObservationRecord
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.wording import not_rated_meaning, rating_text, voice_label
from walkthrough.services.recorders import RecordingDevice

_Index = QModelIndex | QPersistentModelIndex

#: Voices in the order they are offered and sorted.
VOICE_ORDER: tuple[Voice, ...] = tuple(Voice)


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def chip_colours(rating: Rating | None) -> tuple[QColor, QColor]:
    """(background, text) colours of a rating chip (None: not rated yet); the text colour has the better contrast."""
    background = QColor(rating.colour if rating is not None else NOT_RATED_COLOUR)
    lum = _luminance(background)
    on_white = 1.05 / (lum + 0.05)
    on_black = (lum + 0.05) / 0.05
    text = QColor("#FFFFFF") if on_white >= on_black else QColor("#000000")
    return background, text


def search_key(text: str) -> str:
    """``text`` folded for searching: case- and accent-insensitive ("Café" -> "cafe")."""
    if text.isascii():
        # Nothing to decompose; casefold() of ASCII is lower().
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def first_line(text: str, limit: int = 140) -> str:
    """The first non-blank line of a note, cut at a word near ``limit`` characters, with " …" when more follows.

    Keeps table rows a few lines high on a projector; the whole note is in the tooltip.
    """
    lines = [line.strip() for line in text.strip().splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    line = lines[0]
    if len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        return line[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"
    return line + (" …" if len(lines) > 1 else "")


def rich_tooltip(text: str) -> str:
    """Plain text as a tooltip that wraps and never renders the user's text as markup."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


class FindingsTableModel(QAbstractTableModel):
    """The open walkthrough's observations as a table, editable in place.

    Columns are :class:`FindingsTableModel.Column`.  Rating, note and voice
    are editable; an edit goes through
    :meth:`OpenWalkthrough.edit_observation` (one undoable step), and the
    model changes when the controller says so (``changed``): only the rows of
    the observations it names, and only their changed columns, so undo and
    edits made on other pages show up here the same way.

    Custom roles (any column): ``ObservationIdRole``, ``AreaIdRole``,
    ``RatingIdRole``, ``PrincipleIdsRole`` (tuple, lens order),
    ``VoiceRole`` (the voice's value), ``FindingKindRole`` (the rating's
    finding kind value), ``RecorderRole`` (the id of the device it was
    recorded on, or None), ``SearchTextRole`` (area, prompt and note folded by
    :func:`search_key`).  ``SortRole`` gives a per-column key: area and prompt
    in walking order, rating in scale order, principles in lens order.

    The "Recorded by" column names the team member and laptop each
    observation was recorded on (from the change history); a view shows it
    only when more than one laptop recorded (:meth:`recorders`, the signal
    ``recorders_changed``).
    """

    #: the laptops that recorded the walkthrough's observations changed (more, fewer, renamed)
    recorders_changed = Signal()

    class Column(enum.IntEnum):
        """The table's columns."""

        AREA = 0
        PROMPT = 1
        RATING = 2
        PRINCIPLES = 3
        VOICE = 4
        NOTE = 5
        PHOTOS = 6
        RECORDED_BY = 7

    ObservationIdRole = int(Qt.ItemDataRole.UserRole) + 1
    AreaIdRole = ObservationIdRole + 1
    RatingIdRole = ObservationIdRole + 2
    PrincipleIdsRole = ObservationIdRole + 3
    VoiceRole = ObservationIdRole + 4
    SearchTextRole = ObservationIdRole + 5
    SortRole = ObservationIdRole + 6
    FindingKindRole = ObservationIdRole + 7
    RecorderRole = ObservationIdRole + 8

    _EDITABLE = frozenset({Column.RATING, Column.NOTE, Column.VOICE})

    def __init__(self, open_walkthrough: OpenWalkthrough, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._walkthrough = open_walkthrough
        self._read_only = open_walkthrough.read_only
        lens = open_walkthrough.lens
        self._area_rank = {a.id: i for i, a in enumerate(lens.areas)}
        self._prompt_rank = {p.id: i for a in lens.areas for i, p in enumerate(a.prompts)}
        self._rating_rank = {r.id: i for i, r in enumerate(lens.ratings)}
        self._principle_rank = {p.id: i for i, p in enumerate(lens.principles)}
        self._rows: list[ObservationRecord] = open_walkthrough.observations()
        self._row_of: dict[str, int] = {}
        # Folded search text per observation id: folding is slow, filtering asks for it per row per keystroke.
        self._search_texts: dict[str, str] = {}
        self._recorded_by: dict[str, RecordingDevice] = open_walkthrough.recorded_by()
        self._last_recorders = self.recorders()
        self._reindex()
        open_walkthrough.changed.connect(self._on_changed)

    # -- reading ---------------------------------------------------------------------

    @property
    def lens(self) -> Lens:
        """The walkthrough's lens."""
        return self._walkthrough.lens

    @property
    def open_walkthrough(self) -> OpenWalkthrough:
        """The controller this model shows."""
        return self._walkthrough

    def observation_at(self, row: int) -> ObservationRecord | None:
        """The observation shown in ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, observation_id: str) -> int:
        """The row showing an observation, or -1."""
        return self._row_of.get(observation_id, -1)

    def recorded_by(self, o: ObservationRecord) -> RecordingDevice | None:
        """The laptop an observation was recorded on, or None when the history does not say."""
        return self._recorded_by.get(o.id)

    def recorders(self) -> list[RecordingDevice]:
        """The laptops that recorded the observations shown, by person then laptop name."""
        shown = {d.id: d for o in self._rows if (d := self._recorded_by.get(o.id)) is not None}
        return sorted(shown.values(), key=lambda d: (d.person.casefold(), d.name.casefold(), d.id))

    def recorder_text(self, device: RecordingDevice | None) -> str:
        """How a recorder is named in the table and the filter: the person and their laptop."""
        if device is None:
            return ""
        if not device.person:
            return device.name
        return self.tr("%1 (%2)", "recorded by: the person, then their laptop's name").replace(
            "%1", device.person).replace("%2", device.name)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._column_titles()[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._column_tips()[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        # Read-only: every change would be refused, so no cell offers an editor.
        if index.column() in self._EDITABLE and not self._read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        o = self._rows[index.row()]
        column = index.column()
        if role == self.SortRole:
            return self._sort_key(o, column, index.row())
        if role == self.ObservationIdRole:
            return o.id
        if role == self.RatingIdRole:
            return o.rating_id
        rating = self.lens.rating(o.rating_id) if o.rating_id is not None else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(o, column, rating)
        if role == Qt.ItemDataRole.EditRole:
            return {
                self.Column.RATING: o.rating_id if o.rating_id is not None else NOT_RATED_KEY,
                self.Column.NOTE: o.note,
                self.Column.VOICE: Voice(o.voice).value,
            }.get(self.Column(column), self._display(o, column, rating))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(o, column, rating)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(o, column, rating)
            return f"{self._column_titles()[column]}: {text}"
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if column == self.Column.RATING and (rating is not None or o.rating_id is None):
                background, text = chip_colours(rating)
                return background if role == Qt.ItemDataRole.BackgroundRole else text
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == self.Column.PHOTOS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ObservationIdRole:
            return o.id
        if role == self.AreaIdRole:
            return o.area_id
        if role == self.RatingIdRole:
            return o.rating_id
        if role == self.PrincipleIdsRole:
            return self._principles_in_lens_order(o)
        if role == self.VoiceRole:
            return Voice(o.voice).value
        if role == self.FindingKindRole:
            return (rating.finding if rating is not None else FindingKind.NONE).value
        if role == self.RecorderRole:
            device = self._recorded_by.get(o.id)
            return device.id if device is not None else None
        if role == self.SearchTextRole:
            return self._search_text(o)
        if role == self.SortRole:
            return self._sort_key(o, column, index.row())
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        for role, name in (
            (self.ObservationIdRole, b"observationId"),
            (self.AreaIdRole, b"areaId"),
            (self.RatingIdRole, b"ratingId"),
            (self.PrincipleIdsRole, b"principleIds"),
            (self.VoiceRole, b"voice"),
            (self.SearchTextRole, b"searchText"),
            (self.SortRole, b"sortKey"),
            (self.FindingKindRole, b"findingKind"),
            (self.RecorderRole, b"recorder"),
        ):
            names[role] = QByteArray(name)
        return names

    # -- editing -----------------------------------------------------------------------

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Change rating, note or voice through the controller (one undoable step)."""
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in self._EDITABLE
                or self._read_only):
            return False
        o = self.observation_at(index.row())
        if o is None:
            return False
        column = index.column()
        if column == self.Column.RATING:
            rating_id: str | None = str(value)
            if rating_id == NOT_RATED_KEY:
                rating_id = None  # set back to not rated yet
            elif self.lens.rating(str(rating_id)) is None:
                return False
            self._walkthrough.edit_observation(o.id, rating_id=rating_id)
            after = self._walkthrough.observation(o.id)
            return after is not None and after.rating_id == rating_id
        if column == self.Column.NOTE:
            note = "" if value is None else str(value)
            self._walkthrough.edit_observation(o.id, note=note)
            after = self._walkthrough.observation(o.id)
            # The service tidies the note (trailing spaces); any change counts as done.
            return after is not None and (after.note != o.note or note == o.note)
        try:
            voice = Voice(value)
        except ValueError:
            return False
        self._walkthrough.edit_observation(o.id, voice=voice)
        after = self._walkthrough.observation(o.id)
        return after is not None and Voice(after.voice) == voice

    # -- following the controller ---------------------------------------------------

    def _on_changed(self, changes: OpChanges) -> None:
        ids = changes.ids(Entity.OBSERVATION)
        if any(i not in self._row_of for i in ids):
            self._refresh_recorders()  # something new (recorded here, or brought in): one query
        for observation_id in sorted(ids):
            self._on_observation_changed(observation_id)
        if ids:
            self._emit_if_recorders_changed()

    def _refresh_recorders(self) -> None:
        self._recorded_by = self._walkthrough.recorded_by()

    def _emit_if_recorders_changed(self) -> None:
        now = self.recorders()
        if now != self._last_recorders:
            self._last_recorders = now
            self.recorders_changed.emit()

    def _on_observation_changed(self, observation_id: str) -> None:
        self._search_texts.pop(observation_id, None)
        record = self._walkthrough.observation(observation_id)
        row = self._row_of.get(observation_id, -1)
        if record is None:
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self._reindex()
                self.endRemoveRows()
            return
        if row < 0:
            row = self._insertion_row(record)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, record)
            self._reindex()
            self.endInsertRows()
            return
        before = self._rows[row]
        if self._walking_key(before) != self._walking_key(record):
            # Cannot happen through the controller's edits (they never move an
            # observation); kept correct anyway by moving the row.
            self._resync()
            return
        self._rows[row] = record
        changed = self._changed_columns(before, record)
        if changed:
            self.dataChanged.emit(self.index(row, min(changed)), self.index(row, max(changed)))

    def _resync(self) -> None:
        self.beginResetModel()
        self._search_texts.clear()
        self._rows = self._walkthrough.observations()
        self._refresh_recorders()
        self._reindex()
        self.endResetModel()
        self._emit_if_recorders_changed()

    def _reindex(self) -> None:
        self._row_of = {o.id: i for i, o in enumerate(self._rows)}

    def _walking_key(self, o: ObservationRecord) -> tuple[Any, ...]:
        big = 1 << 30
        return (
            self._area_rank.get(o.area_id, big),
            self._prompt_rank.get(o.prompt_id, big) if o.prompt_id else big,
            o.position,
            o.created_at,
        )

    def _insertion_row(self, record: ObservationRecord) -> int:
        key = self._walking_key(record)
        for row, o in enumerate(self._rows):
            if key < self._walking_key(o):
                return row
        return len(self._rows)

    def _changed_columns(self, a: ObservationRecord, b: ObservationRecord) -> list[int]:
        c = self.Column
        changed: list[int] = []
        if a.area_id != b.area_id:
            changed.append(c.AREA)
        if a.prompt_id != b.prompt_id:
            changed.append(c.PROMPT)
        if a.rating_id != b.rating_id:
            changed.append(c.RATING)
        if a.principle_ids != b.principle_ids:
            changed.append(c.PRINCIPLES)
        if a.voice != b.voice:
            changed.append(c.VOICE)
        if a.note != b.note:
            changed.append(c.NOTE)
        if a.photos != b.photos:
            changed.append(c.PHOTOS)
        return changed

    # -- cell contents ---------------------------------------------------------------

    def _column_titles(self) -> list[str]:
        return [
            self.tr("Area"),
            self.tr("Prompt"),
            self.tr("Rating"),
            self.tr("Principles"),
            self.tr("Voice"),
            self.tr("Note"),
            self.tr("Photos"),
            self.tr("Recorded by"),
        ]

    def _column_tips(self) -> list[str]:
        return [
            self.tr("Where on the walk; sorts in walking order"),
            self.tr("The question asked, or Other observation (one the prompts did not foresee)"),
            self.tr("The rating; sorts in the order of the scale"),
            self.tr("Trauma-informed principles the observation looks at"),
            self.tr("Whose view the observation records"),
            self.tr("The note's first line; hover to read it all"),
            self.tr("Number of photos"),
            self.tr("The team member whose laptop recorded the observation"),
        ]

    def _prompt_text(self, o: ObservationRecord) -> str:
        prompt = self.lens.prompt(o.prompt_id) if o.prompt_id else None
        if prompt is None:
            return self.tr("Other observation")
        return prompt.question

    def _area_title(self, o: ObservationRecord) -> str:
        area = self.lens.area(o.area_id)
        return area.title if area is not None else o.area_id

    def _principles_in_lens_order(self, o: ObservationRecord) -> tuple[str, ...]:
        big = len(self._principle_rank)
        return tuple(sorted(o.principle_ids, key=lambda p: (self._principle_rank.get(p, big), p)))

    def _principle_names(self, o: ObservationRecord) -> str:
        names = []
        for pid in self._principles_in_lens_order(o):
            principle = self.lens.principle(pid)
            names.append(principle.name if principle is not None else pid)
        return ", ".join(names)

    def _display(self, o: ObservationRecord, column: int, rating: Rating | None) -> Any:
        c = self.Column
        if column == c.AREA:
            return self._area_title(o)
        if column == c.PROMPT:
            return self._prompt_text(o)
        if column == c.RATING:
            return rating_text(rating) if rating is not None or o.rating_id is None else o.rating_id
        if column == c.PRINCIPLES:
            return self._principle_names(o)
        if column == c.VOICE:
            return voice_label(o.voice)
        if column == c.NOTE:
            return first_line(o.note)
        if column == c.PHOTOS:
            return len(o.photos)
        if column == c.RECORDED_BY:
            return self.recorder_text(self._recorded_by.get(o.id))
        return None

    def _tooltip(self, o: ObservationRecord, column: int, rating: Rating | None) -> str | None:
        c = self.Column
        if column == c.NOTE:
            return rich_tooltip(o.note) if o.note.strip() else self.tr("No note")
        if column == c.RATING and rating is not None:
            return rich_tooltip(f"{rating_text(rating)}: {rating.meaning}")
        if column == c.RATING and o.rating_id is None:
            return rich_tooltip(f"{rating_text(None)}: {not_rated_meaning()}")
        if column == c.PROMPT:
            prompt = self.lens.prompt(o.prompt_id) if o.prompt_id else None
            if prompt is None:
                return self.tr("Recorded without a prompt")
            return rich_tooltip(prompt.question + (f"\n\n{prompt.guidance}" if prompt.guidance else ""))
        if column == c.AREA:
            area = self.lens.area(o.area_id)
            if area is not None and area.description:
                return rich_tooltip(f"{area.title}: {area.description}")
            return None
        if column == c.PRINCIPLES:
            lines = []
            for pid in self._principles_in_lens_order(o):
                principle = self.lens.principle(pid)
                if principle is not None:
                    lines.append(f"{principle.name}: {principle.meaning}")
            return rich_tooltip("\n".join(lines)) if lines else self.tr("No principles tagged")
        if column == c.PHOTOS:
            return self.tr("%n photo(s)", "", len(o.photos))
        return None

    def search_text(self, o: ObservationRecord) -> str:
        """An observation's area, prompt and note folded by :func:`search_key` (``SearchTextRole``)."""
        return self._search_text(o)

    def finding_kind(self, o: ObservationRecord) -> str:
        """The finding kind value of an observation's rating (``FindingKindRole``)."""
        rating = self.lens.rating(o.rating_id) if o.rating_id is not None else None
        return (rating.finding if rating is not None else FindingKind.NONE).value

    def sort_key(self, row: int, column: int) -> Any:
        """What ``SortRole`` gives for a cell, without going through an index."""
        o = self.observation_at(row)
        return None if o is None else self._sort_key(o, column, row)

    def _search_text(self, o: ObservationRecord) -> str:
        text = self._search_texts.get(o.id)
        if text is None:
            prompt = self.lens.prompt(o.prompt_id) if o.prompt_id else None
            parts = [self._area_title(o), prompt.question if prompt is not None else "", o.note]
            text = self._search_texts[o.id] = search_key("\n".join(parts))
        return text

    def _sort_key(self, o: ObservationRecord, column: int, row: int) -> Any:
        c = self.Column
        big = 1 << 30
        if column == c.AREA:
            # Rows are kept in walking order, so the row is the walking rank.
            return row
        if column == c.PROMPT:
            return self._prompt_rank.get(o.prompt_id, big) if o.prompt_id else big
        if column == c.RATING:
            return self._rating_rank.get(o.rating_id, big)
        if column == c.PRINCIPLES:
            # Lens order, lexicographic: "Safety" < "Safety, Trust" < "Trust"; none last.
            ranks = [self._principle_rank.get(p, len(self._principle_rank)) for p in self._principles_in_lens_order(o)]
            return "".join(chr(0x41 + r) for r in ranks) or "\uffff"
        if column == c.VOICE:
            try:
                return VOICE_ORDER.index(Voice(o.voice))
            except ValueError:
                return big
        if column == c.NOTE:
            return search_key(o.note.strip())
        if column == c.PHOTOS:
            return len(o.photos)
        if column == c.RECORDED_BY:
            return search_key(self.recorder_text(self._recorded_by.get(o.id))) or "\uffff"
        return row
