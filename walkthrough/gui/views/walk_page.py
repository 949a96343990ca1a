"""Walk mode: step through the lens's areas and record what you notice."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.errors import PhotoRejected
from walkthrough.domain.lens import AreaKind
from walkthrough.gui.background import BackgroundTask, Progress, run_with_progress
from walkthrough.gui.models.area_tree_model import AreaIdRole, AreaTreeModel
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.observation_editor import ObservationEditor
from walkthrough.gui.views.prompt_card import PromptCard
from walkthrough.services.photo_intake import PreparedPhoto, prepare_photo

IMAGE_FILTER = "Pictures (*.jpg *.jpeg *.png *.heic *.heif *.webp *.gif *.tif *.tiff *.bmp);;All files (*)"


def prepare_photos(
    sources: Sequence[Path | bytes], progress: Progress, max_edge: int = 2048
) -> tuple[list[PreparedPhoto], list[PhotoRejected]]:
    """Prepare pictures (off the GUI thread); refused ones do not stop the rest.

    Raises:
        PhotoRejected: never; refusals are returned.
    """
    prepared: list[PreparedPhoto] = []
    refused: list[PhotoRejected] = []
    for i, source in enumerate(sources):
        try:
            prepared.append(prepare_photo(source, max_edge=max_edge))
        except PhotoRejected as exc:
            refused.append(exc)
        if not progress(i + 1, len(sources)):
            return [], []
    return prepared, refused


class WalkPage(QWidget):
    """Areas on the left (grouped by route, with progress), the current area's prompts on the right.

    ``area_changed(area_id)`` is emitted when the user moves to another area.
    """

    area_changed = Signal(str)

    def __init__(self, open_walkthrough: OpenWalkthrough, photo_max_edge: int = 2048,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wt = open_walkthrough
        self._photo_max_edge = photo_max_edge
        self._cards: list[PromptCard] = []
        self._area_id: str | None = None
        self.last_task: BackgroundTask | None = None

        self.areas = AreaTreeModel(open_walkthrough, self)
        self.area_view = QTreeView(self)
        self.area_view.setModel(self.areas)
        self.area_view.setHeaderHidden(True)
        self.area_view.setRootIsDecorated(False)
        self.area_view.setItemsExpandable(False)
        self.area_view.expandAll()
        self.area_view.setAccessibleName(self.tr("Areas"))
        self.area_view.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 16)
        self.area_view.selectionModel().currentChanged.connect(self._current_changed)

        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.previous_button = QPushButton(self.tr("← Previous area"), self)
        self.previous_button.setToolTip(self.tr("Previous area (Ctrl+PgUp)"))
        self.previous_button.clicked.connect(self.previous_area)
        self.next_button = QPushButton(self.tr("Next area →"), self)
        self.next_button.setToolTip(self.tr("Next area (Ctrl+PgDown)"))
        self.next_button.clicked.connect(self.next_area)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.subtitle)
        right_layout.addWidget(self.scroll, 1)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        right_layout.addLayout(nav)

        splitter = QSplitter(self)
        splitter.addWidget(self.area_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.fontMetrics().horizontalAdvance('M') * 22, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        open_walkthrough.observations_changed.connect(self._observations_changed)
        first = open_walkthrough.lens.areas[0].id
        self.show_area(first)

    # -- navigation ------------------------------------------------------------------------

    @property
    def area_id(self) -> str | None:
        """The area on screen."""
        return self._area_id

    def show_area(self, area_id: str) -> None:
        """Move to an area (selects it in the list too)."""
        index = self.areas.index_of_area(area_id)
        if index.isValid():
            self.area_view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def next_area(self) -> None:
        """Move to the next area in walking order (stays on the last)."""
        self._step(+1)

    def previous_area(self) -> None:
        """Move to the previous area in walking order (stays on the first)."""
        self._step(-1)

    def _step(self, delta: int) -> None:
        ids = [a.id for a in self._wt.lens.areas]
        if self._area_id is None:
            return
        pos = ids.index(self._area_id) + delta
        if 0 <= pos < len(ids):
            self.show_area(ids[pos])
            if self._cards:
                self._cards[0].first_editor().ratings.setFocus()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        area_id = current.data(AreaIdRole)
        if area_id and area_id != self._area_id:
            self.flush()
            self._build(area_id)
            self.area_changed.emit(area_id)

    def _build(self, area_id: str) -> None:
        lens = self._wt.lens
        area = lens.area(area_id)
        assert area is not None
        self._area_id = area_id
        position = [a.id for a in lens.areas].index(area_id) + 1
        self.title.setText(area.title)
        route = self.tr("Physical route") if area.kind is AreaKind.PHYSICAL else self.tr("Procedural route")
        where = self.tr("Area %1 of %2").replace("%1", str(position)).replace("%2", str(len(lens.areas)))
        self.subtitle.setText(" · ".join(x for x in (route, where, area.description) if x))
        self.previous_button.setEnabled(position > 1)
        self.next_button.setEnabled(position < len(lens.areas))

        container = QWidget()
        column = QVBoxLayout(container)
        self._cards = []
        for prompt in (*area.prompts, None):
            card = PromptCard(self._wt, area_id, prompt, container)
            card.editor_created.connect(self._connect_editor)
            for editor in card.editors:
                self._connect_editor(editor)
            column.addWidget(card)
            self._cards.append(card)
        column.addStretch(1)
        old = self.scroll.takeWidget()
        self.scroll.setWidget(container)
        if old is not None:
            old.deleteLater()

    def cards(self) -> list[PromptCard]:
        """The cards of the current area: one per prompt, then the free-standing one."""
        return list(self._cards)

    def flush(self) -> None:
        """Save every note still waiting for its delay (before leaving or closing)."""
        for card in self._cards:
            card.flush()

    def _observations_changed(self, area_id: str) -> None:
        if area_id == self._area_id:
            for card in self._cards:
                card.sync()

    # -- photos ------------------------------------------------------------------------------

    def _connect_editor(self, editor: ObservationEditor) -> None:
        editor.photos_wanted.connect(self.choose_photos)
        editor.paste_wanted.connect(self._paste_or_explain)
        editor.files_dropped.connect(self.add_photo_files)
        editor.photo_opened.connect(self.open_photo)

    def choose_photos(self, observation_id: str) -> None:
        """Ask for picture files and add them to an observation."""
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Add photos"), "", self.tr(IMAGE_FILTER))
        if paths:
            self.add_photo_files(observation_id, [Path(p) for p in paths])

    def _paste_or_explain(self, observation_id: str) -> None:
        if not self.paste_photo(observation_id):
            QMessageBox.information(self, self.tr("Nothing to paste"),
                                    self.tr("The clipboard holds no picture. Copy a screenshot or an image first."))

    def paste_photo(self, observation_id: str) -> bool:
        """Add the clipboard's picture (a screenshot) to an observation; False if it holds none."""
        image: QImage = QGuiApplication.clipboard().image()
        if image.isNull():
            return False
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        self.add_photo_sources(observation_id, [bytes(buffer.data())])
        return True

    def add_photo_files(self, observation_id: str, paths: list[Path]) -> None:
        """Prepare files off the GUI thread, then attach the good ones (one undo step)."""
        self.add_photo_sources(observation_id, list(paths))

    def add_photo_sources(self, observation_id: str, sources: list[Path | bytes]) -> None:
        """Prepare pictures (paths or bytes) in the background and attach them."""
        max_edge = self._photo_max_edge

        def done(result: tuple[list[PreparedPhoto], list[PhotoRejected]]) -> None:
            prepared, refused = result
            if prepared and self._wt.observation(observation_id) is not None:
                self._wt.add_photos(observation_id, prepared)
            if refused:
                QMessageBox.warning(
                    self,
                    self.tr("Some files were not added"),
                    self.tr("These files could not be added as photos:")
                    + "\n\n" + "\n".join(f"• {r}" for r in refused),
                )

        def failed(message: str) -> None:
            QMessageBox.warning(self, self.tr("Photos not added"), message)

        self.last_task = run_with_progress(
            self, self.tr("Adding photos"), self.tr("Preparing photos…"),
            lambda progress: prepare_photos(sources, progress, max_edge), done, failed,
        )

    def open_photo(self, observation_id: str, photo_id: str) -> None:
        """Show a photo large, to caption, blur or delete it."""
        from walkthrough.gui.views.photo_dialog import PhotoDialog

        PhotoDialog(self._wt, observation_id, photo_id, self).exec()
