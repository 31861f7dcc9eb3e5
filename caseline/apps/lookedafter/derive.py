"""What is derived from the recorded episodes, never typed: periods of care, placements,
series of short breaks, care-leaver eligibility, and every due date (from the timescale
rules).

Pure functions over records and dates already loaded, so the care record page, the due work
of many children (``work.py``) and the tests all share them without extra queries. A
child's due work is :func:`care_due`, from what :class:`CareDates` holds.

Each due date comes from the version of its rule in force on the trigger date
(:func:`rule_on`, the catalogue's choice), so a child looked after before April 2011 had their
first review due under the 1991 regulations.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from caseline.apps.lookedafter import timescales as rules
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    PLACED_WITH_PARENTS,
    STARTED,
    CareLeaverContact,
    Episode,
    HealthRecord,
    LACReview,
    PathwayPlan,
    PlacementNotice,
    PlacementPlan,
)
from caseline.apps.people.models import Person
from caseline.apps.timescales.calendar import add_calendar_months
from caseline.apps.timescales.rules import (
    CATALOGUE,
    Timeliness,
    TimescaleRule,
    assess_timeliness,
)

# Reason-for-new-episode codes that mean the child moved placement.
PLACEMENT_CHANGES = frozenset({"S", "P", "T", "B", "U"})
THIRTEEN_WEEKS_IN_DAYS = 91
# A full care order (903 legal status C2).
CARE_ORDER = "C2"
# Temporary moves that are not new placements needing their own placement plan and notice: a
# hospital stay and a holiday (903 T1, T2). An assumption: see the placement plan rule.
NOT_NEW_PLACEMENTS = frozenset({"T1", "T2"})
# A series of short breaks lapses this many months after its latest break (an assumption: see
# the short-break rules).
SHORT_BREAKS_LAPSE_MONTHS = 12


@dataclass(frozen=True)
class EpisodeRun:
    """Consecutive episodes, from the first's start to the last's end."""

    episodes: tuple[Episode, ...]

    @property
    def start_date(self) -> datetime.date:
        return self.episodes[0].start_date

    @property
    def end_date(self) -> datetime.date | None:
        return self.episodes[-1].end_date


@dataclass(frozen=True)
class Placement(EpisodeRun):
    """Consecutive episodes in one placement (only the legal status changed between them)."""

    @property
    def latest(self) -> Episode:
        return self.episodes[-1]

    @property
    def reason_changed(self) -> str:
        """The 903 reason the child left this placement (on its last episode)."""
        return self.episodes[-1].reason_place_change


@dataclass(frozen=True)
class PeriodOfCare(EpisodeRun):
    """An unbroken time looked after: episodes joined end to start by X1."""

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def reason_ceased(self) -> str:
        return self.episodes[-1].reason_episode_ceased

    @property
    def current(self) -> Episode:
        return self.episodes[-1]

    @property
    def legal_status_since(self) -> datetime.date:
        """When the current legal status began (placement moves do not restart it)."""
        current = self.episodes[-1].legal_status
        since = self.episodes[-1].start_date
        for episode in reversed(self.episodes):
            if episode.legal_status != current:
                break
            since = episode.start_date
        return since

    @property
    def is_short_breaks(self) -> bool:
        """A period made only of agreed short breaks (V3/V4, CPPCR reg 48)."""
        return all(e.is_short_break for e in self.episodes)

    def contains(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @functools.cached_property
    def placements(self) -> list[Placement]:
        """The period's placements, oldest first: worked out once (its episodes are fixed)."""
        groups: list[list[Episode]] = []
        for episode in self.episodes:
            if not groups or episode.reason_new_episode in PLACEMENT_CHANGES:
                groups.append([episode])
            else:
                groups[-1].append(episode)
        return [Placement(tuple(group)) for group in groups]


def periods_of_care(episodes: Iterable[Episode]) -> list[PeriodOfCare]:
    """Group a child's episodes (any order) into periods of care, oldest first.

    A new period starts with reason ``S``, or wherever an episode does not follow on the same
    day from one that ended with ``X1``.
    """
    groups: list[list[Episode]] = []
    for episode in sorted(episodes, key=lambda e: (e.start_date, e.pk or 0)):
        previous = groups[-1][-1] if groups else None
        follows = (
            previous is not None
            and episode.reason_new_episode != STARTED
            and previous.reason_episode_ceased == NEW_EPISODE_FOLLOWS
            and previous.end_date == episode.start_date
        )
        if follows:
            groups[-1].append(episode)
        else:
            groups.append([episode])
    return [PeriodOfCare(tuple(group)) for group in groups]


