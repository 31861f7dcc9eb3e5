"""The default audit tool, shipped as data (``data/default_tool.json``) and installed as
version 1 by a data migration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_TOOL_PATH = Path(__file__).parent / "data" / "default_tool.json"


def default_tool() -> dict[str, Any]:
    """The default tool's key, title, introduction and questions (theme, text, guidance)."""
    data: dict[str, Any] = json.loads(DEFAULT_TOOL_PATH.read_text(encoding="utf-8"))
    return data


def install_default_tool(tool_model: Any, question_model: Any) -> Any:
    """Create version 1 of the default tool unless a tool with its key exists (the models
    are passed in, so a migration can use its historical ones)."""
    data = default_tool()
    if tool_model.objects.filter(key=data["key"]).exists():
        return None
    tool = tool_model.objects.create(
        key=data["key"],
        version=1,
        title=data["title"],
        introduction=data["introduction"],
        change_note="The default tool shipped with Caseline.",
    )
    question_model.objects.bulk_create(
        question_model(
            tool=tool,
            theme=q["theme"],
            order=index,
            text=q["text"],
            guidance=q["guidance"],
        )
        for index, q in enumerate(data["questions"], start=1)
    )
    return tool
