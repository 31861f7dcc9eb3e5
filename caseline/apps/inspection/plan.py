"""The improvement plan as it stood on a day: each action's status, target date and latest
note from its dated progress entries, and the counts the committee's report gives.

Pure functions over rows already read (:func:`caseline.apps.inspection.queries.plan_rows`
reads them in a fixed number of queries).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from caseline.apps.inspection.models import ActionProgress, ImprovementArea, PlanAction

Status = PlanAction.Status


@dataclass(frozen=True)
class Revision:
    """A target date moved on ``entry_date`` to ``to_date``, for ``reason``."""

    entry_date: datetime.date
    from_date: datetime.date
    to_date: datetime.date
    reason: str


@dataclass
class ActionAsAt:
    """One action as it stood at the end of ``as_at``."""

    action: PlanAction
    status: str
    target_date: datetime.date
    revisions: list[Revision]
    notes: list[ActionProgress]
    achieved_on: datetime.date | None

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def revised(self) -> bool:
        return bool(self.revisions)

    @property
    def latest_note(self) -> str:
        return self.notes[-1].note if self.notes else ""


@dataclass
class AreaAsAt:
    area: ImprovementArea
    actions: list[ActionAsAt]

    def with_status(self, status: str) -> list[ActionAsAt]:
        return [a for a in self.actions if a.status == status]

    @property
    def achieved(self) -> list[ActionAsAt]:
        return self.with_status(Status.ACHIEVED)

    @property
    def delayed(self) -> list[ActionAsAt]:
        return self.with_status(Status.DELAYED)

    @property
    def on_track(self) -> list[ActionAsAt]:
        return self.with_status(Status.ON_TRACK)

    @property
    def not_started(self) -> list[ActionAsAt]:
        return self.with_status(Status.NOT_STARTED)

    @property
    def revised(self) -> list[ActionAsAt]:
        return [a for a in self.actions if a.revised]

    @property
    def numbers(self) -> str:
        """The actions' numbers as the report gives them: "13", "14 to 17"."""
        return number_range([a.action.number for a in self.actions])


@dataclass
class PlanAsAt:
    as_at: datetime.date
    areas: list[AreaAsAt]
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def actions(self) -> list[ActionAsAt]:
        return [a for area in self.areas for a in area.actions]

    @property
    def achieved_count(self) -> int:
        return self.counts[Status.ACHIEVED]

    @property
    def on_track_count(self) -> int:
        return self.counts[Status.ON_TRACK]

    @property
    def delayed_count(self) -> int:
        return self.counts[Status.DELAYED]

    @property
    def not_started_count(self) -> int:
        return self.counts[Status.NOT_STARTED]

    @property
    def revised_count(self) -> int:
        return sum(1 for a in self.actions if a.revised)

    @property
    def report_areas(self) -> list[AreaAsAt]:
        """The areas for improvement and recommendations the report set."""
        return [a for a in self.areas if a.area.kind != ImprovementArea.Kind.COUNCIL]

    @property
    def council_areas(self) -> list[AreaAsAt]:
        """The headings of actions the council drew from the body of the report."""
        return [a for a in self.areas if a.area.kind == ImprovementArea.Kind.COUNCIL]


def number_range(numbers: list[int]) -> str:
    """ "13"; "14 to 17" for a run; "29, 30 and 35" otherwise; "" for none."""
    if not numbers:
        return ""
    ordered = sorted(numbers)
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]} to {ordered[-1]}"
    if len(ordered) == 1:
        return str(ordered[0])
    return ", ".join(str(n) for n in ordered[:-1]) + f" and {ordered[-1]}"


def action_as_at(
    action: PlanAction, entries: list[ActionProgress], as_at: datetime.date
) -> ActionAsAt:
    """The action at the end of ``as_at``: entries after it are not yet written."""
    status: str = Status.NOT_STARTED
    target = action.target_date
    revisions: list[Revision] = []
    notes: list[ActionProgress] = []
    achieved_on: datetime.date | None = None
    for entry in sorted(entries, key=lambda e: (e.entry_date, e.pk or 0)):
        if entry.entry_date > as_at:
            break
        if entry.status:
            status = entry.status
            achieved_on = entry.entry_date if status == Status.ACHIEVED else None
        if entry.revised_target_date is not None and entry.revised_target_date != target:
            revisions.append(
                Revision(entry.entry_date, target, entry.revised_target_date, entry.revision_reason)
            )
            target = entry.revised_target_date
        if entry.note:
            notes.append(entry)
    return ActionAsAt(action, status, target, revisions, notes, achieved_on)


def plan_as_at(
    areas: list[ImprovementArea], entries: dict[int, list[ActionProgress]], as_at: datetime.date
) -> PlanAsAt:
    """The whole plan at the end of ``as_at``. ``areas`` carry their actions prefetched in
    ``plan_actions``; ``entries`` are the actions' progress entries by action id. An action
    entered in the plan after ``as_at`` is left out."""
    result = PlanAsAt(as_at, [])
    for area in areas:
        actions = [
            action_as_at(action, entries.get(action.pk, []), as_at)
            for action in getattr(area, "plan_actions", [])
            if action.created_on <= as_at
        ]
        result.areas.append(AreaAsAt(area, actions))
        result.counts.update(a.status for a in actions)
    return result
