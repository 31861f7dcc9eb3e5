"""Writing the census XML, one child at a time, in the order the DfE's schema sets.

Each child's block is built as a small tree and written straight to the stream
(``lxml.etree.xmlfile``), so memory holds one child, not the authority. Dates are ISO
(``xs:date``); yes/no items are 1 and 0, which both the schema and the DfE's rules read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from lxml import etree

from caseline.apps.returns.cin_census import items
from caseline.apps.returns.years import CollectionYear


@dataclass(frozen=True)
class Source:
    """Who made the file: the census header's Source block."""

    la_number: str  # LEA: the DfE's three-digit LA number
    software: str  # SoftwareCode
    release: str  # Release
    made_at: datetime.datetime  # DateTime, local time as the header shows it


def write_census(
    stream: IO[bytes],
    year: CollectionYear,
    source: Source,
    children: Iterable[items.Child],
) -> None:
    """Write the whole census for ``year`` to ``stream``."""
    with etree.xmlfile(stream, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            _write_indented(xf, _header(year, source), level=1)
            xf.write("\n  ")
            with xf.element("Children"):
                for child in children:
                    _write_indented(xf, _child(child), level=2)
                xf.write("\n  ")
            xf.write("\n")
    stream.write(b"\n")


def _write_indented(xf: etree.xmlfile, block: etree._Element, *, level: int) -> None:
    """Write ``block`` on lines of its own, indented ``level`` steps, for people reading it."""
    etree.indent(block, space="  ", level=level)
    xf.write("\n" + "  " * level)
    xf.write(block)


def _header(year: CollectionYear, source: Source) -> etree._Element:
    header = etree.Element("Header")
    collection = _sub(header, "CollectionDetails")
    _text(collection, "Collection", "CIN")
    _text(collection, "Year", str(year.year))
    _date(collection, "ReferenceDate", year.end)
    made_by = _sub(header, "Source")
    _text(made_by, "SourceLevel", "L")
    _text(made_by, "LEA", source.la_number)
    _text(made_by, "SoftwareCode", source.software)
    _text(made_by, "Release", source.release)
    _text(made_by, "SerialNo", "001")
    _text(made_by, "DateTime", source.made_at.replace(microsecond=0, tzinfo=None).isoformat())
    return header


def _child(child: items.Child) -> etree._Element:
    block = etree.Element("Child")
    identifiers = _sub(block, "ChildIdentifiers")
    _text(identifiers, "LAchildID", child.child_id)
    _text(identifiers, "UPN", child.upn)
    _text(identifiers, "FormerUPN", child.former_upn)
    _text(identifiers, "UPNunknown", child.upn_unknown)
    _date(identifiers, "PersonBirthDate", child.birth_date)
    _date(identifiers, "ExpectedPersonBirthDate", child.expected_birth_date)
    _text(identifiers, "Sex", child.sex)
    _date(identifiers, "PersonDeathDate", child.death_date)
    characteristics = _sub(block, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", child.ethnicity)
    if child.disabilities:
        disabilities = _sub(characteristics, "Disabilities")
        for code in child.disabilities:
            _text(disabilities, "Disability", code)
    for episode in child.episodes:
        _episode(_sub(block, "CINdetails"), episode)
    return block


def _episode(block: etree._Element, episode: items.Episode) -> None:
    _date(block, "CINreferralDate", episode.referral_date)
    _text(block, "ReferralSource", episode.source)
    _text(block, "PrimaryNeedCode", episode.primary_need)
    _date(block, "CINclosureDate", episode.closed)
    _text(block, "ReasonForClosure", episode.closure_reason)
    _date(block, "DateOfInitialCPC", episode.initial_conference)
    for assessment in episode.assessments:
        assessments = _sub(block, "Assessments")
        _date(assessments, "AssessmentActualStartDate", assessment.start)
        _date(assessments, "AssessmentAuthorisationDate", assessment.authorised)
        if assessment.factors:
            factors = _sub(assessments, "FactorsIdentifiedAtAssessment")
            for code in assessment.factors:
                _text(factors, "AssessmentFactors", code)
    for cin_plan in episode.plans:
        dates = _sub(block, "CINPlanDates")
        _date(dates, "CINPlanStartDate", cin_plan.start)
        _date(dates, "CINPlanEndDate", cin_plan.end)
    for enquiry in episode.section47s:
        section47 = _sub(block, "Section47")
        _date(section47, "S47ActualStartDate", enquiry.start)
        _date(section47, "InitialCPCtarget", enquiry.conference_target)
        _date(section47, "DateOfInitialCPC", enquiry.conference)
        _text(section47, "ICPCnotRequired", _yes_no(enquiry.conference_not_required))
    _text(block, "ReferralNFA", _yes_no(episode.no_further_action))
    for plan in episode.protection_plans:
        protection = _sub(block, "ChildProtectionPlans")
        _date(protection, "CPPstartDate", plan.start)
        _date(protection, "CPPendDate", plan.end)
        _text(protection, "InitialCategoryOfAbuse", plan.initial_category)
        _text(protection, "LatestCategoryOfAbuse", plan.latest_category)
        _text(protection, "NumberOfPreviousCPP", str(plan.previous_plans))
        if plan.reviews:
            reviews = _sub(protection, "Reviews")
            for day in plan.reviews:
                _date(reviews, "CPPreviewDate", day)
    for proceedings in episode.pre_proceedings:
        _pre_proceedings(_sub(block, "PreProceedingsandFGDM"), proceedings)


def _pre_proceedings(block: etree._Element, proceedings: items.PreProceedings) -> None:
    _date(block, "PPStartDate", proceedings.start)
    _date(block, "LBPSentDate", proceedings.letter_sent)
    _flag(block, "FGDMMeetingOffer", proceedings.fgdm_offered)
    _flag(block, "FGDMMeetingFac", proceedings.fgdm_facilitated)
    _date(block, "InitialPPMeetingDate", proceedings.first_meeting)
    if proceedings.review_meetings is not None:
        _text(block, "ReviewMeetingsCount", str(proceedings.review_meetings))
    _date(block, "StepDecisionDate", proceedings.decided)
    _text(block, "PPOutcome", proceedings.outcome)
    _date(block, "CourtAppDate", proceedings.court_application)
    _date(block, "LetterInitCPDate", proceedings.proceedings_letter_sent)


def _sub(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, tag)


def _text(parent: etree._Element, tag: str, value: str) -> None:
    """An element holding ``value``; none at all when ``value`` is "" (not recorded)."""
    if value:
        etree.SubElement(parent, tag).text = value


def _date(parent: etree._Element, tag: str, day: datetime.date | None) -> None:
    if day is not None:
        etree.SubElement(parent, tag).text = day.isoformat()


def _yes_no(value: bool) -> str:
    return "1" if value else "0"


def _flag(parent: etree._Element, tag: str, value: bool | None) -> None:
    """A yes/no element; none at all when ``value`` is None (not recorded)."""
    if value is not None:
        _text(parent, tag, _yes_no(value))
