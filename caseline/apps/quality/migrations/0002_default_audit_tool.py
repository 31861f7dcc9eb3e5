"""Install version 1 of the default audit tool (``quality/data/default_tool.json``)."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from caseline.apps.quality.defaults import default_tool

    tool_model = apps.get_model("quality", "AuditTool")
    question_model = apps.get_model("quality", "ToolQuestion")
    data = default_tool()
    if tool_model.objects.filter(key=data["key"]).exists():
        return
    tool = tool_model.objects.create(
        key=data["key"],
        version=1,
        title=data["title"],
        introduction=data["introduction"],
        change_note="The default tool shipped with Caseline.",
    )
    question_model.objects.bulk_create(
        question_model(
            tool=tool, theme=q["theme"], order=index, text=q["text"], guidance=q["guidance"]
        )
        for index, q in enumerate(data["questions"], start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_case_audits_and_iro_challenge")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
