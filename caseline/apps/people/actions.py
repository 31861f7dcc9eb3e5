"""Every write to people, families and who works with them. Each action checks the permission
its page declares, is atomic and audited."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks, RowRefused
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.people.duplicates import DuplicateCheck, Identity
from caseline.apps.people.events import PeopleEvent
from caseline.apps.people.models import (
    Address,
    Alert,
    ContactDetail,
    GlassBreak,
    Household,
    HouseholdMember,
    OtherName,
    Person,
    PersonMerge,
    ProfessionalInvolvement,
    Relationship,
    Restriction,
)
from caseline.apps.people.names import normalise_name, phonetic
from caseline.apps.people.queries import ordinarily_visible_people, visible_people
from caseline.apps.people.rules import (
    FORMER_UPN_NOT_CURRENT,
    UPN_OR_UNKNOWN_REASON,
)
from caseline.apps.people.validators import (
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    postcode_search_key,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)
from caseline.apps.returns.rules.cin import CINRule8770Q

# The identity fields a person is created and edited with.
IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "gender_identity",
    "ethnicity",
    "religion",
    "first_language",
    "interpreter_needed",
    "disabilities",
    "immigration_status",
    "is_uasc",
    "nationality",
    "nhs_number",
    "upn",
    "former_upn",
    "upn_unknown_reason",
    "identity_notes",
)
SEARCH_KEY_FIELDS = ("search_given", "search_family", "phonetic_given", "phonetic_family")

_CODED = {
    "ethnicity": (CodeListName.ETHNICITY, "Ethnicity"),
    "religion": (CodeListName.RELIGION, "Religion"),
    "immigration_status": (CodeListName.IMMIGRATION_STATUS, "Immigration status"),
    "gender_identity": (CodeListName.GENDER_IDENTITY, "Gender identity"),
}


class ProbableDuplicates(ValidationError):
    """The person looks like someone already on the record; confirm before creating."""

    def __init__(self, matches: list[Person]) -> None:
        super().__init__(
            "This person may already be on the record. Check the possible matches, then "
            "confirm this is a different person.",
            code="duplicate",
        )
        self.matches = matches


def _clean_identity(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check identity values; raise one ValidationError naming every field."""
    checks = Checks()
    cleaned = dict(values)
    for name in ("given_name", "family_name", "preferred_name", "first_language", "nationality"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    checks.required("given_name", cleaned.get("given_name"), "Enter a first name")
    checks.required("family_name", cleaned.get("family_name"), "Enter a last name")
    dob = cleaned.get("date_of_birth")
    expected = cleaned.get("expected_date_of_birth")
    died = cleaned.get("date_of_death")
    checks.happened("date_of_birth", dob, "Date of birth")
    if checks.planned("expected_date_of_birth", expected, "Expected date of birth"):
        checks.check(
            not (dob and expected),
            "expected_date_of_birth",
            "Enter either a date of birth or an expected date of birth, not both",
        )
    if checks.happened("date_of_death", died, "Date of death") and died and dob:
        checks.check(
            died >= dob, "date_of_death", "Date of death must be on or after the date of birth"
        )
    sex = cleaned.get("sex") or Person.Sex.UNKNOWN
    checks.check(sex in Person.Sex.values, "sex", "Select the person's sex")
    cleaned["sex"] = sex
    for name, (list_name, label) in _CODED.items():
        value = cleaned.get(name) or ""
        cleaned[name] = value
        checks.check(
            not value or code_list(list_name).is_valid(value),
            name,
            f"{label} must be one of the listed options",
        )
    disabilities = list(cleaned.get("disabilities") or [])
    cleaned["disabilities"] = disabilities
    disability_list = code_list(CodeListName.DISABILITY)
    if checks.check(
        all(disability_list.is_valid(code) for code in disabilities),
        "disabilities",
        "Disability must be one of the listed options",
    ):
        checks.check(
            "NONE" not in disabilities or len(disabilities) == 1,
            "disabilities",
            "Select 'No disability' on its own, or the disabilities the person has",
        )
    for name, normalise, validate in (
        ("nhs_number", normalise_nhs_number, validate_nhs_number),
        ("upn", normalise_upn, validate_upn),
        ("former_upn", normalise_upn, _validate_former_upn),
    ):
        if cleaned.get(name):
            cleaned[name] = normalise(cleaned[name])
            try:
                validate(cleaned[name])
            except ValidationError as error:
                checks.add(name, error.messages[0])
    for name in ("nhs_number", "upn", "former_upn", "upn_unknown_reason", "identity_notes"):
        cleaned[name] = cleaned.get(name) or ""
    _check_upn_unknown(checks, cleaned)
    checks.raise_if_any()
    return cleaned


def _validate_former_upn(value: str) -> None:
    validate_upn(value, what="Former unique pupil number")


def _check_upn_unknown(checks: Checks, cleaned: dict[str, Any]) -> None:
    """The UPN, the former UPN and the reason the UPN is not known, together."""
    upn, former, reason = cleaned["upn"], cleaned["former_upn"], cleaned["upn_unknown_reason"]
    if former and upn and former == upn and not checks.has("former_upn"):
        checks.broken(FORMER_UPN_NOT_CURRENT, "former_upn")
    if not reason:
        return
    if not checks.check(
        code_list(CodeListName.UPN_UNKNOWN).is_valid(reason),
        "upn_unknown_reason",
        "Select why the unique pupil number is not known from the list",
    ):
        return
    if upn:
        checks.broken(UPN_OR_UNKNOWN_REASON, "upn_unknown_reason")
        return
    dob, today = cleaned.get("date_of_birth"), timezone.localdate()
    if dob is not None and dob <= today:
        name = cleaned.get("given_name") or "The child"
        CINRule8770Q.check(
            checks,
            "upn_unknown_reason",
            broken=CINRule8770Q.breaks(upn_unknown_reason=reason, born=dob, on=today),
            on=today,
            explain=f"{name} is 6 or older: UN1 is only for a child under 6 who has not yet been "
            "given a UPN",
        )


def _set_search_keys(person: Person) -> None:
    person.search_given = normalise_name(person.given_name)[:100]
    person.search_family = normalise_name(person.family_name)[:255]
    person.phonetic_given = phonetic(person.given_name)
    person.phonetic_family = phonetic(person.family_name)


class PersonRefused(RowRefused):
    """One of the people given to ``create_people`` was refused: ``index`` says which, and
    ``error`` is the refusal ``create_person`` gives for it (``ProbableDuplicates`` among
    them)."""


def _create_person(
    *, acting_user: User, values: dict[str, Any], confirmed_not_duplicate: bool
) -> Person:
    try:
        [person] = _create_people(
            acting_user=acting_user,
            people=[values],
            confirmed_not_duplicate=confirmed_not_duplicate,
        )
    except PersonRefused as refused:
        raise refused.error from None
    return person


def _create_people(
    *, acting_user: User, people: Sequence[dict[str, Any]], confirmed_not_duplicate: bool
) -> list[Person]:
    """The people checked and added in order, each audited as one is. Their duplicates are
    looked for in one read of the record (``DuplicateCheck``), each compared also with the
    people added before it; the first refused refuses them all (``PersonRefused``)."""
    cleaned: list[dict[str, Any]] = []
    unclean: PersonRefused | None = None  # the first whose details are refused
    for index, values in enumerate(people):
        try:
            cleaned.append(_clean_identity(values))
        except ValidationError as error:
            unclean = PersonRefused(index, error)
            break
    identities = [
        Identity(
            given_name=c["given_name"],
            family_name=c["family_name"],
            date_of_birth=c.get("date_of_birth"),
            nhs_number=c["nhs_number"],
            upn=c["upn"],
        )
        for c in cleaned
    ]
    check = None if confirmed_not_duplicate or not identities else DuplicateCheck(identities)
    made = []
    for index, (values, identity) in enumerate(zip(cleaned, identities, strict=True)):
        if check is not None:
            matches = check.matches(identity)
            if matches:
                raise PersonRefused(index, ProbableDuplicates(matches))
        person = Person(recorded_by=acting_user)
        for name in IDENTITY_FIELDS:
            if name in values:
                setattr(person, name, values[name])
        _set_search_keys(person)
        person.save()
        record_event(
            acting_user=acting_user,
            event_type=PeopleEvent.PERSON_CREATED,
            target=person,
            subject_person_id=person.pk,
            new_values=snapshot(person, IDENTITY_FIELDS),
            extra={"confirmed_not_duplicate": confirmed_not_duplicate},
        )
        if check is not None:
            check.add(person)
        made.append(person)
    if unclean is not None:
        raise unclean
    return made


@transaction.atomic(durable=True)
def create_person(
    *, acting_user: User, confirmed_not_duplicate: bool = False, **values: Any
) -> Person:
    """Add a person. Refuses with :class:`ProbableDuplicates` unless none is found or the user
    confirmed this is a different person."""
    require_permission(acting_user, Permission.PERSON_CREATE)
    _check_fields(values)
    return _create_person(
        acting_user=acting_user, values=values, confirmed_not_duplicate=confirmed_not_duplicate
    )


@transaction.atomic(durable=True)
def create_people(*, acting_user: User, people: Sequence[dict[str, Any]]) -> list[Person]:
    """Add several people at once (a family being imported), in order, each checked (its
    details and its probable duplicates, among the record and the people added before it)
    and audited as ``create_person`` does; ``PersonRefused`` names the first refused, and
    none is kept."""
    require_permission(acting_user, Permission.PERSON_CREATE)
    for values in people:
        _check_fields(values)
    return _create_people(acting_user=acting_user, people=people, confirmed_not_duplicate=False)


def _check_fields(values: dict[str, Any]) -> None:
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown identity fields: {', '.join(sorted(unknown))}")


@transaction.atomic(durable=True)
def create_related_person(
    *,
    acting_user: User,
    related_to: Person,
    kind: str,
    person_is_the_relative: bool = True,
    has_parental_responsibility: bool = False,
    lives_with: bool = False,
    confirmed_not_duplicate: bool = False,
    **values: Any,
) -> tuple[Person, Relationship]:
    """Add a new person and their relationship to someone on the record, together."""
    require_permission(acting_user, Permission.PERSON_CREATE)
    person = _create_person(
        acting_user=acting_user, values=values, confirmed_not_duplicate=confirmed_not_duplicate
    )
    first, second = (person, related_to) if person_is_the_relative else (related_to, person)
    relationship = _record_relationship(
        acting_user=acting_user,
        person=first,
        other=second,
        kind=kind,
        has_parental_responsibility=has_parental_responsibility,
        lives_with=lives_with,
    )
    return person, relationship


@transaction.atomic(durable=True)
def update_person_identity(
    *, acting_user: User, person: Person, read_version: int, **values: Any
) -> Person:
    """Change identity details; ``EditConflict`` if someone saved since ``read_version``."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown identity fields: {', '.join(sorted(unknown))}")
    current = {name: getattr(person, name) for name in IDENTITY_FIELDS}
    cleaned = _clean_identity({**current, **values})
    before = snapshot(person, IDENTITY_FIELDS)
    for name in IDENTITY_FIELDS:
        setattr(person, name, cleaned[name])
    _set_search_keys(person)
    save_versioned(
        person, read_version=read_version, update_fields=[*IDENTITY_FIELDS, *SEARCH_KEY_FIELDS]
    )
    old, new = changed_values(before, snapshot(person, IDENTITY_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.IDENTITY_UPDATED,
        target=person,
        subject_person_id=person.pk,
        old_values=old,
        new_values=new,
    )
    return person


@transaction.atomic(durable=True)
def add_other_name(
    *, acting_user: User, person: Person, kind: str, given_name: str = "", family_name: str = ""
) -> OtherName:
    """Record another name the person is or was known by."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    given_name, family_name = given_name.strip(), family_name.strip()
    checks = Checks()
    if checks.check(kind in OtherName.Kind.values, "kind", "Select what kind of name this is"):
        checks.check(
            bool(given_name or family_name), "given_name", "Enter a first name or a last name"
        )
    checks.raise_if_any()
    other = OtherName.objects.create(
        person=person,
        kind=kind,
        given_name=given_name,
        family_name=family_name,
        phonetic_given=phonetic(given_name),
        phonetic_family=phonetic(family_name),
    )
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.OTHER_NAME_ADDED,
        target=other,
        subject_person_id=person.pk,
        new_values=snapshot(other, ["kind", "given_name", "family_name"]),
    )
    return other


