"""Child protection in the child's chronology: strategy discussions, section 47 enquiries and
police decisions, conferences, the plan, core groups, reviews, visits and the plan ending.

At most ten queries per child, however long the history: strategy discussions (with their
enquiry), their participants, the police decisions, the enquiries recorded in another system
(no strategy discussion) and their police decisions, conferences (with the enquiry and the
plan they started), their attendees, plans, and the plans' core groups and visits in two
more. In a chronology, none for a kind of record the child has none of (``held``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from caseline.apps.codes.lists import CodeListName
from caseline.apps.codes.plain import plain
from caseline.apps.core.text import excerpt, lower_first, plural, sentence
from caseline.apps.people.contribution import Category, ChronologyEntry, Step, visit_entry
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.protection.models import (
    TOOK_PART,
    Agency,
    Conference,
    ConferenceAttendee,
    CoreGroup,
    Participation,
    PoliceDecision,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
    StrategyDiscussion,
    StrategyParticipant,
)
from caseline.apps.protection.timescales import ICPC, TRANSFER_IN_CONFERENCE
from caseline.apps.timescales.calendar import england_and_wales
from caseline.apps.timescales.rules import TimescaleRule, format_date

SOURCE = "Child protection"
CORE = (Agency.POLICE, Agency.HEALTH)

WHY_CORE_ABSENT = (
    "Working Together expects the police and health to take part in decisions about "
    "significant harm; without them information may have been missed."
)
WHY_S47 = (
    "The local authority is making enquiries because it suspects the child is suffering, or is "
    "likely to suffer, significant harm."
)
WHY_S47_CONFERENCE = "The enquiry found the concerns substantiated, so a conference was called."
WHY_ABE = "The child is to be interviewed to achieve best evidence for a criminal investigation."
WHY_CONFERENCE_LATE = (
    "The conference was held outside the 15-working-day timescale, so the multi-agency "
    "decision about the child's safety came later than it should have."
)
WHY_PLAN = (
    "A multi-agency conference decided the child is at risk of significant harm and needs a "
    "child protection plan."
)
WHY_WORSE = "The core group found things worse for the child under the plan."
WHY_CATEGORY = "The conference changed what kind of harm the child is thought to be at risk of."
WHY_REVIEW_END = "The review conference decided the child is no longer at risk of significant harm."
WHY_PLAN_ENDED: dict[str, str] = {
    ProtectionPlan.EndReason.MOVED: (
        "The child moved to another local authority, which is now responsible for their safety."
    ),
    ProtectionPlan.EndReason.EIGHTEEN: "The child reached 18, so the plan ended.",
    ProtectionPlan.EndReason.DIED: "The child died.",
    ProtectionPlan.EndReason.LEFT_UK: "The child left the UK, so the plan ended.",
}
KIND_WORDS = {
    StrategyDiscussion.Kind.DISCUSSION: "Strategy discussion",
    StrategyDiscussion.Kind.MEETING: "Strategy meeting",
}


def _category(code: str) -> str:
    return plain(CodeListName.CP_CATEGORY, code) if code else ""


def _named(agency: str, name: str, how: str) -> str:
    label = lower_first(Agency(agency).label)
    return f"{label} ({name}, {how})" if name else f"{label} ({how})"


def _who_took_part(
    rows: Iterable[StrategyParticipant | ConferenceAttendee],
) -> tuple[str, list[str]]:
    """A sentence naming who took part and who did not (and the core agencies of which nothing
    is recorded), and the core agencies missing."""
    took_part: list[str] = []
    absent: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for row in rows:
        seen.add(row.agency)
        how = lower_first(Participation(row.participation).label)
        if row.participation in TOOK_PART:
            took_part.append(_named(row.agency, row.name, how))
            continue
        if row.agency in CORE or row.participation == Participation.ABSENT:
            absent.append(_named(row.agency, row.name, how))
        if row.agency in CORE:
            missing.append(Agency(row.agency).label)
    unrecorded = [agency.label for agency in CORE if agency.value not in seen]
    text = f"Took part: {', '.join(took_part) or 'nobody recorded'}."
    if absent:
        text += f" Did not take part: {', '.join(absent)}."
    if unrecorded:
        text += f" {' and '.join(unrecorded)} took no part."
    return text, missing + unrecorded


def _lateness(
    rule: TimescaleRule, trigger_words: str, start: datetime.date, held: datetime.date
) -> tuple[str, bool]:
    """ "Held 18 working days after …, 3 over the 15-working-day timescale." and lateness."""
    days = england_and_wales().working_days_between(start, held)
    limit = rule.effective_interval.count
    taken = f"Held {plural(days, 'working day')} after {trigger_words}"
    if held > rule.due_date(start):
        return f"{taken}, {days - limit} over the {limit}-working-day timescale.", True
    return f"{taken}, within the {limit}-working-day timescale.", False


def _previous_plans(plans: list[ProtectionPlan], conference: Conference) -> str:
    count = sum(
        1
        for p in plans
        if p.start_date < conference.conference_date and p.conference_id != conference.pk
    )
    if count == 0:
        return "This is the child's first child protection plan."
    return f"The child has had {plural(count, 'previous child protection plan')}."


def protection_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Every step of child protection work, with the decisions and their reasons."""
    name = person.given_name
    record_href = reverse("protection:record", kwargs={"person_id": person.pk})
    entries: list[ChronologyEntry] = []

    discussions = (
        held.rows(StrategyDiscussion)
        .select_related("recorded_by", "enquiry", "enquiry__recorded_by")
        .prefetch_related(
            "participants",
            Prefetch(
                "enquiry__police_decisions",
                queryset=PoliceDecision.objects.select_related("recorded_by"),
            ),
        )
        .order_by("held_at", "id")
    )
    enquiries: list[Section47Enquiry] = []
    for discussion in discussions:
        held_at = timezone.localtime(discussion.held_at)
        who, missing = _who_took_part(discussion.participants.all())
        s47 = lower_first(discussion.get_s47_decision_display())
        entries.append(
            ChronologyEntry(
                date=held_at.date(),
                category=Category.PROTECTION,
                what_happened=f"{KIND_WORDS[StrategyDiscussion.Kind(discussion.kind)]} held. "
                f"{who} "
                f"Decision: {sentence(excerpt(discussion.decision))} "
                f"Reasons: {sentence(excerpt(discussion.rationale))} Outcome: {s47}.",
                source=SOURCE,
                recorded_by=str(discussion.recorded_by),
                why_it_matters=WHY_CORE_ABSENT if missing else "",
                significant=bool(missing),
                href=record_href,
                time=held_at.time(),
                step=Step.STRATEGY,
            )
        )
        enquiry = getattr(discussion, "enquiry", None)
        if enquiry is not None:
            enquiries.append(enquiry)
    # Enquiries recorded in another system have no strategy discussion on Caseline.
    enquiries.extend(
        held.rows(Section47Enquiry)
        .filter(strategy_discussion__isnull=True)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "police_decisions", queryset=PoliceDecision.objects.select_related("recorded_by")
            )
        )
        .order_by("start_date", "id")
    )
    for enquiry in enquiries:
        jointly = " jointly with the police" if enquiry.joint_with_police else ""
        elsewhere = (
            " It was recorded in another system; its strategy discussion is not on Caseline."
            if enquiry.recorded_elsewhere
            else ""
        )
        entries.append(
            ChronologyEntry(
                date=enquiry.start_date,
                category=Category.PROTECTION,
                what_happened=f"Section 47 enquiry started{jointly} into whether {name} is "
                f"suffering, or likely to suffer, significant harm.{elsewhere}",
                source=SOURCE,
                recorded_by=str(enquiry.recorded_by),
                why_it_matters=WHY_S47,
                significant=True,
                href=record_href,
                step=Step.ENQUIRY,
            )
        )
        for police in enquiry.police_decisions.all():
            abe = ""
            if police.abe_interview:
                when = (
                    f" on {format_date(police.abe_interview_on)}" if police.abe_interview_on else ""
                )
                abe = f" An achieving best evidence interview with {name} is planned{when}."
            officer = f" Officer: {police.officer}." if police.officer else ""
            entries.append(
                ChronologyEntry(
                    date=police.decided_on,
                    category=Category.PROTECTION,
                    what_happened=f"Police decision: {sentence(excerpt(police.decision))}"
                    f"{abe}{officer}",
                    source=SOURCE,
                    recorded_by=str(police.recorded_by),
                    why_it_matters=WHY_ABE if police.abe_interview else "",
                    significant=police.abe_interview,
                    href=record_href,
                    step=Step.POLICE,
                )
            )
        if enquiry.completed_on is not None:
            to_conference = enquiry.outcome == enquiry.Outcome.CONFERENCE
            note = (
                f" Reasons: {sentence(excerpt(enquiry.outcome_note))}"
                if enquiry.outcome_note
                else ""
            )
            entries.append(
                ChronologyEntry(
                    date=enquiry.completed_on,
                    category=Category.PROTECTION,
                    what_happened="Section 47 enquiry completed. Outcome: "
                    f"{lower_first(enquiry.get_outcome_display())}.{note}",
                    source=SOURCE,
                    recorded_by=str(enquiry.recorded_by),
                    why_it_matters=WHY_S47_CONFERENCE if to_conference else "",
                    significant=to_conference,
                    href=record_href,
                    step=Step.DECISION,
                )
            )
        # A conference the enquiry called for, decided against later (an outcome that needs
        # none says so itself, above).
        if enquiry.icpc_not_required and enquiry.outcome == enquiry.Outcome.CONFERENCE:
            reason = sentence(excerpt(enquiry.icpc_not_required_reason))
            entries.append(
                ChronologyEntry(
                    date=enquiry.icpc_not_required_on or enquiry.completed_on or enquiry.start_date,
                    category=Category.PROTECTION,
                    what_happened="Decided that the initial child protection conference the "
                    f"section 47 enquiry called for is not required. Reasons: {reason}",
                    source=SOURCE,
                    recorded_by=str(enquiry.recorded_by),
                    significant=True,
                    href=record_href,
                    step=Step.DECISION,
                )
            )

    plans = list(
        held.rows(ProtectionPlan)
        .select_related("recorded_by", "lead_social_worker")
        .prefetch_related(
            Prefetch("core_groups", queryset=CoreGroup.objects.select_related("recorded_by")),
            Prefetch("visits", queryset=ProtectionVisit.objects.select_related("recorded_by")),
        )
        .order_by("start_date", "id")
    )
    conferences = (
        held.rows(Conference)
        .select_related("recorded_by", "lead_social_worker", "enquiry")
        .prefetch_related("attendees")
        .order_by("conference_date", "id")
    )
    # Each plan's category as the conferences, oldest first, leave it.
    categories = {plan.pk: plan.initial_category for plan in plans}
    for conference in conferences:
        entries.append(_conference_entry(person, conference, plans, categories))

    for plan in plans:
        plan_href = reverse("protection:plan", kwargs={"person_id": person.pk, "plan_id": plan.pk})
        entries.append(
            ChronologyEntry(
                date=plan.start_date,
                category=Category.PROTECTION,
                what_happened=f"Child protection plan started for {name} under the category of "
                f"{_category(plan.initial_category)}. Lead social worker: "
                f"{plan.lead_social_worker}.",
                source=SOURCE,
                recorded_by=str(plan.recorded_by),
                why_it_matters=WHY_PLAN,
                significant=True,
                href=plan_href,
                step=Step.PLAN,
            )
        )
        for meeting in plan.core_groups.all():
            worse = meeting.progress == Conference.Progress.WORSE
            changes = (
                f" Changes to the plan: {sentence(excerpt(meeting.plan_changes))}"
                if meeting.plan_changes
                else ""
            )
            entries.append(
                ChronologyEntry(
                    date=meeting.meeting_date,
                    category=Category.PROTECTION,
                    what_happened="Core group meeting. Progress: "
                    f"{lower_first(meeting.get_progress_display())}. "
                    f"{sentence(excerpt(meeting.progress_note))}{changes} "
                    f"Who came: {sentence(excerpt(meeting.attendees))}",
                    source=SOURCE,
                    recorded_by=str(meeting.recorded_by),
                    why_it_matters=WHY_WORSE if worse else "",
                    significant=worse,
                    href=plan_href,
                )
            )
        for visit in plan.visits.all():
            entries.append(
                visit_entry(
                    visit.visit_date,
                    "Child protection visit",
                    name,
                    seen=visit.child_seen,
                    alone=visit.child_seen_alone,
                    detail=f"Observed: {sentence(excerpt(visit.observations))}",
                    source=SOURCE,
                    recorded_by=str(visit.recorded_by),
                    href=plan_href,
                )
            )
        if plan.end_date is not None and plan.end_reason != ProtectionPlan.EndReason.REVIEW:
            reason = lower_first(plan.get_end_reason_display()) or "no reason recorded"
            note = f" {sentence(excerpt(plan.end_note))}" if plan.end_note else ""
            entries.append(
                ChronologyEntry(
                    date=plan.end_date,
                    category=Category.PROTECTION,
                    what_happened=f"Child protection plan ended: {reason}.{note}",
                    source=SOURCE,
                    why_it_matters=WHY_PLAN_ENDED.get(plan.end_reason, "The plan ended."),
                    significant=True,
                    href=plan_href,
                    step=Step.ENDING,
                )
            )
    return entries


