"""The synthetic authority generator: content, determinism, arguments and the demo."""

from __future__ import annotations

import datetime
import io
import random
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings

from caseline.apps.accounts.models import Team, User
from caseline.apps.assessments import models as assessments
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin import models as cin
from caseline.apps.complaints.models import Complaint
from caseline.apps.frontdoor import models as frontdoor
from caseline.apps.lado.models import Allegation
from caseline.apps.lookedafter import models as lookedafter
from caseline.apps.people.models import Allocation, Person, Relationship
from caseline.apps.people.validators import (
    is_valid_postcode,
    validate_nhs_number,
    validate_upn,
)
from caseline.apps.protection import models as protection
from caseline.apps.recording import models as recording
from caseline.apps.recording.models import SupervisionAction
from caseline.apps.synthetic import identifiers
from caseline.apps.synthetic.demo import DEMO_CASELOAD
from caseline.apps.synthetic.generator import Builder, Parameters, authority_digest
from caseline.apps.synthetic.generator.core import ADOPTIONS_DUE, poisson
from caseline.apps.timescales.calendar import england_and_wales

AS_AT = datetime.date(2026, 11, 2)
TINY = Parameters(children=60, years=3, seed=8, as_at=AS_AT)
# Every kind of casework the generator writes, each of which even a tiny authority holds
# (pathway plans are left out: a small authority may have nobody in care at 16).
EVERY_ENTITY_TYPE = (
    *(frontdoor.Contact, frontdoor.ContactPerson, frontdoor.Referral),
    *(frontdoor.EarlyHelpEpisode, frontdoor.StepChange),
    *(assessments.Assessment, assessments.AssessmentReturn),
    *(cin.CINPlan, cin.PlanOutcome, cin.PlanAction, cin.PlanReview, cin.CINVisit),
    *(recording.CaseNote, recording.ManagementOversight, recording.Supervision),
    recording.SupervisionAction,
    *(protection.StrategyDiscussion, protection.StrategyParticipant),
    *(protection.Section47Enquiry, protection.Conference, protection.ConferenceAttendee),
    *(protection.ProtectionPlan, protection.ProtectionOutcome, protection.ProtectionAction),
    *(protection.CoreGroup, protection.ProtectionVisit),
    *(lookedafter.Episode, lookedafter.IROAllocation, lookedafter.LACReview),
    *(lookedafter.LACVisit, lookedafter.CarePlan, lookedafter.HealthRecord),
    *(lookedafter.PersonalEducationPlan, lookedafter.PlacementPlan, lookedafter.PlacementNotice),
)

pytestmark = pytest.mark.django_db


def build(params: Parameters = TINY) -> Builder:
    builder = Builder(params)
    builder.run()
    return builder


def digest_of(*args: str) -> str:
    """Generate into the database, take the digest, then roll everything back."""
    with transaction.atomic():
        call_command("generate", *args, "--quiet", stdout=io.StringIO())
        digest = authority_digest()
        transaction.set_rollback(True)
    return digest


def test_a_tiny_authority_is_quick_and_has_every_entity_type() -> None:
    started = time.monotonic()
    builder = build()
    assert time.monotonic() - started < 5
    for model in EVERY_ENTITY_TYPE:
        assert model._default_manager.exists(), f"no {model.__name__} rows"
    assert len(builder.child_ids) == TINY.children
    assert Team.objects.filter(service=Team.Service.ASSESSMENT).count() >= 2
    assert User.objects.filter(username__startswith="sw.").exists()
    assert not any(u.has_usable_password() for u in User.objects.all())
    # Search keys as the people app sets them.
    person = Person.objects.first()
    assert person is not None
    assert person.search_family == person.family_name.lower()
    assert person.phonetic_family


def test_even_a_tiny_authority_has_the_wider_service() -> None:
    """Allegations, complaints, private fostering, young carers and participation
    (``generator.wider``), dated in the period and about children of the right age."""
    from caseline.apps.complaints.models import ComplaintStage
    from caseline.apps.lado.models import AllegationChild, StrategyMeeting
    from caseline.apps.privatefostering import models as pf

    build()
    start = datetime.date(2023, 11, 2)
    for model in (
        Allegation, AllegationChild, StrategyMeeting, Complaint, ComplaintStage,
        pf.Arrangement, pf.ArrangementVisit, pf.YoungCarerAssessment, pf.ParticipationRecord,
    ):  # fmt: skip
        assert model._default_manager.exists(), f"no {model.__name__} rows"
    assert Allegation.objects.count() >= 6 * TINY.years
    assert not Allegation.objects.filter(received_date__lt=start - datetime.timedelta(days=1))
    assert not Allegation.objects.filter(received_date__gt=AS_AT)
    lado = User.objects.filter(groups__name="Designated officer (LADO)")
    assert set(Allegation.objects.values_list("officer", flat=True)) <= set(
        lado.values_list("pk", flat=True)
    )
    for arrangement in pf.Arrangement.objects.select_related("person"):
        born = arrangement.person.date_of_birth
        assert born is not None
        age = (arrangement.notified_on - born).days / 365.25
        assert 5 <= age < 16
        first = arrangement.visits.order_by("visit_date").first()
        assert first is None or first.visit_date >= arrangement.notified_on
    assert pf.Survey.objects.count() == TINY.years
    assert pf.SurveyQuestion.objects.count() == 5 * TINY.years
    for member in pf.CouncilMember.objects.all():
        assert all(m.meeting_on >= member.joined_on for m in member.meetings.all())
    told = pf.ParticipationRecord.objects.filter(kind="told").values_list("person", flat=True)
    assert set(told) <= set(lookedafter.Episode.objects.values_list("person", flat=True))


