"""Child in need plans in the child's chronology: plans starting and ending, reviews, visits.

Three queries per child: plans (with their episode, outcome count and author), the plans'
reviews, and visits.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.urls import reverse

from caseline.apps.cin.models import CINPlan, CINVisit, PlanReview
from caseline.apps.core.text import excerpt, lower_first, plural, sentence
from caseline.apps.people.contribution import Category, ChronologyEntry, Step, visit_entry
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld

SOURCE = "Child in need plan"

WHY_PLAN_STARTED = "The child is getting help under section 17 with an agreed plan."
WHY_ESCALATED = "The review found the concerns serious enough to escalate to child protection."
WHY_PLAN_ENDED: dict[str, str] = {
    CINPlan.EndReason.CHILD_PROTECTION: "Help moved from a child in need plan to child protection.",
    CINPlan.EndReason.LOOKED_AFTER: "The child became looked after, so the plan ended.",
    CINPlan.EndReason.FAMILY_DECLINED: (
        "The family withdrew consent, so the help under the plan stopped."
    ),
}
WHY_PLAN_ENDED_DEFAULT = "The child's plan of support ended."


def cin_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Every plan start, review and end, and every visit, with the child's views."""
    name = person.given_name
    plans_href = reverse("cin:record-plans", kwargs={"person_id": person.pk})
    plans = (
        held.rows(CINPlan)
        .select_related("referral", "recorded_by")
        .annotate(outcome_count=Count("outcomes"))
        .prefetch_related(
            Prefetch("reviews", queryset=PlanReview.objects.select_related("recorded_by"))
        )
        .order_by("start_date", "id")
    )
    entries: list[ChronologyEntry] = []
    for plan in plans:
        views = f" {name}'s views: “{excerpt(plan.child_views)}”" if plan.child_views else ""
        entries.append(
            ChronologyEntry(
                date=plan.start_date,
                category=Category.PLAN,
                what_happened=f"Child in need plan started with "
                f"{plural(plan.outcome_count, 'outcome')} for {name}.{views}",
                source=SOURCE,
                recorded_by=str(plan.recorded_by),
                why_it_matters=WHY_PLAN_STARTED,
                significant=True,
                href=plans_href,
                step=Step.PLAN,
            )
        )
        for review in plan.reviews.all():
            escalated = review.decision == PlanReview.Decision.ESCALATE
            decision = lower_first(review.get_decision_display())
            entries.append(
                ChronologyEntry(
                    date=review.review_date,
                    category=Category.PLAN,
                    what_happened=f"Child in need plan reviewed. Decision: {decision}. "
                    f"Progress: {sentence(excerpt(review.progress))} "
                    f"{name}'s views: “{excerpt(review.child_views)}”",
                    source=SOURCE,
                    recorded_by=str(review.recorded_by),
                    why_it_matters=WHY_ESCALATED if escalated else "",
                    significant=escalated,
                    href=plans_href,
                )
            )
        ended = plan.effective_end_date
        if ended is not None:
            if plan.ended_by_episode:
                what = "Child in need plan ended when the child in need episode closed."
                why = WHY_PLAN_ENDED_DEFAULT
            else:
                reason = lower_first(plan.get_end_reason_display()) or "no reason recorded"
                note = f" {sentence(excerpt(plan.end_note))}" if plan.end_note else ""
                what = f"Child in need plan ended: {reason}.{note}"
                why = WHY_PLAN_ENDED.get(plan.end_reason, WHY_PLAN_ENDED_DEFAULT)
            entries.append(
                ChronologyEntry(
                    date=ended,
                    category=Category.PLAN,
                    what_happened=what,
                    source=SOURCE,
                    why_it_matters=why,
                    significant=True,
                    href=plans_href,
                    step=Step.ENDING,
                )
            )

    visits_href = reverse("cin:visit-list", kwargs={"person_id": person.pk})
    visits = held.rows(CINVisit).select_related("recorded_by")
    for visit in visits.order_by("visit_date", "id"):
        parts = []
        if not visit.child_seen:
            parts.append(f"Reason: {sentence(excerpt(visit.not_seen_reason))}")
        elif visit.seen_bedroom is not None:
            parts.append(f"Their bedroom was{'' if visit.seen_bedroom else ' not'} seen.")
        parts.append(f"Purpose: {sentence(excerpt(visit.purpose))}")
        if visit.child_views:
            parts.append(f"{name}'s views: “{excerpt(visit.child_views)}”")
        entries.append(
            visit_entry(
                visit.visit_date,
                "Child in need visit",
                name,
                seen=visit.child_seen,
                alone=visit.child_seen_alone,
                detail=" ".join(parts),
                source=SOURCE,
                recorded_by=str(visit.recorded_by),
                href=visits_href,
            )
        )
    return entries
