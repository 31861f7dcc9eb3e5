"""Assessments: the single assessment after a referral, authorised or still open, and the
returns a manager made."""

from __future__ import annotations

import datetime

from caseline.apps.accounts.models import User
from caseline.apps.assessments.models import Assessment, AssessmentReturn
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.synthetic.generator.core import Batch, Generation, weighted

ASSESSMENT_FACTORS = (
    "18A",
    "1B",
    "2B",
    "3A",
    "3B",
    "4B",
    "4A",
    "5B",
    "10A",
    "11A",
    "14A",
    "16A",
    "17A",
    "18C",
    "24A",
)


def new_assessment(
    gen: Generation,
    batch: Batch,
    child: Person,
    referral: Referral,
    worker: User,
    manager: User,
    start: datetime.date,
    authorised: datetime.date,
    late: bool,
    outcome: str,
    *,
    factors: tuple[str, ...] = (),
) -> None:
    """The single assessment: authorised, or still open (draft, submitted or returned). Its
    factors are codes valid in the year it started (18A gave way to 18B/18C in 2020-21, 24A
    is new in 2021-22)."""
    rng, as_at = gen.rng, gen.params.as_at
    codes, year = code_list(CodeListName.ASSESSMENT_FACTOR), collection_year(start)
    usable = [f for f in ASSESSMENT_FACTORS if codes.is_valid(f, year)]
    done = authorised <= as_at
    seen = rng.random() < 0.95
    submitted = authorised - datetime.timedelta(days=rng.randint(0, 4))
    if done:
        status = "authorised"
    elif submitted <= as_at:
        status = weighted(rng, (("submitted", 2), ("returned", 1)))
    else:
        status = "draft"
    assessment = Assessment(
        person=child,
        referral=referral,
        start_date=start,
        child_seen=seen,
        child_seen_alone=seen and rng.random() < 0.7,
        date_child_seen=min(as_at, start + datetime.timedelta(days=rng.randint(1, 10)))
        if seen
        else None,
        child_views=f"{child.given_name} said home is noisy and they worry about mum.",
        child_views_method=weighted(
            rng, (("conversation", 5), ("drawing", 2), ("play", 2), ("observation", 1))
        ),
        parents_views="Mum accepts there are problems and wants help.",
        identity="The family's heritage, faith and language are important to them.",
        family_history="Mum and the children have moved several times.",
        risk_factors="Domestic abuse; mum's low mood.",
        protective_factors="A supportive grandmother nearby; good school attendance.",
        analysis="The child's needs are not met without support.",
        outcome=outcome if status != "draft" else "",
        recommendation={
            "nfa": "No further action.",
            "early-help": "Step down to early help.",
            "looked-after": "The child needs to be looked after.",
            "strategy": "Continue under the child protection plan.",
            "cin-plan": "Support under a child in need plan.",
        }[outcome],
        factors=sorted(factors or rng.sample(usable, rng.randint(1, 4))),
        late_reason="Delays getting information from health." if late and done else "",
        status=status,
        submitted_at=gen.at(submitted, 16) if status != "draft" else None,
        submitted_by=worker if status != "draft" else None,
        authorised_on=authorised if done else None,
        authorised_by=manager if done else None,
        manager_comment=(
            "The analysis is evidenced and the outcome follows from it; agreed." if done else ""
        ),
        recorded_by=worker,
    )
    batch.add(assessment)
    returned = status == "returned" or (done and rng.random() < 0.15)
    if returned:
        when = min(as_at, submitted)
        batch.add(
            AssessmentReturn(
                assessment=assessment,
                returned_by=manager,
                returned_at=gen.at(when, 17),
                reasons="Please add the child's views in their own words.",
            )
        )
