"""The case audit and IRO challenge pages: who may open each, visibility of children, reads
audited, forms that keep what was typed, results that open onto their audits."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.quality import actions
from caseline.apps.quality.models import (
    AuditRound,
    AuditStatus,
    AuditTool,
    CaseAudit,
    ChallengeStage,
    Grade,
    Theme,
)
from caseline.apps.quality.tests.conftest import submitted

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_the_qa_lead_sets_up_a_round_from_the_form(
    qa_lead: User,
    manager: User,
    moderator: User,
    tool: AuditTool,
    children: list[Person],
    today: datetime.date,
) -> None:
    client = client_for(qa_lead)
    assert client.get(reverse("quality:round-new")).status_code == 200
    data = {
        "title": "December audit",
        "tool": str(tool.pk),
        "sample_kind": "random-per-team",
        "size": "3",
        "seed": "99",
        "auditors": [str(manager.pk)],
        "moderators": [str(moderator.pk)],
        **_date("as_at", today),
        **_date("deadline", today + datetime.timedelta(days=20)),
    }
    response = client.post(reverse("quality:round-new"), data)
    round_ = AuditRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:round", kwargs={"round_id": round_.pk})
    assert (round_.seed, round_.audits.count()) == (99, 3)
    page = client.get(response["Location"]).content.decode()
    assert "99" in page
    assert page.count('href="/quality/audits/') == 3


def test_a_bad_round_form_says_what_is_wrong_and_keeps_what_was_typed(
    qa_lead: User, tool: AuditTool
) -> None:
    response = client_for(qa_lead).post(
        reverse("quality:round-new"),
        {"title": "Keep this title", "tool": str(tool.pk), "size": "lots"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Keep this title" in text
    assert "Enter the number of children as a whole number" in text
    assert "Choose at least one auditor" in text
    assert not AuditRound.objects.exists()


@pytest.mark.parametrize(
    ("name", "kwargs", "allowed", "refused"),
    [
        ("quality:audits", {}, Role.TEAM_MANAGER, Role.SOCIAL_WORKER),
        ("quality:round-new", {}, Role.QA_LEAD, Role.TEAM_MANAGER),
        ("quality:results", {}, Role.SENIOR_LEADER, Role.SOCIAL_WORKER),
        ("quality:tools", {}, Role.QA_LEAD, Role.IRO),
    ],
)
def test_pages_are_closed_to_roles_without_their_permission(
    make_user: Callable[..., User],
    name: str,
    kwargs: dict[str, Any],
    allowed: Role,
    refused: Role,
    tool: AuditTool,
) -> None:
    url = reverse(name, kwargs=kwargs)
    assert client_for(make_user(allowed)).get(url).status_code == 200
    assert client_for(make_user(refused)).get(url).status_code == 403


@pytest.fixture
def audit(make_round: Callable[..., AuditRound], children: list[Person]) -> CaseAudit:
    return make_round(size=1).audits.get()


def test_the_audit_page_audits_the_read_and_hides_other_teams_children(
    audit: CaseAudit,
    manager: User,
    make_user: Callable[..., User],
    other_team: Any,
) -> None:
    url = reverse("quality:audit", kwargs={"audit_id": audit.pk})
    response = client_for(manager).get(url)
    assert response.status_code == 200
    assert "Record answers and grades" in response.content.decode()
    read = AuditEvent.objects.get(event_type=EventType.CHILD_RECORD_VIEWED)
    assert (read.subject_person_id, read.extra["section"]) == (audit.person_id, "quality-audit")
    stranger = make_user(Role.TEAM_MANAGER, team=other_team, manages=other_team)
    assert client_for(stranger).get(url).status_code == 403
    round_page = client_for(stranger).get(
        reverse("quality:round", kwargs={"round_id": audit.round_id})
    )
    text = round_page.content.decode()
    assert audit.person.full_name not in text
    assert "1 more audit of children whose records you may not see" in text


def test_the_auditor_records_answers_and_submits_from_the_pages(
    audit: CaseAudit, manager: User
) -> None:
    client = client_for(manager)
    questions = list(audit.tool.questions.all())
    data: dict[str, str] = {f"grade_{q.pk}": Grade.GOOD.value for q in questions}
    data |= {f"answer_{q.pk}": f"Evidence {q.order}" for q in questions}
    data |= {"overall_grade": Grade.GOOD, "summary": "Clear voice of the child"}
    url = reverse("quality:audit-answers", kwargs={"audit_id": audit.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    response = client.post(reverse("quality:audit-submit", kwargs={"audit_id": audit.pk}))
    assert response.status_code == 302
    audit.refresh_from_db()
    assert (audit.status, audit.overall_grade) == (AuditStatus.SUBMITTED, Grade.GOOD)
    assert audit.answers.filter(grade=Grade.GOOD).count() == len(questions)


def test_submitting_an_unfinished_audit_shows_why(audit: CaseAudit, manager: User) -> None:
    response = client_for(manager).post(
        reverse("quality:audit-submit", kwargs={"audit_id": audit.pk})
    )
    assert response.status_code == 400
    assert "Grade every question before submitting" in response.content.decode()


def test_results_count_by_theme_team_and_month_and_open_onto_the_audits(
    make_round: Callable[..., AuditRound],
    children: list[Person],
    other_children: list[Person],
    manager: User,
    moderator: User,
    qa_lead: User,
    iro: User,
    team: Any,
    today: datetime.date,
    django_assert_max_num_queries: Any,
) -> None:
    round_ = make_round(size=1, auditors=[manager, qa_lead])
    grades = [Grade.GOOD, Grade.INADEQUATE]
    for audit, grade in zip(round_.audits.order_by("id"), grades, strict=True):
        submitted(audit, audit.auditor, grade)  # type: ignore[arg-type]
        actions.moderate_audit(
            acting_user=moderator, audit=audit, decision="agreed", grade="", reason=""
        )
    actions.raise_challenge(
        acting_user=iro,
        child=children[0],
        stage=ChallengeStage.INFORMAL,
        started_on=today,
        addressed_to="Tess",
        concern="Drift",
    )
    client = client_for(qa_lead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("quality:results"))
    text = response.content.decode()
    assert 'id="moderated-count">2<' in text
    assert 'id="challenges-raised">1<' in text
    month = today.strftime("%Y-%m")
    assert f"?month={month}&grade=good" in text
    assert f"?theme={Theme.VOICE}&grade=inadequate" in text
    good = round_.audits.get(overall_grade=Grade.GOOD)
    bad = round_.audits.get(overall_grade=Grade.INADEQUATE)

    def link(audit: CaseAudit) -> str:
        return f'href="{reverse("quality:audit", kwargs={"audit_id": audit.pk})}"'

    behind = client.get(
        reverse("quality:results-audits"), {"team": str(good.team_id), "grade": "good"}
    ).content.decode()
    assert link(good) in behind
    assert link(bad) not in behind
    by_theme = client.get(
        reverse("quality:results-audits"), {"theme": Theme.VOICE, "grade": "inadequate"}
    ).content.decode()
    assert link(bad) in by_theme
    assert link(good) not in by_theme
    by_month = client.get(reverse("quality:results-audits"), {"month": month}).content.decode()
    assert link(good) in by_month
    assert link(bad) in by_month
    assert client.get(reverse("quality:results-audits"), {"month": "nonsense"}).status_code == 400


def test_the_worker_reflects_from_the_childs_record(
    audit: CaseAudit, manager: User, worker: User
) -> None:
    submitted(audit, manager)
    client = client_for(worker)
    record = client.get(reverse("quality:record", kwargs={"person_id": audit.person_id}))
    assert record.status_code == 200
    url = reverse("quality:audit-reflect", kwargs={"audit_id": audit.pk})
    assert url in record.content.decode()
    response = client.post(url, {"reflection": "I will record the child's words."})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.REFLECTED


def test_an_iro_raises_escalates_and_resolves_a_challenge_from_the_record(
    children: list[Person], iro: User, worker: User, today: datetime.date
) -> None:
    child = children[0]
    client = client_for(iro)
    new = reverse("quality:challenge-new", kwargs={"person_id": child.pk})
    assert client_for(worker).get(new).status_code == 403
    response = client.post(
        new,
        {
            "stage": "informal",
            "addressed_to": "Sam Worth, social worker",
            "concern": "No permanence plan",
            **_date("started_on", today),
        },
    )
    assert response.status_code == 302
    challenge = child.iro_challenges.get()
    page = reverse(
        "quality:challenge", kwargs={"person_id": child.pk, "challenge_id": challenge.pk}
    )
    assert "Informal resolution" in client.get(page).content.decode()
    escalate = reverse(
        "quality:challenge-escalate", kwargs={"person_id": child.pk, "challenge_id": challenge.pk}
    )
    bad = client.post(
        escalate, {"stage": "informal", "addressed_to": "", **_date("started_on", today)}
    )
    assert bad.status_code == 400
    assert "Enter who the challenge is raised with" in bad.content.decode()
    bad = client.post(
        escalate, {"stage": "informal", "addressed_to": "Tess", **_date("started_on", today)}
    )
    assert bad.status_code == 400
    assert "Choose a stage after the current one" in bad.content.decode()
    ok = client.post(
        escalate,
        {"stage": "stage-2", "addressed_to": "Head of service", **_date("started_on", today)},
    )
    assert ok.status_code == 302
    resolve = reverse(
        "quality:challenge-resolve", kwargs={"person_id": child.pk, "challenge_id": challenge.pk}
    )
    assert (
        client.post(
            resolve,
            {"outcome": "resolved", "resolution": "Plan agreed", **_date("resolved_on", today)},
        ).status_code
        == 302
    )
    record = client_for(worker).get(reverse("quality:record", kwargs={"person_id": child.pk}))
    assert "Resolved on" in record.content.decode()


def test_the_tool_is_edited_into_a_new_version_from_its_page(
    qa_lead: User, tool: AuditTool
) -> None:
    client = client_for(qa_lead)
    url = reverse("quality:tool-edit", kwargs={"tool_id": tool.pk})
    form = client.get(url)
    assert form.status_code == 200
    data: dict[str, str] = {"title": tool.title, "introduction": "", "change_note": "Shorter"}
    for q in tool.questions.all():
        data |= {f"theme_{q.order}": q.theme, f"text_{q.order}": q.text, f"guidance_{q.order}": ""}
    data["remove_1"] = "on"
    data |= {"theme_new": "voice", "text_new": "Was the child asked?", "guidance_new": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    new = AuditTool.objects.get(version=2)
    assert response["Location"] == reverse("quality:tool", kwargs={"tool_id": new.pk})
    assert [q.text for q in new.questions.all()][-1] == "Was the child asked?"
    assert new.questions.count() == 12


def test_the_moderator_partner_and_action_pages_do_their_work(
    audit: CaseAudit,
    manager: User,
    moderator: User,
    worker: User,
    tool: AuditTool,
    today: datetime.date,
) -> None:
    auditor = client_for(manager)
    assert auditor.get(reverse("quality:tools")).status_code == 200
    tool_page = auditor.get(reverse("quality:tool", kwargs={"tool_id": tool.pk}))
    assert "The child&#x27;s voice" in tool_page.content.decode()
    assert auditor.get(reverse("quality:tool", kwargs={"tool_id": 999_999})).status_code == 404
    partner = reverse("quality:audit-partner-new", kwargs={"audit_id": audit.pk})
    assert auditor.get(partner).status_code == 200
    response = auditor.post(
        partner,
        {
            "partner_name": "Hana Visitor",
            "agency": "Health visiting",
            "question": "",
            "grade": "good",
            "answer": "Seen weekly",
        },
    )
    assert response.status_code == 302
    assert (
        "Hana Visitor (Health visiting)"
        in auditor.get(reverse("quality:audit", kwargs={"audit_id": audit.pk})).content.decode()
    )
    new_action = reverse("quality:audit-action-new", kwargs={"audit_id": audit.pk})
    response = auditor.post(new_action, {"owner": str(worker.pk), "action": "Update the genogram"})
    assert response.status_code == 302
    action = audit.actions.get()
    done = reverse("quality:action-done", kwargs={"action_id": action.pk})
    assert client_for(worker).get(done).status_code == 200
    response = client_for(worker).post(
        done,
        {
            "done_on_day": str(today.day),
            "done_on_month": str(today.month),
            "done_on_year": str(today.year),
            "note": "Drawn",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == today
    submitted(audit, manager)
    moderate = reverse("quality:audit-moderate", kwargs={"audit_id": audit.pk})
    boss = client_for(moderator)
    assert boss.get(moderate).status_code == 200
    assert client_for(worker).get(moderate).status_code == 403
    assert boss.post(moderate, {"decision": "agreed", "grade": "", "reason": ""}).status_code == 302
    audit.refresh_from_db()
    assert audit.final_grade == Grade.GOOD
    results = boss.get(reverse("quality:results"), {"round": str(audit.round_id)})
    assert audit.round.title in results.content.decode()
    assert boss.get(reverse("quality:results"), {"round": "x"}).status_code == 400
    for bad in ({"theme": "nope"}, {"grade": "nope"}, {"team": "x"}):
        assert boss.get(reverse("quality:results-audits"), bad).status_code == 400
    assert boss.get(reverse("quality:audit", kwargs={"audit_id": 999_999})).status_code == 404
