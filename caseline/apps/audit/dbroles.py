"""The PostgreSQL roles Caseline runs as: an owner for migrations, and the application's role,
which can add to the audit trail and read it but never change it (ADR: database roles).

The owner role owns every table and the audit trail's triggers; only migrations connect as
it. The application role reads and writes the other tables, but on the audit table holds only
``SELECT`` and ``INSERT``, and ``UPDATE`` of the four content columns alone, for destruction
under the retention schedule to erase them (``audit.erasure``; the triggers allow only that
erasure): it cannot change any other column, ``DELETE`` or ``TRUNCATE`` events, and, not
owning the table, cannot disable, drop or replace its triggers (which needs the owner or a
superuser). ``caseline audit roles`` prints this script; run it as a superuser after every
``migrate`` (it is safe to run again).
"""

from __future__ import annotations

import re

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

AUDIT_TABLE = "audit_auditevent"
CHAIN_HEAD_TABLE = "audit_auditchainhead"


class BadRoleName(ValueError):
    """A role name that is not a plain lower-case PostgreSQL identifier."""


def _checked(name: str, what: str) -> str:
    if not ROLE_NAME.match(name):
        raise BadRoleName(
            f"The {what} role name {name!r} must be lower-case letters, digits and "
            "underscores, starting with a letter or underscore"
        )
    return name


def roles_sql(*, owner: str, app: str) -> str:
    """The script that creates the two roles (if missing) and sets ownership and grants."""
    owner, app = _checked(owner, "owner"), _checked(app, "application")
    if owner == app:
        raise BadRoleName("The owner and application roles must be different roles")
    # Role names are checked plain identifiers above; this is a script for psql, not a query.
    return _SCRIPT.format(owner=owner, app=app, audit=AUDIT_TABLE, head=CHAIN_HEAD_TABLE)


_SCRIPT = """-- Caseline's database roles (caseline audit roles). Run as a superuser, connected to
-- Caseline's database, after every migrate. Set each role's password with \\password.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN
    CREATE ROLE {owner} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') THEN
    CREATE ROLE {app} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOINHERIT;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO {app}', current_database());
END $$;

-- Only the owner creates objects: migrations run as it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO {owner};
GRANT USAGE ON SCHEMA public TO {app};

-- The owner owns every table, sequence and the audit trigger's function.
DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO {owner}', item.tablename);
  END LOOP;
  FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER SEQUENCE public.%I OWNER TO {owner}', item.sequencename);
  END LOOP;
  IF EXISTS (SELECT FROM pg_proc WHERE proname = 'audit_auditevent_append_only') THEN
    ALTER FUNCTION audit_auditevent_append_only() OWNER TO {owner};
  END IF;
END $$;

-- The application reads and writes the record...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO {app};
-- ...but only adds to the audit trail and reads it, and may erase an event's content when
-- its record is destroyed (the triggers allow that one change and no other).
REVOKE ALL ON {audit} FROM {app};
GRANT SELECT, INSERT ON {audit} TO {app};
GRANT UPDATE (old_values, new_values, extra, target_repr) ON {audit} TO {app};
REVOKE ALL ON {head} FROM {app};
GRANT SELECT, INSERT, UPDATE ON {head} TO {app};
"""
