"""What private fostering, young carers and participation add to the child's record: a
summary block each, badges, due work (visits, the decision, the young carer's assessment) and
the timescale rules."""

from __future__ import annotations

import datetime

from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.queries import display_names
from caseline.apps.core.links import url_builder
from caseline.apps.people.contribution import (
    Badge,
    Category,
    ChronologyEntry,
    DueItem,
    PersonIds,
    RecordContribution,
    Step,
    SummaryBlock,
    visit_entry,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.privatefostering import queries, timescales
from caseline.apps.privatefostering.derive import next_visit_rule
from caseline.apps.privatefostering.models import (
    Arrangement,
    ArrangementVisit,
    ParticipationRecord,
    YoungCarerAssessment,
    YoungCarerSupport,
)
from caseline.apps.privatefostering.timescales import (
    ASSESSMENT_DECISION,
    YOUNG_CARER_ASSESSMENT,
)
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import assess_timeliness, format_date


def _page(person: Person) -> str:
    return reverse("privatefostering:record", kwargs={"person_id": person.pk})


def _held(person: Person) -> tuple[bool, bool, bool]:
    """Whether the child has any arrangement, an open one, and a caring role: one query, so
    the many children with none of them cost one query each for the summary and badges."""
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            any_arrangement=Exists(Arrangement.objects.filter(person=OuterRef("pk"))),
            open_arrangement=Exists(
                Arrangement.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)
            ),
            young_carer=Exists(YoungCarerAssessment.objects.filter(person=OuterRef("pk"))),
        )
        .values_list("any_arrangement", "open_arrangement", "young_carer")
        .first()
    )
    return row if row is not None else (False, False, False)


def summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """The open (or latest) private fostering arrangement and the caring role (only where
    either is recorded)."""
    any_arrangement, _, young_carer = _held(person)
    blocks: list[SummaryBlock] = []
    arrangements = queries.arrangements_of(person) if any_arrangement else []
    if arrangements:
        arrangement = arrangements[0]
        state = queries.arrangement_state(arrangement, as_at)
        rows = [
            ("Private foster carer", arrangement.carer_name),
            ("Notified", f"{format_date(arrangement.notified_on)} by {arrangement.notifier_label}"),
            ("First visit", state.first_visit.label_with_note),
        ]
        if state.next_visit is not None:
            rows.append(("Next visit", state.next_visit.label_with_note))
        rows.append(
            (
                "Decision",
                f"{arrangement.decision_label} ({format_date(arrangement.decision_date)})"
                if arrangement.decision_date
                else state.decision.label_with_note,
            )
        )
        if arrangement.ended_on:
            rows.append(("Ended", format_date(arrangement.ended_on)))
        blocks.append(
            SummaryBlock(
                order=35,
                title="Private fostering",
                rows=rows,
                link_text="Private fostering",
                link_href=_page(person),
            )
        )
    carers = queries.young_carer_assessments_of(person) if young_carer else []
    if carers:
        latest = carers[0]
        rows = [
            ("Cares for", latest.cares_for),
            ("Caring role", latest.caring_role),
            (
                "Needs assessment",
                f"Done {format_date(latest.assessed_on)}" if latest.assessed_on else "Not yet done",
            ),
        ]
        support = [s.support for s in latest.support.all() if s.ended_on is None]
        if support:
            rows.append(("Support", "; ".join(support)))
        blocks.append(
            SummaryBlock(
                order=36,
                title="Young carer",
                rows=rows,
                link_text="Young carer",
                link_href=_page(person),
            )
        )
    return blocks


def badges(person: Person, as_at: datetime.date) -> list[Badge]:
    """ "Privately fostered" while an arrangement is open; "Young carer" once identified."""
    _, open_arrangement, young_carer = _held(person)
    found: list[Badge] = []
    if open_arrangement:
        found.append(Badge("Privately fostered", "purple"))
    if young_carer:
        found.append(Badge("Young carer", "turquoise"))
    return found