@transaction.atomic(durable=True)
def add_address(
    *,
    acting_user: User,
    person: Person,
    line_1: str,
    postcode: str,
    start_date: datetime.date | None,
    line_2: str = "",
    town: str = "",
    end_date: datetime.date | None = None,
    end_previous: bool = False,
    kind: str = Address.Kind.HOME,
) -> Address:
    """Record an address of a kind (home by default); with ``end_previous``, the current
    addresses end the day this starts."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    checks = Checks()
    checks.check(kind in Address.Kind.values, "kind", "Select what kind of address this is")
    checks.required("line_1", line_1, "Enter the first line of the address")
    try:
        validate_postcode(postcode)
    except ValidationError as error:
        checks.add("postcode", error.messages[0])
    what = "The date they started living here"
    if checks.required("start_date", start_date, "Enter the date the person started living here"):
        checks.planned("start_date", start_date, what, child=person)
    if checks.planned("end_date", end_date, "The end date", child=person) and start_date:
        checks.check(
            end_date is None or end_date >= start_date,
            "end_date",
            "The end date must be on or after the start date",
        )
    previous: list[Address] = []
    if end_previous and start_date is not None:
        previous = list(person.addresses.filter(end_date__isnull=True))
        checks.check(
            all(a.start_date <= start_date for a in previous),
            "start_date",
            "The start date must be on or after the start of the current address",
        )
    checks.raise_if_any()
    assert start_date is not None
    for old in previous:
        old.end_date = start_date
        old.save(update_fields=["end_date"])
        record_event(
            acting_user=acting_user,
            event_type=PeopleEvent.ADDRESS_ENDED,
            target=old,
            subject_person_id=person.pk,
            old_values={"end_date": None},
            new_values={"end_date": start_date},
        )
    address = Address.objects.create(
        person=person,
        kind=kind,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=normalise_postcode(postcode),
        postcode_search=postcode_search_key(postcode),
        start_date=start_date,
        end_date=end_date,
    )
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.ADDRESS_ADDED,
        target=address,
        subject_person_id=person.pk,
        new_values=snapshot(
            address, ["kind", "line_1", "line_2", "town", "postcode", "start_date", "end_date"]
        ),
    )
    return address


_EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
_PHONE = re.compile(r"^\+?[\d\s()-]{7,20}$")


@transaction.atomic(durable=True)
def add_contact_detail(
    *, acting_user: User, person: Person, kind: str, value: str, note: str = ""
) -> ContactDetail:
    """Record a phone number or email address for the person."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    value = value.strip()
    if kind == ContactDetail.Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({"value": _EMAIL_FORMAT}) from None
    elif kind == ContactDetail.Kind.PHONE:
        if not _PHONE.match(value) or sum(c.isdigit() for c in value) < 7:
            raise ValidationError({"value": "Enter a phone number, like 01632 960 001"})
    else:
        raise ValidationError({"kind": "Select phone or email"})
    detail = ContactDetail.objects.create(person=person, kind=kind, value=value, note=note.strip())
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.CONTACT_DETAIL_ADDED,
        target=detail,
        subject_person_id=person.pk,
        new_values=snapshot(detail, ["kind", "value", "note"]),
    )
    return detail


