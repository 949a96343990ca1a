"""Words shown for the data model's enums (voices, roles, priorities, statuses), in one place for translators."""

from __future__ import annotations

import datetime as dt

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from walkthrough.domain.not_rated import NOT_RATED_SYMBOL
from walkthrough.domain.vocabulary import ActionStatus, OnTrack, Priority, Role, Voice

if TYPE_CHECKING:
    # An annotation only: the start page uses these words before any lens (and pydantic) is loaded.
    from walkthrough.domain.comparison import ActionOutcome, ConcernStatus, Verdict
    from walkthrough.domain.implementation_stage import Stage, StageReason
    from walkthrough.domain.lens import Rating


def voice_label(voice: Voice | str) -> str:
    """The words shown for whose view an observation records."""
    words = {
        Voice.FACILITATOR: QCoreApplication.translate("Voice", "Facilitator"),
        Voice.STAFF: QCoreApplication.translate("Voice", "Staff"),
        Voice.LIVED_EXPERIENCE: QCoreApplication.translate("Voice", "Person with lived experience"),
        Voice.MANAGER: QCoreApplication.translate("Voice", "Manager"),
        Voice.OTHER: QCoreApplication.translate("Voice", "Other"),
    }
    try:
        return words[Voice(voice)]
    except ValueError:
        return str(voice)


def role_label(role: Role | str) -> str:
    """The words shown for a participant's role in the team."""
    words = {
        Role.STAFF: QCoreApplication.translate("Role", "Staff"),
        Role.LIVED_EXPERIENCE: QCoreApplication.translate("Role", "Person with lived experience"),
        Role.MANAGER: QCoreApplication.translate("Role", "Manager"),
        Role.OTHER: QCoreApplication.translate("Role", "Other"),
    }
    try:
        return words[Role(role)]
    except ValueError:
        return str(role)


def not_rated_label() -> str:
    """The words for an observation with no rating yet (the domain's ``NOT_RATED_LABEL``, translated)."""
    return QCoreApplication.translate("Rating", "Not rated yet")


def not_rated_meaning() -> str:
    """What "not rated yet" means, for tooltips (the domain's ``NOT_RATED_MEANING``, translated)."""
    return QCoreApplication.translate(
        "Rating", "Written down, but no rating chosen yet: rate it before the findings are final.")


def rating_text(rating: Rating | None) -> str:
    """A rating as shown everywhere on screen: its symbol and its word (never colour alone).

    ``None`` is an observation not rated yet ("? Not rated yet").
    """
    if rating is None:
        return f"{NOT_RATED_SYMBOL} {not_rated_label()}"
    return f"{rating.symbol} {rating.label}"


def priority_label(priority: Priority | str) -> str:
    """The words shown for an action's priority."""
    words = {
        Priority.HIGH: QCoreApplication.translate("Priority", "High"),
        Priority.MEDIUM: QCoreApplication.translate("Priority", "Medium"),
        Priority.LOW: QCoreApplication.translate("Priority", "Low"),
    }
    try:
        return words[Priority(priority)]
    except ValueError:
        return str(priority)


def status_label(status: ActionStatus | str) -> str:
    """The words shown for where an action stands."""
    words = {
        ActionStatus.NOT_STARTED: QCoreApplication.translate("Status", "Not started"),
        ActionStatus.IN_PROGRESS: QCoreApplication.translate("Status", "In progress"),
        ActionStatus.DONE: QCoreApplication.translate("Status", "Done"),
    }
    try:
        return words[ActionStatus(status)]
    except ValueError:
        return str(status)


def on_track_label(on_track: OnTrack | str | None) -> str:
    """The words shown for whether an action is on track ("" when not said)."""
    if on_track is None or on_track == "":
        return ""
    words = {
        OnTrack.ON_TRACK: QCoreApplication.translate("OnTrack", "On track"),
        OnTrack.AT_RISK: QCoreApplication.translate("OnTrack", "At risk"),
        OnTrack.OFF_TRACK: QCoreApplication.translate("OnTrack", "Off track"),
    }
    try:
        return words[OnTrack(on_track)]
    except ValueError:
        return str(on_track)


def local_time_text(moment: dt.datetime) -> str:
    """A moment in local time as the window writes it everywhere ("07 Dec 2026 22:51")."""
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def local_date_text(day: dt.date) -> str:
    """A day as the window writes it everywhere ("07 Dec 2026")."""
    return day.strftime("%d %b %Y")


