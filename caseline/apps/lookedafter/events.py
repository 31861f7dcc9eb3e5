"""Audit event types for children looked after and care leavers.

Values are stored, so never rename one; add a new member instead.
"""

from __future__ import annotations

from enum import StrEnum


class LookedAfterEvent(StrEnum):
    PERIOD_STARTED = "lookedafter.period-started"
    LEGAL_STATUS_CHANGED = "lookedafter.legal-status-changed"
    PLACEMENT_CHANGED = "lookedafter.placement-changed"
    PERIOD_ENDED = "lookedafter.period-ended"
    IRO_ALLOCATED = "lookedafter.iro-allocated"
    IRO_ALLOCATION_ENDED = "lookedafter.iro-allocation-ended"
    CARE_PLAN_RECORDED = "lookedafter.care-plan-recorded"
    CARE_PLAN_UPDATED = "lookedafter.care-plan-updated"
    REVIEW_RECORDED = "lookedafter.review-recorded"
    REVIEW_UPDATED = "lookedafter.review-updated"
    REVIEW_RECORDED_ELSEWHERE = "lookedafter.review-recorded-elsewhere"
    EARLIER_REVIEW_REQUESTED = "lookedafter.earlier-review-requested"
    EPISODE_CORRECTED = "lookedafter.episode-corrected"
    RECOMMENDATION_ADDED = "lookedafter.recommendation-added"
    MINUTES_COMPLETED = "lookedafter.minutes-completed"
    VISIT_RECORDED = "lookedafter.visit-recorded"
    HEALTH_RECORDED = "lookedafter.health-recorded"
    PEP_RECORDED = "lookedafter.pep-recorded"
    MISSING_RECORDED = "lookedafter.missing-recorded"
    MISSING_RETURN_RECORDED = "lookedafter.missing-return-recorded"
    ADVISER_ALLOCATED = "lookedafter.adviser-allocated"
    PATHWAY_PLAN_RECORDED = "lookedafter.pathway-plan-recorded"
    CARE_LEAVER_CONTACT_RECORDED = "lookedafter.care-leaver-contact-recorded"
    PEN_PICTURE_SAVED = "lookedafter.pen-picture-saved"
    UASC_DETAILS_SAVED = "lookedafter.uasc-details-saved"
    PLACEMENT_PLAN_RECORDED = "lookedafter.placement-plan-recorded"
    PLACEMENT_NOTICE_RECORDED = "lookedafter.placement-notice-recorded"
    ADOPTION_DECISION_RECORDED = "lookedafter.adoption-decision-recorded"
    ADOPTION_MATCH_RECORDED = "lookedafter.adoption-match-recorded"
    ADOPTION_DECISION_CEASED = "lookedafter.adoption-decision-ceased"
    PREVIOUS_PERMANENCE_SAVED = "lookedafter.previous-permanence-saved"
    DOLO_RECORDED = "lookedafter.dolo-recorded"
    DOLO_ENDED = "lookedafter.dolo-ended"
    PROVIDER_ADDED = "lookedafter.provider-added"
    PROVIDER_CHANGED = "lookedafter.provider-changed"
    PLACEMENT_COST_RECORDED = "lookedafter.placement-cost-recorded"