def period_on(periods: Sequence[PeriodOfCare], day: datetime.date) -> PeriodOfCare | None:
    """The period of care (not short breaks only) the child was in on ``day``, if any."""
    for period in reversed(periods):
        if period.contains(day) and not period.is_short_breaks:
            return period
    return None


@dataclass(frozen=True)
class ShortBreaks:
    """A series of short breaks (CPPCR reg 48): periods of care made only of short breaks,
    each starting within 12 months of the end of the one before, with no other care between.

    ``until`` is the day before the next period of care that is not part of the series, if
    there is one; reviews held up to then (between breaks too) are the series'.
    """

    periods: tuple[PeriodOfCare, ...]
    until: datetime.date | None = None

    @property
    def start_date(self) -> datetime.date:
        return self.periods[0].start_date

    @property
    def lapses_after(self) -> datetime.date | None:
        """The last day of the series if no more breaks are taken (None while on a break)."""
        end = self.periods[-1].end_date
        return None if end is None else add_calendar_months(end, SHORT_BREAKS_LAPSE_MONTHS)

    def on_a_break(self, day: datetime.date) -> bool:
        return any(p.contains(day) for p in self.periods)

    def covers(self, day: datetime.date) -> bool:
        """Whether ``day`` falls within the series (from its first break to its end)."""
        return self.start_date <= day and (self.until is None or day <= self.until)


def short_break_series(periods: Sequence[PeriodOfCare]) -> list[ShortBreaks]:
    """The child's series of short breaks, oldest first (``periods``: from
    ``periods_of_care``, oldest first)."""
    found: list[ShortBreaks] = []
    current: list[PeriodOfCare] = []

    def close(next_start: datetime.date | None) -> None:
        if not current:
            return
        series = ShortBreaks(tuple(current))
        ends = [d for d in (series.lapses_after,) if d is not None]
        if next_start is not None:
            ends.append(next_start - datetime.timedelta(days=1))
        found.append(ShortBreaks(tuple(current), min(ends, default=None)))
        current.clear()

    for period in periods:
        if not period.is_short_breaks:
            close(period.start_date)
            continue
        if current:
            lapses = ShortBreaks(tuple(current)).lapses_after
            if lapses is None or period.start_date > lapses:
                close(period.start_date)
        current.append(period)
    close(None)
    return found


def short_breaks_on(periods: Sequence[PeriodOfCare], day: datetime.date) -> ShortBreaks | None:
    """The series of short breaks the child is in on ``day`` (on a break, or between breaks
    before the series lapses), if any; None while looked after in the usual way."""
    started = [p for p in periods if p.start_date <= day]
    if not started or not started[-1].is_short_breaks:
        return None
    series = short_break_series(started)[-1]
    return series if series.covers(day) else None


def reason_new_episode(
    *, legal_status_changed: bool, placement_changed: bool, same_carer: bool
) -> str:
    """The 903 reason for a new episode, from what changed (S is for a new period)."""
    if legal_status_changed and placement_changed:
        return "U" if same_carer else "B"
    if placement_changed:
        return "T" if same_carer else "P"
    return "L"


# --- Due dates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """Something due: its rule and where it stands."""

    title: str
    rule: TimescaleRule
    timeliness: Timeliness


def rule_on(rule: TimescaleRule, trigger: datetime.date) -> TimescaleRule | None:
    """The version of ``rule`` that judges something triggered on ``trigger``: the one the
    catalogue has in force then (None if none applies, e.g. a placement plan before 2011)."""
    return CATALOGUE.in_force(rule.code, trigger)


def _due(rule: TimescaleRule, trigger: datetime.date, as_at: datetime.date, title: str = "") -> Due:
    version = rule_on(rule, trigger)
    assert version is not None, f"No version of {rule.code} applies on {trigger}"
    return Due(
        title or version.title, version, assess_timeliness(version.due_date(trigger), None, as_at)
    )


@dataclass(frozen=True)
class ReviewRequest:
    """The IRO asked, on ``requested_on``, for the next review to be held by ``review_by``
    (CPPCR reg 33(3)(a)). The caller makes these from the records of such requests."""

    requested_on: datetime.date
    review_by: datetime.date


def _asked_by(
    requests: Iterable[ReviewRequest], since: datetime.date, until: datetime.date
) -> datetime.date | None:
    """The earliest date the IRO asked for a review by, in requests made from ``since`` (the
    last review, or the start of care) up to ``until``."""
    return min((r.review_by for r in requests if since <= r.requested_on <= until), default=None)