def _conference_entry(
    person: Person,
    conference: Conference,
    plans: list[ProtectionPlan],
    categories: dict[int, str],
) -> ChronologyEntry:
    name = person.given_name
    href = reverse(
        "protection:conference", kwargs={"person_id": person.pk, "conference_id": conference.pk}
    )
    who, missing = _who_took_part(conference.attendees.all())
    if conference.recorded_elsewhere:
        # Held in another system: who took part is not known, so nobody is said to be absent.
        who, missing = "It was held and recorded in another system.", []
    reasons = f"Reasons: {sentence(excerpt(conference.rationale))}"
    child = f"How {name} took part: {sentence(excerpt(conference.child_participation))}"
    decision = lower_first(conference.get_decision_display())
    why: list[str] = []
    if conference.kind == Conference.Kind.REVIEW:
        assert conference.plan_id is not None
        progress = lower_first(conference.get_progress_display()) or "not recorded"
        text = f"Review child protection conference. Progress: {progress}. Decision: {decision}."
        if conference.decision == Conference.Decision.END:
            text += " The child protection plan ended."
            why.append(WHY_REVIEW_END)
        else:
            before = categories.get(conference.plan_id, "")
            categories[conference.plan_id] = conference.category
            if before and before != conference.category:
                text += (
                    f" The category changed from {_category(before)} to "
                    f"{_category(conference.category)}."
                )
                why.append(WHY_CATEGORY)
            else:
                text += f" Category: {_category(conference.category)}."
        text += f" {reasons} {child} {who}"
    else:
        initial = conference.kind == Conference.Kind.INITIAL
        title = "Initial child protection conference" if initial else "Transfer-in conference"
        text = f"{title}. Decision: {decision}."
        if conference.decision == Conference.Decision.PLAN:
            text += (
                f" Category: {_category(conference.category)}. Lead social worker: "
                f"{conference.lead_social_worker}. {_previous_plans(plans, conference)}"
            )
        text += f" {reasons} {child} {who}"
        late = False
        if initial and conference.enquiry is not None:
            timing, late = _lateness(
                ICPC,
                "the strategy discussion that started the enquiry",
                conference.enquiry.start_date,
                conference.conference_date,
            )
            text += f" {timing}"
        elif conference.transfer_notified_on is not None:
            timing, late = _lateness(
                TRANSFER_IN_CONFERENCE,
                "we were told the child had moved here",
                conference.transfer_notified_on,
                conference.conference_date,
            )
            text += f" {timing}"
        if late:
            why.append(WHY_CONFERENCE_LATE)
    if missing:
        why.append(WHY_CORE_ABSENT)
    return ChronologyEntry(
        date=conference.conference_date,
        category=Category.PROTECTION,
        what_happened=text,
        source=SOURCE,
        recorded_by=str(conference.recorded_by),
        why_it_matters=" ".join(why),
        significant=bool(why),
        href=href,
        step=Step.CONFERENCE,
    )
