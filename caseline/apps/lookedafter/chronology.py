"""Children in care in the child's chronology: coming into care, legal status and placement
changes, care plans, reviews, visits, health and education, missing episodes, leaving care,
pathway plans, keeping in touch and the pen picture.

At most eleven queries per child, however long the history: one for each kind of record
(episodes, care plans, reviews and their recommendations in two, visits, health, personal
education plans, missing episodes, pathway plans, keeping-in-touch contacts and the pen
picture). In a chronology, none for a kind of record the child has none of
(``held``).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from caseline.apps.codes.lists import CodeListName
from caseline.apps.codes.plain import plain
from caseline.apps.core.text import excerpt, lower_first, plural, sentence
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    CareLeaverContact,
    CarePlan,
    Episode,
    HealthRecord,
    LACReview,
    LACVisit,
    MissingEpisode,
    PathwayPlan,
    PenPicture,
    PersonalEducationPlan,
    ReviewRecommendation,
)
from caseline.apps.people.contribution import Category, ChronologyEntry, Step, visit_entry
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.timescales.rules import format_date

SOURCE = "Children in care"

WHY_CAME_INTO_CARE = (
    "The child started to be looked after by the local authority: where they live and who "
    "cares for them day to day changed."
)
WHY_LEGAL_STATUS = "The legal basis on which the child is looked after changed."
WHY_MOVE = "A placement move disrupts the child's relationships, home and often school."
WHY_CARE_PLAN = "The care plan sets the plan for the child's permanent home."
WHY_PERMANENCE_CHANGED = "The plan for the child's permanent home changed."
WHY_MISSING = (
    "While missing or away from placement the child may be at risk of harm or exploitation."
)
WHY_LEFT_CARE = "The child stopped being looked after by the local authority."
WHY_OUT_OF_TOUCH = (
    "The local authority is not in touch with the care leaver, so cannot support them."
)
WHY_SUBSTANCE = "Substance misuse was identified at the health assessment."
OUT_OF_TOUCH = frozenset({"NO", "REFU"})

LEGAL_CHANGE = frozenset({"L", "B", "U"})


def _placement(episode: Episode) -> str:
    text = plain(CodeListName.PLACEMENT_TYPE, episode.placement_type)
    if episode.carer_name:
        text += f" with {episode.carer_name}"
    if episode.area == Episode.Area.OUT:
        text += ", outside the local authority's area"
    return text


def _episode_entries(person: Person, episodes: list[Episode], href: str) -> list[ChronologyEntry]:
    name = person.given_name
    entries: list[ChronologyEntry] = []
    for period in derive.periods_of_care(episodes):
        previous: Episode | None = None
        for episode in period.episodes:
            status = plain(CodeListName.LEGAL_STATUS, episode.legal_status)
            if previous is None:
                what = (
                    f"{name} came into care. Legal status: {status}. "
                    f"Placed in {_placement(episode)}."
                )
                entries.append(_care(episode, what, WHY_CAME_INTO_CARE, href))
            else:
                if episode.reason_new_episode in LEGAL_CHANGE:
                    was = plain(CodeListName.LEGAL_STATUS, previous.legal_status)
                    what = f"Legal status changed from {was} to {status}."
                    entries.append(_care(episode, what, WHY_LEGAL_STATUS, href))
                if episode.reason_new_episode in derive.PLACEMENT_CHANGES:
                    reason = (
                        plain(CodeListName.REASON_PLACEMENT_CHANGE, previous.reason_place_change)
                        if previous.reason_place_change
                        else "no reason recorded"
                    )
                    same = " (same carers)" if episode.reason_new_episode in {"T", "U"} else ""
                    what = (
                        f"{name} moved placement{same} to {_placement(episode)}. Reason: {reason}."
                    )
                    entries.append(_care(episode, what, WHY_MOVE, href))
            previous = episode
        last = period.episodes[-1]
        if last.end_date is not None and last.reason_episode_ceased != NEW_EPISODE_FOLLOWS:
            reason = plain(CodeListName.REASON_EPISODE_CEASED, last.reason_episode_ceased)
            entries.append(
                ChronologyEntry(
                    date=last.end_date,
                    category=Category.CARE,
                    what_happened=f"{name} left care after "
                    f"{plural(len(period.placements), 'placement')}. Reason: {reason}.",
                    source=SOURCE,
                    recorded_by=str(last.recorded_by),
                    why_it_matters=WHY_LEFT_CARE,
                    significant=True,
                    href=href,
                    step=Step.ENDING,
                )
            )
    return entries


def _care(episode: Episode, what: str, why: str, href: str) -> ChronologyEntry:
    return ChronologyEntry(
        date=episode.start_date,
        category=Category.CARE,
        what_happened=what,
        source=SOURCE,
        recorded_by=str(episode.recorded_by),
        why_it_matters=why,
        significant=True,
        href=href,
        step=Step.CARE,
    )


def care_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Every event of the child's time in care and after, with decisions and reasons."""
    name = person.given_name
    record = reverse("lookedafter:record", kwargs={"person_id": person.pk})
    entries = _episode_entries(
        person,
        list(held.rows(Episode).select_related("recorded_by")),
        f"{record}#looked-after",
    )

    permanence = ""
    for plan in held.rows(CarePlan).select_related("recorded_by").order_by("plan_date", "id"):
        decision = lower_first(plan.get_permanence_plan_display())
        changed = bool(permanence) and plan.permanence_plan != permanence
        first = not permanence
        permanence = plan.permanence_plan
        entries.append(
            ChronologyEntry(
                date=plan.plan_date,
                category=Category.PLAN,
                what_happened=f"Care plan {'agreed' if first else 'updated'}. Permanence plan: "
                f"{decision}. {sentence(excerpt(plan.plan_summary))} "
                f"{name}'s views: “{excerpt(plan.child_views)}”",
                source=SOURCE,
                recorded_by=str(plan.recorded_by),
                why_it_matters=WHY_PERMANENCE_CHANGED
                if changed
                else WHY_CARE_PLAN
                if first
                else "",
                significant=first or changed,
                href=f"{record}#care-plan",
                step=Step.PLAN,
            )
        )

    reviews = (
        held.rows(LACReview)
        .select_related("chair", "recorded_by")
        .prefetch_related(
            Prefetch("recommendations", queryset=ReviewRecommendation.objects.order_by("by_when"))
        )
        .order_by("review_date", "id")
    )
    for review in reviews:
        participation = plain(CodeListName.REVIEW_PARTICIPATION, review.participation)
        recommendations = [
            f"{excerpt(r.what, 100).rstrip('.')} ({r.who}, by {format_date(r.by_when)})"
            for r in review.recommendations.all()
        ]
        recs = f" Recommendations: {'; '.join(recommendations)}." if recommendations else ""
        entries.append(
            ChronologyEntry(
                date=review.review_date,
                category=Category.PLAN,
                what_happened=f"Looked-after review {_chaired(review)}. How {name} took "
                f"part: {participation}. {name}'s views: “{excerpt(review.child_views)}”{recs}",
                source=SOURCE,
                recorded_by=str(review.recorded_by),
                href=f"{record}#reviews",
            )
        )

    for visit in held.rows(LACVisit).select_related("recorded_by").order_by("visit_date", "id"):
        entries.append(
            visit_entry(
                visit.visit_date,
                "Statutory visit",
                name,
                seen=visit.child_seen,
                alone=visit.seen_alone,
                detail=sentence(excerpt(visit.note)),
                source=SOURCE,
                recorded_by=str(visit.recorded_by),
                href=f"{record}#visits",
            )
        )

    for health in (
        held.rows(HealthRecord).select_related("recorded_by").order_by("event_date", "id")
    ):
        entries.append(_health_entry(health, f"{record}#health"))

    for pep in (
        held.rows(PersonalEducationPlan).select_related("recorded_by").order_by("pep_date", "id")
    ):
        entries.append(
            ChronologyEntry(
                date=pep.pep_date,
                category=Category.HEALTH_EDUCATION,
                what_happened=f"Personal education plan meeting at {pep.school}, rated "
                f"{lower_first(pep.get_quality_display())}. "
                f"{sentence(excerpt(pep.attainment))} {name}'s views: “{excerpt(pep.child_views)}”",
                source=SOURCE,
                recorded_by=str(pep.recorded_by),
                href=f"{record}#education",
            )
        )

    for missing in (
        held.rows(MissingEpisode).select_related("recorded_by").order_by("start_date", "id")
    ):
        entries.append(_missing_entry(name, missing, f"{record}#missing"))

    for pathway in held.rows(PathwayPlan).select_related("recorded_by").order_by("plan_date", "id"):
        entries.append(
            ChronologyEntry(
                date=pathway.plan_date,
                category=Category.PLAN,
                what_happened=f"{pathway.get_kind_display()}. "
                f"{sentence(excerpt(pathway.summary))} "
                f"{name}'s views: “{excerpt(pathway.young_person_views)}”",
                source=SOURCE,
                recorded_by=str(pathway.recorded_by),
                href=f"{record}#leaving-care",
            )
        )

    for contact in (
        held.rows(CareLeaverContact).select_related("recorded_by").order_by("contact_date", "id")
    ):
        entries.append(_contact_entry(name, contact, f"{record}#leaving-care"))

    picture = held.rows(PenPicture).select_related("updated_by").first()
    if picture is not None:
        updated = timezone.localtime(picture.updated_at)
        entries.append(
            ChronologyEntry(
                date=updated.date(),
                category=Category.NOTE,
                what_happened=f"Pen picture of {name} updated. "
                f"{sentence(excerpt(picture.who_they_are))}",
                source=SOURCE,
                recorded_by=str(picture.updated_by),
                href=f"{record}#pen-picture",
                time=updated.time(),
            )
        )
    return entries


