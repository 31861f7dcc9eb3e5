"""Subject access packs: assembling from the record and the relationships, proposed and
reviewed redactions, a second person's approval, and the PDF with nothing redacted in it."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.people.models import Address, ContactDetail, Person, Relationship
from caseline.apps.subjectaccess import actions
from caseline.apps.subjectaccess.events import SubjectAccessEvent
from caseline.apps.subjectaccess.models import AccessPack, Redaction, SubjectAccessRequest
from caseline.apps.subjectaccess.pack import MARKER, redact, word_pattern
from caseline.apps.subjectaccess.views import produce_pdf
from tests.factories import PersonFactory

D = datetime.date


@pytest.fixture
def handler(make_user: Callable[..., User]) -> User:
    return make_user(Role.SENIOR_LEADER, username="handler", first_name="Hana", last_name="Dler")


@pytest.fixture
def approver(make_user: Callable[..., User]) -> User:
    return make_user(Role.QA_LEAD, username="approver", first_name="Appy", last_name="Rover")


@pytest.fixture
def family(handler: User) -> dict[str, Person]:
    """Rosa Quill (the requester, now an adult), her mother Marta Vell and her brother Tobias
    Quill; an entry on each record, two of the relatives' entries naming Rosa."""
    rosa = PersonFactory.create(given_name="Rosa", family_name="Quill", date_of_birth=D(2000, 5, 1))
    marta = PersonFactory.create(
        given_name="Marta", family_name="Vell", date_of_birth=D(1975, 2, 2)
    )
    tobias = PersonFactory.create(
        given_name="Tobias", family_name="Quill", date_of_birth=D(2003, 7, 9)
    )
    stranger = PersonFactory.create(given_name="Uma", family_name="Stray")
    Relationship.objects.create(person=marta, other=rosa, kind=Relationship.Kind.PARENT)
    Relationship.objects.create(person=rosa, other=tobias, kind=Relationship.Kind.SIBLING)
    Address.objects.create(
        person=marta,
        line_1="12 Heron Way",
        town="Lowton",
        postcode="LT4 9QZ",
        start_date=D(2001, 1, 1),
    )
    ContactDetail.objects.create(person=marta, kind=ContactDetail.Kind.PHONE, value="07700 900461")

    def event(person: Person, day: D, what: str) -> None:
        AgencyEvent.objects.create(
            person=person,
            event_date=day,
            agency="Police",
            what_happened=what,
            why_it_matters="Noted for the record",
            recorded_by=handler,
        )

    event(rosa, D(2010, 3, 4), "Rosa said Marta Vell had gone out; Tobias was crying.")
    event(tobias, D(2008, 6, 1), "Tobias stayed with Rosa at 12 Heron Way, call 07700 900461.")
    event(tobias, D(2012, 1, 5), "Tobias went to football alone.")
    event(marta, D(2015, 9, 9), "Marta told the visitor that ROSA had moved out.")
    event(stranger, D(2011, 1, 1), "Uma mentioned Rosa Quill in passing.")
    return {"rosa": rosa, "marta": marta, "tobias": tobias, "stranger": stranger}


@pytest.fixture
def access_request(handler: User, family: dict[str, Person]) -> SubjectAccessRequest:
    return actions.record_request(
        acting_user=handler, person=family["rosa"], requester="self", received_on=D(2025, 9, 3)
    )