def review_rule(previous_reviews: int) -> TimescaleRule:
    """Which regulation 33 rule sets the next review, given how many were held this period."""
    if previous_reviews == 0:
        return rules.REVIEW_FIRST
    if previous_reviews == 1:
        return rules.REVIEW_SECOND
    return rules.REVIEW_LATER


def reviews_in(period: PeriodOfCare, reviews: Iterable[LACReview]) -> list[LACReview]:
    """The reviews held in the period, oldest first."""
    return sorted(
        (r for r in reviews if period.contains(r.review_date)), key=lambda r: r.review_date
    )


def _review_due(
    rule: TimescaleRule,
    trigger: datetime.date,
    requests: Iterable[ReviewRequest],
    until: datetime.date,
) -> datetime.date:
    """When a review is due: by the rule in force on ``trigger``, or sooner if the IRO asked
    (in a request made from ``trigger`` up to ``until``)."""
    version = rule_on(rule, trigger)
    assert version is not None, f"No version of {rule.code} applies on {trigger}"
    due = version.due_date(trigger)
    asked = _asked_by(requests, trigger, until)
    return asked if asked is not None and asked < due else due


def review_timeliness(
    period: PeriodOfCare,
    reviews: Iterable[LACReview],
    as_at: datetime.date,
    requests: Iterable[ReviewRequest] = (),
) -> list[tuple[LACReview, Timeliness]]:
    """Each review held in the period with whether it was on time (regulation 33, or the
    IRO's earlier date if they asked for one before it)."""
    held = reviews_in(period, reviews)
    result = []
    trigger = period.start_date
    for count, review in enumerate(held):
        before = review.review_date - datetime.timedelta(days=1)
        due = _review_due(review_rule(count), trigger, requests, before)
        result.append((review, assess_timeliness(due, review.review_date, as_at)))
        trigger = review.review_date
    return result


def next_review(
    period: PeriodOfCare,
    reviews: Iterable[LACReview],
    as_at: datetime.date,
    requests: Iterable[ReviewRequest] = (),
) -> Due:
    """The next looked-after review: by the earlier of regulation 33's date and any date the
    IRO asked for since the last review (``requests``)."""
    held = [r for r in reviews_in(period, reviews) if r.review_date <= as_at]
    trigger = held[-1].review_date if held else period.start_date
    due = _due(review_rule(len(held)), trigger, as_at, "Looked-after review")
    asked = _asked_by(requests, trigger, as_at)
    if asked is None or asked >= due.timeliness.due_date:
        return due
    title = "Looked-after review (brought forward by the IRO)"
    return Due(title, due.rule, assess_timeliness(asked, None, as_at))


def awaits_minutes(review: LACReview, as_at: datetime.date) -> bool:
    """Whether the review's minutes are due here: held by ``as_at`` and not complete. A review
    held in another system has its minutes there (ADR 0036)."""
    return (
        review.minutes_completed_on is None
        and review.review_date <= as_at
        and not review.recorded_elsewhere
    )


def minutes_due(review: LACReview, as_at: datetime.date) -> Timeliness:
    version = rule_on(rules.REVIEW_MINUTES, review.review_date) or rules.REVIEW_MINUTES
    return assess_timeliness(
        version.due_date(review.review_date), review.minutes_completed_on, as_at
    )


def _weekly_until_first_review(episode: Episode) -> bool:
    return episode.arrangement != Episode.Arrangement.STANDARD or (
        episode.placement_type == PLACED_WITH_PARENTS and episode.legal_status == "C1"
    )


def visit_rule(
    placement: Placement, last_seen: datetime.date | None, review_since: datetime.date | None
) -> TimescaleRule:
    """The regulation 28 frequency for the next visit to a child in ``placement``.

    ``last_seen`` is the last visit in this placement at which the child was seen;
    ``review_since`` the first looked-after review held since the placement began.
    """
    episode = placement.latest
    weekly = _weekly_until_first_review(episode)
    if last_seen is None:
        return rules.VISIT_WEEKLY if weekly else rules.VISIT_FIRST
    if weekly:
        if review_since is None:
            return rules.VISIT_WEEKLY
        if episode.arrangement == Episode.Arrangement.PARENT_BEFORE_ASSESSMENT:
            return rules.VISIT_FIRST_YEAR
        return rules.VISIT_FOUR_WEEKLY
    if episode.placement_type == PLACED_WITH_PARENTS:
        return rules.VISIT_FIRST_YEAR
    first_year_ends = add_calendar_months(placement.start_date, 12)
    if episode.intended_until_18 and last_seen >= first_year_ends:
        return rules.VISIT_LONG_TERM
    return rules.VISIT_FIRST_YEAR


