"""Every window and dialog opens within the screen: a projector, a laptop, and large text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QMargins, QPoint, QRect, QSettings, QSize

from walkthrough.gui import settings as S
from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.settings import Settings
from walkthrough.gui.widgets.screen_fit import fitted_geometry

#: The screens the app must work on, as their free area in Qt's (logical) pixels:
#: a 1024 × 768 projector, a 1366 × 768 laptop, and both with 2× text
#: (QT_FONT_DPI=192 makes Qt scale by 2, which leaves 683 × 384 and 512 × 384).
SCREENS = {"projector": (1024, 768), "laptop": (1366, 768), "large-text": (683, 384),
           "projector-large-text": (512, 384)}

FRAME = QMargins(4, 30, 4, 4)


@pytest.mark.parametrize("size", SCREENS.values(), ids=SCREENS.keys())
def test_a_window_wanting_more_than_the_screen_is_cut_down_to_it_frame_and_all(size) -> None:
    free = QRect(0, 24, size[0], size[1] - 24)  # a panel along the top
    inside = fitted_geometry(QSize(1280, 760), free, FRAME)
    assert free.contains(inside.marginsAdded(FRAME)), inside
    assert inside.width() == min(1280, free.width() - 8)
    assert inside.height() == min(760, free.height() - 34)


def test_a_window_that_fits_keeps_its_size_and_sits_over_its_parent_but_on_the_screen() -> None:
    free = QRect(0, 0, 1024, 768)
    inside = fitted_geometry(QSize(400, 300), free, FRAME, centre=QPoint(512, 384))
    assert inside.size() == QSize(400, 300)
    assert inside.marginsAdded(FRAME).center().x() in (511, 512)
    # A parent near the right edge: the window moves left rather than off the screen.
    inside = fitted_geometry(QSize(400, 300), free, FRAME, centre=QPoint(1000, 20))
    assert free.contains(inside.marginsAdded(FRAME)) and inside.size() == QSize(400, 300)


def test_a_geometry_saved_on_a_larger_screen_opens_within_this_one(db, tmp_path, qtbot, qapp) -> None:
    # Saved on a 1920 × 1200 monitor, opened on the test screen (offscreen: 800 × 800).
    big = MainWindow(db, Settings(QSettings(str(tmp_path / "big.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(big)
    big.setGeometry(40, 40, 1860, 1120)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.set(S.WINDOW_GEOMETRY, big.saveGeometry())
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    free = window.screen().availableGeometry()
    assert free.contains(window.frameGeometry()), (window.frameGeometry(), free)


_TOUR = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from walkthrough.app import build_window, make_application
    from walkthrough.gui.settings import Settings

    database, settings_file, walkthrough_id = sys.argv[1:4]
    app = make_application([sys.argv[0]])
    window = build_window(Path(database), Settings(QSettings(settings_file, QSettings.Format.IniFormat)))
    window.show()
    seen = {}

    def note(name, widget):
        for _ in range(3):
            app.processEvents()
        frame, least = widget.frameGeometry(), widget.minimumSizeHint().expandedTo(widget.minimumSize())
        seen[name] = [frame.x(), frame.y(), frame.width(), frame.height(), least.width(), least.height()]

    note("start page", window)
    window.open_walkthrough(walkthrough_id)
    for index, name in enumerate(("walk", "review", "plan")):
        window.tabs.setCurrentIndex(index)
        note(name, window)
    view = window.review_page.present()
    note("present", view)
    view.close()

    from walkthrough.gui.views.action_dialog import ActionDialog
    from walkthrough.gui.views.camera_dialog import CameraDialog
    from walkthrough.gui.views.compare_dialog import CompareDialog
    from walkthrough.gui.views.device_dialog import DeviceDialog
    from walkthrough.gui.views.duplicates_dialog import DuplicatesDialog
    from walkthrough.gui.views.progress_dialog import ProgressDialog
    from walkthrough.gui.views.differences_dialog import DifferencesDialog
    from walkthrough.gui.views.package_dialog import OpenSealedDialog, PackageDialog
    from walkthrough.gui.views.history_dialog import HistoryDialog
    from walkthrough.gui.views.new_walkthrough_dialog import NewWalkthroughDialog
    from walkthrough.gui.views.photo_dialog import PhotoDialog
    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog
    from walkthrough.services.lens_catalog import load_catalog

    observation = next(o for o in window.current.observations() if o.photos)
    for name, make in (
        ("action dialog", lambda: ActionDialog(window, window.current)),
        ("new walkthrough dialog", lambda: NewWalkthroughDialog(load_catalog(), window).dialog),
        ("report options dialog", lambda: ReportOptionsDialog(window.current.lens, window.settings, window)),
        ("photo dialog", lambda: PhotoDialog(window.current, observation.id, observation.photos[0].id, window)),
        ("camera dialog", lambda: CameraDialog(window)),
        ("differences dialog", lambda: DifferencesDialog(window.db, window.current.id, window.current.lens, window,
                                                         window.current)),
        ("package dialog", lambda: PackageDialog(Path("/media/stick/a.lwpkg"), [("a1", "Aisha's laptop (Aisha)")],
                                                 window)),
        ("sealed package dialog", lambda: OpenSealedDialog(Path("from-aisha.lwpkg"), True, window)),
        ("history dialog", lambda: HistoryDialog(window.current, observation.id, window)),
        ("compare dialog", lambda: CompareDialog(window.db, window.current.id, window)),
        ("progress dialog", lambda: ProgressDialog(window, window.current, window.current.actions()[0].id)),
        ("duplicates dialog", lambda: DuplicatesDialog(window.current, window)),
        ("this laptop dialog", lambda: DeviceDialog("Aisha's laptop", "Aisha", window)),
    ):
        dialog = make()
        dialog.show()
        note(name, dialog)
        dialog.close()
    from PySide6.QtCore import QTimer

    window.show_help()  # the user guide: a window of its own, not modal
    note("user guide", window.help_window)
    window.help_window.close()
    QTimer.singleShot(0, lambda: (note("about box", app.activeModalWidget()), app.activeModalWidget().close()))
    window.show_about()
    free = window.screen().availableGeometry()
    print(json.dumps({"free": [free.x(), free.y(), free.width(), free.height()], "windows": seen}))
""")


@pytest.mark.parametrize("size", SCREENS.values(), ids=SCREENS.keys())
def test_every_window_and_dialog_opens_within_the_screen(size, sample_database, tmp_path) -> None:
    database, walkthrough_id = sample_database
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [
        {"name": "screen", "x": 0, "y": 0, "width": size[0], "height": size[1], "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "WALKTHROUGH_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", _TOUR, str(database), str(tmp_path / "settings.ini"), walkthrough_id],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    free = QRect(*result["free"])
    assert free.size() == QSize(*size)
    outside = {name: g for name, g in result["windows"].items() if not free.contains(QRect(*g[:4]))}
    assert not outside, f"cut off by the screen {free}: {outside}"
    # Nor can any of them be made to need more than the screen (the person could not reach its edge).
    too_big = {name: g[4:] for name, g in result["windows"].items() if g[4] > free.width() or g[5] > free.height()}
    assert not too_big, too_big
