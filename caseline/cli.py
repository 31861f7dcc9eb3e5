"""The ``caseline`` command: Django's management commands, with Caseline's own listed first.

``caseline --help`` lists the project's commands with one line each; ``caseline help``
still lists every Django command.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def project_commands() -> list[tuple[str, str]]:
    """Caseline's own management commands and their one-line help, sorted by name."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    commands: list[tuple[str, str]] = []
    for name, app in sorted(get_commands().items()):
        if not app.startswith("caseline."):
            continue
        command = load_command_class(app, name)
        first_line = (command.help or "").strip().splitlines()
        commands.append((name, first_line[0] if first_line else ""))
    return commands


def print_help() -> None:
    """Print the project's commands."""
    print("Usage: caseline <command> [options]\n")
    print("Caseline's commands:")
    commands = project_commands()
    width = max(len(name) for name, _ in commands)
    for name, summary in commands:
        print(f"  {name.ljust(width)}  {summary}")
    print("\n'caseline <command> --help' explains one command; 'caseline help' lists Django's too.")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``caseline`` console script."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")
    args = list(sys.argv if argv is None else argv)
    if len(args) < 2 or args[1] in {"-h", "--help"}:
        print_help()
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":  # pragma: no cover
    main()
