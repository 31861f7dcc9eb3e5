"""Care and leaving care's due work for many children at once (the "My work" pages).

:func:`care_work_items` works out each child's due work by the rules the care record page
uses (``derive.care_due``), from only what those rules read (``derive.CareDates``), not
each child's whole history. Five queries whatever the number of children (one, the
episodes, when none of them has ever been looked after):

1. the episodes;
2. the children, each with the latest date on or before ``as_at`` of a visit at which they
   were seen, a health assessment, a PEP, a care plan and a pathway plan or review, the
   episode of the latest placement with a placement plan and with a notice, and their IRO
   now (whose the reviews are);
3. the reviews on or before ``as_at`` (for a child neither looked after nor on a series of
   short breaks on ``as_at``, only those awaiting minutes), with their dates only;
4. the date and "in touch" of every care leaver contact;
5. the IRO's requests for an earlier review, for the children in care.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Model, OuterRef, Q, Subquery

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.links import url_builder
from caseline.apps.lookedafter import timescales as rules
from caseline.apps.lookedafter.derive import (
    HEALTH_ASSESSMENTS,
    PATHWAY_PLANS,
    CareDates,
    ReviewRequest,
    awaits_minutes,
    care_due,
    minutes_due,
    period_on,
    periods_of_care,
    short_breaks_on,
)
from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    CarePlan,
    EarlierReviewRequest,
    Episode,
    HealthRecord,
    IROAllocation,
    LACReview,
    LACVisit,
    PathwayPlan,
    PersonalEducationPlan,
    PlacementNotice,
    PlacementPlan,
)
from caseline.apps.people.contribution import DueItem, PersonIds
from caseline.apps.people.models import Person


def _latest(model: type[Model], field: str, as_at: datetime.date, **filters: Any) -> Subquery:
    """The child's latest ``field`` on or before ``as_at`` (in the query on people)."""
    rows = model._default_manager.filter(
        person=OuterRef("pk"), **{f"{field}__lte": as_at}, **filters
    )
    return Subquery(rows.order_by(f"-{field}").values(field)[:1])


def _latest_placement(model: type[Model], field: str, as_at: datetime.date) -> Subquery:
    """The episode that began the latest placement with a ``model`` record (a placement plan,
    a notice) dated on or before ``as_at`` (in the query on people). If the current placement
    has one, this is it: its episodes are the child's latest."""
    rows = model._default_manager.filter(person=OuterRef("pk"), **{f"{field}__lte": as_at})
    return Subquery(rows.order_by("-episode__start_date", "-episode_id").values("episode_id")[:1])


def _dates(day: datetime.date | None) -> tuple[datetime.date, ...]:
    return () if day is None else (day,)


def _ids(pk: int | None) -> tuple[int, ...]:
    return () if pk is None else (pk,)


# What the care rules (``derive``) read of an episode and of the child: reading only these
# spares making every field of every episode of a team's children (a leaving care team's
# hundreds). A rule reading another field would cost a query an episode: the query count
# tests would fail.
EPISODE_FIELDS = (
    "id",
    "person_id",
    "start_date",
    "end_date",
    "reason_new_episode",
    "reason_episode_ceased",
    "reason_place_change",
    "legal_status",
    "placement_type",
    "arrangement",
    "intended_until_18",
)
PERSON_FIELDS = ("id", "date_of_birth")


def _episodes(person_ids: PersonIds) -> dict[int, list[Episode]]:
    """The episodes of each child who has ever been looked after, oldest first. One query."""
    episodes: dict[int, list[Episode]] = defaultdict(list)
    rows = Episode.objects.filter(person_id__any_of=person_ids).only(*EPISODE_FIELDS)
    for episode in rows.order_by("person_id", "start_date", "id"):
        episodes[episode.person_id].append(episode)
    return episodes


