"""What the SSD holds beside the case record: the child's voice as the SSD asks it, what each
placement costs, and the education service's SEN and EHC plan records.

Written in one pass after the casework, reading the children's assessments, episodes and
dates of birth back in primary-key order. The choices come from a random source of their own
(seeded from the run's seed), so adding these rows leaves every other row of a seed as it was.

- voice: about a third of assessments have the child's five answers, mostly yes;
- costs: every placement has its weekly cost from its start (fostering a few hundred pounds,
  children's homes several thousand);
- education: about one school-age child in twenty has an EHC needs assessment request, most
  agreed and issued as a plan in force with one or two needs; a few refused.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from decimal import Decimal

from caseline.apps.assessments.models import Assessment
from caseline.apps.education.models import (
    EhcpActivePlan,
    EhcpAssessment,
    EhcpNamedPlan,
    EhcpRequest,
    SendRecord,
    SenNeed,
)
from caseline.apps.lookedafter.models import Episode, PlacementCost
from caseline.apps.people.models import Person
from caseline.apps.recording.models import ChildVoice
from caseline.apps.synthetic.generator.core import Batch, Generation, birthday
from caseline.apps.synthetic.generator.staff import Authority

# Weekly costs in pounds, by the 903 placement type's first letter (a range to draw from).
WEEKLY_COST = {"U": (350, 950), "K": (4200, 7500), "R": (150, 400), "P": (150, 600)}
OTHER_COST = (600, 2500)
NEEDS = ("ASD", "SEMH", "SLCN", "MLD", "SpLD", "SLD", "PD", "HI", "VI", "OTH")


def build_held(gen: Generation, authority: Authority, child_ids: Sequence[int]) -> int:
    """Write the voice, cost and education rows; return how many."""
    rng = random.Random(f"{gen.params.seed}:ssd-held")
    as_at = gen.params.as_at
    batch = Batch.ordered(
        ChildVoice,
        PlacementCost,
        SendRecord,
        EhcpRequest,
        EhcpAssessment,
        EhcpNamedPlan,
        EhcpActivePlan,
        SenNeed,
    )
    worker = authority.front_door.manager
    assessments = Assessment.objects.order_by("pk").values_list("person_id", "start_date")
    for person_id, started in assessments.iterator(chunk_size=2000):
        if rng.random() < 0.35:
            batch.add(
                ChildVoice(
                    person_id=person_id,
                    asked_on=started,
                    explained_worries=rng.random() < 0.8,
                    story_helped_understand=rng.random() < 0.7,
                    agrees_with_worker=rng.random() < 0.6,
                    plan_keeps_safe=rng.random() < 0.75,
                    tablet_helped_explain=None if rng.random() < 0.5 else rng.random() < 0.4,
                    recorded_by=worker,
                )
            )
    carer = authority.care[0].manager if authority.care else worker
    episodes = Episode.objects.order_by("pk").values_list(
        "pk", "placement_type", "start_date", "end_date"
    )
    for pk, placement, start, end in episodes.iterator(chunk_size=2000):
        low, high = WEEKLY_COST.get((placement or " ")[0], OTHER_COST)
        batch.add(
            PlacementCost(
                episode_id=pk,
                weekly_cost=Decimal(rng.randint(low, high)) + Decimal("0.50") * rng.randint(0, 1),
                start_date=start,
                end_date=end,
                recorded_by=carer,
            )
        )
    children = Person.objects.filter(pk__in=child_ids).order_by("pk")
    for pk, upn, born in children.values_list("pk", "upn", "date_of_birth").iterator(2000):
        if born is None or rng.random() >= 0.05:
            continue
        earliest = max(birthday(born, 3), gen.start)
        latest = min(birthday(born, 18), as_at) - datetime.timedelta(days=140)
        if earliest >= latest:
            continue
        requested = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
        record = SendRecord(person_id=pk, upn=upn)
        batch.add(record)
        agreed = rng.random() < 0.8
        decided = requested + datetime.timedelta(days=rng.randint(28, 42))
        request = EhcpRequest(
            send_record=record,
            requested_on=requested,
            outcome_on=decided,
            outcome="Assessment agreed" if agreed else "Assessment refused",
        )
        batch.add(request)
        if not agreed:
            continue
        issued = requested + datetime.timedelta(days=rng.randint(100, 140))
        assessment = EhcpAssessment(request=request, outcome_on=issued, outcome="Plan issued")
        batch.add(assessment)
        batch.add(EhcpNamedPlan(assessment=assessment, start_date=issued))
        reviewed = issued
        while reviewed + datetime.timedelta(days=365) <= as_at:
            reviewed += datetime.timedelta(days=365)
        plan = EhcpActivePlan(
            request=request, last_reviewed_on=None if reviewed == issued else reviewed
        )
        batch.add(plan)
        needs = rng.sample(NEEDS, rng.choice((1, 1, 2)))
        for index, need in enumerate(needs):
            batch.add(SenNeed(active_plan=plan, need_type=need, is_primary=index == 0))
    return gen.write(batch)
