"""The SSDA903 rules checked at entry, on the edges the DfE's own rule text names: dates the
same day, a day before and after; ages on the birthday; the codes each rule lists."""

from __future__ import annotations

import datetime

import pytest

from caseline.apps.core.checks import Checks
from caseline.apps.returns.rules import CATALOGUE, Collection
from caseline.apps.returns.rules.ssda903 import (
    SSDA903Rule209,
    SSDA903Rule460,
    SSDA903RuleSW02STG1,
    SSDA903RuleSW13STG1,
)
from caseline.apps.returns.rules.ssda903_adoption import (
    ADOPTERS_RULES,
    LA_PERM_CODES,
    SSDA903Rule117,
    SSDA903Rule119,
    SSDA903Rule184,
    SSDA903Rule331,
    SSDA903Rule333,
    SSDA903Rule335,
    SSDA903Rule522,
    SSDA903Rule552,
    SSDA903Rule558,
    SSDA903Rule579,
    SSDA903Rule583,
    SSDA903Rule632,
    SSDA903Rule633,
    SSDA903Rule634,
    SSDA903Rule635,
    SSDA903Rule702,
    SSDA903Rule705,
    SSDA903Rule707,
    SSDA903Rule708,
    SSDA903Rule710,
    SSDA903Rule1003,
)
from caseline.apps.returns.rules.ssda903_health import (
    SSDA903Rule157,
    SSDA903Rule158,
    SSDA903Rule159,
    SSDA903Rule180,
    SSDA903Rule192,
    SSDA903Rule193,
    SSDA903Rule197a,
    SSDA903Rule542,
    SSDA903Rule546,
)
from caseline.apps.returns.rules.ssda903_placements import (
    PROVIDER_NOT_WITH,
    SSDA903Rule213,
    SSDA903Rule218,
    SSDA903Rule219,
    SSDA903Rule222,
    SSDA903Rule242,
    SSDA903Rule243,
    SSDA903Rule392d,
    SSDA903Rule550,
    SSDA903Rule1008,
)

D = datetime.date
DAY = datetime.timedelta(days=1)


def test_rules_are_found_by_return_and_code() -> None:
    assert CATALOGUE.get(Collection.SSDA903, "218") is SSDA903Rule218
    assert CATALOGUE.get(Collection.SSDA903, "197a") is SSDA903Rule197a
    assert CATALOGUE.get(Collection.SSDA903, "SW13STG1") is SSDA903RuleSW13STG1
    assert SSDA903Rule218.message() == "Ofsted Unique reference number (URN) is required."
    assert SSDA903Rule708.message() == "Dates of DoLOs are before child\u2019s date of birth."


# --- Years: a rule of some years' lists applies to records dated in them ---------------------


def test_the_urn_rules_apply_from_2024_25_and_242_from_2025_26() -> None:
    checks = Checks()
    assert SSDA903Rule218.check(checks, "urn", broken=True, on=D(2024, 3, 31))
    assert SSDA903Rule242.check(checks, "urn", broken=True, on=D(2025, 3, 31))
    assert not checks
    assert not SSDA903Rule218.check(checks, "urn", broken=True, on=D(2024, 4, 1))
    assert not SSDA903Rule242.check(checks, "urn", broken=True, on=D(2025, 4, 1))


def test_a_social_worker_episode_needs_a_reason_from_1_april_2023() -> None:
    checks = Checks()
    broken = SSDA903RuleSW13STG1.breaks(worker_named=True, change_reason="")
    assert broken
    assert SSDA903RuleSW13STG1.check(checks, "reason", broken=broken, on=D(2023, 3, 31))
    assert not SSDA903RuleSW13STG1.check(checks, "reason", broken=broken, on=D(2023, 4, 1))
    assert not SSDA903RuleSW13STG1.breaks(worker_named=False, change_reason="")
    assert not SSDA903RuleSW13STG1.breaks(worker_named=True, change_reason="FCONTA")


def test_the_newest_rule_set_held_carries_on_into_later_years() -> None:
    checks = Checks()
    assert not SSDA903Rule218.check(checks, "urn", broken=True, on=D(2027, 4, 1))
    assert not SSDA903RuleSW13STG1.check(checks, "reason", broken=True, on=D(2030, 6, 1))


# --- The child's identifiers and the social worker ---------------------------------------------


