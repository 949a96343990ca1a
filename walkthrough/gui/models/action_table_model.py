"""The improvement plan as a Qt item model: a tree grouped by core component, or a flat table.

:class:`ActionTableModel` shows the actions of an
:class:`~walkthrough.gui.open_walkthrough.OpenWalkthrough` and writes in-place
edits back through it, so every edit is one undoable step.  When the plan
changes it works out which rows were added, removed or changed and tells the
views exactly that (rather than resetting), so a view keeps its expanded
groups, selection and open editor across an edit or an undo.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QLocale, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QStyle

from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.domain.vocabulary import ActionStatus, OnTrack, Priority
from walkthrough.domain.improvement_plan import QUICK_WIN_DAYS, PlanWalk, is_overdue, is_quick_win  # noqa: F401 - re-exported
from walkthrough.domain.records import ActionRecord
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.wording import not_rated_label

_Index = QModelIndex | QPersistentModelIndex


class ActionColumn(enum.IntEnum):
    """The model's columns, in display order."""

    TEXT = 0
    COMPONENT = 1
    PRINCIPLES = 2
    OWNER = 3
    DUE = 4
    PRIORITY = 5
    STATUS = 6
    ON_TRACK = 7
    FINDINGS = 8
    #: the walk of the service the action was made in (the plan lives across the service's walks)
    WALK = 9


_EDITABLE = {
    ActionColumn.TEXT,
    ActionColumn.COMPONENT,
    ActionColumn.OWNER,
    ActionColumn.DUE,
    ActionColumn.PRIORITY,
    ActionColumn.STATUS,
    ActionColumn.ON_TRACK,
}
_PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
_STATUS_ORDER = {ActionStatus.NOT_STARTED: 0, ActionStatus.IN_PROGRESS: 1, ActionStatus.DONE: 2}
_ON_TRACK_ORDER = {OnTrack.ON_TRACK: 0, OnTrack.AT_RISK: 1, OnTrack.OFF_TRACK: 2}


