"""Loading an SSD extract into a PostgreSQL schema made to the spec's types and keys.

The schema is built and filled in one transaction (PostgreSQL's DDL is transactional): the
old schema, if any, is dropped and the new one created, each table's CSV copied in with
``COPY``, then the primary and foreign keys added, so that a failure leaves the old schema as
it was. The target is any PostgreSQL database the user names, never Caseline's own tables.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from caseline.apps.ssd.spec import Column, Table, spec

DEFAULT_SCHEMA = "ssd"
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class DatabaseError(Exception):
    """The extract cannot be loaded as asked (a bad URL or schema name, an unreachable server)."""


def postgres_type(column: Column) -> str:
    """The PostgreSQL type for a column's SQL Server type in the spec."""
    kind = column.kind
    if kind == "text":
        return "text" if column.length is None else f"varchar({column.length})"
    if kind == "flag":
        return "char(1)"
    return {
        "datetime": "timestamp",
        "date": "date",
        "int": "smallint" if column.sql_type == "TINYINT" else "integer",
        "float": "double precision",
        "bit": "boolean",
    }[kind]


def table_ddl(schema: str, table: Table) -> sql.Composed:
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}{}").format(
            sql.Identifier(column.name),
            sql.SQL(postgres_type(column)),
            sql.SQL(" NOT NULL" if column.not_null else ""),
        )
        for column in table.columns
    )
    return sql.SQL("CREATE TABLE {}.{} ({})").format(
        sql.Identifier(schema), sql.Identifier(table.name), columns
    )


def key_ddl(schema: str, table: Table) -> tuple[list[sql.Composed], list[sql.Composed]]:
    """The table's primary key, and its foreign keys to other tables' primary keys (run once
    every primary key is in place)."""
    primary = []
    if table.key is not None:
        primary.append(
            sql.SQL("ALTER TABLE {}.{} ADD PRIMARY KEY ({})").format(
                sql.Identifier(schema), sql.Identifier(table.name), sql.Identifier(table.key.name)
            )
        )
    tables = spec().tables
    statements = []
    for column in table.columns:
        if not column.references or column.primary_key:
            continue
        target, target_column = column.references.split(".")
        key = tables[target].key
        if key is None or key.name != target_column:
            continue
        statements.append(
            sql.SQL("ALTER TABLE {}.{} ADD FOREIGN KEY ({}) REFERENCES {}.{} ({})").format(
                sql.Identifier(schema),
                sql.Identifier(table.name),
                sql.Identifier(column.name),
                sql.Identifier(schema),
                sql.Identifier(target),
                sql.Identifier(target_column),
            )
        )
    return primary, statements


def check_schema_name(schema: str) -> None:
    if not _SCHEMA_NAME.match(schema):
        raise DatabaseError(
            f"--schema {schema!r}: use lower-case letters, digits and underscores (up to 63)."
        )


def database_name(url: str) -> str:
    """The server and database a URL names, without its user or password (for the audit)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"


def check_database(url: str, schema: str) -> None:
    """Refuse a URL or schema name the extract cannot be loaded into, before exporting."""
    check_schema_name(schema)
    if not url.startswith(("postgres://", "postgresql://")):
        raise DatabaseError("--database must be a PostgreSQL URL (postgres://...).")
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as error:
        raise DatabaseError(
            f"--database {database_name(url)}: cannot connect ({str(error).strip()})."
        ) from error


def load_extract(folder: Path, url: str, *, schema: str = DEFAULT_SCHEMA) -> dict[str, int]:
    """Replace ``schema`` in the database at ``url`` with the extract in ``folder``.

    Returns the rows loaded per table.
    """
    check_schema_name(schema)
    try:
        connection = psycopg.connect(url)
    except psycopg.Error as error:
        raise DatabaseError(f"--database {database_name(url)}: cannot connect.") from error
    loaded: dict[str, int] = {}
    tables = list(spec().tables.values())
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        for table in tables:
            cursor.execute(table_ddl(schema, table))
            copy = sql.SQL("COPY {}.{} ({}) FROM STDIN WITH (FORMAT csv, HEADER true)").format(
                sql.Identifier(schema),
                sql.Identifier(table.name),
                sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns),
            )
            with (folder / table.file_name).open("rb") as stream, cursor.copy(copy) as writer:
                while block := stream.read(1 << 20):
                    writer.write(block)
            loaded[table.name] = cursor.rowcount
        keys = [key_ddl(schema, table) for table in tables]
        for primary, _ in keys:
            for statement in primary:
                cursor.execute(statement)
        for _, foreign in keys:
            for statement in foreign:
                cursor.execute(statement)
        cursor.execute(
            sql.SQL("COMMENT ON SCHEMA {} IS {}").format(
                sql.Identifier(schema),
                sql.Literal(f"Standard Safeguarding Dataset v{spec().version}, from Caseline"),
            )
        )
    connection.close()
    return loaded
