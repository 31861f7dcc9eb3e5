"""Timescales of the children's social care complaints procedure: ``RULES``.

The Children Act 1989 Representations Procedure (England) Regulations 2006 (SI 2006/1738),
with the statutory guidance "Getting the best from complaints" (DfES, 2006). A working day
there is any day but a weekend, Christmas Day, Boxing Day, Good Friday or a bank holiday
(regulation 2), which is the working-day calendar the catalogue counts with. Each stage's
clock starts on the day the complaint (or the request for the next stage) is received.
"""

from __future__ import annotations

from caseline.apps.timescales.rules import Basis, Certainty, Interval, TimescaleRule

_REGS = "Children Act 1989 Representations Procedure (England) Regulations 2006"
_SECONDARY = (
    "Seen in secondary sources only (Family Rights Group's guide to the complaints procedure; "
    "councils' published procedures such as Bexley's and Devon's); the regulation's own text "
    "was not read. Check the regulation before relying on it."
)

STAGE_1 = TimescaleRule(
    code="complaint-stage-1",
    title="Complaint: stage 1 response (local resolution)",
    trigger="The complaint is received",
    completed_by="The written response to the complainant is sent",
    interval=Interval.working_days(10),
    source=f"{_REGS}, regulation 14; Getting the best from complaints (2006)",
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_SECONDARY,
)

STAGE_1_EXTENDED = TimescaleRule(
    code="complaint-stage-1-extended",
    title="Complaint: stage 1 response, extended",
    trigger="The complaint is received (the response time extended, for a complex complaint)",
    completed_by="The written response to the complainant is sent",
    interval=Interval.working_days(20),
    source=f"{_REGS}, regulation 14; Getting the best from complaints (2006)",
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_SECONDARY,
)

STAGE_2 = TimescaleRule(
    code="complaint-stage-2",
    title="Complaint: stage 2 investigation",
    trigger="The request for a stage 2 investigation is received",
    completed_by="The response to the investigation is sent",
    interval=Interval.working_days(25),
    source=f"{_REGS}, regulation 17; Getting the best from complaints (2006)",
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_SECONDARY,
)

STAGE_2_EXTENDED = TimescaleRule(
    code="complaint-stage-2-extended",
    title="Complaint: stage 2 investigation, extended",
    trigger="The request for a stage 2 investigation is received (the time extended)",
    completed_by="The response to the investigation is sent",
    interval=Interval.working_days(65),
    source=f"{_REGS}, regulation 17; Getting the best from complaints (2006)",
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_SECONDARY,
)

STAGE_3 = TimescaleRule(
    code="complaint-stage-3-panel",
    title="Complaint: stage 3 review panel meets",
    trigger="The request for a review panel is received",
    completed_by="The review panel meets",
    interval=Interval.working_days(30),
    source=f"{_REGS}, regulation 19(4)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes="Checked against regulation 19(4) as made, on legislation.gov.uk (SI 2006/1738).",
)

RULES = (STAGE_1, STAGE_1_EXTENDED, STAGE_2, STAGE_2_EXTENDED, STAGE_3)


def rule_code_for(stage: int, extended: bool) -> str:
    """The code of the rule a stage is judged by."""
    if stage == 1:
        return (STAGE_1_EXTENDED if extended else STAGE_1).code
    if stage == 2:
        return (STAGE_2_EXTENDED if extended else STAGE_2).code
    return STAGE_3.code