def next_visit(
    period: PeriodOfCare,
    seen_visits: Iterable[datetime.date],
    reviews: Iterable[LACReview],
    as_at: datetime.date,
) -> Due:
    """When the next statutory visit is due: from the placement or the last visit at which
    the child was seen (``seen_visits``: the dates of those visits)."""
    placement = period.placements[-1]
    seen = sorted(day for day in seen_visits if placement.start_date <= day <= as_at)
    last_seen = seen[-1] if seen else None
    since = [
        r.review_date
        for r in reviews_in(period, reviews)
        if placement.start_date <= r.review_date <= as_at
    ]
    rule = visit_rule(placement, last_seen, since[0] if since else None)
    due = _due(rule, last_seen or placement.start_date, as_at, "Statutory visit")
    order = care_order_with_parent(period, placement)
    if order is None or (last_seen is not None and last_seen >= order):
        return due
    after_order = _due(rules.VISIT_CARE_ORDER_WITH_PARENT, order, as_at, "Statutory visit")
    return min(due, after_order, key=lambda d: d.timeliness.due_date)


def care_order_with_parent(period: PeriodOfCare, placement: Placement) -> datetime.date | None:
    """When a full care order (C2) was made while the child lived with a parent (P1) in
    ``placement``, if it was (CPPCR reg 28(5): a visit within a week of the order). None if
    the order came before the placement or with it: the placement's own first visit is due
    within a week then (reg 28(2)(a))."""
    episode = placement.latest
    if episode.legal_status != CARE_ORDER or episode.placement_type != PLACED_WITH_PARENTS:
        return None
    made = period.legal_status_since
    return made if made > placement.start_date else None


def _needs_own_paperwork(placement: Placement) -> bool:
    """Whether a placement needs its own placement plan and notice (not a hospital stay or a
    holiday, which keep the plan of the placement they interrupt)."""
    return placement.latest.placement_type not in NOT_NEW_PLACEMENTS


def _recorded_for(placement: Placement, episode_ids: Iterable[int]) -> bool:
    """Whether a record made against one of these episodes belongs to ``placement``."""
    ids = set(episode_ids)
    return any(e.pk is not None and e.pk in ids for e in placement.episodes)


def placement_plan_due(
    period: PeriodOfCare, plan_episodes: Iterable[int], as_at: datetime.date
) -> Due | None:
    """The current placement's placement plan (CPPCR reg 9), if none is recorded for it yet
    (``plan_episodes``: the episodes placement plans were recorded against)."""
    placement = period.placements[-1]
    if not _needs_own_paperwork(placement) or _recorded_for(placement, plan_episodes):
        return None
    if rule_on(rules.PLACEMENT_PLAN, placement.start_date) is None:
        return None  # placed before 1 April 2011: no timescale (reg 9(4))
    return _due(rules.PLACEMENT_PLAN, placement.start_date, as_at)


def placement_notice_due(
    period: PeriodOfCare, notice_episodes: Iterable[int], as_at: datetime.date
) -> Due | None:
    """Notice of the current placement (CPPCR reg 13), if none is recorded for it yet. Until
    one is, Caseline does not know whether the placement was made in an emergency, so the
    due date is the emergency one, the latest lawful date (``notice_episodes``: the episodes
    notices were recorded against)."""
    placement = period.placements[-1]
    if not _needs_own_paperwork(placement) or _recorded_for(placement, notice_episodes):
        return None
    rule = rules.PLACEMENT_NOTICE_EMERGENCY
    return _due(rule, placement.start_date, as_at, "Notice of the placement")


@dataclass(frozen=True)
class PlacementPaperwork:
    """The current placement's placement plan and notice, each with its timeliness (None
    when not recorded, or when no timescale applied)."""

    placement: Placement
    needed: bool  # False for a hospital stay or a holiday
    plan: PlacementPlan | None
    plan_timeliness: Timeliness | None
    notice: PlacementNotice | None
    notice_timeliness: Timeliness | None