_RELATIONSHIP_FIELDS = [
    "person",
    "other",
    "kind",
    "start_date",
    "end_date",
    "has_parental_responsibility",
    "lives_with",
    "note",
]


def _record_relationship(
    *,
    acting_user: User,
    person: Person,
    other: Person,
    kind: str,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    has_parental_responsibility: bool = False,
    lives_with: bool = False,
    note: str = "",
) -> Relationship:
    checks = Checks()
    checks.check(
        person.pk != other.pk, "other", "A person cannot have a relationship with themselves"
    )
    checks.check(kind in Relationship.Kind.values, "kind", "Select how they are related")
    checks.planned("start_date", start_date, "The start date")
    if checks.planned("end_date", end_date, "The end date") and start_date and end_date:
        checks.check(
            end_date >= start_date, "end_date", "The end date must be on or after the start date"
        )
    checks.raise_if_any()
    relationship = Relationship.objects.create(
        person=person,
        other=other,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        has_parental_responsibility=has_parental_responsibility,
        lives_with=lives_with,
        note=note.strip(),
    )
    values = snapshot(relationship, _RELATIONSHIP_FIELDS)
    # The relationship belongs to both records, so both histories show it.
    for subject in (person, other):
        record_event(
            acting_user=acting_user,
            event_type=PeopleEvent.RELATIONSHIP_RECORDED,
            target=relationship,
            subject_person_id=subject.pk,
            new_values=values,
        )
    return relationship


