"""Demo data: Wirral's 2011 inspection and the council's action plan as its update report to
the Children and Young People's Overview and Scrutiny Committee (20 September 2011) describes
it up to 31 August 2011 (both public documents, in ``/work/shared/seeds/``).

The update report gives the plan's numbering (actions 13 to 56), which actions sit under which
area for improvement, which were achieved, delayed or revised and to when; it does not
reproduce the plan itself. Where it does not give an action's wording, owner or first target
date, the demo says so in the action's text ("wording not in the seed report"), names no
owner, and takes 1 September 2011 as the first target (the date the report says the third
area's actions were revised from). Where it says only how many of a group were achieved
(one of actions 25 to 28; twelve of 39 to 56), the demo takes the first ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caseline.apps.accounts.models import User
from caseline.apps.inspection import actions
from caseline.apps.inspection.models import ImprovementArea, Inspection, PlanAction, ReportImport
from caseline.apps.inspection.reader import read_report

Status = PlanAction.Status
PLAN_ENTERED = datetime.date(2011, 6, 1)  # the plan went to the committee on 1 June 2011
FIRST_TARGET = datetime.date(2011, 9, 1)
AS_AT = datetime.date(2011, 8, 31)
OWNER = "Not named in the seed report"
UNKNOWN = "wording not in the seed report"


@dataclass(frozen=True)
class DemoAction:
    number: int
    text: str
    status: str
    note: str = ""
    target: datetime.date = FIRST_TARGET
    revised_to: datetime.date | None = None
    reason: str = ""


def _unknown(number: int) -> str:
    return f"Action {number} ({UNKNOWN})"


SEPT_15 = datetime.date(2011, 9, 15)
SEPT_22 = datetime.date(2011, 9, 22)
SEPT_30 = datetime.date(2011, 9, 30)
NOV_1 = datetime.date(2011, 11, 1)
VIEWS_REASON = "Revised from 1 September to 30 September for completion"
PEP_REASON = "To coincide with the PEP workshop for social care staff and partners (action 36)"
RECORDING_REASON = "Processes still being embedded in case recording and decision making"

# By area for improvement, in the order the report sets them (index into its areas).
PLAN: dict[int, list[DemoAction]] = {
    0: [
        DemoAction(
            13,
            "Revise the initial and core assessment practice guidance to confirm what the "
            "analysis section should include",
            Status.ACHIEVED,
            "Guidance revised; staff instructed to comply; further training and support given",
        )
    ],
    1: [
        DemoAction(14, _unknown(14), Status.ACHIEVED, "Achieved within the date set"),
        DemoAction(15, _unknown(15), Status.ACHIEVED, "Achieved within the date set"),
        DemoAction(
            16,
            "Establish the post of ICS/ESCR Training / Project Manager",
            Status.DELAYED,
            "Delayed",
            revised_to=SEPT_15,
            reason="Post not yet established; expected by 15 September",
        ),
        DemoAction(17, _unknown(17), Status.ACHIEVED, "Achieved within the date set"),
    ],
    2: [
        DemoAction(18, _unknown(18), Status.ON_TRACK, revised_to=SEPT_30, reason=VIEWS_REASON),
        DemoAction(
            19,
            "Teams to have equality and diversity (identity) as a standing item on their team "
            "meeting agendas",
            Status.ACHIEVED,
            "Complete",
        ),
        *(
            DemoAction(n, _unknown(n), Status.ON_TRACK, revised_to=SEPT_30, reason=VIEWS_REASON)
            for n in range(20, 24)
        ),
    ],
    3: [
        DemoAction(
            24,
            "Devise and implement the Children in Care Council's communication plan",
            Status.ACHIEVED,
            "Communication plan devised and implemented",
        )
    ],
    4: [
        DemoAction(
            25,
            "Provide an up to date pen picture of each child, to be updated regularly",
            Status.ACHIEVED,
            "Pen picture in place",
        ),
        *(
            DemoAction(
                n,
                f"Embed processes so that case recording and decisions on cases are clear "
                f"(action {n}; {UNKNOWN})",
                Status.ON_TRACK,
                revised_to=SEPT_30,
                reason=RECORDING_REASON,
            )
            for n in range(26, 29)
        ),
    ],
    5: [
        *(
            DemoAction(
                n,
                f"Develop foster carers' skills to support the children placed with them in "
                f"their studies (action {n}; {UNKNOWN})",
                Status.ACHIEVED,
                "Completed within timescales",
            )
            for n in (29, 30)
        ),
        *(
            DemoAction(n, _unknown(n), Status.ON_TRACK, "On track", target=NOV_1)
            for n in range(31, 35)
        ),
    ],
    6: [
        DemoAction(
            35,
            "Re-launch the guidance for personal education plans (PEPs)",
            Status.ON_TRACK,
            revised_to=SEPT_22,
            reason=PEP_REASON,
        ),
        DemoAction(
            36,
            "Deliver a PEP workshop to social care staff and partners",
            Status.ON_TRACK,
            "Workshop arranged",
            target=SEPT_22,
        ),
        DemoAction(
            37,
            "Establish a development plan within the Pathway Team to improve how pathway "
            "plans develop the economic well-being of care leavers",
            Status.ACHIEVED,
            "Development plan in place",
        ),
        DemoAction(
            38,
            "Develop an understanding amongst social care staff of the framework for attainment",
            Status.ON_TRACK,
            revised_to=SEPT_22,
            reason=PEP_REASON,
        ),
    ],
}
FROM_THE_BODY = [
    *(DemoAction(n, _unknown(n), Status.ACHIEVED, "Complete") for n in range(39, 51)),
    *(DemoAction(n, _unknown(n), Status.ON_TRACK, "On course") for n in (51, 52, 54, 55, 56)),
    DemoAction(53, "Appoint an Employability Officer using ESF funding", Status.DELAYED, "Delayed"),
]


def load_wirral_2011(*, acting_user: User, report_text: str) -> Inspection:
    """Import and confirm the 2011 report as read, then enter the plan and its progress up to
    31 August 2011. Every write goes through the app's actions, so each is audited."""
    reading = read_report(report_text)
    if reading.flags or len(reading.areas_for_improvement) != len(PLAN):
        raise ValueError("The file does not read as the Wirral 2011 report")
    report_import: ReportImport = actions.import_report(
        acting_user=acting_user,
        file_name="wirral-2011-safeguarding-and-lac-inspection.txt",
        text=report_text,
    )
    inspection = actions.confirm_import(
        acting_user=acting_user, report_import=report_import, reading=reading
    )
    areas = list(inspection.areas.order_by("position"))
    body = actions.add_area(
        acting_user=acting_user,
        inspection=inspection,
        kind=ImprovementArea.Kind.COUNCIL,
        text="Actions identified from the review of the text of the Ofsted report",
    )
    for index, planned in sorted(PLAN.items()):
        for item in planned:
            _enter(acting_user, areas[index], item)
    for item in sorted(FROM_THE_BODY, key=lambda a: a.number):
        _enter(acting_user, body, item)
    return inspection


def _enter(acting_user: User, area: ImprovementArea, item: DemoAction) -> None:
    action = actions.add_plan_action(
        acting_user=acting_user,
        area=area,
        number=item.number,
        text=item.text,
        owner=OWNER,
        target_date=item.target,
        created_on=PLAN_ENTERED,
    )
    actions.record_progress(
        acting_user=acting_user,
        action=action,
        entry_date=AS_AT,
        status=item.status,
        note=item.note,
        revised_target_date=item.revised_to,
        revision_reason=item.reason,
    )