def placement_paperwork(
    period: PeriodOfCare,
    plans: Iterable[PlacementPlan],
    notices: Iterable[PlacementNotice],
    as_at: datetime.date,
) -> PlacementPaperwork:
    """The current placement's placement plan and notice as recorded (the first of each),
    with whether each was on time: the notice by the emergency rule or the planned one, as
    the notice says."""
    placement = period.placements[-1]
    ids = {e.pk for e in placement.episodes}
    plan = min(
        (p for p in plans if p.episode_id in ids and p.agreed_on <= as_at),
        key=lambda p: p.agreed_on,
        default=None,
    )
    notice = min(
        (n for n in notices if n.episode_id in ids and n.given_on <= as_at),
        key=lambda n: n.given_on,
        default=None,
    )
    start = placement.start_date
    plan_rule = rule_on(rules.PLACEMENT_PLAN, start)
    plan_timeliness = (
        assess_timeliness(plan_rule.due_date(start), plan.agreed_on, as_at)
        if plan is not None and plan_rule is not None
        else None
    )
    notice_timeliness = None
    if notice is not None:
        kind = rules.PLACEMENT_NOTICE_EMERGENCY if notice.emergency else rules.PLACEMENT_NOTICE
        notice_rule = rule_on(kind, start)
        if notice_rule is not None:
            due = notice_rule.due_date(start)
            notice_timeliness = assess_timeliness(due, notice.given_on, as_at)
    return PlacementPaperwork(
        placement,
        _needs_own_paperwork(placement),
        plan,
        plan_timeliness,
        notice,
        notice_timeliness,
    )


def care_plan_due(
    period: PeriodOfCare, plan_dates: Iterable[datetime.date], as_at: datetime.date
) -> Due | None:
    """The first care plan of the period, if none is recorded yet (None once there is one)."""
    if any(period.start_date <= day <= as_at for day in plan_dates):
        return None
    return _due(rules.CARE_PLAN, period.start_date, as_at)


HEALTH_ASSESSMENTS = (HealthRecord.Kind.INITIAL_ASSESSMENT, HealthRecord.Kind.REVIEW_ASSESSMENT)


def next_health_assessment(
    person: Person,
    period: PeriodOfCare,
    assessed_on: Iterable[datetime.date],
    as_at: datetime.date,
) -> Due:
    """The initial health assessment, or the next review after the last (``assessed_on``:
    the dates of the child's health assessments, initial or review)."""
    done = sorted(day for day in assessed_on if period.start_date <= day <= as_at)
    if not done:
        return _due(rules.HEALTH_INITIAL, period.start_date, as_at)
    age = person.age_on(done[-1])
    rule = rules.HEALTH_REVIEW_UNDER_5 if age is not None and age < 5 else rules.HEALTH_REVIEW
    return _due(rule, done[-1], as_at, "Review health assessment")


def next_pep(period: PeriodOfCare, pep_dates: Iterable[datetime.date], as_at: datetime.date) -> Due:
    held = sorted(day for day in pep_dates if period.start_date <= day <= as_at)
    if not held:
        return _due(rules.PEP_INITIAL, period.start_date, as_at)
    return _due(rules.PEP_REVIEW, held[-1], as_at)


# --- Short breaks (CPPCR reg 48) -------------------------------------------------------------


def short_break_reviews(series: ShortBreaks, reviews: Iterable[LACReview]) -> list[LACReview]:
    """The reviews held in the series (on a break or between breaks), oldest first."""
    return sorted((r for r in reviews if series.covers(r.review_date)), key=lambda r: r.review_date)


def _short_break_review_rule(previous_reviews: int) -> TimescaleRule:
    return rules.SHORT_BREAK_REVIEW_FIRST if previous_reviews == 0 else rules.SHORT_BREAK_REVIEW


def short_break_review_timeliness(
    series: ShortBreaks, reviews: Iterable[LACReview], as_at: datetime.date
) -> list[tuple[LACReview, Timeliness]]:
    """Each review held in the series with whether it was on time (regulation 48)."""
    result = []
    trigger = series.start_date
    for count, review in enumerate(short_break_reviews(series, reviews)):
        version = rule_on(_short_break_review_rule(count), trigger)
        assert version is not None
        result.append(
            (review, assess_timeliness(version.due_date(trigger), review.review_date, as_at))
        )
        trigger = review.review_date
    return result


def next_short_break_review(
    series: ShortBreaks, reviews: Iterable[LACReview], as_at: datetime.date
) -> Due:
    """The next review of a child on short breaks: within 3 months of the first break, then
    every 6 months (regulation 48, unverified: see the rules)."""
    held = [r for r in short_break_reviews(series, reviews) if r.review_date <= as_at]
    trigger = held[-1].review_date if held else series.start_date
    return _due(_short_break_review_rule(len(held)), trigger, as_at)


