"""The Standard Safeguarding Dataset's tables and columns, read from the app's data file.

``data/ssd_spec.json`` is built from the published spec by ``build_spec`` (names, types, keys,
code lists); nothing here reads the reference folder at run time.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Column:
    """One column: its spec name and type, and the codes it may hold."""

    name: str
    sql_type: str
    kind: str  # text, flag, datetime, date, int, float, bit
    length: int | None
    primary_key: bool
    not_null: bool
    item_ref: str | None
    values: tuple[str, ...] | None  # the spec's inline list of values
    code_list: str | None  # a caseline.apps.codes list name
    references: str | None  # "table.column" of the row it points to


@dataclass(frozen=True)
class Table:
    """One SSD table, its columns in the spec's order."""

    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def key(self) -> Column | None:
        """The primary key column, if the table has one."""
        return next((column for column in self.columns if column.primary_key), None)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


@dataclass(frozen=True)
class Spec:
    """The whole spec: its version and source, and its tables by name."""

    version: str
    source: str
    tables: dict[str, Table]


@functools.cache
def spec() -> Spec:
    """The SSD spec Caseline follows (read once)."""
    text = resources.files("caseline.apps.ssd").joinpath("data/ssd_spec.json").read_text("utf-8")
    document = json.loads(text)
    tables = {}
    for table in document["tables"]:
        columns = tuple(
            Column(
                name=c["name"],
                sql_type=c["sql_type"],
                kind=c["kind"],
                length=c["length"],
                primary_key=c["primary_key"],
                not_null=c["not_null"],
                item_ref=c["item_ref"],
                values=tuple(c["values"]) if c["values"] else None,
                code_list=c["code_list"],
                references=c.get("references"),
            )
            for c in table["columns"]
        )
        tables[table["name"]] = Table(table["name"], columns)
    return Spec(version=document["version"], source=document["source"], tables=tables)
