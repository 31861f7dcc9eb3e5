"""A digest of a generated authority, to show that the same seed gives the same data."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from caseline.apps.accounts.models import User
from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan, CINVisit
from caseline.apps.frontdoor.models import Contact, EarlyHelpEpisode, Referral
from caseline.apps.lookedafter.models import CareLeaverContact, Episode, MissingEpisode
from caseline.apps.people.models import Address, Allocation, Person, Relationship
from caseline.apps.recording.models import CaseNote

# Casework in the digest: the model and the fields that identify a row without its id.
CASEWORK: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (Contact, ("received_at", "source", "decision", "decided_at")),
    (
        Referral,
        ("person__nhs_number", "referral_date", "primary_need", "closed_on", "closure_reason"),
    ),
    (EarlyHelpEpisode, ("person__nhs_number", "start_date", "end_date")),
    (Assessment, ("person__nhs_number", "start_date", "status", "authorised_on", "factors")),
    (CINPlan, ("person__nhs_number", "start_date", "end_date", "end_reason")),
    (
        Episode,
        (
            *("person__nhs_number", "start_date", "legal_status", "placement_type", "end_date"),
            *("placement_postcode", "ofsted_urn", "reason_episode_ceased"),
        ),
    ),
    (MissingEpisode, ("person__nhs_number", "missing_type", "start_date", "end_date")),
    (CareLeaverContact, ("person__nhs_number", "contact_date", "in_touch", "activity")),
    (CINVisit, ("person__nhs_number", "visit_date", "child_seen", "child_seen_alone")),
    (CaseNote, ("person__nhs_number", "note_type", "occurred_at", "is_significant")),
)


def authority_digest() -> str:
    """A digest of what was generated (names, dates, codes), independent of ids and clocks."""
    digest = hashlib.sha256()

    def feed(rows: Iterable[Sequence[Any]]) -> None:
        for row in sorted(tuple(str(v) for v in r) for r in rows):
            digest.update("|".join(row).encode())
            digest.update(b"\n")

    feed(
        Person.objects.values_list(
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "religion",
            "nhs_number",
            "upn",
            "upn_unknown_reason",
            "former_upn",
            "date_of_death",
        )
    )
    feed(
        Relationship.objects.values_list(
            "person__nhs_number", "other__nhs_number", "kind", "start_date"
        )
    )
    feed(
        Address.objects.values_list(
            "person__nhs_number", "kind", "postcode", "start_date", "end_date"
        )
    )
    feed(
        Allocation.objects.values_list(
            *("person__nhs_number", "team__name", "worker__username", "start_date"),
            *("end_date", "change_reason"),
        )
    )
    feed(
        User.objects.values_list(
            "username", "first_name", "last_name", "team__name", "swe_registration_number"
        )
    )
    for model, fields in CASEWORK:
        feed(model._default_manager.values_list(*fields))
    return digest.hexdigest()
