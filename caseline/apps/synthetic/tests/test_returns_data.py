"""The synthetic authority fills what the DfE returns read: every record type, codes valid in
their years, combinations that make sense, the authority's own postcodes, and figures near
England's."""

from __future__ import annotations

import datetime
import importlib.util
import io
import itertools
import random
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from caseline.apps.accounts.models import User
from caseline.apps.assessments.models import Assessment
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.frontdoor.models import Contact, Referral
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter import models as la
from caseline.apps.people.models import Address, Allocation, Person
from caseline.apps.people.queries import home_postcode_on
from caseline.apps.people.rules import SOCIAL_WORKER_EPISODES_FROM
from caseline.apps.protection import models as cp
from caseline.apps.returns.rules.ssda903 import (
    SSDA903Rule362,
    SSDA903Rule378,
    SSDA903Rule390,
    SSDA903Rule440,
    SSDA903Rule441,
    SSDA903Rule460,
    epo_runs,
)
from caseline.apps.returns.rules.ssda903_placements import SSDA903Rule392d
from caseline.apps.synthetic import places
from caseline.apps.synthetic.generator import Builder, Parameters
from caseline.apps.synthetic.generator.staff import SYNTHETIC_SWE_PREFIX
from caseline.apps.synthetic.measures import last_year_end, pooled, report
from caseline.apps.timescales.calendar import add_calendar_months

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2026, 11, 2)
# Some record types are rare by design (a conviction: 3% of the health assessments of children
# of 10 or over in care), so whether a 900-child authority has one depends on the seed's
# draws. Seed 13 stopped drawing a conviction when the generator's adoptions due
# (core.ADOPTIONS_DUE) changed the draws; seed 14 stopped drawing a deprivation of liberty
# order when the generator stopped making what the record refuses (issue 18: no early help
# offered while an episode is open changes later draws); seed 15 has every type.
MID = Parameters(children=900, years=7, seed=15, as_at=AS_AT)


def valid(name: CodeListName, code: str, day: datetime.date) -> bool:
    return code_list(name).is_valid(code, collection_year(day))


