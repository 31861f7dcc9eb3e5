"""The census as the DfE's schema shapes it: one child, their CIN episodes and what is in each.

Plain values read from the record for one collection year (``reading``), written out as XML
(``writing``). Field names follow the schema's element names in English; the comment after each
names the element.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Assessment:
    start: datetime.date  # AssessmentActualStartDate
    authorised: datetime.date | None  # AssessmentAuthorisationDate, if by the reference date
    factors: tuple[str, ...]  # AssessmentFactors: only for an authorised assessment (rule 8614)


@dataclass(frozen=True)
class CINPlanDates:
    start: datetime.date  # CINPlanStartDate
    end: datetime.date | None  # CINPlanEndDate, if by the reference date


@dataclass(frozen=True)
class Section47:
    start: datetime.date  # S47ActualStartDate
    conference_target: datetime.date  # InitialCPCtarget
    conference: datetime.date | None  # DateOfInitialCPC, if by the reference date
    conference_not_required: bool  # ICPCnotRequired


@dataclass(frozen=True)
class ProtectionPlan:
    start: datetime.date  # CPPstartDate
    end: datetime.date | None  # CPPendDate, if by the reference date
    initial_category: str  # InitialCategoryOfAbuse
    latest_category: str  # LatestCategoryOfAbuse, as at the reference date
    previous_plans: int  # NumberOfPreviousCPP
    reviews: tuple[datetime.date, ...]  # CPPreviewDate, those in the year


@dataclass(frozen=True)
class PreProceedings:
    """One PreProceedingsandFGDM block (the census from 2027): a period of pre-proceedings
    that started in the year, with what had happened in it by the reference date."""

    start: datetime.date  # PPStartDate
    letter_sent: datetime.date | None  # LBPSentDate
    fgdm_offered: bool | None  # FGDMMeetingOffer (None: not recorded)
    fgdm_facilitated: bool | None  # FGDMMeetingFac (None: not recorded)
    first_meeting: datetime.date | None  # InitialPPMeetingDate
    review_meetings: int | None  # ReviewMeetingsCount (given once there is a first meeting)
    decided: datetime.date | None  # StepDecisionDate
    outcome: str  # PPOutcome (given with the decision only; "" when not recorded)
    court_application: datetime.date | None  # CourtAppDate
    proceedings_letter_sent: datetime.date | None  # LetterInitCPDate


@dataclass(frozen=True)
class Episode:
    """One CINdetails block: a referral and what happened in it during the year."""

    referral_date: datetime.date  # CINreferralDate
    source: str  # ReferralSource
    primary_need: str  # PrimaryNeedCode ("" when not recorded)
    closed: datetime.date | None  # CINclosureDate, if by the reference date
    closure_reason: str  # ReasonForClosure (given with the closure date only)
    initial_conference: datetime.date | None  # DateOfInitialCPC held outside a section 47
    assessments: tuple[Assessment, ...]
    plans: tuple[CINPlanDates, ...]
    section47s: tuple[Section47, ...]
    no_further_action: bool  # ReferralNFA
    protection_plans: tuple[ProtectionPlan, ...]
    pre_proceedings: tuple[PreProceedings, ...]  # PreProceedingsandFGDM: from the census 2027


@dataclass(frozen=True)
class Child:
    """One Child block."""

    person_id: int
    child_id: str  # LAchildID
    upn: str  # UPN ("" when not known)
    former_upn: str  # FormerUPN ("" when none)
    upn_unknown: str  # UPNunknown (UN1-UN7, "" when not recorded)
    birth_date: datetime.date | None  # PersonBirthDate
    expected_birth_date: datetime.date | None  # ExpectedPersonBirthDate
    sex: str  # Sex
    death_date: datetime.date | None  # PersonDeathDate
    ethnicity: str  # Ethnicity
    disabilities: tuple[str, ...]  # Disability
    episodes: tuple[Episode, ...]
