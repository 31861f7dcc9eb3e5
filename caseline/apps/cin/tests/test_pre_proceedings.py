"""Pre-proceedings and family group decision-making: what the social worker records, the
DfE CIN census 2026-27 rules the actions check, the census block it gives, and the pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin import actions, queries
from caseline.apps.cin.models import PreProceedings, PreProceedingsMeeting
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.plans.tests.posting import date_fields

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2026, 5, 4)
INITIAL = PreProceedingsMeeting.Kind.INITIAL
REVIEW = PreProceedingsMeeting.Kind.REVIEW


@pytest.fixture
def proceedings(child: Person, worker: User) -> PreProceedings:
    return actions.start_pre_proceedings(
        acting_user=worker,
        child=child,
        start_date=START,
        start_reason="  Legal planning meeting: threshold met, neglect despite the plan.  ",
    )


def _meeting(worker: User, pp: PreProceedings, kind: str, day: D) -> PreProceedingsMeeting:
    return actions.record_pre_proceedings_meeting(
        acting_user=worker, proceedings=pp, kind=kind, held_on=day
    )


def _errors(call: Callable[[], object]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_the_whole_of_pre_proceedings_gives_the_census_block(
    proceedings: PreProceedings, child: Person, worker: User
) -> None:
    assert proceedings.referral == Referral.objects.get(person=child)
    assert proceedings.start_reason == (
        "Legal planning meeting: threshold met, neglect despite the plan."
    )
    actions.record_letter_before_proceedings(
        acting_user=worker, proceedings=proceedings, letter_sent_on=D(2026, 5, 8), fgdm_offered=True
    )
    actions.record_family_group_decision_making(
        acting_user=worker,
        proceedings=proceedings,
        fgdm_facilitated=True,
        fgdm_held_on=D(2026, 5, 20),
    )
    _meeting(worker, proceedings, INITIAL, D(2026, 5, 15))
    _meeting(worker, proceedings, REVIEW, D(2026, 6, 15))
    _meeting(worker, proceedings, REVIEW, D(2026, 7, 15))
    actions.end_pre_proceedings(
        acting_user=worker,
        proceedings=proceedings,
        decided_on=D(2026, 8, 3),
        outcome="A",
        outcome_note="No change despite the support: apply for a care order.",
    )
    actions.record_court_application(
        acting_user=worker,
        proceedings=proceedings,
        court_application_on=D(2026, 8, 10),
        proceedings_letter_sent_on=D(2026, 8, 11),
    )
    [pp] = queries.pre_proceedings_of(child)
    assert queries.pre_proceedings_census(pp) == {
        "PPStartDate": START,
        "LBPSentDate": D(2026, 5, 8),
        "FGDMMeetingOffer": 1,
        "FGDMMeetingFac": 1,
        "InitialPPMeetingDate": D(2026, 5, 15),
        "ReviewMeetingsCount": 2,
        "StepDecisionDate": D(2026, 8, 3),
        "PPOutcome": "A",
        "CourtAppDate": D(2026, 8, 10),
        "LetterInitCPDate": D(2026, 8, 11),
    }
    events = list(
        AuditEvent.objects.filter(subject_person_id=child.pk, event_type__startswith="cin.")
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [
        "cin.pre-proceedings-started",
        "cin.letter-before-proceedings-sent",
        "cin.fgdm-recorded",
        *["cin.pre-proceedings-meeting-recorded"] * 3,
        "cin.pre-proceedings-ended",
        "cin.court-application-recorded",
    ]


def test_a_new_period_reports_only_what_is_recorded(proceedings: PreProceedings) -> None:
    census = queries.pre_proceedings_census(proceedings)
    assert census["PPStartDate"] == START
    assert {k for k, v in census.items() if v is not None} == {"PPStartDate"}


def test_pre_proceedings_need_an_open_episode_and_one_at_a_time(
    make_child: Callable[..., Person], proceedings: PreProceedings, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError, match="already in pre-proceedings"):
        actions.start_pre_proceedings(
            acting_user=worker, child=child, start_date=D(2026, 6, 1), start_reason="Again."
        )
    unreferred = make_child("Bea", referral_date=None)
    with pytest.raises(ValidationError, match="no open child in need episode"):
        actions.start_pre_proceedings(
            acting_user=worker, child=unreferred, start_date=START, start_reason="Why."
        )
    assert _errors(
        lambda: actions.start_pre_proceedings(
            acting_user=worker,
            child=make_child("Cy"),
            start_date=D(2024, 12, 2),
            start_reason=" ",
        )
    ) == {
        "start_date": [
            "The date of the decision must be on or after the referral date, 6 January 2025"
        ],
        "start_reason": ["Enter why pre-proceedings started"],
    }


def test_pre_proceedings_are_recorded_by_those_who_record_plans(
    child: Person, make_user: Callable[..., User], proceedings: PreProceedings
) -> None:
    iro = make_user(Role.IRO)
    with pytest.raises(PermissionDenied):
        actions.start_pre_proceedings(
            acting_user=iro, child=child, start_date=START, start_reason="x"
        )
    with pytest.raises(PermissionDenied):
        actions.end_pre_proceedings(
            acting_user=iro,
            proceedings=proceedings,
            decided_on=D(2026, 8, 3),
            outcome="B",
            outcome_note="x",
        )


def test_the_letter_follows_the_start_and_says_whether_it_offered_a_meeting(
    proceedings: PreProceedings, worker: User
) -> None:
    errors = _errors(
        lambda: actions.record_letter_before_proceedings(
            acting_user=worker,
            proceedings=proceedings,
            letter_sent_on=D(2026, 5, 1),
            fgdm_offered=None,
        )
    )
    assert errors["letter_sent_on"][0].startswith(
        "The letter must be sent on or after the decision to start pre-proceedings, 4 May 2026."
    )
    assert "(CIN census rule 9006)" in errors["letter_sent_on"][0]
    assert "(CIN census rule 9007)" in errors["fgdm_offered"][0]
    actions.record_letter_before_proceedings(
        acting_user=worker, proceedings=proceedings, letter_sent_on=START, fgdm_offered=False
    )
    with pytest.raises(ValidationError, match="recorded as sent on 4 May 2026"):
        actions.record_letter_before_proceedings(
            acting_user=worker, proceedings=proceedings, letter_sent_on=START, fgdm_offered=True
        )


def test_family_group_decision_making_is_checked_and_may_be_corrected(
    proceedings: PreProceedings, worker: User
) -> None:
    record = actions.record_family_group_decision_making
    errors = _errors(
        lambda: record(acting_user=worker, proceedings=proceedings, fgdm_facilitated=None)
    )
    assert "(CIN census rule 9010Q)" in errors["fgdm_facilitated"][0]
    assert _errors(
        lambda: record(acting_user=worker, proceedings=proceedings, fgdm_facilitated=True)
    ) == {"fgdm_held_on": ["Enter the date of the family group meeting"]}
    assert _errors(
        lambda: record(
            acting_user=worker,
            proceedings=proceedings,
            fgdm_facilitated=True,
            fgdm_held_on=D(2026, 5, 1),
        )
    ) == {
        "fgdm_held_on": [
            "The meeting must be on or after the decision to start pre-proceedings, 4 May 2026"
        ]
    }
    assert _errors(
        lambda: record(
            acting_user=worker,
            proceedings=proceedings,
            fgdm_facilitated=False,
            fgdm_held_on=D(2026, 5, 20),
        )
    ) == {
        "fgdm_held_on": ["Give a date only if a family group meeting was held"],
        "fgdm_note": ["Enter why no family group meeting was facilitated"],
    }
    record(
        acting_user=worker,
        proceedings=proceedings,
        fgdm_facilitated=False,
        fgdm_note="The family declined.",
    )
    record(
        acting_user=worker,
        proceedings=proceedings,
        fgdm_facilitated=True,
        fgdm_held_on=D(2026, 6, 2),
        fgdm_note="Held after all: grandparents offered to care.",
    )
    proceedings.refresh_from_db()
    assert (proceedings.fgdm_facilitated, proceedings.fgdm_held_on) == (True, D(2026, 6, 2))
    last = AuditEvent.objects.filter(event_type="cin.fgdm-recorded").latest("id")
    assert last.old_values["fgdm_facilitated"] is False
    assert last.new_values["fgdm_facilitated"] is True


def test_meetings_start_with_one_first_effective_meeting(
    proceedings: PreProceedings, worker: User
) -> None:
    with pytest.raises(ValidationError, match="Record the first effective meeting"):
        _meeting(worker, proceedings, REVIEW, D(2026, 6, 1))
    assert _errors(lambda: _meeting(worker, proceedings, INITIAL, D(2026, 5, 1))) == {
        "held_on": [
            "The meeting must be on or after the decision to start pre-proceedings, 4 May 2026"
        ]
    }
    _meeting(worker, proceedings, INITIAL, D(2026, 5, 15))
    with pytest.raises(ValidationError, match="Record this one as a review meeting"):
        _meeting(worker, proceedings, INITIAL, D(2026, 6, 1))
    assert _errors(lambda: _meeting(worker, proceedings, REVIEW, D(2026, 5, 15))) == {
        "held_on": ["A review meeting must be after the first effective meeting, 15 May 2026"]
    }
    # The database refuses a second first meeting whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        PreProceedingsMeeting.objects.create(
            proceedings=proceedings, kind=INITIAL, held_on=D(2026, 6, 1), recorded_by=worker
        )
    assert queries.pre_proceedings_census(proceedings)["ReviewMeetingsCount"] == 0


def test_the_decision_is_checked_against_the_start_the_meetings_and_the_code_list(
    proceedings: PreProceedings, worker: User
) -> None:
    _meeting(worker, proceedings, INITIAL, D(2026, 5, 15))

    def end(day: D, outcome: str, note: str = "Reasons.") -> object:
        return actions.end_pre_proceedings(
            acting_user=worker,
            proceedings=proceedings,
            decided_on=day,
            outcome=outcome,
            outcome_note=note,
        )

    errors = _errors(lambda: end(D(2026, 5, 1), "D", " "))
    assert "(CIN census rule 9009)" in errors["decided_on"][0]
    assert "(CIN census rule 9011)" in errors["outcome"][0]
    assert errors["outcome_note"] == ["Enter the reasons for the decision"]
    assert _errors(lambda: end(D(2026, 5, 10), "B")) == {
        "decided_on": ["The decision must be on or after the last meeting, 15 May 2026"]
    }
    end(D(2026, 7, 1), "B")
    with pytest.raises(ValidationError, match="ended with a decision on 1 July 2026"):
        end(D(2026, 7, 2), "C")
    # No meetings after the decision.
    assert "held_on" in _errors(lambda: _meeting(worker, proceedings, REVIEW, D(2026, 7, 2)))


def test_the_outcome_codes_start_in_2026_27(
    make_child: Callable[..., Person], worker: User
) -> None:
    child = make_child("Bea")
    pp = actions.start_pre_proceedings(
        acting_user=worker, child=child, start_date=D(2026, 2, 2), start_reason="Why."
    )
    errors = _errors(
        lambda: actions.end_pre_proceedings(
            acting_user=worker,
            proceedings=pp,
            decided_on=D(2026, 3, 30),
            outcome="A",
            outcome_note="Reasons.",
        )
    )
    assert errors["outcome"][0].startswith(
        "Select an outcome the census accepts for 30 March 2026."
    )


def test_the_court_application_follows_the_decision_and_the_letter_follows_it(
    proceedings: PreProceedings, worker: User
) -> None:
    def apply(day: D, letter: D | None = None) -> object:
        return actions.record_court_application(
            acting_user=worker,
            proceedings=proceedings,
            court_application_on=day,
            proceedings_letter_sent_on=letter,
        )

    with pytest.raises(ValidationError, match="Record the decision to step up or down"):
        apply(D(2026, 8, 10))
    actions.end_pre_proceedings(
        acting_user=worker,
        proceedings=proceedings,
        decided_on=D(2026, 8, 3),
        outcome="A",
        outcome_note="Apply for a care order.",
    )
    assert (
        "(CIN census rule 9012)" in _errors(lambda: apply(D(2026, 8, 1)))["court_application_on"][0]
    )
    assert (
        "(CIN census rule 9013)"
        in _errors(lambda: apply(D(2026, 8, 10), D(2026, 8, 9)))["proceedings_letter_sent_on"][0]
    )
    apply(D(2026, 8, 10))
    apply(D(2026, 8, 10), D(2026, 8, 12))  # the letter's date added later
    proceedings.refresh_from_db()
    assert proceedings.proceedings_letter_sent_on == D(2026, 8, 12)
    last = AuditEvent.objects.filter(event_type="cin.court-application-recorded").latest("id")
    assert last.new_values == {"proceedings_letter_sent_on": "2026-08-12"}


# --- Pages -------------------------------------------------------------------------------------


def _url(name: str, child: Person, **kwargs: int) -> str:
    return reverse(f"cin:{name}", kwargs={"person_id": child.pk, **kwargs})


def test_a_worker_records_pre_proceedings_through_the_pages(
    client: Client, child: Person, worker: User
) -> None:
    client.force_login(worker)
    plans = client.get(_url("record-plans", child))
    assert b"No pre-proceedings." in plans.content
    assert _url("pre-proceedings-new", child).encode() in plans.content
    failed = client.post(_url("pre-proceedings-new", child), {"start_reason": "Threshold met."})
    assert failed.status_code == 400
    response = client.post(
        _url("pre-proceedings-new", child),
        {**date_fields("start_date", START), "start_reason": "Threshold met."},
    )
    pp = PreProceedings.objects.get(person=child)
    ids = {"proceedings_id": pp.pk}
    assert response.status_code == 302
    assert response["Location"] == _url("pre-proceedings", child, **ids)
    posts = [
        ("pp-letter", {**date_fields("letter_sent_on", D(2026, 5, 8)), "fgdm_offered": "yes"}),
        (
            "pp-fgdm",
            {**date_fields("fgdm_held_on", D(2026, 5, 20)), "fgdm_facilitated": "yes"},
        ),
        ("pp-meeting-new", {**date_fields("held_on", D(2026, 5, 15)), "kind": "initial"}),
        (
            "pp-decision",
            {**date_fields("decided_on", D(2026, 8, 3)), "outcome": "A", "outcome_note": "Court."},
        ),
        (
            "pp-court",
            {
                **date_fields("court_application_on", D(2026, 8, 10)),
                **date_fields("proceedings_letter_sent_on", None),
            },
        ),
    ]
    for name, data in posts:
        response = client.post(_url(name, child, **ids), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    page = client.get(_url("pre-proceedings", child, **ids))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Sent 8 May 2026." in content
    assert "It offered a family group decision-making meeting." in content
    assert "Held 20 May 2026" in content
    assert "First effective pre-proceedings meeting: 15 May 2026" in content
    assert "Made 10 August 2026." in content
    assert "ReviewMeetingsCount" in content
    pp.refresh_from_db()
    assert queries.pre_proceedings_census(pp)["CourtAppDate"] == D(2026, 8, 10)


def test_the_pre_proceedings_pages_refuse_another_childs_and_those_who_cannot_plan(
    client: Client,
    proceedings: PreProceedings,
    child: Person,
    make_child: Callable[..., Person],
    make_user: Callable[..., User],
    worker: User,
) -> None:
    analyst = make_user(Role.ANALYST)
    client.force_login(analyst)
    ids = {"proceedings_id": proceedings.pk}
    assert client.get(_url("pre-proceedings", child, **ids)).status_code == 200
    assert client.get(_url("pp-letter", child, **ids)).status_code == 403
    other = make_child("Bea")  # also allocated to the worker, who may see both
    client.force_login(worker)
    assert client.get(_url("pre-proceedings", other, **ids)).status_code == 404
    assert client.get(_url("pp-letter", other, **ids)).status_code == 404
