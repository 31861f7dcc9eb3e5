"""The child's journey: each child once per band, the flows between bands, who came back round,
and every band opening onto its children (visibility applied, the read audited)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.indicators import journey
from caseline.apps.indicators.journey import BandKey
from caseline.apps.indicators.periods import AUTHORITY, PeriodKind, make_period
from caseline.apps.indicators.tests.builders import Record
from caseline.apps.people.models import Person
from tests.factories import AllocationFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = datetime.date
AS_AT = D(2026, 3, 31)
QUERY = "as_at_day=31&as_at_month=3&as_at_year=2026&period=collection-year&scope=authority"


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def paths() -> dict[str, Person]:
    """Collection year 2025-26: Ada from contact through a second protection plan to closure;
    Ben re-referred and closed with no assessment; Cat with two contacts and nothing more; Dan
    referred, assessed and looked after; Eve referred before the year (on no band)."""
    record = Record()
    ada, ben, cat, dan, eve = (
        record.child(given_name=name) for name in ("Ada", "Ben", "Cat", "Dan", "Eve")
    )
    record.contact(ada, _at(D(2025, 5, 1)), _at(D(2025, 5, 1)))
    record.referral(ada, D(2025, 5, 2), closed_on=D(2026, 1, 15), closure_reason="RC1")
    record.assessment(ada, D(2025, 5, 6), D(2025, 6, 1))
    record.plan(ada, D(2023, 1, 9), D(2023, 12, 1))
    record.plan(ada, D(2025, 6, 10), D(2026, 1, 10))
    record.referral(ben, D(2024, 12, 1))
    record.referral(ben, D(2025, 7, 1), closed_on=D(2025, 7, 3), closure_reason="RC8")
    record.contact(cat, _at(D(2025, 8, 1)))
    record.contact(cat, _at(D(2025, 9, 1)))
    record.referral(dan, D(2025, 9, 20))
    record.assessment(dan, D(2025, 9, 22))
    record.episode(dan, D(2025, 10, 1))
    record.referral(eve, D(2025, 3, 15))
    return {"ada": ada, "ben": ben, "cat": cat, "dan": dan, "eve": eve}


def _flow() -> journey.Flow:
    return journey.flow(AS_AT, make_period(PeriodKind.COLLECTION_YEAR, AS_AT), AUTHORITY)


def test_each_child_is_counted_once_in_each_band_they_reached(paths: dict[str, Person]) -> None:
    flow = _flow()
    ids = {name: child.pk for name, child in paths.items()}

    def band(key: BandKey) -> dict[int, datetime.date]:
        found = flow.band(key.value)
        assert found is not None
        return found.days

    assert band(BandKey.CONTACT) == {ids["ada"]: D(2025, 5, 1), ids["cat"]: D(2025, 8, 1)}
    assert set(band(BandKey.REFERRAL)) == {ids["ada"], ids["ben"], ids["dan"]}
    assert band(BandKey.ASSESSMENT) == {ids["ada"]: D(2025, 5, 6), ids["dan"]: D(2025, 9, 22)}
    assert band(BandKey.CIN_PLAN) == {}
    assert band(BandKey.CP_PLAN) == {ids["ada"]: D(2025, 6, 10)}  # not her plan of 2023
    assert band(BandKey.LOOKED_AFTER) == {ids["dan"]: D(2025, 10, 1)}
    assert band(BandKey.CLOSED) == {ids["ada"]: D(2026, 1, 15), ids["ben"]: D(2025, 7, 3)}
    assert flow.children == 4  # Eve's referral was before the year
    # Who came back round: the numerators of FD4 and CP5.
    assert band(BandKey.RE_REFERRED) == {ids["ben"]: D(2025, 7, 1)}
    assert band(BandKey.REPEAT_PLAN) == {ids["ada"]: D(2025, 6, 10)}


def test_the_flows_follow_each_child_from_band_to_band(paths: dict[str, Person]) -> None:
    flow = _flow()
    ids = {name: child.pk for name, child in paths.items()}
    links = {(link.source.value, link.target.value): link.children for link in flow.links}
    assert links == {
        ("contact", "referral"): {ids["ada"]},
        ("referral", "assessment"): {ids["ada"], ids["dan"]},
        ("referral", "closed"): {ids["ben"]},  # closed with no assessment
        ("assessment", "cp-plan"): {ids["ada"]},
        ("assessment", "looked-after"): {ids["dan"]},
        ("cp-plan", "closed"): {ids["ada"]},
    }
    drawn = journey.diagram(flow)
    assert len(drawn.ribbons) == len(flow.links)
    heights = {bar.band.key: bar.height for bar in drawn.bars}
    assert heights["referral"] > heights["contact"] > heights["cp-plan"]


def test_the_journey_page_draws_the_bands_and_each_opens_onto_its_children(
    client: Client, make_user: Callable[..., User], paths: dict[str, Person]
) -> None:
    analyst = make_user(Role.ANALYST, username="ana")
    client.force_login(analyst)
    body = client.get(f"/indicators/journey/?{QUERY}").content.decode()
    assert "<svg" in body
    assert body.count('class="app-journey__band"') == 7
    bands = body.split('id="journey-table"')[1].split("</table>")[0]
    assert re.search(r"Referral</th>\s*<td[^>]*><a[^>]*>3</a>", bands)
    assert re.search(r"Closed</th>\s*<td[^>]*><a[^>]*>2</a>", bands)
    flows = body.split('id="journey-flows"')[1].split("</table>")[0]
    flow = re.search(
        r'Referral</td>\s*<td[^>]*>Closed</td>\s*<td[^>]*><a[^>]*href="([^"]*)">1</a>', flows
    )
    assert flow is not None
    came_back = body.split('id="came-back"')[1].split("</table>")[0]
    assert "Re-referred within 12 months" in came_back
    href = re.search(r'<a href="(/indicators/journey/closed/\?[^"]*)"[^>]*data-band="closed"', body)
    assert href is not None
    listed = client.get(href.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200
    page = listed.content.decode()
    assert f'href="/people/{paths["ada"].pk}/"' in page
    assert f'href="/people/{paths["ben"].pk}/"' in page
    assert f'href="/people/{paths["dan"].pk}/"' not in page
    assert "15 January 2026" in page
    viewed = AuditEvent.objects.filter(
        event_type=EventType.CHILD_RECORD_VIEWED, acting_user=analyst, extra__journey="closed"
    )
    assert set(viewed.values_list("subject_person_id", flat=True)) == {
        paths["ada"].pk,
        paths["ben"].pk,
    }
    # A flow opens onto its children too: of the three referred, Ben went straight to closed.
    onward = client.get(flow.group(1).replace("&amp;", "&")).content.decode()
    assert "Referral, then closed" in onward
    assert f'href="/people/{paths["ben"].pk}/"' in onward
    assert f'href="/people/{paths["ada"].pk}/"' not in onward
    assert "1 July 2025" in onward  # his day in the referral band
    assert (
        AuditEvent.objects.filter(
            acting_user=analyst, extra__journey="referral", extra__to="closed"
        )
        .values_list("subject_person_id", flat=True)
        .get()
        == paths["ben"].pk
    )


def test_a_band_lists_only_the_children_the_user_may_see(
    client: Client, manager: User, team: Team, paths: dict[str, Person]
) -> None:
    AllocationFactory.create(person=paths["ada"], team=team, start_date=D(2025, 1, 1))
    elsewhere = TeamFactory.create(name="Elsewhere")
    for name in ("ben", "dan"):
        AllocationFactory.create(person=paths[name], team=elsewhere, start_date=D(2025, 1, 1))
    client.force_login(manager)
    page = client.get(f"/indicators/journey/referral/?{QUERY}").content.decode()
    assert f'href="/people/{paths["ada"].pk}/"' in page
    assert f'href="/people/{paths["ben"].pk}/"' not in page
    assert "2 children you may not see are counted but not listed" in page
    viewed = AuditEvent.objects.filter(
        event_type=EventType.CHILD_RECORD_VIEWED, acting_user=manager
    )
    assert set(viewed.values_list("subject_person_id", flat=True)) == {paths["ada"].pk}


def test_an_unknown_band_is_not_found(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user(Role.ANALYST, username="ana"))
    assert client.get(f"/indicators/journey/nowhere/?{QUERY}").status_code == 404
    assert client.get(f"/indicators/journey/referral/?{QUERY}&to=nowhere").status_code == 404
