"""Audit event types for private fostering, young carers and participation.

Values are stored, so never rename one; add a new member instead.
"""

from __future__ import annotations

from enum import StrEnum


class PrivateFosteringEvent(StrEnum):
    NOTIFICATION_RECORDED = "privatefostering.notification-recorded"
    VISIT_RECORDED = "privatefostering.visit-recorded"
    DECISION_RECORDED = "privatefostering.decision-recorded"
    ARRANGEMENT_ENDED = "privatefostering.arrangement-ended"
    YOUNG_CARER_ASSESSED = "privatefostering.young-carer-assessed"
    YOUNG_CARER_SUPPORT_RECORDED = "privatefostering.young-carer-support-recorded"
    PARTICIPATION_RECORDED = "privatefostering.participation-recorded"
    SURVEY_CREATED = "privatefostering.survey-created"
    SURVEY_RESPONSE_RECORDED = "privatefostering.survey-response-recorded"
    SURVEY_CHANGES_RECORDED = "privatefostering.survey-changes-recorded"
    COUNCIL_MEMBER_ADDED = "privatefostering.council-member-added"
    COUNCIL_MEETING_RECORDED = "privatefostering.council-meeting-recorded"