def next_short_break_visit(
    series: ShortBreaks, seen_visits: Iterable[datetime.date], as_at: datetime.date
) -> Due:
    """The next visit to a child on short breaks, on a day they are on a break: within 3
    months of the first break, then every 6 months (regulation 48, unverified)."""
    seen = sorted(d for d in seen_visits if d <= as_at and series.on_a_break(d))
    if not seen:
        return _due(rules.SHORT_BREAK_VISIT_FIRST, series.start_date, as_at)
    return _due(rules.SHORT_BREAK_VISIT, seen[-1], as_at)


def reviews_with_timeliness(
    periods: Sequence[PeriodOfCare],
    reviews: Iterable[LACReview],
    as_at: datetime.date,
    requests: Iterable[ReviewRequest] = (),
) -> list[tuple[LACReview, Timeliness]]:
    """Every review with whether it was on time, newest first: by regulation 33 in each
    period of care, by regulation 48 in each series of short breaks."""
    reviews = list(reviews)
    result: list[tuple[LACReview, Timeliness]] = []
    for period in periods:
        if not period.is_short_breaks:
            result += review_timeliness(period, reviews, as_at, requests)
    between = [r for r in reviews if period_on(periods, r.review_date) is None]
    for series in short_break_series(periods):
        result += short_break_review_timeliness(series, between, as_at)
    return sorted(result, key=lambda pair: pair[0].review_date, reverse=True)


# --- Care leavers ----------------------------------------------------------------------------


class Eligibility(StrEnum):
    """Care-leaver categories (CA1989 Sch 2 para 19B, s23A, s23C, s24)."""

    ELIGIBLE = "eligible"
    RELEVANT = "relevant"
    FORMER_RELEVANT = "former-relevant"
    QUALIFYING = "qualifying"

    @property
    def label(self) -> str:
        return _ELIGIBILITY_LABELS[self]


_ELIGIBILITY_LABELS = {
    Eligibility.ELIGIBLE: "Eligible child (16 or 17 and looked after)",
    Eligibility.RELEVANT: "Relevant child (16 or 17 and left care)",
    Eligibility.FORMER_RELEVANT: "Former relevant child (18 to 25)",
    Eligibility.QUALIFYING: "Qualifying care leaver",
}


def birthday(person: Person, age: int) -> datetime.date:
    """The day the person turns ``age`` (29 February birthdays fall on 28 February)."""
    assert person.date_of_birth is not None
    return add_calendar_months(person.date_of_birth, 12 * age)


def eligibility_met_on(person: Person, episodes: Iterable[Episode]) -> datetime.date | None:
    """The day the child met regulation 40: 13 weeks looked after from 14, ending after 16.

    Counts days looked after from the 14th birthday, leaving out agreed short breaks (V3/V4);
    the day returned is the later of the 91st such day and the 16th birthday, provided the
    child was still looked after after turning 16. None if not (yet) met.
    """
    if person.date_of_birth is None:
        return None
    from_14, at_16 = birthday(person, 14), birthday(person, 16)
    counted = 0
    for episode in sorted(episodes, key=lambda e: e.start_date):
        if episode.is_short_break:
            continue
        start = max(episode.start_date, from_14)
        end = episode.end_date or datetime.date.max
        if end <= start:
            continue
        days_here = (end - start).days if episode.end_date else None
        if days_here is None or counted + days_here >= THIRTEEN_WEEKS_IN_DAYS:
            # 13 weeks reached in this episode: on this day, or later if they were under 16.
            reached = start.toordinal() + (THIRTEEN_WEEKS_IN_DAYS - counted)
            met = datetime.date.fromordinal(max(reached, at_16.toordinal()))
            if episode.end_date is None or (at_16 < episode.end_date and met <= episode.end_date):
                return met
            # Reached 13 weeks but left care before 16: keep counting later episodes.
            counted = THIRTEEN_WEEKS_IN_DAYS
            continue
        counted += days_here
    return None


def looked_after_from_16(person: Person, episodes: Iterable[Episode]) -> bool:
    if person.date_of_birth is None:
        return False
    at_16 = birthday(person, 16)
    return any(
        not e.is_short_break and (e.end_date is None or e.end_date > at_16) for e in episodes
    )


@dataclass(frozen=True)
class LeavingCare:
    """A young person's leaving care on a day, worked out once for the rules that read it
    (the pathway plan, the keeping-in-touch contact): their category, the day they met
    regulation 40 (if by then) and the day their last period of care ended (if it has; only
    worked out at the ages a care leaver can be, 16 to 25)."""

    status: Eligibility | None
    eligible_from: datetime.date | None
    left_care: datetime.date | None