def due_for(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Visits and decisions due on open arrangements, and young carers' assessments not yet
    done. Three queries however many children: the local standards, the open arrangements
    with their last visit, the young carers not yet assessed."""
    rules = rules_in_force([ASSESSMENT_DECISION.code, YOUNG_CARER_ASSESSMENT.code])
    visit_href = url_builder("privatefostering:visit-new", "person_id", "arrangement_id")
    decision_href = url_builder("privatefostering:decision", "person_id", "arrangement_id")
    assess_href = url_builder("privatefostering:young-carer-assessed", "person_id", "assessment_id")
    items: list[DueItem] = []
    for pk, person_id, notified_on, decision_date, last_visit in (
        Arrangement.objects.filter(person_id__any_of=person_ids, ended_on__isnull=True)
        .annotate(last_visit=Max("visits__visit_date"))
        .order_by("person_id", "notified_on")
        .values_list("pk", "person_id", "notified_on", "decision_date", "last_visit")
    ):
        rule, trigger = next_visit_rule(notified_on, last_visit)
        items.append(
            DueItem(
                person_id=person_id,
                title=rule.title,
                rule_code=rule.code,
                timeliness=assess_timeliness(rule.due_date(trigger), None, as_at),
                href=visit_href(person_id=person_id, arrangement_id=pk),
                permission=Permission.VISIT_RECORD,
            )
        )
        if decision_date is None:
            rule = rules[ASSESSMENT_DECISION.code]
            items.append(
                DueItem(
                    person_id=person_id,
                    title="Private fostering decision",
                    rule_code=rule.code,
                    timeliness=assess_timeliness(rule.due_date(notified_on), None, as_at),
                    href=decision_href(person_id=person_id, arrangement_id=pk),
                    permission=Permission.ASSESSMENT_AUTHORISE,
                )
            )
    rule = rules[YOUNG_CARER_ASSESSMENT.code]
    for pk, person_id, identified_on in (
        YoungCarerAssessment.objects.filter(person_id__any_of=person_ids, assessed_on__isnull=True)
        .order_by("person_id", "identified_on")
        .values_list("pk", "person_id", "identified_on")
    ):
        items.append(
            DueItem(
                person_id=person_id,
                title="Young carer's needs assessment",
                rule_code=rule.code,
                timeliness=assess_timeliness(rule.due_date(identified_on), None, as_at),
                href=assess_href(person_id=person_id, assessment_id=pk),
                permission=Permission.ASSESSMENT_RECORD,
            )
        )
    return items


_SOURCE = "Private fostering"


def chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Notifications, visits, decisions and ends of private fostering; a young carer
    identified, assessed and supported; what the child was told about having a say. One
    query a table that holds anything about the child."""
    arrangements = list(held.rows(Arrangement).order_by("notified_on", "id"))
    visits = list(held.rows(ArrangementVisit).order_by("visit_date", "id"))
    carers = list(held.rows(YoungCarerAssessment).order_by("identified_on", "id"))
    support = list(held.rows(YoungCarerSupport).order_by("started_on", "id"))
    participation = list(held.rows(ParticipationRecord).order_by("on", "id"))
    names = display_names(
        row.recorded_by_id
        for rows in (arrangements, visits, carers, support, participation)
        for row in rows
    )
    href = _page(person)
    name = person.given_name
    entries: list[ChronologyEntry] = []
    for a in arrangements:
        by = names.get(a.recorded_by_id, "")
        entries.append(
            ChronologyEntry(
                date=a.notified_on,
                category=Category.FAMILY,
                what_happened=(
                    f"Private fostering notified by {a.notifier_label.lower()}: {name} "
                    f"lives with {a.carer_name}."
                ),
                source=_SOURCE,
                recorded_by=by,
                why_it_matters="The authority must visit within 7 working days and satisfy "
                "itself of the child's welfare.",
                significant=True,
                href=href,
            )
        )
        if a.decision_date:
            entries.append(
                ChronologyEntry(
                    date=a.decision_date,
                    category=Category.FAMILY,
                    what_happened=f"Private fostering decision: {a.decision_label}. "
                    f"{a.decision_reasons}",
                    source=_SOURCE,
                    href=href,
                    step=Step.DECISION,
                )
            )
        if a.ended_on:
            entries.append(
                ChronologyEntry(
                    date=a.ended_on,
                    category=Category.FAMILY,
                    what_happened=f"Private fostering with {a.carer_name} ended: {a.end_reason}",
                    source=_SOURCE,
                    href=href,
                    step=Step.ENDING,
                )
            )
    for v in visits:
        entries.append(
            visit_entry(
                v.visit_date,
                "Private fostering visit",
                name,
                seen=v.child_seen,
                alone=v.child_seen_alone,
                detail=v.observations,
                source=_SOURCE,
                recorded_by=names.get(v.recorded_by_id, ""),
                href=href,
            )
        )
    for c in carers:
        entries.append(
            ChronologyEntry(
                date=c.identified_on,
                category=Category.FAMILY,
                what_happened=f"Identified as a young carer for {c.cares_for}: {c.caring_role}",
                source="Young carer",
                recorded_by=names.get(c.recorded_by_id, ""),
                href=href,
            )
        )
        if c.assessed_on:
            entries.append(
                ChronologyEntry(
                    date=c.assessed_on,
                    category=Category.ASSESSMENT,
                    what_happened=f"Young carer's needs assessment: {c.outcome}",
                    source="Young carer",
                    href=href,
                    step=Step.DECISION,
                )
            )
    for s in support:
        entries.append(
            ChronologyEntry(
                date=s.started_on,
                category=Category.FAMILY,
                what_happened=f"Young carer support began: {s.support}",
                source="Young carer",
                recorded_by=names.get(s.recorded_by_id, ""),
                href=href,
            )
        )
    for p in participation:
        entries.append(
            ChronologyEntry(
                date=p.on,
                category=Category.CARE,
                what_happened=f"{p.label}{': ' + p.who if p.who else ''}.",
                source="Participation",
                recorded_by=names.get(p.recorded_by_id, ""),
                href=href,
            )
        )
    return entries


CONTRIBUTION = RecordContribution(
    app_label="privatefostering",
    summary_blocks=summary,
    badges=badges,
    due_for=due_for,
    chronology=chronology,
    chronology_from_own_records=True,
    timescale_rules=timescales.RULES,
)