def verdict_label(verdict: Verdict | str) -> str:
    """The words shown for how a prompt changed between two walks (:mod:`walkthrough.domain.comparison`)."""
    from walkthrough.domain.comparison import Verdict

    words = {
        Verdict.IMPROVED: QCoreApplication.translate("Verdict", "Improved"),
        Verdict.SAME: QCoreApplication.translate("Verdict", "Same"),
        Verdict.WORSE: QCoreApplication.translate("Verdict", "Worse"),
        Verdict.NEWLY_OBSERVED: QCoreApplication.translate("Verdict", "Newly observed"),
        Verdict.NOT_REVISITED: QCoreApplication.translate("Verdict", "Not revisited"),
    }
    try:
        return words[Verdict(verdict)]
    except ValueError:
        return str(verdict)


def concern_status_label(status: ConcernStatus | str) -> str:
    """The words shown for what became of a priority concern (:mod:`walkthrough.domain.comparison`)."""
    from walkthrough.domain.comparison import ConcernStatus

    words = {
        ConcernStatus.RESOLVED: QCoreApplication.translate("ConcernStatus", "Resolved"),
        ConcernStatus.PERSISTING: QCoreApplication.translate("ConcernStatus", "Persisting"),
        ConcernStatus.NEW: QCoreApplication.translate("ConcernStatus", "New"),
        ConcernStatus.NOT_REVISITED: QCoreApplication.translate("ConcernStatus", "Not revisited"),
    }
    try:
        return words[ConcernStatus(status)]
    except ValueError:
        return str(status)


def action_outcome_label(outcome: ActionOutcome | str) -> str:
    """The words shown for an earlier action set against the change seen (:mod:`walkthrough.domain.comparison`)."""
    from walkthrough.domain.comparison import ActionOutcome

    words = {
        ActionOutcome.IMPROVED: QCoreApplication.translate("ActionOutcome", "Done, and improvement seen"),
        ActionOutcome.NOT_IMPROVED: QCoreApplication.translate(
            "ActionOutcome", "Done, no improvement seen yet: something to learn from"),
        ActionOutcome.NOT_REVISITED: QCoreApplication.translate("ActionOutcome", "Done, not looked at again"),
        ActionOutcome.OPEN: QCoreApplication.translate("ActionOutcome", "Not done yet"),
    }
    try:
        return words[ActionOutcome(outcome)]
    except ValueError:
        return str(outcome)


def stage_label(stage: Stage | int) -> str:
    """An implementation stage's number and words (:mod:`walkthrough.domain.implementation_stage`)."""
    from walkthrough.domain.implementation_stage import Stage

    words = {
        Stage.NOT_WALKED: QCoreApplication.translate("Stage", "1 Not walked"),
        Stage.WALKED: QCoreApplication.translate("Stage", "2 Walked"),
        Stage.ACTIONS_PLANNED: QCoreApplication.translate("Stage", "3 Actions planned"),
        Stage.SOME_DONE: QCoreApplication.translate("Stage", "4 Some done"),
        Stage.DONE_AND_IMPROVED: QCoreApplication.translate("Stage", "5 Done and improved"),
    }
    return words[Stage(stage)]


def stage_reason_label(reason: StageReason | str) -> str:
    """Why an area is at its implementation stage, in a sentence."""
    from walkthrough.domain.implementation_stage import StageReason

    words = {
        StageReason.NOTHING_RECORDED: QCoreApplication.translate("Stage", "Nothing recorded there"),
        StageReason.NO_LIVED_EXPERIENCE: QCoreApplication.translate(
            "Stage", "Walked without anyone with lived experience in the team"),
        StageReason.NO_STAFF: QCoreApplication.translate("Stage", "Walked without a member of staff in the team"),
        StageReason.WALKED: QCoreApplication.translate("Stage", "Walked with staff and lived experience; no action yet"),
        StageReason.ACTIONS_PLANNED: QCoreApplication.translate("Stage", "Actions planned, none done yet"),
        StageReason.SOME_DONE: QCoreApplication.translate("Stage", "Some actions done"),
        StageReason.ALL_DONE_NOT_YET_IMPROVED: QCoreApplication.translate(
            "Stage", "Every action done; a follow-up walk has yet to show improvement"),
        StageReason.DONE_AND_IMPROVED: QCoreApplication.translate(
            "Stage", "Every action done, and this walk shows improvement"),
    }
    return words[StageReason(reason)]
