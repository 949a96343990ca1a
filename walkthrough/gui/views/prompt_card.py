"""A prompt of the current area with its observations (or the area's free-standing ones)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from walkthrough.domain.lens import Prompt
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.observation_editor import ObservationEditor


class PromptCard(QFrame):
    """A prompt's question, guidance and principles, with one editor per observation.

    With ``prompt=None`` the card holds the area's free-standing observations
    (what the prompts did not foresee).  There is always one blank editor at
    the end while the prompt has no observation; "Add another" adds one more
    (another voice, another spot).

    ``editor_created(editor)`` lets the page connect photo handling.
    """

    editor_created = Signal(object)

    def __init__(
        self, open_walkthrough: OpenWalkthrough, area_id: str, prompt: Prompt | None, parent: QWidget | None = None,
        max_editors: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._wt = open_walkthrough
        self.area_id = area_id
        self.prompt = prompt
        self.setObjectName("promptCard")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        lens = open_walkthrough.lens
        if prompt is not None:
            question = QLabel(prompt.question, self)
            question.setWordWrap(True)
            question.setTextFormat(Qt.TextFormat.PlainText)
            font = question.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.1)
            question.setFont(font)
            layout.addWidget(question)
            if prompt.guidance:
                guidance = QLabel(prompt.guidance, self)
                guidance.setWordWrap(True)
                guidance.setTextFormat(Qt.TextFormat.PlainText)
                guidance.setForegroundRole(guidance.foregroundRole())
                guidance.setObjectName("hint")  # greyed by the page's style sheet
                layout.addWidget(guidance)
            names = [p.name for p in lens.principles if p.id in prompt.principles]
            tags = QLabel(self.tr("Looks at: %1").replace("%1", " · ".join(names)), self)
            tags.setTextFormat(Qt.TextFormat.PlainText)
            tags.setObjectName("hint")  # greyed by the page's style sheet
            layout.addWidget(tags)
            self.setAccessibleName(prompt.question)
        else:
            title = QLabel(self.tr("Other observations in this area"), self)
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            layout.addWidget(title)
            hint = QLabel(self.tr("What the prompts did not foresee."), self)
            hint.setObjectName("hint")  # greyed by the page's style sheet
            layout.addWidget(hint)
            self.setAccessibleName(self.tr("Other observations"))
        self._editors_layout = QVBoxLayout()
        layout.addLayout(self._editors_layout)
        self.add_another = QToolButton(self)
        self.add_another.setObjectName("plainButton")  # a focus ring from the page's style sheet
        self.add_another.setText(self.tr("Add another observation"))
        self.add_another.setAccessibleName(self.tr("Add another observation to this prompt"))
        self.add_another.clicked.connect(self._add_blank)
        # Read-only: another observation could not be saved, so it is not offered.
        self.add_another.setEnabled(not open_walkthrough.read_only)
        layout.addWidget(self.add_another, 0, Qt.AlignmentFlag.AlignLeft)
        self.editors: list[ObservationEditor] = []
        # With max_editors, only the first observations get editors for now
        # (a big area shows sooner); sync() adds the rest.
        ids = self._observation_ids()
        self.sync(ids[:max_editors] if max_editors else ids)
        self.incomplete = len(self.editors) < len(ids)

    def _observation_ids(self) -> list[str]:
        prompt_id = self.prompt.id if self.prompt else None
        return [o.id for o in self._wt.observations(self.area_id) if o.prompt_id == prompt_id]

    def sync(self, ids: list[str] | None = None, refresh: bool = True) -> None:
        """Match the editors to the stored observations (after an edit, undo or redo).

        ``ids`` are this card's observations in order, if the caller has them;
        with ``refresh=False`` editors that stay bound are not re-read (the
        page refreshes the one that changed).
        """
        if ids is None:
            ids = self._observation_ids()
        self.incomplete = False
        bound = {e.observation_id for e in self.editors if e.observation_id}
        # Keyboard focus in an editor that goes (a deletion, an undo) moves to
        # the editor that takes its place, not to wherever Qt's focus chain leads.
        focus = QApplication.focusWidget()
        focused_at = next((i for i, e in enumerate(self.editors) if e is focus or e.isAncestorOf(focus)), None)
        refocus = False
        for editor in [e for e in self.editors if e.observation_id and e.observation_id not in ids]:
            if focused_at is not None and self.editors[focused_at] is editor:
                focus.clearFocus()  # before hiding it, so Qt does not move focus first
                refocus = True
            self._remove(editor)
        for observation_id in ids:
            if observation_id in bound:
                continue
            blank = next((e for e in self.editors if e.is_blank), None)
            if blank is not None:
                focused = QApplication.focusWidget()
                was_here = focused is blank or blank.isAncestorOf(focused)
                blank.bind(observation_id)
                if was_here:
                    # Rated by key or click: the note is next (keys 1-4 type digits there).
                    blank.note.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self._add_editor(observation_id)
        if refresh:
            # Editors bound just now have read their observation already.
            for editor in self.editors:
                if editor.observation_id in bound:
                    editor.refresh()
        if not any(e.is_blank for e in self.editors) and not ids:
            self._add_editor(None)
        # Order editors as the observations are ordered; blanks last.
        order = {oid: i for i, oid in enumerate(ids)}
        ordered = sorted(self.editors, key=lambda e: order.get(e.observation_id or "", len(order)))
        if ordered != self.editors or any(
                self._editors_layout.indexOf(e) != i for i, e in enumerate(ordered)):
            self.editors = ordered
            for i, editor in enumerate(self.editors):
                self._editors_layout.insertWidget(i, editor)
        for position, editor in enumerate(self.editors, start=1):
            editor.set_position(position)
        self.add_another.setVisible(bool(ids) and not any(e.is_blank for e in self.editors))
        if refocus and self.editors:
            target = self.editors[min(focused_at or 0, len(self.editors) - 1)]
            target.show()
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def tab_stops(self) -> list[QWidget]:
        """The controls Tab visits, in reading order: each editor's, then "Add another observation"."""
        return [w for editor in self.editors for w in editor.tab_stops()] + [self.add_another]

    def editor_of(self, observation_id: str) -> ObservationEditor | None:
        """The editor bound to an observation, or None."""
        return next((e for e in self.editors if e.observation_id == observation_id), None)

    def first_editor(self) -> ObservationEditor:
        """The first editor (for focus and keyboard rating)."""
        return self.editors[0]

    def flush(self) -> None:
        """Save any note still waiting to be saved."""
        for editor in self.editors:
            editor.flush()

    def _add_blank(self) -> None:
        editor = self._add_editor(None)
        editor.set_position(len(self.editors))
        # The new observation itself, with its focus ring: keys 1-4 rate it.
        # (Before the button hides, so focus does not wander off first.)
        editor.show()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.add_another.setVisible(False)

    def _add_editor(self, observation_id: str | None) -> ObservationEditor:
        editor = ObservationEditor(self._wt, self.area_id, self.prompt.id if self.prompt else None, observation_id, self)
        self.editors.append(editor)
        self._editors_layout.addWidget(editor)
        if self.isVisible():
            editor.show()  # now, not by the layout's queued call, so focus and Tab can reach it at once
        self.editor_created.emit(editor)
        return editor

    def _remove(self, editor: ObservationEditor) -> None:
        self.editors.remove(editor)
        self._editors_layout.removeWidget(editor)
        editor.hide()
        editor.deleteLater()
