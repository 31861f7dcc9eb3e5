"""The front door's part of the child's chronology: contacts, referrals, closures, early help,
step-downs and step-ups, and who holds the case.

At most six queries per child, however long the history; in a chronology, none for a kind
of record the child has none of (``held``).
"""

from __future__ import annotations

import datetime
from datetime import tzinfo

from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.queries import display_names
from caseline.apps.codes.lists import CodeListName
from caseline.apps.codes.plain import plain
from caseline.apps.core.links import url_builder
from caseline.apps.core.text import excerpt, lower_first, sentence, time_between
from caseline.apps.frontdoor.models import Contact, EarlyHelpEpisode, StepChange
from caseline.apps.frontdoor.queries import contact_timeliness, referrals_for
from caseline.apps.people.contribution import Category, ChronologyEntry, Step
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.timescales.rules import TimelinessStatus, format_date

SOURCE = "Front door"

WHY_STRATEGY = (
    "The concerns met the threshold for a strategy discussion about whether the child is "
    "suffering, or likely to suffer, significant harm."
)
WHY_REFERRAL = "A referral starts a child in need episode: the child's needs must be assessed."
WHY_RE_REFERRAL = (
    "A re-referral within 12 months suggests the help given before did not make enough difference."
)
WHY_CLOSURE = "Children's social care stopped working with the child."
WHY_STEP_DOWN = "Statutory social work ended; the family's support continues as early help."
WHY_STEP_UP = (
    "Concerns grew while the family had early help, so the child came back to children's "
    "social care."
)


def _source(code: str) -> str:
    """Who a contact or referral came from, in plain words: "the police"."""
    return plain(CodeListName.REFERRAL_SOURCE, code)


def _contact_entry(
    contact: Contact, href: str, names: dict[int, str], today: datetime.date, zone: tzinfo
) -> ChronologyEntry:
    who = contact.referrer_organisation or contact.referrer_name
    origin = f"{who} ({_source(contact.source)})" if who else _source(contact.source)
    parts = [f"Contact from {origin}: {sentence(excerpt(contact.concern))}"]
    timeliness = contact_timeliness(contact, today)
    if contact.decision:
        decided_on = timezone.localdate(contact.decided_at, zone) if contact.decided_at else None
        by = f" by {names[contact.decided_by_id]}" if contact.decided_by_id else ""
        on = f" on {format_date(decided_on)}" if decided_on else ""
        decision = lower_first(contact.get_decision_display())
        parts.append(f"Decided{by}{on}: {decision}.")
        if contact.decision_rationale:
            parts.append(f"Reason: {sentence(excerpt(contact.decision_rationale))}")
        if timeliness.status == TimelinessStatus.COMPLETED_LATE:
            late = timeliness.working_days_late
            amount = f"{late} working day{'s' if late != 1 else ''} late" if late else "late"
            parts.append(
                f"The decision was {amount}: it was due by {format_date(timeliness.due_date)}."
            )
    else:
        parts.append("No decision has been recorded yet.")
        if timeliness.is_late:
            parts.append(
                f"The decision is overdue: it was due by {format_date(timeliness.due_date)}."
            )
    strategy = contact.decision == Contact.Decision.STRATEGY
    received = timezone.localtime(contact.received_at, zone)
    return ChronologyEntry(
        date=received.date(),
        category=Category.CONTACT,
        what_happened=" ".join(parts),
        source=SOURCE,
        recorded_by=names.get(contact.recorded_by_id, ""),
        why_it_matters=WHY_STRATEGY if strategy else "",
        significant=strategy,
        href=href,
        time=received.time(),
        step=Step.CONTACT,
    )


