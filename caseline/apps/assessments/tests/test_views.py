"""The assessment pages: permissions, forms, errors that keep what was typed, providers."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments import actions
from caseline.apps.assessments.models import Assessment, AssessmentReturn
from caseline.apps.assessments.providers import summary_blocks, work_items
from caseline.apps.assessments.tests.conftest import COMMENT, COMPLETE, START_DATE, fill
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin import actions as cin_actions
from caseline.apps.people.contribution import contributions
from caseline.apps.people.models import Person

pytestmark = pytest.mark.django_db


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def form_data(assessment: Assessment, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": assessment.version,
        "start_date_day": "7",
        "start_date_month": "1",
        "start_date_year": "2025",
        "child_seen": "yes",
        "child_seen_alone": "yes",
        "date_child_seen_day": "14",
        "date_child_seen_month": "1",
        "date_child_seen_year": "2025",
        "factors": ["3B", "4B"],
    }
    for name in (
        "child_views",
        "child_views_method",
        "parents_views",
        "identity",
        "family_history",
        "risk_factors",
        "protective_factors",
        "analysis",
        "outcome",
        "recommendation",
    ):
        data[name] = str(COMPLETE[name])
    data.update(overrides)
    return data


def test_record_list_shows_assessments_and_the_start_button(
    client: Client, worker: User, child: Person
) -> None:
    url = f"/assessments/record/{child.pk}/"
    response = login(client, worker).get(url)
    assert response.status_code == 200
    assert "Start an assessment" in response.content.decode()
    actions.start_assessment(acting_user=worker, child=child, start_date=START_DATE)
    page = client.get(url).content.decode()
    assert "Start an assessment" not in page  # one in progress already
    assert "7 January 2025" in page
    assert '<td class="govuk-table__cell">Ash Worker</td>' in page  # whose assessment it is
    assert "10 March 2025" in page
    assert AuditEvent.objects.filter(
        event_type=EventType.CHILD_RECORD_VIEWED, extra__section="assessments"
    ).exists()


def test_a_child_outside_the_team_is_forbidden(
    client: Client, assessment: Assessment, make_user: Callable[..., User], other_team: Team
) -> None:
    stranger = login(client, make_user(Role.SOCIAL_WORKER, team=other_team))
    assert stranger.get(f"/assessments/record/{assessment.person_id}/").status_code == 403
    assert stranger.get(f"/assessments/{assessment.pk}/").status_code == 403
    assert stranger.post(f"/assessments/{assessment.pk}/submit/").status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_start_an_assessment(client: Client, worker: User, child: Person) -> None:
    login(client, worker)
    url = f"/assessments/new/{child.pk}/"
    assert "Referral received 6 January 2025" in client.get(url).content.decode()
    bad = client.post(
        url, {"start_date_day": "1", "start_date_month": "1", "start_date_year": "2025"}
    )
    assert bad.status_code == 400
    assert "on or after the referral date (6 January 2025)" in bad.content.decode()
    response = client.post(
        url, {"start_date_day": "7", "start_date_month": "1", "start_date_year": "2025"}
    )
    created = Assessment.objects.get(person=child)
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{created.pk}/edit/"


def test_edit_saves_and_can_go_on_to_submit(
    client: Client, worker: User, assessment: Assessment
) -> None:
    login(client, worker)
    url = f"/assessments/{assessment.pk}/edit/"
    page = client.get(url).content.decode()
    assert "Do not write that they are too young" in page
    assert "3B - Domestic violence" in page
    response = client.post(url, form_data(assessment, submit="1"))
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/submit/"
    assessment.refresh_from_db()
    assert (assessment.child_seen, assessment.factors, assessment.version) == (
        True,
        ["3B", "4B"],
        2,
    )
    checklist = client.get(response["Location"]).content.decode()
    # Only the reason for lateness is left: today is long past the due date.
    assert "Record why the assessment took longer than 45 working days" in checklist
    assert "Record the analysis" not in checklist
    assert client.post(response["Location"]).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    # Once submitted the form is closed.
    assert client.get(url)["Location"] == f"/assessments/{assessment.pk}/"
    again = client.post(f"/assessments/{assessment.pk}/submit/")
    assert again.status_code == 400
    assert "cannot submit an assessment that is submitted" in again.content.decode()


def test_too_young_is_refused_on_the_form_keeping_the_text(
    client: Client, worker: User, assessment: Assessment
) -> None:
    response = login(client, worker).post(
        f"/assessments/{assessment.pk}/edit/",
        form_data(assessment, child_views="Too young", analysis="My careful analysis"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "not that they are too young" in page
    assert "My careful analysis" in page
    saved = client.post(f"/assessments/{assessment.pk}/edit/", form_data(assessment))
    assert saved["Location"] == f"/assessments/{assessment.pk}/"


def test_a_stale_version_shows_a_clear_error_and_keeps_what_was_typed(
    client: Client, worker: User, assessment: Assessment
) -> None:
    stale = form_data(assessment, analysis="Typed while someone else saved")
    fill(assessment, worker)  # someone else saves first
    response = login(client, worker).post(f"/assessments/{assessment.pk}/edit/", stale)
    assert response.status_code == 400
    page = response.content.decode()
    assert "changed by someone else after you opened it" in page
    assert "Typed while someone else saved" in page
    assessment.refresh_from_db()
    assert assessment.analysis == COMPLETE["analysis"]


def test_authorise_page_lists_what_is_missing_and_refuses(
    client: Client, worker: User, manager: User, assessment: Assessment
) -> None:
    # Submitted before submitting needed every section, then found to have no analysis.
    fill(assessment, worker)
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    Assessment.objects.filter(pk=assessment.pk).update(analysis="")
    login(client, manager)
    url = f"/assessments/{assessment.pk}/authorise/"
    page = client.get(url).content.decode()
    assert "cannot be authorised until these are done" in page
    assert "Record the analysis" in page
    response = client.post(
        url,
        {
            "authorised_on_day": "3",
            "authorised_on_month": "2",
            "authorised_on_year": "2025",
            "manager_comment": COMMENT,
        },
    )
    assert response.status_code == 400
    assert "Record the analysis" in response.content.decode()
    # The checklist follows the date typed: on time then, so no reason for lateness needed.
    assert "Record why the assessment took longer" not in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_authorise_with_a_late_reason(client: Client, manager: User, submitted: Assessment) -> None:
    response = login(client, manager).post(
        f"/assessments/{submitted.pk}/authorise/",
        {
            "authorised_on_day": "11",
            "authorised_on_month": "3",
            "authorised_on_year": "2025",
            "late_reason": "Interpreter not available for two weeks.",
            "manager_comment": COMMENT,
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.authorised_on == datetime.date(2025, 3, 11)
    page = client.get(f"/assessments/{submitted.pk}/").content.decode()
    assert "Interpreter not available for two weeks." in page
    assert "45 working days from the start" in page
    assert "Completed 1 working day late" in page


def test_return_needs_a_reason_then_shows_it_to_the_worker(
    client: Client, worker: User, manager: User, submitted: Assessment
) -> None:
    login(client, manager)
    url = f"/assessments/{submitted.pk}/return/"
    assert client.get(url).status_code == 200
    empty = client.post(url, {"reasons": ""})
    assert empty.status_code == 400
    assert "Enter why you are returning the assessment" in empty.content.decode()
    done = client.post(url, {"reasons": "Add the father's views."})
    assert done["Location"] == "/assessments/awaiting-authorisation/"
    assert AssessmentReturn.objects.get().reasons == "Add the father's views."
    page = login(client, worker).get(f"/assessments/{submitted.pk}/edit/").content.decode()
    assert "Add the father&#x27;s views." in page
    again = login(client, manager).post(url, {"reasons": "Twice"})
    assert again.status_code == 400
    assert "cannot return an assessment that is returned" in again.content.decode()


def test_the_worker_cannot_reach_manager_pages(
    client: Client, worker: User, submitted: Assessment
) -> None:
    login(client, worker)
    assert client.get(f"/assessments/{submitted.pk}/authorise/").status_code == 403
    assert client.get("/assessments/awaiting-authorisation/").status_code == 403


def test_detail_page_for_a_manager_offers_sign_off(
    client: Client, manager: User, submitted: Assessment
) -> None:
    page = login(client, manager).get(f"/assessments/{submitted.pk}/").content.decode()
    assert "Authorise" in page
    assert "Return to the social worker" in page
    assert "3B - Domestic violence" in page


def test_own_assessment_shows_why_it_cannot_be_authorised(
    client: Client, manager: User, child: Person
) -> None:
    own = actions.start_assessment(acting_user=manager, child=child, start_date=START_DATE)
    fill(own, manager)
    actions.submit_assessment(acting_user=manager, assessment=own)
    page = login(client, manager).get(f"/assessments/{own.pk}/authorise/").content.decode()
    assert "another manager must authorise it" in page


def test_providers(worker: User, manager: User, child: Person, submitted: Assessment) -> None:
    as_at = datetime.date(2025, 3, 11)
    [block] = summary_blocks(child, as_at)
    assert block.order == 20
    assert dict(block.rows) == {
        "Status": "Submitted for authorisation",
        "Started": "7 January 2025",
        "Authorised": "Not yet authorised",
        "Outcome": "Child in need plan",
        "Timescale": "Overdue by 1 working day",
    }
    [item] = work_items([child.pk], as_at)
    assert item.title == "Assessment awaiting authorisation"
    assert item.timeliness.due_date == datetime.date(2025, 3, 10)
    assert item.href == f"/assessments/{submitted.pk}/authorise/"
    # Registered in AssessmentsConfig.ready().
    [contribution] = contributions(["assessments"])
    assert contribution.due_for([child.pk], as_at) == [item]
    assert contribution.summary_blocks(child, as_at) == [block]
    actions.authorise_assessment(
        acting_user=manager,
        assessment=submitted,
        authorised_on=as_at,
        late_reason="Waiting for a health report.",
        manager_comment=COMMENT,
    )
    assert work_items([child.pk], as_at) == []
    assert dict(summary_blocks(child, as_at)[0].rows)["Authorised"] == "11 March 2025"


def test_providers_for_a_draft_and_no_assessment(
    make_child: Callable[..., Person], worker: User, team: Team
) -> None:
    child = make_child(team=team)
    assert summary_blocks(child, START_DATE) == []
    assert work_items([child.pk], START_DATE) == []
    draft = actions.start_assessment(acting_user=worker, child=child, start_date=START_DATE)
    [item] = work_items([child.pk], START_DATE)
    assert (item.title, item.href) == ("Assessment", f"/assessments/{draft.pk}/edit/")


def test_form_errors_keep_status_400(
    client: Client, worker: User, manager: User, assessment: Assessment
) -> None:
    login(client, worker)
    bad_date = client.post(
        f"/assessments/{assessment.pk}/edit/",
        form_data(assessment, start_date_day="31", start_date_month="2"),
    )
    assert bad_date.status_code == 400
    assert "Start date must be a real date" in bad_date.content.decode()
    fill(assessment, worker)
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    no_date = login(client, manager).post(f"/assessments/{assessment.pk}/authorise/", {})
    assert no_date.status_code == 400
    assert "Enter the date of authorisation" in no_date.content.decode()


def test_awaiting_page_tags_late_assessments(
    client: Client, manager: User, submitted: Assessment
) -> None:
    page = login(client, manager).get("/assessments/awaiting-authorisation/").content.decode()
    assert "Zara Testchild" in page
    assert "10 March 2025" in page
    assert 'govuk-tag--red">Overdue by' in page
    returned = actions.return_assessment(acting_user=manager, assessment=submitted, reasons="Why")
    assert str(returned.returns.get()).startswith("Assessment of Zara Testchild started 2025-01-07")
    page = client.get("/assessments/awaiting-authorisation/").content.decode()
    assert "No assessments are waiting for you to authorise them" in page


def test_the_record_summary_shows_the_latest_assessment(
    client: Client, worker: User, submitted: Assessment
) -> None:
    response = login(client, worker).get(f"/people/{submitted.person_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Submitted for authorisation" in page
    assert "Assessment awaiting authorisation" in page


def test_timeliness_tags_have_one_colour_per_state(
    client: Client, worker: User, manager: User, assessment: Assessment, child: Person
) -> None:
    fill(assessment, worker, late_reason="Family away")
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    actions.authorise_assessment(
        acting_user=manager,
        assessment=assessment,
        authorised_on=datetime.date(2025, 3, 12),
        manager_comment=COMMENT,
    )
    # Authorised late: yellow (it was red).
    page = login(client, worker).get(f"/assessments/record/{child.pk}/").content.decode()
    assert 'govuk-tag--yellow">Completed 2 working days late' in page


def test_form_pages_open_filled_in(
    client: Client, worker: User, manager: User, assessment: Assessment
) -> None:
    fill(assessment, worker)
    edit = login(client, worker).get(f"/assessments/{assessment.pk}/edit/").content.decode()
    assert 'name="version" value="2"' in edit
    assert "Zara drew her three houses" in edit
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    page = login(client, manager).get(f"/assessments/{assessment.pk}/authorise/")
    year = re.search(r'name="authorised_on_year"[^>]*value="(\d+)"', page.content.decode())
    assert year is not None
    assert year[1] == str(timezone.localdate().year)


# --- Issue 22: the practitioner's day without a snag ------------------------------------------


SECTION_LINKS = {
    "id_child_views": "Record the child&#x27;s views and wishes",
    "id_child_views_method_0": "Record how the child&#x27;s views were gathered",
    "id_risk_factors": "Record the risks and concerns",
    "id_protective_factors": "Record the strengths and protective factors",
    "id_analysis": "Record the analysis",
    "id_outcome_0": "Record the outcome of the assessment",
    "id_factors_0": "Record the factors identified at assessment (choose 21 if there are none)",
}


def test_an_empty_assessment_cannot_be_submitted_and_says_what_is_missing(
    client: Client, worker: User, assessment: Assessment
) -> None:
    login(client, worker)
    url = f"/assessments/{assessment.pk}/submit/"
    page = client.get(url).content.decode()
    # The seven missing sections, each linked to its place on the form, and no button.
    assert "cannot be submitted until these are done" in page
    edit = f"/assessments/{assessment.pk}/edit/"
    for anchor, message in SECTION_LINKS.items():
        assert f'<a class="govuk-link" href="{edit}#{anchor}">{message}</a>' in page
    assert "Submit for authorisation</button>" not in page
    assert f'<a class="govuk-button" href="{edit}">Continue the assessment</a>' in page
    # Posting anyway is refused, saying what is missing.
    refused = client.post(url)
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()
    assert "Record the analysis" in refused.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_an_edit_form_section_link_lands_on_its_field(
    client: Client, worker: User, assessment: Assessment
) -> None:
    page = login(client, worker).get(f"/assessments/{assessment.pk}/edit/").content.decode()
    for anchor in SECTION_LINKS:
        assert f'id="{anchor}"' in page


def test_save_and_submit_of_a_half_written_assessment_lists_only_what_is_left(
    client: Client, worker: User, assessment: Assessment
) -> None:
    login(client, worker)
    response = client.post(
        f"/assessments/{assessment.pk}/edit/", form_data(assessment, analysis="", submit="1")
    )
    assert response["Location"] == f"/assessments/{assessment.pk}/submit/"
    page = client.get(response["Location"]).content.decode()
    assert f'href="/assessments/{assessment.pk}/edit/#id_analysis">Record the analysis</a>' in page
    assert "Record the risks and concerns" not in page
    assert "Submit for authorisation</button>" not in page


def _authorise(client: Client, assessment: Assessment, **overrides: str) -> Any:
    data = {
        "authorised_on_day": "3",
        "authorised_on_month": "2",
        "authorised_on_year": "2025",
        "manager_comment": COMMENT,
        **overrides,
    }
    return client.post(f"/assessments/{assessment.pk}/authorise/", data, follow=True)


def test_authorising_needs_the_managers_comment_shown_on_the_assessment_and_in_its_audit(
    client: Client, manager: User, submitted: Assessment, make_user: Callable[..., User]
) -> None:
    login(client, manager)
    page = client.get(f"/assessments/{submitted.pk}/authorise/").content.decode()
    assert "Your comment on the assessment and its decision" in page
    missing = _authorise(client, submitted, manager_comment="")
    assert missing.status_code == 400
    assert "Enter your comment on the assessment and its decision" in missing.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    done = _authorise(client, submitted)
    assert done.redirect_chain == [(f"/assessments/{submitted.pk}/", 302)]
    body = done.content.decode()
    assert "Manager's comment" in body
    assert "The analysis weighs the shouting against the grandmother&#x27;s support" in body
    auditor = login(client, make_user(Role.ADMINISTRATOR))
    trail = auditor.get("/audit/", {"event_type": "assessments.authorised"}).content.decode()
    # The administrator sees that the comment was written, not what it says (issue 19).
    assert "manager_comment" in trail
    assert "The analysis weighs the shouting" not in trail
    [event] = AuditEvent.objects.filter(event_type="assessments.authorised")
    assert "The analysis weighs the shouting" in event.new_values["manager_comment"]


def test_returning_records_why_on_the_assessment_and_in_its_audit(
    client: Client, manager: User, submitted: Assessment, make_user: Callable[..., User]
) -> None:
    login(client, manager).post(
        f"/assessments/{submitted.pk}/return/", {"reasons": "Add the father's views."}
    )
    detail = client.get(f"/assessments/{submitted.pk}/").content.decode()
    assert "Returned by a manager" in detail
    assert "Add the father&#x27;s views." in detail
    auditor = login(client, make_user(Role.ADMINISTRATOR))
    trail = auditor.get("/audit/", {"event_type": "assessments.returned"}).content.decode()
    assert "Add the father" not in trail  # the administrator sees no casework (issue 19)
    [event] = AuditEvent.objects.filter(event_type="assessments.returned")
    assert "Add the father's views." in str(event.new_values) + str(event.extra)


def test_a_plan_outcome_links_straight_to_starting_the_plan(
    client: Client, manager: User, worker: User, submitted: Assessment
) -> None:
    start_plan = f"/children-in-need/record/{submitted.person_id}/plans/new/"
    done = _authorise(login(client, manager), submitted)
    body = done.content.decode()
    assert "Assessment authorised" in body
    assert "Next step" in body
    assert (
        f'<a class="govuk-notification-banner__link" href="{start_plan}">'
        "Start the child in need plan for Zara Testchild</a>"
    ) in body
    # The worker sees it too, until the plan is started.
    page = login(client, worker).get(f"/assessments/{submitted.pk}/").content.decode()
    assert f'href="{start_plan}"' in page
    cin_actions.start_plan(
        acting_user=worker,
        child=submitted.person,
        start_date=datetime.date(2025, 2, 4),
        child_views="Zara wants the shouting to stop.",
        identity_needs="Zara's Irish heritage: her dancing class stays in the plan.",
    )
    page = client.get(f"/assessments/{submitted.pk}/").content.decode()
    assert "Next step" not in page
    assert start_plan not in page


@pytest.mark.parametrize(
    ("outcome", "text", "path"),
    [
        (Assessment.Outcome.LOOKED_AFTER, "Start the period of care", "/looked-after/{}/start/"),
        (
            Assessment.Outcome.STRATEGY,
            "Record the strategy discussion",
            "/child-protection/record/{}/strategy/new/",
        ),
        (Assessment.Outcome.NO_FURTHER_ACTION, "", ""),
        (Assessment.Outcome.EARLY_HELP, "", ""),
    ],
)
def test_each_outcome_that_leads_on_prompts_its_next_step(
    client: Client,
    worker: User,
    manager: User,
    assessment: Assessment,
    outcome: str,
    text: str,
    path: str,
) -> None:
    fill(assessment, worker, outcome=outcome)
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    body = _authorise(login(client, manager), assessment).content.decode()
    if text:
        href = path.format(assessment.person_id)
        assert f'href="{href}">{text} for Zara Testchild</a>' in body
    else:
        assert "Next step" not in body


def test_who_cannot_start_the_plan_is_told_it_is_still_to_start(
    client: Client, manager: User, submitted: Assessment, make_user: Callable[..., User]
) -> None:
    _authorise(login(client, manager), submitted)
    reader = login(client, make_user(Role.SENIOR_LEADER))
    page = reader.get(f"/assessments/{submitted.pk}/").content.decode()
    assert "It has not been started yet: the child's social worker starts it." in page
    assert "/plans/new/" not in page


def _success_banner(response: Any) -> str:
    found = re.search(
        r'govuk-notification-banner--success.*?govuk-notification-banner__heading">([^<]*)<',
        response.content.decode(),
        re.S,
    )
    assert found is not None, "no success banner"
    return found[1]


def test_every_save_shows_a_banner_saying_what_was_saved(
    client: Client, worker: User, manager: User, make_child: Callable[..., Person], team: Team
) -> None:
    child = make_child(team=team)
    login(client, worker)
    started = client.post(
        f"/assessments/new/{child.pk}/",
        {"start_date_day": "7", "start_date_month": "1", "start_date_year": "2025"},
        follow=True,
    )
    assert _success_banner(started) == "Assessment started"
    assessment = Assessment.objects.get(person=child)
    saved = client.post(f"/assessments/{assessment.pk}/edit/", form_data(assessment), follow=True)
    assert _success_banner(saved) == "Assessment saved"
    assessment.refresh_from_db()
    submitted = client.post(f"/assessments/{assessment.pk}/submit/", follow=True)
    assert _success_banner(submitted) == "Assessment submitted for authorisation"
    login(client, manager)
    returned = client.post(
        f"/assessments/{assessment.pk}/return/", {"reasons": "Add the father."}, follow=True
    )
    assert _success_banner(returned) == "Assessment returned to the social worker"
    assessment.refresh_from_db()
    login(client, worker).post(f"/assessments/{assessment.pk}/submit/")
    authorised = _authorise(login(client, manager), assessment)
    assert _success_banner(authorised) == "Assessment authorised"


def test_a_submitted_assessment_says_who_is_to_authorise_it(
    client: Client, worker: User, manager: User, submitted: Assessment
) -> None:
    page = login(client, worker).get(f"/assessments/{submitted.pk}/").content.decode()
    assert "Waiting for Mo Manager, the team manager," in page
    assert f"/assessments/{submitted.pk}/authorise/" not in page