def _health_entry(health: HealthRecord, href: str) -> ChronologyEntry:
    parts = [f"{health.get_kind_display()}."]
    if health.immunisations_up_to_date is not None:
        up_to_date = "up to date" if health.immunisations_up_to_date else "not up to date"
        parts.append(f"Immunisations {up_to_date}.")
    if health.sdq_score is not None:
        questionnaire = health.kind == HealthRecord.Kind.SDQ
        what = "Score" if questionnaire else "Strengths and difficulties questionnaire score"
        parts.append(f"{what}: {health.sdq_score}.")
    if health.sdq_reason:
        parts.append(f"No score: {plain(CodeListName.SDQ_REASON, health.sdq_reason)}.")
    if health.substance_misuse:
        parts.append("Substance misuse identified.")
        if health.intervention_received:
            parts.append("An intervention was received.")
        elif health.intervention_offered:
            parts.append("An intervention was offered and not taken up.")
        elif health.intervention_offered is False:
            parts.append("No intervention was offered.")
    if health.health_plan:
        parts.append(f"Health plan: {sentence(excerpt(health.health_plan))}")
    if health.notes:
        parts.append(sentence(excerpt(health.notes)))
    return ChronologyEntry(
        date=health.event_date,
        category=Category.HEALTH_EDUCATION,
        what_happened=" ".join(parts),
        source=SOURCE,
        recorded_by=str(health.recorded_by),
        why_it_matters=WHY_SUBSTANCE if health.substance_misuse else "",
        significant=bool(health.substance_misuse),
        href=href,
    )


