"""Importing what the SSD holds beside the case record: the child's voice
(``ssd_voice_of_child``), placement costs (``ssd_s251_finance``) and the education service's
SEN and EHC plan records (``ssd_send``, ``ssd_ehcp_*``, ``ssd_sen_need``).

Called by the import (``importing.import_extract``) once its families are in, inside the same
transaction, with the importer: these rows hang on people (and placements) it has imported, are
remembered by their source ids as its own rows are (a second import changes nothing), and go
through the actions the pages use. Each row is a savepoint of its own: one an action refuses is
reported at its file, row and column (and, without ``--partial``, refuses the whole import).
A row about someone not imported (set aside, or not in the extract) is left out; a cost whose
placement is not on Caseline is counted as not applied.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models, transaction

from caseline.apps.education import actions as education
from caseline.apps.lookedafter import actions as lookedafter
from caseline.apps.lookedafter.models import Episode
from caseline.apps.people.models import Person
from caseline.apps.recording import actions as recording
from caseline.apps.ssd.actions.importing import _Importer, _Refused, _unwrapped
from caseline.apps.ssd.models import SourceRecord
from caseline.apps.ssd.spec import spec
from caseline.apps.ssd.validate import parse, rows_of

Row = dict[str, Any]
HELD = (
    "ssd_voice_of_child",
    "ssd_s251_finance",
    "ssd_send",
    "ssd_ehcp_requests",
    "ssd_ehcp_assessment",
    "ssd_ehcp_named_plan",
    "ssd_ehcp_active_plans",
    "ssd_sen_need",
)
VOICE = {
    "explained_worries": "voch_explained_worries",
    "story_helped_understand": "voch_story_help_understand",
    "agrees_with_worker": "voch_agree_worker",
    "plan_keeps_safe": "voch_plan_safe",
    "tablet_helped_explain": "voch_tablet_help_explain",
}
NOT_ON_CASELINE = "{table} (its placement is not on Caseline)"


record_child_voice = _unwrapped(recording.record_child_voice)
record_placement_cost = _unwrapped(lookedafter.record_placement_cost)
add_send_record = _unwrapped(education.add_send_record)
add_ehcp_request = _unwrapped(education.add_ehcp_request)
add_ehcp_assessment = _unwrapped(education.add_ehcp_assessment)
add_ehcp_named_plan = _unwrapped(education.add_ehcp_named_plan)
add_ehcp_active_plan = _unwrapped(education.add_ehcp_active_plan)
add_sen_need = _unwrapped(education.add_sen_need)


def _rows(folder: Path, name: str) -> Iterator[tuple[int, Row]]:
    """The parsed rows of one table, if its file is there (a row that does not parse was
    reported by the checks and is left out)."""
    table = spec().tables[name]
    path = folder / table.file_name
    if not path.is_file():
        return
    for number, raw in rows_of(path):
        try:
            yield number, {c.name: parse(c, t) for c, t in zip(table.columns, raw, strict=True)}
        except ValueError:
            continue


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


class _Held:
    def __init__(self, importer: _Importer, folder: Path) -> None:
        self.importer = importer
        self.folder = folder
        # The people the import kept: a family rolled back took its source records with it
        # (and on SQLite its people's ids may since have been given to others).
        kept = dict(
            SourceRecord.objects.filter(system=importer.system, table="ssd_person").values_list(
                "source_id", "object_id"
            )
        )
        self.people = {s: p for s, p in importer.people.items() if kept.get(s) == p.pk}
        # Each person's source id, the first the extract gave them, found by their id.
        self.sources: dict[int, str] = {}
        for source, person in self.people.items():
            self.sources.setdefault(person.pk, source)
        self.made: dict[tuple[str, str], models.Model] = {}

    def find(self, table: str, source_id: Any, model: type[models.Model]) -> Any:
        """The record made from ``table``'s row ``source_id``, in this import or an earlier."""
        if source_id is None:
            return None
        made = self.made.get((table, str(source_id)))
        if made is not None:
            return made
        known = self.importer.known(table, str(source_id))
        return None if known is None else model._default_manager.filter(pk=known.object_id).first()

    def one(
        self,
        table: str,
        number: int,
        row: Row,
        person: Person,
        fields: dict[str, str],
        make: Callable[..., models.Model],
        **values: Any,
    ) -> None:
        """Import one row (unless imported before), in a savepoint; report a refusal."""
        key = spec().tables[table].key
        assert key is not None
        source_id = str(row[key.name])
        if self.importer.seen(table, source_id, row):
            return
        file = spec().tables[table].file_name
        try:
            with transaction.atomic():
                with self.importer.refusal(file, number, fields, [self._source_of(person)]):
                    record = make(acting_user=self.importer.user, **values)
                self.importer.remember(table, source_id, record, person, row)
                self.made[(table, source_id)] = record
        except _Refused as refused:
            self.importer.result.refused.append(refused.problem)

    def _source_of(self, person: Person) -> str:
        return self.sources.get(person.pk, "")

    def run(self) -> None:
        alive = {p.pk for p in self.people.values()}
        for number, row in _rows(self.folder, "ssd_voice_of_child"):
            child = self.people.get(row["voch_person_id"])
            if child is None:
                continue
            answers = {name: row[column] for name, column in VOICE.items()}
            self.one(
                "ssd_voice_of_child",
                number,
                row,
                child,
                {"answers": "voch_explained_worries"},
                record_child_voice,
                child=child,
                asked_on=None,
                answers=answers,
            )
        for number, row in _rows(self.folder, "ssd_s251_finance"):
            episode = self.find("ssd_cla_placement", row["s251_cla_placement_id"], Episode)
            child = None if episode is None else Person.objects.get(pk=episode.person_id)
            if episode is None or child is None or child.pk not in alive:
                table = NOT_ON_CASELINE.format(table="ssd_s251_finance")
                self.importer.result.changed_not_applied[table] += 1
                continue
            try:
                cost = Decimal(str(row["s251_placeholder_1"]))
                start = datetime.date.fromisoformat(str(row["s251_placeholder_2"])[:10])
                end_text = row["s251_placeholder_3"]
                end = datetime.date.fromisoformat(str(end_text)[:10]) if end_text else None
            except (InvalidOperation, ValueError):
                from caseline.apps.ssd.validate import Problem

                self.importer.result.refused.append(
                    Problem(
                        "ssd_s251_finance.csv",
                        number,
                        "s251_placeholder_1",
                        "Caseline reads the weekly cost (placeholder 1) and the dates it ran "
                        "from and to (placeholders 2 and 3, YYYY-MM-DD); these are not that",
                        (self._source_of(child),),
                    )
                )
                continue
            self.one(
                "ssd_s251_finance",
                number,
                row,
                child,
                {
                    "weekly_cost": "s251_placeholder_1",
                    "start_date": "s251_placeholder_2",
                    "end_date": "s251_placeholder_3",
                },
                record_placement_cost,
                episode=episode,
                weekly_cost=cost,
                start_date=start,
                end_date=end,
            )
        self.education()

    def education(self) -> None:
        from caseline.apps.education.models import (
            EhcpActivePlan,
            EhcpAssessment,
            EhcpRequest,
            SendRecord,
        )

        for number, row in _rows(self.folder, "ssd_send"):
            child = self.people.get(row["send_person_id"])
            if child is None:
                continue
            self.one(
                "ssd_send",
                number,
                row,
                child,
                {},
                add_send_record,
                child=child,
                upn=row["send_upn"] or "",
                uln=row["send_uln"] or "",
                upn_unknown=row["send_upn_unknown"] or "",
            )
        for number, row in _rows(self.folder, "ssd_ehcp_requests"):
            record = self.find("ssd_send", row["ehcr_send_table_id"], SendRecord)
            if record is None:
                continue
            self.one(
                "ssd_ehcp_requests",
                number,
                row,
                record.person,
                {"outcome_on": "ehcr_ehcp_req_outcome_date"},
                add_ehcp_request,
                send_record=record,
                requested_on=_day(row["ehcr_ehcp_req_date"]),
                outcome_on=_day(row["ehcr_ehcp_req_outcome_date"]),
                outcome=row["ehcr_ehcp_req_outcome"] or "",
            )
        for number, row in _rows(self.folder, "ssd_ehcp_assessment"):
            request = self.find("ssd_ehcp_requests", row["ehca_ehcp_request_id"], EhcpRequest)
            if request is None:
                continue
            self.one(
                "ssd_ehcp_assessment",
                number,
                row,
                request.send_record.person,
                {"outcome_on": "ehca_ehcp_assessment_outcome_date"},
                add_ehcp_assessment,
                request=request,
                outcome_on=_day(row["ehca_ehcp_assessment_outcome_date"]),
                outcome=row["ehca_ehcp_assessment_outcome"] or "",
                exceptions=row["ehca_ehcp_assessment_exceptions"] or "",
            )
        for number, row in _rows(self.folder, "ssd_ehcp_named_plan"):
            assessment = self.find("ssd_ehcp_assessment", row["ehcn_ehcp_asmt_id"], EhcpAssessment)
            if assessment is None:
                continue
            self.one(
                "ssd_ehcp_named_plan",
                number,
                row,
                assessment.request.send_record.person,
                {"ceased_on": "ehcn_named_plan_ceased_date"},
                add_ehcp_named_plan,
                assessment=assessment,
                start_date=_day(row["ehcn_named_plan_start_date"]),
                ceased_on=_day(row["ehcn_named_plan_ceased_date"]),
                ceased_reason=row["ehcn_named_plan_ceased_reason"] or "",
            )
        for number, row in _rows(self.folder, "ssd_ehcp_active_plans"):
            request = self.find("ssd_ehcp_requests", row["ehcp_ehcp_request_id"], EhcpRequest)
            if request is None:
                continue
            self.one(
                "ssd_ehcp_active_plans",
                number,
                row,
                request.send_record.person,
                {},
                add_ehcp_active_plan,
                request=request,
                last_reviewed_on=_day(row["ehcp_active_ehcp_last_review_date"]),
            )
        for number, row in _rows(self.folder, "ssd_sen_need"):
            plan = self.find("ssd_ehcp_active_plans", row["senn_active_ehcp_id"], EhcpActivePlan)
            if plan is None:
                continue
            self.one(
                "ssd_sen_need",
                number,
                row,
                plan.request.send_record.person,
                {},
                add_sen_need,
                active_plan=plan,
                need_type=row["senn_active_ehcp_need_type"] or "",
                is_primary=row["senn_active_ehcp_need_rank"],
            )


def import_held(importer: _Importer, folder: Path) -> None:
    """Import the held tables' rows about the people ``importer`` has imported; a refusal is
    added to its result's ``refused`` (the import then rolls back unless partial)."""
    _Held(importer, folder).run()