def frontdoor_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Every contact, referral, closure, early help episode, step change and allocation."""
    name = person.given_name
    episodes_href = reverse("frontdoor:record-episodes", kwargs={"person_id": person.pk})
    contacts = list(
        Contact.objects.filter(people__person=person).distinct().order_by("received_at", "id")
    )
    # The names of who recorded and decided, read once (not a user object per contact).
    names = display_names(
        [c.recorded_by_id for c in contacts] + [c.decided_by_id for c in contacts]
    )
    contact_href = url_builder("frontdoor:contact-detail", "pk")
    zone = timezone.get_current_timezone()
    today = timezone.localdate(timezone=zone)
    entries = [_contact_entry(c, contact_href(pk=c.pk), names, today, zone) for c in contacts]

    referrals = sorted(
        referrals_for(person).select_related("opened_by"), key=lambda r: (r.referral_date, r.pk)
    )
    for index, referral in enumerate(referrals):
        parts = [f"Referral to children's social care from {_source(referral.source)}."]
        if referral.primary_need:
            parts.append(f"Main need: {plain(CodeListName.PRIMARY_NEED, referral.primary_need)}.")
        previous = referrals[index - 1] if index else None
        if previous is None:
            parts.append(f"This is the first referral on {name}'s record.")
        else:
            gap = time_between(previous.referral_date, referral.referral_date)
            prefix = "Re-referral: the" if referral.is_re_referral else "The"
            parts.append(f"{prefix} last referral was {gap} earlier.")
        if referral.nfa:
            parts.append("The referral led to no further action.")
        entries.append(
            ChronologyEntry(
                date=referral.referral_date,
                category=Category.REFERRAL,
                what_happened=" ".join(parts),
                source=SOURCE,
                recorded_by=str(referral.opened_by),
                why_it_matters=WHY_RE_REFERRAL if referral.is_re_referral else WHY_REFERRAL,
                significant=True,
                href=episodes_href,
                step=Step.REFERRAL,
            )
        )
        if referral.closed_on:
            reason = (
                f": {plain(CodeListName.CIN_CLOSURE_REASON, referral.closure_reason)}"
                if referral.closure_reason
                else ""
            )
            note = f" {sentence(excerpt(referral.closure_note))}" if referral.closure_note else ""
            entries.append(
                ChronologyEntry(
                    date=referral.closed_on,
                    category=Category.REFERRAL,
                    what_happened=f"Child in need episode closed{reason}.{note}",
                    source=SOURCE,
                    why_it_matters=WHY_CLOSURE,
                    significant=True,
                    href=episodes_href,
                    step=Step.ENDING,
                )
            )

    for episode in held.rows(EarlyHelpEpisode).select_related("recorded_by"):
        who = ", ".join(
            part
            for part in (
                f"with {episode.organisation}" if episode.organisation else "",
                f"lead practitioner {episode.lead_practitioner}"
                if episode.lead_practitioner
                else "",
            )
            if part
        )
        entries.append(
            ChronologyEntry(
                date=episode.start_date,
                category=Category.EARLY_HELP,
                what_happened=f"Early help started{' ' + who if who else ''}. "
                f"Reason: {sentence(excerpt(episode.reason))}",
                source=SOURCE,
                recorded_by=str(episode.recorded_by),
                href=episodes_href,
                step=Step.EARLY_HELP,
            )
        )
        if episode.end_date:
            reason = f" {sentence(excerpt(episode.end_reason))}" if episode.end_reason else ""
            entries.append(
                ChronologyEntry(
                    date=episode.end_date,
                    category=Category.EARLY_HELP,
                    what_happened=f"Early help ended.{reason}",
                    source=SOURCE,
                    href=episodes_href,
                    step=Step.STEP_UP,
                )
            )

    for step in held.rows(StepChange).select_related("recorded_by"):
        down = step.direction == StepChange.Direction.STEP_DOWN
        what = (
            "Stepped down from children's social care to early help"
            if down
            else "Stepped up from early help to children's social care"
        )
        entries.append(
            ChronologyEntry(
                date=step.date,
                category=Category.EARLY_HELP,
                what_happened=f"{what}. Reason: {sentence(excerpt(step.rationale))}",
                source=SOURCE,
                recorded_by=str(step.recorded_by),
                why_it_matters=WHY_STEP_DOWN if down else WHY_STEP_UP,
                significant=True,
                href=episodes_href,
                step=Step.EARLY_HELP if down else Step.STEP_UP,
            )
        )

    allocations = list(
        held.rows(Allocation)
        .select_related("team", "worker", "allocated_by")
        .order_by("start_date", "id")
    )
    starts = {allocation.start_date for allocation in allocations}
    for allocation in allocations:
        holder = (
            f"{allocation.worker.get_full_name() or allocation.worker}, {allocation.team}"
            if allocation.worker
            else f"{allocation.team} (no social worker named yet)"
        )
        reason = f" Reason: {sentence(excerpt(allocation.reason))}" if allocation.reason else ""
        entries.append(
            ChronologyEntry(
                date=allocation.start_date,
                category=Category.ALLOCATION,
                what_happened=f"Allocated to {holder}.{reason}",
                source=SOURCE,
                recorded_by=str(allocation.allocated_by or ""),
                href=episodes_href,
                step=Step.ALLOCATION,
            )
        )
        if allocation.end_date and allocation.end_date not in starts:
            entries.append(
                ChronologyEntry(
                    date=allocation.end_date,
                    category=Category.ALLOCATION,
                    what_happened=f"The case stopped being allocated to {holder}.",
                    source=SOURCE,
                    href=episodes_href,
                    step=Step.ENDING,
                )
            )
    return entries