def leaving_care(
    person: Person,
    episodes: Sequence[Episode],
    as_at: datetime.date,
    periods: Sequence[PeriodOfCare] | None = None,
) -> LeavingCare:
    """The young person's :class:`LeavingCare` on ``as_at``, from the episodes (``periods``:
    theirs from ``periods_of_care``, when the caller has worked them out)."""
    age = person.age_on(as_at)
    if age is None or age < 16 or age > 25:
        return LeavingCare(None, None, None)
    periods = periods_of_care(episodes) if periods is None else periods
    left_care = max((p.end_date for p in periods if p.end_date is not None), default=None)
    recorded = [e for e in episodes if e.start_date <= as_at]
    met = eligibility_met_on(person, recorded)
    met = met if met is not None and met <= as_at else None
    # The periods of the episodes begun by ``as_at``: those already worked out when none
    # begins later.
    begun = periods if len(recorded) == len(episodes) else periods_of_care(recorded)
    looked_after_now = period_on(begun, as_at) is not None
    status: Eligibility | None = None
    if age < 18:
        if met is not None:
            status = Eligibility.ELIGIBLE if looked_after_now else Eligibility.RELEVANT
        elif not looked_after_now and looked_after_from_16(person, recorded):
            status = Eligibility.QUALIFYING
    elif met is not None:
        status = Eligibility.FORMER_RELEVANT
    elif looked_after_from_16(person, recorded) and age < 21:
        status = Eligibility.QUALIFYING
    return LeavingCare(status, met, left_care)


def care_leaver_status(
    person: Person, episodes: Sequence[Episode], as_at: datetime.date
) -> Eligibility | None:
    """The child's care-leaver category on ``as_at``, derived from the episodes."""
    return leaving_care(person, episodes, as_at).status


PLANNED = (Eligibility.ELIGIBLE, Eligibility.RELEVANT, Eligibility.FORMER_RELEVANT)


PATHWAY_PLANS = (PathwayPlan.Kind.PLAN, PathwayPlan.Kind.REVIEW)


def next_pathway_plan(
    person: Person,
    episodes: Sequence[Episode],
    plan_dates: Iterable[datetime.date],
    as_at: datetime.date,
    leaving: LeavingCare | None = None,
) -> Due | None:
    """The pathway plan (by 16 years 3 months) or its next review, for those who need one
    (``plan_dates``: the dates of the young person's pathway plans and reviews; ``leaving``:
    theirs on ``as_at``, when the caller has worked it out)."""
    leaving = leaving_care(person, episodes, as_at) if leaving is None else leaving
    if leaving.status not in PLANNED:
        return None
    done = sorted(day for day in plan_dates if day <= as_at)
    if done:
        return _due(rules.PATHWAY_PLAN_REVIEW, done[-1], as_at)
    # Eligible, relevant and former relevant young people met regulation 40 by ``as_at``.
    assert leaving.eligible_from is not None
    trigger = max(birthday(person, 16), leaving.eligible_from)
    return _due(rules.PATHWAY_PLAN, trigger, as_at)


@dataclass(frozen=True)
class BirthdayContact:
    """The contact due around one birthday, with the contact that met it (if any)."""

    birthday: datetime.date
    age: int
    window_opens: datetime.date
    contact: CareLeaverContact | None
    timeliness: Timeliness


def birthday_contact(
    person: Person,
    episodes: Sequence[Episode],
    contacts: Sequence[CareLeaverContact],
    as_at: datetime.date,
    leaving: LeavingCare | None = None,
) -> BirthdayContact | None:
    """The keeping-in-touch contact for the latest birthday whose window has opened.

    Birthdays after leaving care, at ages 17 to 21, for relevant and former relevant young
    people; 22 to 25 only if the last contact before the window said in touch. The window
    opens 3 months before the birthday. ``leaving``: theirs on ``as_at``, when the caller
    has worked it out.
    """
    leaving = leaving_care(person, episodes, as_at) if leaving is None else leaving
    if leaving.status not in (Eligibility.RELEVANT, Eligibility.FORMER_RELEVANT):
        return None
    age_now = person.age_on(as_at)
    assert age_now is not None
    left_care = leaving.left_care
    # The next birthday's window may already be open.
    for age in (age_now + 1, age_now):
        day = birthday(person, age)
        opens = add_calendar_months(day, -3)
        if opens > as_at or not 17 <= age <= 25 or left_care is None or day <= left_care:
            continue
        if age >= 22:
            before = [c for c in contacts if c.contact_date < opens]
            latest = max(before, key=lambda c: c.contact_date, default=None)
            if latest is None or latest.in_touch != "YES":
                continue
        due = rules.BIRTHDAY_CONTACT.due_date(day)
        in_window = [c for c in contacts if opens <= c.contact_date <= due]
        contact = min(in_window, key=lambda c: c.contact_date, default=None)
        completed = contact.contact_date if contact else None
        return BirthdayContact(day, age, opens, contact, assess_timeliness(due, completed, as_at))
    return None


