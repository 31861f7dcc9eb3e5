"""The main national measures of a generated authority, computed from its database, to tune
the generator towards England's published figures (``returns.national``).

A measuring aid for the synthetic data only: the authority's real indicators (issue 16) will
be built on the returns' own definitions. Each follows DOMAIN.md §2 as closely as a few
queries can, over the collection year ending on ``year_end`` (31 March):

- ``icpc_within_15_working_days``: initial conferences in the year held 0 to 15 working days
  after the strategy discussion that started their enquiry;
- ``assessments_within_45_working_days``: assessments authorised in the year, 0 to 45 working
  days from their start;
- ``rereferrals_within_12_months``: referrals in the year within 12 months of the child's
  previous referral;
- ``cpp_ceased_after_2_years_or_more``: plans ceasing in the year that had lasted more than
  729 days, counting the day they ceased;
- ``cpp_starts_with_previous_plan``: plans starting in the year of children with an earlier
  plan here (in the record, or before it: ``protection.ProtectionHistory``);
- ``cla_3_or_more_placements_in_year``: children looked after on 31 March (not on short
  breaks) with 3 or more placements in the year (a placement starts with a new carer: 903 RNE
  S, P or B), of all children looked after on 31 March.

Run it on a generated database with ``caseline shell -c "from caseline.apps.synthetic.measures
import report; print(report())"``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from caseline.apps.assessments.models import Assessment
from caseline.apps.frontdoor.models import Referral
from caseline.apps.lookedafter.models import SHORT_BREAK_STATUSES, Episode
from caseline.apps.protection.models import Conference, ProtectionHistory, ProtectionPlan
from caseline.apps.returns.national import england
from caseline.apps.timescales.calendar import add_calendar_months, england_and_wales

NEW_CARER = frozenset({"S", "P", "B"})


@dataclass(frozen=True)
class Measure:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return 100 * self.numerator / self.denominator if self.denominator else None


def _ratio(flags: list[bool]) -> Measure:
    return Measure(sum(flags), len(flags))


def measures(year_end: datetime.date) -> dict[str, Measure]:
    """Each measure for the collection year ending on ``year_end``."""
    start = datetime.date(year_end.year - 1, year_end.month, year_end.day) + datetime.timedelta(
        days=1
    )
    calendar = england_and_wales()

    conferences = Conference.objects.filter(
        kind=Conference.Kind.INITIAL,
        enquiry__isnull=False,
        conference_date__gte=start,
        conference_date__lte=year_end,
    ).values_list("enquiry__start_date", "conference_date")
    icpc = _ratio(
        [
            held <= calendar.add_working_days(began, 15)
            for began, held in conferences
            if held >= began
        ]
    )

    authorised = Assessment.objects.filter(
        authorised_on__gte=start, authorised_on__lte=year_end
    ).values_list("start_date", "authorised_on")
    assessed = _ratio(
        [done <= calendar.add_working_days(began, 45) for began, done in authorised if done]
    )

    referrals: dict[int, list[datetime.date]] = defaultdict(list)
    for person, day in Referral.objects.filter(referral_date__lte=year_end).values_list(
        "person_id", "referral_date"
    ):
        referrals[person].append(day)
    repeat: list[bool] = []
    for days in referrals.values():
        days.sort()
        for i, day in enumerate(days):
            if day >= start:
                repeat.append(i > 0 and add_calendar_months(days[i - 1], 12) >= day)

    plans = list(ProtectionPlan.objects.values_list("person_id", "start_date", "end_date"))
    ceased = _ratio(
        [
            (end - began).days + 1 > 729
            for _, began, end in plans
            if end is not None and start <= end <= year_end
        ]
    )
    first_plan: dict[int, datetime.date] = {}
    for person, began, _ in plans:
        first_plan[person] = min(began, first_plan.get(person, began))
    before = set(ProtectionHistory.objects.values_list("person_id", flat=True))
    again = _ratio(
        [
            person in before or first_plan[person] < began
            for person, began, _ in plans
            if start <= began <= year_end
        ]
    )

    episodes: dict[int, list[Episode]] = defaultdict(list)
    for episode in (
        Episode.objects.filter(start_date__lte=year_end)
        .exclude(end_date__lt=start)
        .order_by("start_date", "id")
    ):
        episodes[episode.person_id].append(episode)
    stability: list[bool] = []
    for rows in episodes.values():
        last = rows[-1]
        if last.end_date is not None and last.end_date <= year_end:
            continue  # not looked after on 31 March
        if any(e.legal_status in SHORT_BREAK_STATUSES for e in rows):
            continue
        placements = sum(
            1 for i, e in enumerate(rows) if i == 0 or e.reason_new_episode in NEW_CARER
        )
        stability.append(placements >= 3)

    return {
        "icpc_within_15_working_days": icpc,
        "assessments_within_45_working_days": assessed,
        "rereferrals_within_12_months": _ratio(repeat),
        "cpp_ceased_after_2_years_or_more": ceased,
        "cpp_starts_with_previous_plan": again,
        "cla_3_or_more_placements_in_year": _ratio(stability),
    }


def pooled(year_ends: list[datetime.date]) -> dict[str, Measure]:
    """Each measure over several collection years, numerators and denominators added (a small
    authority has too few conferences or children in care in one year to say much)."""
    totals: dict[str, Measure] = {}
    for year_end in year_ends:
        for name, m in measures(year_end).items():
            before = totals.get(name, Measure(0, 0))
            totals[name] = Measure(
                before.numerator + m.numerator, before.denominator + m.denominator
            )
    return totals


def last_year_end(as_at: datetime.date) -> datetime.date:
    """The last 31 March on or before ``as_at``."""
    year = as_at.year if (as_at.month, as_at.day) >= (3, 31) else as_at.year - 1
    return datetime.date(year, 3, 31)


def report(year_end: datetime.date | None = None, years: int = 1) -> str:
    """The measures beside England's, one a line, over ``years`` collection years to
    ``year_end`` (the last complete one by default)."""
    year_end = year_end or last_year_end(timezone.localdate())
    ends = [datetime.date(year_end.year - n, 3, 31) for n in range(years)]
    lines = [f"{years} year(s) ending {year_end:%d %B %Y}: authority (England)"]
    for name, measure in pooled(ends).items():
        value = measure.percent
        shown = "-" if value is None else f"{value:5.1f}%"
        lines.append(
            f"  {name}: {shown} ({measure.numerator}/{measure.denominator}) "
            f"(England {england(name):.1f}%)"
        )
    return "\n".join(lines)
