"""Child protection: strategy discussions, section 47 enquiries, conferences, and plans with
their outcomes, actions, core groups and visits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caseline.apps.accounts.models import User
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.protection.models import (
    Conference,
    ConferenceAttendee,
    CoreGroup,
    PoliceDecision,
    ProtectionAction,
    ProtectionOutcome,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
    StrategyDiscussion,
    StrategyParticipant,
    TransferIn,
)
from caseline.apps.synthetic import names
from caseline.apps.synthetic.generator.cin import PLAN_ACTIONS, PLAN_OUTCOMES
from caseline.apps.synthetic.generator.core import Batch, Generation, weighted
from caseline.apps.synthetic.generator.staff import Authority, Staff

# What the assessment concludes after an enquiry that ended this way (its outcome agrees).
ASSESSMENT_AFTER = {"nfa": "nfa", "cin": "cin-plan"}
# Where children on a plan elsewhere move from.
OTHER_AUTHORITIES = ("Liverpool", "Sefton", "Cheshire West and Chester", "Manchester", "Leeds")
# Police decisions in a joint enquiry.
POLICE_DECISIONS = (
    "Criminal investigation opened; the child to be interviewed on video.",
    "No further police action: the evidence does not meet the threshold.",
    "Suspect arrested and released under investigation; bail conditions keep him away.",
)


@dataclass
class Enquiry:
    """What came of a strategy discussion, for the referral to follow."""

    path: str = ""  # the assessment's outcome it calls for ("" leaves it to the assessment)
    completed: datetime.date | None = None  # the enquiry's completion
    plan: tuple[datetime.date, datetime.date, User] | None = None  # start, end, lead
    into_care: bool = False  # the plan ends with the child coming into care


def plan_length(gen: Generation) -> int:
    """Days a plan lasts: most under a year, about one in twenty-five two years or more
    (England: 4% of plans ceasing had lasted 2 years or more, LAIT 98)."""
    band = gen.rng.random()
    if band < 0.05:
        return gen.rng.randint(730, 1000)
    if band < 0.13:
        return gen.rng.randint(450, 729)
    if band < 0.45:
        return gen.rng.randint(270, 450)
    return gen.rng.randint(90, 270)


def new_protection(
    gen: Generation,
    batch: Batch,
    child: Person,
    referral: Referral,
    day: datetime.date,
    cin_staff: Staff,
    authority: Authority,
    assessment_staff: Staff,
    previous_plans: int,
) -> Enquiry:
    """Strategy discussion, section 47 enquiry, conference and maybe a plan."""
    rng, as_at = gen.rng, gen.params.as_at
    manager, lead = cin_staff.manager, rng.choice(cin_staff.workers)
    s47 = weighted(rng, (("joint", 50), ("single", 35), ("none", 15)))
    discussion = StrategyDiscussion(
        person=child,
        referral=referral,
        kind=weighted(rng, (("discussion", 3), ("meeting", 1))),
        held_at=gen.at(day, 14),
        information_shared="Police and health shared what they know.",
        decision="Section 47 enquiry." if s47 != "none" else "No section 47 enquiry.",
        rationale="Reasonable cause to suspect significant harm.",
        s47_decision=s47,
        recorded_by=manager,
    )
    batch.add(discussion)
    for agency in ("social-care", "police", "health"):
        batch.add(
            StrategyParticipant(
                discussion=discussion,
                agency=agency,
                participation="attended",
                name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
            )
        )
    if s47 == "none":
        return Enquiry()
    completed = gen.working_days(day, rng.randint(5, 15))
    # A child who has been on a plan before is more often conferenced again.
    conference_weight = 75 if previous_plans else 45
    outcome = weighted(rng, (("conference", conference_weight), ("cin", 35), ("nfa", 20)))
    enquiry = Section47Enquiry(
        person=child,
        referral=referral,
        strategy_discussion=discussion,
        start_date=day,
        joint_with_police=s47 == "joint",
        outcome=outcome if completed <= as_at else "",
        outcome_note="Concerns substantiated." if outcome == "conference" else "",
        completed_on=completed if completed <= as_at else None,
        # As ``complete_enquiry`` records it: an outcome other than a conference is the
        # decision that none is required (the CIN census's ICPCnotRequired).
        icpc_not_required=outcome != "conference" and completed <= as_at,
        icpc_not_required_on=completed if outcome != "conference" and completed <= as_at else None,
        recorded_by=lead,
    )
    batch.add(enquiry)
    if s47 == "joint":
        decided = gen.working_days(day, rng.randint(1, 5))
        if decided <= as_at:
            abe = rng.random() < 0.4
            batch.add(
                PoliceDecision(
                    enquiry=enquiry,
                    decided_on=decided,
                    decision=rng.choice(POLICE_DECISIONS),
                    abe_interview=abe,
                    abe_interview_on=gen.working_days(decided, rng.randint(1, 5)) if abe else None,
                    officer=f"DC {rng.choice(names.ADULT_NAMES_MALE)} {names.family_name(rng)}",
                    recorded_by=lead,
                )
            )
    done = completed if completed <= as_at else None
    # The initial conference within 15 working days of the strategy discussion (England 81%),
    # some teams later than others.
    late = rng.random() < 0.19 * assessment_staff.lateness
    conference_date = gen.working_days(day, rng.randint(16, 30) if late else rng.randint(8, 15))
    if outcome != "conference":
        return Enquiry(ASSESSMENT_AFTER[outcome] if done else "", done)
    if conference_date > as_at:
        return Enquiry("", done)
    return conference_and_plan(
        gen, batch, child, referral, lead, authority, conference_date, enquiry=enquiry, done=done
    )


def new_transfer_in(
    gen: Generation,
    batch: Batch,
    child: Person,
    referral: Referral,
    day: datetime.date,
    cin_staff: Staff,
    authority: Authority,
) -> Enquiry:
    """A child on a plan in another authority moves here: we are told (the transfer in), and
    a transfer-in conference is held within 15 working days, usually continuing the plan."""
    rng, as_at = gen.rng, gen.params.as_at
    lead = rng.choice(cin_staff.workers)
    transfer = TransferIn(
        person=child,
        referral=referral,
        notified_on=day,
        from_authority=rng.choice(OTHER_AUTHORITIES),
        notes="The family moved here; the plan there was for neglect.",
        recorded_by=cin_staff.manager,
    )
    batch.add(transfer)
    late = rng.random() < 0.15
    conference_date = gen.working_days(day, rng.randint(16, 25) if late else rng.randint(5, 15))
    # The conference is the transfer's "completion": the referral's assessment is not authorised,
    # nor the referral closed, before it (CIN census rule 8565).
    if conference_date > as_at:
        return Enquiry("", conference_date)
    return conference_and_plan(
        gen,
        batch,
        child,
        referral,
        lead,
        authority,
        conference_date,
        transfer=transfer,
        done=conference_date,
    )


def conference_and_plan(
    gen: Generation,
    batch: Batch,
    child: Person,
    referral: Referral,
    lead: User,
    authority: Authority,
    conference_date: datetime.date,
    *,
    enquiry: Section47Enquiry | None = None,
    transfer: TransferIn | None = None,
    done: datetime.date | None = None,
) -> Enquiry:
    """The initial (or transfer-in) conference, and the plan, its review conferences, core
    groups and visits when it decides on one."""
    rng, as_at = gen.rng, gen.params.as_at
    iro = rng.choice(authority.reviewing.workers)
    category = weighted(rng, (("NEG", 50), ("EMO", 33), ("PHY", 8), ("SAB", 4), ("MUL", 5)))
    plan_made = rng.random() < (0.85 if transfer is None else 0.9)
    opening = "initial" if transfer is None else "transfer-in"

    def conference(
        kind: str, on: datetime.date, decision: str, plan: ProtectionPlan | None = None
    ) -> Conference:
        row = Conference(
            person=child,
            referral=referral,
            kind=kind,
            enquiry=enquiry if kind == "initial" else None,
            transfer_in=transfer if kind == "transfer-in" else None,
            transfer_notified_on=(
                transfer.notified_on if kind == "transfer-in" and transfer else None
            ),
            plan=plan,
            conference_date=on,
            chair=iro,
            reports_shared=weighted(rng, (("yes", 6), ("no", 1), ("at-conference", 2))),
            child_participation="Views shared through the social worker.",
            family_participation="Both parents attended.",
            decision=decision,
            rationale="The risks and strengths were weighed by all agencies.",
            category=category if decision in ("plan", "continue") else "",
            progress=""
            if kind == opening
            else weighted(rng, (("good", 2), ("some", 3), ("none", 1))),
            lead_social_worker=lead,
            recorded_by=iro,
        )
        target = batch if kind == opening else gen.later
        target.add(row)
        for agency in ("social-care", "police", "health", "education"):
            target.add(
                ConferenceAttendee(
                    conference=row,
                    agency=agency,
                    participation=weighted(
                        rng, (("attended", 6), ("sent-information", 2), ("absent", 1))
                    ),
                )
            )
        return row

    initial = conference(opening, conference_date, "plan" if plan_made else "no-plan")
    if not plan_made:
        return Enquiry("cin-plan", done)
    end = conference_date + datetime.timedelta(days=plan_length(gen))
    ended = end <= as_at
    plan = ProtectionPlan(
        person=child,
        referral=referral,
        conference=initial,
        start_date=conference_date,
        initial_category=category,
        latest_category=category,
        lead_social_worker=lead,
        worries="Neglect of basic care; domestic abuse at home.",
        contingency="A legal planning meeting if the plan does not work.",
        child_views="Wants the shouting to stop.",
        core_group_every_weeks=6,
        visit_every_working_days=10,
        end_date=end if ended else None,
        end_reason="review" if ended else "",
        recorded_by=lead,
    )
    batch.add(plan)
    last = min(end, as_at)
    review = gen.working_days(conference_date, 60)
    while review < last:
        conference("review", review, "continue", plan)
        review = review + datetime.timedelta(days=182)
    if ended:
        conference("review", end, "end", plan)
    for order, text in enumerate(rng.sample(PLAN_OUTCOMES, 2), start=1):
        outcome_row = ProtectionOutcome(
            plan=plan, order=order, outcome=text.format(name=child.given_name)
        )
        batch.add(outcome_row)
        what, who, how = rng.choice(PLAN_ACTIONS)
        by_when = conference_date + datetime.timedelta(days=rng.randint(14, 90))
        batch.add(
            ProtectionAction(
                outcome=outcome_row,
                what=what,
                who=who,
                by_when=by_when,
                how_we_will_know=how,
                status="done" if by_when <= as_at else "not-started",
            )
        )
    meeting = conference_date + datetime.timedelta(days=rng.randint(7, 10))
    while meeting <= last:
        batch.add(
            CoreGroup(
                plan=plan,
                meeting_date=meeting,
                attendees="Mum, social worker, school, health visitor",
                progress=weighted(rng, (("good", 2), ("some", 3), ("none", 1))),
                progress_note="Some actions done; attendance better.",
                recorded_by=lead,
            )
        )
        meeting += datetime.timedelta(days=rng.randint(35, 49))
    visit = conference_date + datetime.timedelta(days=rng.randint(1, 7))
    while visit <= last:
        seen = rng.random() < 0.94
        batch.add(
            ProtectionVisit(
                plan=plan,
                visit_date=visit,
                child_seen=seen,
                child_seen_alone=seen and rng.random() < 0.7,
                observations="The home was cold; the children were clean and fed.",
                recorded_by=lead,
            )
        )
        visit = gen.working_days(visit, rng.randint(7, 14))
    return Enquiry("strategy", done, (conference_date, end, lead), rng.random() < 0.1)
