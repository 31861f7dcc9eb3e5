"""Care and leaving care's due work for many children at once (the "My work" pages).

:func:`care_work_items` works out each child's due work by the rules the care record page
uses (``derive.care_due``), from only what those rules read (``derive.CareDates``), not
each child's whole history. Four queries whatever the number of children (one, the
episodes, when none of them has ever been looked after):

1. the episodes;
2. the children, each with the latest date on or before ``as_at`` of a visit at which they
   were seen, a health assessment, a PEP, a care plan and a pathway plan or review, and the
   episode of the latest placement with a placement plan and with a notice;
3. the reviews on or before ``as_at`` (for a child neither looked after nor on a series of
   short breaks on ``as_at``, only those awaiting minutes), with their dates only;
4. the date and "in touch" of every care leaver contact.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Model, OuterRef, Q, Subquery

from caseline.apps.core.links import url_builder
from caseline.apps.lookedafter.derive import (
    HEALTH_ASSESSMENTS,
    PATHWAY_PLANS,
    CareDates,
    care_due,
    period_on,
    periods_of_care,
    short_breaks_on,
)
from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    CarePlan,
    Episode,
    HealthRecord,
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


def _episodes(person_ids: PersonIds) -> dict[int, list[Episode]]:
    """The episodes of each child who has ever been looked after, oldest first. One query."""
    episodes: dict[int, list[Episode]] = defaultdict(list)
    rows = Episode.objects.filter(person_id__any_of=person_ids)
    for episode in rows.order_by("person_id", "start_date", "id"):
        episodes[episode.person_id].append(episode)
    return episodes


def care_dates_for(person_ids: PersonIds, as_at: datetime.date) -> list[CareDates]:
    """What the care rules read on ``as_at`` for each of the children ever looked after:
    their episodes, the latest of each dated record, the reviews of the period (or series of
    short breaks) open on ``as_at`` and any awaiting minutes, and the keeping-in-touch
    contacts (one on or after ``as_at`` may still meet a birthday's). Four queries; none
    after the first when none of the children has ever been looked after."""
    episodes = _episodes(person_ids)
    if not episodes:
        return []
    ids = list(episodes)
    in_care = [pk for pk in ids if _reviewed_on(episodes[pk], as_at)]
    others = sorted(set(ids) - set(in_care))
    people = (
        Person.objects.filter(pk__in=ids)
        .annotate(
            latest_seen_visit=_latest(LACVisit, "visit_date", as_at, child_seen=True),
            latest_health_assessment=_latest(
                HealthRecord, "event_date", as_at, kind__in=HEALTH_ASSESSMENTS
            ),
            latest_pep=_latest(PersonalEducationPlan, "pep_date", as_at),
            latest_care_plan=_latest(CarePlan, "plan_date", as_at),
            latest_pathway_plan=_latest(PathwayPlan, "plan_date", as_at, kind__in=PATHWAY_PLANS),
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
        .only("person_id", "review_date", "minutes_completed_on")
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
    return [
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
        )
        for person in people
    ]


def _reviewed_on(episodes: list[Episode], as_at: datetime.date) -> bool:
    """Whether the child's reviews count towards a review due on ``as_at``: looked after
    then, or on a series of short breaks."""
    periods = periods_of_care(episodes)
    return period_on(periods, as_at) is not None or short_breaks_on(periods, as_at) is not None


def care_work_items(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Every looked-after child's and care leaver's due work, in four queries."""
    href = url_builder("lookedafter:record", "person_id")
    items: list[DueItem] = []
    for dates in care_dates_for(person_ids, as_at):
        pk = dates.person.pk
        link = href(person_id=pk)
        items += [
            DueItem(pk, due.title, due.rule.code, due.timeliness, link)
            for due in care_due(dates, as_at)
        ]
    return items
