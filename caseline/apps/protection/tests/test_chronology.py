"""Child protection in the chronology: strategy discussions naming who took part, section 47
enquiries and police decisions, conferences with lateness and previous plans, the plan, core
groups, reviews, visits and endings, in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.people.contribution import (
    WHY_NOT_SEEN,
    Category,
    ChronologyEntry,
    contributions,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.protection import actions
from caseline.apps.protection.chronology import (
    WHY_CATEGORY,
    WHY_CONFERENCE_LATE,
    WHY_CORE_ABSENT,
    WHY_PLAN,
    WHY_REVIEW_END,
    protection_chronology,
)
from caseline.apps.protection.models import (
    Agency,
    Conference,
    Participation,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
    StrategyParticipant,
)
from caseline.apps.protection.providers import CONTRIBUTION
from caseline.apps.protection.tests.conftest import (
    ICPC_DAY,
    STRATEGY_DAY,
    at,
    conference_values,
    everyone,
    strategy_values,
    transferred_in,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _starting(entries: list[ChronologyEntry], text: str) -> ChronologyEntry:
    [entry] = [e for e in entries if e.what_happened.startswith(text)]
    return entry


def test_the_app_contributes_its_chronology() -> None:
    assert contributions(["protection"]) == [CONTRIBUTION]
    assert CONTRIBUTION.chronology is protection_chronology
    assert CONTRIBUTION.chronology_from_own_records is True


def test_a_strategy_meeting_names_who_took_part_and_starts_an_enquiry(
    discussion: StrategyDiscussion, child: Person, worker: User
) -> None:
    entries = protection_chronology(child, RecordsHeld.not_asked(child))
    meeting, enquiry = entries
    assert meeting.date == STRATEGY_DAY
    assert meeting.category == Category.PROTECTION
    assert meeting.what_happened == (
        "Strategy meeting held. Took part: children's social care (attended), police "
        "(attended), health (attended), education (attended), other agency (attended). "
        "Decision: Joint section 47 enquiry; visit Ada at school today. Reasons: Unexplained "
        "injury to a child; reasonable cause to suspect harm. Outcome: section 47 enquiry "
        "jointly with the police."
    )
    assert not meeting.significant
    assert meeting.recorded_by == str(worker)
    assert meeting.href == f"/child-protection/record/{child.pk}/"
    assert enquiry.what_happened == (
        "Section 47 enquiry started jointly with the police into whether Ada is suffering, or "
        "likely to suffer, significant harm."
    )
    assert enquiry.significant
    assert enquiry.why_it_matters


def test_police_or_health_not_taking_part_is_significant(child: Person, worker: User) -> None:
    participants = everyone(police=Participation.ABSENT, education=Participation.NOT_INVITED)
    participants["police"] = (Participation.ABSENT, "DS Kit Lane")
    actions.record_strategy_discussion(
        acting_user=worker,
        child=child,
        **strategy_values(
            participants=participants,
            kind=StrategyDiscussion.Kind.DISCUSSION,
            s47_decision=StrategyDiscussion.S47Decision.NONE,
        ),
    )
    [entry] = protection_chronology(child, RecordsHeld.not_asked(child))
    assert entry.what_happened.startswith(
        "Strategy discussion held. Took part: children's social care (attended), health "
        "(attended), other agency (attended). Did not take part: police (DS Kit Lane, invited "
        "but absent). Decision:"
    )
    assert "education" not in entry.what_happened  # not invited and not a core agency
    assert "took no part" not in entry.what_happened  # the police's absence is said once
    assert entry.what_happened.endswith("Outcome: no section 47 enquiry.")
    assert entry.significant
    assert entry.why_it_matters == WHY_CORE_ABSENT


def test_a_core_agency_of_which_nothing_is_recorded_is_said_to_have_taken_no_part(
    child: Person, worker: User
) -> None:
    actions.record_strategy_discussion(acting_user=worker, child=child, **strategy_values())
    # Every agency must be recorded now; a discussion brought in from an old system may lack one.
    StrategyParticipant.objects.filter(agency=Agency.HEALTH).delete()
    entry = protection_chronology(child, RecordsHeld.not_asked(child))[0]
    assert "other agency (attended). Health took no part. Decision:" in entry.what_happened
    assert entry.significant


def test_police_decisions_and_the_enquiry_outcome(
    enquiry: Section47Enquiry, child: Person, worker: User
) -> None:
    actions.record_police_decision(
        acting_user=worker,
        enquiry=enquiry,
        decided_on=D(2025, 4, 11),
        decision="Joint visit; interview Ada",
        abe_interview=True,
        abe_interview_on=D(2025, 4, 14),
        officer="DC Ray Shaw",
    )
    actions.record_police_decision(
        acting_user=worker,
        enquiry=enquiry,
        decided_on=D(2025, 4, 15),
        decision="No further police action against the uncle",
        abe_interview=False,
    )
    entries = protection_chronology(child, RecordsHeld.not_asked(child))
    abe = _starting(entries, "Police decision: Joint visit")
    assert abe.what_happened == (
        "Police decision: Joint visit; interview Ada. An achieving best evidence interview with "
        "Ada is planned on 14 April 2025. Officer: DC Ray Shaw."
    )
    assert abe.significant
    assert abe.date == D(2025, 4, 11)
    plain = _starting(entries, "Police decision: No further")
    assert not plain.significant
    outcome = _starting(entries, "Section 47 enquiry completed")
    assert outcome.what_happened == (
        "Section 47 enquiry completed. Outcome: concerns substantiated: a child protection "
        "conference is needed. Reasons: Concerns substantiated."
    )
    assert outcome.date == D(2025, 4, 24)
    assert outcome.significant


def test_an_nfa_enquiry_outcome_is_not_significant(
    discussion: StrategyDiscussion, child: Person, worker: User
) -> None:
    actions.complete_enquiry(
        acting_user=worker,
        enquiry=discussion.enquiry,
        outcome=Section47Enquiry.Outcome.NFA,
        completed_on=D(2025, 4, 17),
        outcome_note="the bruise came from a fall at school, seen by staff",
    )
    outcome = _starting(
        protection_chronology(child, RecordsHeld.not_asked(child)), "Section 47 enquiry completed"
    )
    assert outcome.what_happened == (
        "Section 47 enquiry completed. Outcome: no further action: a child protection conference "
        "is not required. Reasons: The bruise came "
        "from a fall at school, seen by staff."
    )
    assert not outcome.significant


def test_an_initial_conference_gives_decision_category_lead_previous_plans_and_timeliness(
    plan: ProtectionPlan, child: Person, worker: User, chair: User
) -> None:
    entries = protection_chronology(child, RecordsHeld.not_asked(child))
    conference = _starting(entries, "Initial child protection conference")
    assert conference.date == ICPC_DAY
    assert conference.what_happened.startswith(
        "Initial child protection conference. Decision: the child needs a child protection "
        "plan. Category: physical abuse. Lead social worker: Wren Hale. This is the child's "
        "first child protection plan. Reasons: Ada is likely to suffer significant harm "
        "without a plan. How Ada took part: Ada met the chair"
    )
    # 10 April 2025 to 1 May 2025 with Easter: 13 working days.
    assert conference.what_happened.endswith(
        "Held 13 working days after the strategy discussion that started the enquiry, within "
        "the 15-working-day timescale."
    )
    assert not conference.significant
    assert conference.recorded_by == str(chair)
    assert conference.href.endswith(f"/conference/{conference_pk(child)}/")
    started = _starting(entries, "Child protection plan started")
    assert started.what_happened == (
        "Child protection plan started for Ada under the category of physical abuse. Lead "
        "social worker: Wren Hale."
    )
    assert started.significant
    assert started.why_it_matters == WHY_PLAN
    assert started.href.endswith(f"/plan/{plan.pk}/")
    assert started.recorded_by == str(chair)


def conference_pk(child: Person) -> int:
    return Conference.objects.get(person=child, kind=Conference.Kind.INITIAL).pk


def test_a_late_conference_with_police_absent_counts_previous_plans(
    make_child: Callable[..., Person], worker: User, chair: User
) -> None:
    child = make_child("Bo")
    # An earlier plan, ended when the child moved away.
    actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        lead_social_worker=worker,
        transfer_in=transferred_in(child, worker, D(2024, 3, 1)),
        **conference_values(conference_date=D(2024, 3, 8)),
    )
    earlier = ProtectionPlan.objects.get(person=child)
    actions.end_plan(
        acting_user=worker,
        plan=earlier,
        end_date=D(2024, 9, 2),
        end_reason=ProtectionPlan.EndReason.MOVED,
        end_note="Moved to Northshire; plan handed over.",
    )
    discussion = actions.record_strategy_discussion(
        acting_user=worker, child=child, **strategy_values(held_at=at(D(2025, 5, 1)))
    )
    actions.complete_enquiry(
        acting_user=worker,
        enquiry=discussion.enquiry,
        outcome=Section47Enquiry.Outcome.CONFERENCE,
        completed_on=D(2025, 5, 20),
        outcome_note="Concerns substantiated.",
    )
    actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        enquiry=Section47Enquiry.objects.get(person=child),
        lead_social_worker=worker,
        **conference_values(
            conference_date=D(2025, 6, 2),
            attendees=everyone(police=Participation.ABSENT),
            category="NEG",
        ),
    )
    entries = protection_chronology(child, RecordsHeld.not_asked(child))
    transfer = _starting(entries, "Transfer-in conference")
    assert "This is the child's first child protection plan." in transfer.what_happened
    assert transfer.what_happened.endswith(
        "Held 5 working days after we were told the child had moved here, within the "
        "15-working-day timescale."
    )
    ended = _starting(entries, "Child protection plan ended")
    assert ended.what_happened == (
        "Child protection plan ended: the child moved permanently to another local authority. "
        "Moved to Northshire; plan handed over."
    )
    assert ended.significant
    assert ended.date == D(2024, 9, 2)
    initial = _starting(entries, "Initial child protection conference")
    assert "Category: neglect." in initial.what_happened
    assert "The child has had 1 previous child protection plan." in initial.what_happened
    assert "Did not take part: police (invited but absent). Held" in initial.what_happened
    assert "took no part" not in initial.what_happened  # said once, not twice
    # 1 May to 2 June 2025, with the two May bank holidays: 20 working days.
    assert initial.what_happened.endswith(
        "Held 20 working days after the strategy discussion that started the enquiry, 5 over "
        "the 15-working-day timescale."
    )
    assert initial.significant
    assert initial.why_it_matters == f"{WHY_CONFERENCE_LATE} {WHY_CORE_ABSENT}"


def _review(plan: ProtectionPlan, chair: User, on: datetime.date, **overrides: Any) -> None:
    values = conference_values(
        conference_date=on,
        progress=Conference.Progress.SOME,
        decision=Conference.Decision.CONTINUE,
        rationale="Risks remain while Dad is at home.",
    )
    for name in ("lead_social_worker", "outline_plan"):
        values.pop(name, None)
    values.update(overrides)
    actions.hold_review_conference(
        acting_user=chair, plan=ProtectionPlan.objects.get(pk=plan.pk), **values
    )


def test_core_groups_visits_and_reviews_to_the_plan_ending(
    plan: ProtectionPlan, child: Person, worker: User, chair: User
) -> None:
    actions.record_core_group(
        acting_user=worker,
        plan=plan,
        meeting_date=D(2025, 5, 12),
        attendees="Mum, school, health visitor",
        progress=Conference.Progress.SOME,
        progress_note="Mum has started the parenting course",
        plan_changes="Add a weekly check with the school",
    )
    actions.record_core_group(
        acting_user=worker,
        plan=plan,
        meeting_date=D(2025, 6, 9),
        attendees="Mum, school",
        progress=Conference.Progress.WORSE,
        progress_note="A new injury was seen at school",
    )
    actions.record_visit(
        acting_user=worker,
        plan=plan,
        visit_date=D(2025, 5, 8),
        child_seen=True,
        child_seen_alone=True,
        observations="Ada showed me her room",
    )
    actions.record_visit(
        acting_user=worker,
        plan=plan,
        visit_date=D(2025, 5, 22),
        child_seen=False,
        child_seen_alone=False,
        observations="Nobody answered the door",
    )
    _review(plan, chair, D(2025, 7, 31), category="NEG")
    _review(plan, chair, D(2025, 10, 30), category="NEG")
    _review(
        plan,
        chair,
        D(2026, 1, 29),
        decision=Conference.Decision.END,
        progress=Conference.Progress.GOOD,
        rationale="Dad has left; Mum protects Ada.",
        category="",
    )
    entries = protection_chronology(child, RecordsHeld.not_asked(child))
    first = _starting(entries, "Core group meeting. Progress: some progress.")
    assert first.what_happened == (
        "Core group meeting. Progress: some progress. Mum has started the parenting course. "
        "Changes to the plan: Add a weekly check with the school. Who came: Mum, school, "
        "health visitor."
    )
    assert not first.significant
    worse = _starting(entries, "Core group meeting. Progress: things are worse.")
    assert worse.significant
    assert worse.why_it_matters
    seen = _starting(entries, "Child protection visit. Ada was seen alone.")
    assert seen.what_happened == (
        "Child protection visit. Ada was seen alone. Observed: Ada showed me her room."
    )
    assert seen.category == Category.VISIT
    assert not seen.significant
    missed = _starting(entries, "Child protection visit. Ada was not seen.")
    assert missed.significant
    assert missed.why_it_matters == WHY_NOT_SEEN
    reviews = [e for e in entries if e.what_happened.startswith("Review child protection")]
    assert [r.date for r in reviews] == [D(2025, 7, 31), D(2025, 10, 30), D(2026, 1, 29)]
    assert reviews[0].what_happened.startswith(
        "Review child protection conference. Progress: some progress. Decision: continue the "
        "child protection plan. The category changed from physical abuse to neglect. Reasons: "
        "Risks remain while Dad is at home."
    )
    assert reviews[0].significant
    assert reviews[0].why_it_matters == WHY_CATEGORY
    assert "Category: neglect." in reviews[1].what_happened
    assert not reviews[1].significant
    assert reviews[2].what_happened.startswith(
        "Review child protection conference. Progress: good progress. Decision: end the child "
        "protection plan. The child protection plan ended. Reasons: Dad has left"
    )
    assert reviews[2].significant
    assert reviews[2].why_it_matters == WHY_REVIEW_END
    # The review ended the plan: no second "plan ended" entry.
    assert not [e for e in entries if e.what_happened.startswith("Child protection plan ended")]


def test_the_provider_takes_nine_queries_however_long_the_history(
    plan: ProtectionPlan,
    child: Person,
    worker: User,
    chair: User,
    django_assert_num_queries: Any,
) -> None:
    def add_history(start: datetime.date) -> None:
        for week in range(3):
            actions.record_visit(
                acting_user=worker,
                plan=plan,
                visit_date=start + datetime.timedelta(weeks=week),
                child_seen=True,
                child_seen_alone=False,
                observations="Fine",
            )
            actions.record_core_group(
                acting_user=worker,
                plan=plan,
                meeting_date=start + datetime.timedelta(weeks=week, days=1),
                attendees="Mum",
                progress=Conference.Progress.GOOD,
                progress_note="Going well",
            )

    add_history(D(2025, 5, 5))
    # One of them asks for enquiries recorded in another system (none here).
    with django_assert_num_queries(9):
        short = protection_chronology(child, RecordsHeld.not_asked(child))
    add_history(D(2025, 6, 2))
    _review(plan, chair, D(2025, 7, 31), category="NEG")
    actions.record_strategy_discussion(
        acting_user=worker, child=child, **strategy_values(held_at=at(D(2025, 8, 4)))
    )
    with django_assert_num_queries(9):
        long = protection_chronology(child, RecordsHeld.not_asked(child))
    assert len(long) > len(short) + 6