# --- A child's due work ----------------------------------------------------------------------


@dataclass(frozen=True)
class CareDates:
    """What a child's care due work is worked out from: the child, their episodes, reviews
    and keeping-in-touch contacts, and the dates of the other records the rules read.

    Of those dated records the rules read only the latest on or before the day asked about,
    and of the reviews only those of the period of care then open and those awaiting minutes,
    so the due work of many children (``work.care_work_items``) reads no more than that; the
    care record page gives everything it has read.
    """

    person: Person
    episodes: Sequence[Episode]
    reviews: Sequence[LACReview]
    contacts: Sequence[CareLeaverContact]
    seen_visits: Sequence[datetime.date] = ()  # visits at which the child was seen
    health_assessments: Sequence[datetime.date] = ()  # initial and review assessments
    peps: Sequence[datetime.date] = ()
    care_plans: Sequence[datetime.date] = ()
    pathway_plans: Sequence[datetime.date] = ()  # pathway plans and their reviews
    # The episodes placement plans and notices of placements were recorded against.
    placement_plans: Sequence[int] = ()
    placement_notices: Sequence[int] = ()
    # Hook for the IRO's requests for an earlier review (CPPCR reg 33(3)(a)): the next
    # review is due by the earlier of the rule's date and any date asked for since the last
    # review. The caller fills it from the records of those requests.
    review_requests: Sequence[ReviewRequest] = ()

    @functools.cached_property
    def periods(self) -> list[PeriodOfCare]:
        """The child's periods of care, worked out once for every rule that reads them."""
        return periods_of_care(self.episodes)


def care_due(dates: CareDates, as_at: datetime.date) -> list[Due]:
    """Everything statutory due for the child on ``as_at``, from the timescale rules, the
    soonest first: while looked after, the first care plan, the current placement's
    placement plan and notice, the next review, visit, health assessment and (of school age)
    PEP; while on a series of short breaks, the next review and visit; the minutes of each
    review held; and for a care leaver, the pathway plan or its review and the
    keeping-in-touch contact."""
    person, episodes, reviews = dates.person, dates.episodes, dates.reviews
    items: list[Due] = []
    periods = dates.periods
    period = period_on(periods, as_at)
    series = short_breaks_on(periods, as_at) if period is None else None
    if series is not None:
        items.append(next_short_break_review(series, reviews, as_at))
        items.append(next_short_break_visit(series, dates.seen_visits, as_at))
    if period is not None:
        plan = care_plan_due(period, dates.care_plans, as_at)
        if plan is not None:
            items.append(plan)
        for paperwork in (
            placement_plan_due(period, dates.placement_plans, as_at),
            placement_notice_due(period, dates.placement_notices, as_at),
        ):
            if paperwork is not None:
                items.append(paperwork)
        items.append(next_review(period, reviews, as_at, dates.review_requests))
        items.append(next_visit(period, dates.seen_visits, reviews, as_at))
        items.append(next_health_assessment(person, period, dates.health_assessments, as_at))
        age = person.age_on(as_at)
        if age is not None and 5 <= age < 18:
            items.append(next_pep(period, dates.peps, as_at))
    for review in reviews:
        if awaits_minutes(review, as_at):
            items.append(
                Due("Minutes of the review", rules.REVIEW_MINUTES, minutes_due(review, as_at))
            )
    leaving = leaving_care(person, episodes, as_at, periods)
    pathway = next_pathway_plan(person, episodes, dates.pathway_plans, as_at, leaving)
    if pathway is not None:
        items.append(pathway)
    contact = birthday_contact(person, episodes, dates.contacts, as_at, leaving)
    if contact is not None and contact.contact is None:
        title = f"Keeping in touch around the {contact.age}th birthday"
        items.append(Due(title, rules.BIRTHDAY_CONTACT, contact.timeliness))
    return sorted(items, key=lambda d: d.timeliness.due_date)
