"""Adoption, previous permanence and deprivation of liberty orders (903 AD1, PlacedAdoption,
PrevPerm, DoLo): what each action writes and audits, and each 903 rule one record can break,
refused by its code at its edges."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.checks import Rule
from caseline.apps.lookedafter import actions, providers
from caseline.apps.lookedafter.actions import PartialDate
from caseline.apps.lookedafter.actions import permanence as rules
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    DeprivationOfLibertyOrder,
    Episode,
    PreviousPermanence,
)
from caseline.apps.lookedafter.permanence_chronology import permanence_chronology
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.contribution import Category
from caseline.apps.people.models import Person
from caseline.apps.people.queries import records_held
from caseline.apps.returns.rules.ssda903_adoption import (
    ADOPTERS_RULES,
    NOT_WITH_DOLO,
    WITH_FOSTER_CARERS,
)

D = datetime.date
DECIDED = D(2025, 3, 3)
MATCHED = D(2025, 5, 5)
PLACED = D(2025, 6, 2)


def errors(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def said(explain: str, code: str) -> str:
    """What a refusal under 903 rule ``code`` says: the worker's words, then the rule."""
    return f"{explain} (SSDA903 rule {code})"


def decide(worker: User, child: Person, day: datetime.date = DECIDED) -> AdoptionDecision:
    return actions.record_adoption_decision(
        acting_user=worker, child=child, decided_on=day, decided_by="Agency decision maker Zed"
    )


def match(worker: User, decision: AdoptionDecision, **overrides: Any) -> AdoptionDecision:
    values: dict[str, Any] = {
        "matched_on": MATCHED,
        "adopters_sex": "MF",
        "adopters_legal_status": "L11",
        "adopted_by_foster_carers": False,
    }
    values.update(overrides)
    return actions.record_adoption_match(acting_user=worker, decision=decision, **values)


def place_for_adoption(
    worker: User, child: Person, code: str = "A6", day: datetime.date = PLACED
) -> Episode:
    return actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=day,
        placement=foster(placement_type=code, placement_provider="PR1", carer_name="Adopters"),
        same_carer=code in WITH_FOSTER_CARERS,
        reason_place_change="CARPL",
        legal_status="E1",
    )


# --- Caseline's own rules here; the DfE's are in the rule catalogue ---------------------------


def test_the_rules_left_here_are_caselines_own() -> None:
    named = [value for value in vars(rules).values() if isinstance(value, Rule)]
    assert rules.MATCH_OF_CEASED_DECISION in named
    for rule in named:
        assert rule.code.startswith("caseline:"), rule


# --- The decision ----------------------------------------------------------------------------


def test_a_decision_is_recorded_and_audited(in_care: Episode, child: Person, worker: User) -> None:
    decision = decide(worker, child)
    assert (decision.decided_on, decision.decided_by, decision.is_open) == (
        DECIDED,
        "Agency decision maker Zed",
        True,
    )
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.ADOPTION_DECISION_RECORDED)
    assert event.subject_person_id == child.pk
    assert event.new_values["decided_on"] == "2025-03-03"


