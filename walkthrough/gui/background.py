"""Long work off the GUI thread, with progress and cancel.

:class:`BackgroundTask` runs a plain function on Qt's thread pool.  The
function gets a ``progress(done, total) -> bool`` callable (the core's
progress convention): it reports progress and returns False once the user has
asked to cancel.  Results come back to the GUI thread as signals; the worker
never touches a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from walkthrough.domain.errors import WalkthroughError
from walkthrough.gui.error_wording import describe

Progress = Callable[[int, int], bool]


class _WorkerSignals(QObject):
    """What the worker thread emits, queued to its task on the GUI thread.

    A separate object with no parent, kept alive by the task's Python side
    (which the pool's runner holds until the work returns): the task itself
    may be deleted meanwhile with its window, and emitting on a QObject that
    another thread is deleting crashes the process; emitting on this one is
    safe, and a deleted task simply receives nothing.
    """

    progress = Signal(int, int)
    outcome = Signal(str, object)


class BackgroundTask(QObject):
    """One piece of work on the thread pool.

    Exactly one of ``succeeded(result)``, ``failed(message)`` or ``cancelled()``
    is emitted, then ``finished()``.  ``message`` is for the user, in the
    window's words (:func:`~walkthrough.gui.error_wording.describe`).
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, work: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._done = threading.Event()
        # Emitted on the worker thread; queued to this object's (the GUI) thread, where the
        # public signals are emitted, so every slot and lambda connected to them runs there.
        self._signals = _WorkerSignals()
        self._signals.progress.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self._signals.outcome.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def is_cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    def start(self, pool: QThreadPool | None = None) -> None:
        """Queue the work on ``pool`` (default: the global pool)."""
        (pool or QThreadPool.globalInstance()).start(_Runner(self))

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has returned (for shutdown and tests)."""
        return self._done.wait(timeout)

    def _progress(self, done: int, total: int) -> bool:
        self._signals.progress.emit(done, total)
        return not self._cancel.is_set()

    def _run(self) -> None:
        """On the worker thread."""
        try:
            result = self._work(self._progress)
        except WalkthroughError as exc:
            outcome = ("cancelled", None) if self._cancel.is_set() else ("failed", describe(exc))
        except Exception as exc:  # a bug; still one line for the user
            outcome = ("failed", f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())}")
        else:
            outcome = ("cancelled", None) if self._cancel.is_set() else ("succeeded", result)
        self._done.set()
        # If the task was deleted meanwhile (its window closed while the work ran),
        # nobody receives this: the connection went with it.
        self._signals.outcome.emit(*outcome)

    @Slot(str, object)
    def _deliver(self, kind: str, value: object) -> None:
        """On the GUI thread."""
        if kind == "succeeded":
            self.succeeded.emit(value)
        elif kind == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
        self.finished.emit()


class _Runner(QRunnable):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


def run_with_progress(
    parent: QWidget,
    title: str,
    label: str,
    work: Callable[[Progress], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None],
) -> BackgroundTask:
    """Run ``work`` in the background behind a modal progress dialog with Cancel.

    The window stays responsive (it repaints, the dialog's Cancel works).
    ``on_success(result)`` or ``on_failure(message)`` is called on the GUI
    thread, once the progress dialog is gone (so a message box they show is
    never left with a finished progress window behind it); a cancel calls neither.
    """
    dialog = QProgressDialog(label, QCoreApplication.translate("BackgroundTask", "Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setAccessibleName(title)
    task = BackgroundTask(work, parent)

    @Slot(int, int)
    def show_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def dismiss() -> None:
        dialog.canceled.disconnect(task.cancel)  # closing emits canceled: the work is already over
        dialog.close()

    @Slot(object)
    def succeeded(result: object) -> None:
        dismiss()
        on_success(result)

    @Slot(str)
    def failed(message: str) -> None:
        dismiss()
        on_failure(message)

    task.progressed.connect(show_progress)
    dialog.canceled.connect(task.cancel)
    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    task.cancelled.connect(dismiss)
    task.finished.connect(dialog.deleteLater)
    task.start()
    return task
