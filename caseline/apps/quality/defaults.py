"""The default audit tool, shipped as data (``data/default_tool.json``) and installed as
version 1 by the data migration ``0002_default_audit_tool``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_TOOL_PATH = Path(__file__).parent / "data" / "default_tool.json"


def default_tool() -> dict[str, Any]:
    """The default tool's key, title, introduction and questions (theme, text, guidance)."""
    data: dict[str, Any] = json.loads(DEFAULT_TOOL_PATH.read_text(encoding="utf-8"))
    return data