def test_decision_before_the_child_became_looked_after_breaks_1003(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        decide(worker, child, START - datetime.timedelta(days=1))
    assert errors(caught)["decided_on"] == [
        said(
            "The date of the decision must be on or after the date Ada started to be looked "
            "after, 6 January 2025",
            "1003",
        )
    ]
    assert decide(worker, child, START).decided_on == START  # the day care began will do


def test_decision_before_birth_breaks_184(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        decide(worker, child, D(2012, 4, 30))
    assert errors(caught)["decided_on"] == [
        said("The date of the decision must be on or after Ada's date of birth (1 May 2012)", "184")
    ]


def test_decision_for_a_child_never_looked_after_is_refused(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        decide(worker, child)
    assert "never been looked after" in errors(caught)["decided_on"][0]
    assert not AdoptionDecision.objects.exists()


def test_decision_after_the_child_left_care_breaks_117(
    in_care: Episode, child: Person, worker: User
) -> None:
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 2, 28), reason_episode_ceased="E13"
    )
    with pytest.raises(ValidationError) as caught:
        decide(worker, child)
    assert errors(caught)["decided_on"] == [
        said(
            "The date of the decision must be on or before the date Ada stopped being looked "
            "after, 28 February 2025",
            "117",
        )
    ]
    assert decide(worker, child, D(2025, 2, 28)).decided_on == D(2025, 2, 28)


def test_a_new_decision_needs_the_earlier_one_ceased_583_and_after_it_579(
    in_care: Episode, child: Person, worker: User
) -> None:
    first = decide(worker, child)
    with pytest.raises(ValidationError) as caught:
        decide(worker, child, D(2025, 4, 1))
    assert errors(caught)["decided_on"] == [
        said(
            "The decision of 3 March 2025 that Ada should be placed for adoption has not "
            "ceased: record that it ceased before recording a new decision",
            "583",
        )
    ]
    actions.record_adoption_decision_ceased(
        acting_user=worker, decision=first, ceased_on=D(2025, 4, 1), reason_ceased="RD2"
    )
    with pytest.raises(ValidationError) as caught:
        decide(worker, child, D(2025, 3, 31))
    assert errors(caught)["decided_on"] == [
        said(
            "The date of the decision must be on or after the date the earlier decision "
            "ceased, 1 April 2025",
            "579",
        )
    ]
    assert decide(worker, child, D(2025, 4, 1)).decided_on == D(2025, 4, 1)  # the same day will do


def test_decision_after_the_child_was_placed_for_adoption_breaks_552(
    in_care: Episode, child: Person, worker: User
) -> None:
    place_for_adoption(worker, child)
    with pytest.raises(ValidationError) as caught:
        decide(worker, child, D(2025, 6, 3))
    assert errors(caught)["decided_on"] == [
        said(
            "The date of the decision must be on or before the date Ada was placed for "
            "adoption, 2 June 2025",
            "552",
        )
    ]
    assert decide(worker, child, PLACED).decided_on == PLACED


def test_decision_needs_who_made_it(in_care: Episode, child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_adoption_decision(
            acting_user=worker, child=child, decided_on=DECIDED, decided_by="  "
        )
    assert errors(caught)["decided_by"] == ["Enter the name of the agency decision maker"]


# --- The match -------------------------------------------------------------------------------


def test_a_match_is_recorded_and_a_second_replaces_it_with_the_first_audited(
    in_care: Episode, child: Person, worker: User
) -> None:
    decision = match(worker, decide(worker, child))
    decision.refresh_from_db()
    assert (decision.matched_on, decision.adopters_sex, decision.number_of_adopters) == (
        MATCHED,
        "MF",
        2,
    )
    match(worker, decision, adopters_sex="F1", adopters_legal_status="L0")
    decision.refresh_from_db()
    assert (decision.adopters_sex, decision.number_of_adopters) == ("F1", 1)
    latest = AuditEvent.objects.filter(event_type=LookedAfterEvent.ADOPTION_MATCH_RECORDED).latest(
        "id"
    )
    assert latest.old_values == {"adopters_sex": "MF", "adopters_legal_status": "L11"}
    assert latest.new_values == {"adopters_sex": "F1", "adopters_legal_status": "L0"}


def test_match_before_the_decision_breaks_333(
    in_care: Episode, child: Person, worker: User
) -> None:
    decision = decide(worker, child)
    with pytest.raises(ValidationError) as caught:
        match(worker, decision, matched_on=D(2025, 3, 2))
    assert errors(caught)["matched_on"] == [
        said(
            "The date of the match must be on or after the date of the decision, 3 March 2025",
            "333",
        )
    ]
    assert match(worker, decision, matched_on=DECIDED).matched_on == DECIDED


def test_match_after_the_placement_for_adoption_breaks_331(
    in_care: Episode, child: Person, worker: User
) -> None:
    decision = decide(worker, child)
    place_for_adoption(worker, child)
    with pytest.raises(ValidationError) as caught:
        match(worker, decision, matched_on=D(2025, 6, 3))
    assert errors(caught)["matched_on"] == [
        said(
            "The date of the match must be on or before the date Ada was placed for adoption, "
            "2 June 2025",
            "331",
        )
    ]
    assert match(worker, decision, matched_on=PLACED).matched_on == PLACED


@pytest.mark.parametrize(
    ("legal_status", "wrong", "right", "code"),
    [
        ("L0", "MF", "M1", "514"),
        ("L11", "FF", "MF", "520"),
        ("L12", "MF", "FF", "524"),
        ("L2", "F1", "MM", "519"),
        ("L3", "MM", "MF", "517"),
        ("L4", "MF", "MM", "518"),
    ],
)
def test_adopters_legal_status_must_suit_their_sexes(
    legal_status: str,
    wrong: str,
    right: str,
    code: str,
    in_care: Episode,
    child: Person,
    worker: User,
) -> None:
    decision = decide(worker, child)
    rule = ADOPTERS_RULES[legal_status]
    assert rule.code == code
    assert not rule.breaks(legal_status=legal_status, sex=right)
    assert rule.breaks(legal_status=legal_status, sex=wrong)
    with pytest.raises(ValidationError) as caught:
        match(worker, decision, adopters_sex=wrong, adopters_legal_status=legal_status)
    assert errors(caught)["adopters_legal_status"] == [
        said(rules.ADOPTERS_EXPLAINED[legal_status], code)
    ]
    match(worker, decision, adopters_sex=right, adopters_legal_status=legal_status)


def test_adopters_codes_and_foster_carers_answer_are_needed(
    in_care: Episode, child: Person, worker: User
) -> None:
    decision = decide(worker, child)
    with pytest.raises(ValidationError) as caught:
        match(
            worker,
            decision,
            adopters_sex="XX",
            adopters_legal_status="",
            adopted_by_foster_carers=None,
        )
    problems = errors(caught)
    assert problems["adopters_sex"] == ["Select a valid sex of the adopters for 5 May 2025"]
    assert problems["adopters_legal_status"] == [
        "Select a valid legal status of the adopters for 5 May 2025"
    ]
    assert problems["adopted_by_foster_carers"] == [
        "Select whether the adopters are Ada's foster carers"
    ]


@pytest.mark.parametrize(("code", "with_carers"), [("A5", True), ("A6", False)])
def test_adopted_by_foster_carers_must_agree_with_the_placement_335(
    code: str, with_carers: bool, in_care: Episode, child: Person, worker: User
) -> None:
    decision = decide(worker, child)
    place_for_adoption(worker, child, code)
    with pytest.raises(ValidationError) as caught:
        match(worker, decision, matched_on=DECIDED, adopted_by_foster_carers=not with_carers)
    [message] = errors(caught)["adopted_by_foster_carers"]
    assert message.startswith(
        f"Ada was placed for adoption {'with' if with_carers else 'not with'}"
    )
    assert code in message
    match(worker, decision, matched_on=DECIDED, adopted_by_foster_carers=with_carers)


def test_no_match_for_a_decision_that_ceased(in_care: Episode, child: Person, worker: User) -> None:
    decision = decide(worker, child)
    actions.record_adoption_decision_ceased(
        acting_user=worker, decision=decision, ceased_on=D(2025, 4, 1), reason_ceased="RD1"
    )
    with pytest.raises(ValidationError) as caught:
        match(worker, decision)
    assert errors(caught)[NON_FIELD_ERRORS] == [
        rules.MATCH_OF_CEASED_DECISION.says(ceased="1 April 2025")
    ]


# --- The decision ceasing --------------------------------------------------------------------


def test_a_decision_ceases_with_its_date_and_reason(
    in_care: Episode, child: Person, worker: User
) -> None:
    decision = decide(worker, child)
    with pytest.raises(ValidationError) as caught:
        actions.record_adoption_decision_ceased(
            acting_user=worker, decision=decision, ceased_on=None, reason_ceased=""
        )
    assert errors(caught) == {
        "ceased_on": [
            said(
                "Enter the date of the decision that Ada should no longer be placed for adoption",
                "119",
            )
        ],
        "reason_ceased": [said("Select why Ada should no longer be placed for adoption", "119")],
    }
    with pytest.raises(ValidationError) as caught:
        actions.record_adoption_decision_ceased(
            acting_user=worker, decision=decision, ceased_on=D(2025, 3, 2), reason_ceased="RD9"
        )
    assert errors(caught) == {
        "ceased_on": [
            said(
                "The date the decision ceased must be on or after the date of the decision, "
                "3 March 2025",
                "522",
            )
        ],
        "reason_ceased": ["Select a valid reason for 2 March 2025"],
    }
    actions.record_adoption_decision_ceased(
        acting_user=worker, decision=decision, ceased_on=DECIDED, reason_ceased="RD3"
    )
    decision.refresh_from_db()
    assert (decision.ceased_on, decision.reason_ceased, decision.is_open) == (
        DECIDED,
        "RD3",
        False,
    )
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.ADOPTION_DECISION_CEASED)
    assert event.old_values == {"ceased_on": None, "reason_ceased": ""}
    with pytest.raises(ValidationError) as caught:
        actions.record_adoption_decision_ceased(
            acting_user=worker, decision=decision, ceased_on=DECIDED, reason_ceased="RD3"
        )
    assert errors(caught)[NON_FIELD_ERRORS] == [rules.ALREADY_CEASED.says(ceased="3 March 2025")]


def test_decision_ceasing_after_the_child_left_care_breaks_117(
    in_care: Episode, child: Person, worker: User
) -> None:
    decision = decide(worker, child)
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 8, 1), reason_episode_ceased="E41"
    )
    with pytest.raises(ValidationError) as caught:
        actions.record_adoption_decision_ceased(
            acting_user=worker, decision=decision, ceased_on=D(2025, 8, 2), reason_ceased="RD4"
        )
    assert errors(caught)["ceased_on"] == [
        said(
            "The date the decision ceased must be on or before the date Ada stopped being "
            "looked after, 1 August 2025",
            "117",
        )
    ]
    actions.record_adoption_decision_ceased(
        acting_user=worker, decision=decision, ceased_on=D(2025, 8, 1), reason_ceased="RD4"
    )


