"""The checks that stop production settings from starting unsafely."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from caseline.settings.env import Environment

MINIMUM_SECRET_KEY_LENGTH = 50


def production_problems(env: Environment, *, insecure_key: str) -> list[str]:
    """Every reason these environment values are unsafe for production (empty when safe)."""
    problems: list[str] = []
    if env.uses_sqlite:
        problems.append("DATABASE_URL must point at PostgreSQL; SQLite is for the demo only.")
    if not env.secret_key:
        problems.append("SECRET_KEY must be set.")
    elif env.secret_key == insecure_key or len(env.secret_key) < MINIMUM_SECRET_KEY_LENGTH:
        problems.append(
            f"SECRET_KEY must be a random value of at least {MINIMUM_SECRET_KEY_LENGTH} "
            "characters, not the development default."
        )
    if env.debug:
        problems.append("DEBUG must be off.")
    if not env.la_number or not env.ons_code:
        problems.append(
            "CASELINE_LA_NUMBER and CASELINE_ONS_CODE must name the authority (its DfE LA "
            "number and ONS code): the returns to the DfE carry them."
        )
    if not env.allowed_hosts:
        problems.append("ALLOWED_HOSTS must name the hosts Caseline serves.")
    return problems


def check_production_environment(env: Environment, *, insecure_key: str) -> None:
    """Raise ``ImproperlyConfigured`` listing every unsafe setting."""
    problems = production_problems(env, insecure_key=insecure_key)
    if problems:
        raise ImproperlyConfigured(
            "Caseline refuses to start with production settings: " + " ".join(problems)
        )
