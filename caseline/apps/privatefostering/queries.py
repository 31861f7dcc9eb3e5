"""Reads for private fostering, young carers and participation. The child's visibility is
checked by the page (``ChildRecordMixin``); these helpers scope every lookup to the child."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, Sum
from django.shortcuts import get_object_or_404

from caseline.apps.people.models import Person
from caseline.apps.privatefostering.derive import next_visit_rule
from caseline.apps.privatefostering.models import (
    AgeGroup,
    Arrangement,
    CouncilMeeting,
    CouncilMember,
    ParticipationKind,
    ParticipationRecord,
    Survey,
    SurveyAnswer,
    Told,
    YoungCarerAssessment,
)
from caseline.apps.privatefostering.timescales import ASSESSMENT_DECISION, FIRST_VISIT
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import Timeliness, assess_timeliness


def arrangements_of(person: Person) -> list[Arrangement]:
    """The child's private fostering arrangements, latest first, with their visits."""
    return list(
        Arrangement.objects.filter(person=person)
        .prefetch_related("visits")
        .order_by("-notified_on", "-id")
    )


def get_arrangement(person: Person, arrangement_id: int) -> Arrangement:
    """The child's arrangement ``arrangement_id`` (404 if it is not theirs)."""
    return get_object_or_404(
        Arrangement.objects.select_related("person"), pk=arrangement_id, person=person
    )


def get_young_carer_assessment(person: Person, assessment_id: int) -> YoungCarerAssessment:
    """The child's young carer's assessment ``assessment_id`` (404 if it is not theirs)."""
    return get_object_or_404(
        YoungCarerAssessment.objects.select_related("person"), pk=assessment_id, person=person
    )


@dataclass(frozen=True)
class ArrangementState:
    """What is due on one arrangement: the first visit's timeliness (met or not), the next
    visit and the decision, as at a date."""

    arrangement: Arrangement
    first_visit: Timeliness
    next_visit: Timeliness | None
    next_visit_title: str
    decision: Timeliness


def arrangement_state(arrangement: Arrangement, as_at: datetime.date) -> ArrangementState:
    """Timeliness of the arrangement's first visit, next visit and decision."""
    visits = sorted(v.visit_date for v in arrangement.visits.all())
    rules = rules_in_force([FIRST_VISIT.code, ASSESSMENT_DECISION.code])
    first = rules[FIRST_VISIT.code].due_date(arrangement.notified_on)
    first_visit = assess_timeliness(first, visits[0] if visits else None, as_at)
    next_visit = None
    title = ""
    if arrangement.ended_on is None and visits:
        rule, trigger = next_visit_rule(arrangement.notified_on, visits[-1])
        next_visit = assess_timeliness(rule.due_date(trigger), None, as_at)
        title = rule.title
    decision = assess_timeliness(
        rules[ASSESSMENT_DECISION.code].due_date(arrangement.notified_on),
        arrangement.decision_date,
        as_at,
    )
    return ArrangementState(arrangement, first_visit, next_visit, title, decision)


def young_carer_assessments_of(person: Person) -> list[YoungCarerAssessment]:
    """The child's young carer's assessments, latest first, with their support."""
    return list(
        YoungCarerAssessment.objects.filter(person=person)
        .prefetch_related("support")
        .order_by("-identified_on", "-id")
    )


@dataclass(frozen=True)
class Participation:
    """When the child was last told about each way of having a say (None: never recorded),
    and their advocacy referrals and independent visitor matches."""

    told: list[tuple[str, datetime.date | None]]
    referrals_and_matches: list[ParticipationRecord]

    @property
    def told_about_cicc(self) -> datetime.date | None:
        return dict(self.told).get(Told.CICC.label)


def participation_of(person: Person) -> Participation:
    """The child's participation, in two queries."""
    last = dict(
        ParticipationRecord.objects.filter(person=person, kind=ParticipationKind.TOLD)
        .values("subject")
        .annotate(last=Max("on"))
        .values_list("subject", "last")
    )
    told = [(choice.label, last.get(choice.value)) for choice in Told]
    others = list(
        ParticipationRecord.objects.filter(person=person)
        .exclude(kind=ParticipationKind.TOLD)
        .order_by("-on", "-id")
    )
    return Participation(told, others)


# --- Surveys of children's views and the Children in Care Council --------------------------


@dataclass(frozen=True)
class QuestionResult:
    """One question's answers: the mean score (1 to 5) overall and by age group, how many
    answered, and the same question's mean in the survey before (matched by its wording)."""

    number: int
    text: str
    answered: int
    mean: float | None
    by_age: tuple[float | None, ...]  # in AgeGroup order
    before: float | None

    @property
    def change(self) -> float | None:
        if self.mean is None or self.before is None:
            return None
        return round(self.mean - self.before, 1)


def surveys() -> list[Survey]:
    return list(Survey.objects.annotate(responses_count=Count("responses")).order_by("-opened_on"))


def previous_survey(survey: Survey) -> Survey | None:
    """The survey opened last before this one, to compare with."""
    return (
        Survey.objects.filter(opened_on__lt=survey.opened_on).order_by("-opened_on", "-id").first()
    )


def _means(survey: Survey) -> dict[tuple[int, str], tuple[float, int]]:
    """(question id, age group or "") -> (mean, answers), in one query."""
    rows = (
        SurveyAnswer.objects.filter(response__survey=survey)
        .values("question_id", "response__age_group")
        .annotate(total=Sum("score"), n=Count("id"))
    )
    sums: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        for key in ((row["question_id"], row["response__age_group"]), (row["question_id"], "")):
            total = sums.setdefault(key, [0, 0])
            total[0] += row["total"]
            total[1] += row["n"]
    return {key: (round(t / n, 1), n) for key, (t, n) in sums.items() if n}


def survey_results(survey: Survey) -> tuple[list[QuestionResult], Survey | None, int]:
    """Each question's results, the survey compared with, and how many responded."""
    questions = list(survey.questions.order_by("number"))
    means = _means(survey)
    before = previous_survey(survey)
    earlier: dict[str, float] = {}
    if before is not None:
        old = _means(before)
        for q in before.questions.all():
            if (q.pk, "") in old:
                earlier[q.text.strip().lower()] = old[(q.pk, "")][0]
    results = [
        QuestionResult(
            number=q.number,
            text=q.text,
            answered=means.get((q.pk, ""), (0.0, 0))[1],
            mean=means[(q.pk, "")][0] if (q.pk, "") in means else None,
            by_age=tuple(
                means[(q.pk, g)][0] if (q.pk, g) in means else None for g in AgeGroup.values
            ),
            before=earlier.get(q.text.strip().lower()),
        )
        for q in questions
    ]
    return results, before, survey.responses.count()


def council() -> tuple[list[CouncilMember], list[CouncilMeeting]]:
    """The Children in Care Council's members (current first) and its meetings."""
    members: list[CouncilMember] = list(
        CouncilMember.objects.select_related("person")
        .annotate(attended_count=Count("meetings"))
        .order_by(F("left_on").desc(nulls_first=True), "joined_on", "id")
    )
    meetings = list(CouncilMeeting.objects.prefetch_related("attended__person"))
    return members, meetings
