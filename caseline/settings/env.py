"""The environment, parsed once into a typed object.

Settings modules read :data:`ENV`; nothing else in Caseline reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "caseline.sqlite3"
DEFAULT_RETURNS_DIR = BASE_DIR / "var" / "returns"

# A placeholder that development and tests may use. Production refuses it.
INSECURE_DEVELOPMENT_KEY = "caseline-insecure-development-key-never-use-in-production"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvironmentError_(ValueError):
    """An environment variable holds a value Caseline cannot use."""


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvironmentError_(f"{name} must be true or false (got {raw!r}).")


@dataclass(frozen=True)
class OidcEnvironment:
    """Single sign-on by OpenID Connect: off unless ``CASELINE_OIDC_CLIENT_ID`` is set."""

    client_id: str = ""
    client_secret: str = ""
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""
    jwks_endpoint: str = ""
    sign_algo: str = "RS256"
    email_claim: str = "email"

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str]) -> OidcEnvironment:
        """Read the ``CASELINE_OIDC_*`` variables; all the endpoints are needed once on."""
        values = {
            name: environ.get(f"CASELINE_OIDC_{name.upper()}", "").strip()
            for name in (
                "client_id",
                "client_secret",
                "authorization_endpoint",
                "token_endpoint",
                "userinfo_endpoint",
                "jwks_endpoint",
            )
        }
        if values["client_id"]:
            missing = [f"CASELINE_OIDC_{k.upper()}" for k, v in values.items() if not v]
            if missing:
                raise EnvironmentError_(
                    "Single sign-on needs " + ", ".join(missing) + " as well as the client id."
                )
        return cls(
            **values,
            sign_algo=environ.get("CASELINE_OIDC_SIGN_ALGO", "").strip() or "RS256",
            email_claim=environ.get("CASELINE_OIDC_EMAIL_CLAIM", "").strip() or "email",
        )


@dataclass(frozen=True)
class Environment:
    """What the process environment says about how to run."""

    database_url: str
    secret_key: str | None
    allowed_hosts: tuple[str, ...]
    debug: bool | None
    session_idle_minutes: int
    prepared_statements: bool = True
    la_number: str = ""
    ons_code: str = ""
    validators_python: str = ""
    returns_dir: Path = DEFAULT_RETURNS_DIR
    # How often a worker producing a return says it is still alive; a run not heard from for
    # three of these is taken to have lost its worker.
    run_heartbeat_seconds: int = 15
    oidc: OidcEnvironment = OidcEnvironment()
    # Where people reach Caseline, as the browser sees it: security keys are bound to its host.
    webauthn_origin: str = "http://localhost:8000"
    # Processes that may count one set of the authority's indicators (ADR 0045).
    indicator_processes: int = 2

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str]) -> Environment:
        """Parse the variables Caseline uses; raise on a malformed value."""
        hosts = tuple(h.strip() for h in environ.get("ALLOWED_HOSTS", "").split(",") if h.strip())
        debug_raw = environ.get("DEBUG")
        idle_raw = environ.get("CASELINE_SESSION_IDLE_MINUTES", "30")
        try:
            idle = int(idle_raw)
        except ValueError:
            raise EnvironmentError_(
                f"CASELINE_SESSION_IDLE_MINUTES must be a whole number (got {idle_raw!r})."
            ) from None
        if idle < 2:
            raise EnvironmentError_("CASELINE_SESSION_IDLE_MINUTES must be at least 2.")
        la_number = environ.get("CASELINE_LA_NUMBER", "").strip()
        if la_number and not (len(la_number) == 3 and la_number.isdigit()):
            raise EnvironmentError_(
                f"CASELINE_LA_NUMBER must be the DfE's three-digit LA number (got {la_number!r})."
            )
        ons_code = environ.get("CASELINE_ONS_CODE", "").strip().upper()
        if ons_code and not (len(ons_code) == 9 and ons_code[0] == "E" and ons_code[1:].isdigit()):
            raise EnvironmentError_(
                "CASELINE_ONS_CODE must be the ONS code of an English authority, E and eight "
                f"digits like E08000015 (got {ons_code!r})."
            )
        heartbeat_raw = environ.get("CASELINE_RUN_HEARTBEAT_SECONDS", "15")
        if not heartbeat_raw.strip().isdigit() or int(heartbeat_raw) < 1:
            raise EnvironmentError_(
                "CASELINE_RUN_HEARTBEAT_SECONDS must be a whole number of seconds, at least 1 "
                f"(got {heartbeat_raw!r})."
            )
        processes_raw = environ.get("CASELINE_INDICATOR_PROCESSES", "2")
        if processes_raw.strip() not in ("1", "2"):
            raise EnvironmentError_(
                "CASELINE_INDICATOR_PROCESSES must be 1 (count the indicators in one process) "
                f"or 2 (count the children's care in a second) (got {processes_raw!r})."
            )
        return cls(
            database_url=environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
            secret_key=environ.get("SECRET_KEY") or None,
            allowed_hosts=hosts,
            debug=None if debug_raw is None else _parse_bool("DEBUG", debug_raw),
            session_idle_minutes=idle,
            prepared_statements=_parse_bool(
                "CASELINE_PREPARED_STATEMENTS",
                environ.get("CASELINE_PREPARED_STATEMENTS", "true"),
            ),
            la_number=la_number,
            ons_code=ons_code,
            validators_python=environ.get("CASELINE_VALIDATORS_PYTHON", "").strip(),
            returns_dir=Path(environ.get("CASELINE_RETURNS_DIR") or DEFAULT_RETURNS_DIR),
            run_heartbeat_seconds=int(heartbeat_raw),
            oidc=OidcEnvironment.from_mapping(environ),
            webauthn_origin=(
                environ.get("CASELINE_WEBAUTHN_ORIGIN", "").strip().rstrip("/")
                or "http://localhost:8000"
            ),
            indicator_processes=int(processes_raw),
        )

    @property
    def uses_sqlite(self) -> bool:
        """Whether the configured database is SQLite."""
        return self.database_url.startswith("sqlite:")


ENV = Environment.from_mapping(os.environ)
