"""Reads about allegations: the work list, one allegation, a child's allegations and the
annual report. Every page asking is closed to all but ``LADO_MANAGE``; children named on an
allegation are shown only where the reader may see them (``visible_among``)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Min, QuerySet
from django.shortcuts import get_object_or_404

from caseline.apps.lado import timescales
from caseline.apps.lado.models import Allegation, AllegationChild, Outcome, Sector, Source
from caseline.apps.people.models import Person
from caseline.apps.people.queries import visible_among
from caseline.apps.timescales.queries import rules_in_force, standards_read_once
from caseline.apps.timescales.rules import Timeliness, TimelinessStatus, assess_timeliness


@dataclass(frozen=True)
class Stages:
    """The timeliness of an allegation's two timed steps (``None``: not yet started)."""

    initial: Timeliness
    meeting: Timeliness | None


def stages(
    allegation: Allegation, first_meeting: datetime.date | None, as_at: datetime.date
) -> Stages:
    """Timeliness of the initial consideration and, where the threshold was met, the first
    strategy meeting, by the rules in force (with the council's local standard applied)."""
    rules = rules_in_force(
        [timescales.INITIAL_CONSIDERATION.code, timescales.STRATEGY_MEETING.code]
    )
    initial_rule = rules[timescales.INITIAL_CONSIDERATION.code]
    initial = assess_timeliness(
        initial_rule.due_date(allegation.received_date),
        allegation.initial_consideration_date,
        as_at,
    )
    meeting = None
    if allegation.threshold_met and allegation.initial_consideration_date:
        meeting_rule = rules[timescales.STRATEGY_MEETING.code]
        meeting = assess_timeliness(
            meeting_rule.due_date(allegation.initial_consideration_date), first_meeting, as_at
        )
    return Stages(initial, meeting)


def _with_first_meeting(items: QuerySet[Allegation]) -> QuerySet[Allegation]:
    return items.annotate(first_meeting=Min("strategy_meetings__meeting_date"))


@dataclass(frozen=True)
class WorkRow:
    """One open allegation on the work list, with what is due next."""

    allegation: Allegation
    next_step: str
    timeliness: Timeliness | None


def work_list(officer_id: int | None, as_at: datetime.date) -> list[WorkRow]:
    """Open allegations (no outcome yet), oldest first, each with its next step and due date.
    ``officer_id`` narrows to one designated officer's; ``None`` lists every officer's."""
    items = Allegation.objects.filter(outcome_date__isnull=True)
    if officer_id is not None:
        items = items.filter(officer_id=officer_id)
    with standards_read_once():
        return _work_rows(_with_first_meeting(items).order_by("received_date", "pk"), as_at)


def _work_rows(items: QuerySet[Allegation], as_at: datetime.date) -> list[WorkRow]:
    rows = []
    for allegation in items:
        s = stages(allegation, allegation.first_meeting, as_at)  # type: ignore[attr-defined]
        if allegation.initial_consideration_date is None:
            rows.append(WorkRow(allegation, "Initial consideration", s.initial))
        elif s.meeting is not None and allegation.first_meeting is None:  # type: ignore[attr-defined]
            rows.append(WorkRow(allegation, "Strategy meeting", s.meeting))
        else:
            rows.append(WorkRow(allegation, "Outcome", None))
    return rows


def get_allegation(allegation_id: int) -> Allegation:
    """The allegation or 404 (the caller has checked ``LADO_MANAGE``)."""
    return get_object_or_404(Allegation.objects.select_related("officer"), pk=allegation_id)


def children_of(user: object, allegation: Allegation) -> tuple[list[Person], int]:
    """The children the allegation names that ``user`` may see, and how many they may not."""
    ids = list(allegation.children.values_list("person_id", flat=True))
    seen = visible_among(user, ids)
    people = list(Person.objects.filter(pk__in=seen).order_by("family_name", "given_name"))
    return people, len(ids) - len(seen)