def test_un1_is_not_for_a_child_of_school_age_209() -> None:
    born = D(2018, 11, 5)
    assert not SSDA903Rule209.breaks(upn_unknown_reason="UN1", born=born, on=D(2024, 11, 4))
    assert SSDA903Rule209.breaks(upn_unknown_reason="UN1", born=born, on=D(2024, 11, 5))


@pytest.mark.parametrize(
    ("reason", "born", "ended", "broken"),
    [
        ("E17", D(2007, 6, 15), D(2025, 6, 14), True),
        ("E17", D(2007, 6, 15), D(2025, 6, 15), False),
        ("E17", D(2008, 2, 29), D(2026, 2, 27), True),
        ("E17", D(2008, 2, 29), D(2026, 2, 28), False),  # the validator's 18th birthday
        ("E5", D(2007, 6, 15), D(2025, 6, 14), False),
    ],
)
def test_stayed_with_carers_at_18_ends_on_the_birthday_or_later_460(
    reason: str, born: datetime.date, ended: datetime.date, broken: bool
) -> None:
    assert SSDA903Rule460.breaks(reason_ceased=reason, born=born, ended=ended) is broken


@pytest.mark.parametrize(
    ("sw_id", "broken"),
    [("SW12", False), ("XX12", False), ("SW1", True), ("12345", True), ("sw123", True)],
)
def test_a_social_worker_id_begins_sw_or_xx_and_has_four_characters_sw02stg1(
    sw_id: str, broken: bool
) -> None:
    assert SSDA903RuleSW02STG1.breaks(sw_id=sw_id) is broken


# --- Health ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "broken"), [(-1, True), (0, False), (40, False), (41, True)])
def test_an_sdq_score_is_0_to_40_180(score: int, broken: bool) -> None:
    assert SSDA903Rule180.breaks(score=score) is broken


def test_an_sdq_has_a_score_or_a_reason_not_both_197a() -> None:
    assert SSDA903Rule197a.breaks(score=0, reason="SDQ2")
    assert not SSDA903Rule197a.breaks(score=0, reason="")
    assert not SSDA903Rule197a.breaks(score=None, reason="SDQ2")


def test_sdq1_is_for_a_child_under_4_or_over_16_157() -> None:
    born = D(2010, 6, 15)
    fourth, seventeenth = D(2014, 6, 15), D(2027, 6, 15)
    assert not SSDA903Rule157.breaks(reason="SDQ1", born=born, on=fourth - DAY)
    assert SSDA903Rule157.breaks(reason="SDQ1", born=born, on=fourth)
    assert SSDA903Rule157.breaks(reason="SDQ1", born=born, on=seventeenth - DAY)
    assert not SSDA903Rule157.breaks(reason="SDQ1", born=born, on=seventeenth)
    assert not SSDA903Rule157.breaks(reason="SDQ2", born=born, on=fourth)


def test_a_development_check_is_for_a_child_under_5_546() -> None:
    born = D(2020, 2, 3)
    assert not SSDA903Rule546.breaks(born=born, checked_on=D(2025, 2, 2))
    assert SSDA903Rule546.breaks(born=born, checked_on=D(2025, 2, 3))


def test_a_conviction_is_of_a_child_of_10_or_more_542() -> None:
    born = D(2015, 2, 3)
    assert SSDA903Rule542.breaks(born=born, convicted_on=D(2025, 2, 2))
    assert not SSDA903Rule542.breaks(born=born, convicted_on=D(2025, 2, 3))


def test_the_intervention_for_substance_misuse_192_158_159_193() -> None:
    assert SSDA903Rule192.breaks(substance_misuse=True, received=None)
    assert not SSDA903Rule192.breaks(substance_misuse=True, received=False)
    assert not SSDA903Rule192.breaks(substance_misuse=False, received=None)
    assert SSDA903Rule158.breaks(received=True, offered=False)
    assert not SSDA903Rule158.breaks(received=True, offered=None)
    assert SSDA903Rule159.breaks(received=False, offered=None)
    assert not SSDA903Rule159.breaks(received=False, offered=True)
    assert SSDA903Rule193.breaks(substance_misuse=False, received=None, offered=False)
    assert SSDA903Rule193.breaks(substance_misuse=None, received=True, offered=None)
    assert not SSDA903Rule193.breaks(substance_misuse=False, received=None, offered=None)
    assert not SSDA903Rule193.breaks(substance_misuse=True, received=True, offered=None)


# --- Placements: provider and URN --------------------------------------------------------------


