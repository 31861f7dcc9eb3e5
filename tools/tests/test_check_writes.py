"""The writes-outside-actions check: snippets it must flag and snippets it must pass."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tools import check_writes
from tools.check_writes import Models, check_source, is_exempt_path

MODELS = Models(
    classes=frozenset({"Person", "Allocation", "Team"}), related_names=frozenset({"allocations"})
)


def calls(source: str) -> list[str]:
    hits = check_source("caseline/apps/demo/views.py", textwrap.dedent(source), MODELS)
    return [hit.call for hit in hits]


@pytest.mark.parametrize(
    ("source", "call"),
    [
        ("person.save()", "person.save"),
        ("person.save(update_fields=['given_name'])", "person.save"),
        ("form.save()", "form.save"),  # a ModelForm writes its model
        ("self.form.instance.delete()", "self.form.instance.delete"),
        ("Person.objects.create(given_name='Ada')", "Person.objects.create"),
        (
            "Person.objects.filter(pk=1).update(given_name='Ada')",
            "Person.objects.filter(...).update",
        ),
        ("Person.objects.filter(pk=1).delete()", "Person.objects.filter(...).delete"),
        ("Team.objects.get_or_create(name='x')", "Team.objects.get_or_create"),
        ("Team.objects.update_or_create(name='x')", "Team.objects.update_or_create"),
        ("Allocation.objects.bulk_create(rows)", "Allocation.objects.bulk_create"),
        ("Allocation.objects.bulk_update(rows, ['end_date'])", "Allocation.objects.bulk_update"),
        (
            "model._default_manager.filter(pk=1).update(v=2)",
            "model._default_manager.filter(...).update",
        ),
        ("person.allocations.create(team=team)", "person.allocations.create"),
        ("person.referral_set.create()", "person.referral_set.create"),
        ("User.objects.create_user(username='x')", "User.objects.create_user"),
        ("items[0].save()", "items[...].save"),
    ],
)
def test_flags(source: str, call: str) -> None:
    assert calls(source) == [call]


def test_self_save_in_a_model_is_flagged() -> None:
    source = """
        class Person:
            def close(self):
                self.closed = True
                self.save()
        """
    hits = check_source("caseline/apps/demo/models.py", textwrap.dedent(source), MODELS)
    assert [(hit.line, hit.function, hit.call) for hit in hits] == [
        (5, "Person.close", "self.save")
    ]


@pytest.mark.parametrize(
    "source",
    [
        "context.update(title='x')",  # dict.update
        "ids.update(Person.objects.values_list('pk', flat=True))",  # set.update of a queryset
        "seen = set(); seen.update([1])",
        "staff.update(User.objects.in_bulk([1]))",
        "form.save(commit=False)",  # writes nothing
        "Checks().create('x')",  # create on something not the ORM
        "factory.create()",
        "from django.core.cache import cache\ncache.delete('k')",
        "from django.contrib.auth.models import Group\nGroup.objects.get_or_create(name='x')",
        "from django.core.files.storage import default_storage\ndefault_storage.save('a', f)",
        "person.save()  # write-outside-actions: the demo seeds itself",
        "Person.objects.create(\n    given_name='Ada',  # write-outside-actions: a reason\n)",
    ],
)
def test_passes(source: str) -> None:
    assert calls(source) == []


def test_super_save_and_a_views_own_save_pass() -> None:
    source = """
        class Person:
            def save(self, *args, **kwargs):
                super().save(*args, **kwargs)

        class EditView:
            def post(self, request):
                return self.save(self.get_form())
        """
    assert calls(source) == []


def test_an_exemption_needs_a_reason() -> None:
    assert calls("person.save()  # write-outside-actions:") == ["person.save"]


@pytest.mark.parametrize(
    ("path", "exempt"),
    [
        ("caseline/apps/people/actions.py", True),
        ("caseline/apps/lookedafter/actions/placements.py", True),
        ("caseline/apps/synthetic/generator/build.py", True),
        ("caseline/apps/people/migrations/0002_x.py", True),
        ("caseline/apps/people/tests/builders.py", True),
        ("caseline/apps/people/test_something.py", True),
        ("caseline/apps/people/tests/conftest.py", True),
        ("conftest.py", True),
        ("caseline/apps/people/views.py", False),
        ("caseline/apps/people/models.py", False),
        ("caseline/apps/accounts/management/commands/demo.py", False),
    ],
)
def test_exempt_paths(path: str, exempt: bool) -> None:
    assert is_exempt_path(Path(path)) is exempt


def test_models_are_read_from_the_apps() -> None:
    models = Models.read()
    assert {"Person", "Allocation", "AuditEvent", "Team"} <= models.classes
    assert "allocations" in models.related_names


def test_baseline_lets_known_hits_through_and_fails_stale_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = tmp_path / "views.py"
    module.write_text("def post(request, person):\n    person.save()\n")
    baseline = tmp_path / "baseline.txt"
    monkeypatch.setattr(check_writes, "BASELINE", baseline)

    assert check_writes.main([str(module)]) == 1
    assert "views.py:2: person.save() writes a model outside an action" in capsys.readouterr().out

    baseline.write_text(f"# known\n{module}\tpost\tperson.save\n")
    assert check_writes.main([str(module)]) == 0

    module.write_text("def post(request, person):\n    return person\n")
    assert check_writes.main([str(module)]) == 1
    assert "no longer matches: remove the line" in capsys.readouterr().out


def test_the_tree_passes() -> None:
    """What `make lint` runs: caseline/ against the baseline."""
    assert check_writes.main([]) == 0
