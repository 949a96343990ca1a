"""Choosing what goes into the report, and whether it is a PDF, a Word document or a web page, before it is written."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.lens import Lens
from walkthrough.gui import settings as S
from walkthrough.gui.settings import Settings
from walkthrough.gui.widgets.screen_fit import fit_to_screen
from walkthrough.report.report_options import LensAppendix, ReportFormat, ReportOptions  # no ReportLab import

#: Markings offered (UK Government Security Classifications; NHS Scotland
#: uses OFFICIAL-SENSITIVE for personal or sensitive service information).
MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL", "")


class ReportOptionsDialog(QDialog):
    """Format, protective marking, lens appendix, photos, voice attribution, names, public version and areas; use :meth:`ask`."""

    def __init__(self, lens: Lens, settings: Settings, parent: QWidget | None = None, *,
                 open_differences: int = 0) -> None:
        """``open_differences``: how many differences to decide the walkthrough still has (said at the top)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Report options"))
        #: A warning line when differences are still to decide: the report shows the interim value.
        self.differences_warning = QLabel(self.tr(
            "%n difference(s) still to decide: the report will use the value every laptop shows meanwhile. "
            "Edit → Differences to decide… settles them.", "", open_differences), self)
        self.differences_warning.setWordWrap(True)
        self.differences_warning.setAccessibleName(self.tr("Differences still to decide"))
        self.differences_warning.setVisible(open_differences > 0)
        self.marking = QComboBox(self)
        self.marking.setEditable(True)
        # Typing a marking and pressing Enter must not add it to the list as a new
        # item (with no data it would read as "no marking"): Enter writes the report.
        self.marking.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.marking.setAccessibleName(self.tr("Protective marking"))
        for marking in MARKINGS:
            self.marking.addItem(marking or self.tr("(no marking)"), marking)
        saved = settings.get(S.REPORT_MARKING)
        #: What a box left blank means: the marking the dialog opened with.  Only
        #: choosing "(no marking)" from the list drops the marking; a box emptied by
        #: mistake must not turn an OFFICIAL-SENSITIVE report into an unmarked one.
        self._previous_marking = saved.strip()
        index = self.marking.findData(saved)
        if index >= 0:
            self.marking.setCurrentIndex(index)
        else:
            self.marking.setEditText(saved)
        # Two radio buttons in one group: Tab reaches the chosen one, the arrow keys move between them.
        self.pdf = QRadioButton(self.tr("P&DF, to print and share"), self)
        self.docx = QRadioButton(self.tr("Word (DOCX), to &edit before publishing"), self)
        self.html = QRadioButton(self.tr("Web page (&HTML), to publish or open in a browser"), self)
        self.pdf.setAccessibleDescription(self.tr("The print version of the report"))
        self.docx.setAccessibleDescription(
            self.tr("The same report as a Word document, with headings, table headers and alt text"))
        self.html.setAccessibleDescription(
            self.tr("The same report as one accessible web page with its photos inside, that works offline"))
        self._formats = QButtonGroup(self)
        #: Each radio button and the format it stands for, in the order shown.
        self._format_buttons = ((self.pdf, ReportFormat.PDF), (self.docx, ReportFormat.DOCX),
                                (self.html, ReportFormat.HTML))
        for button, _ in self._format_buttons:
            self._formats.addButton(button)
        saved_format = settings.get(S.REPORT_FORMAT)
        next((b for b, f in self._format_buttons if f.value == saved_format), self.pdf).setChecked(True)
        self.photos = QCheckBox(self.tr("Include &photos"), self)
        self.photos.setChecked(settings.get(S.REPORT_PHOTOS))
        self.voice = QCheckBox(self.tr("Show whose &voice each observation is"), self)
        self.voice.setChecked(settings.get(S.REPORT_VOICE))
        self.names = QCheckBox(self.tr("&Name the team (otherwise roles only)"), self)
        # Never remembered: naming a person with lived experience is a fresh choice for each report.
        self.names.setChecked(False)
        self.public = QCheckBox(self.tr("A p&ublic version: no names, no voices and no photos"), self)
        self.public.setAccessibleDescription(self.tr(
            "Leaves out the team's names, whose voice each observation is and every photo "
            "(photos cannot yet be marked as showing people)"))
        # Never remembered either: a version to publish is chosen for each report.
        self.public.setChecked(False)
        self.public.toggled.connect(self._public_toggled)
        self.lens = QComboBox(self)
        self.lens.setAccessibleName(self.tr("Lens appendix"))
        for label, mode in ((self.tr("None"), LensAppendix.NONE),
                            (self.tr("Only the prompts used"), LensAppendix.USED),
                            (self.tr("Every prompt"), LensAppendix.ALL)):
            self.lens.addItem(label, mode.value)
        self.areas = QListWidget(self)
        self.areas.setAccessibleName(self.tr("Areas to include"))
        for area in lens.areas:
            item = QListWidgetItem(area.title, self.areas)
            item.setData(Qt.ItemDataRole.UserRole, area.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._write = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._write.setText(self.tr("&Write report…"))
        self._write.setDefault(True)
        self._write.setAutoDefault(True)
        # Enter in the marking box reaches this default button (the combo box passes
        # Return on); the box first shows what a blank means, the previous marking.
        self.marking.lineEdit().editingFinished.connect(self._restore_blank_marking)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.areas.itemChanged.connect(self._validate)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # large text on a small screen: below
        formats = QVBoxLayout()
        formats.setContentsMargins(0, 0, 0, 0)
        for button, _ in self._format_buttons:
            formats.addWidget(button)
        format_label = QLabel(self.tr("Format:"), self)
        form.addRow(format_label, formats)
        marking_label = QLabel(self.tr("Protective &marking:"), self)
        marking_label.setBuddy(self.marking)
        form.addRow(marking_label, self.marking)
        lens_label = QLabel(self.tr("&Lens appendix:"), self)
        lens_label.setBuddy(self.lens)
        form.addRow(lens_label, self.lens)
        layout = QVBoxLayout(self)
        layout.addWidget(self.differences_warning)
        layout.addLayout(form)
        layout.addWidget(self.photos)
        layout.addWidget(self.voice)
        layout.addWidget(self.names)
        layout.addWidget(self.public)
        areas_label = QLabel(self.tr("&Areas to include:"), self)
        areas_label.setBuddy(self.areas)
        layout.addWidget(areas_label)
        layout.addWidget(self.areas, 1)
        layout.addWidget(self.buttons)
        self._settings = settings
        self.areas.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        # As tall as it would like, within the screen (at 200 % on 768 pixels: 384 high).
        fit_to_screen(self)

    def _restore_blank_marking(self) -> None:
        """A box left blank shows the marking it will use (the previous one), so nothing changes unseen."""
        if self.marking.currentText().strip():
            return
        index = self.marking.findData(self._previous_marking)
        if index >= 0:
            self.marking.setCurrentIndex(index)
            self.marking.setEditText(self.marking.itemText(index))
        else:
            self.marking.setEditText(self._previous_marking)

    def _public_toggled(self, public: bool) -> None:
        """A public version leaves out names, voices and photos: those boxes show it and cannot be ticked."""
        for box in (self.photos, self.voice, self.names):
            box.setEnabled(not public)
            if public:
                box.setChecked(False)
        if not public:
            self.photos.setChecked(self._settings.get(S.REPORT_PHOTOS))
            self.voice.setChecked(self._settings.get(S.REPORT_VOICE))

    def _validate(self) -> None:
        self._write.setEnabled(bool(self.chosen_areas()))

    def chosen_areas(self) -> tuple[str, ...]:
        """Ids of the ticked areas, in walking order."""
        return tuple(
            self.areas.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.areas.count())
            if self.areas.item(i).checkState() == Qt.CheckState.Checked
        )

    def options(self) -> ReportOptions:
        """The choices as report options (all areas ticked means no subset)."""
        index = self.marking.currentIndex()
        text = self.marking.currentText().strip()
        if index >= 0 and self.marking.itemText(index) == text:
            marking = self.marking.itemData(index)  # chosen from the list, "(no marking)" included
        elif text:
            marking = text  # typed
        else:
            marking = self._previous_marking  # emptied, not chosen: keep the marking it had
        areas = self.chosen_areas()
        return ReportOptions(
            protective_marking=(marking or "").strip(),
            include_photos=self.photos.isChecked(),
            include_voice=self.voice.isChecked(),
            include_names=self.names.isChecked(),
            area_ids=None if len(areas) == self.areas.count() else areas,
            format=next((f for b, f in self._format_buttons if b.isChecked()), ReportFormat.PDF),
            public=self.public.isChecked(),
            lens_appendix=LensAppendix(self.lens.currentData()),
        )

    def remember(self) -> None:
        """Keep the choices for next time (the format too), except the area subset and naming the participants."""
        options = self.options()
        self._settings.set(S.REPORT_MARKING, options.protective_marking)
        if not options.public:  # a public version's boxes are forced off, not chosen
            self._settings.set(S.REPORT_PHOTOS, options.include_photos)
            self._settings.set(S.REPORT_VOICE, options.include_voice)
        self._settings.set(S.REPORT_FORMAT, options.format.value)

    @classmethod
    def ask(cls, lens: Lens, settings: Settings, parent: QWidget | None = None, *,
            open_differences: int = 0) -> ReportOptions | None:
        """Show the dialog; the options, or None if cancelled.  Tests patch this."""
        dialog = cls(lens, settings, parent, open_differences=open_differences)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            dialog.remember()
            return dialog.options()
        finally:
            dialog.deleteLater()