def _missing_entry(name: str, missing: MissingEpisode, href: str) -> ChronologyEntry:
    kind = "went missing" if missing.missing_type == "M" else "was away from placement"
    if missing.end_date is None:
        back = f" {name} has not yet returned."
    else:
        back = f" Returned on {format_date(missing.end_date)}."
        if missing.return_interview_offered is False:
            back += " No return interview was offered."
        elif missing.return_interview_offered:
            answer = {True: "accepted", False: "declined", None: "not yet answered"}
            accepted = answer[missing.return_interview_accepted]
            back += f" A return interview was offered and {accepted}."
    notes = f" {sentence(excerpt(missing.notes))}" if missing.notes else ""
    return ChronologyEntry(
        date=missing.start_date,
        category=Category.CARE,
        what_happened=f"{name} {kind}.{back}{notes}",
        source=SOURCE,
        recorded_by=str(missing.recorded_by),
        why_it_matters=WHY_MISSING,
        significant=True,
        href=href,
    )


def _contact_entry(name: str, contact: CareLeaverContact, href: str) -> ChronologyEntry:
    in_touch = plain(CodeListName.CARE_LEAVER_IN_TOUCH, contact.in_touch)
    parts = [f"Care leaver contact with {name}: {in_touch}."]
    if contact.accommodation:
        suitable = {True: ", suitable", False: ", not suitable", None: ""}
        living = plain(CodeListName.CARE_LEAVER_ACCOMMODATION, contact.accommodation)
        parts.append(f"Living: {living}{suitable[contact.accommodation_suitable]}.")
    if contact.activity:
        parts.append(f"Activity: {plain(CodeListName.CARE_LEAVER_ACTIVITY, contact.activity)}.")
    if contact.staying_put:
        parts.append("Staying put with former foster carers.")
    if contact.notes:
        parts.append(sentence(excerpt(contact.notes)))
    out = contact.in_touch in OUT_OF_TOUCH
    return ChronologyEntry(
        date=contact.contact_date,
        category=Category.CARE,
        what_happened=" ".join(parts),
        source=SOURCE,
        recorded_by=str(contact.recorded_by),
        why_it_matters=WHY_OUT_OF_TOUCH if out else "",
        significant=out,
        href=href,
    )


def _chaired(review: LACReview) -> str:
    """Who chaired the review, or that it was held in another system (ADR 0036)."""
    if review.recorded_elsewhere:
        return "held in another system"
    return f"chaired by {review.chair}"