def test_a_decision_that_led_to_adoption_does_not_cease_558(
    in_care: Episode, child: Person, worker: User
) -> None:
    decision = match(worker, decide(worker, child))
    place_for_adoption(worker, child)
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 11, 3), reason_episode_ceased="E11"
    )
    with pytest.raises(ValidationError) as caught:
        actions.record_adoption_decision_ceased(
            acting_user=worker, decision=decision, ceased_on=D(2025, 11, 3), reason_ceased="RD4"
        )
    assert errors(caught)[NON_FIELD_ERRORS] == [
        said(
            "Ada was adopted on 3 November 2025: the decision that led to the adoption did not "
            "cease",
            "558",
        )
    ]


# --- Previous permanence ---------------------------------------------------------------------


def save(worker: User, child: Person, **overrides: Any) -> PreviousPermanence:
    values: dict[str, Any] = {
        "option": "P2",
        "arranged_by": "800",
        "order_date": PartialDate(2019, 6, None),
    }
    values.update(overrides)
    return actions.save_previous_permanence(acting_user=worker, child=child, **values)


def test_previous_permanence_is_saved_for_the_period_and_rewritten(
    in_care: Episode, child: Person, worker: User
) -> None:
    saved = save(worker, child, arranged_by=" nuk ")
    assert (saved.episode, saved.option, saved.arranged_by, saved.date_perm) == (
        in_care,
        "P2",
        "NUK",
        "ZZ/06/2019",
    )
    again = save(worker, child, option="P1", order_date=PartialDate(2018, 2, 14))
    assert again.pk == saved.pk
    assert again.date_perm == "14/02/2018"
    assert PreviousPermanence.objects.count() == 1
    latest = AuditEvent.objects.filter(
        event_type=LookedAfterEvent.PREVIOUS_PERMANENCE_SAVED
    ).latest("id")
    assert latest.old_values == {
        "option": "P2",
        "arranged_by": "NUK",
        "order_year": 2019,
        "order_month": 6,
        "order_day": None,
    }
    assert save(worker, child, order_date=PartialDate()).date_perm == "ZZ/ZZ/ZZZZ"
    assert save(worker, child, order_date=PartialDate(2019)).date_perm == "ZZ/ZZ/2019"