@transaction.atomic(durable=True)
def record_relationship(
    *,
    acting_user: User,
    person: Person,
    other: Person,
    kind: str,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    has_parental_responsibility: bool = False,
    lives_with: bool = False,
    note: str = "",
) -> Relationship:
    """Record that ``person`` is the <kind> of ``other``."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    return _record_relationship(
        acting_user=acting_user,
        person=person,
        other=other,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        has_parental_responsibility=has_parental_responsibility,
        lives_with=lives_with,
        note=note,
    )


@transaction.atomic(durable=True)
def end_relationship(
    *, acting_user: User, relationship: Relationship, end_date: datetime.date | None
) -> Relationship:
    """Record the day a relationship ended."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    checks = Checks()
    if (
        checks.required("end_date", end_date, "Enter the date the relationship ended")
        and checks.check(
            relationship.end_date is None, "end_date", "This relationship has already ended"
        )
        and checks.planned("end_date", end_date, "The date the relationship ended")
    ):
        assert end_date is not None
        checks.check(
            not relationship.start_date or end_date >= relationship.start_date,
            "end_date",
            "The end date must be on or after the start date",
        )
    checks.raise_if_any()
    assert end_date is not None
    relationship.end_date = end_date
    relationship.save(update_fields=["end_date"])
    for subject_id in (relationship.person_id, relationship.other_id):
        record_event(
            acting_user=acting_user,
            event_type=PeopleEvent.RELATIONSHIP_ENDED,
            target=relationship,
            subject_person_id=subject_id,
            old_values={"end_date": None},
            new_values={"end_date": end_date},
        )
    return relationship