def test_even_a_tiny_authority_has_adoptions_near_its_as_at_date() -> None:
    """core.ADOPTIONS_DUE: two children whose decision, match and move to adopters fall in
    the twelve months before the as-at date, and one decided in them and still waiting."""
    build()
    since = AS_AT - datetime.timedelta(days=365)
    recent = lookedafter.AdoptionDecision.objects.filter(decided_on__range=(since, AS_AT))
    placed, waiting = [], []
    for decision in recent:
        episodes = list(
            lookedafter.Episode.objects.filter(person=decision.person).order_by("start_date")
        )
        moves = [e.start_date for e in episodes if e.placement_type in ("A5", "A6")]
        if decision.matched_on is not None and moves and since <= moves[0] <= AS_AT:
            assert decision.decided_on <= decision.matched_on <= moves[0]
            assert "E1" in {e.legal_status for e in episodes if e.start_date <= moves[0]}
            placed.append(decision)
        elif decision.matched_on is None and not moves:
            assert episodes[-1].end_date is None  # still in care, waiting
            waiting.append(decision)
    assert len(placed) >= ADOPTIONS_DUE.count("placed")
    assert len(waiting) >= ADOPTIONS_DUE.count("waiting")


def test_identifiers_are_valid() -> None:
    build()
    nhs = list(Person.objects.values_list("nhs_number", flat=True))
    upns = [u for u in Person.objects.values_list("upn", flat=True) if u]
    assert nhs
    assert upns
    for number in nhs:
        assert identifiers.is_valid_nhs_number(number)
        validate_nhs_number(number)
    for upn in upns:
        assert identifiers.is_valid_upn(upn)
        validate_upn(upn)


def test_check_digits_by_hand() -> None:
    # 999 000 0018: weights 10..2 give 245; 11 - 245 % 11 = 8.
    assert identifiers.is_valid_nhs_number("9990000018")
    assert not identifiers.is_valid_nhs_number("9434765918")
    assert not identifiers.is_valid_nhs_number("94347659")
    assert identifiers.nhs_check_digit("000000001") == 9
    assert identifiers.nhs_check_digit("000000006") is None  # remainder gives 10: unusable
    assert identifiers.nhs_check_digit("000000000") == 0
    # Position 13 weighted 13: 13 % 23 = 13 -> "P" (no I, O or S in the alphabet).
    assert identifiers.upn_check_letter("000000000001") == "P"
    assert identifiers.is_valid_upn("P000000000001")
    assert not identifiers.is_valid_upn("A000000000001")
    assert not identifiers.is_valid_upn("P00000000000X")
    postcode = identifiers.postcode(random.Random(1))
    assert is_valid_postcode(postcode)
    assert postcode.startswith("CL")
    assert " " in postcode


def test_same_seed_gives_the_same_authority_and_another_seed_does_not() -> None:
    args = ("--children", "30", "--years", "2", "--as-at", "2026-06-30")
    first = digest_of(*args, "--seed", "5")
    assert Person.objects.count() == 0
    assert digest_of(*args, "--seed", "5") == first
    assert digest_of(*args, "--seed", "6") != first
    assert (
        digest_of("--children", "30", "--years", "2", "--as-at", "2026-07-01", "--seed", "5")
        != first
    )