@pytest.mark.parametrize("option", ["Z1", "P4"])
def test_no_authority_or_date_without_an_order_635(
    option: str, in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        save(worker, child, option=option)
    message = (
        said(
            "Leave the local authority and the date of the order blank: Ada had no previous "
            "permanence option",
            "635",
        )
        if option == "Z1"
        else rules.UNKNOWN_OPTION_NO_ORDER.says(name="Ada")
    )
    assert errors(caught) == {"arranged_by": [message], "order_date": [message]}
    saved = save(worker, child, option=option, arranged_by="", order_date=PartialDate())
    assert (saved.arranged_by, saved.date_perm) == ("", "")


def test_an_order_needs_a_known_authority_630_633(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        save(worker, child, arranged_by="")
    assert errors(caught)["arranged_by"] == [
        said(
            "Enter the local authority that arranged the order (its number, or WAL, SCO, NIR "
            "or NUK)",
            "630",
        )
    ]
    with pytest.raises(ValidationError) as caught:
        save(worker, child, arranged_by="123")
    assert errors(caught)["arranged_by"] == [
        said("Enter the local authority's three-digit DfE number, or WAL, SCO, NIR or NUK", "633")
    ]
    assert save(worker, child, arranged_by="wal").arranged_by == "WAL"


@pytest.mark.parametrize(
    ("order_date", "ok"),
    [
        (PartialDate(2025, 1, 5), True),  # the day before care began
        (PartialDate(2025, 1, 6), False),  # the day care began
        (PartialDate(2025, 1), True),  # January 2025: it could have been before the 6th
        (PartialDate(2025), True),
        (PartialDate(2025, 2), False),  # February 2025: after care began, whichever day
        (PartialDate(2012, 4), False),  # before Ada was born (1 May 2012)
        (PartialDate(2012, 5), True),
        (PartialDate(None, 5, 1), False),  # a day and month with no year
        (PartialDate(2019, None, 3), False),  # a day with no month
        (PartialDate(2019, 2, 30), False),  # no such day
        (PartialDate(2019, 13), False),
    ],
)
def test_the_order_date_may_be_part_known_and_was_before_care_632(
    order_date: PartialDate, ok: bool, in_care: Episode, child: Person, worker: User
) -> None:
    if ok:
        assert save(worker, child, order_date=order_date).order_year == order_date.year
        return
    with pytest.raises(ValidationError) as caught:
        save(worker, child, order_date=order_date)
    assert list(errors(caught)) == ["order_date"]


def test_previous_permanence_only_for_periods_from_april_2016_634(
    child: Person, worker: User
) -> None:
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2016, 3, 31),
        legal_status="C1",
        placement=foster(),
    )
    with pytest.raises(ValidationError) as caught:
        save(worker, child, order_date=PartialDate(2015))
    assert errors(caught)[NON_FIELD_ERRORS] == [
        said(
            "Previous permanence is recorded for periods of care from 1 April 2016: Ada's "
            "began on 31 March 2016",
            "634",
        )
    ]


