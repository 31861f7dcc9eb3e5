"""Fail on a write to a domain model outside an action (docs/patterns.md, "Writes: actions").

Every write goes through an action, which checks the permission and records its audit event
in the same transaction. This reads the Python source (it does not import it) and reports
each call that writes a model, in any module but:

- actions: ``actions.py``, or any module in an ``actions/`` package;
- the synthetic data generator: anything under ``caseline/apps/synthetic/``;
- migrations, tests (``tests/`` folders, ``test_*.py``) and ``conftest.py``.

What it matches, on a call ``<receiver>.<method>(...)``:

- ``save`` and ``delete`` on any receiver: a model instance, a ``ModelForm`` or a formset
  (``form.save()`` writes its model). Not: ``form.save(commit=False)``, which writes nothing;
  ``super().save()`` inside a model's own ``save``; ``self.save()`` in a class that is not a
  model (a view's own method); a receiver imported from outside ``caseline`` (Django's cache,
  storage, ``Group``).
- ``get_or_create``, ``update_or_create``, ``bulk_create``, ``bulk_update``, and the user
  manager's ``create_user`` and ``create_superuser``, on any receiver but one imported from
  outside ``caseline``.
- ``create`` and ``update`` only where the receiver is plainly the ORM: it starts with one of
  our model classes (``Person.objects.create``), or it goes through ``objects``, a manager
  (``_default_manager``), a queryset method (``.filter(...).update(...)``) or a related
  manager named in our models (``person.allocations.create``, ``..._set``). So ``dict.update``
  and ``set.update`` never match, and neither does ``qs.update()`` on a queryset in a variable.

Not matched: many-to-many ``add``/``set``/``remove``/``clear``, ``update``/``create`` on a
queryset or manager held in a variable, and raw SQL.

A justified exception ends the call's line (any line of it) with
``# write-outside-actions: <reason>``. Known hits from before this check are listed in
``tools/writes_outside_actions_baseline.txt`` (path, function, call), to be moved into actions
and removed from the list; an entry that no longer matches anything fails too, so the list
only shrinks.

    python -m tools.check_writes            # caseline/
    python -m tools.check_writes PATH...    # these files or folders
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ROOT / "caseline" / "apps"
BASELINE = Path(__file__).with_name("writes_outside_actions_baseline.txt")
EXEMPTION = re.compile(r"#\s*write-outside-actions:\s*\S")

ALWAYS = {"save", "delete"}
ORM_ONLY = {
    *("get_or_create", "update_or_create", "bulk_create", "bulk_update"),
    *("create_user", "create_superuser"),  # the user manager's
}
WITH_EVIDENCE = {"create", "update"}
WRITES = ALWAYS | ORM_ONLY | WITH_EVIDENCE
MANAGERS = {"objects", "_default_manager", "_base_manager"}
QUERYSET_METHODS = {
    "all", "filter", "exclude", "select_for_update", "select_related", "prefetch_related",
    "only", "defer", "order_by", "annotate", "alias", "using", "distinct", "none",
}  # fmt: skip


@dataclass(frozen=True)
class Models:
    """What the source says about our models: class names and related manager names."""

    classes: frozenset[str]
    related_names: frozenset[str]

    @classmethod
    def read(cls, apps: Path = APPS) -> Models:
        classes: set[str] = set()
        related: set[str] = set()
        for path in [*apps.glob("*/models.py"), *apps.glob("*/models/*.py")]:
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            classes.update(n.name for n in tree.body if isinstance(n, ast.ClassDef))
            related.update(
                kw.value.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Call)
                for kw in node.keywords
                if kw.arg == "related_name"
                and isinstance(kw.value, ast.Constant)
                and isinstance(kw.value.value, str)
                and kw.value.value != "+"
            )
        return cls(frozenset(classes), frozenset(related))


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    function: str  # the enclosing function or class, dotted; "" at module level
    call: str  # the called expression, e.g. "AuditEvent.objects.create", "x.filter(...).update"

    @property
    def key(self) -> str:
        return f"{self.path}\t{self.function}\t{self.call}"

    def __str__(self) -> str:
        method = self.call.rsplit(".", 1)[-1]
        return (
            f"{self.path}:{self.line}: {self.call}() writes a model outside an action. Move "
            f"the {method} into an action (actions.py: permission, audit event, transaction) "
            "and call that; if it must stay, end the line with "
            "`# write-outside-actions: <reason>`."
        )


def is_exempt_path(path: Path) -> bool:
    parts = path.parts
    return (
        path.name in ("actions.py", "conftest.py")
        or path.name.startswith("test_")
        or "actions" in parts[:-1]
        or "migrations" in parts
        or "tests" in parts
        or "synthetic" in parts
    )


def shape(node: ast.expr) -> str:
    """The called expression without arguments: ``x.filter(...).update``."""
    if isinstance(node, ast.Attribute):
        return f"{shape(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{shape(node.func)}(...)"
    if isinstance(node, ast.Subscript):
        return f"{shape(node.value)}[...]"
    return ast.unparse(node)


def chain(node: ast.expr) -> tuple[ast.expr, list[str]]:
    """The root of an attribute and call chain and the attribute names along it, root first:
    ``Person.objects.filter(x=1).update`` -> (Name Person, ["objects", "filter", "update"])."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node, names[::-1]


