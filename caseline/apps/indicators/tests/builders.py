"""Hand-built records for the indicators' tests: the fewest fields each indicator reads, written
straight to the tables (the apps' own tests cover their actions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.assessments.models import Assessment
from caseline.apps.frontdoor.models import Contact, ContactPerson, Referral
from caseline.apps.lookedafter.models import CareLeaverContact, Episode, HealthRecord
from caseline.apps.people.models import Person
from caseline.apps.protection.models import (
    Conference,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from tests.factories import PersonFactory, UserFactory

D = datetime.date
BORN = D(2015, 6, 1)


class Record:
    """Builds one authority's records, all recorded by one user."""

    def __init__(self, user: User | None = None) -> None:
        self.user = user or UserFactory.create(username="recorder")

    def child(self, born: datetime.date = BORN, **fields: Any) -> Person:
        return PersonFactory.create(date_of_birth=born, **fields)

    def referral(self, child: Person, day: datetime.date, **fields: Any) -> Referral:
        return Referral.objects.create(
            person=child, referral_date=day, source=fields.pop("source", "1A"),
            opened_by=self.user, **fields,
        )  # fmt: skip

    def contact(
        self,
        child: Person,
        received: datetime.datetime,
        decided: datetime.datetime | None = None,
        decision: str = "",
    ) -> Contact:
        contact = Contact.objects.create(
            received_at=received, source="1A", concern="Worried", consent="given",
            decision=decision or ("referral" if decided else ""), decided_at=decided,
            recorded_by=self.user,
        )  # fmt: skip
        ContactPerson.objects.create(contact=contact, person=child)
        return contact

    def assessment(
        self, child: Person, start: datetime.date, authorised: datetime.date | None = None
    ) -> Assessment:
        referral = Referral.objects.filter(person=child).first() or self.referral(child, start)
        return Assessment.objects.create(
            person=child, referral=referral, start_date=start, authorised_on=authorised,
            status="authorised" if authorised else "draft", recorded_by=self.user,
        )  # fmt: skip

    def enquiry(self, child: Person, start: datetime.date, **fields: Any) -> Section47Enquiry:
        discussion = StrategyDiscussion.objects.create(
            person=child, kind=StrategyDiscussion.Kind.MEETING,
            held_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(10))),
            information_shared="-", decision="-", rationale="-", recorded_by=self.user,
        )  # fmt: skip
        return Section47Enquiry.objects.create(
            person=child, strategy_discussion=discussion, start_date=start,
            recorded_by=self.user, **fields,
        )  # fmt: skip

    def conference(
        self,
        child: Person,
        day: datetime.date,
        kind: str = Conference.Kind.INITIAL,
        **fields: Any,
    ) -> Conference:
        return Conference.objects.create(
            person=child, kind=kind, conference_date=day, chair=self.user,
            reports_shared=Conference.ReportsShared.YES, child_participation="-",
            family_participation="-", decision=Conference.Decision.PLAN, rationale="-",
            category="PHY", recorded_by=self.user, **fields,
        )  # fmt: skip

    def plan(
        self,
        child: Person,
        start: datetime.date,
        end: datetime.date | None = None,
        category: str = "PHY",
    ) -> ProtectionPlan:
        return ProtectionPlan.objects.create(
            person=child, start_date=start, end_date=end,
            conference=self.conference(child, start), initial_category=category,
            latest_category=category, lead_social_worker=self.user, recorded_by=self.user,
        )  # fmt: skip

    def episode(self, child: Person, start: datetime.date, **fields: Any) -> Episode:
        values: dict[str, Any] = {
            "reason_new_episode": "S",
            "legal_status": "C2",
            "placement_type": "U4",
            "placement_provider": "PR1",
            "placement_postcode": "TW10 6UJ",
        }
        values.update(fields)
        if values.get("end_date") and "reason_episode_ceased" not in fields:
            values["reason_episode_ceased"] = "E4A"
        return Episode.objects.create(
            person=child, start_date=start, recorded_by=self.user, **values
        )

    def health(self, child: Person, kind: str, day: datetime.date, **fields: Any) -> HealthRecord:
        return HealthRecord.objects.create(
            person=child, kind=kind, event_date=day, recorded_by=self.user, **fields
        )

    def keeping_in_touch(
        self, child: Person, day: datetime.date, **fields: Any
    ) -> CareLeaverContact:
        values: dict[str, Any] = {
            "in_touch": "YES",
            "accommodation": "U",
            "accommodation_suitable": True,
            "activity": "F2",
        }
        values.update(fields)
        return CareLeaverContact.objects.create(
            person=child, contact_date=day, recorded_by=self.user, **values
        )