def test_previous_permanence_needs_a_period_of_care(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        save(worker, child)
    assert "never been looked after" in errors(caught)[NON_FIELD_ERRORS][0]


def test_partial_dates() -> None:
    assert PartialDate(2024, 2).latest() == D(2024, 2, 29)
    assert PartialDate(2024, 12).latest() == D(2024, 12, 31)
    assert PartialDate(2024).earliest() == D(2024, 1, 1)
    assert PartialDate().earliest() is None
    assert PartialDate().is_whole


# --- Deprivation of liberty orders -----------------------------------------------------------


def dolo(
    worker: User, child: Person, start: datetime.date, end: datetime.date | None = None
) -> DeprivationOfLibertyOrder:
    return actions.record_deprivation_of_liberty(
        acting_user=worker, child=child, start_date=start, end_date=end
    )


def test_an_order_is_recorded_then_ended_and_audited(
    in_care: Episode, child: Person, worker: User
) -> None:
    order = dolo(worker, child, D(2025, 2, 1))
    assert order.end_date is None
    actions.end_deprivation_of_liberty(acting_user=worker, order=order, end_date=D(2025, 5, 1))
    order.refresh_from_db()
    assert order.end_date == D(2025, 5, 1)
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.DOLO_ENDED)
    assert (event.old_values, event.new_values) == (
        {"end_date": None},
        {"end_date": "2025-05-01"},
    )


