"""Build ``data/ssd_spec.json`` from the Standard Safeguarding Dataset's published column list.

Run by hand when the spec changes (never at run time)::

    python -m caseline.apps.ssd.build_spec /work/shared/reference/ssd

It reads ``ssd_columns_v<version>.csv`` (table, ordinal, column, SQL type, key, constraint,
item reference, expected values) and ``ssd_relationships.csv`` (parent and child keys), both
published by Data to Insight in the ``ssd-data-model`` repository, and keeps the facts only:
names, types, keys, the inline code lists, and which of Caseline's DfE code lists
(``caseline.apps.codes``) a column carries. No guidance text is copied.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

VERSION = "1.4.5"
SOURCE = (
    "Standard Safeguarding Dataset (SSD), Data to Insight, ssd-data-model: "
    f"ssd_columns_v{VERSION}.csv and ssd_relationships.csv"
)
# Helper tables of the SQL extract, not part of the dataset an authority exchanges: the date
# dimension, the cohort of people the extract selects, and a Liquidlogic staging table.
LEFT_OUT = {
    "ssd_dim_date": "calendar",
    "ssd_cohort": "extract cohort",
    "ssd_pre_cla_care_plan": "staging",
}

# Columns that carry codes from one of Caseline's DfE code lists (caseline/apps/codes/data).
CODE_LISTS = {
    "pers_sex": "sex",
    "pers_ethnicity": "ethnicity",
    "pers_upn_unknown": "upn_unknown",
    "disa_disability_code": "disability",
    "immi_immigration_status": "immigration_status",
    "lega_legal_status": "legal_status",
    "cont_contact_source_code": "referral_source",
    "cine_referral_source_code": "referral_source",
    "cine_cin_primary_need_code": "primary_need",
    "clae_cla_primary_need_code": "primary_need",
    "cine_close_reason": "cin_closure_reason",
    "cppl_cp_plan_initial_category": "cp_category",
    "cppl_cp_plan_latest_category": "cp_category",
    "clae_cla_episode_start_reason": "reason_new_episode",
    "clae_cla_episode_ceased_reason": "reason_episode_ceased",
    "clap_cla_placement_type": "placement_type",
    "clap_cla_placement_provider": "placement_provider",
    "clap_cla_placement_change_reason": "reason_placement_change",
    "clar_cla_review_participation": "review_participation",
    "clea_care_leaver_in_touch": "care_leaver_in_touch",
    "clea_care_leaver_activity": "care_leaver_activity",
    "clea_care_leaver_accommodation": "care_leaver_accommodation",
    "miss_missing_episode_type": "missing_type",
    "lapp_previous_permanence_option": "previous_permanence",
    "csdq_sdq_reason": "sdq_reason",
    "perm_adopter_sex": "adopter_sex",
    "perm_adopter_legal_status": "adopter_legal_status",
    "prep_pre_pro_outcome": "pre_proceedings_outcome",
    "invo_worker_change_reason": "social_worker_change_reason",
    "cinf_assessment_factors_json": "assessment_factor",
}


def column_kind(sql_type: str) -> tuple[str, int | None]:
    """The portable kind of an SQL Server type, and its length for text."""
    text = sql_type.strip().lower()
    match = re.fullmatch(r"n?(?:var)?char\((\d+|max)\)", text)
    if match:
        size = match.group(1)
        if text.startswith(("nchar", "char")) and size == "1":
            return "flag", 1
        return "text", None if size == "max" else int(size)
    if text in {"datetime", "datetime2"}:
        return "datetime", None
    if text == "date":
        return "date", None
    if text in {"int", "tinyint", "smallint", "bigint"}:
        return "int", None
    if text == "float":
        return "float", None
    if text == "bit":
        return "bit", None
    raise ValueError(f"Unknown SQL type {sql_type!r}")


def _expected(text: str) -> list[str] | None:
    """The inline list of expected values, without NULL and placeholders ("tbc")."""
    if not text.strip():
        return None
    values = [v.strip().strip('"') for v in text.strip().strip("[]").split(",")]
    kept: list[str] = []
    for value in values:
        if not value or value.upper() == "NULL" or value.lower() == "tbc":
            continue
        ranged = re.fullmatch(r"([A-Z]+)(\d+)-(\d+)", value)  # "UN1-10": UN1 to UN10
        if ranged:
            prefix, low, high = ranged.group(1), int(ranged.group(2)), int(ranged.group(3))
            kept.extend(f"{prefix}{n}" for n in range(low, high + 1))
        else:
            kept.append(value)
    return kept or None


def build(folder: Path) -> dict[str, Any]:
    """The spec as data, from the published files in ``folder``."""
    tables: dict[str, dict[str, Any]] = {}
    path = folder / f"ssd_columns_v{VERSION}.csv"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["table"] in LEFT_OUT:
                continue
            kind, length = column_kind(row["sql_type"])
            table = tables.setdefault(row["table"], {"name": row["table"], "columns": []})
            constraint = row["fk_or_constraint"].upper()
            column: dict[str, Any] = {
                "name": row["column"],
                "sql_type": row["sql_type"].upper(),
                "kind": kind,
                "length": length,
                "primary_key": row["pk"] == "Y",
                "not_null": row["pk"] == "Y" or ("NOT NULL" in constraint),
                "item_ref": row["item_ref"] or None,
                "values": _expected(row["expected_data"]),
                "code_list": CODE_LISTS.get(row["column"]),
            }
            table["columns"].append(column)
    with (folder / "ssd_relationships.csv").open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            parent, child = row["parent_object"], row["child_object"]
            parent_key = row["parent_key"].split(" ")[0]
            if parent not in tables or child not in tables:
                continue  # a misspelt table in the published list (ssd_cla_placements)
            parent_pk = [c["name"] for c in tables[parent]["columns"] if c["primary_key"]]
            if parent_pk != [parent_key]:
                continue  # joins on a non-key column (a person id shared by two tables)
            columns = {c["name"]: c for c in tables[child]["columns"]}
            if row["child_key"].endswith("_person_id") and parent != "ssd_person":
                continue  # the published list joins ssd_permanence's person to an episode id
            if row["child_key"] in columns:
                columns[row["child_key"]]["references"] = f"{parent}.{parent_key}"
    # Every other column naming a person names one in ssd_person (the relationships list
    # joins some through their parent table's person column instead).
    for table in tables.values():
        for column in table["columns"]:
            named = column["name"]
            if named.endswith("person_id") and table["name"] != "ssd_person":
                column.setdefault("references", "ssd_person.pers_person_id")
    return {
        "source": SOURCE,
        "version": VERSION,
        "left_out": sorted(LEFT_OUT),
        "tables": list(tables.values()),
    }


def main(argv: list[str]) -> int:
    """Write the data file beside this module."""
    if len(argv) != 1:
        print("usage: python -m caseline.apps.ssd.build_spec REFERENCE_FOLDER", file=sys.stderr)
        return 2
    out = Path(__file__).parent / "data" / "ssd_spec.json"
    out.write_text(json.dumps(build(Path(argv[0])), indent=1) + "\n", encoding="utf-8")
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
