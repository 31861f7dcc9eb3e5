"""The genogram is drawn from the recorded relationships: structure, symbols and words."""

from __future__ import annotations

import datetime
import re
from itertools import pairwise
from typing import Any

import pytest

from caseline.apps.genogram.family import UnionStatus, build_family
from caseline.apps.genogram.layout import SPACING, layout
from caseline.apps.genogram.svg import describe, render_svg
from caseline.apps.people.models import Household, HouseholdMember, Person, Relationship

K = Relationship.Kind
pytestmark = pytest.mark.django_db


def _person(
    given: str, family: str, sex: str, born: int, died: datetime.date | None = None
) -> Person:
    return Person.objects.create(
        given_name=given,
        family_name=family,
        sex=sex,
        date_of_birth=datetime.date(born, 6, 1),
        date_of_death=died,
    )


def _rel(person: Person, kind: str, other: Person, **extra: Any) -> Relationship:
    return Relationship.objects.create(person=person, kind=kind, other=other, **extra)


@pytest.fixture
def family() -> dict[str, Person]:
    """Separated parents, a half-sibling by the mother's new partner, a deceased grandparent."""
    p = {
        "child": _person("Amara", "Thornfield", "F", 2015),
        "mum": _person("Leah", "Thornfield", "F", 1990),
        "dad": _person("Owen", "Marsh", "M", 1988),
        "stepdad": _person("Kai", "Penrose", "M", 1987),
        "half": _person("Rory", "Penrose", "M", 2020),
        "brother": _person("Jude", "Thornfield", "M", 2012),
        "nan": _person("Mabel", "Thornfield", "F", 1962),
        "grandad": _person("Alfred", "Thornfield", "M", 1958, died=datetime.date(2019, 3, 2)),
    }
    for kid in ("child", "brother"):
        _rel(p["mum"], K.PARENT, p[kid])
        _rel(p["dad"], K.PARENT, p[kid])
    _rel(p["mum"], K.PARENT, p["half"])
    _rel(p["stepdad"], K.PARENT, p["half"])
    _rel(p["stepdad"], K.STEP_PARENT, p["child"])
    _rel(p["mum"], K.FORMER_PARTNER, p["dad"], end_date=datetime.date(2018, 1, 1))
    _rel(p["mum"], K.PARTNER, p["stepdad"], start_date=datetime.date(2019, 1, 1))
    _rel(p["nan"], K.PARENT, p["mum"])
    _rel(p["grandad"], K.PARENT, p["mum"])
    _rel(p["nan"], K.PARTNER, p["grandad"])
    home = Household.objects.create(name="Thornfield home")
    for key in ("child", "mum", "stepdad", "half", "brother"):
        HouseholdMember.objects.create(household=home, person=p[key])
    return p


def test_three_generations_are_found(family: dict[str, Person]) -> None:
    tree = build_family(family["child"])
    generations = {m.given_name: m.generation for m in tree.members.values()}
    assert generations == {
        "Amara": 2,
        "Jude": 2,
        "Rory": 2,
        "Leah": 1,
        "Owen": 1,
        "Kai": 1,
        "Mabel": 0,
        "Alfred": 0,
    }


def test_unions_show_separation_and_half_siblings(family: dict[str, Person]) -> None:
    tree = build_family(family["child"])
    ids = {p.pk: key for key, p in family.items()}
    unions = {
        frozenset({ids[u.first], ids[u.second] if u.second else None}): u for u in tree.unions
    }
    parents = unions[frozenset({"mum", "dad"})]
    assert parents.status is UnionStatus.SEPARATED
    assert [ids[c] for c in parents.children] == ["brother", "child"]
    new_family = unions[frozenset({"mum", "stepdad"})]
    assert new_family.status is UnionStatus.TOGETHER
    assert [ids[c] for c in new_family.children] == ["half"]
    grandparents = unions[frozenset({"nan", "grandad"})]
    assert [ids[c] for c in grandparents.children] == ["mum"]
    assert family["stepdad"].pk in tree.step_parents


def test_symbols_in_the_svg(family: dict[str, Person]) -> None:
    svg = render_svg(build_family(family["child"]), "Genogram for Amara Thornfield")
    assert svg.count('class="genogram-person"') == 8
    # Squares for the five males; circles for the two other females and the child's two.
    assert svg.count("<rect ") == 5
    assert svg.count("<circle ") == 2 + 2
    assert svg.count('class="genogram-separation"') == 2  # one separation, two slashes
    assert svg.count("genogram-household") == 1
    assert 'data-status="separated"' in svg
    assert 'data-status="together"' in svg
    assert '<title id="genogram-title">Genogram for Amara Thornfield</title>' in svg


def test_the_deceased_grandparent_is_crossed_out(family: dict[str, Person]) -> None:
    svg = render_svg(build_family(family["child"]), "t")
    grandad = re.search(rf'data-person-id="{family["grandad"].pk}">(.*?)</g><text', svg)
    assert grandad is not None
    assert grandad.group(1).count("<line") == 2
    nan = re.search(rf'data-person-id="{family["nan"].pk}">(.*?)<text', svg)
    assert nan is not None
    assert "<line" not in nan.group(1)


def test_layout_keeps_rows_apart_and_children_below_parents(family: dict[str, Person]) -> None:
    tree = build_family(family["child"])
    place = layout(tree)
    for generation in (0, 1, 2):
        xs = sorted(place.x[m.person_id] for m in tree.generation(generation))
        assert all(b - a >= SPACING for a, b in pairwise(xs))
    assert place.y[family["nan"].pk] < place.y[family["mum"].pk] < place.y[family["child"].pk]


def test_the_words_describe_the_family(family: dict[str, Person]) -> None:
    text = " ".join(describe(build_family(family["child"])))
    assert "Amara Thornfield is the child this genogram is about." in text
    assert "Leah Thornfield (born 1990) and Owen Marsh (born 1988) have separated" in text
    assert "Alfred Thornfield (born 1958, died 2019)" in text
    assert "Kai Penrose (born 1987) is Amara's step-parent." in text
    assert "Amara lives with" in text
    assert "Rory Penrose" in text


def test_changing_a_relationship_changes_the_genogram(family: dict[str, Person]) -> None:
    before = render_svg(build_family(family["child"]), "t")
    Relationship.objects.filter(person=family["mum"], other=family["dad"]).update(
        kind=K.PARTNER, end_date=None
    )
    after = render_svg(build_family(family["child"]), "t")
    assert before != after
    assert 'class="genogram-separation"' not in after


def test_built_in_a_fixed_number_of_queries(
    family: dict[str, Person], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(5):
        build_family(family["child"])


def test_a_child_with_no_relationships_is_alone() -> None:
    child = _person("Nia", "Vale", "U", 2019)
    tree = build_family(child)
    assert list(tree.members) == [child.pk]
    assert "<polygon" in render_svg(tree, "t")  # a diamond for sex not known
