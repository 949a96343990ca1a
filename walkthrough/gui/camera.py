"""Whether this computer can take a photo: Qt Multimedia (an optional extra) and a camera.

Qt Multimedia comes with PySide6-Addons, installed only with the ``camera``
extra (``pip install "lens-walkthrough[camera]"``); the installers leave it
out.  It is imported here, the first time someone asks, and never when a
module is imported, so the app starts as fast without a camera as before.

It is imported by name (``importlib.import_module``), not with an import
statement: the bundle keeps only the Qt bindings the source imports
(``packaging/bundle_contents.py``), so the installers stay without it even
when it is installed where they are built.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

_log = logging.getLogger(__name__)

#: PySide6.QtMultimedia once imported; None once it failed; unset until first asked.
_UNSET = object()
_multimedia: object = _UNSET


def multimedia() -> ModuleType | None:
    """``PySide6.QtMultimedia``, imported on first use and cached; None if it cannot be used.

    None when PySide6-Addons is not installed, or when it is but a system
    library it needs (e.g. ``libpulse.so.0`` on Linux) is missing.  Never raises.
    """
    global _multimedia
    if _multimedia is _UNSET:
        try:
            _multimedia = importlib.import_module("PySide6.QtMultimedia")
        except ImportError as exc:
            # Not an error: the camera is optional.  Logged so "I installed the
            # extra but see no button" can be answered.
            _log.info("no camera: Qt Multimedia cannot be imported (%s)", exc)
            _multimedia = None
    return _multimedia  # type: ignore[return-value]


def multimedia_widgets() -> ModuleType:
    """``PySide6.QtMultimediaWidgets`` (the viewfinder widget), imported by name.

    Call only once :func:`multimedia` returned a module (both come with PySide6-Addons).

    Raises:
        ImportError: PySide6-Addons is not installed.
    """
    return importlib.import_module("PySide6.QtMultimediaWidgets")


def camera_available() -> bool:
    """True when Qt Multimedia can be used and at least one camera is connected.

    Cheap after the first call (the import is cached; Qt keeps the device list).
    Needs a QGuiApplication.  Never raises.
    """
    qt_multimedia = multimedia()
    return qt_multimedia is not None and bool(qt_multimedia.QMediaDevices.videoInputs())
