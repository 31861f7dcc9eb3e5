"""Local standards: stored overrides, the audited action, and the administrator's pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.timescales import actions
from caseline.apps.timescales.events import TimescalesEvent
from caseline.apps.timescales.models import LocalStandardSetting
from caseline.apps.timescales.queries import rule_in_force, rules_in_force, standards_read_once
from caseline.apps.timescales.rules import CATALOGUE, Basis, Interval, IntervalUnit

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR, username="admin", first_name="Ada", last_name="Min")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def _set(admin: User, code: str = "supervision", unit: str = "weeks", count: int = 2) -> Any:
    return actions.set_local_standard(
        acting_user=admin, rule_code=code, unit=unit, count=count, reason="Agreed by the board"
    )


def test_with_no_setting_the_default_is_in_force() -> None:
    rule = rule_in_force("supervision")
    assert rule.effective_interval == Interval.weeks(4)
    assert rule.override is None


def test_an_override_changes_the_due_date_and_is_audited(admin: User) -> None:
    before = rule_in_force("supervision").due_date(D(2025, 6, 2))
    setting = _set(admin)
    after = rule_in_force("supervision")
    assert before == D(2025, 6, 30)
    assert after.due_date(D(2025, 6, 2)) == D(2025, 6, 16)
    assert after.default_interval == Interval.weeks(4)
    assert str(setting) == "supervision: 2 weeks"
    event = AuditEvent.objects.get(event_type=TimescalesEvent.LOCAL_STANDARD_SET)
    assert event.old_values == {"rule_code": "supervision", "unit": "weeks", "count": 4}
    assert event.new_values == {"rule_code": "supervision", "unit": "weeks", "count": 2}
    assert event.extra["reason"] == "Agreed by the board"
    assert event.acting_user == admin


def test_a_second_change_audits_the_previous_override(admin: User) -> None:
    _set(admin, count=2)
    _set(admin, unit="working_days", count=15)
    assert LocalStandardSetting.objects.count() == 1
    latest = AuditEvent.objects.filter(event_type=TimescalesEvent.LOCAL_STANDARD_SET).latest("id")
    assert latest.old_values["count"] == 2
    assert latest.new_values == {"rule_code": "supervision", "unit": "working_days", "count": 15}
    assert rule_in_force("supervision").effective_interval == Interval.working_days(15)


def test_rules_in_force_reads_every_override_in_one_query(
    admin: User, django_assert_num_queries: Any
) -> None:
    _set(admin, "cin-visit", "working_days", 10)
    with django_assert_num_queries(1):
        rules = rules_in_force(["cin-visit", "cin-plan-review", "contact-decision"])
    assert rules["cin-visit"].effective_interval == Interval.working_days(10)
    assert rules["cin-plan-review"].override is None
    with django_assert_num_queries(0):
        rules_in_force(["contact-decision", "single-assessment"])  # statutory: no query


def test_statutory_rules_refuse_a_change(admin: User) -> None:
    with pytest.raises(ValidationError) as error:
        _set(admin, "contact-decision", "working_days", 3)
    assert "statutory timescale" in error.value.message_dict["rule_code"][0]
    assert "cannot be changed" in error.value.message_dict["rule_code"][0]
    assert not LocalStandardSetting.objects.exists()
    assert not AuditEvent.objects.filter(event_type=TimescalesEvent.LOCAL_STANDARD_SET).exists()


@pytest.mark.parametrize(
    ("unit", "count", "field", "message"),
    [
        ("weeks", 0, "count", "The number must be 1 or more"),
        ("weeks", -2, "count", "The number must be 1 or more"),
        ("weeks", 53, "count", "The number must be 52 or fewer for weeks"),
        ("months", 25, "count", "The number must be 24 or fewer for months"),
        ("working_days", 261, "count", "The number must be 260 or fewer for working days"),
        ("fortnights", 2, "unit", "Select the unit the timescale is measured in"),
    ],
)
def test_unsensible_intervals_are_refused(
    admin: User, unit: str, count: int, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        _set(admin, unit=unit, count=count)
    assert error.value.message_dict[field] == [message]
    assert not LocalStandardSetting.objects.exists()


def test_unknown_codes_and_missing_reasons_are_refused(admin: User) -> None:
    with pytest.raises(ValidationError) as error:
        _set(admin, "no-such-rule")
    assert "rule_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.set_local_standard(
            acting_user=admin, rule_code="supervision", unit="weeks", count=2, reason="  "
        )
    assert error.value.message_dict["reason"] == ["Enter why the local standard is changing"]


# --- Pages ----------------------------------------------------------------------------------


def test_the_standards_page_lists_every_rule(
    admin: User, client_for: Callable[[User], Client]
) -> None:
    _set(admin)
    response = client_for(admin).get(reverse("timescales:standards"))
    assert response.status_code == 200
    text = response.text
    for rule in CATALOGUE.all():
        assert f'id="rule-{rule.code}"' in text
        assert rule.source.replace("'", "&#x27;").replace('"', "&quot;") in text
    assert "Set by Ada Min" in text
    assert reverse("timescales:standard-change", args=["supervision"]) in text
    assert reverse("timescales:standard-change", args=["contact-decision"]) not in text
    assert "Statutory" in text
    assert "Local standard" in text


def test_other_roles_cannot_see_or_change_standards(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(make_user(Role.TEAM_MANAGER))
    assert client.get(reverse("timescales:standards")).status_code == 403
    url = reverse("timescales:standard-change", args=["supervision"])
    assert client.post(url, {"count": "1", "unit": "weeks", "reason": "x"}).status_code == 403
    assert not LocalStandardSetting.objects.exists()


def test_changing_a_local_standard_through_the_page(
    admin: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(admin)
    url = reverse("timescales:standard-change", args=["cin-visit"])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="20"' in page.text
    response = client.post(
        url, {"count": "10", "unit": "working_days", "reason": "Practice standard 2025"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("timescales:standards")
    assert rule_in_force("cin-visit").effective_interval == Interval.working_days(10)
    listing = client.get(response["Location"])
    assert "the local standard is now 10 working days" in listing.text


def test_a_failed_change_keeps_what_was_typed(
    admin: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("timescales:standard-change", args=["cin-visit"])
    response = client_for(admin).post(
        url, {"count": "400", "unit": "working_days", "reason": "Typed reason"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "The number must be 260 or fewer for working days" in response.text
    assert 'value="400"' in response.text
    assert "Typed reason" in response.text
    blank = client_for(admin).post(url, {"count": "", "unit": "", "reason": ""})
    assert blank.status_code == 400
    assert "Enter the number of days, weeks or months" in blank.text
    assert not LocalStandardSetting.objects.exists()


def test_a_statutory_rule_page_says_why_it_cannot_change(
    admin: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(admin)
    url = reverse("timescales:standard-change", args=["single-assessment"])
    page = client.get(url)
    assert page.status_code == 200
    assert "is a statutory timescale" in page.text
    assert "<form" not in page.text.split('id="main-content"')[-1].split("Back to all")[0]
    response = client.post(url, {"count": "60", "unit": "working_days", "reason": "No"})
    assert response.status_code == 400
    assert "cannot be changed as a local standard" in response.text
    assert not LocalStandardSetting.objects.exists()


def test_the_standards_page_lists_earlier_versions_with_their_dates_and_certainty_in_words(
    admin: User, client_for: Callable[[User], Client]
) -> None:
    text = client_for(admin).get(reverse("timescales:standards")).text
    earlier = text.split('id="rule-lac-review-first-to-2011-03-31"')[1].split("</tr>")[0]
    assert "Until 31 March 2011" in earlier
    assert "Review of Children&#x27;s Cases Regulations 1991" in earlier
    assert "Secondary sources only" in earlier
    current = text.split('id="rule-lac-review-first"')[1].split("</tr>")[0]
    assert "From 1 April 2011" in current
    assert "Checked" in current
    assert "Not checked" in text.split('id="rule-lac-placement-plan"')[1].split("</tr>")[0]
    assert f"{len(CATALOGUE.all_versions())} timescale rules" in text


def test_an_unknown_rule_is_not_found(admin: User, client_for: Callable[[User], Client]) -> None:
    url = reverse("timescales:standard-change", args=["no-such-rule"])
    assert client_for(admin).get(url).status_code == 404


def test_every_local_rule_can_be_overridden_and_statutory_ones_cannot() -> None:
    for rule in CATALOGUE.all():
        if rule.basis is Basis.LOCAL_STANDARD:
            assert rule.with_override(Interval(IntervalUnit.WEEKS, 1)).effective_interval.count == 1
        else:
            with pytest.raises(ValueError, match="statutory"):
                rule.with_override(Interval.weeks(1))


def test_within_one_computation_the_standards_are_read_once(
    admin: User, django_assert_num_queries: Any
) -> None:
    _set(admin, "cin-visit", "working_days", 10)
    _set(admin, "supervision", "weeks", 2)
    with django_assert_num_queries(1), standards_read_once():
        visit = rules_in_force(["cin-visit", "cin-plan-review"])
        supervision = rules_in_force(["supervision", "management-oversight"])
        rules_in_force(["cin-visit"])
    assert visit["cin-visit"].effective_interval == Interval.working_days(10)
    assert visit["cin-plan-review"].override is None
    assert supervision["supervision"].effective_interval == Interval.weeks(2)
    assert supervision["management-oversight"].override is None


def test_the_next_computation_reads_the_standards_again(admin: User) -> None:
    with standards_read_once():
        assert rule_in_force("supervision").override is None
    _set(admin, "supervision", "weeks", 2)
    with standards_read_once():
        assert rule_in_force("supervision").effective_interval == Interval.weeks(2)
    _set(admin, "supervision", "weeks", 3)
    assert rule_in_force("supervision").effective_interval == Interval.weeks(3)


def test_only_those_who_manage_local_standards_may_set_one(
    make_user: Callable[..., User],
) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    with pytest.raises(PermissionDenied, match="local practice standards"):
        _set(manager)
    assert not LocalStandardSetting.objects.exists()
