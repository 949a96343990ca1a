"""Every user preference, declared once with its type and default.

Preferences live in an INI file in the user data folder (so
``WALKTHROUGH_HOME`` moves them with the data, and tests never touch the real
user's).  Read and write them only through :class:`Settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from walkthrough.storage.locations import user_data_dir

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """A preference: its key in the file and its default (whose type it keeps)."""

    key: str
    default: T


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray())
LAST_WALKTHROUGH = Setting("session/lastWalkthrough", "")
#: The area on the Walk page when the app was left; empty when it was left on the list of walkthroughs.
LAST_AREA = Setting("session/lastArea", "")
SAMPLE_OFFERED = Setting("session/sampleOffered", False)
LAST_FOLDER = Setting("session/lastFolder", "")
PHOTO_MAX_EDGE = Setting("photos/maxEdge", 2048)
REPORT_MARKING = Setting("report/protectiveMarking", "OFFICIAL-SENSITIVE")
REPORT_PHOTOS = Setting("report/includePhotos", True)
REPORT_VOICE = Setting("report/includeVoice", True)
#: "pdf", "docx" or "html" (a ReportFormat's value); anything else reads as PDF.
REPORT_FORMAT = Setting("report/format", "pdf")
FACILITATOR_NAME = Setting("team/facilitatorName", "")


class Settings:
    """Typed access to the preferences file."""

    def __init__(self, store: QSettings | None = None) -> None:
        if store is None:
            store = QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)
        self._store = store

    def get(self, setting: Setting[T]) -> T:
        """The stored value, converted to the default's type; the default if absent or unreadable."""
        value = self._store.value(setting.key, setting.default)
        default = setting.default
        try:
            if isinstance(default, bool):
                if isinstance(value, str):
                    return value.lower() in ("true", "1", "yes")  # type: ignore[return-value]
                return bool(value)  # type: ignore[return-value]
            if isinstance(default, int):
                return int(value)  # type: ignore[return-value]
            if isinstance(default, str):
                return str(value)  # type: ignore[return-value]
            if isinstance(default, QByteArray):
                return value if isinstance(value, QByteArray) else QByteArray()  # type: ignore[return-value]
        except (TypeError, ValueError):
            return default
        return value  # type: ignore[no-any-return]

    def set(self, setting: Setting[T], value: T) -> None:
        """Store a value (written to disk by Qt shortly after, and on exit)."""
        self._store.setValue(setting.key, value)

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._store.sync()
