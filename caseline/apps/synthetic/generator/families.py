"""People and families: households of parents, children and grandparents, with their
relationships, addresses, other names and professionals; and unaccompanied asylum-seeking
young people with their carers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from caseline.apps.people.duplicates import DUPLICATE_NAME_MATCH
from caseline.apps.people.models import (
    Address,
    Alert,
    ContactDetail,
    Household,
    HouseholdMember,
    OtherName,
    Person,
    ProfessionalInvolvement,
    Relationship,
)
from caseline.apps.people.names import normalise_name, phonetic
from caseline.apps.people.search import NameMatcher, typed_name_score, typed_words
from caseline.apps.people.validators import postcode_search_key
from caseline.apps.synthetic import identifiers, names
from caseline.apps.synthetic.generator.core import Batch, Generation, weighted, years_before

# DfE LA numbers of other authorities a child may have had a UPN from (the neighbours of the
# synthetic default, Wirral: Knowsley, Liverpool, St Helens, Sefton, Halton, Cheshire West).
OTHER_LA_NUMBERS = (340, 341, 342, 343, 876, 896)
# Why a school-age child has no UPN (CIN UPNunknown, 903 UPN column; code list upn_unknown):
# UN1 is only for a child under 6 (rule 8770Q), UN6 only for the unborn, UN7 only for a
# referral closed with no further action, and UN4 not for a child looked after for more than a
# week (903 rule 210), so none of those here.
SCHOOL_AGE_UPN_UNKNOWN = (("UN3", 3), ("UN5", 1))

ETHNICITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("WBRI", 54),
    ("WOTH", 7),
    ("WIRI", 1),
    ("WROM", 0.6),
    ("WIRT", 0.3),
    ("MWBC", 2.5),
    ("MWBA", 1.2),
    ("MWAS", 1.6),
    ("MOTH", 2.2),
    ("AIND", 3.5),
    ("APKN", 6),
    ("ABAN", 2),
    ("AOTH", 2),
    ("BCRB", 2),
    ("BAFR", 5.5),
    ("BOTH", 1),
    ("CHNE", 1),
    ("OOTH", 3),
    ("REFU", 0.6),
    ("NOBT", 1.2),
)
HERITAGE = {
    "AIND": "south-asian",
    "APKN": "south-asian",
    "ABAN": "south-asian",
    "AOTH": "south-asian",
    "BAFR": "african",
    "WOTH": "east-european",
    "WROM": "east-european",
}
RELIGIONS = {
    "south-asian": (("MUS", 6), ("HIN", 2), ("SIK", 1), ("NK", 1)),
    "african": (("CHR", 5), ("MUS", 3), ("NK", 1)),
    "east-european": (("CHR", 6), ("NONE", 2), ("NK", 1)),
    "": (
        ("NONE", 5),
        ("CHR", 4),
        ("NK", 2),
        ("PNS", 0.5),
        ("OTH", 0.3),
        ("JEW", 0.2),
        ("BUD", 0.2),
    ),
}
LANGUAGES = {
    "south-asian": (("English", 6), ("Urdu", 2), ("Bengali", 1), ("Punjabi", 1)),
    "african": (("English", 6), ("Somali", 1.5), ("Tigrinya", 0.5), ("Yoruba", 1)),
    "east-european": (("English", 3), ("Polish", 3), ("Romanian", 2), ("Lithuanian", 0.5)),
    "": (("English", 1),),
}
DISABILITIES = ("AUT", "LD", "COMM", "BEH", "MOB", "HEAR", "VIS", "PC", "DDA")

REL = Relationship.Kind


@dataclass
class Family:
    children: list[Person]
    parents: list[Person]
    area: int
    # An unaccompanied asylum-seeking young person's day of arrival (None for a family).
    arrived: datetime.date | None = None


def search_keys(given: str, family: str) -> tuple[str, str, str, str]:
    """search_given, search_family, phonetic_given, phonetic_family, as the people app sets them."""
    return (
        normalise_name(given)[:100],
        normalise_name(family)[:255],
        phonetic(given),
        phonetic(family),
    )


def address(
    person: Person,
    line_1: str,
    town: str,
    postcode: str,
    start: datetime.date,
    *,
    end: datetime.date | None = None,
    kind: str = Address.Kind.HOME,
) -> Address:
    return Address(
        person=person,
        kind=kind,
        line_1=line_1,
        town=town,
        postcode=postcode,
        postcode_search=postcode_search_key(postcode),
        start_date=start,
        end_date=end,
    )


# How many times a name is drawn for someone before they are born a day earlier instead: enough
# that a free name is all but certain to turn up when there is one.
NAME_DRAWS_A_DAY = 200


def new_person(
    gen: Generation,
    batch: Batch,
    given: str,
    family: str,
    sex: str,
    dob: datetime.date,
    ethnicity: str,
    heritage: str,
    *,
    child: bool,
    given_names: Sequence[str],
) -> Person:
    """A person, drawn from ``given_names`` again while someone already generated born the
    same day has a name the duplicate check would take for theirs; with an NHS number (and a
    child's UPN) nobody else has. When so many draws find only names taken that day (a
    family's youngest, born on the same day as siblings of that name), born a day earlier."""
    rng = gen.rng
    draws = 0
    while is_named_alike(gen, given, family, dob):
        draws += 1
        if draws % NAME_DRAWS_A_DAY == 0:
            dob -= datetime.timedelta(days=1)
        given = rng.choice(given_names)
    sg, sf, pg, pf = search_keys(given, family)
    language = weighted(rng, LANGUAGES.get(heritage, LANGUAGES[""]))
    disabilities = ["NONE"]
    if rng.random() < (0.09 if child else 0.05):
        disabilities = sorted(rng.sample(DISABILITIES, rng.choice((1, 1, 2))))
    person = Person(
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        sex=sex,
        ethnicity=ethnicity,
        religion=weighted(rng, RELIGIONS.get(heritage, RELIGIONS[""])),
        first_language=language,
        interpreter_needed=language != "English" and rng.random() < (0.15 if child else 0.5),
        disabilities=disabilities,
        nationality="British" if heritage == "" or rng.random() < 0.6 else "Other",
        immigration_status="BRIT" if heritage == "" else rng.choice(("BRIT", "SETTLED")),
        nhs_number=unique(gen, identifiers.nhs_number),
        search_given=sg,
        search_family=sf,
        phonetic_given=pg,
        phonetic_family=pf,
    )
    if child:
        identify_pupil(gen, person)
    name_born(gen, given, family, dob)
    batch.add(person)
    return person


def unique(gen: Generation, draw: Callable[[random.Random], str]) -> str:
    """An identifier from ``draw`` that nobody generated so far has (NHS numbers come from a
    range of a million, so an authority of thousands would otherwise share some)."""
    value = draw(gen.rng)
    while value in gen.identifiers:
        value = draw(gen.rng)
    gen.identifiers.add(value)
    return value


def is_named_alike(gen: Generation, given: str, family: str, dob: datetime.date) -> bool:
    """Whether someone generated so far, born on ``dob``, has a name (main or other) that the
    people app's duplicate check would take for this one (``people.duplicates``)."""
    known = gen.born.get(dob)
    if not known:
        return False
    matcher = NameMatcher()
    words = typed_words(f"{given} {family}", matcher)
    return any(typed_name_score(words, [name], matcher) >= DUPLICATE_NAME_MATCH for name in known)


def name_born(gen: Generation, given: str, family: str, dob: datetime.date | None) -> None:
    """Remember a name someone born on ``dob`` has, for :func:`is_named_alike`."""
    if dob is not None:
        gen.born.setdefault(dob, []).append((given, family))


def identify_pupil(gen: Generation, child: Person) -> None:
    """The child's UPN, or why it is not known (a UPN or a reason, never both): under 4 at the
    as-at date (so under 6 at the end of any census year it is returned in) UN1; a few older
    children without one for another reason; a few with a former UPN from another authority."""
    rng, dob = gen.rng, child.date_of_birth
    assert dob is not None
    if (gen.params.as_at - dob).days <= 4 * 365:
        child.upn_unknown_reason = "UN1"
        return
    if rng.random() < 0.015:
        child.upn_unknown_reason = weighted(rng, SCHOOL_AGE_UPN_UNKNOWN)
        return
    child.upn = unique(gen, lambda r: identifiers.upn(r, int(gen.la_number), dob.year + 4))
    if rng.random() < 0.03:
        other = rng.choice(OTHER_LA_NUMBERS)
        child.former_upn = unique(gen, lambda r: identifiers.upn(r, other, dob.year + 4))


def build_family(gen: Generation, batch: Batch, extra: Batch, target: int) -> Family:
    """One household: parents or carers, 1-5 children, maybe grandparents."""
    rng, as_at = gen.rng, gen.params.as_at
    ethnicity = weighted(rng, ETHNICITY_WEIGHTS)
    heritage = HERITAGE.get(ethnicity, "")
    family_name = names.family_name(rng, heritage)
    size = min(target, rng.choices((1, 2, 3, 4, 5), weights=(34, 30, 20, 10, 6))[0])
    # The eldest child's birth date: under 18 for some of the period covered.
    eldest = gen.random_dob(years_before(gen.start, 16), as_at - datetime.timedelta(days=60))
    mother_dob = gen.random_dob(years_before(eldest, 40), years_before(eldest, 17))
    mother = new_person(
        gen,
        batch,
        rng.choice(names.ADULT_NAMES_FEMALE),
        family_name,
        "F",
        mother_dob,
        ethnicity,
        heritage,
        child=False,
        given_names=names.ADULT_NAMES_FEMALE,
    )
    parents = [mother]
    relationships: list[Relationship] = []
    father: Person | None = None
    separated = False
    if rng.random() < 0.55:
        father = new_person(
            gen,
            batch,
            rng.choice(names.ADULT_NAMES_MALE),
            family_name if rng.random() < 0.7 else names.family_name(rng, heritage),
            "M",
            gen.random_dob(years_before(mother_dob, 8), mother_dob + datetime.timedelta(days=2000)),
            ethnicity,
            heritage,
            child=False,
            given_names=names.ADULT_NAMES_MALE,
        )
        parents.append(father)
        separated = rng.random() < 0.25
        relationships.append(
            Relationship(
                person=father,
                other=mother,
                kind=REL.FORMER_PARTNER if separated else REL.PARTNER,
                start_date=years_before(eldest, 1),
                end_date=gen.random_dob(eldest, as_at) if separated else None,
            )
        )
    other_father: Person | None = None
    if size >= 2 and rng.random() < 0.3:
        other_father = new_person(
            gen,
            batch,
            rng.choice(names.ADULT_NAMES_MALE),
            names.family_name(rng, heritage),
            "M",
            gen.random_dob(years_before(mother_dob, 10), mother_dob),
            ethnicity,
            heritage,
            child=False,
            given_names=names.ADULT_NAMES_MALE,
        )
        relationships.append(
            Relationship(
                person=other_father,
                other=mother,
                kind=REL.FORMER_PARTNER,
                start_date=years_before(eldest, 2),
                end_date=eldest,
            )
        )
    children: list[Person] = []
    child_fathers: list[Person | None] = []
    dob = eldest
    for i in range(size):
        if i:
            dob = min(
                as_at - datetime.timedelta(days=30),
                dob + datetime.timedelta(days=rng.randint(300, 1600)),
            )
        sex = rng.choice("MF")
        pool = names.GIVEN_NAMES_MALE if sex == "M" else names.GIVEN_NAMES_FEMALE
        child_father = other_father if other_father is not None and i == 0 else father
        surname = (
            family_name
            if child_father is not other_father or rng.random() < 0.5
            else (other_father.family_name if other_father else family_name)
        )
        child = new_person(
            gen,
            batch,
            rng.choice(pool),
            surname,
            sex,
            dob,
            ethnicity,
            heritage,
            child=True,
            given_names=pool,
        )
        children.append(child)
        child_fathers.append(child_father)
        relationships.append(
            Relationship(
                person=mother,
                other=child,
                kind=REL.PARENT,
                has_parental_responsibility=True,
                lives_with=True,
                start_date=dob,
            )
        )
        if child_father is not None:
            relationships.append(
                Relationship(
                    person=child_father,
                    other=child,
                    kind=REL.PARENT,
                    has_parental_responsibility=rng.random() < 0.8,
                    lives_with=child_father is father and not separated,
                    start_date=dob,
                )
            )
    for i, a in enumerate(children):
        for j in range(i + 1, len(children)):
            same_father = child_fathers[i] is child_fathers[j]
            relationships.append(
                Relationship(
                    person=a,
                    other=children[j],
                    kind=REL.SIBLING if same_father else REL.HALF_SIBLING,
                    lives_with=True,
                )
            )
    if rng.random() < 0.45:
        female = rng.random() < 0.7
        elders = names.GRANDPARENT_NAMES_FEMALE if female else names.GRANDPARENT_NAMES_MALE
        grandparent = new_person(
            gen,
            batch,
            rng.choice(elders),
            family_name,
            "F" if female else "M",
            gen.random_dob(years_before(mother_dob, 35), years_before(mother_dob, 18)),
            ethnicity,
            heritage,
            child=False,
            given_names=elders,
        )
        if rng.random() < 0.3:
            grandparent.date_of_death = gen.random_dob(gen.start, as_at)
        for child in children:
            relationships.append(
                Relationship(person=grandparent, other=child, kind=REL.GRANDPARENT)
            )
        relationships.append(Relationship(person=grandparent, other=mother, kind=REL.PARENT))
    if heritage and rng.random() < 0.1:
        extra.add(
            OtherName(
                person=mother,
                kind=OtherName.Kind.SPELLING,
                given_name=mother.given_name,
                family_name=family_name + "e",
                phonetic_given=mother.phonetic_given,
                phonetic_family=phonetic(family_name + "e"),
            )
        )
    if rng.random() < 0.15:
        extra.add(
            OtherName(
                person=mother,
                kind=OtherName.Kind.PREVIOUS,
                given_name=mother.given_name,
                family_name=names.family_name(rng),
                phonetic_given=mother.phonetic_given,
                phonetic_family="",
            )
        )
        previous = extra.last(OtherName)
        previous.phonetic_family = phonetic(previous.family_name)
    for other in extra.rows.get(OtherName, [])[-2:]:
        if isinstance(other, OtherName) and other.person is mother:
            name_born(gen, other.given_name, other.family_name, mother.date_of_birth)
    for row in relationships:
        extra.add(row)
    # Households and addresses.
    household = Household(name=f"{family_name} household")
    extra.add(household)
    living = [mother, *children] + ([father] if father is not None and not separated else [])
    for member in living:
        extra.add(
            HouseholdMember(
                household=household,
                person=member,
                start_date=member.date_of_birth if member in children else eldest,
            )
        )
    town, postcode = gen.places.address(rng)
    line_1 = names.street_address(rng)
    moved = gen.random_dob(gen.start, as_at) if rng.random() < 0.3 else None
    old_town, old = gen.places.address(rng)
    for child in children:
        gen.homes[id(child)] = (postcode, old) if moved is not None else (postcode,)
    for member in living:
        # Each member's homes begin on their birth at the earliest: a child born after the
        # move has only the new home, from birth.
        born = member.date_of_birth or eldest
        old_street = names.street_address(rng) if moved is not None else ""
        extra.add(address(member, line_1, town, postcode, max(moved or born, born)))
        if moved is not None and born < moved:
            extra.add(address(member, old_street, old_town, old, born, end=moved))
    if father is not None and separated:
        father_town, pc = gen.places.address(rng)
        extra.add(address(father, names.street_address(rng), father_town, pc, eldest))
    for parent in parents:
        extra.add(
            ContactDetail(
                person=parent, kind=ContactDetail.Kind.PHONE, value=names.phone_number(rng)
            )
        )
    for child in children:
        extra.add(
            ProfessionalInvolvement(
                person=child,
                name=f"Dr {rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
                agency=rng.choice(names.GP_PRACTICES),
                role="GP",
                start_date=child.date_of_birth,
            )
        )
        if child.date_of_birth and (as_at - child.date_of_birth).days > 5 * 365:
            extra.add(
                ProfessionalInvolvement(
                    person=child,
                    name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
                    agency=rng.choice(names.SCHOOL_NAMES),
                    role="Designated safeguarding lead",
                )
            )
    if rng.random() < 0.03:
        extra.add(
            Alert(
                person=mother,
                text="Risk to staff: visit in pairs",
                start_date=gen.random_dob(gen.start, as_at),
            )
        )
    return Family(children, parents, area=rng.randrange(1_000_000))


def build_uasc(gen: Generation, batch: Batch, extra: Batch) -> Family:
    """An unaccompanied asylum-seeking young person with a foster carer."""
    rng, as_at = gen.rng, gen.params.as_at
    arrived = gen.random_dob(gen.start, as_at - datetime.timedelta(days=30))
    dob = gen.random_dob(
        years_before(arrived, 17) + datetime.timedelta(days=120), years_before(arrived, 15)
    )
    heritage = "african" if rng.random() < 0.6 else "south-asian"
    child = new_person(
        gen,
        batch,
        rng.choice(names.GIVEN_NAMES_MALE),
        names.family_name(rng, heritage),
        "M",
        dob,
        "BAFR" if heritage == "african" else "AOTH",
        heritage,
        child=True,
        given_names=names.GIVEN_NAMES_MALE,
    )
    child.is_uasc = True
    child.immigration_status = "UASC"
    child.nationality = rng.choice(("Eritrean", "Sudanese", "Afghan"))
    child.first_language = {"Eritrean": "Tigrinya", "Sudanese": "Arabic"}.get(
        child.nationality, "Pashto"
    )
    child.interpreter_needed = True
    if rng.random() < 0.7:  # not yet at a school in England
        child.upn, child.former_upn, child.upn_unknown_reason = "", "", "UN2"
    carer = new_person(
        gen,
        batch,
        rng.choice(names.ADULT_NAMES_FEMALE),
        names.family_name(rng),
        "F",
        gen.random_dob(years_before(as_at, 65), years_before(as_at, 35)),
        "WBRI",
        "",
        child=False,
        given_names=names.ADULT_NAMES_FEMALE,
    )
    extra.add(
        Relationship(
            person=carer,
            other=child,
            kind=REL.CARER,
            lives_with=True,
            start_date=arrived,
            note=rng.choice(names.CARER_AGENCIES),
        )
    )
    town, pc = gen.places.address(rng)
    line_1 = names.street_address(rng)
    # The young person's address is the foster carer's: a placement, not a home (so no home
    # postcode, and no distance from home, in the 903: rule 406).
    extra.add(address(carer, line_1, town, pc, arrived))
    extra.add(address(child, line_1, town, pc, arrived, kind=Address.Kind.PLACEMENT))
    return Family([child], [carer], area=rng.randrange(1_000_000), arrived=arrived)