@pytest.mark.parametrize(
    ("urn", "broken"),
    [
        ("SC123456", False),
        ("1234567", False),
        ("123456", False),
        ("XXXXXXX", False),
        ("", False),
        ("SC12345", True),
        ("XXXXXX", True),
        ("12345678", True),
    ],
)
def test_a_urn_has_the_shape_of_one_1008(urn: str, broken: bool) -> None:
    assert SSDA903Rule1008.breaks(urn=urn) is broken


def test_a_urn_is_required_unless_the_type_has_none_218_222() -> None:
    assert SSDA903Rule218.breaks(placement_type="U6", urn="")
    assert not SSDA903Rule218.breaks(placement_type="U6", urn="SC123456")
    assert not SSDA903Rule218.breaks(placement_type="K2", urn="", outside_england=True)
    assert not SSDA903Rule218.breaks(placement_type="R2", urn="")
    assert SSDA903Rule222.breaks(placement_type="R2", urn="SC123456")
    assert not SSDA903Rule222.breaks(placement_type="R2", urn="XXXXXXX")
    assert not SSDA903Rule222.breaks(placement_type="U6", urn="SC123456")


def test_xxxxxxx_only_for_adoption_and_fostering_242_and_no_urn_outside_england_243() -> None:
    assert not SSDA903Rule242.breaks(placement_type="A4", urn="XXXXXXX")
    assert not SSDA903Rule242.breaks(placement_type="U1", urn="XXXXXXX")
    assert SSDA903Rule242.breaks(placement_type="K2", urn="XXXXXXX")
    assert not SSDA903Rule242.breaks(placement_type="K2", urn="SC123456")
    assert SSDA903Rule243.breaks(urn="SC123456", outside_england=True)
    assert not SSDA903Rule243.breaks(urn="", outside_england=True)


@pytest.mark.parametrize(("place", "broken"), [("T0", True), ("T4", True), ("Z11", True)])
def test_no_provider_for_temporary_or_other_placements_213(place: str, broken: bool) -> None:
    assert SSDA903Rule213.breaks(placement_type=place, provider_given=True) is broken
    assert not SSDA903Rule213.breaks(placement_type=place, provider_given=False)
    assert not SSDA903Rule213.breaks(placement_type="U1", provider_given=True)


def test_the_provider_offers_the_placement_type_219() -> None:
    assert SSDA903Rule219.breaks(placement_type="U6", offered=["K2"])
    assert not SSDA903Rule219.breaks(placement_type="K2", offered=["K2"])
    assert not SSDA903Rule219.breaks(placement_type="U6", offered=[])  # none listed


@pytest.mark.parametrize(
    ("provider", "place", "code"),
    [
        ("PR1", "P1", "527"),
        ("PR1", "R5", "527"),
        ("PR2", "R2", "528"),
        ("PR3", "K2", "529"),
        ("PR3", "U6", "529"),
        ("PR4", "P1", "530"),
        ("PR5", "P1", "531"),
    ],
)
def test_provider_codes_and_the_placements_they_cannot_provide_527_to_531(
    provider: str, place: str, code: str
) -> None:
    rule = PROVIDER_NOT_WITH[provider]
    assert rule.code == code
    assert rule.breaks(provider=provider, placement_type=place)
    assert not rule.breaks(provider=provider, placement_type="U1" if provider != "PR3" else "R2")


def test_pr0_only_with_parents_550() -> None:
    assert SSDA903Rule550.breaks(provider="PR0", placement_type="U6")
    assert not SSDA903Rule550.breaks(provider="PR0", placement_type="P1")
    assert not SSDA903Rule550.breaks(provider="PR1", placement_type="U6")


def test_a_placement_away_from_home_is_not_at_the_home_postcode_392d() -> None:
    def breaks(place: str, home: str, placed: str) -> bool:
        return SSDA903Rule392d.breaks(
            placement_type=place, home_postcode=home, placement_postcode=placed
        )

    assert breaks("U1", "CH41 1AA", "CH41 1AA")
    assert breaks("A6", "ch41 1aa", "CH411AA")  # the same postcode, however typed
    assert not breaks("P1", "CH41 1AA", "CH41 1AA")  # placed with parents: at home
    assert not breaks("U1", "CH41 1AA", "CH41 1AB")
    assert not breaks("U1", "", "")  # no home postcode recorded: nothing to compare (392b)
    assert SSDA903Rule392d.message() == (
        "Home and placement postcodes should not be same unless the placement type is P1."
    )


