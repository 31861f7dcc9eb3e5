"""Build a synthetic local authority: teams, workers, families and ten years of casework.

This is a development tool (the app is installed in dev and test settings, never in
production). It writes with ``bulk_create`` in batches and does NOT go through the domain
actions, so there is no audit event per row: the actions' job is to check and audit what a
person does, and nobody does anything here. A whole authority is millions of rows, which
per-row actions and audit events would take hours to write and would bury the audit trail in
noise. One ``synthetic.authority-generated`` event records the parameters and the counts.

Determinism: every random choice comes from one ``random.Random(seed)`` drawn in a fixed
order, nothing depends on the clock or on dict ordering of database results, so the same seed
and as-at date give the same people, dates and codes (``authority_digest`` proves it).

Volumes scale with the number of children N and years Y, calibrated on a city with 50,000
children on record over 10 years: about 70,000 contacts and 8,000 referrals a year.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.record import record_event
from caseline.apps.people.models import (
    Address,
    Alert,
    Allocation,
    ContactDetail,
    Household,
    HouseholdMember,
    OtherName,
    Person,
    ProfessionalInvolvement,
    Relationship,
)
from caseline.apps.people.names import normalise_name, phonetic
from caseline.apps.people.validators import postcode_search_key
from caseline.apps.synthetic import identifiers, names
from caseline.apps.synthetic.events import SyntheticEvent
from caseline.apps.timescales.calendar import (
    WorkingDayCalendar,
    add_calendar_months,
    england_and_wales,
)

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)
LONDON = ZoneInfo("Europe/London")
BATCH_SIZE = 5000
CHUNK_CHILDREN = 2000
# Social workers in one team, under one team manager (a manager's usual span of 6 to 10).
TEAM_WORKERS = 8
LA_CODE = 999  # not a real local authority number

# Calibration: per child on record, per year.
CONTACTS_PER_CHILD_YEAR = 70_000 / 50_000
REFERRALS_PER_CHILD_YEAR = 8_000 / 50_000
NEED_MEAN = 1 - 1 / 7  # the mean of min(Pareto(2) - 1, 6)

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
CONTACT_SOURCES = (
    ("6", 28),
    ("2A", 18),
    ("3A", 3),
    ("3B", 4),
    ("3D", 3),
    ("3E", 4),
    ("1A", 6),
    ("1B", 2),
    ("1C", 1),
    ("5A", 4),
    ("5D", 5),
    ("4", 3),
    ("7", 2),
    ("8", 4),
    ("9", 3),
    ("10", 2),
)
PRIMARY_NEEDS = (
    ("N1", 52),
    ("N2", 4),
    ("N3", 5),
    ("N4", 14),
    ("N5", 12),
    ("N6", 3),
    ("N7", 1),
    ("N8", 3),
    ("N9", 4),
    ("N0", 2),
)
CONCERNS = (
    "Police attended a domestic incident at the home overnight; the children were present.",
    "School report the child arrived hungry and in the same clothes for several days.",
    "Health visitor is worried about the home conditions and the baby's weight.",
    "The child told a teacher that mum's partner hits her when he is angry.",
    "Neighbour reports the children are left alone in the evenings.",
    "A&E saw the child with a bruise that does not fit the explanation given.",
    "Mum asked for help: she is struggling with her mental health and the children's behaviour.",
    "The young person has been missing from home three times this month.",
    "Concerns the young person is being exploited by older males in the area.",
    "Dad has relapsed into drug use and is the children's main carer.",
)
NOTE_TITLES = {
    "visit": ("Home visit", "Unannounced home visit", "Visit to the child at school"),
    "phone-call": ("Call with mum", "Call with the school", "Call with the health visitor"),
    "meeting": ("Core group meeting", "Professionals meeting", "Family network meeting"),
    "direct-work": ("Direct work: three houses", "Direct work: wishes and feelings"),
    "other": ("Case summary updated", "Chronology reviewed"),
}
SIGNIFICANT_EVENTS = (
    ("Police called to the home", "A further domestic incident with the children present."),
    ("Child moved school", "A change of school after an exclusion."),
    ("Mum's partner moved out", "Changes who lives in the household and the risks at home."),
    ("Child admitted to hospital", "An injury needing assessment under the bruising protocol."),
)
SUPERVISION_ACTIONS = (
    "See the child alone at school.",
    "Complete the wishes and feelings direct work.",
    "Update the chronology and the case summary.",
    "Ask the GP for the parents' health information.",
    "Arrange a family network meeting.",
    "Check attendance with the school.",
)
OUTCOMES = (
    "{name} goes to school every day and is on time.",
    "{name} lives in a home free from violence and arguments.",
    "{name}'s health needs are met: dental and health checks are up to date.",
    "{name} has a safe adult to talk to when worried.",
    "{name}'s parents manage their mental health with the right support.",
)
ACTIONS = (
    ("Attend the parenting course at the family hub", "Mum", "Mum attends every session"),
    ("Book and attend a dental check", "Dad", "The dentist confirms the appointment"),
    ("Weekly direct work sessions", "Social worker", "Sessions recorded on the file"),
    ("Refer to the domestic abuse service", "Social worker", "The service confirms contact"),
    ("Daily attendance check and feedback", "Designated safeguarding lead", "Weekly report"),
)

ASSESSMENT_FACTORS = (
    "1B",
    "2B",
    "3A",
    "3B",
    "4B",
    "4A",
    "5B",
    "10A",
    "11A",
    "14A",
    "16A",
    "17A",
    "18C",
    "24A",
)

REL = Relationship.Kind


def search_keys(given: str, family: str) -> tuple[str, str, str, str]:
    """search_given, search_family, phonetic_given, phonetic_family, as the people app sets them."""
    return (
        normalise_name(given)[:100],
        normalise_name(family)[:255],
        phonetic(given),
        phonetic(family),
    )


def batch_last(batch: Batch, model: type[M]) -> M:
    row = batch.rows[model][-1]
    assert isinstance(row, model)
    return row


def weighted(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    values = [v for v, _ in pairs]
    return rng.choices(values, weights=[w for _, w in pairs])[0]


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def model_available(app_label: str, model_name: str) -> type[models.Model] | None:
    """The model when its app is installed, it exists and its table has been migrated."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    if model._meta.db_table not in connection.introspection.table_names():
        return None
    return model


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def years_before(day: datetime.date, years: int) -> datetime.date:
    return datetime.date(day.year - years, day.month, min(day.day, 28))


@dataclass(frozen=True)
class Parameters:
    children: int
    years: int
    seed: int
    as_at: datetime.date


@dataclass
class Staff:
    team: Team
    manager: User
    workers: list[User]


@dataclass
class Authority:
    front_door: Staff
    assessment: list[Staff]
    cin: list[Staff]
    care: list[Staff]
    leaving_care: Staff
    reviewing: Staff


@dataclass
class Family:
    children: list[Person]
    parents: list[Person]
    area: int


@dataclass
class Batch:
    """Rows waiting to be written, in dependency order."""

    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

    def add(self, row: models.Model) -> None:
        self.rows.setdefault(type(row), []).append(row)


