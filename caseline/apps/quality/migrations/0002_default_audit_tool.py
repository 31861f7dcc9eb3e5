"""Install version 1 of the default audit tool (``quality/data/default_tool.json``)."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from caseline.apps.quality.defaults import install_default_tool

    install_default_tool(apps.get_model("quality", "AuditTool"), apps.get_model("quality", "ToolQuestion"))


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_case_audits_and_iro_challenge")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