@pytest.mark.django_db
def test_assembly_finds_the_record_and_mentions_through_relationships_in_date_order(
    handler: User, family: dict[str, Person], access_request: SubjectAccessRequest
) -> None:
    pack = actions.assemble_pack(acting_user=handler, request=access_request)
    found = [(e["date"], e["found_in"]) for e in pack.entries]
    assert found == [
        ("2000-05-01", "Own record"),  # born
        ("2003-07-09", "Own record"),  # her brother born
        ("2008-06-01", "Record of the requester's sibling"),
        ("2010-03-04", "Own record"),
        ("2015-09-09", "Record of the requester's parent"),
    ]
    # The brother's entry that does not name Rosa is left out, and so is a stranger's entry
    # that does (no relationship: not found).
    assert "football" not in str(pack.entries)
    assert "Uma" not in str(pack.entries)
    assert pack.searched == {"related": 2, "searched": 2, "included": 2}
    proposed = dict(pack.redactions.values_list("text", "reason"))
    assert proposed["Marta Vell"] == "A third party's name"
    assert proposed["Tobias Quill"] == "A third party's name"
    assert proposed["Vell"] == "A third party's name"
    assert proposed["12 Heron Way"] == "A third party's address"
    assert proposed["07700 900461"] == "A third party's contact details"
    # The requester's own names are never proposed: the shared family name stays.
    assert not {"Rosa", "Quill", "Rosa Quill"} & set(proposed)
    assert AuditEvent.objects.filter(
        event_type=SubjectAccessEvent.PACK_ASSEMBLED, subject_person_id=family["rosa"].pk
    ).exists()
    # Each relative's record read for the pack is audited against that relative.
    assert set(
        AuditEvent.objects.filter(event_type=SubjectAccessEvent.RECORD_SEARCHED).values_list(
            "subject_person_id", flat=True
        )
    ) == {family["marta"].pk, family["tobias"].pk}
    with pytest.raises(ValidationError, match="already been assembled"):
        actions.assemble_pack(acting_user=handler, request=access_request)


def test_redaction_replaces_whole_words_in_any_case() -> None:
    pattern = word_pattern(["Marta Vell", "Marta", "Tom"])
    assert redact("MARTA  Vell met Tom and Tomas; marta left.", pattern) == (
        f"{MARKER} met {MARKER} and Tomas; {MARKER} left."
    )
    assert redact("unchanged", word_pattern([])) == "unchanged"


@pytest.mark.django_db
def test_the_worker_adds_and_removes_redactions_with_reasons_audited(
    handler: User, access_request: SubjectAccessRequest
) -> None:
    pack = actions.assemble_pack(acting_user=handler, request=access_request)
    with pytest.raises(ValidationError) as refused:
        actions.add_redaction(acting_user=handler, pack=pack, text=" ", reason="")
    assert set(refused.value.message_dict) == {"text", "reason"}
    added = actions.add_redaction(
        acting_user=handler, pack=pack, text="football", reason="Identifies a third party's club"
    )
    with pytest.raises(ValidationError, match="already redacted"):
        actions.add_redaction(acting_user=handler, pack=pack, text="FOOTBALL", reason="Again")
    tobias = pack.redactions.get(text="Tobias")
    with pytest.raises(ValidationError, match="Enter why"):
        actions.remove_redaction(acting_user=handler, redaction=tobias, reason="")
    actions.remove_redaction(
        acting_user=handler, redaction=tobias, reason="Rosa knows her brother's name"
    )
    tobias.refresh_from_db()
    assert (tobias.active, tobias.removed_reason) == (False, "Rosa knows her brother's name")
    events = AuditEvent.objects.filter(
        event_type__in=[SubjectAccessEvent.REDACTION_ADDED, SubjectAccessEvent.REDACTION_REMOVED]
    ).order_by("id")
    assert [(e.event_type, e.subject_person_id) for e in events] == [
        (SubjectAccessEvent.REDACTION_ADDED, access_request.person_id),
        (SubjectAccessEvent.REDACTION_REMOVED, access_request.person_id),
    ]
    assert events[0].new_values["reason"] == "Identifies a third party's club"
    assert added.origin == Redaction.Origin.ADDED