def test_an_order_ends_on_or_after_it_starts_702(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        dolo(worker, child, D(2025, 2, 1), D(2025, 1, 31))
    assert errors(caught)["end_date"] == [
        said(
            "The date the order ended must be on or after the date it started, 1 February 2025",
            "702",
        )
    ]
    assert dolo(worker, child, D(2025, 2, 1), D(2025, 2, 1)).end_date == D(2025, 2, 1)


def test_orders_do_not_overlap_705(in_care: Episode, child: Person, worker: User) -> None:
    first = dolo(worker, child, D(2025, 2, 1))
    with pytest.raises(ValidationError) as caught:
        dolo(worker, child, D(2025, 3, 1))
    assert errors(caught)["start_date"] == [
        said(
            "The order from 1 February 2025 has not ended: record its end before recording a "
            "new order",
            "705",
        )
    ]
    actions.end_deprivation_of_liberty(acting_user=worker, order=first, end_date=D(2025, 3, 1))
    with pytest.raises(ValidationError) as caught:
        dolo(worker, child, D(2025, 3, 1))
    assert errors(caught)["start_date"] == [
        said("The order must not overlap the order from 1 February 2025 to 1 March 2025", "705")
    ]
    with pytest.raises(ValidationError):  # an earlier order, ending inside the first
        dolo(worker, child, D(2025, 1, 10), D(2025, 2, 1))
    assert dolo(worker, child, D(2025, 3, 2)).start_date == D(2025, 3, 2)
    assert dolo(worker, child, D(2025, 1, 10), D(2025, 1, 31)).start_date == D(2025, 1, 10)
    with pytest.raises(ValidationError):  # ending the first later would overlap the next
        actions.end_deprivation_of_liberty(acting_user=worker, order=first, end_date=D(2025, 3, 5))


def test_an_order_starts_while_looked_after_and_on_or_after_birth_708(
    child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        dolo(worker, child, D(2012, 4, 30))
    assert errors(caught)["start_date"] == [
        said(
            "The date the order started must be on or after Ada's date of birth (1 May 2012)",
            "708",
        )
    ]
    with pytest.raises(ValidationError) as caught:
        dolo(worker, child, D(2025, 2, 1))
    assert "never been looked after" in errors(caught)["start_date"][0]


def test_an_order_ends_by_the_time_care_ends_707(
    in_care: Episode, child: Person, worker: User
) -> None:
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 6, 30), reason_episode_ceased="E13"
    )
    for end in (None, D(2025, 7, 1)):
        with pytest.raises(ValidationError) as caught:
            dolo(worker, child, D(2025, 2, 1), end)
        assert errors(caught)["end_date"] == [
            said(
                "Ada stopped being looked after on 30 June 2025: enter the date the order "
                "ended, on or before then",
                "707",
            )
        ]
    assert dolo(worker, child, D(2025, 2, 1), D(2025, 6, 30)).end_date == D(2025, 6, 30)


