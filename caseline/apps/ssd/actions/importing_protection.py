"""Importing a child's child protection record from an SSD extract: section 47 enquiries,
initial and transfer-in conferences with the plans they started, review conferences, visits
and plans' ends.

Called for each child of a family (``import_protection``) once the child's referrals are in,
inside the family's savepoint, by ``importing._Importer``. The SSD carries these records'
dates, outcomes and categories but not who took part, who chaired or the text Caseline asks
for, so they are recorded through the protection actions for records held in another system
(ADR 0036): no strategy discussion or chair is invented, participation is left unrecorded, and
the text is "Not in the SSD extract imported from <system>.". Every rule those actions check
at entry (dates, categories, the order of enquiry, conference, plan, reviews and visits, CIN
census rule 8868) applies; a refusal is reported at the file, row and column.

A child's conferences are imported in the order they were held, each with its plan, then the
plan's visits and reviews in date order (a visit before a review on the same day), then the
plan's end when no review ended it; so one plan is open at a time, as on the pages.
"""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from caseline.apps.protection import actions as protection
from caseline.apps.protection.models import (
    Conference,
    ProtectionPlan,
    Section47Enquiry,
)
from caseline.apps.ssd.tables import S47_OUTCOME_FLAGS
from caseline.apps.ssd.validate import Problem

if TYPE_CHECKING:
    from caseline.apps.people.models import Person
    from caseline.apps.ssd.actions.importing import Row, _Importer


def _unwrapped(action: Any) -> Any:
    """The action without its ``durable`` transaction (as ``importing._unwrapped``)."""
    return getattr(action, "__wrapped__", action)


record_enquiry_elsewhere = _unwrapped(protection.record_enquiry_elsewhere)
record_conference_elsewhere = _unwrapped(protection.record_conference_elsewhere)
record_review_elsewhere = _unwrapped(protection.record_review_elsewhere)
end_plan_elsewhere = _unwrapped(protection.end_plan_elsewhere)
record_cp_visits = _unwrapped(protection.record_visits)

# The tables, and the column of each naming the child (``importing.PERSON_COLUMN``).
PROTECTION_TABLES = {
    "ssd_s47_enquiry": "s47e_person_id",
    "ssd_initial_cp_conference": "icpc_person_id",
    "ssd_cp_plans": "cppl_person_id",
    "ssd_cp_visits": "cppv_person_id",
    "ssd_cp_reviews": "cppr_person_id",
}

ENQUIRY_FIELDS = {
    "start_date": "s47e_s47_start_date",
    "completed_on": "s47e_s47_end_date",
    "outcome": "s47e_s47_outcome_json",
    "referral": "s47e_referral_id",
}
CONFERENCE_FIELDS = {
    "conference_date": "icpc_icpc_date",
    "enquiry": "icpc_s47_enquiry_id",
    "lead_social_worker": "icpc_icpc_worker_id",
    "referral": "icpc_referral_id",
}
PLAN_FIELDS = {
    "plan_start_date": "cppl_cp_plan_start_date",
    "category": "cppl_cp_plan_initial_category",
    "initial_category": "cppl_cp_plan_initial_category",
    "latest_category": "cppl_cp_plan_latest_category",
    "end_date": "cppl_cp_plan_end_date",
    "referral": "cppl_referral_id",
}
REVIEW_FIELDS = {"conference_date": "cppr_cp_review_date"}
VISIT_FIELDS = {
    "visit_date": "cppv_cp_visit_date",
    "child_seen": "cppv_cp_visit_seen",
    "child_seen_alone": "cppv_cp_visit_seen_alone",
}


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _enquiry_outcome(text: str | None, nfa: bool | None) -> str:
    """An enquiry's outcome from its outcome JSON's flags (empty while it is open): a
    conference when that flag is set (whatever else is), else the one of no further action
    or continuing as a child in need that is set, else no further action when
    ``s47e_s47_nfa`` says so; "unknown" when none of these says which."""
    outcome = (json.loads(text) if text else None) or {}
    found = [choice for choice, flag in S47_OUTCOME_FLAGS.items() if outcome.get(flag) == "Y"]
    if Section47Enquiry.Outcome.CONFERENCE in found:
        return Section47Enquiry.Outcome.CONFERENCE.value
    if len(found) == 1:
        return found[0].value
    if not found and nfa:
        return Section47Enquiry.Outcome.NFA.value
    return "unknown" if text else ""


def _refuse(file: str, number: int, column: str | None, what: str, person: str) -> None:
    from caseline.apps.ssd.actions.importing import _Refused

    raise _Refused(Problem(file, number, column, what, (person,) if person else ()))