@pytest.mark.django_db
def test_a_second_person_approves_never_the_preparer(
    handler: User,
    approver: User,
    make_user: Callable[..., User],
    access_request: SubjectAccessRequest,
) -> None:
    pack = actions.assemble_pack(acting_user=handler, request=access_request)
    with pytest.raises(PermissionDenied):
        actions.approve_pack(acting_user=make_user(Role.SOCIAL_WORKER), pack=pack, confirmed=True)
    with pytest.raises(ValidationError, match="a second person must approve"):
        actions.approve_pack(acting_user=handler, pack=pack, confirmed=True)
    # Another senior leader who changed a redaction prepared it too.
    colleague = make_user(Role.SENIOR_LEADER)
    actions.add_redaction(acting_user=colleague, pack=pack, text="alone", reason="Test")
    with pytest.raises(ValidationError, match="a second person must approve"):
        actions.approve_pack(acting_user=colleague, pack=pack, confirmed=True)
    with pytest.raises(ValidationError, match="Confirm"):
        actions.approve_pack(acting_user=approver, pack=pack, confirmed=False)
    actions.approve_pack(acting_user=approver, pack=pack, confirmed=True)
    pack.refresh_from_db()
    assert pack.approved_by == approver
    event = AuditEvent.objects.get(event_type=SubjectAccessEvent.PACK_APPROVED)
    assert event.new_values == {"redactions": pack.redactions.count(), "entries": 5}
    with pytest.raises(ValidationError, match="cannot change"):
        actions.add_redaction(acting_user=handler, pack=pack, text="more", reason="Late")


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils needed")
def test_the_pdf_has_a_cover_an_index_bookmarks_and_no_redacted_words(
    handler: User,
    approver: User,
    access_request: SubjectAccessRequest,
    tmp_path: Path,
) -> None:
    pack = actions.assemble_pack(acting_user=handler, request=access_request)
    actions.approve_pack(acting_user=approver, pack=pack, confirmed=True)
    pack.refresh_from_db()
    pdf = produce_pdf(pack, produced_by=handler)
    text = _pdf_text(pdf, tmp_path)
    assert "Subject access pack for Rosa Quill" in text
    assert "Index" in text
    assert "2008: 1 entry" in text
    assert "2015: 1 entry" in text
    assert "page 3" in text  # the index gives each year's page
    assert MARKER in text
    for third_party in ("Marta", "Vell", "Tobias", "Heron Way", "07700", "900461"):
        assert third_party not in text, third_party
    assert "ROSA had moved out" in " ".join(text.split())  # the requester kept
    # The bookmarks (the PDF's outline), as poppler reads them.
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(tmp_path / "pack.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    titles = re.findall(r'<item page="\d+">([^<]+)</item>', xml)
    assert titles[:3] == ["Subject access pack for Rosa Quill", "Index", "Entries"]
    assert titles[3:] == ["2000", "2003", "2008", "2010", "2015"]


@pytest.mark.django_db
def test_the_pages_assemble_review_approve_and_produce(
    client: Client,
    handler: User,
    approver: User,
    access_request: SubjectAccessRequest,
) -> None:
    client.force_login(handler)
    pack_url = reverse("subjectaccess:pack", args=[access_request.pk])
    mine = client.get(reverse("mywork:mine"))
    assert pack_url in mine.content.decode()
    assert client.get(pack_url).status_code == 200
    response = client.post(reverse("subjectaccess:assemble", args=[access_request.pk]))
    assert response.status_code == 302
    page = client.get(pack_url).content.decode()
    assert "Awaiting approval" in page
    assert "Marta Vell" in page  # in the redactions table
    # Nothing produced before approval.
    pdf_url = reverse("subjectaccess:pdf", args=[access_request.pk])
    assert client.get(pdf_url).status_code == 302
    assert not AuditEvent.objects.filter(extra__export="Subject access pack PDF").exists()
    # The handler may not approve their own pack.
    own = client.post(
        reverse("subjectaccess:approve", args=[access_request.pk]), {"confirmed": "on"}
    )
    assert own.status_code == 400
    assert "a second person must approve" in own.content.decode()
    client.force_login(approver)
    approvals = client.get(reverse("mywork:mine")).content.decode()
    assert reverse("subjectaccess:approve", args=[access_request.pk]) in approvals
    approve = client.post(
        reverse("subjectaccess:approve", args=[access_request.pk]), {"confirmed": "on"}
    )
    assert approve.status_code == 302
    client.force_login(handler)
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    exports = AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, extra__export="Subject access pack PDF"
    )
    assert exports.filter(subject_person_id=access_request.person_id).count() == 1
    # The deadline stays on My work until the answer is recorded.
    assert pack_url in client.get(reverse("mywork:mine")).content.decode()
    actions.complete_request(
        acting_user=handler, request=access_request, completed_on=D(2025, 9, 30)
    )
    assert pack_url not in client.get(reverse("mywork:mine")).content.decode()
    assert AccessPack.objects.get().approved


