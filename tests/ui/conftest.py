"""Fixtures shared by the desktop app's page tests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.translations import install_translators
from walkthrough.gui.views.walk_page import WalkPage


@pytest.fixture(scope="session", autouse=True)
def _english_as_the_app_speaks_it(qapp) -> None:
    """The translators the app installs for English (its plural forms: "1 photo", "2 photos"), as at start-up."""
    install_translators(qapp, QLocale("en_GB"))


@pytest.fixture
def open_wt(db, walkthrough_id, qapp) -> OpenWalkthrough:
    """The test walkthrough (``test_lens``, no observations yet), opened as the app opens it."""
    return OpenWalkthrough(db, walkthrough_id)


@pytest.fixture
def page(open_wt, qtbot) -> WalkPage:
    """Its Walk page, shown at 1280 × 720."""
    widget = WalkPage(open_wt)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    return widget



@pytest.fixture
def en_gb_locale():
    """Dates are written as in the UK (15/12/2026) for the test, then as before."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)