def test_every_record_type_the_returns_read_is_filled() -> None:
    Builder(MID).run()
    for model in (
        la.MissingEpisode,
        la.CareLeaverContact,
        la.PersonalAdviser,
        la.UASCDetails,
        la.PenPicture,
        la.ReviewRecommendation,
        la.PreviousPermanence,
        la.AdoptionDecision,
        la.PlacementProvider,
        la.DeprivationOfLibertyOrder,
        cp.PoliceDecision,
        cp.TransferIn,
        cp.ProtectionHistory,
        AgencyEvent,
    ):
        assert model._default_manager.exists(), f"no {model.__name__} rows"
    assert cp.Conference.objects.filter(kind="transfer-in", transfer_in__isnull=False).exists()
    # OC2 health: development checks, SDQ scores or why none, convictions, substance misuse.
    for kind in ("development", "conviction", "substance-misuse"):
        assert la.HealthRecord.objects.filter(kind=kind).exists(), kind
    sdqs = la.HealthRecord.objects.filter(kind="sdq")
    assert sdqs.filter(sdq_score__isnull=False).exists()
    assert sdqs.filter(sdq_score__isnull=True).exists()
    assert not sdqs.filter(sdq_score__isnull=True, sdq_reason="").exists()
    for reason, day in sdqs.exclude(sdq_reason="").values_list("sdq_reason", "event_date"):
        assert valid(CodeListName.SDQ_REASON, reason, day)
    # Placements name their provider from the register, whose code and URN they carry.
    placed = la.Episode.objects.exclude(placement_type="P1")
    assert not placed.filter(provider__isnull=True).exists()
    for e in placed.select_related("provider"):
        assert e.provider is not None
        assert e.placement_provider == e.provider.provider_type
        assert e.placement_type in e.provider.placement_types
        assert e.ofsted_urn == e.provider.ofsted_urn
    assert Allocation.objects.filter(team__name="Leaving Care Team").exists()
    # Every UASC child who became looked after has their details.
    looked_after_uasc = Person.objects.filter(is_uasc=True, care_episodes__isnull=False)
    assert looked_after_uasc.exists()
    assert not looked_after_uasc.filter(uasc_details__isnull=True).exists()
    # People fields: a UPN or why not (UN1 only under 6), former UPNs, addresses' kinds.
    children = Person.objects.exclude(upn="") | Person.objects.exclude(upn_unknown_reason="")
    assert not children.exclude(upn="").exclude(upn_unknown_reason="").exists()
    for born in Person.objects.filter(upn_unknown_reason="UN1").values_list(
        "date_of_birth", flat=True
    ):
        assert born is not None
        assert (AS_AT - born).days < 6 * 365
    assert Person.objects.exclude(former_upn="").exists()
    assert Address.objects.filter(kind=Address.Kind.PLACEMENT).exists()
    # Registered workers have made-up SW numbers; personal advisers none.
    numbers = list(
        User.objects.exclude(swe_registration_number="").values_list(
            "swe_registration_number", flat=True
        )
    )
    assert numbers
    assert all(n.startswith(SYNTHETIC_SWE_PREFIX) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert not User.objects.filter(
        job_title="Personal adviser", swe_registration_number__gt=""
    ).exists()
    # A named worker from 1 April 2023 has the reason for the change (903 SW13STG1); before,
    # none (the code list starts then).
    recent = Allocation.objects.filter(
        worker__isnull=False, start_date__gte=SOCIAL_WORKER_EPISODES_FROM
    )
    assert recent.exists()
    assert not recent.filter(change_reason="").exists()
    for allocation in recent:
        assert valid(
            CodeListName.SOCIAL_WORKER_CHANGE_REASON,
            allocation.change_reason,
            allocation.start_date,
        )
    assert not Allocation.objects.filter(
        start_date__lt=SOCIAL_WORKER_EPISODES_FROM, change_reason__gt=""
    ).exists()
    # An allocation lasts at least a day (903 SW09STG2, SW18STG2).
    assert not Allocation.objects.filter(end_date__lte=F("start_date")).exists()

    check_codes_in_their_years()
    check_combinations()
    check_places()


def check_codes_in_their_years() -> None:
    for source, need, day in Referral.objects.values_list(
        "source", "primary_need", "referral_date"
    ):
        assert valid(CodeListName.REFERRAL_SOURCE, source, day)
        assert valid(CodeListName.PRIMARY_NEED, need, day)
    for reason, closed in Referral.objects.exclude(closed_on=None).values_list(
        "closure_reason", "closed_on"
    ):
        assert closed is not None
        assert valid(CodeListName.CIN_CLOSURE_REASON, reason, closed)
    for factors, day in Assessment.objects.values_list("factors", "start_date"):
        assert all(valid(CodeListName.ASSESSMENT_FACTOR, f, day) for f in factors)
    for source, day in Contact.objects.values_list("source", "received_at"):
        assert valid(CodeListName.REFERRAL_SOURCE, source, day.date())
    for e in la.Episode.objects.all():
        assert valid(CodeListName.LEGAL_STATUS, e.legal_status, e.start_date)
        assert valid(CodeListName.PLACEMENT_TYPE, e.placement_type, e.start_date)
        assert valid(CodeListName.PLACEMENT_PROVIDER, e.placement_provider, e.start_date)
        assert valid(CodeListName.REASON_NEW_EPISODE, e.reason_new_episode, e.start_date)
        if e.end_date is not None:
            assert valid(CodeListName.REASON_EPISODE_CEASED, e.reason_episode_ceased, e.end_date)
        if e.reason_place_change:
            assert e.end_date is not None
            assert valid(CodeListName.REASON_PLACEMENT_CHANGE, e.reason_place_change, e.end_date)
    for code, day in la.LACReview.objects.values_list("participation", "review_date"):
        assert valid(CodeListName.REVIEW_PARTICIPATION, code, day)
    for c in la.CareLeaverContact.objects.all():
        assert valid(CodeListName.CARE_LEAVER_IN_TOUCH, c.in_touch, c.contact_date)
        if c.activity:
            assert valid(CodeListName.CARE_LEAVER_ACTIVITY, c.activity, c.contact_date)
        if c.accommodation:
            assert valid(CodeListName.CARE_LEAVER_ACCOMMODATION, c.accommodation, c.contact_date)
    for kind, day in la.MissingEpisode.objects.values_list("missing_type", "start_date"):
        assert valid(CodeListName.MISSING_TYPE, kind, day)
    for category, day in cp.ProtectionPlan.objects.values_list("initial_category", "start_date"):
        assert valid(CodeListName.CP_CATEGORY, category, day)
    for option, episode_start in la.PreviousPermanence.objects.values_list(
        "option", "episode__start_date"
    ):
        assert valid(CodeListName.PREVIOUS_PERMANENCE, option, episode_start)


def check_social_worker_after_care(last: la.Episode) -> None:
    """A child who left care (not by dying or to another authority) still has a worker
    allocated at the 31 March after, if that day has passed (903 rule SW17STG2); one who left
    at 18 has the leaving care team's from the day care ended, not after it (rule SW12STG2)."""
    assert last.end_date is not None
    if last.reason_episode_ceased in ("E2", "E3"):
        return
    allocations = Allocation.objects.filter(person_id=last.person_id, worker__isnull=False)
    year_end = datetime.date(last.end_date.year + (last.end_date.month >= 4), 3, 31)
    if year_end <= AS_AT:
        assert allocations.filter(start_date__lte=year_end).exclude(end_date__lte=year_end)
    assert not allocations.filter(start_date__gt=last.end_date, start_date__lte=year_end).exists()


def check_combinations() -> None:
    episodes: dict[int, list[la.Episode]] = defaultdict(list)
    for e in la.Episode.objects.select_related("person").order_by("start_date", "id"):
        episodes[e.person_id].append(e)
        assert not SSDA903Rule378.breaks(
            legal_status=e.legal_status, placement_type=e.placement_type
        )
        assert not SSDA903Rule390.breaks(
            reason_ceased=e.reason_episode_ceased, placement_type=e.placement_type
        )
        assert (e.placement_provider == "PR0") == (e.placement_type == "P1")
    for rows in episodes.values():
        # A placement away from home is never at the postcode of the home the child lived in
        # when the period of care began (903 rule 392d).
        for period in derive.periods_of_care(rows):
            home = home_postcode_on(rows[0].person, period.start_date)
            for e in period.episodes:
                assert not SSDA903Rule392d.breaks(
                    placement_type=e.placement_type,
                    home_postcode=home,
                    placement_postcode=e.placement_postcode,
                ), (e.person_id, e.start_date, home)
        runs = epo_runs(((e.legal_status, e.start_date, e.end_date) for e in rows), until=AS_AT)
        assert not any(SSDA903Rule362.breaks(order_started=a, order_ended=b) for a, b in runs)
        assert rows[0].reason_new_episode == "S"
        for before, after in itertools.pairwise(rows):
            if before.end_date == after.start_date:
                assert before.reason_episode_ceased == "X1"
                assert after.reason_new_episode in ("L", "P", "T", "B", "U")
                # An interim care order comes before a full care or placement order.
                if after.legal_status in ("C2", "E1") and before.legal_status != after.legal_status:
                    assert before.legal_status in ("C1", "C2")
        last = rows[-1]
        born = last.person.date_of_birth
        assert born is not None
        if last.end_date is not None:
            assert not SSDA903Rule460.breaks(
                reason_ceased=last.reason_episode_ceased, born=born, ended=last.end_date
            )
            check_social_worker_after_care(last)
    assert la.Episode.objects.filter(legal_status="L2").exists()
    assert la.Episode.objects.filter(reason_episode_ceased__in=("E11", "E12")).exists()
    for review in la.LACReview.objects.select_related("person"):
        born = review.person.date_of_birth
        assert born is not None
        for rule in (SSDA903Rule440, SSDA903Rule441):
            assert not rule.breaks(
                participation=review.participation, born=born, review_date=review.review_date
            )
    # A child who becomes looked after has a stated need of the 903's N1-N8.
    in_care = set(la.Episode.objects.values_list("person_id", flat=True))
    needs = Referral.objects.filter(person_id__in=in_care, closure_reason__in=("RC1", "RC3", "RC4"))
    assert needs.exists()
    assert not needs.filter(primary_need__in=("N0", "N9")).exists()
    # No referral is closed before its initial or transfer-in conference (CIN census rule
    # 8565: no activity after the case closed).
    for held, closed in cp.Conference.objects.filter(
        kind__in=("initial", "transfer-in"), referral__closed_on__isnull=False
    ).values_list("conference_date", "referral__closed_on"):
        assert closed is not None
        assert closed >= held
    # Step down to early help closes RC9 from 2022-23; RC9 never before.
    assert Referral.objects.filter(closure_reason="RC9").exists()
    assert not Referral.objects.filter(
        closure_reason="RC9", closed_on__lt=datetime.date(2022, 4, 1)
    ).exists()
    # The assessment agrees with the enquiry: no further action after an enquiry that found
    # none, a child in need plan after one that continued as a child in need.
    agreed = {"nfa": "nfa", "cin": "cin-plan"}
    for outcome, referral in cp.Section47Enquiry.objects.filter(outcome__in=agreed).values_list(
        "outcome", "referral"
    ):
        for assessed in Assessment.objects.filter(referral=referral).exclude(outcome=""):
            assert assessed.outcome == agreed[outcome]
    # Care leavers' birthday contacts fall in the window the OC3 reads (3 months before the
    # birthday to a month after) and after care ended.
    for contact in la.CareLeaverContact.objects.select_related("person"):
        born = contact.person.date_of_birth
        assert born is not None
        birthdays = [add_calendar_months(born, 12 * age) for age in range(17, 22)]
        assert any(-92 <= (contact.contact_date - b).days <= 31 for b in birthdays)


def check_places() -> None:
    home = set(places.postcodes_by_authority()["E08000015"])
    near = {pc for _, pc in places.Places("E08000015").near}
    for postcode in Address.objects.filter(kind=Address.Kind.HOME).values_list(
        "postcode", flat=True
    ):
        assert postcode in home
    for postcode, area in la.Episode.objects.exclude(placement_type="P1").values_list(
        "placement_postcode", "area"
    ):
        assert postcode in (home if area == "IN" else near)


def test_the_authority_is_chosen_by_its_numbers() -> None:
    out = io.StringIO()
    call_command(
        "generate",
        *("--children", "40", "--years", "2", "--seed", "3", "--quiet"),
        *("--la-number", "341", "--ons-code", "E08000012"),
        stdout=out,
    )
    upns = [u for u in Person.objects.values_list("upn", flat=True) if u]
    assert upns
    assert all(u[1:4] == "341" for u in upns)
    liverpool = set(places.postcodes_by_authority()["E08000012"])
    postcodes = set(Address.objects.values_list("postcode", flat=True))
    assert postcodes <= liverpool
    if connection.vendor == "sqlite":  # the planner's statistics were gathered
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1")
            assert cursor.fetchone()[0] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--la-number", "34"], "--la-number"), (["--ons-code", "W06000011"], "--ons-code")],
)
def test_bad_authority_numbers_are_refused(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate", "--children", "5", *args, stdout=io.StringIO())


def test_an_authority_without_shipped_postcodes_falls_back_to_made_up_ones() -> None:
    where = places.Places("E99999999")
    assert not where.known
    _, postcode = where.address(random.Random(1))
    assert postcode.startswith("CL")
    assert where.out_of_area(random.Random(1))[1].startswith("CL")


def test_measures_are_near_englands() -> None:
    """On a 1,500-child authority over 5 years, each main measure (pooled over its last three
    collection years, for numbers big enough to say something) lands near England's."""
    Builder(Parameters(children=1500, years=5, seed=7, as_at=AS_AT)).run()
    end = last_year_end(AS_AT)
    found = pooled([datetime.date(end.year - n, 3, 31) for n in range(3)])
    tolerance = {
        "icpc_within_15_working_days": (81.4, 12),
        "assessments_within_45_working_days": (85.7, 7),
        "rereferrals_within_12_months": (22.6, 7),
        "cpp_ceased_after_2_years_or_more": (4.4, 5),
        "cpp_starts_with_previous_plan": (24.5, 12),
        "cla_3_or_more_placements_in_year": (10.0, 7),
    }
    for name, (england, plus_or_minus) in tolerance.items():
        value = found[name].percent
        assert value is not None, name
        assert abs(value - england) <= plus_or_minus, f"{name}: {value:.1f}% (England {england})"
    assert "England" in report(end, years=3)


def test_the_postcode_data_is_derived_as_its_header_says() -> None:
    path = Path(places.__file__).parent / "data" / "derive_postcodes.py"
    spec = importlib.util.spec_from_file_location("derive_postcodes", path)
    assert spec is not None
    assert spec.loader is not None
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)

    def inward(n: int) -> str:
        return f"{n % 10}{chr(65 + n // 10)}Z"

    rows = [(f"AB1 {inward(n)}", "E1", float(n), 0.0) for n in range(60)]  # a district
    rows += [(f"AB2 {inward(n)}", "E2", 1000.0 + n, 0.0) for n in range(10)]  # too few
    rows += [(f"AB3 {inward(n)}", "E2", 2000.0, 0.0) for n in range(80)]  # PO boxes: one spot
    rows += [(f"L41 {inward(n)}", "E2", 3000.0 + n, 0.0) for n in range(80)]  # now CH41
    rows += [(f"CH41{inward(n)}", "E2", 3000.0 + n, 0.0) for n in range(80)]  # 7 wide
    districts, samples, nearest = derive.summarise(rows)
    assert districts == {"E1": [("AB1", 60)], "E2": [("CH41", 80)]}
    assert len(samples[("E1", "AB1")]) == derive.PER_DISTRICT
    assert samples[("E2", "CH41")][0] == "CH41 0AZ"
    assert nearest == {"E1": ["E2"], "E2": ["E1"]}
    # The shipped files: Wirral's postcodes are Wirral's districts, its neighbours near it.
    wirral = places.postcodes_by_authority()["E08000015"]
    assert {pc.split()[0] for pc in wirral} == {f"CH{n}" for n in (*range(41, 50), *range(60, 64))}
    assert "E08000012" in places.neighbours()["E08000015"]
    assert len(places.postcodes_by_authority()) > 140  # every English authority
