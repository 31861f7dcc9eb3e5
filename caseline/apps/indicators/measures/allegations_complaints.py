"""Allegations against adults who work with children (LD1 to LD4) and complaints (CO1 to CO4),
the figures of the two annual reports as indicators (issue 21).

Which children an allegation or a complaint names is for its officer alone: each indicator
here carries a ``drill_permission`` (``LADO_MANAGE``, ``COMPLAINTS_MANAGE``), so anyone else
sees the figures but not the children behind them (``queries.drill_down``). No row names the
adult, the complainant or what was alleged; an allegation's row is its reference.

An allegation with several children is counted once, under the child with the lowest record
id (its row says how many others it names), so the figures count allegations, not children.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Min

from caseline.apps.accounts.permissions import Permission
from caseline.apps.complaints import timescales as complaint_timescales
from caseline.apps.complaints.models import (
    Complaint,
    ComplaintStage,
    Stage,
    StageOutcome,
)
from caseline.apps.indicators.engine import Area, Context, Counted, Indicator, Kind
from caseline.apps.lado import timescales as lado_timescales
from caseline.apps.lado.models import Allegation, Outcome, Sector, Source
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import CATALOGUE, TimelinessStatus, assess_timeliness

WORKING_TOGETHER = (
    "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"
)
REGULATIONS_2006 = "https://www.legislation.gov.uk/uksi/2006/1738/contents/made"
DONE = {TimelinessStatus.COMPLETED_ON_TIME, TimelinessStatus.COMPLETED_LATE}
DUE = {TimelinessStatus.OVERDUE, *DONE}


def _allegations(
    context: Context, **by_date: tuple[datetime.date, datetime.date]
) -> list[Allegation]:
    """The allegations with ``by_date`` (a date field's range) naming at least one child, each
    with its first child, how many it names and its first strategy meeting."""
    period = context.period

    def load() -> list[Allegation]:
        return list(
            Allegation.objects.filter(**{f"{key}__range": value for key, value in by_date.items()})
            .annotate(
                child=Min("children__person_id"),
                named=Count("children", distinct=True),
                first_meeting=Min("strategy_meetings__meeting_date"),
            )
            .filter(child__isnull=False)
            .only(
                "id",
                "received_date",
                "source",
                "sector",
                "initial_consideration_date",
                "threshold_met",
                "outcome",
                "outcome_date",
            )
            .order_by("received_date", "id")
        )

    key = f"lado:{sorted(by_date.items())}:{period.start}:{period.end}"
    return context.shared(key, load)  # type: ignore[return-value]


def _what(allegation: Allegation) -> str:
    others = allegation.named - 1  # type: ignore[attr-defined]
    more = f" (and {others} other child{'ren' if others > 1 else ''})" if others else ""
    return f"{allegation.reference} received {allegation.received_date:%d/%m/%Y}{more}"


def _received(context: Context) -> list[Allegation]:
    return _allegations(context, received_date=(context.period.start, context.period.end))


def allegations_by_sector(context: Context) -> Iterator[Counted]:
    for allegation in _received(context):
        yield Counted(
            allegation.child,  # type: ignore[attr-defined]
            True,
            (("Received", allegation.received_date),),
            group=Sector(allegation.sector).label if allegation.sector in Sector.values else "",
            what=_what(allegation),
        )


def allegations_by_source(context: Context) -> Iterator[Counted]:
    for allegation in _received(context):
        yield Counted(
            allegation.child,  # type: ignore[attr-defined]
            True,
            (("Received", allegation.received_date),),
            group=Source(allegation.source).label if allegation.source in Source.values else "",
            what=_what(allegation),
        )


def allegations_substantiated(context: Context) -> Iterator[Counted]:
    concluded = _allegations(
        context, outcome_date=(context.period.start, min(context.period.end, context.as_at))
    )
    for allegation in concluded:
        yield Counted(
            allegation.child,  # type: ignore[attr-defined]
            allegation.outcome == Outcome.SUBSTANTIATED,
            (("Received", allegation.received_date), ("Outcome", allegation.outcome_date)),
            group=Outcome(allegation.outcome).label if allegation.outcome else "",
            what=_what(allegation),
        )


def allegation_stages_on_time(context: Context) -> Iterator[Counted]:
    """Each timed step of the allegations received in the period that was done or overdue
    by the as-at date: the initial consideration and, where the threshold was met, the first
    strategy meeting."""
    as_at = context.as_at
    rules = rules_in_force(
        [lado_timescales.INITIAL_CONSIDERATION.code, lado_timescales.STRATEGY_MEETING.code]
    )
    initial_rule = rules[lado_timescales.INITIAL_CONSIDERATION.code]
    meeting_rule = rules[lado_timescales.STRATEGY_MEETING.code]
    for allegation in _received(context):
        considered = allegation.initial_consideration_date
        steps = [
            ("Initial consideration", allegation.received_date, initial_rule, considered),
        ]
        if allegation.threshold_met and considered is not None and considered <= as_at:
            first = allegation.first_meeting  # type: ignore[attr-defined]
            steps.append(("First strategy meeting", considered, meeting_rule, first))
        for name, start, rule, done in steps:
            due = rule.due_date(start)
            done = done if done is not None and done <= as_at else None
            timeliness = assess_timeliness(due, done, as_at)
            if timeliness.status not in DUE:
                continue
            yield Counted(
                allegation.child,  # type: ignore[attr-defined]
                timeliness.status is TimelinessStatus.COMPLETED_ON_TIME,
                (("From", start), ("Due", due), ("Done", done)),
                group=name,
                what=f"{name}: {_what(allegation)}",
            )


def _stages(context: Context, field: str) -> list[ComplaintStage]:
    period = context.period
    end = min(period.end, context.as_at)

    def load() -> list[ComplaintStage]:
        return list(
            ComplaintStage.objects.filter(**{f"{field}__range": (period.start, end)})
            .select_related("complaint")
            .only(
                "id",
                "stage",
                "started_date",
                "extended",
                "completed_date",
                "outcome",
                "complaint__id",
                "complaint__person_id",
            )
            .order_by(field, "id")
        )

    return context.shared(f"complaints:{field}:{period.start}:{end}", load)  # type: ignore[return-value]


def _stage_what(stage: ComplaintStage) -> str:
    return f"{stage.complaint.reference}, stage {stage.stage}"


def _stage_label(stage: ComplaintStage) -> str:
    return Stage(stage.stage).label


def stages_started(context: Context) -> Iterator[Counted]:
    for stage in _stages(context, "started_date"):
        yield Counted(
            stage.complaint.person_id,
            True,
            (("Started", stage.started_date),),
            group=_stage_label(stage),
            what=_stage_what(stage),
        )


def stages_in_time(context: Context) -> Iterator[Counted]:
    for stage in _stages(context, "completed_date"):
        code = complaint_timescales.rule_code_for(stage.stage, stage.extended)
        rule = CATALOGUE.in_force(code, stage.started_date) or CATALOGUE.get(code)
        due = rule.due_date(stage.started_date)
        timeliness = assess_timeliness(due, stage.completed_date, context.as_at)
        yield Counted(
            stage.complaint.person_id,
            timeliness.status is TimelinessStatus.COMPLETED_ON_TIME,
            (("Started", stage.started_date), ("Due", due), ("Completed", stage.completed_date)),
            group=_stage_label(stage),
            what=_stage_what(stage) + (" (extended)" if stage.extended else ""),
        )


def stages_upheld(context: Context) -> Iterator[Counted]:
    for stage in _stages(context, "completed_date"):
        if stage.outcome in ("", StageOutcome.WITHDRAWN):
            continue
        yield Counted(
            stage.complaint.person_id,
            stage.outcome in (StageOutcome.UPHELD, StageOutcome.PARTLY_UPHELD),
            (("Completed", stage.completed_date),),
            group=StageOutcome(stage.outcome).label,
            what=_stage_what(stage),
        )


def advocacy_offered(context: Context) -> Iterator[Counted]:
    period = context.period
    complaints = Complaint.objects.filter(received_date__range=(period.start, period.end)).only(
        "id", "person_id", "received_date", "advocacy_offered", "advocacy_taken_up"
    )
    for complaint in complaints.order_by("received_date", "id"):
        if not complaint.advocacy_offered:
            group = "Not offered"
        elif complaint.advocacy_taken_up:
            group = "Offered and taken up"
        else:
            group = "Offered, not taken up"
        yield Counted(
            complaint.person_id,
            complaint.advocacy_offered,
            (("Received", complaint.received_date),),
            group=group,
            what=f"{complaint.reference} received {complaint.received_date:%d/%m/%Y}",
        )


_LADO_SOURCE = "Working Together to Safeguard Children 2023, chapter 2; the annual LADO report"

ALLEGATIONS_BY_SECTOR = Indicator(
    code="LD1",
    name="Allegations against adults received, by sector",
    kind=Kind.COUNT,
    definition="Allegations against adults who work with children that the designated officer "
    "received in the period, by the sector the adult works in.",
    numerator="Allegations received in the period",
    denominator="-",
    source=_LADO_SOURCE,
    compute=allegations_by_sector,
    groups="Sector",
    area=Area.ALLEGATIONS,
    unit="allegations",
    source_url=WORKING_TOGETHER,
    drill_permission=Permission.LADO_MANAGE,
)

ALLEGATIONS_BY_SOURCE = Indicator(
    code="LD2",
    name="Allegations against adults received, by source",
    kind=Kind.COUNT,
    definition="Allegations received in the period, by who brought them to the designated officer.",
    numerator="Allegations received in the period",
    denominator="-",
    source=_LADO_SOURCE,
    compute=allegations_by_source,
    groups="Source",
    area=Area.ALLEGATIONS,
    unit="allegations",
    source_url=WORKING_TOGETHER,
    drill_permission=Permission.LADO_MANAGE,
)

ALLEGATIONS_SUBSTANTIATED = Indicator(
    code="LD3",
    name="Allegations concluded as substantiated",
    kind=Kind.PERCENTAGE,
    definition="Of the allegations whose outcome was recorded in the period, the share "
    "substantiated; the breakdown gives every outcome (substantiated, unsubstantiated, false, "
    "malicious, unfounded).",
    numerator="Allegations concluded as substantiated",
    denominator="Allegations whose outcome is dated in the period",
    source=f"{_LADO_SOURCE}; the outcome definitions of Keeping children safe in education",
    compute=allegations_substantiated,
    groups="Outcome",
    area=Area.ALLEGATIONS,
    unit="allegations",
    source_url=WORKING_TOGETHER,
    drill_permission=Permission.LADO_MANAGE,
)

ALLEGATION_STAGES_ON_TIME = Indicator(
    code="LD4",
    name="Allegation stages on time",
    kind=Kind.PERCENTAGE,
    definition="Of the timed steps of the allegations received in the period that were done or "
    "overdue by the as-at date (the initial consideration; the first strategy meeting where "
    "the threshold was met), the share done on time, by the authority's standards.",
    numerator="Steps done on or before their due date",
    denominator="Steps done, or overdue, by the as-at date",
    source=_LADO_SOURCE,
    compute=allegation_stages_on_time,
    higher_is_better=True,
    groups="Step",
    day_counting="Working days, England and Wales bank holidays; receipt (or the initial "
    "consideration) is day 0",
    unverified="The days are local standards (timescales lado-initial-consideration and "
    "lado-strategy-meeting); Working Together sets no number of days.",
    area=Area.ALLEGATIONS,
    unit="allegations",
    source_url=WORKING_TOGETHER,
    drill_permission=Permission.LADO_MANAGE,
)

_COMPLAINTS_SOURCE = "Children Act 1989 Representations Procedure (England) Regulations 2006"

STAGES_STARTED = Indicator(
    code="CO1",
    name="Complaint stages started, by stage",
    kind=Kind.COUNT,
    definition="Stages of the children's social care complaints procedure started in the "
    "period (stage 1 on receipt, stages 2 and 3 on the complainant's request), by stage.",
    numerator="Stages started in the period",
    denominator="-",
    unit="stages",
    source=_COMPLAINTS_SOURCE,
    compute=stages_started,
    groups="Stage",
    area=Area.COMPLAINTS,
    source_url=REGULATIONS_2006,
    drill_permission=Permission.COMPLAINTS_MANAGE,
)

STAGES_IN_TIME = Indicator(
    code="CO2",
    name="Complaint stages completed in timescale",
    kind=Kind.PERCENTAGE,
    definition="Of the stages completed in the period, the share completed within their "
    "timescale (10 working days at stage 1, 20 if extended; 25 at stage 2, 65 if extended; "
    "the panel within 30 at stage 3).",
    numerator="Stages completed on or before their due date",
    denominator="Stages completed in the period",
    unit="stages",
    source=f"{_COMPLAINTS_SOURCE}, regulations 14, 17 and 19(4)",
    compute=stages_in_time,
    higher_is_better=True,
    groups="Stage",
    day_counting="Working days as regulation 2 defines them; the day received is day 0",
    unverified="Stages 1 and 2's days read in secondary sources only (see the timescale "
    "catalogue).",
    area=Area.COMPLAINTS,
    source_url=REGULATIONS_2006,
    drill_permission=Permission.COMPLAINTS_MANAGE,
)

STAGES_UPHELD = Indicator(
    code="CO3",
    name="Complaint stages upheld",
    kind=Kind.PERCENTAGE,
    definition="Of the stages completed in the period with an outcome (withdrawn apart), the "
    "share upheld in full or in part.",
    numerator="Stages upheld or partly upheld",
    denominator="Stages completed in the period, withdrawn apart",
    unit="stages",
    source=_COMPLAINTS_SOURCE,
    compute=stages_upheld,
    groups="Outcome",
    area=Area.COMPLAINTS,
    source_url=REGULATIONS_2006,
    drill_permission=Permission.COMPLAINTS_MANAGE,
)

ADVOCACY_OFFERED = Indicator(
    code="CO4",
    name="Complaints with advocacy offered",
    kind=Kind.PERCENTAGE,
    definition="Of the complaints received in the period, the share where the complainant was "
    "offered advocacy; the breakdown says whether it was taken up.",
    numerator="Complaints with advocacy offered",
    denominator="Complaints received in the period",
    unit="complaints",
    source=f"{_COMPLAINTS_SOURCE}; Children Act 1989 s.26A (advocacy services)",
    compute=advocacy_offered,
    higher_is_better=True,
    groups="Advocacy",
    area=Area.COMPLAINTS,
    source_url=REGULATIONS_2006,
    drill_permission=Permission.COMPLAINTS_MANAGE,
)

INDICATORS = (
    ALLEGATIONS_BY_SECTOR,
    ALLEGATIONS_BY_SOURCE,
    ALLEGATIONS_SUBSTANTIATED,
    ALLEGATION_STAGES_ON_TIME,
    STAGES_STARTED,
    STAGES_IN_TIME,
    STAGES_UPHELD,
    ADVOCACY_OFFERED,
)
