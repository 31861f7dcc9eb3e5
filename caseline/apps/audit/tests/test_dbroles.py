"""On PostgreSQL the application's role cannot rewrite the audit trail or lift its triggers."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from caseline.apps.audit.dbroles import BadRoleName, roles_sql
from caseline.apps.audit.erasure import erase_content
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.audit.record import record_event, record_view

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
)


def test_role_names_are_checked() -> None:
    with pytest.raises(BadRoleName, match="lower-case"):
        roles_sql(owner="owner; DROP TABLE x", app="app")
    with pytest.raises(BadRoleName, match="different"):
        roles_sql(owner="same", app="same")


def test_the_command_prints_the_script_or_refuses_a_bad_name() -> None:
    out = io.StringIO()
    call_command("audit", "roles", "--owner", "cl_owner", "--app", "cl_app", stdout=out)
    assert "GRANT SELECT, INSERT ON audit_auditevent TO cl_app;" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("audit", "roles", "--app", "Bad-Name")
    assert refused.value.returncode == 2


@postgres_only
@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE audit_auditevent SET event_type = 'tampered'", "permission denied"),
        # Erasure-shaped, but the chain's columns rewritten with it.
        (
            "UPDATE audit_auditevent SET old_values = '{}'::jsonb, new_values = '{}'::jsonb, "
            "extra = '{\"content_destroyed\": true}'::jsonb, target_repr = '', "
            "event_hash = repeat('0', 64)",
            "permission denied",
        ),
        # The content columns it may erase, but not rewrite.
        ("UPDATE audit_auditevent SET new_values = '{\"forged\": 1}'::jsonb", "append-only"),
        ("DELETE FROM audit_auditevent", "permission denied"),
        ("TRUNCATE audit_auditevent", "permission denied"),
        ("ALTER TABLE audit_auditevent DISABLE TRIGGER USER", "must be owner"),
        ("DROP TRIGGER audit_auditevent_no_change ON audit_auditevent", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
        (
            "CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS "
            "$$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
            "permission denied for schema public",
        ),
    ],
)
def test_the_application_role_cannot_rewrite_the_trail(
    make_user: Any, statement: str, refusal: str
) -> None:
    """Roles are made inside the test's transaction, so they vanish with its rollback."""
    user = make_user()
    with transaction.atomic():
        record_event(acting_user=user, event_type=EventType.CREATED, target=user)
    suffix = os.getpid()
    owner, app = f"caseline_test_owner_{suffix}", f"caseline_test_app_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no checks
        cursor.execute(roles_sql(owner=owner, app=app))
        cursor.execute(f"SET ROLE {app}")
        try:
            # The application's own work goes on: it adds to the trail and reads it, and
            # erases the content of events about a destroyed record.
            with transaction.atomic():
                record_view(acting_user=user, subject=user)
            assert AuditEvent.objects.count() == 2
            with transaction.atomic():
                assert erase_content(subject_person_ids=[user.pk], targets={}) == 1
            with (
                pytest.raises(DatabaseError, match=refusal),
                transaction.atomic(),
            ):
                cursor.execute(statement)
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.filter(event_type="object.created").exists()
