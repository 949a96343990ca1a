"""File → Share walkthrough…, Send my changes…, Bring in changes…, This laptop…: the team, in the window.

The work is :mod:`walkthrough.services.exchange`'s; here it is asked for,
run off the GUI thread behind a progress dialog, and told in plain words.
Each command takes its answers as parameters (a path, a passphrase, a
laptop) and asks with a dialog only for what it was not given, so that
tests drive it without patching file dialogs.  What must be confirmed or
typed while bringing in goes through :meth:`TeamPackages.confirm` and
:meth:`TeamPackages.ask_passphrase`, which tests may replace.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from walkthrough.domain.errors import PackageError, WalkthroughError
from walkthrough.gui import settings as S
from walkthrough.gui.background import run_with_progress
from walkthrough.gui.error_wording import describe

if TYPE_CHECKING:
    from walkthrough.gui.main_window import MainWindow
    from walkthrough.services.exchange import PackageWritten, Received

SUFFIX = ".lwpkg"


class TeamPackages(QObject):
    """The three package commands of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The last summary shown before bringing a package in (for tests and the status bar).
        self.last_summary = ""
        #: What the last package brought in did.
        self.last_received: Received | None = None

    # -- writing ------------------------------------------------------------------------------

    def share(self, path: Path | None = None, passphrase: str | None = None) -> None:
        """Write the whole open walkthrough into a package for another laptop (asks where, unless given ``path``)."""
        window = self.window
        if window.current is None or window.db is None:
            return
        if path is None:
            path = self._ask_save_path(self.tr("Share walkthrough"), " shared")
            if path is None:
                return
            from walkthrough.gui.views.package_dialog import PackageDialog

            choices = PackageDialog.ask(path, None, window)
            if choices is None:
                return
            passphrase = choices.passphrase
        from walkthrough.services.exchange import share_walkthrough

        db, wid = window.db, window.current.id
        self._save_pending()
        window.last_task = run_with_progress(
            window, self.tr("Share walkthrough"), self.tr("Writing the package…"),
            lambda progress: share_walkthrough(db, wid, path, passphrase=passphrase),
            lambda written: self._written(written, passphrase is not None),
            lambda message: window._warn(self.tr("Package not written"), message))

    def send(self, path: Path | None = None, to: str | None = None, passphrase: str | None = None) -> None:
        """Write this laptop's changes to the open walkthrough into a package (for ``to``, a laptop's id, or any)."""
        window = self.window
        if window.current is None or window.db is None:
            return
        from walkthrough.services.exchange import other_devices, send_changes

        if path is None:
            path = self._ask_save_path(self.tr("Send my changes"), " changes")
            if path is None:
                return
            from walkthrough.gui.views.package_dialog import PackageDialog

            try:
                known = other_devices(window.db)
            except WalkthroughError as exc:
                window._warn(self.tr("Package not written"), describe(exc))
                return
            shown = [(laptop.id, f"{laptop.name} ({laptop.person})" if laptop.person else laptop.name)
                     for laptop in known]
            choices = PackageDialog.ask(path, shown, window)
            if choices is None:
                return
            passphrase, to = choices.passphrase, choices.to
        db, wid = window.db, window.current.id
        self._save_pending()
        window.last_task = run_with_progress(
            window, self.tr("Send my changes"), self.tr("Writing the package…"),
            lambda progress: send_changes(db, wid, path, to=to, passphrase=passphrase),
            lambda written: self._written(written, passphrase is not None),
            lambda message: window._warn(self.tr("Package not written"), message))

    def _written(self, written: PackageWritten, sealed: bool) -> None:
        if sealed:
            text = self.tr("Saved %1, sealed with a passphrase: %2 and %3.")
        else:
            text = self.tr("Saved %1: %2 and %3.")
        changes = self.tr("%n change(s)", "", written.changes)
        photos = self.tr("%n photo(s)", "", written.photos)
        text = text.replace("%1", written.path.name).replace("%2", changes).replace("%3", photos)
        self.window.statusBar().showMessage(text, 15000)

    def _ask_save_path(self, title: str, ending: str) -> Path | None:
        return self.window._ask_save_path(title, self.window._suggested_name(ending + SUFFIX),
                                          self.tr("Lens Walkthrough packages (*.lwpkg)"), SUFFIX)

    def _save_pending(self) -> None:
        if self.window.walk_page is not None:
            self.window.walk_page.flush()  # a note being typed goes with the package

    # -- this laptop ------------------------------------------------------------------------

    def name_this_laptop(self, name: str | None = None, person: str | None = None) -> bool:
        """Set the name other laptops know this one by and who uses it (asks, unless both are given).

        Returns True when they were saved.
        """
        window = self.window
        if window.db is None or window.db.read_only:
            return False
        from walkthrough.services.history import set_device, this_device

        if name is None or person is None:
            from walkthrough.gui.views.device_dialog import DeviceDialog

            try:
                now = this_device(window.db)
            except WalkthroughError as exc:
                window._warn(self.tr("This laptop"), describe(exc))
                return False
            names = DeviceDialog.ask(now.name if name is None else name, now.person if person is None else person,
                                     window)
            if names is None:
                return False
            name, person = names.name, names.person
        try:
            device = set_device(window.db, name=name, person=person)
        except WalkthroughError as exc:
            window._warn(self.tr("This laptop's name not changed"), describe(exc))
            return False
        shown = (self.tr("%1 (%2)", "recorded by: the person, then their laptop's name")
                 .replace("%1", device.person).replace("%2", device.name) if device.person else device.name)
        window.statusBar().showMessage(self.tr("This laptop is now “%1” to the team.").replace("%1", shown), 15000)
        return True

    # -- bringing in ------------------------------------------------------------------------

    def bring_in(self, path: Path | None = None, passphrase: str | None = None) -> None:
        """Bring a package in: first say what it would do (a dry run), and only then, if the person agrees, do it.

        A sealed package asks for its passphrase (again after a wrong one).
        """
        window = self.window
        if window.db is None or window.db.read_only:
            return
        if path is None:
            folder = window.settings.get(S.LAST_FOLDER) or str(Path.home())
            chosen, _ = QFileDialog.getOpenFileName(window, self.tr("Bring in changes"), folder,
                                                    self.tr("Lens Walkthrough packages (*.lwpkg);;All files (*)"))
            if not chosen:
                return
            path = Path(chosen)
            window.settings.set(S.LAST_FOLDER, str(path.parent))
        self._save_pending()
        self._try(path, passphrase)

    def _try(self, path: Path, passphrase: str | None) -> None:
        from walkthrough.services.exchange import receive_package

        db = self.window.db

        def work(progress: Any) -> Any:
            try:
                return receive_package(db, path, passphrase=passphrase, dry_run=True)
            except PackageError as exc:
                if exc.reason in (PackageError.NEEDS_PASSPHRASE, PackageError.WRONG_PASSPHRASE):
                    return exc  # asked for on the GUI thread, then tried again
                raise

        self.window.last_task = run_with_progress(
            self.window, self.tr("Bring in changes"), self.tr("Reading the package…"), work,
            lambda result: self._looked(path, passphrase, result),
            lambda message: self.window._warn(self.tr("Nothing brought in"), message))

    def _looked(self, path: Path, passphrase: str | None, result: Received | PackageError) -> None:
        if isinstance(result, PackageError):
            again = self.ask_passphrase(path, result.reason == PackageError.WRONG_PASSPHRASE)
            if again is not None:
                self._try(path, again)
            return
        self.last_summary = self.summary(result)
        if result.nothing_new:
            # Taken in all the same: it says what the other laptop has seen, so the next package for it is smaller.
            self._bring_in(path, passphrase)
            return
        if self.confirm(self.last_summary):
            self._bring_in(path, passphrase)

    def _bring_in(self, path: Path, passphrase: str | None) -> None:
        from walkthrough.services.exchange import receive_package

        db = self.window.db
        self.window.last_task = run_with_progress(
            self.window, self.tr("Bring in changes"), self.tr("Bringing the changes in…"),
            lambda progress: receive_package(db, path, passphrase=passphrase),
            self._received,
            lambda message: self.window._warn(self.tr("Nothing brought in"), message))

    def _received(self, received: Received) -> None:
        window = self.window
        self.last_received = received
        if received.backup_skipped:
            window._warn(self.tr("No backup made"), self.tr(
                "No backup was made before bringing the changes in: the disk is nearly full. The changes "
                "were brought in."))
        if received.nothing_new:
            window.statusBar().showMessage(self.tr("Everything in that package was already here; nothing changed."),
                                           15000)
            return
        current = window.current
        if current is not None and current.id == received.walkthrough_id:
            try:
                current.reload()
            except WalkthroughError as exc:
                window._warn(self.tr("Cannot show the changes"), describe(exc))
        elif current is None:
            window.show_start_page()  # the list shows the new or changed walkthrough
        window.update_differences_count()
        if received.joined:
            said = self.tr("Added the shared walkthrough. %1").replace(
                "%1", self.summary(replace(received, joined=False)))
        else:
            said = self.tr("Brought in: %1").replace("%1", self.last_summary)
        window.statusBar().showMessage(said, 15000)
        if received.joined:
            if self.offer(self.tr("The walkthrough is now on this laptop. Open it?"), self.tr("&Open it")):
                window.open_walkthrough(received.walkthrough_id)
        elif received.to_decide and (current is None or current.id == received.walkthrough_id):
            if self.offer(self.tr("Brought in. %n difference(s) to decide: two people changed the same thing "
                                  "without seeing each other's change.", "", received.to_decide),
                          self.tr("&Decide now")):
                if window.current is None:
                    window.open_walkthrough(received.walkthrough_id)
                window.show_differences()

    # -- words and questions ----------------------------------------------------------------

    def summary(self, received: Received) -> str:
        """What a package brings, in one calm sentence or two."""
        sender = received.sender or self.tr("another laptop")
        who = (self.tr("From %1 (%2)").replace("%2", received.sender_person) if received.sender_person
               else self.tr("From %1")).replace("%1", sender)
        if received.nothing_new:
            return self.tr("%1: nothing new — everything in it is already here.").replace("%1", who)
        parts = [self.tr("%n new item(s)", "", received.new)] if received.new else []
        if received.changed:
            parts.append(self.tr("%n item(s) changed", "", received.changed))
        if received.deleted:
            parts.append(self.tr("%n item(s) deleted", "", received.deleted))
        counts = ", ".join(parts) or self.tr("changes to what is here")
        text = self.tr("%1: %2").replace("%1", who).replace("%2", counts)
        if received.to_decide:
            text += self.tr(" — %n difference(s) to decide", "", received.to_decide)
        text += "."
        if received.joined:
            text = self.tr("A walkthrough not on this laptop yet. %1").replace("%1", text)
        if received.waiting:
            text += " " + self.tr("%n change(s) wait for something another package will bring.", "",
                                  received.waiting)
        return text

    def confirm(self, summary: str) -> bool:
        """Ask before bringing in: Bring in, or Cancel (the default for Esc)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Bring in changes"),
                          summary + "\n\n" + self.tr("A backup of your walkthroughs is made first."),
                          QMessageBox.StandardButton.Cancel, self.window)
        bring = box.addButton(self.tr("&Bring in"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(bring)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is bring

    def offer(self, text: str, yes: str) -> bool:
        """A question after bringing in with one button to go on (``yes``) and Close."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Bring in changes"), text,
                          QMessageBox.StandardButton.Close, self.window)
        go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(go)
        box.setEscapeButton(QMessageBox.StandardButton.Close)
        box.exec()
        return box.clickedButton() is go

    def ask_passphrase(self, path: Path, wrong: bool) -> str | None:
        """The passphrase of a sealed package; None when the person gives up."""
        from walkthrough.gui.views.package_dialog import OpenSealedDialog

        return OpenSealedDialog.ask(path, wrong, self.window)