@transaction.atomic(durable=True)
def add_household_member(
    *,
    acting_user: User,
    person: Person,
    household: Household | None = None,
    household_name: str = "",
    start_date: datetime.date | None = None,
) -> HouseholdMember:
    """Add a person to a household, starting a new household when none is given."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    checks = Checks()
    checks.planned("start_date", start_date, "The date they started living together", child=person)
    checks.raise_if_any()
    if household is None:
        household = Household.objects.create(name=household_name.strip())
    elif HouseholdMember.objects.filter(
        household=household, person=person, end_date__isnull=True
    ).exists():
        raise ValidationError({"household": f"{person} is already in this household"})
    member = HouseholdMember.objects.create(
        household=household, person=person, start_date=start_date
    )
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.HOUSEHOLD_MEMBER_ADDED,
        target=member,
        subject_person_id=person.pk,
        new_values={
            "household": household.pk,
            "household_name": household.name,
            "start_date": start_date,
        },
    )
    return member


@transaction.atomic(durable=True)
def add_professional(
    *,
    acting_user: User,
    person: Person,
    name: str,
    agency: str,
    role: str,
    phone: str = "",
    email: str = "",
    start_date: datetime.date | None = None,
) -> ProfessionalInvolvement:
    """Record a professional who works with the person."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    checks = Checks()
    checks.required("name", name, "Enter the professional's name")
    checks.required("agency", agency, "Enter the agency they work for")
    checks.required("role", role, "Enter their role")
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            checks.add(
                "email", "Enter an email address in the correct format, like name@example.com"
            )
    # A midwife or health visitor may be involved since before the child was born.
    checks.planned("start_date", start_date, "The date they have been involved since")
    checks.raise_if_any()
    professional = ProfessionalInvolvement.objects.create(
        person=person,
        name=name.strip(),
        agency=agency.strip(),
        role=role.strip(),
        phone=phone.strip(),
        email=email.strip(),
        start_date=start_date,
    )
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.PROFESSIONAL_ADDED,
        target=professional,
        subject_person_id=person.pk,
        new_values=snapshot(
            professional, ["name", "agency", "role", "phone", "email", "start_date"]
        ),
    )
    return professional


