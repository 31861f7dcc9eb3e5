"""The DfE's children's social care data feed: one JSON record per child, built from the SSD rows.

The feed (Data to Insight's ``dfe-csc-api-data-flows``, payload spec v0.8) sends each child
with their details, SDQ scores and social care episodes (referrals, with their assessments,
CIN plans, section 47 enquiries, protection plans, placements, adoption, care leaver contact
and workers) as JSON. Caseline builds those records from the same rows the SSD export writes
(``tables.readers()``), checks each against the schema in ``data/csc_feed_v0.8.schema.json``
and writes them in batches of :data:`BATCH` (the body of one request to the DfE), with a
manifest. Sending them is not done here.

A changes-only feed holds the children whose record changed since a moment: those with an
audit event about them (``subject_person_id``) at or after it that is not a read
(``READ_EVENTS``). Each is sent whole; a child merged into another since is sent as a purge.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from caseline.apps.audit.events import READ_EVENTS
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.ssd.export import MANIFEST, Progress, _sha256, _swap_in, check_folder
from caseline.apps.ssd.tables import Row, person_id, readers

SPEC_VERSION = "0.8"
SPEC_SOURCE = (
    "Data to Insight, dfe-csc-api-data-flows (the DfE children's social care data feed), "
    "payload spec v0.8"
)
SCHEMA_FILE = "data/csc_feed_v0.8.schema.json"
BATCH = 100  # children in one file: the body of one request
FORMER_UPN = "Former Unique Pupil Number"
Child = dict[str, Any]


class FeedError(Exception):
    """A child's record does not meet the feed's schema: nothing was written."""


@functools.cache
def validator() -> Draft202012Validator:
    """The schema one child's record is checked against (read once)."""
    text = resources.files("caseline.apps.ssd").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def problems(child: Child) -> list[str]:
    """What is wrong with one child's record against the schema, each with its place."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(the record)'}: {error.message}"
        for error in sorted(validator().iter_errors(child), key=lambda e: list(e.absolute_path))
    ]


def changed_since(since: datetime) -> set[int]:
    """The people with a change (an audit event that is not a read) at or after ``since``."""
    people = (
        AuditEvent.objects.filter(occurred_at__gte=since, subject_person_id__isnull=False)
        .exclude(event_type__in=READ_EVENTS)
        .values_list("subject_person_id", flat=True)
        .distinct()
    )
    return {pk for pk in people if pk is not None}


def _day(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def _flag(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).upper() in {"Y", "1", "TRUE", "T"}


def _text(value: Any, length: int) -> str | None:
    text = "" if value is None else str(value).strip()
    return text[:length] or None


class Rows:
    """The SSD rows the feed reads, grouped by the id they hang on (read once)."""

    def __init__(self, people: set[str] | None) -> None:
        sources = readers()

        def read(table: str, key: str) -> dict[str, list[Row]]:
            grouped: dict[str, list[Row]] = defaultdict(list)
            for row in sources[table]():
                grouped[row[key]].append(row)
            return grouped

        def of_people(table: str, key: str) -> dict[str, list[Row]]:
            grouped: dict[str, list[Row]] = defaultdict(list)
            for row in sources[table]():
                if people is None or row[key] in people:
                    grouped[row[key]].append(row)
            return grouped

        self.person = {
            row["pers_person_id"]: row
            for row in sources["ssd_person"]()
            if people is None or row["pers_person_id"] in people
        }
        self.disability = of_people("ssd_disability", "disa_person_id")
        self.linked = of_people("ssd_linked_identifiers", "link_person_id")
        self.address = of_people("ssd_address", "addr_person_id")
        self.immigration = of_people("ssd_immigration_status", "immi_person_id")
        self.sdq = of_people("ssd_sdq_scores", "csdq_person_id")
        self.referrals = of_people("ssd_cin_episodes", "cine_person_id")
        self.assessments = read("ssd_cin_assessments", "cina_referral_id")
        self.factors = {
            row["cinf_assessment_id"]: row["cinf_assessment_factors_json"] or []
            for row in sources["ssd_assessment_factors"]()
        }
        self.cin_plans = read("ssd_cin_plans", "cinp_referral_id")
        self.enquiries = read("ssd_s47_enquiry", "s47e_referral_id")
        self.conferences = read("ssd_initial_cp_conference", "icpc_s47_enquiry_id")
        self.cp_plans = read("ssd_cp_plans", "cppl_referral_id")
        self.episodes = {row["clae_cla_placement_id"]: row for row in sources["ssd_cla_episodes"]()}
        self.placements = of_people("ssd_cla_placement", "clap_person_id")
        self.adoption = of_people("ssd_permanence", "perm_person_id")
        self.care_leaver = of_people("ssd_care_leavers", "clea_person_id")
        self.involvements = of_people("ssd_involvements", "invo_person_id")
        self.registration = {
            row["prof_professional_id"]: row["prof_social_worker_registration_no"]
            for row in sources["ssd_professionals"]()
        }


def _episode_of(referrals: list[Row], day: Any) -> Row:
    """The referral open on ``day`` (else the latest before it, else the first)."""
    when = _day(day) or ""
    before = [r for r in referrals if (_day(r["cine_referral_date"]) or "") <= when]
    open_then = [
        r
        for r in before
        if r["cine_close_date"] is None or (_day(r["cine_close_date"]) or "") >= when
    ]
    return (open_then or before or referrals)[-1]


def _child_details(rows: Rows, pid: str, person: Row) -> Child:
    former = [
        r["link_identifier_value"]
        for r in rows.linked.get(pid, [])
        if r["link_identifier_type"] == FORMER_UPN
    ]
    addresses = sorted(
        rows.address.get(pid, []), key=lambda r: _day(r["addr_address_start_date"]) or ""
    )
    immigration = rows.immigration.get(pid, [])
    uasc = [r for r in immigration if "uasc" in str(r["immi_immigration_status"] or "").lower()]
    codes = sorted({str(r["disa_disability_code"])[:4] for r in rows.disability.get(pid, [])})
    sex = person["pers_sex"] if person["pers_sex"] in {"M", "F"} else "U"
    return {
        "unique_pupil_number": _text(person["pers_upn"], 13),
        "former_unique_pupil_number": former[-1] if former else None,
        "unique_pupil_number_unknown_reason": _text(person["pers_upn_unknown"], 4),
        "first_name": person["pers_forename"] or None,
        "surname": person["pers_surname"] or None,
        "date_of_birth": _day(person["pers_dob"]),
        "expected_date_of_birth": _day(person["pers_expected_dob"]),
        "sex": sex,
        "ethnicity": _text(person["pers_ethnicity"], 4),
        "disabilities": codes[:12] or ["NONE"],
        "postcode": _text(addresses[-1]["addr_address_postcode"], 8) if addresses else None,
        "uasc_flag": bool(uasc),
        "uasc_end_date": _day(uasc[-1]["immi_immigration_status_end_date"]) if uasc else None,
        "purge": False,
    }


def _episodes(rows: Rows, pid: str) -> list[Child]:
    referrals = sorted(
        rows.referrals.get(pid, []), key=lambda r: _day(r["cine_referral_date"]) or ""
    )
    built: dict[str, Child] = {}
    for referral in referrals:
        rid = referral["cine_referral_id"]
        enquiries = rows.enquiries.get(rid, [])
        built[rid] = {
            "social_care_episode_id": rid,
            "referral_date": _day(referral["cine_referral_date"]),
            "referral_source": _text(referral["cine_referral_source_code"], 2),
            "referral_no_further_action_flag": _flag(referral["cine_referral_nfa"]),
            "closure_date": _day(referral["cine_close_date"]),
            "closure_reason": _text(referral["cine_close_reason"], 3),
            "care_worker_details": [],
            "child_and_family_assessments": [
                {
                    "child_and_family_assessment_id": a["cina_assessment_id"],
                    "start_date": _day(a["cina_assessment_start_date"]),
                    "authorisation_date": _day(a["cina_assessment_auth_date"]),
                    "factors": list(rows.factors.get(a["cina_assessment_id"], [])),
                    "purge": False,
                }
                for a in rows.assessments.get(rid, [])
            ],
            "child_in_need_plans": [
                {
                    "child_in_need_plan_id": p["cinp_cin_plan_id"],
                    "start_date": _day(p["cinp_cin_plan_start_date"]),
                    "end_date": _day(p["cinp_cin_plan_end_date"]),
                    "purge": False,
                }
                for p in rows.cin_plans.get(rid, [])
            ],
            "section_47_assessments": [_enquiry(rows, e) for e in enquiries],
            "child_protection_plans": [
                {
                    "child_protection_plan_id": p["cppl_cp_plan_id"],
                    "start_date": _day(p["cppl_cp_plan_start_date"]),
                    "end_date": _day(p["cppl_cp_plan_end_date"]),
                    "purge": False,
                }
                for p in rows.cp_plans.get(rid, [])
            ],
            "child_looked_after_placements": [],
            "adoption": None,
            "care_leavers": None,
            "purge": False,
        }
    if not referrals:
        return []
    # The SSD's placements, workers, adoption and care leaver rows name the child, not the
    # referral: each goes to the referral open when it began (adoption and care leaving to
    # the latest).
    for place in rows.placements.get(pid, []):
        episode = rows.episodes.get(place["clap_cla_placement_id"], {})
        home = built[
            _episode_of(referrals, place["clap_cla_placement_start_date"])["cine_referral_id"]
        ]
        home["child_looked_after_placements"].append(
            {
                "child_looked_after_placement_id": place["clap_cla_placement_id"],
                "start_date": _day(place["clap_cla_placement_start_date"]),
                "start_reason": _text(episode.get("clae_cla_episode_start_reason"), 1),
                "placement_type": _text(place["clap_cla_placement_type"], 3),
                "postcode": _text(place["clap_cla_placement_postcode"], 8),
                "end_date": _day(place["clap_cla_placement_end_date"]),
                "end_reason": _text(episode.get("clae_cla_episode_ceased_reason"), 3),
                "change_reason": _text(place["clap_cla_placement_change_reason"], 6),
                "purge": False,
            }
        )
    for involvement in rows.involvements.get(pid, []):
        registration = rows.registration.get(involvement["invo_professional_id"])
        if not registration:
            continue  # the feed names a worker by their Social Work England registration
        home = built[
            _episode_of(referrals, involvement["invo_involvement_start_date"])["cine_referral_id"]
        ]
        home["care_worker_details"].append(
            {
                "worker_id": _text(registration, 12),
                "start_date": _day(involvement["invo_involvement_start_date"]),
                "end_date": _day(involvement["invo_involvement_end_date"]),
            }
        )
    latest = built[referrals[-1]["cine_referral_id"]]
    decisions = rows.adoption.get(pid, [])
    if decisions:
        decision = max(decisions, key=lambda r: _day(r["perm_adm_decision_date"]) or "")
        latest["adoption"] = {
            "initial_decision_date": _day(decision["perm_adm_decision_date"]),
            "matched_date": _day(decision["perm_matched_date"]),
            "placed_date": None,  # Caseline's SSD permanence rows carry no placed date
            "purge": False,
        }
    for contact in rows.care_leaver.get(pid, [])[-1:]:
        latest["care_leavers"] = {
            "contact_date": _day(contact["clea_care_leaver_latest_contact"]),
            "activity": _text(contact["clea_care_leaver_activity"], 2),
            "accommodation": _text(contact["clea_care_leaver_accommodation"], 1),
            "purge": False,
        }
    return list(built.values())


def _enquiry(rows: Rows, enquiry: Row) -> Child:
    outcome = enquiry["s47e_s47_outcome_json"] or {}
    conferences = sorted(
        (
            _day(c["icpc_icpc_date"])
            for c in rows.conferences.get(enquiry["s47e_s47_enquiry_id"], [])
        ),
        key=lambda d: d or "",
    )
    return {
        "section_47_assessment_id": enquiry["s47e_s47_enquiry_id"],
        "start_date": _day(enquiry["s47e_s47_start_date"]),
        "icpc_required_flag": _flag(outcome.get("CP_CONFERENCE_FLAG")) if outcome else None,
        "icpc_date": conferences[-1] if conferences else None,
        "end_date": _day(enquiry["s47e_s47_end_date"]),
        "purge": False,
    }


def build_children(people: set[str] | None = None) -> Iterator[Child]:
    """Each child's full record, in person order: everyone with a referral (a CIN episode),
    or, given ``people`` (SSD person ids), those of them that have one."""
    rows = Rows(people)
    for pid, person in rows.person.items():
        if not rows.referrals.get(pid):
            continue
        scores = sorted(
            rows.sdq.get(pid, []), key=lambda r: _day(r["csdq_sdq_completed_date"]) or ""
        )
        yield {
            "la_child_id": pid,
            "mis_child_id": pid,
            "purge": False,
            "child_details": _child_details(rows, pid, person),
            "health_and_wellbeing": {
                "sdq_assessments": [
                    {"date": _day(r["csdq_sdq_completed_date"]), "score": r["csdq_sdq_score"]}
                    for r in reversed(scores)
                    if r["csdq_sdq_score"] is not None
                ],
                "purge": False,
            }
            if any(r["csdq_sdq_score"] is not None for r in scores)
            else None,
            "social_care_episodes": _episodes(rows, pid),
        }


@dataclass
class Fed:
    """What a feed wrote."""

    folder: Path
    children: int = 0
    purged: int = 0
    person_ids: list[int] = field(default_factory=list)  # Caseline's records in the feed
    manifest: dict[str, Any] = field(default_factory=dict)


def write_feed(
    out: Path, *, since: datetime | None = None, progress: Progress | None = None
) -> Fed:
    """Write the feed's records into ``out`` (replacing an earlier feed there): everyone with a
    referral, or with ``since`` only those whose record changed since then.

    Every record is checked against the schema before anything is written; a record that
    fails raises ``FeedError`` naming the child and each place that is wrong.
    """
    check_folder(out)
    changed = None if since is None else changed_since(since)
    if progress is not None:
        progress("Reading the SSD tables")
    records: list[Child] = []
    fed = Fed(folder=out)
    pk_of: dict[str, int] = {}
    if changed is None:
        live = Person.objects.filter(merged_into__isnull=True).values_list("pk", flat=True)
        pk_of = {str(person_id(pk)): pk for pk in live.iterator(chunk_size=2000)}
        wanted = None
    else:
        merged = set(
            Person.objects.filter(pk__in=changed, merged_into__isnull=False).values_list(
                "pk", flat=True
            )
        )
        pk_of = {str(person_id(pk)): pk for pk in changed}
        wanted = {sid for sid, pk in pk_of.items() if pk not in merged}
        for sid, pk in sorted(pk_of.items()):
            if pk in merged:
                records.append({"la_child_id": sid, "mis_child_id": sid, "purge": True})
                fed.purged += 1
                fed.person_ids.append(pk)
    for child in build_children(wanted):
        records.append(child)
        fed.children += 1
        if child["la_child_id"] in pk_of:
            fed.person_ids.append(pk_of[child["la_child_id"]])
    wrong = [(child["la_child_id"], problems(child)) for child in records]
    wrong = [(who, found) for who, found in wrong if found]
    if wrong:
        lines = [f"child {who}: {problem}" for who, found in wrong for problem in found]
        raise FeedError(
            f"{len(wrong)} children's records do not meet the feed's schema "
            f"(v{SPEC_VERSION}); nothing was written:\n" + "\n".join(lines[:50])
        )
    parent = out.parent if out.parent != Path("") else Path(".")
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=parent))
    try:
        files = []
        for number, start in enumerate(range(0, len(records), BATCH), start=1):
            path = aside / f"children_{number:04d}.json"
            batch = records[start : start + BATCH]
            path.write_text(json.dumps(batch, indent=1) + "\n", "utf-8")
            files.append({"file": path.name, "children": len(batch), "sha256": _sha256(path)})
        fed.manifest = {
            "feed": "DfE children's social care data feed",
            "spec_version": SPEC_VERSION,
            "spec_source": SPEC_SOURCE,
            "produced_by": "Caseline",
            "as_at": timezone.localtime().isoformat(timespec="seconds"),
            "kind": "full" if since is None else "changes",
            "since": None if since is None else timezone.localtime(since).isoformat(),
            "children": fed.children,
            "purged": fed.purged,
            "files": files,
        }
        (aside / MANIFEST).write_text(json.dumps(fed.manifest, indent=1) + "\n", "utf-8")
        _swap_in(aside, out)
    except BaseException:
        shutil.rmtree(aside, ignore_errors=True)
        raise
    return fed
