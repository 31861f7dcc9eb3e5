"""Audit event types written by people actions. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class PeopleEvent(StrEnum):
    PERSON_CREATED = "people.person-created"
    IDENTITY_UPDATED = "people.identity-updated"
    OTHER_NAME_ADDED = "people.other-name-added"
    ADDRESS_ADDED = "people.address-added"
    ADDRESS_ENDED = "people.address-ended"
    CONTACT_DETAIL_ADDED = "people.contact-detail-added"
    RELATIONSHIP_RECORDED = "people.relationship-recorded"
    RELATIONSHIP_ENDED = "people.relationship-ended"
    HOUSEHOLD_MEMBER_ADDED = "people.household-member-added"
    PROFESSIONAL_ADDED = "people.professional-added"
    ALERT_ADDED = "people.alert-added"
    ALERT_ENDED = "people.alert-ended"
    PERSON_MERGED = "people.person-merged"
    RECORD_RESTRICTED = "people.record-restricted"
    RESTRICTION_CHANGED = "people.restriction-changed"
    RESTRICTION_LIFTED = "people.restriction-lifted"
    GLASS_BROKEN = "people.glass-broken"