@transaction.atomic(durable=True)
def add_alert(
    *,
    acting_user: User,
    person: Person,
    text: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None = None,
) -> Alert:
    """Add an alert shown in the person's identity bar from ``start_date``."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    checks = Checks()
    checks.required("text", text, "Enter the alert")
    if checks.required("start_date", start_date, "Enter the date the alert starts"):
        checks.planned("start_date", start_date, "The date the alert starts", child=person)
    if checks.planned("end_date", end_date, "The end date", child=person) and start_date:
        checks.check(
            end_date is None or end_date >= start_date,
            "end_date",
            "The end date must be on or after the start date",
        )
    checks.raise_if_any()
    assert start_date is not None
    alert = Alert.objects.create(
        person=person, text=text.strip(), start_date=start_date, end_date=end_date
    )
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.ALERT_ADDED,
        target=alert,
        subject_person_id=person.pk,
        new_values=snapshot(alert, ["text", "start_date", "end_date"]),
    )
    return alert


def _person_references() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every foreign key, in any app, that points at Person. Found from Person's reverse
    relations (``_meta.related_objects`` plus hidden ones such as ``related_name="+"`` and
    auto-created many-to-many tables), so apps added later are covered without a change here."""
    references: list[tuple[type[models.Model], models.Field[Any, Any]]] = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.many_to_many:
            continue
        model = relation.related_model
        if model is PersonMerge or not isinstance(model, type):
            continue
        references.append((model, relation.field))
    return references