def test_families_are_consistent() -> None:
    builder = build()
    assert not Relationship.objects.filter(person=F("other")).exists()
    carers = Q(relationships_to__kind__in=[Relationship.Kind.PARENT, Relationship.Kind.CARER])
    orphans = Person.objects.filter(pk__in=builder.child_ids).annotate(
        carers=Count("relationships_to", filter=carers)
    )
    assert all(child.carers >= 1 for child in orphans)
    kinds = set(Relationship.objects.values_list("kind", flat=True))
    assert {
        Relationship.Kind.PARENT,
        Relationship.Kind.SIBLING,
        Relationship.Kind.GRANDPARENT,
    } <= kinds
    assert Relationship.Kind.FORMER_PARTNER in kinds
    assert Person.objects.filter(date_of_death__isnull=False).exists()
    assert Person.objects.filter(is_uasc=True, interpreter_needed=True).exists()
    # One current allocation at most per child, and one open referral at most.
    per_child = (
        Allocation.objects.filter(end_date__isnull=True).values("person").annotate(n=Count("id"))
    )
    assert all(row["n"] == 1 for row in per_child)
    # Each supervision action names the child of its supervision's note.
    actions = SupervisionAction.objects.all()
    assert actions.exists()
    assert not actions.exclude(person=F("supervision__note__person")).exists()


def test_timeliness_is_plausible() -> None:
    build(Parameters(children=400, years=2, seed=3, as_at=AS_AT))
    calendar = england_and_wales()
    authorised = [
        (referred, done)
        for referred, done in assessments.Assessment.objects.values_list(
            "referral__referral_date", "authorised_on"
        )
        if done is not None
    ]
    late = [a for r, a in authorised if a > calendar.add_working_days(r, 45)]
    assert 0.06 < len(late) / len(authorised) < 0.24  # England: 14% late
    assert assessments.Assessment.objects.exclude(status="authorised").exists()
    decided = [
        (received, on)
        for received, on in frontdoor.Contact.objects.values_list("received_at", "decided_at")
        if on is not None
    ]
    late_decisions = [1 for r, d in decided if d.date() > calendar.add_working_days(r.date(), 1)]
    assert 0.05 < len(late_decisions) / len(decided) < 0.25


def test_one_audit_event_with_the_parameters() -> None:
    build()
    events = AuditEvent.objects.filter(event_type="synthetic.authority-generated")
    assert events.count() == 1
    extra = events.get().extra
    assert extra["children"] == TINY.children
    assert extra["seed"] == TINY.seed
    assert extra["counts"]["people.Person"] == Person.objects.count()


def test_progress_is_shown_unless_quiet() -> None:
    out = io.StringIO()
    with transaction.atomic():
        call_command("generate", "--children", "5", "--years", "1", "--seed", "1", stdout=out)
        transaction.set_rollback(True)
    assert "children 5/5" in out.getvalue()
    assert "rows/s" in out.getvalue()
    quiet = io.StringIO()
    call_command("generate", "--children", "5", "--years", "1", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--children", "0"], "--children"),
        (["--children", "-3"], "--children"),
        (["--years", "0"], "--years"),
        (["--years", "31"], "--years"),
        (["--as-at", "2026-02-30"], "--as-at"),
        (["--as-at", "yesterday"], "--as-at"),
        (["--as-at", "2999-01-01"], "--as-at must not be later than today"),
    ],
)
def test_bad_arguments_are_refused(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate", *args, stdout=io.StringIO())
    assert not Person.objects.exists()


def test_refuses_in_production_and_on_a_database_with_people() -> None:
    with (
        override_settings(CASELINE_ENVIRONMENT="production"),
        pytest.raises(CommandError, match="production"),
    ):
        call_command("generate", "--children", "5", stdout=io.StringIO())
    call_command("generate", "--children", "5", "--years", "1", "--quiet", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds people"):
        call_command("generate", "--children", "5", "--years", "1", stdout=io.StringIO())


def test_demo_if_empty_generates_once_and_gives_the_demo_users_work() -> None:
    out = io.StringIO()
    call_command("generate", "--demo-if-empty", "--quiet", stdout=out)
    assert "demo authority" in out.getvalue()
    worker = User.objects.get(username="social.worker")
    manager = User.objects.get(username="team.manager")
    caseload = Allocation.objects.filter(worker=worker, end_date__isnull=True)
    assert caseload.count() == DEMO_CASELOAD
    team = Team.objects.get(name="Assessment Team North")
    assert team.manager == manager
    assert Allocation.objects.filter(team=team, end_date__isnull=True).count() >= DEMO_CASELOAD
    people = Person.objects.count()
    again = io.StringIO()
    call_command("generate", "--demo-if-empty", stdout=again)
    assert "already exist" in again.getvalue()
    assert Person.objects.count() == people
    assert caseload.count() == DEMO_CASELOAD
    # The designated officer and the complaints officer have work, made once.
    assert Allegation.objects.filter(officer__username="lado").count() == 3
    assert Complaint.objects.filter(officer__username="complaints").count() == 2


def test_poisson() -> None:
    rng = random.Random(1)
    assert poisson(rng, 0) == 0
    big = [poisson(rng, 100) for _ in range(200)]
    assert 90 < sum(big) / len(big) < 110
    with pytest.raises(ValidationError):
        validate_nhs_number("9434765918")