# --- Adoption ---------------------------------------------------------------------------------


def test_the_decision_is_not_before_birth_184_or_care_1003() -> None:
    born, started = D(2012, 5, 1), D(2025, 1, 6)
    assert not SSDA903Rule184.breaks(decided_on=born, born=born)
    assert SSDA903Rule184.breaks(decided_on=born - DAY, born=born)
    assert not SSDA903Rule184.breaks(decided_on=born, born=None)
    assert not SSDA903Rule1003.breaks(decided_on=started, care_started=started)
    assert SSDA903Rule1003.breaks(decided_on=started - DAY, care_started=started)


def test_the_decision_is_not_after_care_ended_117() -> None:
    ended = D(2025, 2, 28)
    assert not SSDA903Rule117.breaks(decided_on=ended, care_ended=ended)
    assert SSDA903Rule117.breaks(decided_on=ended + DAY, care_ended=ended)
    assert not SSDA903Rule117.breaks(decided_on=ended + DAY, care_ended=None)


def test_a_new_decision_follows_the_earlier_ones_ceasing_583_579() -> None:
    assert SSDA903Rule583.breaks(earlier_ceased_on=[D(2024, 1, 1), None])
    assert not SSDA903Rule583.breaks(earlier_ceased_on=[D(2024, 1, 1)])
    assert not SSDA903Rule583.breaks(earlier_ceased_on=[])
    ceased = D(2025, 4, 1)
    assert not SSDA903Rule579.breaks(decided_on=ceased, earlier_ceased_on=ceased)
    assert SSDA903Rule579.breaks(decided_on=ceased - DAY, earlier_ceased_on=ceased)


def test_the_decision_is_on_or_before_the_placement_for_adoption_552() -> None:
    placed = D(2025, 6, 2)
    assert not SSDA903Rule552.breaks(decided_on=placed, placed_on=placed)
    assert SSDA903Rule552.breaks(decided_on=placed + DAY, placed_on=placed)
    assert not SSDA903Rule552.breaks(decided_on=placed, placed_on=None)


def test_the_match_is_between_the_decision_and_the_placement_333_331() -> None:
    decided, placed = D(2025, 3, 3), D(2025, 6, 2)
    assert not SSDA903Rule333.breaks(matched_on=decided, decided_on=decided)
    assert SSDA903Rule333.breaks(matched_on=decided - DAY, decided_on=decided)
    assert not SSDA903Rule331.breaks(matched_on=placed, placed_on=placed)
    assert SSDA903Rule331.breaks(matched_on=placed + DAY, placed_on=placed)


@pytest.mark.parametrize(
    ("foster_care", "place", "broken"),
    [
        (False, "A2", True),
        (False, "A3", True),
        (False, "A5", True),
        (False, "A4", False),
        (True, "A1", True),
        (True, "A4", True),
        (True, "A6", True),
        (True, "A3", False),
    ],
)
def test_adopted_by_foster_carers_agrees_with_the_placement_335(
    foster_care: bool, place: str, broken: bool
) -> None:
    assert (
        SSDA903Rule335.breaks(adopted_by_foster_carers=foster_care, placement_type=place) is broken
    )


@pytest.mark.parametrize(
    ("legal_status", "code", "allowed", "refused"),
    [
        ("L0", "514", {"M1", "F1"}, {"MM", "FF", "MF"}),
        ("L3", "517", {"MF"}, {"MM", "FF", "M1"}),
        ("L4", "518", {"MM", "FF"}, {"MF", "F1"}),
        ("L2", "519", {"MM", "FF", "MF"}, {"M1", "F1"}),
        ("L11", "520", {"MF"}, {"MM", "FF"}),
        ("L12", "524", {"MM", "FF"}, {"MF", "M1"}),
    ],
)
def test_the_adopters_sexes_suit_their_legal_status_514_to_524(
    legal_status: str, code: str, allowed: set[str], refused: set[str]
) -> None:
    rule = ADOPTERS_RULES[legal_status]
    assert rule.code == code
    for sex in allowed:
        assert not rule.breaks(legal_status=legal_status, sex=sex)
    for sex in refused:
        assert rule.breaks(legal_status=legal_status, sex=sex)