@pytest.mark.django_db
def test_the_review_pages_change_redactions_and_list_packs_to_approve(
    client: Client,
    handler: User,
    approver: User,
    access_request: SubjectAccessRequest,
    django_assert_max_num_queries: Any,
) -> None:
    pack = actions.assemble_pack(acting_user=handler, request=access_request)
    client.force_login(handler)
    add_url = reverse("subjectaccess:add-redaction", args=[access_request.pk])
    refused = client.post(add_url, {"text": "Bram", "reason": ""})
    assert refused.status_code == 400
    assert "Enter why it is redacted" in refused.content.decode()
    assert client.post(add_url, {"text": "Bram", "reason": "A friend"}).status_code == 302
    tobias = pack.redactions.get(text="Tobias")
    remove_url = reverse("subjectaccess:remove-redaction", args=[tobias.pk])
    assert "“Tobias”" in client.get(remove_url).content.decode()
    assert client.post(remove_url, {"reason": "Known to her"}).status_code == 302
    # 24: 20, and the read audited once for the response (chain lock, head, insert, and the
    # people shown).
    with django_assert_max_num_queries(24):
        page = client.get(reverse("subjectaccess:pack", args=[access_request.pk]))
    text = page.content.decode()
    assert "Known to her" in text  # among the removed
    # Entries are shown redacted: the mother's name is gone, the brother's first name stays.
    assert f"{MARKER}</span> had gone out; Tobias was crying." in text
    client.force_login(approver)
    approvals = client.get(reverse("subjectaccess:approvals")).content.decode()
    assert "Approve the pack about Rosa Quill" in approvals


def test_redaction_marks_escape_the_text_and_box_the_marker() -> None:
    from caseline.apps.subjectaccess.templatetags.redaction import redaction_marks

    assert redaction_marks(f"<b>{MARKER}</b>\nnext") == (
        f'&lt;b&gt;<span class="redacted">{MARKER}</span>&lt;/b&gt;<br>next'
    )


@pytest.mark.django_db
def test_phone_numbers_postcodes_and_preferred_names_are_proposed_and_visibility_kept(
    handler: User, family: dict[str, Person]
) -> None:
    from caseline.apps.subjectaccess.pack import assemble

    rosa, tobias = family["rosa"], family["tobias"]
    tobias.preferred_name = "Toby"
    tobias.save(update_fields=["preferred_name"])
    Address.objects.create(
        person=rosa, line_1="1 Own Road", postcode="OW1 1RD", start_date=D(2020, 1, 1)
    )
    AgencyEvent.objects.create(
        person=rosa,
        event_date=D(2019, 2, 2),
        agency="Health",
        what_happened="Rosa at OW1 1RD; Toby Quill rang from 01632 960123 at LT9 2AB.",
        why_it_matters="Noted",
        recorded_by=handler,
    )
    found = assemble(rosa)
    proposed = {p.text: p.reason for p in found.proposals}
    assert proposed["Toby Quill"] == "A third party's name"
    assert proposed["Toby"] == "A third party's name"
    assert proposed["01632 960123"] == "A phone number in the record"
    assert proposed["LT9 2AB"] == "A postcode in the record"
    assert "OW1 1RD" not in proposed  # the requester's own
    # Relatives the assembler may not see are not searched.
    limited = assemble(rosa, visible={tobias.pk})
    assert limited.related_searched == [tobias.pk]
    assert all("parent" not in e["found_in"] for e in limited.entries)