@pytest.mark.parametrize("code", sorted(NOT_WITH_DOLO))
def test_an_order_cannot_cover_some_placements_710(
    code: str, in_care: Episode, child: Person, worker: User
) -> None:
    parents: dict[str, Any] = {}
    if code == "P1":  # placement with parents needs a senior manager's approval
        parents = {
            "parent_placement_approver": "Senior manager Quill",
            "parent_placement_approved_on": D(2025, 3, 31),
            "parent_placement_rationale": "Assessed as safe to return home.",
            "placement_provider": "PR0",
        }
    elif code == "R5":  # a young offender institution is not the council's own (DfE rule 527)
        parents = {"placement_provider": "PR3"}
    actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=D(2025, 4, 1),
        placement=foster(placement_type=code, carer_name="Somewhere", **parents),
        same_carer=False,
        reason_place_change="CARPL",
        legal_status="C2",
    )
    with pytest.raises(ValidationError) as caught:
        dolo(worker, child, D(2025, 2, 1))
    [message] = errors(caught)[NON_FIELD_ERRORS]
    assert f"({code}) from 1 April 2025" in message
    with pytest.raises(ValidationError):  # ending the day that placement began still covers it
        dolo(worker, child, D(2025, 2, 1), D(2025, 4, 1))
    assert dolo(worker, child, D(2025, 2, 1), D(2025, 3, 31)).end_date == D(2025, 3, 31)


# --- The chronology --------------------------------------------------------------------------


def test_adoption_and_deprivation_of_liberty_in_the_chronology(
    in_care: Episode, child: Person, worker: User
) -> None:
    first = decide(worker, child)
    actions.record_adoption_decision_ceased(
        acting_user=worker, decision=first, ceased_on=D(2025, 4, 1), reason_ceased="RD2"
    )
    second = match(
        worker, decide(worker, child, D(2025, 4, 2)), adopters_sex="FF", adopters_legal_status="L2"
    )
    order = dolo(worker, child, D(2025, 2, 1))
    actions.end_deprivation_of_liberty(acting_user=worker, order=order, end_date=D(2025, 3, 1))
    held = records_held(child, ["lookedafter"])
    entries = providers.chronology(child, held)
    by_text = {e.what_happened: e for e in entries}
    decisions = [
        e
        for e in entries
        if e.what_happened
        == "Decision that Ada should be placed for adoption, made by the agency decision maker, "
        "Agency decision maker Zed."
    ]
    assert [(e.date, e.significant, e.category) for e in decisions] == [
        (DECIDED, True, Category.PLAN),
        (D(2025, 4, 2), True, Category.PLAN),
    ]
    ceased = by_text[
        "Decision that Ada should no longer be placed for adoption (the decision of 3 March "
        "2025). Reason: the court did not make a placement order."
    ]
    assert ceased.date == D(2025, 4, 1)
    matched = by_text["Ada was matched with prospective adopters: a female couple."]
    assert matched.date == second.matched_on
    assert by_text["A deprivation of liberty order for Ada started."].date == D(2025, 2, 1)
    assert by_text["The deprivation of liberty order for Ada of 1 February 2025 ended."].date == D(
        2025, 3, 1
    )
    came_into_care = [e for e in entries if e.what_happened.startswith("Ada came into care")]
    assert came_into_care  # care's own entries are still there


def test_the_chronology_asks_nothing_of_empty_tables(
    in_care: Episode, child: Person, django_assert_num_queries: Any
) -> None:
    held = records_held(child, ["lookedafter"])
    with django_assert_num_queries(0):
        assert permanence_chronology(child, held) == []
