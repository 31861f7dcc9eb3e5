"""The wider service (issue 21): allegations against adults (LADO), complaints, children's
participation, private fostering and young carers.

Written in one pass after every chunk, because each picks its children from the whole
authority (the children a complaint or an allegation is about are few and anywhere): the
children are read back in primary-key order, so the same seed gives the same rows. The
designated officers and complaints officers are made here, as ``staff`` makes the teams.

Rates, for an authority of ``n`` children a year (so a small one still has some of each):

- allegations: about 6 for each 1,000 children (the LADO reports of councils of 60,000
  children count 300 to 500 allegations a year), one child in most, two or three in some;
- complaints: about 3 for each 1,000 children, a tenth going on to stage 2 and a fifth of
  those to stage 3;
- private fostering: about 0.3 notifications for each 1,000 (a few a year where the national
  figure would give none), each visited, most decided and many ended;
- young carers: about 2 assessed for each 1,000;
- participation: every looked-after child told about each of the four things most of the
  time, a fifth referred for advocacy and one in fifteen matched with an independent visitor.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.complaints.models import (
    Complainant,
    Complaint,
    ComplaintStage,
    Finding,
    Lesson,
    StageOutcome,
    Theme,
)
from caseline.apps.frontdoor.models import Referral
from caseline.apps.lado.models import (
    Allegation,
    AllegationChild,
    Outcome,
    Sector,
    Source,
    StrategyMeeting,
)
from caseline.apps.lookedafter.models import Episode
from caseline.apps.people.models import Person
from caseline.apps.privatefostering.models import (
    AgeGroup,
    Arrangement,
    ArrangementVisit,
    CouncilMeeting,
    CouncilMember,
    Decision,
    Notifier,
    ParticipationKind,
    ParticipationRecord,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    Told,
    YoungCarerAssessment,
    YoungCarerSupport,
)
from caseline.apps.synthetic import names
from caseline.apps.synthetic.generator.core import (
    Batch,
    Generation,
    birthday,
    weighted,
    years_before,
)
from caseline.apps.synthetic.generator.staff import Authority

ALLEGATIONS_PER_1000 = 6.0
COMPLAINTS_PER_1000 = 3.0
PRIVATE_FOSTERING_PER_1000 = 0.3
YOUNG_CARERS_PER_1000 = 2.0

SECTORS = (
    (Sector.EDUCATION, 40),
    (Sector.EARLY_YEARS, 8),
    (Sector.SOCIAL_CARE, 10),
    (Sector.FOSTER_CARE, 12),
    (Sector.HEALTH, 6),
    (Sector.POLICE, 3),
    (Sector.FAITH, 3),
    (Sector.SPORT, 5),
    (Sector.VOLUNTARY, 4),
    (Sector.TRANSPORT, 4),
    (Sector.OTHER, 5),
)
ROLES = {
    Sector.EDUCATION: ("Teacher", "Teaching assistant", "Lunchtime supervisor"),
    Sector.EARLY_YEARS: ("Nursery practitioner", "Childminder"),
    Sector.SOCIAL_CARE: ("Residential care worker", "Family support worker"),
    Sector.FOSTER_CARE: ("Foster carer",),
    Sector.HEALTH: ("Nurse", "Healthcare assistant"),
    Sector.POLICE: ("Police constable",),
    Sector.FAITH: ("Youth leader",),
    Sector.SPORT: ("Football coach", "Swimming instructor"),
    Sector.VOLUNTARY: ("Volunteer",),
    Sector.TRANSPORT: ("Taxi driver", "Passenger assistant"),
    Sector.OTHER: ("Tutor",),
}
SOURCES = (
    (Source.EMPLOYER, 45),
    (Source.SOCIAL_CARE, 15),
    (Source.POLICE, 12),
    (Source.PARENT, 12),
    (Source.CHILD, 5),
    (Source.OFSTED, 4),
    (Source.HEALTH, 4),
    (Source.ANONYMOUS, 1),
    (Source.OTHER, 2),
)
OUTCOMES = (
    (Outcome.SUBSTANTIATED, 30),
    (Outcome.UNSUBSTANTIATED, 35),
    (Outcome.UNFOUNDED, 25),
    (Outcome.FALSE, 8),
    (Outcome.MALICIOUS, 2),
)
THEMES = (
    (Theme.COMMUNICATION, 25),
    (Theme.DECISIONS, 20),
    (Theme.QUALITY, 15),
    (Theme.DELAY, 12),
    (Theme.STAFF, 12),
    (Theme.PLACEMENT, 6),
    (Theme.CONTACT, 6),
    (Theme.FINANCE, 2),
    (Theme.OTHER, 2),
)
COMPLAINANTS = (
    (Complainant.PARENT, 60),
    (Complainant.CHILD, 15),
    (Complainant.CARER, 10),
    (Complainant.REPRESENTATIVE, 15),
)
STAGE_OUTCOMES = (
    (StageOutcome.UPHELD, 20),
    (StageOutcome.PARTLY_UPHELD, 30),
    (StageOutcome.NOT_UPHELD, 45),
    (StageOutcome.WITHDRAWN, 5),
)
# The share of looked-after children told about each thing at some point in their care.
TOLD_RATE = {Told.CICC: 0.85, Told.ADVOCACY: 0.8, Told.INDEPENDENT_VISITOR: 0.65}
TOLD_RATE[Told.COMPLAINTS] = 0.85

Child = tuple[int, datetime.date]  # a child's id and date of birth


def build_wider(gen: Generation, authority: Authority, child_ids: Sequence[int]) -> int:
    """Write the wider service's rows for the authority's children; the rows written."""
    n = gen.params.children
    lado = _officers(gen, "lado", Role.LADO, "Designated officer (LADO)", max(1, n // 40_000))
    complaints = _officers(
        gen, "cmp", Role.COMPLAINTS_OFFICER, "Complaints officer", max(1, n // 40_000)
    )
    children: list[Child] = [
        (pk, dob)
        for pk, dob in Person.objects.filter(pk__in=child_ids)
        .order_by("pk")
        .values_list("pk", "date_of_birth")
        if dob is not None
    ]
    referred = set(
        Referral.objects.filter(person_id__in=child_ids).values_list("person_id", flat=True)
    )
    with_referral = [c for c in children if c[0] in referred] or children
    batch = Batch.ordered(
        Allegation, AllegationChild, StrategyMeeting, Complaint, ComplaintStage, Finding, Lesson
    )
    _allegations(gen, batch, lado, children)
    _complaints(gen, batch, complaints, with_referral)
    _private_fostering(gen, batch, authority, children)
    _young_carers(gen, batch, authority, with_referral)
    looked_after = _participation(gen, batch, authority, child_ids)
    _surveys_and_council(gen, batch, authority.care[0].manager, looked_after, dict(children))
    written = gen.write(batch)
    gen.say(f"wider service: {written:,} rows written")
    return written


def _officers(gen: Generation, prefix: str, role: Role, title: str, count: int) -> list[User]:
    made = []
    for i in range(count):
        given = gen.rng.choice(names.ADULT_NAMES_FEMALE)
        made.append(
            User(
                username=f"{prefix}.{i + 1:04d}",
                first_name=given,
                last_name=names.family_name(gen.rng),
                job_title=title,
                password=make_password(None),
            )
        )
    with transaction.atomic():
        User.objects.bulk_create(made)
        saved = list(User.objects.filter(username__in=[u.username for u in made]).order_by("pk"))
        group = Group.objects.filter(name=role.value).first()
        if group is not None:
            group.user_set.add(*saved)
    gen.counts["accounts.User"] += len(saved)
    return saved


def _yearly(gen: Generation, per_1000: float, least_a_year: float) -> int:
    """How many over the period: ``per_1000`` children a year, and at least
    ``least_a_year`` a year."""
    p = gen.params
    return math.ceil(max(per_1000 * p.children / 1000, least_a_year) * p.years)


def _day(gen: Generation) -> datetime.date:
    span = (gen.params.as_at - gen.start).days
    return gen.start + datetime.timedelta(days=gen.rng.randint(0, span))


def _aged(children: Sequence[Child], day: datetime.date, youngest: int, oldest: int) -> list[int]:
    """The children aged ``youngest`` to ``oldest`` on ``day``."""
    return [
        pk for pk, dob in children if birthday(dob, youngest) <= day < birthday(dob, oldest + 1)
    ]


def _done(gen: Generation, day: datetime.date) -> datetime.date | None:
    """``day`` if it has happened by the as-at date."""
    return day if day <= gen.params.as_at else None


def _allegations(
    gen: Generation, batch: Batch, officers: list[User], children: list[Child]
) -> None:
    rng = gen.rng
    for _ in range(_yearly(gen, ALLEGATIONS_PER_1000, 6)):
        received = _day(gen)
        ages = _aged(children, received, 0, 17)
        if not ages:
            continue
        sector = weighted(rng, SECTORS)
        officer = rng.choice(officers)
        considered = _done(gen, gen.late_by(gen.working_days(received, rng.choice((0, 1))), 0.2, 4))
        threshold = considered is not None and rng.random() < 0.55
        outcome_day = (
            _done(gen, received + datetime.timedelta(days=rng.randint(20, 160)))
            if considered is not None
            else None
        )
        allegation = Allegation(
            received_date=received,
            source=weighted(rng, SOURCES),
            adult_name=f"{rng.choice(names.ADULT_NAMES_MALE + names.ADULT_NAMES_FEMALE)} "
            f"{names.family_name(rng)}",
            adult_employer=f"{names.family_name(rng)} {rng.choice(('Ltd', 'Trust', 'Club'))}",
            adult_role=rng.choice(ROLES[sector]),
            sector=sector,
            what_was_alleged="It is alleged the adult handled the child roughly.",
            initial_consideration_date=considered,
            threshold_met=threshold if considered is not None else None,
            initial_consideration_notes=(
                "Threshold met: the allegation may be a criminal offence or harm."
                if threshold
                else "Advice given to the employer; threshold not met."
            )
            if considered is not None
            else "",
            police_action="Police informed; no further action." if threshold else "",
            employer_action="Suspended pending the investigation." if threshold else "",
            outcome=weighted(rng, OUTCOMES) if outcome_day is not None else "",
            outcome_date=outcome_day,
            officer=officer,
            recorded_by=officer,
        )
        batch.add(allegation)
        for pk in rng.sample(ages, min(len(ages), weighted(rng, ((1, 8), (2, 2), (3, 1))))):
            batch.add(AllegationChild(allegation=allegation, person_id=pk))
        if threshold and considered is not None:
            meeting = _done(
                gen, gen.late_by(gen.working_days(considered, rng.randint(1, 5)), 0.2, 8)
            )
            if meeting is not None:
                batch.add(
                    StrategyMeeting(
                        allegation=allegation,
                        meeting_date=meeting,
                        attendees="LADO; police; employer's HR lead; children's social care",
                        decisions="Police to investigate; the employer to suspend meanwhile.",
                        recorded_by=officer,
                    )
                )


def _complaints(gen: Generation, batch: Batch, officers: list[User], children: list[Child]) -> None:
    rng = gen.rng
    limits = {1: (10, 20), 2: (25, 65), 3: (30, 30)}
    for _ in range(_yearly(gen, COMPLAINTS_PER_1000, 4)):
        received = _day(gen)
        ages = _aged(children, received, 0, 20)
        if not ages:
            continue
        officer = rng.choice(officers)
        complainant = weighted(rng, COMPLAINANTS)
        offered = complainant == Complainant.CHILD or rng.random() < 0.3
        complaint = Complaint(
            person_id=rng.choice(ages),
            received_date=received,
            complainant=complainant,
            complainant_name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
            theme=weighted(rng, THEMES),
            summary="Unhappy that calls to the social worker were not returned.",
            advocacy_offered=offered,
            advocacy_taken_up=offered and rng.random() < 0.5,
            officer=officer,
            recorded_by=officer,
        )
        batch.add(complaint)
        started: datetime.date | None = received
        stage = 1
        while started is not None and stage <= 3:
            normal, extended_limit = limits[stage]
            extended = stage < 3 and rng.random() < 0.15
            limit = extended_limit if extended else normal
            took = rng.randint(max(1, limit // 2), limit)
            if rng.random() < 0.15:
                took = limit + rng.randint(1, 10)  # late
            completed = _done(gen, gen.working_days(started, took))
            outcome = weighted(rng, STAGE_OUTCOMES) if completed is not None else ""
            row = ComplaintStage(
                complaint=complaint,
                stage=stage,
                started_date=started,
                extended=extended,
                extension_reason="The complainant asked to meet first." if extended else "",
                completed_date=completed,
                outcome=outcome,
                recorded_by=officer,
            )
            batch.add(row)
            if outcome in (StageOutcome.UPHELD, StageOutcome.PARTLY_UPHELD):
                batch.add(
                    Finding(
                        stage=row,
                        finding="Calls were not returned.",
                        upheld=True,
                        recorded_by=officer,
                    )
                )
                if outcome == StageOutcome.PARTLY_UPHELD:
                    batch.add(
                        Finding(
                            stage=row,
                            finding="The plan was wrong.",
                            upheld=False,
                            recorded_by=officer,
                        )
                    )
                batch.add(
                    Lesson(
                        complaint=complaint,
                        lesson="Messages for a worker on leave went unanswered.",
                        action="Out-of-office cover arranged for every team.",
                        action_due=completed + datetime.timedelta(days=60) if completed else None,
                        recorded_by=officer,
                    )
                )
            elif outcome == StageOutcome.NOT_UPHELD:
                batch.add(
                    Finding(
                        stage=row,
                        finding="The decision followed the plan.",
                        upheld=False,
                        recorded_by=officer,
                    )
                )
            escalate = {1: 0.1, 2: 0.2}.get(stage, 0.0)
            if completed is None or outcome == StageOutcome.WITHDRAWN or rng.random() >= escalate:
                break
            started = _done(gen, gen.working_days(completed, rng.randint(3, 15)))
            stage += 1


def _private_fostering(
    gen: Generation, batch: Batch, authority: Authority, children: list[Child]
) -> None:
    rng, as_at = gen.rng, gen.params.as_at
    for _ in range(_yearly(gen, PRIVATE_FOSTERING_PER_1000, 2)):
        notified = _day(gen)
        ages = _aged(children, notified, 5, 15)
        if not ages:
            continue
        staff = rng.choice(authority.assessment)
        worker = rng.choice(staff.workers)
        proposed = rng.random() < 0.2
        ends = notified + datetime.timedelta(days=rng.randint(60, 700))
        ended = _done(gen, ends)
        arrangement = Arrangement(
            person_id=rng.choice(ages),
            notified_on=notified,
            notified_by=weighted(
                rng,
                (
                    (Notifier.PROFESSIONAL, 50),
                    (Notifier.CARER, 20),
                    (Notifier.PARENT, 20),
                    (Notifier.OTHER, 10),
                ),
            ),
            proposed=proposed,
            started_on=notified + datetime.timedelta(days=14)
            if proposed
            else notified - datetime.timedelta(days=rng.randint(28, 120)),
            carer_name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
            carer_relationship=rng.choice(("Family friend", "Mother's cousin", "Host family")),
            parent_name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
            reason=rng.choice(
                ("Parent working abroad", "Attending school here", "Family breakdown")
            ),
            ended_on=ended,
            end_reason="The child went home to their parents." if ended else "",
            recorded_by=worker,
        )
        batch.add(arrangement)
        visit = _done(gen, gen.late_by(gen.working_days(notified, rng.randint(2, 7)), 0.15, 6))
        visits: list[datetime.date] = []
        while visit is not None and visit <= (ended or as_at):
            visits.append(visit)
            first_year = visit < notified + datetime.timedelta(days=365)
            gap = rng.randint(30, 42) if first_year else rng.randint(70, 84)
            if rng.random() < 0.1:
                gap += rng.randint(7, 30)
            visit = _done(gen, visit + datetime.timedelta(days=gap))
        for day in visits:
            seen = rng.random() < 0.95
            batch.add(
                ArrangementVisit(
                    arrangement=arrangement,
                    person_id=arrangement.person_id,
                    visit_date=day,
                    child_seen=seen,
                    child_seen_alone=seen and rng.random() < 0.8,
                    observations="The child's room is clean; they have their own bed.",
                    child_views="Happy here; misses mum." if seen else "",
                    recorded_by=worker,
                )
            )
        decided = _done(gen, gen.late_by(gen.working_days(notified, rng.randint(20, 42)), 0.2, 20))
        if visits and decided is not None and decided >= visits[0]:
            arrangement.decision = weighted(
                rng,
                (
                    (Decision.SUITABLE, 80),
                    (Decision.SUITABLE_WITH_REQUIREMENTS, 15),
                    (Decision.NOT_SUITABLE, 5),
                ),
            )
            arrangement.decision_date = decided
            arrangement.decision_reasons = "The carer is known to the school and checks are clear."
            arrangement.decided_by = staff.manager


def _young_carers(
    gen: Generation, batch: Batch, authority: Authority, children: list[Child]
) -> None:
    rng = gen.rng
    for _ in range(_yearly(gen, YOUNG_CARERS_PER_1000, 3)):
        identified = _day(gen)
        ages = _aged(children, identified, 8, 17)
        if not ages:
            continue
        staff = rng.choice(authority.cin)
        worker = rng.choice(staff.workers)
        assessed = _done(
            gen, gen.late_by(gen.working_days(identified, rng.randint(15, 45)), 0.2, 30)
        )
        needs = assessed is not None and rng.random() < 0.7
        person_id = rng.choice(ages)
        assessment = YoungCarerAssessment(
            person_id=person_id,
            identified_on=identified,
            cares_for=rng.choice(("Mum", "Dad", "Younger brother", "Grandmother")),
            caring_role="Helps with shopping, cooking and medication.",
            assessed_on=assessed,
            needs_support=needs if assessed is not None else None,
            outcome="Support from the young carers' service." if needs else "",
            recorded_by=worker,
        )
        batch.add(assessment)
        if needs and assessed is not None:
            batch.add(
                YoungCarerSupport(
                    assessment=assessment,
                    person_id=person_id,
                    support=rng.choice(("Young carers' group", "Respite for mum", "Mentoring")),
                    provider="Young carers' service",
                    started_on=min(gen.params.as_at, assessed + datetime.timedelta(days=14)),
                    recorded_by=worker,
                )
            )


def _participation(
    gen: Generation, batch: Batch, authority: Authority, child_ids: Sequence[int]
) -> dict[int, datetime.date]:
    """For each child who was looked after: what they were told and when (at their first
    review, about 20 working days after coming into care, or later), and some advocacy
    referrals and independent visitor matches."""
    rng, as_at = gen.rng, gen.params.as_at
    first_day: dict[int, datetime.date] = {}
    for person_id, start in (
        Episode.objects.filter(person_id__in=child_ids)
        .order_by("person_id", "start_date", "pk")
        .values_list("person_id", "start_date")
    ):
        first_day.setdefault(person_id, start)
    workers = [w for staff in authority.care for w in staff.workers]
    for person_id, start in first_day.items():
        worker = rng.choice(workers)
        for subject, rate in TOLD_RATE.items():
            if rng.random() < rate:
                told = _done(gen, gen.working_days(start, rng.choice((20, 20, 60, 120))))
                if told is not None:
                    batch.add(
                        ParticipationRecord(
                            person_id=person_id,
                            kind=ParticipationKind.TOLD,
                            subject=subject,
                            on=told,
                            note="At the child's review.",
                            recorded_by=worker,
                        )
                    )
        for kind, rate, who in (
            (ParticipationKind.ADVOCACY_REFERRAL, 0.2, "Independent advocacy service"),
            (ParticipationKind.VISITOR_MATCH, 0.07, "Independent visitor scheme"),
        ):
            if rng.random() < rate:
                day = _done(gen, start + datetime.timedelta(days=rng.randint(30, 300)))
                if day is not None and day <= as_at:
                    batch.add(
                        ParticipationRecord(
                            person_id=person_id, kind=kind, on=day, who=who, recorded_by=worker
                        )
                    )
    return first_day


ATTENDED = CouncilMeeting.attended.through
SURVEY_QUESTIONS = (
    "I feel safe where I live",
    "My social worker listens to me",
    "I know how to complain",
    "I have a trusted adult",
    "I get to see my family enough",
)


def _surveys_and_council(
    gen: Generation,
    batch: Batch,
    owner: User,
    looked_after: dict[int, datetime.date],
    born: dict[int, datetime.date],
) -> None:
    """A survey each year of the period (the same questions, so the trend shows) answered by
    about a third of the children looked after then, scores a little better each year; and a
    Children in Care Council of up to ten of them, meeting monthly in the last year."""
    rng, as_at = gen.rng, gen.params.as_at
    for year in range(gen.params.years):
        opened = years_before(as_at, gen.params.years - year - 1) - datetime.timedelta(days=60)
        if opened < gen.start:
            continue
        survey = Survey(
            title=f"Children's views survey {opened.year}",
            opened_on=opened,
            closed_on=_done(gen, opened + datetime.timedelta(days=42)),
            what_changed="Leaflets on how to complain given at every review; the CiCC chose "
            "the new independent advocacy provider."
            if year < gen.params.years - 1
            else "",
            created_by=owner,
        )
        batch.add(survey)
        questions = [
            SurveyQuestion(survey=survey, number=n, text=t)
            for n, t in enumerate(SURVEY_QUESTIONS, 1)
        ]
        for question in questions:
            batch.add(question)
        here = [pk for pk, start in looked_after.items() if start <= opened]
        for pk in rng.sample(here, len(here) // 3):
            day = min(as_at, opened + datetime.timedelta(days=rng.randint(0, 40)))
            age = (day - born[pk]).days // 365 if pk in born else 12
            group = (
                AgeGroup.UNDER_11
                if age < 11
                else AgeGroup.ELEVEN_TO_15
                if age < 16
                else AgeGroup.SIXTEEN_TO_17
                if age < 18
                else AgeGroup.CARE_LEAVER
            )
            response = SurveyResponse(
                survey=survey, responded_on=day, age_group=group, recorded_by=owner
            )
            batch.add(response)
            for question in questions:
                if rng.random() < 0.9:
                    score = min(5, max(1, round(rng.gauss(3.2 + 0.2 * year, 1))))
                    batch.add(SurveyAnswer(response=response, question=question, score=score))
    members = []
    candidates = sorted(
        pk for pk in looked_after if pk in born and (as_at - born[pk]).days > 12 * 365
    )
    for pk in rng.sample(candidates, min(10, len(candidates))):
        joined = max(looked_after[pk], as_at - datetime.timedelta(days=rng.randint(60, 700)))
        member = CouncilMember(person_id=pk, joined_on=joined, recorded_by=owner)
        batch.add(member)
        members.append(member)
    meeting_day = as_at - datetime.timedelta(days=360)
    while members and meeting_day <= as_at:
        meeting = CouncilMeeting(
            meeting_on=meeting_day, notes="Planned the care leavers' event.", recorded_by=owner
        )
        batch.add(meeting)
        for member in members:
            if member.joined_on <= meeting_day and rng.random() < 0.7:
                batch.add(ATTENDED(councilmeeting=meeting, councilmember=member))
        meeting_day += datetime.timedelta(days=28)
