"""The child protection pages: a worker and a chair take a child from strategy discussion
to the end of a plan; failed posts keep what was typed; permissions and exports."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.plans.tests.assessed import assessed
from caseline.apps.plans.tests.posting import date_fields
from caseline.apps.protection import actions
from caseline.apps.protection.models import (
    Conference,
    CoreGroup,
    Participation,
    ProtectionAction,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
    StrategyDiscussion,
)
from caseline.apps.protection.tests.conftest import (
    IDENTITY,
    at,
    everyone,
    strategy_values,
    transferred_in,
)

pytestmark = pytest.mark.django_db
D = datetime.date
AGENCIES = ("social_care", "police", "health", "education", "other")


def agencies(prefix: str, name_prefix: str, **overrides: str) -> dict[str, str]:
    data = {}
    for agency in AGENCIES:
        data[f"{prefix}{agency}"] = overrides.get(agency, Participation.ATTENDED)
        data[f"{name_prefix}{agency}"] = ""
    return data


def url(name: str, person: Person, **kwargs: int) -> str:
    return reverse(f"protection:{name}", kwargs={"person_id": person.pk, **kwargs})


def conference_post(day: D, **extra: str) -> dict[str, str]:
    return {
        **date_fields("conference_date", day),
        **agencies("attendance_", "attendee_"),
        "health_knows_child": "yes",
        "reports_shared": "yes",
        "child_participation": "Ada wrote a letter to the conference.",
        "family_participation": "Mum and Dad attended.",
        "rationale": "Ada is likely to suffer significant harm.",
        "identity_needs": IDENTITY,
        **extra,
    }


def test_the_journey_from_strategy_discussion_to_the_end_of_the_plan(
    client: Client, child: Person, worker: User, chair: User
) -> None:
    client.force_login(worker)
    page = client.get(url("record", child))
    assert page.status_code == 200
    assert b"No strategy discussions." in page.content
    assert b"Record a strategy discussion" in page.content
    assert b"Record a transfer-in conference" not in page.content
    assert b"Team report" not in page.content

    response = client.post(
        url("strategy-new", child),
        {
            "kind": "meeting",
            **date_fields("held_on", D(2025, 4, 10)),
            "held_time": "14:30",
            **agencies("participation_", "name_", health="not-invited"),
            "information_shared": "School saw a bruise.",
            "decision": "Joint enquiry.",
            "rationale": "Unexplained injury.",
            "s47_decision": "joint",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    discussion = StrategyDiscussion.objects.get(person=child)
    assert discussion.held_at == at(D(2025, 4, 10), 14) + datetime.timedelta(minutes=30)
    enquiry = discussion.enquiry
    page = client.get(url("record", child))
    assert b"Health took no part in this strategy discussion." in page.content
    assert b"Enquiry open (no national timescale)" in page.content
    assert b"It would be due by 6 May 2025" in page.content

    assert (
        client.post(
            url("police-decision-new", child, enquiry_id=enquiry.pk),
            {
                **date_fields("decided_on", D(2025, 4, 11)),
                "decision": "ABE interview at the suite.",
                "abe_interview": "yes",
                **date_fields("abe_interview_on", D(2025, 4, 14)),
                "officer": "DC Ashby",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("enquiry-outcome", child, enquiry_id=enquiry.pk),
            {
                "outcome": "conference",
                **date_fields("completed_on", D(2025, 4, 24)),
                "outcome_note": "Concerns substantiated.",
            },
        ).status_code
        == 302
    )
    page = client.get(url("record", child))
    assert b"ABE interview at the suite." in page.content
    assert b"Record the initial conference" not in page.content  # the worker is not a chair
    assert client.get(url("icpc-new", child, enquiry_id=enquiry.pk)).status_code == 403

    client.force_login(chair)
    form = client.get(url("icpc-new", child, enquiry_id=enquiry.pk))
    assert b"due by 6 May 2025 (15 working days)" in form.content
    assert b"Previous child protection plans: 0" in form.content
    response = client.post(
        url("icpc-new", child, enquiry_id=enquiry.pk),
        conference_post(
            D(2025, 5, 8),
            decision="plan",
            category="PHY",
            lead_social_worker=str(worker.pk),
            outline_plan="Parents to do the safe care course.",
            reports_shared="no",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    conference = Conference.objects.get(enquiry=enquiry)
    assert response["Location"] == url("conference", child, conference_id=conference.pk)
    page = client.get(response["Location"])
    assert b"Completed 2 working days late" in page.content
    assert b"Due by 6 May 2025" in page.content
    assert b"Physical abuse (PHY)" in page.content
    assert b"knows the child" in page.content
    assert b"Reports were not shared with the parents before the conference." in page.content
    plan = ProtectionPlan.objects.get(person=child)

    client.force_login(worker)
    plan_url = url("plan", child, plan_id=plan.pk)
    assert (
        client.post(
            url("outcome-new", child, plan_id=plan.pk), {"outcome": "Ada is safe."}
        ).status_code
        == 302
    )
    outcome = plan.outcomes.get()
    response = client.post(
        url("action-new", child, plan_id=plan.pk, outcome_id=outcome.pk),
        {
            "what": "Go to the safe care course",
            "who": "Mum and Dad",
            **date_fields("by_when", D(2025, 6, 30)),
            "how_we_will_know": "The course leader says they went",
        },
    )
    assert response.status_code == 302
    assert ProtectionAction.objects.get().who == "Mum and Dad"
    action = ProtectionAction.objects.get()
    status_url = url("action-status", child, plan_id=plan.pk, action_id=action.pk)
    assert b"Go to the safe care course" in client.get(status_url).content
    response = client.post(
        status_url,
        {
            "status": "in-progress",
            **date_fields("updated_on", D(2025, 5, 28)),
            "status_note": "",
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert b"Enter the progress made" in response.content
    progress = {
        "status": "in-progress",
        **date_fields("updated_on", D(2025, 5, 28)),
        "status_note": "Two sessions done.",
    }
    # Without the version the page was read at, or with a stale one, nothing is saved.
    response = client.post(status_url, progress)
    assert response.status_code == 400
    assert b"This page is out of date" in response.content
    assert client.post(status_url, {**progress, "version": "2"}).status_code == 400
    assert ProtectionAction.objects.get().status == "not-started"
    response = client.post(status_url, {**progress, "version": "1"})
    assert response.status_code == 302
    assert client.post(status_url, {**progress, "version": "1"}).status_code == 400  # stale now
    edit = client.get(url("plan-edit", child, plan_id=plan.pk))
    assert edit.status_code == 200
    response = client.post(
        url("plan-edit", child, plan_id=plan.pk),
        {
            "worries": "Ada had a bruise.",
            "contingency": "If Ada is hurt again we will go to court.",
            "child_views": "Ada wants the shouting to stop.",
            "identity_needs": IDENTITY,
            "lead_social_worker": str(worker.pk),
            "core_group_every_weeks": "6",
            "visit_every_working_days": "",
        },
    )
    # The plan's edit needs the version the page was read at (issue 19: it saved without).
    assert response.status_code == 400
    assert b"This page is out of date" in response.content
    plan.refresh_from_db()
    assert plan.worries != "Ada had a bruise."
    response = client.post(
        url("plan-edit", child, plan_id=plan.pk),
        {
            "worries": "Ada had a bruise.",
            "contingency": "If Ada is hurt again we will go to court.",
            "child_views": "Ada wants the shouting to stop.",
            "identity_needs": IDENTITY,
            "lead_social_worker": str(worker.pk),
            "core_group_every_weeks": "6",
            "visit_every_working_days": "",
            "version": str(plan.version),
        },
    )
    assert response.status_code == 302
    assert (
        client.post(
            url("core-group-new", child, plan_id=plan.pk),
            {
                **date_fields("meeting_date", D(2025, 5, 28)),
                "attendees": "Mum, Dad, school nurse",
                "progress": "some",
                "progress_note": "Course started.",
                "plan_changes": "",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("visit-new", child, plan_id=plan.pk),
            {
                **date_fields("visit_date", D(2025, 5, 15)),
                "child_seen": "yes",
                "child_seen_alone": "yes",
                "observations": "Ada was relaxed.",
            },
        ).status_code
        == 302
    )
    page = client.get(plan_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Initial: Physical abuse (PHY)" in content
    assert "Go to the safe care course" in content
    # The first core group was due 22 May (10 working days from 8 May); 26 May was a holiday.
    assert "Completed 3 working days late" in content
    assert "every 6 weeks after the first" in content
    assert "Seen alone" in content
    assert "Two sessions done. (28 May 2025)" in content
    assert "The plan for the family reads at Flesch-Kincaid grade" in content
    assert CoreGroup.objects.count() == ProtectionVisit.objects.count() == 1

    assert client.get(url("review-new", child, plan_id=plan.pk)).status_code == 403
    client.force_login(chair)
    review_form = client.get(url("review-new", child, plan_id=plan.pk))
    assert b'value="PHY" selected' in review_form.content
    response = client.post(
        url("review-new", child, plan_id=plan.pk),
        conference_post(D(2025, 8, 12), progress="good", decision="continue", category="EMO"),
    )
    assert response.status_code == 302
    reviewed = client.get(plan_url).content.decode()
    assert "Changed from Physical abuse to Emotional abuse" in reviewed
    assert "Completed 2 working days late" in reviewed  # the first review was due 8 August
    review = Conference.objects.get(kind=Conference.Kind.REVIEW)
    review_page = client.get(url("conference", child, conference_id=review.pk))
    assert b"Due by 8 August 2025" in review_page.content
    assert b"Changed" not in review_page.content
    response = client.post(
        url("review-new", child, plan_id=plan.pk),
        conference_post(D(2025, 11, 6), progress="good", decision="end", category=""),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.end_date == D(2025, 11, 6)
    ended = client.get(plan_url).content.decode()
    assert "A review conference decided the child is no longer at risk" in ended
    assert "Record a review conference" not in ended


def test_failed_posts_keep_what_was_typed_with_status_400(
    client: Client, child: Person, worker: User, plan: ProtectionPlan
) -> None:
    client.force_login(worker)
    response = client.post(
        url("strategy-new", child),
        {
            "kind": "meeting",
            **date_fields("held_on", D(2025, 4, 10)),
            "held_time": "25:99",
            "information_shared": "Typed before the error",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter the time like 14:30" in content
    assert "Select how the police took part" in content
    assert "Typed before the error" in content
    assert 'class="govuk-select govuk-select--error"' in content
    assert 'class="govuk-textarea' in content
    assert "There is a problem" in content

    response = client.post(
        url("strategy-new", child),
        {
            "kind": "meeting",
            **date_fields("held_on", timezone.localdate() + datetime.timedelta(days=3)),
            "held_time": "09:00",
            **agencies("participation_", "name_"),
            "information_shared": "Info",
            "decision": "Decision",
            "rationale": "Reasons",
            "s47_decision": "none",
        },
    )
    assert response.status_code == 400
    assert b"must be in the past" in response.content

    response = client.post(
        url("plan-end", child, plan_id=plan.pk),
        {**date_fields("end_date", D(2025, 4, 1)), "end_reason": "moved", "end_note": "Moved"},
    )
    assert response.status_code == 400
    assert b"The plan cannot end before it began on 1 May 2025" in response.content
    response = client.post(
        url("plan-edit", child, plan_id=plan.pk),
        {
            "worries": "W",
            "contingency": "C",
            "child_views": "V",
            "identity_needs": IDENTITY,
            "lead_social_worker": str(worker.pk),
            "version": str(plan.version + 3),
        },
    )
    assert response.status_code == 400
    assert b"changed by someone else" in response.content
    response = client.post(
        url("plan-end", child, plan_id=plan.pk),
        {
            **date_fields("end_date", D(2025, 9, 1)),
            "end_reason": "eighteen",
            "end_note": "18 today",
        },
    )
    assert response.status_code == 302
    response = client.post(url("outcome-new", child, plan_id=plan.pk), {"outcome": "More"})
    assert response.status_code == 400
    assert b"it can no longer be changed" in response.content


def test_the_chair_is_refused_a_conference_before_the_strategy_discussion(
    client: Client, child: Person, chair: User, worker: User, enquiry: Section47Enquiry
) -> None:
    client.force_login(chair)
    response = client.post(
        url("icpc-new", child, enquiry_id=enquiry.pk),
        conference_post(D(2025, 4, 9), decision="no-plan"),
    )
    assert response.status_code == 400
    assert b"must be on or after the strategy discussion" in response.content
    transfer_in = transferred_in(child, worker, D(2025, 4, 28))
    response = client.post(
        url("transfer-in-new", child, transfer_id=transfer_in.pk),
        conference_post(D(2025, 5, 2), decision="no-plan"),
    )
    assert response.status_code == 302
    conference = Conference.objects.get(kind=Conference.Kind.TRANSFER_IN)
    page = client.get(url("conference", child, conference_id=conference.pk))
    assert b"Completed on time" in page.content
    assert b"Reports were not shared" not in page.content
    assert b"The health attendee did not know the child" not in page.content
    assert b"Transfer-in conference on 2 May 2025" in client.get(url("record", child)).content


def test_the_family_plan_page_and_pdf(
    client: Client, child: Person, worker: User, plan: ProtectionPlan
) -> None:
    outcome = actions.add_outcome(acting_user=worker, plan=plan, outcome="Ada is safe at home.")
    actions.add_action(
        acting_user=worker,
        outcome=outcome,
        what="Go to the safe care course every Tuesday",
        who="Mum and Dad",
        by_when=D(2025, 6, 30),
        how_we_will_know="the course leader tells us you went every week",
    )
    client.force_login(worker)
    page = client.get(url("family-plan", child, plan_id=plan.pk))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Written for parents and carers" in content
    assert "Flesch-Kincaid Grade" in content
    assert "Go to the safe care course every Tuesday" in content
    child_page = client.get(url("family-plan", child, plan_id=plan.pk) + "?audience=child")
    assert b"Hello Ada. This is your plan." in child_page.content
    odd = client.get(url("family-plan", child, plan_id=plan.pk) + "?audience=nobody")
    assert b"Written for parents and carers" in odd.content

    response = client.get(url("family-plan-pdf", child, plan_id=plan.pk) + "?audience=child")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "child.pdf" in response["Content-Disposition"]
    export = AuditEvent.objects.filter(event_type="record.exported", subject_person_id=child.pk)
    assert export.get().extra == {"export": "protection.family-plan-pdf"}


def test_the_strategy_compliance_report(
    client: Client, child: Person, worker: User, make_user: Callable[..., User], team: Any
) -> None:
    actions.record_strategy_discussion(
        acting_user=worker,
        child=child,
        **strategy_values(participants=everyone(police=Participation.ABSENT)),
    )
    actions.record_strategy_discussion(
        acting_user=worker, child=child, **strategy_values(held_at=at(D(2025, 4, 11)))
    )
    report_url = reverse("protection:strategy-compliance")
    client.force_login(worker)
    assert client.get(report_url).status_code == 403
    manager = make_user(Role.TEAM_MANAGER, team=team)
    client.force_login(manager)
    query = {**date_fields("start", D(2025, 4, 1)), **date_fields("end", D(2025, 4, 30))}
    page = client.get(report_url, query)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="count-total">2<' in content
    assert 'id="count-flagged">1<' in content
    assert 'id="count-police">1<' in content
    assert "Ada Testchild" in content
    assert 'id="icpc-total">0<' in content
    assert client.get(report_url).status_code == 200  # default period
    assert b"Team report: strategy discussions" in client.get(url("record", child)).content
    bad = client.get(report_url, {**query, **date_fields("end", D(2025, 3, 1))})
    assert bad.status_code == 400
    assert b"The last date must be on or after the first date" in bad.content
    analyst = make_user(Role.ANALYST)
    client.force_login(analyst)
    assert client.get(report_url, query).status_code == 200


def test_another_childs_records_are_not_found_and_strangers_are_refused(
    client: Client,
    child: Person,
    worker: User,
    plan: ProtectionPlan,
    make_child: Callable[..., Person],
    make_user: Callable[..., User],
) -> None:
    other = make_child("Bea")
    client.force_login(worker)
    assert client.get(url("plan", other, plan_id=plan.pk)).status_code == 404
    assert client.get(url("family-plan-pdf", other, plan_id=plan.pk)).status_code == 404
    assert client.get(url("conference", other, conference_id=plan.conference_id)).status_code == 404
    stranger = make_user(Role.SOCIAL_WORKER)
    client.force_login(stranger)
    assert client.get(url("record", child)).status_code == 403
    assert client.get(url("family-plan-pdf", child, plan_id=plan.pk)).status_code == 403


def test_the_record_page_query_count_is_bounded(
    client: Client,
    child: Person,
    worker: User,
    plan: ProtectionPlan,
    django_assert_max_num_queries: Any,
) -> None:
    for day in (11, 14, 15):
        actions.record_strategy_discussion(
            acting_user=worker, child=child, **strategy_values(held_at=at(D(2025, 4, day)))
        )
    client.force_login(worker)
    with django_assert_max_num_queries(40):
        assert client.get(url("record", child)).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(url("plan", child, plan_id=plan.pk)).status_code == 200


def test_the_contribution_is_registered() -> None:
    from caseline.apps.people.contribution import contributions
    from caseline.apps.protection import providers
    from caseline.apps.protection.work import protection_work_items

    assert contributions(["protection"]) == [providers.CONTRIBUTION]
    assert providers.CONTRIBUTION.badges is providers.protection_badge
    assert providers.CONTRIBUTION.due_for is protection_work_items
    assert providers.CONTRIBUTION.summary_blocks is providers.protection_summary


# --- The child's identity and the lead social worker ---------------------------------------

IDENTITY_MISSING = "Enter how the plan meets the child&#x27;s identity needs"


def option(user: User, caseload: int, *, selected: bool = False) -> str:
    """The choice of ``user`` as ``accounts.forms.CaseHolderField`` shows it (in the child's
    team, or in none)."""
    children = (
        "no children" if caseload == 0 else "1 child" if caseload == 1 else f"{caseload} children"
    )
    chosen = " selected" if selected else ""
    return f'<option value="{user.pk}"{chosen}>{user.get_full_name()} ({children})'


def test_a_conference_agrees_a_plan_only_with_identity_needs_and_a_lead_who_holds_cases(
    client: Client,
    child: Person,
    chair: User,
    worker: User,
    enquiry: Section47Enquiry,
    make_user: Callable[..., User],
    team: Any,
) -> None:
    assessed(
        child,
        worker,
        identity="Ada's family are Tamil. Mum speaks little English.",
        authorised_on=D(2025, 4, 20),
    )
    colleague = make_user(Role.SOCIAL_WORKER, first_name="Zed", last_name="Adams", team=team)
    elsewhere = make_user(Role.SOCIAL_WORKER, first_name="Bo", last_name="Able")
    admin = make_user(Role.ADMINISTRATOR, first_name="Adi", last_name="Minter", team=team)
    page = url("icpc-new", child, enquiry_id=enquiry.pk)
    client.force_login(chair)
    form = client.get(page).content.decode()
    assert "The assessment authorised on 20 April 2025 found:" in form
    assert "Mum speaks little English." in form
    # The child's team first (by surname, with caseloads, their worker chosen), then others;
    # never the chair, the administrator or anyone else who cannot hold cases.
    team_group = form.index('<optgroup label="Safeguarding East">')
    others = form.index('<optgroup label="Other teams">')
    assert (
        team_group
        < form.index(option(colleague, 0))
        < form.index(option(worker, 1, selected=True))
        < others
        < form.index(option(elsewhere, 0))
    )
    assert f'value="{chair.pk}"' not in form
    assert f'value="{admin.pk}"' not in form
    post = conference_post(
        D(2025, 5, 8),
        decision="plan",
        category="PHY",
        lead_social_worker=str(chair.pk),
        outline_plan="Parents to do the safe care course.",
        identity_needs="",
    )
    response = client.post(page, post)
    assert response.status_code == 400
    assert "Select a social worker or team manager from the list" in response.content.decode()
    post.update(lead_social_worker=str(colleague.pk))
    response = client.post(page, post)
    assert response.status_code == 400
    assert response.content.decode().count(IDENTITY_MISSING) == 2
    assert not ProtectionPlan.objects.exists()
    post.update(identity_needs=IDENTITY)
    assert client.post(page, post).status_code == 302
    plan = ProtectionPlan.objects.get()
    assert (plan.identity_needs, plan.lead_social_worker) == (IDENTITY, colleague)
    conference = client.get(url("conference", child, conference_id=plan.conference_id))
    assert "Mum has an interpreter at every meeting." in conference.content.decode()
    plan_page = client.get(url("plan", child, plan_id=plan.pk)).content.decode()
    assert "How the plan meets Ada's identity needs" in plan_page
    assert "Mum has an interpreter at every meeting." in plan_page


def test_a_review_conference_needs_the_identity_needs_and_the_plan_takes_them(
    client: Client, child: Person, chair: User, plan: ProtectionPlan
) -> None:
    review = url("review-new", child, plan_id=plan.pk)
    client.force_login(chair)
    assert f"{IDENTITY}</textarea>" in client.get(review).content.decode()
    post = conference_post(D(2025, 8, 1), progress="good", decision="continue", category="PHY")
    response = client.post(review, {**post, "identity_needs": " "})
    assert response.status_code == 400
    assert IDENTITY_MISSING in response.content.decode()
    changed = "Ada now goes to Tamil school on Sundays: core groups are never on Sundays."
    assert client.post(review, {**post, "identity_needs": changed}).status_code == 302
    assert Conference.objects.get(kind=Conference.Kind.REVIEW).identity_needs == changed
    plan.refresh_from_db()
    assert plan.identity_needs == changed


def test_the_plans_lead_is_chosen_among_those_who_hold_cases_with_the_current_lead_chosen(
    client: Client,
    child: Person,
    worker: User,
    plan: ProtectionPlan,
    make_user: Callable[..., User],
    team: Any,
) -> None:
    colleague = make_user(Role.SOCIAL_WORKER, first_name="Zed", last_name="Adams", team=team)
    edit = url("plan-edit", child, plan_id=plan.pk)
    client.force_login(worker)
    form = client.get(edit).content.decode()
    assert option(worker, 1, selected=True) in form
    assert option(colleague, 0) in form
    post = {
        "worries": "Ada had a bruise.",
        "contingency": "A legal planning meeting if things do not get better.",
        "child_views": "Ada wants the shouting to stop.",
        "identity_needs": "",
        "lead_social_worker": str(colleague.pk),
        "version": str(plan.version),
    }
    response = client.post(edit, post)
    assert response.status_code == 400
    assert IDENTITY_MISSING in response.content.decode()
    assert client.post(edit, {**post, "identity_needs": IDENTITY}).status_code == 302
    plan.refresh_from_db()
    assert plan.lead_social_worker == colleague
