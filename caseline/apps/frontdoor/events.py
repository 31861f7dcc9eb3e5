"""Audit event types written by the front door. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class FrontdoorEvent(StrEnum):
    CONTACT_RECORDED = "frontdoor.contact-recorded"
    CONTACT_DECIDED = "frontdoor.contact-decided"
    CONTACT_CORRECTED = "frontdoor.contact-corrected"
    REFERRAL_RECORDED = "frontdoor.referral-recorded"
    REFERRAL_CLOSED = "frontdoor.referral-closed"
    EARLY_HELP_STARTED = "frontdoor.early-help-started"
    EARLY_HELP_ENDED = "frontdoor.early-help-ended"
    STEPPED_DOWN = "frontdoor.stepped-down"
    STEPPED_UP = "frontdoor.stepped-up"
    CASE_ALLOCATED = "frontdoor.case-allocated"
    ALLOCATION_ENDED = "frontdoor.allocation-ended"