def test_the_decision_ceasing_119_522_558() -> None:
    decided = D(2025, 3, 3)
    assert SSDA903Rule119.breaks(ceased_on=None, reason="RD1")
    assert SSDA903Rule119.breaks(ceased_on=decided, reason="")
    assert not SSDA903Rule119.breaks(ceased_on=decided, reason="RD1")
    assert not SSDA903Rule522.breaks(ceased_on=decided, decided_on=decided)
    assert SSDA903Rule522.breaks(ceased_on=decided - DAY, decided_on=decided)
    assert SSDA903Rule558.breaks(care_ended_because="E11")
    assert SSDA903Rule558.breaks(care_ended_because="E12")
    assert not SSDA903Rule558.breaks(care_ended_because="E13")


# --- Previous permanence -----------------------------------------------------------------------


def test_previous_permanence_is_for_care_from_1_april_2016_634() -> None:
    assert SSDA903Rule634.breaks(care_started=D(2016, 3, 31))
    assert not SSDA903Rule634.breaks(care_started=D(2016, 4, 1))


def test_no_order_details_with_z1_635_and_a_known_authority_633() -> None:
    assert SSDA903Rule635.breaks(option="Z1", order_detail_given=True)
    assert not SSDA903Rule635.breaks(option="Z1", order_detail_given=False)
    assert not SSDA903Rule635.breaks(option="P1", order_detail_given=True)
    assert {"WAL", "SCO", "NIR", "NUK", "316"} <= LA_PERM_CODES
    assert SSDA903Rule633.breaks(arranged_by="123")
    assert not SSDA903Rule633.breaks(arranged_by="WAL")
    assert not SSDA903Rule633.breaks(arranged_by="")


def test_the_order_is_before_the_period_of_care_632() -> None:
    started = D(2025, 1, 6)
    assert SSDA903Rule632.breaks(order_from=started, care_started=started)
    assert not SSDA903Rule632.breaks(order_from=started - DAY, care_started=started)


# --- Deprivation of liberty orders -------------------------------------------------------------


def test_dolo_rules_are_new_in_2026_27_and_apply_to_orders_of_any_year() -> None:
    assert list(SSDA903Rule710.years) == [2027]
    assert SSDA903Rule710.applies_on(D(2025, 2, 1))


def test_an_order_starts_on_or_after_birth_708_and_ends_on_or_after_it_starts_702() -> None:
    born, start = D(2012, 5, 1), D(2025, 2, 1)
    assert not SSDA903Rule708.breaks(started_on=born, born=born)
    assert SSDA903Rule708.breaks(started_on=born - DAY, born=born)
    assert not SSDA903Rule702.breaks(started_on=start, ended_on=start)
    assert SSDA903Rule702.breaks(started_on=start, ended_on=start - DAY)
    assert not SSDA903Rule702.breaks(started_on=start, ended_on=None)


def test_orders_do_not_overlap_705() -> None:
    other = {"other_started_on": D(2025, 2, 1), "other_ended_on": D(2025, 3, 1)}
    assert SSDA903Rule705.breaks(started_on=D(2025, 3, 1), ended_on=None, **other)
    assert not SSDA903Rule705.breaks(started_on=D(2025, 3, 2), ended_on=None, **other)
    assert SSDA903Rule705.breaks(started_on=D(2025, 1, 1), ended_on=D(2025, 2, 1), **other)
    assert not SSDA903Rule705.breaks(started_on=D(2025, 1, 1), ended_on=D(2025, 1, 31), **other)
    opened = D(2025, 2, 1)
    assert SSDA903Rule705.breaks(
        started_on=D(2025, 6, 1), ended_on=None, other_started_on=opened, other_ended_on=None
    )
    assert not SSDA903Rule705.breaks(
        started_on=D(2025, 1, 1),
        ended_on=D(2025, 1, 31),
        other_started_on=opened,
        other_ended_on=None,
    )


def test_an_order_ends_by_the_day_care_ended_707() -> None:
    ended = D(2025, 6, 30)
    assert SSDA903Rule707.breaks(ended_on=None, care_ended=ended)
    assert SSDA903Rule707.breaks(ended_on=ended + DAY, care_ended=ended)
    assert not SSDA903Rule707.breaks(ended_on=ended, care_ended=ended)
    assert not SSDA903Rule707.breaks(ended_on=None, care_ended=None)


@pytest.mark.parametrize(
    ("place", "broken"),
    [("K1", True), ("P1", True), ("R5", True), ("K3", True), ("U1", False), ("K2", False)],
)
def test_placements_a_child_with_an_order_cannot_have_710(place: str, broken: bool) -> None:
    assert SSDA903Rule710.breaks(placement_type=place) is broken
