"""Timescales for case audits and IRO challenges: all local standards.

The stages of an IRO's challenge and the time each allows are set by each authority's own
dispute resolution protocol. The IRO Handbook (2010, paragraph 6.2) asks each authority for a
formal process escalating through levels of seniority, with a timescale for a response at each
stage, the formal stages together taking no more than 20 working days, and lets the IRO bypass
any stage. The intervals here are typical of published local protocols (four formal stages of
five working days); an administrator changes them on the local standards page.
"""

from __future__ import annotations

from caseline.apps.quality.models import ChallengeStage
from caseline.apps.timescales.rules import Basis, Certainty, Interval, TimescaleRule

_PROTOCOL = (
    "Local standard: the authority's IRO dispute resolution protocol (IRO Handbook 2010, "
    "paragraph 6.2: a timescale at each stage, the formal stages within 20 working days in all)"
)
_PROTOCOL_NOTE = (
    "Not checked against the Handbook itself: its paragraph 6.2 as quoted in published local "
    "procedures (Southwark's). Each stage's time is set by the authority's own protocol."
)


def _stage_rule(code: str, stage: str, who: str, interval: Interval) -> TimescaleRule:
    return TimescaleRule(
        code=code,
        title=f"IRO challenge: {stage.lower()}",
        trigger=f"The IRO raises the challenge at this stage with {who}",
        completed_by="The challenge is resolved, or the IRO escalates it to the next stage",
        interval=interval,
        source=_PROTOCOL,
        basis=Basis.LOCAL_STANDARD,
        certainty=Certainty.UNCHECKED,
        certainty_note=_PROTOCOL_NOTE,
    )


CHALLENGE_INFORMAL = _stage_rule(
    "iro-challenge-informal",
    ChallengeStage.INFORMAL.label,
    "the social worker or team manager",
    Interval.working_days(5),
)
CHALLENGE_STAGE_1 = _stage_rule(
    "iro-challenge-stage-1",
    ChallengeStage.STAGE_1.label,
    "the team manager",
    Interval.working_days(5),
)
CHALLENGE_STAGE_2 = _stage_rule(
    "iro-challenge-stage-2",
    ChallengeStage.STAGE_2.label,
    "the service manager",
    Interval.working_days(5),
)
CHALLENGE_STAGE_3 = _stage_rule(
    "iro-challenge-stage-3",
    ChallengeStage.STAGE_3.label,
    "the head of service",
    Interval.working_days(5),
)
CHALLENGE_STAGE_4 = _stage_rule(
    "iro-challenge-stage-4",
    ChallengeStage.STAGE_4.label,
    "the director of children's services",
    Interval.working_days(5),
)

# The rule for each stage of a challenge.
CHALLENGE_RULES: dict[str, TimescaleRule] = {
    ChallengeStage.INFORMAL: CHALLENGE_INFORMAL,
    ChallengeStage.STAGE_1: CHALLENGE_STAGE_1,
    ChallengeStage.STAGE_2: CHALLENGE_STAGE_2,
    ChallengeStage.STAGE_3: CHALLENGE_STAGE_3,
    ChallengeStage.STAGE_4: CHALLENGE_STAGE_4,
}

AUDIT_REFLECTION = TimescaleRule(
    code="audit-reflection",
    title="Worker's reflection on a case audit",
    trigger="The auditor submits the audit of the child's record",
    completed_by="The audited worker adds their reflection to the audit",
    interval=Interval.working_days(10),
    source="Local standard (the authority's quality assurance framework; set locally)",
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.UNCHECKED,
    certainty_note="Not checked: no national timescale exists; each authority sets its own.",
)

AUDIT_ACTION = TimescaleRule(
    code="audit-action",
    title="Action from a case audit",
    trigger="The auditor sets the action (the by-when date given, or this long after)",
    completed_by="The action's owner marks it done",
    interval=Interval.working_days(20),
    source="Local standard (the authority's quality assurance framework; set locally)",
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: the auditor sets each action's date; this is the default when they "
        "give none, and each authority sets its own."
    ),
)

RULES = (
    AUDIT_REFLECTION,
    AUDIT_ACTION,
    CHALLENGE_INFORMAL,
    CHALLENGE_STAGE_1,
    CHALLENGE_STAGE_2,
    CHALLENGE_STAGE_3,
    CHALLENGE_STAGE_4,
)