def allegations_about(person: Person) -> list[Allegation]:
    """The allegations that name this child, newest first."""
    ids = AllegationChild.objects.filter(person=person).values("allegation_id")
    return list(Allegation.objects.filter(pk__in=ids).order_by("-received_date"))


# --- The annual report -----------------------------------------------------------------------


def report_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The reporting year starting 1 April ``year`` and ending 31 March the year after."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


NOT_CONCLUDED = "Not yet concluded"


@dataclass
class AnnualReport:
    """The figures for the safeguarding partnership's annual LADO report."""

    year: int
    start: datetime.date
    end: datetime.date
    total: int = 0
    by_sector: list[tuple[str, int]] = field(default_factory=list)
    by_source: list[tuple[str, int]] = field(default_factory=list)
    by_outcome: list[tuple[str, int]] = field(default_factory=list)
    threshold_met: int = 0
    initial_on_time: int = 0
    initial_late: int = 0
    initial_pending: int = 0
    meeting_on_time: int = 0
    meeting_late: int = 0
    meeting_pending: int = 0

    def rows(self) -> list[tuple[str, str, int]]:
        """Every figure as (measure, category, count), for the CSV."""
        out: list[tuple[str, str, int]] = [("Allegations received", "All", self.total)]
        out += [("By sector", k, v) for k, v in self.by_sector]
        out += [("By source", k, v) for k, v in self.by_source]
        out += [("By outcome", k, v) for k, v in self.by_outcome]
        out += [
            ("Threshold met", "All", self.threshold_met),
            ("Initial consideration", "On time", self.initial_on_time),
            ("Initial consideration", "Late", self.initial_late),
            ("Initial consideration", "Not yet done", self.initial_pending),
            ("First strategy meeting", "On time", self.meeting_on_time),
            ("First strategy meeting", "Late", self.meeting_late),
            ("First strategy meeting", "Not yet held", self.meeting_pending),
        ]
        return out


def _counted(counter: Counter[str], labels: dict[str, str]) -> list[tuple[str, int]]:
    return [(label, counter[code]) for code, label in labels.items() if counter[code]]


def annual_report(year: int, as_at: datetime.date) -> AnnualReport:
    """Allegations received in the reporting year, by sector, source, outcome and timeliness
    (judged as at ``as_at``, or the year's end if earlier)."""
    start, end = report_year_bounds(year)
    judged_at = min(as_at, end)
    report = AnnualReport(year, start, end)
    items = _with_first_meeting(
        Allegation.objects.filter(received_date__range=(start, end)).only(
            "received_date",
            "source",
            "sector",
            "outcome",
            "outcome_date",
            "initial_consideration_date",
            "threshold_met",
        )
    )
    sectors: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    done = {TimelinessStatus.COMPLETED_ON_TIME}
    late = {TimelinessStatus.COMPLETED_LATE, TimelinessStatus.OVERDUE}
    with standards_read_once():
        for allegation in items:
            report.total += 1
            sectors[allegation.sector] += 1
            sources[allegation.source] += 1
            concluded = allegation.outcome_date and allegation.outcome_date <= judged_at
            outcomes[allegation.outcome if concluded else ""] += 1
            first = allegation.first_meeting  # type: ignore[attr-defined]
            s = stages(allegation, first, judged_at)
            if s.initial.status in done:
                report.initial_on_time += 1
            elif s.initial.status in late:
                report.initial_late += 1
            else:
                report.initial_pending += 1
            if s.meeting is not None:
                report.threshold_met += 1
                if s.meeting.status in done:
                    report.meeting_on_time += 1
                elif s.meeting.status in late:
                    report.meeting_late += 1
                else:
                    report.meeting_pending += 1
    report.by_sector = _counted(sectors, dict(Sector.choices))
    report.by_source = _counted(sources, dict(Source.choices))
    report.by_outcome = _counted(outcomes, {**dict(Outcome.choices), "": NOT_CONCLUDED})
    return report