@transaction.atomic(durable=True)
def merge_people(*, acting_user: User, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """Merge the duplicate ``merged`` into ``kept`` after review.

    Every row in any app that refers to ``merged`` is re-pointed to ``kept``, except rows that
    also refer to ``kept`` (a relationship between the two) or would break a uniqueness rule;
    those stay where they were and are listed. Both Person rows are kept; ``merged`` is marked
    ``merged_into``. Audit events are never changed: queries read both ids (``record_ids``).
    """
    require_permission(acting_user, Permission.PERSON_MERGE)
    checks = Checks()
    if merged.merged_into_id is not None:
        checks.add("merged", f"{merged} ({merged.caseline_id}) has already been merged")
    else:
        checks.check(kept.pk != merged.pk, "merged", "Choose two different records to merge")
    checks.check(
        kept.merged_into_id is None,
        "kept",
        f"{kept} ({kept.caseline_id}) has been merged into another record",
    )
    checks.required("reason", reason, "Enter why these records are the same person")
    checks.raise_if_any()
    moved: dict[str, Any] = {}
    left: dict[str, list[Any]] = {}
    for model, fk in _person_references():
        label = f"{model._meta.label}.{fk.name}"
        rows = model._default_manager.filter(**{fk.name: merged})
        others = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is Person and f.name != fk.name
        ]
        for other in others:
            rows = rows.exclude(**{other: kept})
        if model is Person:
            rows = rows.exclude(pk=merged.pk)
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            continue
        done: list[Any] = []
        try:
            with transaction.atomic():
                model._default_manager.filter(pk__in=ids).update(**{fk.name: kept})
            done = ids
        except IntegrityError:
            for pk in ids:
                try:
                    with transaction.atomic():
                        model._default_manager.filter(pk=pk).update(**{fk.name: kept})
                    done.append(pk)
                except IntegrityError:
                    left.setdefault(label, []).append(pk)
        if done:
            moved[label] = done
    merged.merged_into = kept
    save_versioned(merged, read_version=merged.version, update_fields=["merged_into_id"])
    merge = PersonMerge.objects.create(
        kept=kept,
        merged=merged,
        reason=reason.strip(),
        moved={"moved": moved, "not_moved": left},
        merged_by=acting_user,
    )
    for subject in (kept, merged):
        record_event(
            acting_user=acting_user,
            event_type=PeopleEvent.PERSON_MERGED,
            target=merge,
            subject_person_id=subject.pk,
            new_values={"kept": kept.pk, "merged": merged.pk, "reason": merge.reason},
            extra={"moved": moved, "not_moved": left},
        )
    return merge


@transaction.atomic(durable=True)
def end_address(*, acting_user: User, address: Address, end_date: datetime.date | None) -> Address:
    """Record the day a person stopped living at an address."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    checks = Checks()
    what = "The date they stopped living here"
    if (
        checks.required("end_date", end_date, "Enter the date they stopped living here")
        and checks.check(address.end_date is None, "end_date", "This address has already ended")
        and checks.happened("end_date", end_date, what)
    ):
        assert end_date is not None
        checks.check(
            end_date >= address.start_date,
            "end_date",
            f"{what} must be on or after the date they started living here",
        )
    checks.raise_if_any()
    address.end_date = end_date
    address.save(update_fields=["end_date"])
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.ADDRESS_ENDED,
        target=address,
        subject_person_id=address.person_id,
        old_values={"end_date": None},
        new_values={"end_date": end_date},
    )
    return address


@transaction.atomic(durable=True)
def end_alert(*, acting_user: User, alert: Alert, end_date: datetime.date | None) -> Alert:
    """End an alert (or bring forward an end date already set) so it leaves the identity bar
    after ``end_date``. An alert that has already ended cannot be ended again."""
    require_permission(acting_user, Permission.PERSON_EDIT)
    checks = Checks()
    if (
        checks.required("end_date", end_date, "Enter the date the alert ends")
        and checks.check(
            alert.end_date is None or alert.end_date >= timezone.localdate(),
            "end_date",
            "This alert has already ended",
        )
        and checks.planned("end_date", end_date, "The date the alert ends")
    ):
        assert end_date is not None
        checks.check(
            end_date >= alert.start_date,
            "end_date",
            "The date the alert ends must be on or after the date it started",
        )
    checks.raise_if_any()
    assert end_date is not None
    old_end = alert.end_date
    alert.end_date = end_date
    alert.save(update_fields=["end_date"])
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.ALERT_ENDED,
        target=alert,
        subject_person_id=alert.person_id,
        old_values={"end_date": old_end},
        new_values={"end_date": end_date},
    )
    return alert


# Restricted records (ADR 0030). Who may see one is decided only in people.queries.


def _usernames(users: Iterable[User]) -> list[str]:
    return sorted(user.username for user in users)


def _check_sees(acting_user: User, person: Person) -> None:
    """Only someone who may see the record restricts it, changes or lifts its restriction."""
    if not visible_people(acting_user).filter(pk=person.pk).exists():
        raise PermissionDenied


@transaction.atomic(durable=True)
def restrict_record(
    *, acting_user: User, person: Person, reason: str, named_users: Iterable[User]
) -> Restriction:
    """Restrict the person's record to the named users (the acting user is always one)."""
    require_permission(acting_user, Permission.RECORD_RESTRICT)
    _check_sees(acting_user, person)
    checks = Checks()
    checks.required("reason", reason.strip(), "Enter why the record is restricted")
    checks.check(
        not Restriction.objects.filter(person=person, lifted_at__isnull=True).exists(),
        "reason",
        "This record is already restricted",
    )
    checks.raise_if_any()
    restriction = Restriction.objects.create(
        person=person, reason=reason.strip(), set_by=acting_user
    )
    named = {*named_users, acting_user}
    restriction.named_users.set(named)
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.RECORD_RESTRICTED,
        target=restriction,
        subject_person_id=person.pk,
        new_values={"reason": restriction.reason, "named_users": _usernames(named)},
    )
    return restriction


