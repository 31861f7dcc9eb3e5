"""Children in need: plans with their outcomes and actions, reviews and visits."""

from __future__ import annotations

import datetime

from caseline.apps.accounts.models import User
from caseline.apps.cin.models import CINPlan, CINVisit, PlanAction, PlanOutcome, PlanReview
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.synthetic.generator.core import Batch, Generation, weighted

# Outcomes and actions of a plan (child protection plans draw from them too).
PLAN_OUTCOMES = (
    "{name} goes to school every day and is on time.",
    "{name} lives in a home free from violence and arguments.",
    "{name}'s health needs are met: dental and health checks are up to date.",
    "{name} has a safe adult to talk to when worried.",
    "{name}'s parents manage their mental health with the right support.",
)
PLAN_ACTIONS = (
    ("Attend the parenting course at the family hub", "Mum", "Mum attends every session"),
    ("Book and attend a dental check", "Dad", "The dentist confirms the appointment"),
    ("Weekly direct work sessions", "Social worker", "Sessions recorded on the file"),
    ("Refer to the domestic abuse service", "Social worker", "The service confirms contact"),
    ("Daily attendance check and feedback", "Designated safeguarding lead", "Weekly report"),
)


def new_plan(
    gen: Generation,
    batch: Batch,
    child: Person,
    referral: Referral,
    worker: User,
    manager: User,
    start: datetime.date,
    end: datetime.date,
) -> None:
    rng, as_at = gen.rng, gen.params.as_at
    ended = end <= as_at
    plan = CINPlan(
        person=child,
        referral=referral,
        start_date=start,
        end_date=end if ended else None,
        end_reason=weighted(rng, (("achieved", 6), ("step-down", 3), ("moved", 1)))
        if ended
        else "",
        child_views=f"{child.given_name} wants things to be calmer at home.",
        family_views="Mum agrees with the plan and wants support.",
        recorded_by=worker,
    )
    batch.add(plan)
    for order, text in enumerate(rng.sample(PLAN_OUTCOMES, rng.randint(2, 4)), start=1):
        outcome = PlanOutcome(plan=plan, order=order, outcome=text.format(name=child.given_name))
        batch.add(outcome)
        for what, who, how in rng.sample(PLAN_ACTIONS, rng.randint(1, 3)):
            by_when = start + datetime.timedelta(days=rng.randint(14, 120))
            status = "not-started"
            if by_when <= as_at:
                status = weighted(rng, (("done", 7), ("not-done", 1), ("in-progress", 2)))
            batch.add(
                PlanAction(
                    outcome=outcome,
                    what=what,
                    who=who,
                    by_when=by_when,
                    how_we_will_know=how,
                    status=status,
                    status_updated_on=by_when if status in ("done", "not-done") else None,
                )
            )
    last = min(end, as_at)
    review = start + datetime.timedelta(days=rng.randint(70, 95))
    while review <= last:
        next_due = review + datetime.timedelta(days=91)
        batch.add(
            PlanReview(
                plan=plan,
                review_date=review,
                progress="Some progress: school attendance has improved.",
                child_views="Things are better at home.",
                decision="continue",
                next_review_due=next_due,
                recorded_by=worker,
            )
        )
        review = next_due + datetime.timedelta(days=rng.randint(-5, 20))
    visit = start + datetime.timedelta(days=rng.randint(3, 14))
    while visit <= last:
        seen = rng.random() < 0.93
        batch.add(
            CINVisit(
                person=child,
                plan=plan,
                visit_date=visit,
                child_seen=seen,
                child_seen_alone=seen and rng.random() < 0.72,
                seen_bedroom=(rng.random() < 0.6) if seen else None,
                not_seen_reason="" if seen else "The child was at a friend's house.",
                purpose="Statutory visit under the child in need plan.",
                observations="The home was warm and tidy; there was food in the fridge.",
                child_views="Said school is OK." if seen else "",
                recorded_by=worker,
            )
        )
        visit += datetime.timedelta(days=rng.randint(10, 30))