def care_dates_for(
    person_ids: PersonIds, as_at: datetime.date
) -> list[tuple[CareDates, int | None]]:
    """What the care rules read on ``as_at`` for each of the children ever looked after:
    their episodes, the latest of each dated record, the reviews of the period (or series of
    short breaks) open on ``as_at`` and any awaiting minutes, and the keeping-in-touch
    contacts (one on or after ``as_at`` may still meet a birthday's); with each, the child's
    IRO now (a user id). Five queries; none after the first when none of the children has
    ever been looked after."""
    episodes = _episodes(person_ids)
    if not episodes:
        return []
    ids = list(episodes)
    in_care = [pk for pk in ids if _reviewed_on(episodes[pk], as_at)]
    others = sorted(set(ids) - set(in_care))
    people = (
        Person.objects.filter(pk__in=ids)
        .only(*PERSON_FIELDS)
        .annotate(
            latest_seen_visit=_latest(LACVisit, "visit_date", as_at, child_seen=True),
            latest_health_assessment=_latest(
                HealthRecord, "event_date", as_at, kind__in=HEALTH_ASSESSMENTS
            ),
            latest_pep=_latest(PersonalEducationPlan, "pep_date", as_at),
            latest_care_plan=_latest(CarePlan, "plan_date", as_at),
            latest_pathway_plan=_latest(PathwayPlan, "plan_date", as_at, kind__in=PATHWAY_PLANS),
            current_iro=Subquery(
                IROAllocation.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
                .order_by("-start_date", "-id")
                .values("iro_id")[:1]
            ),
            latest_placement_plan=_latest_placement(PlacementPlan, "agreed_on", as_at),
            latest_placement_notice=_latest_placement(PlacementNotice, "given_on", as_at),
        )
        .order_by("pk")
    )
    # Reviews and contacts in each model's own order, as the care record reads them (of two
    # contacts on one day, the rule takes the first), with only the fields the rules read.
    reviews: dict[int, list[LACReview]] = defaultdict(list)
    for review in (
        LACReview.objects.filter(review_date__lte=as_at)
        .filter(
            Q(person_id__in=in_care) | Q(person_id__in=others, minutes_completed_on__isnull=True)
        )
        .only("person_id", "review_date", "minutes_completed_on", "recorded_elsewhere")
        .order_by("-review_date", "-id")
    ):
        reviews[review.person_id].append(review)
    contacts: dict[int, list[CareLeaverContact]] = defaultdict(list)
    for contact in (
        CareLeaverContact.objects.filter(person_id__in=ids)
        .only("person_id", "contact_date", "in_touch")
        .order_by("-contact_date", "-id")
    ):
        contacts[contact.person_id].append(contact)
    # The IRO's requests for an earlier review (reg 33(3)(a)), for the children in care now.
    requests: dict[int, list[ReviewRequest]] = defaultdict(list)
    for asked in EarlierReviewRequest.objects.filter(
        person_id__in=in_care, requested_on__lte=as_at
    ).only("person_id", "requested_on", "review_by"):
        requests[asked.person_id].append(ReviewRequest(asked.requested_on, asked.review_by))
    return [
        (
            CareDates(
                person=person,
                episodes=episodes[person.pk],
                reviews=reviews[person.pk],
                contacts=contacts[person.pk],
                seen_visits=_dates(person.latest_seen_visit),
                health_assessments=_dates(person.latest_health_assessment),
                peps=_dates(person.latest_pep),
                care_plans=_dates(person.latest_care_plan),
                pathway_plans=_dates(person.latest_pathway_plan),
                placement_plans=_ids(person.latest_placement_plan),
                placement_notices=_ids(person.latest_placement_notice),
                review_requests=requests[person.pk],
            ),
            person.current_iro,
        )
        for person in people
    ]