class Builder:
    """Generates the authority; call :meth:`run`."""

    def __init__(
        self, params: Parameters, *, progress: Callable[[str], None] | None = None
    ) -> None:
        self.params = params
        self.rng = random.Random(params.seed)
        self.progress = progress or (lambda message: None)
        self.started = time.monotonic()
        self.counts: Counter[str] = Counter()
        self.child_ids: list[int] = []
        # Rows that refer to rows of a type written later in the same batch (review
        # conferences refer to the plan that the initial conference started).
        self.later = Batch()
        self.calendar: WorkingDayCalendar = england_and_wales()
        self.start = years_before(params.as_at, params.years)
        self.models = {
            name: model_available(app_label, name)
            for app_label, name in (
                ("frontdoor", "Contact"),
                ("frontdoor", "ContactPerson"),
                ("frontdoor", "Referral"),
                ("frontdoor", "EarlyHelpEpisode"),
                ("frontdoor", "StepChange"),
                ("assessments", "Assessment"),
                ("assessments", "AssessmentReturn"),
                ("cin", "CINPlan"),
                ("cin", "PlanOutcome"),
                ("cin", "PlanAction"),
                ("cin", "PlanReview"),
                ("cin", "CINVisit"),
                ("recording", "CaseNote"),
                ("recording", "ManagementOversight"),
                ("recording", "Supervision"),
                ("recording", "SupervisionAction"),
                ("lookedafter", "Episode"),
                ("protection", "StrategyDiscussion"),
                ("protection", "StrategyParticipant"),
                ("protection", "Section47Enquiry"),
                ("protection", "Conference"),
                ("protection", "ConferenceAttendee"),
                ("protection", "ProtectionPlan"),
                ("protection", "ProtectionOutcome"),
                ("protection", "ProtectionAction"),
                ("protection", "CoreGroup"),
                ("protection", "ProtectionVisit"),
                ("lookedafter", "IROAllocation"),
                ("lookedafter", "LACReview"),
                ("lookedafter", "LACVisit"),
                ("lookedafter", "CarePlan"),
                ("lookedafter", "HealthRecord"),
                ("lookedafter", "PersonalEducationPlan"),
            )
        }

    # -- helpers ------------------------------------------------------------------------------

    def say(self, message: str) -> None:
        self.progress(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def has(self, name: str) -> bool:
        return self.models.get(name) is not None

    def model(self, name: str) -> type[models.Model]:
        model = self.models[name]
        assert model is not None
        return model

    def write(self, batch: Batch) -> int:
        written = 0
        with transaction.atomic():
            for model, rows in batch.rows.items():
                for i in range(0, len(rows), BATCH_SIZE):
                    model._default_manager.bulk_create(rows[i : i + BATCH_SIZE])
                self.counts[model._meta.label] += len(rows)
                written += len(rows)
        return written

    def working_days(self, day: datetime.date, n: int) -> datetime.date:
        return self.calendar.add_working_days(day, n)

    # -- staff --------------------------------------------------------------------------------

    def build_staff(self) -> Authority:
        n = self.params.children
        groups = {g.name: g for g in Group.objects.filter(name__in=[r.value for r in Role])}
        users: list[User] = []
        memberships: list[tuple[User, Role]] = []
        counter = {"sw": 0, "tm": 0}

        def person_name() -> tuple[str, str]:
            female = self.rng.random() < 0.8  # the workforce is mostly women
            given = self.rng.choice(names.ADULT_NAMES_FEMALE if female else names.ADULT_NAMES_MALE)
            return given, names.family_name(self.rng)

        def make_user(prefix: str, role: Role, title: str) -> User:
            counter[prefix] += 1
            given, family = person_name()
            user = User(
                username=f"{prefix}.{counter[prefix]:04d}",
                first_name=given,
                last_name=family,
                job_title=title,
                password=make_password(None),
            )
            users.append(user)
            memberships.append((user, role))
            return user

        def team(name: str, service: str, workers: int, role: Role, title: str) -> Staff:
            team_row, _ = Team.objects.get_or_create(name=name, defaults={"service": service})
            manager = make_user("tm", Role.TEAM_MANAGER, "Team manager")
            staff = [make_user("sw", role, title) for _ in range(workers)]
            return Staff(team_row, manager, staff)

        def teams(
            names: Callable[[int], str], service: str, workers: int, title: str, at_least: int = 1
        ) -> list[Staff]:
            """As many teams as ``workers`` need, each of at most TEAM_WORKERS with a manager."""
            count = max(at_least, math.ceil(workers / TEAM_WORKERS))
            sizes = [workers // count + (1 if i < workers % count else 0) for i in range(count)]
            return [
                team(names(i), service, size, Role.SOCIAL_WORKER, title)
                for i, size in enumerate(sizes)
            ]

        open_cases = 0.06 * n
        n_assessment = max(2, math.ceil(n / 8000))
        n_cin = max(1, math.ceil(n / 10_000))
        per_assessment = max(3, round(open_cases * 0.4 / n_assessment / 16))
        per_cin = max(3, round(open_cases * 0.6 / n_cin / 16))
        care_workers = max(3, round(n * 0.02 / 15))  # about 15 looked-after children each
        areas = ("North", "South", "East", "West", "Central")
        front_door = team(
            "Front Door (MASH)",
            Team.Service.FRONT_DOOR,
            max(3, round(n / 2500)),
            Role.FRONT_DOOR,
            "Front door social worker",
        )
        assessment = teams(
            lambda i: f"Assessment Team {areas[i] if i < len(areas) else i + 1}",
            Team.Service.ASSESSMENT,
            per_assessment * n_assessment,
            "Social worker",
            at_least=n_assessment,
        )
        cin = teams(
            lambda i: f"Children in Need Team {i + 1}",
            Team.Service.CHILDREN_IN_NEED,
            per_cin * n_cin,
            "Social worker",
            at_least=n_cin,
        )
        care = teams(
            lambda i: (
                f"Children in Care Team {i + 1}"
                if care_workers > TEAM_WORKERS
                else "Children in Care Team"
            ),
            Team.Service.LOOKED_AFTER,
            care_workers,
            "Social worker",
        )
        small = max(2, round(n / 10_000))
        leaving_care = team(
            "Leaving Care Team", Team.Service.LEAVING_CARE, small, Role.SOCIAL_WORKER,
            "Personal adviser",
        )  # fmt: skip
        # IROs and conference chairs: about 70 children looked after or on a plan each.
        reviewing = team(
            "Independent Reviewing Service", Team.Service.REVIEWING,
            max(2, math.ceil(n * 0.03 / 70)), Role.IRO, "Independent reviewing officer",
        )  # fmt: skip
        all_staff = [front_door, *assessment, *cin, *care, leaving_care, reviewing]
        with transaction.atomic():
            for staff in all_staff:
                for user in [staff.manager, *staff.workers]:
                    user.team = staff.team
            User.objects.bulk_create(users, batch_size=BATCH_SIZE)
            saved = {
                u.username: u for u in User.objects.filter(username__in=[u.username for u in users])
            }
            for staff in all_staff:
                staff.manager = saved[staff.manager.username]
                staff.workers = [saved[w.username] for w in staff.workers]
                if staff.team.manager_id is None:
                    staff.team.manager = staff.manager
                    staff.team.save(update_fields=["manager"])
            through = User.groups.through
            through.objects.bulk_create(
                [
                    through(user_id=saved[user.username].pk, group_id=groups[role.value].pk)
                    for user, role in memberships
                    if role.value in groups
                ]
            )
        self.counts["accounts.Team"] += len(all_staff)
        self.counts["accounts.User"] += len(users)
        self.say(f"staff: {len(all_staff)} teams, {len(users)} workers and managers")
        return Authority(front_door, assessment, cin, care, leaving_care, reviewing)

    # -- people -------------------------------------------------------------------------------

    def new_person(
        self,
        batch: Batch,
        given: str,
        family: str,
        sex: str,
        dob: datetime.date,
        ethnicity: str,
        heritage: str,
        *,
        child: bool,
    ) -> Person:
        rng = self.rng
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
            nhs_number=identifiers.nhs_number(rng),
            upn=identifiers.upn(rng, LA_CODE, dob.year + 4)
            if child and (self.params.as_at - dob).days > 4 * 365
            else "",
            search_given=sg,
            search_family=sf,
            phonetic_given=pg,
            phonetic_family=pf,
        )
        batch.add(person)
        return person

    def random_dob(self, earliest: datetime.date, latest: datetime.date) -> datetime.date:
        span = max(0, (latest - earliest).days)
        return earliest + datetime.timedelta(days=self.rng.randint(0, span))

    def build_family(self, batch: Batch, extra: Batch, target: int) -> Family:
        """One household: parents or carers, 1-5 children, maybe grandparents."""
        rng, as_at = self.rng, self.params.as_at
        ethnicity = weighted(rng, ETHNICITY_WEIGHTS)
        heritage = HERITAGE.get(ethnicity, "")
        family_name = names.family_name(rng, heritage)
        size = min(target, rng.choices((1, 2, 3, 4, 5), weights=(34, 30, 20, 10, 6))[0])
        # The eldest child's birth date: under 18 for some of the period covered.
        eldest = self.random_dob(years_before(self.start, 16), as_at - datetime.timedelta(days=60))
        mother_dob = self.random_dob(years_before(eldest, 40), years_before(eldest, 17))
        mother = self.new_person(
            batch,
            rng.choice(names.ADULT_NAMES_FEMALE),
            family_name,
            "F",
            mother_dob,
            ethnicity,
            heritage,
            child=False,
        )
        parents = [mother]
        relationships: list[Relationship] = []
        father: Person | None = None
        separated = False
        if rng.random() < 0.55:
            father = self.new_person(
                batch,
                rng.choice(names.ADULT_NAMES_MALE),
                family_name if rng.random() < 0.7 else names.family_name(rng, heritage),
                "M",
                self.random_dob(
                    years_before(mother_dob, 8), mother_dob + datetime.timedelta(days=2000)
                ),
                ethnicity,
                heritage,
                child=False,
            )
            parents.append(father)
            separated = rng.random() < 0.25
            relationships.append(
                Relationship(
                    person=father,
                    other=mother,
                    kind=REL.FORMER_PARTNER if separated else REL.PARTNER,
                    start_date=years_before(eldest, 1),
                    end_date=self.random_dob(eldest, as_at) if separated else None,
                )
            )
        other_father: Person | None = None
        if size >= 2 and rng.random() < 0.3:
            other_father = self.new_person(
                batch,
                rng.choice(names.ADULT_NAMES_MALE),
                names.family_name(rng, heritage),
                "M",
                self.random_dob(years_before(mother_dob, 10), mother_dob),
                ethnicity,
                heritage,
                child=False,
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
            child = self.new_person(
                batch, rng.choice(pool), surname, sex, dob, ethnicity, heritage, child=True
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
            grandparent = self.new_person(
                batch,
                rng.choice(
                    names.GRANDPARENT_NAMES_FEMALE if female else names.GRANDPARENT_NAMES_MALE
                ),
                family_name,
                "F" if female else "M",
                self.random_dob(years_before(mother_dob, 35), years_before(mother_dob, 18)),
                ethnicity,
                heritage,
                child=False,
            )
            if rng.random() < 0.3:
                grandparent.date_of_death = self.random_dob(self.start, as_at)
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
            previous = batch_last(extra, OtherName)
            previous.phonetic_family = phonetic(previous.family_name)
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
        town = rng.choice(names.TOWNS)
        line_1, postcode = names.street_address(rng), identifiers.postcode(rng)
        moved = self.random_dob(self.start, as_at) if rng.random() < 0.3 else None
        for member in living:
            extra.add(
                Address(
                    person=member,
                    line_1=line_1,
                    town=town,
                    postcode=postcode,
                    postcode_search=postcode_search_key(postcode),
                    start_date=moved or member.date_of_birth or eldest,
                )
            )
            if moved is not None:
                old = identifiers.postcode(rng)
                extra.add(
                    Address(
                        person=member,
                        line_1=names.street_address(rng),
                        town=town,
                        postcode=old,
                        postcode_search=postcode_search_key(old),
                        start_date=min(moved, member.date_of_birth or moved),
                        end_date=moved,
                    )
                )
        if father is not None and separated:
            pc = identifiers.postcode(rng)
            extra.add(
                Address(
                    person=father,
                    line_1=names.street_address(rng),
                    town=town,
                    postcode=pc,
                    postcode_search=postcode_search_key(pc),
                    start_date=eldest,
                )
            )
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
                    start_date=self.random_dob(self.start, as_at),
                )
            )
        return Family(children, parents, area=rng.randrange(1_000_000))

    def build_uasc(self, batch: Batch, extra: Batch) -> Family:
        """An unaccompanied asylum-seeking young person with a foster carer."""
        rng, as_at = self.rng, self.params.as_at
        arrived = self.random_dob(self.start, as_at - datetime.timedelta(days=30))
        dob = self.random_dob(years_before(arrived, 17), years_before(arrived, 15))
        heritage = "african" if rng.random() < 0.6 else "south-asian"
        child = self.new_person(
            batch,
            rng.choice(names.GIVEN_NAMES_MALE),
            names.family_name(rng, heritage),
            "M",
            dob,
            "BAFR" if heritage == "african" else "AOTH",
            heritage,
            child=True,
        )
        child.is_uasc = True
        child.immigration_status = "UASC"
        child.nationality = rng.choice(("Eritrean", "Sudanese", "Afghan"))
        child.first_language = {"Eritrean": "Tigrinya", "Sudanese": "Arabic"}.get(
            child.nationality, "Pashto"
        )
        child.interpreter_needed = True
        carer = self.new_person(
            batch,
            rng.choice(names.ADULT_NAMES_FEMALE),
            names.family_name(rng),
            "F",
            self.random_dob(years_before(as_at, 65), years_before(as_at, 35)),
            "WBRI",
            "",
            child=False,
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
        pc = identifiers.postcode(rng)
        for member in (carer, child):
            extra.add(
                Address(
                    person=member,
                    line_1=names.street_address(rng),
                    town=rng.choice(names.TOWNS),
                    postcode=pc,
                    postcode_search=postcode_search_key(pc),
                    start_date=arrived,
                )
            )
        return Family([child], [carer], area=rng.randrange(1_000_000))

    # -- casework -----------------------------------------------------------------------------

    def build_casework(
        self, batch: Batch, family: Family, authority: Authority, scale: float
    ) -> None:
        for child in family.children:
            self.build_child_history(batch, child, family, authority, scale)

    def window(self, child: Person) -> tuple[datetime.date, datetime.date] | None:
        assert child.date_of_birth is not None
        first = max(self.start, child.date_of_birth)
        last = min(self.params.as_at, years_before(child.date_of_birth, -18))
        return (first, last) if first < last else None

    def build_child_history(
        self, batch: Batch, child: Person, family: Family, authority: Authority, scale: float
    ) -> None:
        rng = self.rng
        span = self.window(child)
        if span is None or not self.has("Contact"):
            return
        first, last = span
        years = (last - first).days / 365.25
        need = min(rng.paretovariate(2.0) - 1, 6.0) / NEED_MEAN  # mean 1, a long tail
        count = poisson(rng, need * scale * years)
        dates = sorted(self.random_dob(first, last) for _ in range(count))
        forced: list[datetime.date] = []
        busy_until: datetime.date | None = None
        last_closed = datetime.date.min
        fd = authority.front_door
        assessment_staff = authority.assessment[family.area % len(authority.assessment)]
        cin_staff = authority.cin[family.area % len(authority.cin)]
        while dates or forced:
            if forced and (not dates or forced[0] <= dates[0]):
                day, force_referral = forced.pop(0), True
            else:
                day, force_referral = dates.pop(0), False
            if day > self.params.as_at:
                continue
            contact = self.new_contact(batch, child, family, day, fd)
            open_case = busy_until is not None and day <= busy_until
            if open_case:
                decision = "advice"
            elif force_referral or rng.random() < (
                0.03 if (day - last_closed).days < 366 else 0.21
            ):
                decision = "strategy" if rng.random() < 0.22 else "referral"
            else:
                decision = weighted(rng, (("nfa", 40), ("advice", 35), ("early-help", 25)))
            decided = self.decide(contact, decision, fd)
            if decided is None:
                continue
            if decision == "early-help" and self.has("EarlyHelpEpisode"):
                self.new_early_help(
                    batch, child, decided, fd.workers[0], "Family support after a contact"
                )
            if decision in ("referral", "strategy") and self.has("Referral"):
                closed, follow_up = self.new_referral(
                    batch, child, family, contact, decided, assessment_staff, cin_staff, authority
                )
                busy_until = closed or datetime.date.max
                last_closed = busy_until
                if follow_up is not None and follow_up <= self.params.as_at:
                    forced.append(follow_up)
                    forced.sort()

    def new_contact(
        self, batch: Batch, child: Person, family: Family, day: datetime.date, fd: Staff
    ) -> models.Model:
        rng = self.rng
        Contact = self.model("Contact")
        received = at(day, rng.randint(8, 18), rng.choice((0, 15, 30, 45)))
        contact = Contact(
            received_at=received,
            source=weighted(rng, CONTACT_SOURCES),
            referrer_name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
            referrer_organisation=rng.choice(
                ("Police", *names.SCHOOL_NAMES[:3], "Health visiting")
            ),
            concern=rng.choice(CONCERNS),
            consent=weighted(
                rng, (("given", 6), ("not-needed", 2), ("overridden", 1), ("not-sought", 1))
            ),
            recorded_by=rng.choice(fd.workers),
        )
        batch.add(contact)
        if self.has("ContactPerson"):
            ContactPerson = self.model("ContactPerson")
            batch.add(ContactPerson(contact=contact, person=child, role="subject"))
            if rng.random() < 0.5:
                batch.add(ContactPerson(contact=contact, person=family.parents[0], role="parent"))
        self.counts["_contacts"] += 1
        return contact

    def decide(self, contact: Any, decision: str, fd: Staff) -> datetime.date | None:
        """Set the decision (late for about one in seven); None when still awaiting one."""
        rng = self.rng
        received: datetime.date = contact.received_at.date()
        late = rng.random() < 0.14
        day = self.working_days(received, rng.randint(2, 6) if late else rng.choice((0, 0, 1)))
        if day > self.params.as_at:
            return None
        contact.decision = decision
        contact.decision_rationale = {
            "nfa": "No role for children's social care; universal services are involved.",
            "advice": "Advice given to the referrer; information shared with the allocated worker.",
            "early-help": "Needs can be met by early help with the family's consent.",
            "referral": "The child may be in need: a child and family assessment is needed.",
            "strategy": "Reasonable cause to suspect significant harm: strategy discussion held.",
        }[decision]
        contact.decided_at = at(day, rng.randint(9, 19))
        contact.decided_by = fd.manager if rng.random() < 0.5 else rng.choice(fd.workers)
        return day

    def new_early_help(
        self, batch: Batch, child: Person, start: datetime.date, worker: User, reason: str
    ) -> models.Model:
        rng = self.rng
        EarlyHelp = self.model("EarlyHelpEpisode")
        end = start + datetime.timedelta(days=rng.randint(60, 300))
        episode = EarlyHelp(
            person=child,
            start_date=start,
            end_date=end if end <= self.params.as_at else None,
            reason=reason,
            end_reason="Outcomes of the family plan met." if end <= self.params.as_at else "",
            organisation="Caseline family hub",
            lead_practitioner=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
            recorded_by=worker,
        )
        batch.add(episode)
        return episode

    def new_referral(
        self,
        batch: Batch,
        child: Person,
        family: Family,
        contact: Any,
        day: datetime.date,
        assessment_staff: Staff,
        cin_staff: Staff,
        authority: Authority,
    ) -> tuple[datetime.date | None, datetime.date | None]:
        """A referral and what follows it; returns (closed on, a forced re-referral date)."""
        rng, as_at = self.rng, self.params.as_at
        Referral = self.model("Referral")
        worker = rng.choice(assessment_staff.workers)
        referral = Referral(
            person=child,
            referral_date=day,
            source=contact.source,
            primary_need=weighted(rng, PRIMARY_NEEDS),
            contact=contact,
            opened_by=contact.decided_by,
        )
        batch.add(referral)
        allocation = Allocation(
            person=child,
            team=assessment_staff.team,
            worker=worker,
            start_date=day,
            reason="New referral",
            allocated_by=assessment_staff.manager,
        )
        batch.add(allocation)
        self.new_oversight(
            batch,
            child,
            assessment_staff.manager,
            day + datetime.timedelta(days=rng.randint(0, 2)),
            "Allocate for a child and family assessment.",
        )
        if rng.random() < 0.06:
            closed = day + datetime.timedelta(days=rng.randint(0, 5))
            return self.close(referral, allocation, min(closed, as_at), "RC8", nfa=True)
        # The assessment: most within 45 working days, about 28% later.
        late = rng.random() < 0.28
        duration = rng.randint(46, 95) if late else rng.randint(8, 45)
        authorised = self.working_days(day, duration)
        path = weighted(
            rng, (("nfa", 34), ("early-help", 18), ("cin-plan", 41), ("looked-after", 7))
        )
        if path == "looked-after" and not self.has("Episode"):
            path = "cin-plan"
        too_old = child.date_of_birth is None or years_before(authorised, 17) > child.date_of_birth
        if path == "looked-after" and too_old:
            path = "cin-plan"  # nobody comes into care for the first time at 17 here
        protection = None
        if contact.decision == "strategy" and self.has("StrategyDiscussion"):
            protection = self.new_protection(batch, child, referral, day, cin_staff, authority)
            if protection is not None:
                path = "strategy"
        self.new_assessment(
            batch, child, referral, worker, assessment_staff.manager, day, authorised, late, path
        )
        self.new_notes(batch, child, worker, assessment_staff.manager, day, min(authorised, as_at))
        if protection is not None:  # a child protection plan, held by a CIN/CP team
            start, end, lead = protection
            allocation.end_date = start
            batch.add(
                Allocation(
                    person=child,
                    team=cin_staff.team,
                    worker=lead,
                    start_date=start,
                    reason="Child protection plan",
                    allocated_by=cin_staff.manager,
                )
            )
            cp_allocation = batch_last(batch, Allocation)
            self.new_notes(batch, child, lead, cin_staff.manager, start, min(end, as_at))
            if end > as_at:
                return None, None
            return self.close(referral, cp_allocation, end, "RC7")
        if authorised > as_at:
            return None, None
        if path == "looked-after":
            return self.new_care(batch, child, referral, allocation, authorised, authority)
        if path != "cin-plan":  # closed after the assessment
            closed = authorised + datetime.timedelta(days=rng.randint(0, 10))
            if closed > as_at:
                return None, None
            step_down = path == "early-help"
            if step_down and self.has("EarlyHelpEpisode"):
                episode = self.new_early_help(
                    batch, child, closed, worker, "Stepped down after assessment"
                )
                if self.has("StepChange"):
                    batch.add(
                        self.model("StepChange")(
                            person=child,
                            direction="down",
                            date=closed,
                            from_referral=referral,
                            to_early_help=episode,
                            recorded_by=assessment_staff.manager,
                            rationale="Needs can be met by early help; the family agree.",
                        )
                    )
            result = self.close(referral, allocation, closed, "RC8")
            if step_down and rng.random() < 0.3:
                return result[0], closed + datetime.timedelta(days=rng.randint(14, 90))
            return result
        # A child in need plan, held by a children in need team.
        start = authorised + datetime.timedelta(days=rng.randint(1, 10))
        if start > as_at:
            return None, None
        allocation.end_date = start
        cin_worker = rng.choice(cin_staff.workers)
        batch.add(
            Allocation(
                person=child,
                team=cin_staff.team,
                worker=cin_worker,
                start_date=start,
                reason="Transfer to the children in need team",
                allocated_by=cin_staff.manager,
            )
        )
        cin_allocation = batch_last(batch, Allocation)
        end = start + datetime.timedelta(days=rng.randint(90, 540))
        self.new_plan(batch, child, referral, cin_worker, cin_staff.manager, start, end)
        self.new_notes(batch, child, cin_worker, cin_staff.manager, start, min(end, as_at))
        if end > as_at:
            return None, None
        return self.close(referral, cin_allocation, end, "RC7")

    def new_protection(
        self,
        batch: Batch,
        child: Person,
        referral: Any,
        day: datetime.date,
        cin_staff: Staff,
        authority: Authority,
    ) -> tuple[datetime.date, datetime.date, User] | None:
        """Strategy discussion, section 47 enquiry, conference and maybe a plan.

        Returns (plan start, plan end, lead social worker) when a plan starts by the as-at date.
        """
        rng, as_at = self.rng, self.params.as_at
        m = self.model
        manager, lead = cin_staff.manager, rng.choice(cin_staff.workers)
        s47 = weighted(rng, (("joint", 50), ("single", 35), ("none", 15)))
        discussion = m("StrategyDiscussion")(
            person=child,
            referral=referral,
            kind=weighted(rng, (("discussion", 3), ("meeting", 1))),
            held_at=at(day, 14),
            information_shared="Police and health shared what they know.",
            decision="Section 47 enquiry." if s47 != "none" else "No section 47 enquiry.",
            rationale="Reasonable cause to suspect significant harm.",
            s47_decision=s47,
            recorded_by=manager,
        )
        batch.add(discussion)
        if self.has("StrategyParticipant"):
            for agency in ("social-care", "police", "health"):
                batch.add(
                    m("StrategyParticipant")(
                        discussion=discussion,
                        agency=agency,
                        participation="attended",
                        name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
                    )
                )
        if s47 == "none" or not self.has("Section47Enquiry"):
            return None
        completed = self.working_days(day, rng.randint(5, 15))
        outcome = weighted(rng, (("conference", 45), ("cin", 35), ("nfa", 20)))
        enquiry = m("Section47Enquiry")(
            person=child,
            referral=referral,
            strategy_discussion=discussion,
            start_date=day,
            joint_with_police=s47 == "joint",
            outcome=outcome if completed <= as_at else "",
            outcome_note="Concerns substantiated." if outcome == "conference" else "",
            completed_on=completed if completed <= as_at else None,
            recorded_by=lead,
        )
        batch.add(enquiry)
        conference_date = self.working_days(day, rng.randint(10, 22))
        if outcome != "conference" or conference_date > as_at or not self.has("Conference"):
            return None
        iro = rng.choice(authority.reviewing.workers)
        category = weighted(rng, (("NEG", 50), ("EMO", 33), ("PHY", 8), ("SAB", 4), ("MUL", 5)))
        plan_made = rng.random() < 0.85

        def conference(kind: str, on: datetime.date, decision: str, plan: Any = None) -> Any:
            row = m("Conference")(
                person=child,
                referral=referral,
                kind=kind,
                enquiry=enquiry if kind == "initial" else None,
                plan=plan,
                conference_date=on,
                chair=iro,
                reports_shared=weighted(rng, (("yes", 6), ("no", 1), ("at-conference", 2))),
                child_participation="Views shared through the social worker.",
                family_participation="Both parents attended.",
                decision=decision,
                rationale="The risks and strengths were weighed by all agencies.",
                category=category if decision in ("plan", "continue") else "",
                progress=""
                if kind == "initial"
                else weighted(rng, (("good", 2), ("some", 3), ("none", 1))),
                lead_social_worker=lead,
                recorded_by=iro,
            )
            target = batch if kind == "initial" else self.later
            target.add(row)
            if self.has("ConferenceAttendee"):
                for agency in ("social-care", "police", "health", "education"):
                    target.add(
                        m("ConferenceAttendee")(
                            conference=row,
                            agency=agency,
                            participation=weighted(
                                rng, (("attended", 6), ("sent-information", 2), ("absent", 1))
                            ),
                        )
                    )
            return row

        initial = conference("initial", conference_date, "plan" if plan_made else "no-plan")
        if not plan_made or not self.has("ProtectionPlan"):
            return None
        end = conference_date + datetime.timedelta(days=rng.randint(90, 600))
        ended = end <= as_at
        plan = m("ProtectionPlan")(
            person=child,
            referral=referral,
            conference=initial,
            start_date=conference_date,
            initial_category=category,
            latest_category=category,
            lead_social_worker=lead,
            worries="Neglect of basic care; domestic abuse at home.",
            contingency="A legal planning meeting if the plan does not work.",
            child_views="Wants the shouting to stop.",
            core_group_every_weeks=6,
            visit_every_working_days=10,
            end_date=end if ended else None,
            end_reason="review" if ended else "",
            created_by=lead,
        )
        batch.add(plan)
        last = min(end, as_at)
        review = self.working_days(conference_date, 60)
        while review < last:
            conference("review", review, "continue", plan)
            review = review + datetime.timedelta(days=182)
        if ended:
            conference("review", end, "end", plan)
        if self.has("ProtectionOutcome"):
            for order, text in enumerate(rng.sample(OUTCOMES, 2), start=1):
                outcome_row = m("ProtectionOutcome")(
                    plan=plan, order=order, outcome=text.format(name=child.given_name)
                )
                batch.add(outcome_row)
                if self.has("ProtectionAction"):
                    what, who, how = rng.choice(ACTIONS)
                    by_when = conference_date + datetime.timedelta(days=rng.randint(14, 90))
                    batch.add(
                        m("ProtectionAction")(
                            outcome=outcome_row,
                            what=what,
                            who=who,
                            by_when=by_when,
                            how_we_will_know=how,
                            status="done" if by_when <= as_at else "not-started",
                        )
                    )
        if self.has("CoreGroup"):
            meeting = conference_date + datetime.timedelta(days=rng.randint(7, 10))
            while meeting <= last:
                batch.add(
                    m("CoreGroup")(
                        plan=plan,
                        meeting_date=meeting,
                        attendees="Mum, social worker, school, health visitor",
                        progress=weighted(rng, (("good", 2), ("some", 3), ("none", 1))),
                        progress_note="Some actions done; attendance better.",
                        recorded_by=lead,
                    )
                )
                meeting += datetime.timedelta(days=rng.randint(35, 49))
        if self.has("ProtectionVisit"):
            visit = conference_date + datetime.timedelta(days=rng.randint(1, 7))
            while visit <= last:
                seen = rng.random() < 0.94
                batch.add(
                    m("ProtectionVisit")(
                        plan=plan,
                        visit_date=visit,
                        child_seen=seen,
                        child_seen_alone=seen and rng.random() < 0.7,
                        observations="The home was cold; the children were clean and fed.",
                        recorded_by=lead,
                    )
                )
                visit = self.working_days(visit, rng.randint(7, 14))
        return conference_date, end, lead

    def new_care(
        self,
        batch: Batch,
        child: Person,
        referral: Any,
        allocation: Allocation,
        authorised: datetime.date,
        authority: Authority,
    ) -> tuple[datetime.date | None, datetime.date | None]:
        """The child comes into care: episodes (with placement moves), IRO, reviews, visits."""
        rng, as_at = self.rng, self.params.as_at
        assert child.date_of_birth is not None
        start = authorised + datetime.timedelta(days=rng.randint(1, 5))
        if start > as_at:
            return None, None
        care, iros = rng.choice(authority.care), authority.reviewing
        worker, iro = rng.choice(care.workers), rng.choice(iros.workers)
        allocation.end_date = start
        care_allocation = Allocation(
            person=child,
            team=care.team,
            worker=worker,
            start_date=start,
            reason="The child came into care",
            allocated_by=care.manager,
        )
        batch.add(care_allocation)
        eighteen = years_before(child.date_of_birth, -18)
        end = min(eighteen, start + datetime.timedelta(days=rng.randint(60, 1800)))
        Episode = self.model("Episode")
        legal = weighted(rng, (("C2", 45), ("V2", 30), ("C1", 15), ("E1", 5), ("L2", 5)))
        episode_start, reason_new = start, "S"
        while True:
            moves = rng.random() < 0.35
            episode_end = episode_start + datetime.timedelta(days=rng.randint(60, 700))
            final = not moves or episode_end >= end
            episode_end = end if final else episode_end
            pc = identifiers.postcode(rng)
            batch.add(
                Episode(
                    person=child,
                    start_date=episode_start,
                    reason_new_episode=reason_new,
                    legal_status=legal,
                    placement_type=weighted(
                        rng,
                        (
                            ("U4", 30),
                            ("U6", 25),
                            ("U1", 10),
                            ("U3", 5),
                            ("K2", 12),
                            ("R1", 3),
                            ("P1", 5),
                            ("S1", 5),
                            ("U5", 5),
                        ),
                    ),
                    placement_provider=weighted(rng, (("PR1", 60), ("PR4", 25), ("PR5", 15))),
                    placement_postcode=pc,
                    carer_name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
                    area=weighted(rng, (("IN", 7), ("OUT", 3))),
                    end_date=episode_end if episode_end <= as_at else None,
                    reason_episode_ceased=(
                        ("X1" if not final else self.ceased(episode_end, eighteen))
                        if episode_end <= as_at
                        else ""
                    ),
                    reason_place_change=(
                        rng.choice(("CARPL", "CHILD", "LAREQ", "PLACE"))
                        if not final and episode_end <= as_at
                        else ""
                    ),
                    recorded_by=worker,
                )
            )
            if final or episode_end > as_at:
                break
            episode_start, reason_new = episode_end, "P"
        last = min(end, as_at)
        if self.has("IROAllocation"):
            batch.add(
                self.model("IROAllocation")(
                    person=child,
                    iro=iro,
                    start_date=start,
                    end_date=end if end <= as_at else None,
                    recorded_by=iro,
                )
            )
        if self.has("LACReview"):
            review = self.working_days(start, 20)
            gap = 91
            while review <= last:
                batch.add(
                    self.model("LACReview")(
                        person=child,
                        review_date=review,
                        chair=iro,
                        participation=weighted(
                            rng, (("PN1", 5), ("PN3", 2), ("PN0", 1), ("PN6", 1))
                        ),
                        child_views="Wants to see mum more often.",
                        minutes_completed_on=min(as_at, review + datetime.timedelta(days=15)),
                        recorded_by=iro,
                    )
                )
                review += datetime.timedelta(days=gap + rng.randint(-5, 15))
                gap = 182
        if self.has("LACVisit"):
            visit = start + datetime.timedelta(days=rng.randint(2, 7))
            while visit <= last:
                seen = rng.random() < 0.95
                batch.add(
                    self.model("LACVisit")(
                        person=child,
                        visit_date=visit,
                        child_seen=seen,
                        seen_alone=seen and rng.random() < 0.75,
                        note="Settled in placement; talked about school and contact.",
                        recorded_by=worker,
                    )
                )
                visit += datetime.timedelta(days=rng.randint(30, 50))
        self.new_care_plans(batch, child, worker, start, last)
        self.new_notes(batch, child, worker, care.manager, start, last)
        if end > as_at:
            return None, None
        reason = {"E11": "RC1", "E12": "RC4", "E41": "RC3"}.get(self.ceased(end, eighteen), "RC7")
        return self.close(referral, care_allocation, end, reason)

    def late_by(self, day: datetime.date, rate: float, most: int) -> datetime.date:
        """``day``, or with probability ``rate`` up to ``most`` working days after it."""
        if self.rng.random() < rate:
            return self.working_days(day, self.rng.randint(1, most))
        return day

    def new_care_plans(
        self,
        batch: Batch,
        child: Person,
        worker: User,
        start: datetime.date,
        last: datetime.date,
    ) -> None:
        """The care plan, health assessments, dental checks and personal education plans of a
        period of care, mostly within their timescales and some late by days or weeks (IHAs
        are often late nationally)."""
        rng = self.rng
        assert child.date_of_birth is not None
        if self.has("CarePlan"):
            day = self.late_by(self.working_days(start, rng.randint(1, 10)), 0.1, 10)
            while day <= last:
                batch.add(
                    self.model("CarePlan")(
                        person=child,
                        plan_date=day,
                        permanence_plan=weighted(
                            rng,
                            (("return-home", 3), ("long-term-fostering", 4), ("adoption", 1)),
                        ),
                        plan_summary="Stay with the current carers while the plan is assessed.",
                        placement_plan="The carers take the child to school and to family time.",
                        child_views="Likes the carers; wants more time with their brother.",
                        recorded_by=worker,
                    )
                )
                day += datetime.timedelta(days=rng.randint(150, 200))
        if self.has("HealthRecord"):
            day = self.late_by(self.working_days(start, rng.randint(8, 20)), 0.3, 25)
            kind = "iha"
            while day <= last:
                batch.add(
                    self.model("HealthRecord")(
                        person=child,
                        kind=kind,
                        event_date=day,
                        immunisations_up_to_date=rng.random() < 0.9,
                        health_plan="Continue with the GP; dental check booked.",
                        recorded_by=worker,
                    )
                )
                dental = day + datetime.timedelta(days=rng.randint(20, 60))
                if dental <= last:
                    batch.add(
                        self.model("HealthRecord")(
                            person=child, kind="dental", event_date=dental, recorded_by=worker
                        )
                    )
                months = 6 if years_before(day, 5) < child.date_of_birth else 12
                due = add_calendar_months(day, months)
                day = self.late_by(due - datetime.timedelta(days=rng.randint(0, 25)), 0.15, 15)
                kind = "rha"
        if self.has("PersonalEducationPlan") and years_before(last, 4) >= child.date_of_birth:
            day = self.late_by(self.working_days(start, rng.randint(5, 20)), 0.15, 15)
            school = f"{rng.choice(('Oak', 'Hill', 'Park', 'St Anne'))} Primary School"
            while day <= last:
                batch.add(
                    self.model("PersonalEducationPlan")(
                        person=child,
                        pep_date=day,
                        school=school,
                        virtual_school_contact="Virtual school caseworker",
                        quality=weighted(
                            rng, (("good", 6), ("requires-improvement", 3), ("inadequate", 1))
                        ),
                        attainment="Making expected progress in reading; support in maths.",
                        child_views="Likes art and wants help with maths.",
                        recorded_by=worker,
                    )
                )
                due = add_calendar_months(day, 4)
                day = self.late_by(due - datetime.timedelta(days=rng.randint(0, 20)), 0.15, 15)
        sixteen = years_before(child.date_of_birth, -16)
        # Not in ``self.models``: a small authority may have nobody in care at 16.
        pathway = model_available("lookedafter", "PathwayPlan")
        if pathway is not None and sixteen <= last:
            # Eligible at 16 after 13 weeks in care: the plan within 3 months, then 6-monthly.
            eligible = max(sixteen, start + datetime.timedelta(weeks=13))
            day = self.late_by(eligible + datetime.timedelta(days=rng.randint(20, 85)), 0.15, 15)
            kind = "plan"
            while day <= last:
                batch.add(
                    pathway(
                        person=child,
                        kind=kind,
                        plan_date=day,
                        summary="Staying put with the carers; college place for September.",
                        young_person_views="Wants to learn to cook and manage money.",
                        recorded_by=worker,
                    )
                )
                due = add_calendar_months(day, 6)
                day = self.late_by(due - datetime.timedelta(days=rng.randint(0, 25)), 0.15, 15)
                kind = "review"

    def ceased(self, day: datetime.date, eighteen: datetime.date) -> str:
        """Why care ended (derived from the day, so every caller agrees)."""
        if day >= eighteen:
            return "E8"
        return ("E4A", "E4A", "E4A", "E12", "E11", "E41", "E13")[day.toordinal() % 7]

    def re_referral(self, closed: datetime.date | None) -> datetime.date | None:
        if closed is None or self.rng.random() >= 0.2:
            return None
        return closed + datetime.timedelta(days=self.rng.randint(30, 330))

    def close(
        self,
        referral: Any,
        allocation: Allocation,
        day: datetime.date,
        reason: str,
        *,
        nfa: bool = False,
    ) -> tuple[datetime.date | None, datetime.date | None]:
        referral.closed_on = day
        referral.closure_reason = reason
        referral.nfa = nfa
        referral.closure_note = "No further action." if nfa else "Case closed."
        allocation.end_date = day
        return day, (self.re_referral(day) if not nfa else None)

    def new_assessment(
        self,
        batch: Batch,
        child: Person,
        referral: Any,
        worker: User,
        manager: User,
        start: datetime.date,
        authorised: datetime.date,
        late: bool,
        outcome: str,
    ) -> None:
        """The single assessment: authorised, or still open (draft, submitted or returned)."""
        if not self.has("Assessment"):
            return
        rng, as_at = self.rng, self.params.as_at
        done = authorised <= as_at
        seen = rng.random() < 0.95
        submitted = authorised - datetime.timedelta(days=rng.randint(0, 4))
        if done:
            status = "authorised"
        elif submitted <= as_at:
            status = weighted(rng, (("submitted", 2), ("returned", 1)))
        else:
            status = "draft"
        assessment = self.model("Assessment")(
            person=child,
            referral=referral,
            start_date=start,
            child_seen=seen,
            child_seen_alone=seen and rng.random() < 0.7,
            date_child_seen=min(as_at, start + datetime.timedelta(days=rng.randint(1, 10)))
            if seen
            else None,
            child_views=f"{child.given_name} said home is noisy and they worry about mum.",
            child_views_method=weighted(
                rng, (("conversation", 5), ("drawing", 2), ("play", 2), ("observation", 1))
            ),
            parents_views="Mum accepts there are problems and wants help.",
            identity="The family's heritage, faith and language are important to them.",
            family_history="Mum and the children have moved several times.",
            risk_factors="Domestic abuse; mum's low mood.",
            protective_factors="A supportive grandmother nearby; good school attendance.",
            analysis="The child's needs are not met without support.",
            outcome=outcome if status != "draft" else "",
            recommendation={
                "nfa": "No further action.",
                "early-help": "Step down to early help.",
                "looked-after": "The child needs to be looked after.",
                "strategy": "Continue under the child protection plan.",
                "cin-plan": "Support under a child in need plan.",
            }[outcome],
            factors=sorted(rng.sample(ASSESSMENT_FACTORS, rng.randint(1, 4))),
            late_reason="Delays getting information from health." if late and done else "",
            status=status,
            submitted_at=at(submitted, 16) if status != "draft" else None,
            submitted_by=worker if status != "draft" else None,
            authorised_on=authorised if done else None,
            authorised_by=manager if done else None,
            created_by=worker,
        )
        batch.add(assessment)
        returned = status == "returned" or (done and rng.random() < 0.15)
        if returned and self.has("AssessmentReturn"):
            when = min(as_at, submitted)
            batch.add(
                self.model("AssessmentReturn")(
                    assessment=assessment,
                    returned_by=manager,
                    returned_at=at(when, 17),
                    reasons="Please add the child's views in their own words.",
                )
            )

    def new_plan(
        self,
        batch: Batch,
        child: Person,
        referral: Any,
        worker: User,
        manager: User,
        start: datetime.date,
        end: datetime.date,
    ) -> None:
        if not self.has("CINPlan"):
            return
        rng, as_at = self.rng, self.params.as_at
        ended = end <= as_at
        plan = self.model("CINPlan")(
            person=child,
            referral=referral,
            start_date=start,
            end_date=end if ended else None,
            end_reason=weighted(rng, (("achieved", 6), ("step-down", 3), ("moved", 1)))
            if ended
            else "",
            child_views=f"{child.given_name} wants things to be calmer at home.",
            family_views="Mum agrees with the plan and wants support.",
            created_by=worker,
        )
        batch.add(plan)
        if self.has("PlanOutcome"):
            for order, text in enumerate(rng.sample(OUTCOMES, rng.randint(2, 4)), start=1):
                outcome = self.model("PlanOutcome")(
                    plan=plan, order=order, outcome=text.format(name=child.given_name)
                )
                batch.add(outcome)
                if self.has("PlanAction"):
                    for what, who, how in rng.sample(ACTIONS, rng.randint(1, 3)):
                        by_when = start + datetime.timedelta(days=rng.randint(14, 120))
                        status = "not-started"
                        if by_when <= as_at:
                            status = weighted(
                                rng, (("done", 7), ("not-done", 1), ("in-progress", 2))
                            )
                        batch.add(
                            self.model("PlanAction")(
                                outcome=outcome,
                                what=what,
                                who=who,
                                by_when=by_when,
                                how_we_will_know=how,
                                status=status,
                                status_updated_on=by_when
                                if status in ("done", "not-done")
                                else None,
                            )
                        )
        last = min(end, as_at)
        if self.has("PlanReview"):
            review = start + datetime.timedelta(days=rng.randint(70, 95))
            while review <= last:
                next_due = review + datetime.timedelta(days=91)
                batch.add(
                    self.model("PlanReview")(
                        plan=plan,
                        review_date=review,
                        progress="Some progress: school attendance has improved.",
                        child_views="Things are better at home.",
                        decision="continue",
                        next_review_due=next_due,
                        recorded_by=worker,
                    )
                )
                review = next_due + datetime.timedelta(days=rng.randint(-5, 20))
        if self.has("CINVisit"):
            visit = start + datetime.timedelta(days=rng.randint(3, 14))
            while visit <= last:
                seen = rng.random() < 0.93
                batch.add(
                    self.model("CINVisit")(
                        person=child,
                        plan=plan,
                        visit_date=visit,
                        child_seen=seen,
                        child_seen_alone=seen and rng.random() < 0.72,
                        seen_bedroom=(rng.random() < 0.6) if seen else None,
                        not_seen_reason="" if seen else "The child was at a friend's house.",
                        purpose="Statutory visit under the child in need plan.",
                        observations="The home was warm and tidy; there was food in the fridge.",
                        child_views="Said school is OK." if seen else "",
                        recorded_by=worker,
                    )
                )
                visit += datetime.timedelta(days=rng.randint(10, 30))

    def new_note(
        self,
        batch: Batch,
        child: Person,
        worker: User,
        day: datetime.date,
        note_type: str,
        title: str,
        *,
        significance: str = "",
    ) -> models.Model:
        rng = self.rng
        note = self.model("CaseNote")(
            person=child,
            note_type=note_type,
            occurred_at=at(day, rng.randint(9, 17)),
            recorded_by=worker,
            title=title,
            body="Spoke with the family about the plan and the worries raised.",
            is_significant=bool(significance),
            significance=significance,
        )
        batch.add(note)
        return note

    def new_notes(
        self,
        batch: Batch,
        child: Person,
        worker: User,
        manager: User,
        start: datetime.date,
        end: datetime.date,
    ) -> None:
        if not self.has("CaseNote"):
            return
        rng = self.rng
        day = start + datetime.timedelta(days=rng.randint(1, 7))
        while day <= end:
            if rng.random() < 0.05:
                title, why = rng.choice(SIGNIFICANT_EVENTS)
                self.new_note(batch, child, worker, day, "other", title, significance=why)
            else:
                kind = weighted(
                    rng,
                    (
                        ("visit", 4),
                        ("phone-call", 4),
                        ("meeting", 2),
                        ("direct-work", 1),
                        ("other", 1),
                    ),
                )
                self.new_note(batch, child, worker, day, kind, rng.choice(NOTE_TITLES[kind]))
            day += datetime.timedelta(days=rng.randint(7, 25))
        # Supervision and oversight belong to this allocation: they start with it, follow the
        # 4-weekly and 3-monthly standards with some slippage, and stop when it ends.
        ongoing = end >= self.params.as_at
        if self.has("Supervision"):
            day = start + datetime.timedelta(days=rng.randint(5, 20))
            while day <= end:
                self.new_supervision(batch, child, worker, manager, day, ongoing=ongoing)
                late = rng.random()
                gap = (
                    rng.randint(41, 60)
                    if late < 0.04
                    else rng.randint(29, 38)
                    if late < 0.18
                    else rng.randint(18, 28)
                )
                day += datetime.timedelta(days=gap)
        if self.has("ManagementOversight"):
            day = start + datetime.timedelta(days=rng.randint(40, 80))
            while day <= end:
                self.new_oversight(
                    batch, child, manager, day, "Continue with the plan; reviewed the case file."
                )
                late = rng.random() < 0.12
                day += datetime.timedelta(
                    days=rng.randint(93, 120) if late else rng.randint(50, 88)
                )

    def new_oversight(
        self, batch: Batch, child: Person, manager: User, day: datetime.date, decision: str
    ) -> None:
        if not (self.has("CaseNote") and self.has("ManagementOversight")):
            return
        day = min(day, self.params.as_at)
        note = self.new_note(
            batch, child, manager, day, "management-oversight", "Management oversight"
        )
        batch.add(
            self.model("ManagementOversight")(
                note=note,
                decision=decision,
                rationale="The information received shows the child may be in need.",
                next_review_date=day + datetime.timedelta(days=28),
            )
        )

    def new_supervision(
        self,
        batch: Batch,
        child: Person,
        worker: User,
        manager: User,
        day: datetime.date,
        *,
        ongoing: bool,
    ) -> None:
        """A supervision with its actions. Actions of an allocation that has ended were all
        finished; on a case still open, older actions are done (a few working days either side
        of the date set) and about one in eight of the last three months' actions is still
        open, most of them set in the last month."""
        rng, as_at = self.rng, self.params.as_at
        note = self.new_note(batch, child, manager, day, "supervision", "Case supervision")
        supervision = self.model("Supervision")(
            note=note,
            supervisor=manager,
            supervisee=worker,
            reflection="We discussed what life is like for the child day to day.",
            objectives="Complete direct work; see the child alone.",
            contingency="Escalate to a strategy discussion if there is a further incident.",
        )
        batch.add(supervision)
        if self.has("SupervisionAction"):
            for _ in range(rng.randint(1, 3)):
                by_when = self.working_days(day, rng.randint(5, 20))
                finished = max(day, self.working_days(by_when, rng.randint(-4, 3)))
                age = (as_at - by_when).days
                still_open = 0.25 if age <= 30 else 0.1 if age <= 60 else 0.04 if age <= 91 else 0
                done_on: datetime.date | None = min(finished, as_at)
                if ongoing and (by_when > as_at or rng.random() < still_open or finished > as_at):
                    done_on = None
                batch.add(
                    self.model("SupervisionAction")(
                        supervision=supervision,
                        person=child,
                        action=rng.choice(SUPERVISION_ACTIONS),
                        owner=worker.get_full_name(),
                        by_when=by_when,
                        done_on=done_on,
                    )
                )

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> Counter[str]:
        p = self.params
        self.say(
            f"generating {p.children:,} children over {p.years} years, "
            f"seed {p.seed}, as at {p.as_at}"
        )
        missing = sorted(name for name, model in self.models.items() if model is None)
        if missing:
            self.say("not generated (model or table not built yet): " + ", ".join(missing))
        authority = self.build_staff()
        made = 0
        next_uasc = 50  # about 1% of children are unaccompanied asylum seekers
        while made < p.children:
            people, extra, casework = Batch(), Batch(), Batch()
            families: list[Family] = []
            chunk_end = min(p.children, made + CHUNK_CHILDREN)
            while made < chunk_end:
                if made >= next_uasc:
                    family = self.build_uasc(people, extra)
                    next_uasc += 100
                else:
                    family = self.build_family(people, extra, chunk_end - made)
                families.append(family)
                made += len(family.children)
            # Contacts per child-year under 18 in the period, so the totals match the city's.
            children = [c for f in families for c in f.children]
            years_under_18 = sum(
                (w[1] - w[0]).days / 365.25 for w in map(self.window, children) if w is not None
            )
            scale = CONTACTS_PER_CHILD_YEAR * p.years * len(children) / max(years_under_18, 0.1)
            for family in families:
                self.build_casework(casework, family, authority, scale)
            rows = self.write(people) + self.write(extra) + self.write(casework)
            rows += self.write(self.later)
            self.later = Batch()
            self.child_ids.extend(c.pk for c in children)
            self.say(f"children {made:,}/{p.children:,}: {rows:,} rows written")
        self.counts["people.Person (children)"] = p.children
        self.counts.pop("_contacts", None)
        with transaction.atomic():
            record_event(
                acting_user=None,
                event_type=SyntheticEvent.AUTHORITY_GENERATED,
                extra={
                    "children": p.children,
                    "years": p.years,
                    "seed": p.seed,
                    "as_at": p.as_at.isoformat(),
                    "counts": dict(sorted(self.counts.items())),
                },
            )
        total = sum(v for k, v in self.counts.items() if "(" not in k)
        elapsed = time.monotonic() - self.started
        for label, count in sorted(self.counts.items()):
            self.say(f"  {label}: {count:,}")
        self.say(
            f"done: {total:,} rows in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f} rows/s)"
        )
        return self.counts


def authority_digest() -> str:
    """A digest of what was generated (names, dates, codes), independent of ids and clocks."""
    digest = hashlib.sha256()

    def feed(rows: Iterable[Sequence[Any]]) -> None:
        for row in sorted(tuple(str(v) for v in r) for r in rows):
            digest.update("|".join(row).encode())
            digest.update(b"\n")

    feed(
        Person.objects.values_list(
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "religion",
            "nhs_number",
            "upn",
            "date_of_death",
        )
    )
    feed(
        Relationship.objects.values_list(
            "person__nhs_number", "other__nhs_number", "kind", "start_date"
        )
    )
    feed(Address.objects.values_list("person__nhs_number", "postcode", "start_date", "end_date"))
    feed(
        Allocation.objects.values_list(
            "person__nhs_number", "team__name", "worker__username", "start_date", "end_date"
        )
    )
    feed(User.objects.values_list("username", "first_name", "last_name", "team__name"))
    extra: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        ("frontdoor", "Contact", ("received_at", "source", "decision", "decided_at")),
        (
            "frontdoor",
            "Referral",
            ("person__nhs_number", "referral_date", "primary_need", "closed_on", "closure_reason"),
        ),
        ("frontdoor", "EarlyHelpEpisode", ("person__nhs_number", "start_date", "end_date")),
        (
            "assessments",
            "Assessment",
            ("person__nhs_number", "start_date", "status", "authorised_on", "factors"),
        ),
        ("cin", "CINPlan", ("person__nhs_number", "start_date", "end_date", "end_reason")),
        (
            "lookedafter",
            "Episode",
            ("person__nhs_number", "start_date", "legal_status", "placement_type", "end_date"),
        ),
        ("cin", "CINVisit", ("person__nhs_number", "visit_date", "child_seen", "child_seen_alone")),
        (
            "recording",
            "CaseNote",
            ("person__nhs_number", "note_type", "occurred_at", "is_significant"),
        ),
    )
    for app_label, name, fields in extra:
        model = model_available(app_label, name)
        if model is not None:
            feed(model._default_manager.values_list(*fields))
    return digest.hexdigest()
