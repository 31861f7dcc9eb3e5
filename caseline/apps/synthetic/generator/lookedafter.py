"""Children looked after and care leavers: periods of care with their placement moves, IROs,
reviews, visits, care plans, health and education, and pathway plans from 16."""

from __future__ import annotations

import datetime

from caseline.apps.accounts.models import User
from caseline.apps.lookedafter.models import (
    CarePlan,
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
from caseline.apps.people.models import Allocation, Person
from caseline.apps.synthetic import identifiers, names
from caseline.apps.synthetic.generator import recording
from caseline.apps.synthetic.generator.core import Batch, Generation, weighted, years_before
from caseline.apps.synthetic.generator.staff import Authority, allocate
from caseline.apps.timescales.calendar import add_calendar_months

# How a period of care ends, for the referral to close with: the allocation, the day, the
# closure reason.
Ending = tuple[Allocation, datetime.date, str]


def placement_paperwork(batch: Batch, episode: Episode, worker: User, as_at: datetime.date) -> None:
    """The placement plan agreed and notice given within a few days of the placement's start
    (CPPCR regulations 9 and 13), as a service in good order has them. Drawn from no random
    numbers, so the rest of the authority is the same for the same seed."""
    plan_day = episode.start_date + datetime.timedelta(days=2)
    if plan_day <= as_at:
        batch.add(
            PlacementPlan(
                person=episode.person,
                episode=episode,
                agreed_on=plan_day,
                agreed_with=episode.carer_name or "The carer",
                summary="How the carer will meet the child's needs day to day, and keep them "
                "in touch with family and school.",
                recorded_by=worker,
            )
        )
    notice_day = episode.start_date  # a planned move: notice on the day counts as in time
    if notice_day <= as_at:
        batch.add(
            PlacementNotice(
                person=episode.person,
                episode=episode,
                emergency=False,
                given_on=notice_day,
                given_to=["child", "parents", "gp", "education", "iro"],
                recorded_by=worker,
            )
        )


def new_care(
    gen: Generation,
    batch: Batch,
    child: Person,
    allocation: Allocation,
    authorised: datetime.date,
    authority: Authority,
) -> Ending | None:
    """The child comes into care: episodes (with placement moves), IRO, reviews, visits.
    Returns how care ended, or None while it goes on."""
    rng, as_at = gen.rng, gen.params.as_at
    assert child.date_of_birth is not None
    start = authorised + datetime.timedelta(days=rng.randint(1, 5))
    if start > as_at:
        return None
    care, iros = rng.choice(authority.care), authority.reviewing
    worker, iro = rng.choice(care.workers), rng.choice(iros.workers)
    care_allocation = allocate(
        batch, child, care, worker, start, "The child came into care", ending=allocation
    )
    eighteen = years_before(child.date_of_birth, -18)
    end = min(eighteen, start + datetime.timedelta(days=rng.randint(60, 1800)))
    legal = weighted(rng, (("C2", 45), ("V2", 30), ("C1", 15), ("E1", 5), ("L2", 5)))
    episode_start, reason_new = start, "S"
    while True:
        moves = rng.random() < 0.35
        episode_end = episode_start + datetime.timedelta(days=rng.randint(60, 700))
        final = not moves or episode_end >= end
        episode_end = end if final else episode_end
        pc = identifiers.postcode(rng)
        episode = Episode(
            person=child,
            start_date=episode_start,
            reason_new_episode=reason_new,
            legal_status=legal,
            placement_type=weighted(
                rng,
                (
                    ("U4", 30),
                    ("U6", 25),
                    ("U1", 10),
                    ("U3", 5),
                    ("K2", 12),
                    ("R1", 3),
                    ("P1", 5),
                    ("S1", 5),
                    ("U5", 5),
                ),
            ),
            placement_provider=weighted(rng, (("PR1", 60), ("PR4", 25), ("PR5", 15))),
            placement_postcode=pc,
            carer_name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
            area=weighted(rng, (("IN", 7), ("OUT", 3))),
            end_date=episode_end if episode_end <= as_at else None,
            reason_episode_ceased=(
                ("X1" if not final else ceased(episode_end, eighteen))
                if episode_end <= as_at
                else ""
            ),
            reason_place_change=(
                rng.choice(("CARPL", "CHILD", "LAREQ", "PLACE"))
                if not final and episode_end <= as_at
                else ""
            ),
            recorded_by=worker,
        )
        batch.add(episode)
        placement_paperwork(batch, episode, worker, as_at)
        if final or episode_end > as_at:
            break
        episode_start, reason_new = episode_end, "P"
    last = min(end, as_at)
    batch.add(
        IROAllocation(
            person=child,
            iro=iro,
            start_date=start,
            end_date=end if end <= as_at else None,
            recorded_by=iro,
        )
    )
    review = gen.working_days(start, 20)
    gap = 91
    while review <= last:
        batch.add(
            LACReview(
                person=child,
                review_date=review,
                chair=iro,
                participation=weighted(rng, (("PN1", 5), ("PN3", 2), ("PN0", 1), ("PN6", 1))),
                child_views="Wants to see mum more often.",
                minutes_completed_on=min(as_at, review + datetime.timedelta(days=15)),
                recorded_by=iro,
            )
        )
        review += datetime.timedelta(days=gap + rng.randint(-5, 15))
        gap = 182
    visit = start + datetime.timedelta(days=rng.randint(2, 7))
    while visit <= last:
        seen = rng.random() < 0.95
        batch.add(
            LACVisit(
                person=child,
                visit_date=visit,
                child_seen=seen,
                seen_alone=seen and rng.random() < 0.75,
                note="Settled in placement; talked about school and contact.",
                recorded_by=worker,
            )
        )
        visit += datetime.timedelta(days=rng.randint(30, 50))
    new_care_plans(gen, batch, child, worker, start, last)
    recording.new_notes(gen, batch, child, worker, care.manager, start, last)
    if end > as_at:
        return None
    reason = {"E11": "RC1", "E12": "RC4", "E41": "RC3"}.get(ceased(end, eighteen), "RC7")
    return care_allocation, end, reason


def new_care_plans(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    start: datetime.date,
    last: datetime.date,
) -> None:
    """The care plan, health assessments, dental checks and personal education plans of a
    period of care, mostly within their timescales and some late by days or weeks (IHAs
    are often late nationally)."""
    rng = gen.rng
    assert child.date_of_birth is not None
    day = gen.late_by(gen.working_days(start, rng.randint(1, 10)), 0.1, 10)
    while day <= last:
        batch.add(
            CarePlan(
                person=child,
                plan_date=day,
                permanence_plan=weighted(
                    rng,
                    (("return-home", 3), ("long-term-fostering", 4), ("adoption", 1)),
                ),
                plan_summary="Stay with the current carers while the plan is assessed.",
                placement_plan="The carers take the child to school and to family time.",
                child_views="Likes the carers; wants more time with their brother.",
                recorded_by=worker,
            )
        )
        day += datetime.timedelta(days=rng.randint(150, 200))
    day = gen.late_by(gen.working_days(start, rng.randint(8, 20)), 0.3, 25)
    kind = "iha"
    while day <= last:
        batch.add(
            HealthRecord(
                person=child,
                kind=kind,
                event_date=day,
                immunisations_up_to_date=rng.random() < 0.9,
                health_plan="Continue with the GP; dental check booked.",
                recorded_by=worker,
            )
        )
        dental = day + datetime.timedelta(days=rng.randint(20, 60))
        if dental <= last:
            batch.add(
                HealthRecord(person=child, kind="dental", event_date=dental, recorded_by=worker)
            )
        months = 6 if years_before(day, 5) < child.date_of_birth else 12
        due = add_calendar_months(day, months)
        day = gen.late_by(due - datetime.timedelta(days=rng.randint(0, 25)), 0.15, 15)
        kind = "rha"
    if years_before(last, 4) >= child.date_of_birth:
        day = gen.late_by(gen.working_days(start, rng.randint(5, 20)), 0.15, 15)
        school = f"{rng.choice(('Oak', 'Hill', 'Park', 'St Anne'))} Primary School"
        while day <= last:
            batch.add(
                PersonalEducationPlan(
                    person=child,
                    pep_date=day,
                    school=school,
                    virtual_school_contact="Virtual school caseworker",
                    quality=weighted(
                        rng, (("good", 6), ("requires-improvement", 3), ("inadequate", 1))
                    ),
                    attainment="Making expected progress in reading; support in maths.",
                    child_views="Likes art and wants help with maths.",
                    recorded_by=worker,
                )
            )
            due = add_calendar_months(day, 4)
            day = gen.late_by(due - datetime.timedelta(days=rng.randint(0, 20)), 0.15, 15)
    sixteen = years_before(child.date_of_birth, -16)
    if sixteen <= last:
        # Eligible at 16 after 13 weeks in care: the plan within 3 months, then 6-monthly.
        eligible = max(sixteen, start + datetime.timedelta(weeks=13))
        day = gen.late_by(eligible + datetime.timedelta(days=rng.randint(20, 85)), 0.15, 15)
        kind = "plan"
        while day <= last:
            batch.add(
                PathwayPlan(
                    person=child,
                    kind=kind,
                    plan_date=day,
                    summary="Staying put with the carers; college place for September.",
                    young_person_views="Wants to learn to cook and manage money.",
                    recorded_by=worker,
                )
            )
            due = add_calendar_months(day, 6)
            day = gen.late_by(due - datetime.timedelta(days=rng.randint(0, 25)), 0.15, 15)
            kind = "review"


def ceased(day: datetime.date, eighteen: datetime.date) -> str:
    """Why care ended (derived from the day, so every caller agrees)."""
    if day >= eighteen:
        return "E8"
    return ("E4A", "E4A", "E4A", "E12", "E11", "E41", "E13")[day.toordinal() % 7]