def _forms() -> dict[str, tuple[str, Permission]]:
    """Where the work of each rule (by code) is done, and the permission that form's view
    declares. A review's minutes are done on the review's own page (``care_work_items``)."""
    forms = {
        "lookedafter:care-plan": ((rules.CARE_PLAN,), Permission.PLAN_RECORD),
        "lookedafter:placement-plan": ((rules.PLACEMENT_PLAN,), Permission.PLAN_RECORD),
        "lookedafter:placement-notice": (
            (rules.PLACEMENT_NOTICE, rules.PLACEMENT_NOTICE_EMERGENCY),
            Permission.CARE_RECORD,
        ),
        "lookedafter:review-new": (
            (
                rules.REVIEW_FIRST,
                rules.REVIEW_SECOND,
                rules.REVIEW_LATER,
                rules.SHORT_BREAK_REVIEW_FIRST,
                rules.SHORT_BREAK_REVIEW,
            ),
            Permission.REVIEW_CHAIR,
        ),
        "lookedafter:visit-new": (
            (
                rules.VISIT_FIRST,
                rules.VISIT_FIRST_YEAR,
                rules.VISIT_LONG_TERM,
                rules.VISIT_WEEKLY,
                rules.VISIT_FOUR_WEEKLY,
                rules.VISIT_CARE_ORDER_WITH_PARENT,
                rules.SHORT_BREAK_VISIT_FIRST,
                rules.SHORT_BREAK_VISIT,
            ),
            Permission.VISIT_RECORD,
        ),
        "lookedafter:health-new": (
            (rules.HEALTH_INITIAL, rules.HEALTH_REVIEW_UNDER_5, rules.HEALTH_REVIEW),
            Permission.CARE_RECORD,
        ),
        "lookedafter:pep-new": ((rules.PEP_INITIAL, rules.PEP_REVIEW), Permission.CARE_RECORD),
        "lookedafter:pathway-new": (
            (rules.PATHWAY_PLAN, rules.PATHWAY_PLAN_REVIEW),
            Permission.PLAN_RECORD,
        ),
        "lookedafter:contact-new": ((rules.BIRTHDAY_CONTACT,), Permission.CARE_RECORD),
    }
    return {
        rule.code: (name, permission)
        for name, (done_by, permission) in forms.items()
        for rule in done_by
    }


FORMS = _forms()


def _awaiting_minutes(dates: CareDates, as_at: datetime.date) -> dict[datetime.date, list[int]]:
    """The reviews awaiting minutes by the day the minutes are due, in the order
    ``care_due`` gives their items (it lists them in the reviews' order, then sorts by due
    date, keeping that order for a day's ties)."""
    awaiting: dict[datetime.date, list[int]] = defaultdict(list)
    for review in dates.reviews:
        if awaits_minutes(review, as_at):
            awaiting[minutes_due(review, as_at).due_date].append(review.pk)
    return awaiting


def _reviewed_on(episodes: list[Episode], as_at: datetime.date) -> bool:
    """Whether the child's reviews count towards a review due on ``as_at``: looked after
    then, or on a series of short breaks."""
    periods = periods_of_care(episodes)
    return period_on(periods, as_at) is not None or short_breaks_on(periods, as_at) is not None


def care_work_items(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Every looked-after child's and care leaver's due work, in four queries. Each item
    links to the form where it is done; the reviews and their minutes are the IRO's."""
    links = {name: url_builder(name, "person_id") for name, _ in FORMS.values()}
    minutes = url_builder("lookedafter:minutes", "person_id", "review_id")
    items: list[DueItem] = []
    for dates, iro in care_dates_for(person_ids, as_at):
        pk = dates.person.pk
        awaiting = _awaiting_minutes(dates, as_at)
        for due in care_due(dates, as_at):
            if due.rule.code == rules.REVIEW_MINUTES.code:
                review_id = awaiting[due.timeliness.due_date].pop(0)
                href = minutes(person_id=pk, review_id=review_id)
                permission = Permission.REVIEW_CHAIR
            else:
                name, permission = FORMS[due.rule.code]
                href = links[name](person_id=pk)
            items.append(
                DueItem(
                    pk,
                    due.title,
                    due.rule.code,
                    due.timeliness,
                    href,
                    permission=permission,
                    assigned_to_id=iro if permission is Permission.REVIEW_CHAIR else None,
                )
            )
    return items
