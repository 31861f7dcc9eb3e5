"""The CIN census rules checked at entry, on the edges the DfE's own rule text names: the same
day passes where the text says "on or after", a day either side does not."""

from __future__ import annotations

import datetime

import pytest

from caseline.apps.core.checks import Checks
from caseline.apps.returns.rules.cin import (
    CINRule2990,
    CINRule4000,
    CINRule8565,
    CINRule8770Q,
    CINRule8831,
    CINRule8832,
    CINRule8868,
    CINRule9006,
    CINRule9007,
    CINRule9009,
    CINRule9010Q,
    CINRule9011,
    CINRule9012,
    CINRule9013,
)

D = datetime.date
DAY = datetime.timedelta(days=1)


def test_the_messages_are_the_rule_lists_own_words() -> None:
    # As in the rule list of csc-validator-be-cin 0.1.13 for 2025-26, quotes and all.
    assert CINRule2990.message() == (
        "Activity is recorded against a case marked as \u2018Case closed after assessment, no "
        "further action\u2019 or 'case closed after assessment, referred to early help'."
    )
    assert CINRule8868.message() == (
        "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed "
        "by ICPC date or ICPC not required flag"
    )
    assert CINRule8565.message() == "Activity shown after a case has been closed"
    assert CINRule9011.message() == (
        "The outcome of the pre-proceedings must be reported using a valid value"
    )


def test_the_pre_proceedings_rules_are_of_the_2026_27_census() -> None:
    for rule in (CINRule9006, CINRule9007, CINRule9009, CINRule9010Q, CINRule9012, CINRule9013):
        assert list(rule.years) == [2027]
        assert "cin2026_27" in rule.source
        assert rule.every_year  # a matter of fact, or Caseline's record, whenever it began


@pytest.mark.parametrize(
    ("conference", "not_required", "broken"),
    [(False, False, True), (True, False, False), (False, True, False), (True, True, True)],
)
def test_an_enquiry_in_a_closed_episode_is_concluded_one_way_only_8868(
    conference: bool, not_required: bool, broken: bool
) -> None:
    assert CINRule8868.breaks(conference_held=conference, icpc_not_required=not_required) is broken


@pytest.mark.parametrize(
    ("reason", "activity", "broken"),
    [("RC8", True, True), ("RC9", True, True), ("RC8", False, False), ("RC7", True, False)],
)
def test_closed_after_assessment_only_with_nothing_after_it_2990(
    reason: str, activity: bool, broken: bool
) -> None:
    assert CINRule2990.breaks(closure_reason=reason, activity_after_assessment=activity) is broken


def test_no_further_action_with_nothing_after_the_referral_8831_8832_4000() -> None:
    assert CINRule8831.breaks(nfa=True, enquiry_or_conference=True)
    assert not CINRule8831.breaks(nfa=False, enquiry_or_conference=True)
    assert not CINRule8831.breaks(nfa=True, enquiry_or_conference=False)
    assert CINRule8832.breaks(nfa=True, protection_plan=True)
    assert not CINRule8832.breaks(nfa=False, protection_plan=True)
    assert CINRule4000.breaks(nfa=True, cin_plan=True)
    assert not CINRule4000.breaks(nfa=True, cin_plan=False)


def test_un1_is_for_a_child_under_school_age_8770q() -> None:
    born = D(2019, 9, 10)
    sixth = D(2025, 9, 10)
    assert not CINRule8770Q.breaks(upn_unknown_reason="UN1", born=born, on=sixth - DAY)
    assert CINRule8770Q.breaks(upn_unknown_reason="UN1", born=born, on=sixth)
    assert not CINRule8770Q.breaks(upn_unknown_reason="UN2", born=born, on=sixth)


def test_a_child_born_on_29_february_is_six_on_1_march() -> None:
    born = D(2020, 2, 29)
    assert not CINRule8770Q.breaks(upn_unknown_reason="UN1", born=born, on=D(2026, 2, 28))
    assert CINRule8770Q.breaks(upn_unknown_reason="UN1", born=born, on=D(2026, 3, 1))


def test_the_letter_before_proceedings_is_on_or_after_the_start_9006() -> None:
    start = D(2026, 5, 4)
    assert not CINRule9006.breaks(letter_sent_on=start, started_on=start)
    assert CINRule9006.breaks(letter_sent_on=start - DAY, started_on=start)


def test_a_letter_sent_says_whether_it_offered_a_meeting_9007() -> None:
    sent = D(2026, 5, 4)
    assert CINRule9007.breaks(letter_sent_on=sent, fgdm_offered=None)
    assert not CINRule9007.breaks(letter_sent_on=sent, fgdm_offered=False)
    assert not CINRule9007.breaks(letter_sent_on=None, fgdm_offered=None)


def test_the_step_decision_is_on_or_after_the_start_9009() -> None:
    start = D(2026, 5, 4)
    assert not CINRule9009.breaks(decided_on=start, started_on=start)
    assert CINRule9009.breaks(decided_on=start - DAY, started_on=start)


def test_a_meeting_offered_asks_whether_one_was_facilitated_9010q() -> None:
    assert CINRule9010Q.breaks(fgdm_offered=True, fgdm_facilitated=None)
    assert not CINRule9010Q.breaks(fgdm_offered=True, fgdm_facilitated=False)
    assert not CINRule9010Q.breaks(fgdm_offered=False, fgdm_facilitated=None)


def test_the_court_application_follows_the_decision_and_the_letter_it_9012_9013() -> None:
    decided = D(2026, 8, 3)
    assert not CINRule9012.breaks(applied_on=decided, decided_on=decided)
    assert CINRule9012.breaks(applied_on=decided - DAY, decided_on=decided)
    applied = D(2026, 8, 10)
    assert not CINRule9013.breaks(letter_sent_on=applied, applied_on=applied)
    assert CINRule9013.breaks(letter_sent_on=applied - DAY, applied_on=applied)


def test_a_refusal_gives_the_workers_words_then_the_rule() -> None:
    checks = Checks()
    assert not CINRule4000.check(
        checks, "nfa", broken=True, on=D(2025, 6, 30), explain="This episode had a plan."
    )
    assert checks.errors == {"nfa": ["This episode had a plan. (CIN census rule 4000)"]}


def test_nothing_in_the_episode_is_dated_after_its_closure_8565() -> None:
    day = D(2025, 6, 30)
    assert CINRule8565.breaks(closed_on=day, latest_activity=day + DAY)
    assert not CINRule8565.breaks(closed_on=day, latest_activity=day)
    assert not CINRule8565.breaks(closed_on=day, latest_activity=None)