@transaction.atomic(durable=True)
def change_named_users(
    *, acting_user: User, restriction: Restriction, named_users: Iterable[User]
) -> Restriction:
    """Change who may see a restricted record (the acting user stays one)."""
    require_permission(acting_user, Permission.RECORD_RESTRICT)
    _check_sees(acting_user, restriction.person)
    restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
    checks = Checks()
    checks.check(restriction.lifted_at is None, "named_users", "This restriction was lifted")
    checks.raise_if_any()
    before = _usernames(restriction.named_users.all())
    named = {*named_users, acting_user}
    restriction.named_users.set(named)
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.RESTRICTION_CHANGED,
        target=restriction,
        subject_person_id=restriction.person_id,
        old_values={"named_users": before},
        new_values={"named_users": _usernames(named)},
    )
    return restriction


@transaction.atomic(durable=True)
def lift_restriction(*, acting_user: User, restriction: Restriction, reason: str) -> Restriction:
    """Lift a restriction: the record is seen as any other again. Glass breaks end with it."""
    require_permission(acting_user, Permission.RECORD_RESTRICT)
    _check_sees(acting_user, restriction.person)
    restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
    checks = Checks()
    checks.required("reason", reason.strip(), "Enter why the restriction is lifted")
    checks.check(restriction.lifted_at is None, "reason", "This restriction was already lifted")
    checks.raise_if_any()
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = acting_user
    restriction.lift_reason = reason.strip()
    restriction.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.RESTRICTION_LIFTED,
        target=restriction,
        subject_person_id=restriction.person_id,
        new_values={"lift_reason": restriction.lift_reason},
    )
    return restriction


@transaction.atomic(durable=True)
def break_the_glass(*, acting_user: User, person: Person, reason: str) -> GlassBreak:
    """Open a restricted record the user would otherwise see, giving a reason. Audited, and
    shown to the child's allocated worker and whoever set the restriction in their My work."""
    require_permission(acting_user, Permission.CHILD_VIEW)
    if not ordinarily_visible_people(acting_user).filter(pk=person.pk).exists():
        raise PermissionDenied
    restriction = (
        Restriction.objects.filter(person__in=[person.pk, person.merged_into_id or 0])
        .filter(lifted_at__isnull=True)
        .first()
    )
    checks = Checks()
    checks.required("reason", reason.strip(), "Enter why you need to open this record")
    checks.check(restriction is not None, "reason", "This record is not restricted")
    checks.raise_if_any()
    assert restriction is not None
    glass_break = GlassBreak.objects.create(
        restriction=restriction, person=person, user=acting_user, reason=reason.strip()
    )
    record_event(
        acting_user=acting_user,
        event_type=PeopleEvent.GLASS_BROKEN,
        target=glass_break,
        subject_person_id=person.pk,
        new_values={"reason": glass_break.reason},
    )
    return glass_break