class Visitor(ast.NodeVisitor):
    def __init__(self, path: str, source: str, models: Models) -> None:
        self.path = path
        self.lines = source.splitlines()
        self.models = models
        self.scope: list[str] = []
        self.classes: list[str] = []
        self.outside: set[str] = set()  # names imported from outside caseline
        self.hits: list[Hit] = []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not alias.name.startswith("caseline"):
                self.outside.add((alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and not (node.module or "").startswith("caseline"):
            self.outside.update(alias.asname or alias.name for alias in node.names)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in WRITES:
            return
        if self.writes(node, func) and not self.exempted(node):
            self.hits.append(Hit(self.path, node.lineno, ".".join(self.scope), shape(func)))

    def writes(self, node: ast.Call, func: ast.Attribute) -> bool:
        method = func.attr
        root, names = chain(func.value)
        root_name = root.id if isinstance(root, ast.Name) else None
        if root_name in self.outside:
            return False
        if method in ALWAYS:
            if any(
                kw.arg == "commit" and isinstance(kw.value, ast.Constant) and not kw.value.value
                for kw in node.keywords
            ):
                return False
            if root_name == "super":
                return False
            if root_name == "self" and not names:
                return bool(self.classes) and self.classes[-1] in self.models.classes
            return True
        if method in ORM_ONLY:
            return True
        return (
            root_name in self.models.classes
            or any(
                name in MANAGERS or name in QUERYSET_METHODS or name in self.models.related_names
                for name in names
            )
            or any(name.endswith("_set") for name in names)
        )

    def exempted(self, node: ast.Call) -> bool:
        last = getattr(node, "end_lineno", None) or node.lineno
        return any(EXEMPTION.search(line) for line in self.lines[node.lineno - 1 : last])


def check_source(path: str, source: str, models: Models) -> list[Hit]:
    visitor = Visitor(path, source, models)
    visitor.visit(ast.parse(source, path))
    return visitor.hits


def python_files(paths: Iterable[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if not is_exempt_path(p))
        elif path.suffix == ".py" and not is_exempt_path(path):
            yield path


def relative(path: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else str(path)


def read_baseline(path: Path) -> Counter[str]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return Counter(line for line in lines if line.strip() and not line.startswith("#"))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    models = Models.read()
    files = list(python_files(args or [str(ROOT / "caseline")]))
    hits = [
        hit
        for path in files
        for hit in check_source(relative(path), path.read_text(encoding="utf-8"), models)
    ]
    known = read_baseline(BASELINE)
    unexplained = []
    for hit in hits:
        if known[hit.key] > 0:
            known[hit.key] -= 1
        else:
            unexplained.append(hit)
    for hit in unexplained:
        print(hit)
    checked = {relative(path) for path in files}
    stale = [key for key, left in known.items() if left > 0 and key.split("\t")[0] in checked]
    for key in stale:
        print(f"{BASELINE.name}: `{key.replace(chr(9), ' ')}` no longer matches: remove the line.")
    return 1 if unexplained or stale else 0


if __name__ == "__main__":
    sys.exit(main())