class ActionTableModel(QAbstractItemModel):
    """The improvement plan: actions grouped under core components, or flat.

    Grouped (the default), the top-level rows are the lens's core components
    in lens order, each with its number of actions, then "No component" when
    any action has none; their children are the actions in plan order.  Flat,
    every row is an action in plan order.

    Editable in place (each edit is one undoable
    :meth:`OpenWalkthrough.edit_action`): the action's text, component, owner,
    due date (a :class:`QDate`; an invalid QDate or ``None`` clears it),
    priority, status and on-track (``""``: not said).  For the choice columns :attr:`ChoicesRole` lists the
    ``(value, label)`` pairs an editor offers; ``EditRole`` holds the value.

    The plan is the service's: actions of earlier (or later) walks of the
    service are rows like this walk's, edited the same way; the Walk column
    says which walk each came from (``OtherWalkRole``).

    Custom roles:
        ActionIdRole: the action's id (``None`` on a group row).
        ActionRole: the :class:`ActionRecord` snapshot (``None`` on a group row).
        ComponentIdRole: the component id of a group or action (``None`` = no component).
        IsGroupRole: True on a component group row.
        QuickWinRole: True for a quick win (see :func:`is_quick_win`).
        OverdueRole: True when the action is past its due date and not done.
        SortRole: a value that sorts the column sensibly (``None`` = no value,
            which a proxy should keep last).
        ChoicesRole: ``[(value, label), …]`` for the component, priority, status and on-track columns.
        OtherWalkRole: the :class:`PlanWalk` an action was made in when it is another walk of the
            service (``None``: this walk, or a group row).
    """

    ActionIdRole = Qt.ItemDataRole.UserRole + 1
    ActionRole = Qt.ItemDataRole.UserRole + 2
    ComponentIdRole = Qt.ItemDataRole.UserRole + 3
    IsGroupRole = Qt.ItemDataRole.UserRole + 4
    QuickWinRole = Qt.ItemDataRole.UserRole + 5
    OverdueRole = Qt.ItemDataRole.UserRole + 6
    SortRole = Qt.ItemDataRole.UserRole + 7
    ChoicesRole = Qt.ItemDataRole.UserRole + 8
    OtherWalkRole = Qt.ItemDataRole.UserRole + 9

    def __init__(
        self,
        open_walkthrough: OpenWalkthrough,
        parent: QObject | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._ow = open_walkthrough
        self._read_only = open_walkthrough.read_only
        self._today = today
        self._components = open_walkthrough.lens.components
        self._component_order = {c.id: i for i, c in enumerate(self._components)}
        self._grouped = True
        self._records: dict[str, ActionRecord] = {}
        # Grouped: one id list per group key (lens components in order, then
        # "No component"); a group's top-level row number equals its key,
        # because only the last group ("No component") is ever hidden.
        # Flat: a single list.
        self._lists: list[list[str]] = []
        self._no_component_shown = False
        self._load(open_walkthrough.actions())
        open_walkthrough.changed.connect(self._on_changed)

    # -- public -----------------------------------------------------------------------

    @property
    def grouped(self) -> bool:
        """Whether actions are grouped under their core components."""
        return self._grouped

    def set_grouped(self, grouped: bool) -> None:
        """Show a tree grouped by component (True) or a flat list (False)."""
        if grouped == self._grouped:
            return
        self.beginResetModel()
        self._grouped = grouped
        self._load(self._ow.actions())
        self.endResetModel()

    def today(self) -> dt.date:
        """The date overdue and quick-win are judged against."""
        return self._today()

    def index_of_action(self, action_id: str) -> QModelIndex:
        """The column-0 index of an action, or an invalid index."""
        for key, ids in enumerate(self._lists):
            if action_id in ids:
                return self.createIndex(ids.index(action_id), 0, key + 1 if self._grouped else 0)
        return QModelIndex()

    def index_of_group(self, component_id: str | None) -> QModelIndex:
        """The column-0 index of a component's group row (``None``: "No component"), or an invalid index.

        Always invalid when not grouped.
        """
        key = self._component_order.get(component_id) if component_id else None
        return self.index_of_group_key(len(self._components) if key is None else key)

    def index_of_group_key(self, key: int) -> QModelIndex:
        """The group row (grouped mode) for a group key (its lens position; the last key is "No component")."""
        if not self._grouped or (key == len(self._components) and not self._no_component_shown):
            return QModelIndex()
        return self.createIndex(key, 0, 0)

    # -- structure ---------------------------------------------------------------------

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return len(ActionColumn)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.column() > 0:
            return 0
        if not self._grouped:
            return 0 if parent.isValid() else len(self._lists[0])
        if not parent.isValid():
            return len(self._components) + (1 if self._no_component_shown else 0)
        if parent.internalId() == 0:
            return len(self._lists[parent.row()])
        return 0

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent(), which this override hides
            return super().parent()
        if not index.isValid() or not self._grouped or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._record(index) is None:
            # A component heading: nothing to select or do there, so the keyboard passes over it.
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # Read-only: every change would be refused, so no cell offers an editor.
        if index.column() in _EDITABLE and not self._read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            ActionColumn.TEXT: self.tr("Action"),
            ActionColumn.COMPONENT: self.tr("Component"),
            ActionColumn.PRINCIPLES: self.tr("Principles"),
            ActionColumn.OWNER: self.tr("Owner"),
            ActionColumn.DUE: self.tr("Due"),
            ActionColumn.PRIORITY: self.tr("Priority"),
            ActionColumn.STATUS: self.tr("Status"),
            ActionColumn.ON_TRACK: self.tr("On track"),
            ActionColumn.FINDINGS: self.tr("Findings"),
            ActionColumn.WALK: self.tr("Walk"),
        }.get(ActionColumn(section)) if 0 <= section < len(ActionColumn) else None

    # -- data ------------------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._record(index)
        if record is None:
            return self._group_data(index, role)
        return self._action_data(record, ActionColumn(index.column()), role)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        record = self._record(index)
        column = ActionColumn(index.column())
        if record is None or column not in _EDITABLE or self._read_only:
            return False
        try:
            field, converted = self._field_value(column, value)
        except ValueError:
            return False
        self._ow.edit_action(record.id, **{field: converted})
        return True

    def action_labels(self) -> dict[str, str]:
        """Words for each priority and status value, e.g. ``{"high": "High", …}``."""
        return {**dict(self._priority_choices()), **dict(self._status_choices()),
                **{k: v for k, v in self._on_track_choices() if k}}

    def quick_win_definition(self) -> str:
        """What a quick win (★) is, in one sentence: the star's tooltip and the plan's legend say this."""
        return self.tr("Quick win: it has an owner, is neither done nor overdue, and is in progress or due "
                       "within %n day(s).", "", QUICK_WIN_DAYS)

    def component_name(self, component_id: str | None) -> str:
        """The component's name, or "No component"."""
        component = self._ow.lens.component(component_id) if component_id else None
        return component.name if component is not None else self.tr("No component")

    # -- internals: data ---------------------------------------------------------------------

    def _group_key(self, index: _Index) -> int:
        return index.row() if index.internalId() == 0 else index.internalId() - 1

    def _record(self, index: _Index) -> ActionRecord | None:
        if self._grouped and index.internalId() == 0:
            return None
        ids = self._lists[index.internalId() - 1 if self._grouped else 0]
        return self._records.get(ids[index.row()]) if index.row() < len(ids) else None

    def _group_data(self, index: _Index, role: int) -> Any:
        key = index.row()
        component_id = self._components[key].id if key < len(self._components) else None
        count = len(self._lists[key])
        if role == self.IsGroupRole:
            return True
        if role == self.ComponentIdRole:
            return component_id
        if role == self.SortRole:
            return key
        if role in (self.ActionIdRole, self.ActionRole, self.OtherWalkRole):
            return None
        if role in (self.QuickWinRole, self.OverdueRole):
            return False
        if index.column() != ActionColumn.TEXT:
            return None
        name = self.component_name(component_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("%1 (%2)").replace("%1", name).replace("%2", str(count))
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self._count_words(count).replace("%1", name)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        return None

    def _count_words(self, count: int) -> str:
        if count == 0:
            return self.tr("%1: no actions")
        return self.tr("%1: %n action(s)", "", count)

    def _action_data(self, a: ActionRecord, column: ActionColumn, role: int) -> Any:
        today = self._today()
        if role == self.ActionIdRole:
            return a.id
        if role == self.ActionRole:
            return a
        if role == self.OtherWalkRole:
            return self._ow.other_walk_of(a)
        if role == self.ComponentIdRole:
            return a.component_id
        if role == self.IsGroupRole:
            return False
        if role == self.QuickWinRole:
            return is_quick_win(a, today)
        if role == self.OverdueRole:
            return is_overdue(a, today)
        if role == self.SortRole:
            return self._sort_value(a, column)
        if role == self.ChoicesRole:
            return self._choices(column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(a, column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(a, column, today, accessible=role == Qt.ItemDataRole.AccessibleTextRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(a, column, today)
        if column == ActionColumn.DUE and is_overdue(a, today):
            if role == Qt.ItemDataRole.DecorationRole:
                style = QApplication.style()
                return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) if style else None
            if role == Qt.ItemDataRole.FontRole:
                font = QFont(QApplication.font())
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ActionColumn.FINDINGS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, a: ActionRecord, column: ActionColumn, today: dt.date, *, accessible: bool) -> str:
        if column == ActionColumn.TEXT:
            text = " ".join(a.text.split())
            if is_quick_win(a, today):
                # A star, explained by the plan's legend and the tooltip; screen readers get the words.
                return self.tr("%1 (quick win)").replace("%1", text) if accessible else "★ " + text
            return text
        if column == ActionColumn.COMPONENT:
            return self.component_name(a.component_id) if a.component_id or accessible else ""
        if column == ActionColumn.PRINCIPLES:
            return ", ".join(self._principle_names(a.principle_ids))
        if column == ActionColumn.OWNER:
            return a.owner or (self.tr("No owner") if accessible else "")
        if column == ActionColumn.DUE:
            if a.due_date is None:
                return self.tr("No due date") if accessible else ""
            when = _format_date(a.due_date)
            return self.tr("%1 (overdue)").replace("%1", when) if is_overdue(a, today) else when
        if column == ActionColumn.PRIORITY:
            return dict(self._priority_choices())[Priority(a.priority).value]
        if column == ActionColumn.STATUS:
            return dict(self._status_choices())[ActionStatus(a.status).value]
        if column == ActionColumn.ON_TRACK:
            if a.on_track is None:
                return self.tr("On track: not said") if accessible else ""
            return dict(self._on_track_choices())[OnTrack(a.on_track).value]
        if column == ActionColumn.FINDINGS:
            n = len(a.observation_ids)
            if not accessible:
                return str(n)
            return self.tr("%n linked finding(s)", "", n)
        if column == ActionColumn.WALK:
            walk = self._ow.other_walk_of(a)
            if walk is None:
                return self.tr("This walk")
            when = _format_date(walk.visit_date)
            return self.tr("From the walk of %1").replace("%1", when) if accessible else when
        return ""

    def _tooltip(self, a: ActionRecord, column: ActionColumn, today: dt.date) -> str | None:
        walk = self._ow.other_walk_of(a)
        if column == ActionColumn.TEXT:
            tip = a.text
            if walk is not None:
                tip += "\n\n" + self._from_walk(walk)
            if is_quick_win(a, today):
                tip += "\n\n" + self.quick_win_definition()
            return tip
        if column == ActionColumn.WALK and walk is not None:
            return self._from_walk(walk)
        if column == ActionColumn.FINDINGS and walk is not None:
            # That walk's findings are not open here: they are counted, not described.
            return self.tr("%n finding(s) of the walk of %1", "", len(a.observation_ids)).replace(
                "%1", _format_date(walk.visit_date))
        if column == ActionColumn.DUE and is_overdue(a, today):
            return self.tr("Overdue: it was due on %1 and is not done.").replace("%1", _format_date(a.due_date))
        if column == ActionColumn.FINDINGS:
            lines = [self._describe_observation(oid) for oid in a.observation_ids]
            return "\n".join(line for line in lines if line) or self.tr("No linked findings")
        if column == ActionColumn.PRINCIPLES and not a.principle_ids:
            return self.tr("No principles chosen")
        return None

    def _from_walk(self, walk: PlanWalk) -> str:
        return self.tr("From the walk of %1 at %2").replace("%1", _format_date(walk.visit_date)).replace(
            "%2", walk.site)

    def _describe_observation(self, observation_id: str) -> str:
        o = self._ow.observation(observation_id)
        if o is None:
            return ""
        lens = self._ow.lens
        area = lens.area(o.area_id)
        prompt = lens.prompt(o.prompt_id) if o.prompt_id else None
        rating = lens.rating(o.rating_id) if o.rating_id is not None else None
        parts = [area.title if area else o.area_id]
        if prompt is not None:
            parts.append(prompt.question)
        if rating is not None:
            parts.append(rating.label)
        elif o.rating_id is None:
            parts.append(not_rated_label())
        return " — ".join(parts)

    def _principle_names(self, principle_ids: Sequence[str]) -> list[str]:
        chosen = set(principle_ids)
        return [p.name for p in self._ow.lens.principles if p.id in chosen]

    def _edit_value(self, a: ActionRecord, column: ActionColumn) -> Any:
        if column == ActionColumn.TEXT:
            return a.text
        if column == ActionColumn.COMPONENT:
            return a.component_id or ""
        if column == ActionColumn.OWNER:
            return a.owner
        if column == ActionColumn.DUE:
            return QDate(a.due_date.year, a.due_date.month, a.due_date.day) if a.due_date else QDate()
        if column == ActionColumn.PRIORITY:
            return Priority(a.priority).value
        if column == ActionColumn.STATUS:
            return ActionStatus(a.status).value
        if column == ActionColumn.ON_TRACK:
            return OnTrack(a.on_track).value if a.on_track else ""
        if column == ActionColumn.FINDINGS:
            return len(a.observation_ids)
        if column == ActionColumn.WALK:
            return self._display(a, column, self._today(), accessible=False)
        return ", ".join(self._principle_names(a.principle_ids))

    def _sort_value(self, a: ActionRecord, column: ActionColumn) -> Any:
        if column == ActionColumn.TEXT:
            return a.text.casefold()
        if column == ActionColumn.COMPONENT:
            return self._component_order.get(a.component_id) if a.component_id else None
        if column == ActionColumn.PRINCIPLES:
            names = self._principle_names(a.principle_ids)
            return ", ".join(names).casefold() if names else None
        if column == ActionColumn.OWNER:
            return a.owner.casefold() or None
        if column == ActionColumn.DUE:
            return a.due_date.toordinal() if a.due_date else None
        if column == ActionColumn.PRIORITY:
            return _PRIORITY_ORDER[Priority(a.priority)]
        if column == ActionColumn.STATUS:
            return _STATUS_ORDER[ActionStatus(a.status)]
        if column == ActionColumn.ON_TRACK:
            return _ON_TRACK_ORDER[OnTrack(a.on_track)] if a.on_track else None
        if column == ActionColumn.WALK:
            walk = self._ow.other_walk_of(a)
            return walk.visit_date.toordinal() if walk is not None else self._ow.record.visit_date.toordinal()
        return len(a.observation_ids)

    def _choices(self, column: ActionColumn) -> list[tuple[str, str]] | None:
        if column == ActionColumn.PRIORITY:
            return self._priority_choices()
        if column == ActionColumn.STATUS:
            return self._status_choices()
        if column == ActionColumn.ON_TRACK:
            return self._on_track_choices()
        if column == ActionColumn.COMPONENT:
            return [("", self.tr("No component"))] + [(c.id, c.name) for c in self._components]
        return None

    def _priority_choices(self) -> list[tuple[str, str]]:
        return [
            (Priority.HIGH.value, self.tr("High")),
            (Priority.MEDIUM.value, self.tr("Medium")),
            (Priority.LOW.value, self.tr("Low")),
        ]

    def _status_choices(self) -> list[tuple[str, str]]:
        return [
            (ActionStatus.NOT_STARTED.value, self.tr("Not started")),
            (ActionStatus.IN_PROGRESS.value, self.tr("In progress")),
            (ActionStatus.DONE.value, self.tr("Done")),
        ]

    def _on_track_choices(self) -> list[tuple[str, str]]:
        return [
            ("", self.tr("Not said")),
            (OnTrack.ON_TRACK.value, self.tr("On track")),
            (OnTrack.AT_RISK.value, self.tr("At risk")),
            (OnTrack.OFF_TRACK.value, self.tr("Off track")),
        ]

    def _field_value(self, column: ActionColumn, value: Any) -> tuple[str, Any]:
        """The ``edit_action`` field and value for an edit; ValueError if unusable."""
        if column == ActionColumn.TEXT:
            text = str(value or "").strip()
            if not text:
                raise ValueError("empty text")
            return "text", text
        if column == ActionColumn.OWNER:
            return "owner", str(value or "").strip()
        if column == ActionColumn.DUE:
            if value is None or (isinstance(value, QDate) and not value.isValid()):
                return "due_date", None
            if isinstance(value, QDate):
                return "due_date", value.toPython()
            if isinstance(value, dt.date):
                return "due_date", value
            raise ValueError("not a date")
        if column == ActionColumn.PRIORITY:
            return "priority", Priority(value)
        if column == ActionColumn.STATUS:
            return "status", ActionStatus(value)
        if column == ActionColumn.ON_TRACK:
            return "on_track", OnTrack(value) if value else None
        if column == ActionColumn.COMPONENT:
            if value and value not in self._component_order:
                raise ValueError("unknown component")
            return "component_id", value or None
        raise ValueError("not editable")

    # -- internals: keeping in step with the plan -------------------------------------------

    def _layout(self, actions: Sequence[ActionRecord]) -> list[list[str]]:
        if not self._grouped:
            return [[a.id for a in actions]]
        no_component = len(self._components)  # also where an id the lens lacks ends up
        lists: list[list[str]] = [[] for _ in range(no_component + 1)]
        for a in actions:
            lists[self._component_order.get(a.component_id or "", no_component)].append(a.id)
        return lists

    def _load(self, actions: Sequence[ActionRecord]) -> None:
        self._records = {a.id: a for a in actions}
        self._lists = self._layout(actions)
        self._no_component_shown = self._grouped and bool(self._lists[-1])

    def _on_changed(self, changes: OpChanges) -> None:
        """Show what ``changes`` did to the plan: only the rows of the actions it names change."""
        touched = changes.ids(Entity.ACTION)
        if not touched:
            return
        made_or_gone = any(entity is Entity.ACTION for entity, _ in changes.created | changes.deleted)
        moved = self._grouped and any("component_id" in changes.fields(Entity.ACTION, a) for a in touched)
        if made_or_gone or moved or not touched <= self._records.keys():
            self._follow_the_plan()  # rows come, go or change group
            return
        last = len(ActionColumn) - 1
        for action_id in sorted(touched):
            record = self._ow.action(action_id)
            if record is None:  # cannot happen: a deleted action is in changes.deleted
                self._follow_the_plan()
                return
            if record != self._records[action_id]:
                self._records[action_id] = record
                first = self.index_of_action(action_id)
                self.dataChanged.emit(first, first.siblingAtColumn(last))

    def _follow_the_plan(self) -> None:
        """Match the rows to the whole plan: removes and inserts where the order allows, else a reset."""
        actions = self._ow.actions()
        new_records = {a.id: a for a in actions}
        new_lists = self._layout(actions)
        if not self._can_patch(new_lists):
            self.beginResetModel()
            self._load(actions)
            self.endResetModel()
            return
        old_records = self._records
        # Rows being removed may still be looked at while they go.
        self._records = {**old_records, **new_records}
        old_counts = [len(ids) for ids in self._lists]
        for key, new_ids in enumerate(new_lists):
            if self._grouped and key == len(self._components):
                self._patch_no_component_group(new_ids)
            else:
                parent = self.createIndex(key, 0, 0) if self._grouped else QModelIndex()
                self._patch_list(parent, self._lists[key], new_ids)
        self._records = new_records
        last = len(ActionColumn) - 1
        for action_id, record in new_records.items():
            if action_id in old_records and old_records[action_id] != record:
                first = self.index_of_action(action_id)
                self.dataChanged.emit(first, first.siblingAtColumn(last))
        if self._grouped:
            for key, ids in enumerate(self._lists):
                group = self.index_of_group_key(key)
                if len(ids) != old_counts[key] and group.isValid():
                    self.dataChanged.emit(group, group)

    def _can_patch(self, new_lists: list[list[str]]) -> bool:
        """True when each list's surviving ids keep their order (so removes then inserts will do)."""
        if len(new_lists) != len(self._lists):
            return False
        for old, new in zip(self._lists, new_lists, strict=True):
            new_set, old_set = set(new), set(old)
            if [i for i in old if i in new_set] != [i for i in new if i in old_set]:
                return False
        return True

    def _patch_list(self, parent: QModelIndex, ids: list[str], new_ids: list[str]) -> None:
        """Turn ``ids`` into ``new_ids`` by removing, then inserting, runs of rows.

        Only valid when :meth:`_can_patch` holds: the survivors keep their order.
        """
        keep = set(new_ids)
        row = len(ids) - 1
        while row >= 0:
            if ids[row] not in keep:
                end = row
                while row > 0 and ids[row - 1] not in keep:
                    row -= 1
                self.beginRemoveRows(parent, row, end)
                del ids[row : end + 1]
                self.endRemoveRows()
            row -= 1
        present = set(ids)
        row = 0
        while row < len(new_ids):
            if new_ids[row] in present:
                row += 1
                continue
            end = row
            while end + 1 < len(new_ids) and new_ids[end + 1] not in present:
                end += 1
            self.beginInsertRows(parent, row, end)
            ids[row:row] = new_ids[row : end + 1]
            self.endInsertRows()
            row = end + 1

    def _patch_no_component_group(self, new_ids: list[str]) -> None:
        key = len(self._components)
        ids = self._lists[key]
        if not self._no_component_shown and new_ids:
            self.beginInsertRows(QModelIndex(), key, key)
            ids[:] = new_ids
            self._no_component_shown = True
            self.endInsertRows()
        elif self._no_component_shown and not new_ids:
            self.beginRemoveRows(QModelIndex(), key, key)
            ids.clear()
            self._no_component_shown = False
            self.endRemoveRows()
        elif self._no_component_shown:
            self._patch_list(self.createIndex(key, 0, 0), ids, new_ids)


def _format_date(day: dt.date) -> str:
    """A due date in the user's language, with the month as a word (never 03/04 ambiguity)."""
    return QLocale().toString(QDate(day.year, day.month, day.day), "d MMM yyyy")
