"""Serve Caseline with Django's server on loopback (for the demo and development)."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve Caseline on a loopback address for development (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "address", nargs="?", default="127.0.0.1:8000", help="host:port, loopback only"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CASELINE_ENVIRONMENT == "production":
            raise CommandError(
                "'caseline serve' is the development server. In production run the WSGI "
                "application caseline.wsgi:application under a production server."
            )
        host, _, port = str(options["address"]).rpartition(":")
        host = host or "127.0.0.1"
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback or not port.isdigit():
            raise CommandError(
                f"Give a loopback host:port such as 127.0.0.1:8000 (got {options['address']!r})."
            )
        call_command("runserver", f"{host}:{port}", use_reloader=False)