class _Protection:
    """One child's child protection rows, imported through ``importer``."""

    def __init__(self, importer: _Importer, source_id: str) -> None:
        self.importer = importer
        self.source_id = source_id
        self.child: Person = importer.people[source_id]
        related = importer.rows.by_person.get(source_id, {})
        self.rows: dict[str, list[tuple[int, Row]]] = {
            t: related.get(t, []) for t in PROTECTION_TABLES
        }
        self.said = importer_not_carried(importer)

    def record(self, table: str, source_id: str | None) -> Any:
        """The record imported from ``table``'s row ``source_id`` (this run or before), if any."""
        if not source_id:
            return None
        found = self.importer.known(table, source_id)
        return (
            None
            if found is None
            else found.content_type.get_object_for_this_type(pk=found.object_id)
        )

    def same_referral(
        self, record: Any, referral_id: str | None, where: tuple[str, int, str]
    ) -> None:
        """The record fell in the referral the row names (its dates put it in that one)."""
        expected = self.record("ssd_cin_episodes", referral_id)
        if referral_id and (expected is None or record.referral_id != expected.pk):
            _refuse(
                *where,
                f"Its date is not within the referral {referral_id!r} (it falls in "
                + ("no referral of the child" if record.referral_id is None else "another")
                + ")",
                self.source_id,
            )

    def run(self) -> None:
        for number, row in sorted(
            self.rows["ssd_s47_enquiry"],
            key=lambda item: (_day(item[1]["s47e_s47_start_date"]) or datetime.date.min, item[0]),
        ):
            self.enquiry(number, row)
        for number, row in sorted(
            self.rows["ssd_initial_cp_conference"],
            key=lambda item: (_day(item[1]["icpc_icpc_date"]) or datetime.date.min, item[0]),
        ):
            self.conference(number, row)
        conferences = {r["icpc_icpc_id"] for _, r in self.rows["ssd_initial_cp_conference"]}
        for number, row in self.rows["ssd_cp_plans"]:
            if row["cppl_icpc_id"] not in conferences:
                _refuse(
                    "ssd_cp_plans.csv",
                    number,
                    "cppl_icpc_id",
                    "The plan names no conference of the child in ssd_initial_cp_conference "
                    "(a plan starts at the conference that decided on it)",
                    self.source_id,
                )
        self.unclaimed("ssd_cp_visits", "cppv_cp_visit_id", "cppv_cp_plan_id")
        self.unclaimed("ssd_cp_reviews", "cppr_cp_review_id", "cppr_cp_plan_id")

    def unclaimed(self, table: str, key: str, plan_column: str) -> None:
        """A visit or review whose plan was not imported is refused at its row."""
        for number, row in self.rows[table]:
            if self.importer.known(table, row[key]) is None:
                _refuse(
                    f"{table}.csv",
                    number,
                    plan_column,
                    f"{row[plan_column]!r} is not a plan of the child that was imported, or the "
                    "date is outside the plan",
                    self.source_id,
                )

    # -- enquiries ------------------------------------------------------------------------------

    def enquiry(self, number: int, row: Row) -> None:
        importer = self.importer
        if importer.seen("ssd_s47_enquiry", row["s47e_s47_enquiry_id"], row, number):
            return
        where = ("ssd_s47_enquiry.csv", number, ENQUIRY_FIELDS, [self.source_id])
        outcome = _enquiry_outcome(row["s47e_s47_outcome_json"], row["s47e_s47_nfa"])
        with importer.refusal(*where):
            if outcome == "unknown":
                raise ValidationError(
                    {
                        "outcome": "The outcome says neither a conference "
                        "(CP_CONFERENCE_FLAG) nor one of no further action (NFA_FLAG, or "
                        "s47e_s47_nfa Y) and continuing as a child in need "
                        "(NFA_CONTINUE_SINGLE_FLAG)"
                    }
                )
            enquiry: Section47Enquiry = record_enquiry_elsewhere(
                acting_user=importer.user,
                child=self.child,
                start_date=_day(row["s47e_s47_start_date"]),
                completed_on=_day(row["s47e_s47_end_date"]),
                outcome=outcome,
                not_carried=self.said,
            )
        self.same_referral(
            enquiry, row["s47e_referral_id"], ("ssd_s47_enquiry.csv", number, "s47e_referral_id")
        )
        worker = importer.staff_member(
            "ssd_professionals",
            row["s47e_s47_completed_by_worker_id"],
            ("ssd_s47_enquiry.csv", number, "s47e_s47_completed_by_worker_id", [self.source_id]),
        )
        if worker is not None:
            Section47Enquiry.objects.filter(pk=enquiry.pk).update(recorded_by=worker)
        importer.remember("ssd_s47_enquiry", row["s47e_s47_enquiry_id"], enquiry, self.child, row)

    # -- conferences and their plans ------------------------------------------------------------

    def conference(self, number: int, row: Row) -> None:
        importer = self.importer
        file = "ssd_initial_cp_conference.csv"
        plan_rows = [
            (n, r) for n, r in self.rows["ssd_cp_plans"] if r["cppl_icpc_id"] == row["icpc_icpc_id"]
        ]
        if len(plan_rows) > 1:
            _refuse(
                "ssd_cp_plans.csv",
                plan_rows[1][0],
                "cppl_icpc_id",
                f"A second plan started at the conference {row['icpc_icpc_id']!r}",
                self.source_id,
            )
        plan_row = plan_rows[0] if plan_rows else None
        if importer.seen("ssd_initial_cp_conference", row["icpc_icpc_id"], row, number):
            plan = None
            if plan_row is not None:
                importer.seen("ssd_cp_plans", plan_row[1]["cppl_cp_plan_id"], plan_row[1])
                plan = self.record("ssd_cp_plans", plan_row[1]["cppl_cp_plan_id"])
            if plan is not None:
                self.plan_history(plan, plan_row, new=False)
            return
        plan_made = bool(row["icpc_icpc_outcome_cp_flag"])
        if plan_made != (plan_row is not None):
            _refuse(
                file,
                number,
                "icpc_icpc_outcome_cp_flag",
                "The conference decided on a plan, but no plan in ssd_cp_plans names it"
                if plan_made
                else "A plan in ssd_cp_plans names the conference, but it decided on none",
                self.source_id,
            )
        enquiry = self.record("ssd_s47_enquiry", row["icpc_s47_enquiry_id"])
        if row["icpc_s47_enquiry_id"] and enquiry is None:
            _refuse(
                file, number, "icpc_s47_enquiry_id", "The enquiry was not imported", self.source_id
            )
        team = importer.staff_member(
            "ssd_department",
            row["icpc_icpc_team"],
            (file, number, "icpc_icpc_team", [self.source_id]),
        )
        lead = importer.staff_member(
            "ssd_professionals",
            row["icpc_icpc_worker_id"],
            (file, number, "icpc_icpc_worker_id", [self.source_id]),
        )
        plan_values: dict[str, Any] = {}
        if plan_row is not None:
            plan_values = {
                "plan_start_date": _day(plan_row[1]["cppl_cp_plan_start_date"]),
                "initial_category": plan_row[1]["cppl_cp_plan_initial_category"] or "",
                "latest_category": plan_row[1]["cppl_cp_plan_latest_category"] or "",
            }
        with importer.refusal(file, number, CONFERENCE_FIELDS, [self.source_id]):
            if bool(row["icpc_icpc_transfer_in"]) == (enquiry is not None):
                raise ValidationError(
                    {
                        "enquiry": "An initial conference names its section 47 enquiry; a "
                        "transfer-in conference names none"
                    }
                )
        # A problem with the plan's own values is reported at the plan's row.
        on_plan = set(plan_values) | {"category", "lead_social_worker"}
        with _Split(
            importer.refusal(file, number, CONFERENCE_FIELDS, [self.source_id]),
            importer.refusal(
                "ssd_cp_plans.csv",
                plan_row[0] if plan_row else number,
                PLAN_FIELDS,
                [self.source_id],
            )
            if plan_row
            else None,
            on_plan - {"lead_social_worker"},
        ):
            conference: Conference = record_conference_elsewhere(
                acting_user=importer.user,
                child=self.child,
                conference_date=_day(row["icpc_icpc_date"]),
                plan_made=plan_made,
                not_carried=self.said,
                enquiry=enquiry,
                transfer_in=bool(row["icpc_icpc_transfer_in"]),
                team=team,
                lead_social_worker=lead,
                **plan_values,
            )
        self.same_referral(conference, row["icpc_referral_id"], (file, number, "icpc_referral_id"))
        importer.remember(
            "ssd_initial_cp_conference", row["icpc_icpc_id"], conference, self.child, row
        )
        if plan_row is not None:
            plan = ProtectionPlan.objects.get(conference=conference)
            self.same_referral(
                plan,
                plan_row[1]["cppl_referral_id"],
                ("ssd_cp_plans.csv", plan_row[0], "cppl_referral_id"),
            )
            importer.remember(
                "ssd_cp_plans", plan_row[1]["cppl_cp_plan_id"], plan, self.child, plan_row[1]
            )
            self.plan_history(plan, plan_row, new=True)

    def plan_history(
        self, plan: ProtectionPlan, plan_row: tuple[int, Row] | None, *, new: bool
    ) -> None:
        """The plan's visits and reviews in date order, then its end if no review ended it."""
        assert plan_row is not None
        number, row = plan_row
        plan_id = row["cppl_cp_plan_id"]
        events: list[tuple[datetime.date, int, int, str, Row]] = []
        for n, r in self.rows["ssd_cp_visits"]:
            if r["cppv_cp_plan_id"] == plan_id:
                events.append(
                    (_day(r["cppv_cp_visit_date"]) or datetime.date.min, 0, n, "visit", r)
                )
        for n, r in self.rows["ssd_cp_reviews"]:
            if r["cppr_cp_plan_id"] == plan_id:
                events.append(
                    (_day(r["cppr_cp_review_date"]) or datetime.date.min, 1, n, "review", r)
                )
        visits: list[tuple[int, Row]] = []  # recorded together, up to the next review
        for _, _, n, kind, r in sorted(events, key=lambda event: event[:3]):
            if kind == "visit":
                visits.append((n, r))
            else:
                self.visits(plan, visits)
                self.review(plan, n, r)
        self.visits(plan, visits)
        if not new:
            return
        plan.refresh_from_db()
        end = _day(row["cppl_cp_plan_end_date"])
        where = ("ssd_cp_plans.csv", number, PLAN_FIELDS, [self.source_id])
        if plan.end_date is None and end is not None:
            with self.importer.refusal(*where):
                end_plan_elsewhere(
                    acting_user=self.importer.user, plan=plan, end_date=end, not_carried=self.said
                )
        elif plan.end_date != end:
            _refuse(
                "ssd_cp_plans.csv",
                number,
                "cppl_cp_plan_end_date",
                "The plan ended at a review conference on "
                f"{plan.end_date.isoformat() if plan.end_date else ''}, not on this date",
                self.source_id,
            )

    def visits(self, plan: ProtectionPlan, rows: list[tuple[int, Row]]) -> None:
        """The plan's visits not imported before, recorded together (``record_visits``, each
        checked as one visit is); a refused visit is reported at its row."""
        importer = self.importer
        new = [
            (number, row)
            for number, row in rows
            if not importer.seen("ssd_cp_visits", row["cppv_cp_visit_id"], row)
        ]
        rows.clear()
        if not new:
            return
        try:
            visits = record_cp_visits(
                acting_user=importer.user,
                plan=plan,
                visits=[
                    protection.VisitDetails(
                        visit_date=_day(row["cppv_cp_visit_date"]),  # type: ignore[arg-type]
                        child_seen=bool(row["cppv_cp_visit_seen"]),
                        child_seen_alone=bool(row["cppv_cp_visit_seen_alone"]),
                        observations=self.said,
                    )
                    for _, row in new
                ],
            )
        except ValidationError as error:  # a visit's (``VisitRefused``), or the plan's: the first
            index = error.index if isinstance(error, protection.VisitRefused) else 0
            number = new[index][0]
            with importer.refusal("ssd_cp_visits.csv", number, VISIT_FIELDS, [self.source_id]):
                raise
        for (_, row), visit in zip(new, visits, strict=True):
            importer.remember("ssd_cp_visits", row["cppv_cp_visit_id"], visit, self.child, row)

    def review(self, plan: ProtectionPlan, number: int, row: Row) -> None:
        importer = self.importer
        if importer.seen("ssd_cp_reviews", row["cppr_cp_review_id"], row):
            return
        with importer.refusal("ssd_cp_reviews.csv", number, REVIEW_FIELDS, [self.source_id]):
            review = record_review_elsewhere(
                acting_user=importer.user,
                plan=plan,
                conference_date=_day(row["cppr_cp_review_date"]),
                plan_continues=bool(row["cppr_cp_review_outcome_continue_cp"]),
                not_carried=self.said,
            )
        importer.remember("ssd_cp_reviews", row["cppr_cp_review_id"], review, self.child, row)


class _Split:
    """Reports an action's refusal at the plan's row when it is about the plan's own values
    (``on_plan``), else at the conference's row."""

    def __init__(self, conference: Any, plan: Any, on_plan: set[str]) -> None:
        self.conference, self.plan, self.on_plan = conference, plan, on_plan

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, trace: Any) -> None:
        if isinstance(error, ValidationError):
            about_plan = hasattr(error, "error_dict") and set(error.error_dict) <= self.on_plan
            target = self.plan if about_plan and self.plan is not None else self.conference
            target.__exit__(kind, error, trace)


def importer_not_carried(importer: _Importer) -> str:
    from caseline.apps.ssd.actions.importing import NOT_CARRIED

    return NOT_CARRIED.format(system=importer.system)


def import_protection(importer: _Importer, source_id: str) -> None:
    """Import the child's enquiries, conferences, plans, reviews and visits (see above)."""
    _Protection(importer, source_id).run()
