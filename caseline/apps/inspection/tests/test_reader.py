"""The reader: Wirral's 2011 report read exactly, an ILACS report, what is flagged, PDFs, and
``caseline inspection read``."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from caseline.apps.core.pdf import render_pdf
from caseline.apps.inspection.models import ReportImport
from caseline.apps.inspection.reader import (
    AreaRead,
    Framework,
    Grade,
    JudgementRead,
    Reading,
    Timescale,
    read_dates,
    read_report,
    report_text,
)

FIXTURES = Path(__file__).parent / "fixtures"
WIRRAL_2011 = FIXTURES / "wirral-2011-safeguarding-and-lac-inspection.txt"
ILACS = FIXTURES / "ilacs-synthetic.txt"
SAFEGUARDING = "Safeguarding services"
LAC = "Services for looked after children"

WIRRAL_JUDGEMENTS = [
    (SAFEGUARDING, "Overall effectiveness", Grade.GOOD),
    (SAFEGUARDING, "Capacity for improvement", Grade.GOOD),
    (SAFEGUARDING, "Children and young people are safe and feel safe", Grade.GOOD),
    (SAFEGUARDING, "Quality of provision", Grade.GOOD),
    (
        SAFEGUARDING,
        "The contribution of health agencies to keeping children and young people safe",
        Grade.OUTSTANDING,
    ),
    (SAFEGUARDING, "Ambition and prioritisation", Grade.OUTSTANDING),
    (SAFEGUARDING, "Leadership and management", Grade.OUTSTANDING),
    (SAFEGUARDING, "Performance management and quality assurance", Grade.GOOD),
    (SAFEGUARDING, "Partnership working", Grade.OUTSTANDING),
    (SAFEGUARDING, "Equality and diversity", Grade.ADEQUATE),
    (LAC, "Overall effectiveness", Grade.GOOD),
    (LAC, "Capacity for improvement", Grade.GOOD),
    (LAC, "Being healthy", Grade.GOOD),
    (LAC, "Staying safe", Grade.GOOD),
    (LAC, "Enjoying and achieving", Grade.GOOD),
    (LAC, "Making a positive contribution, including user engagement", Grade.GOOD),
    (LAC, "Economic well-being", Grade.ADEQUATE),
    (LAC, "Quality of provision", Grade.GOOD),
    (LAC, "Ambition and prioritisation", Grade.OUTSTANDING),
    (LAC, "Leadership and management", Grade.OUTSTANDING),
    (LAC, "Performance management and quality assurance", Grade.GOOD),
    (LAC, "Equality and diversity", Grade.ADEQUATE),
]
WIRRAL_AREAS = [
    AreaRead(
        SAFEGUARDING,
        "Ensure the records of assessments include the risk and protective factors.",
        Timescale.THREE_MONTHS,
    ),
    AreaRead(
        SAFEGUARDING,
        "Keep under review the capacity of the current electronic recording arrangements to "
        "ensure that it is fit for purpose for social workers and managers as well as producing "
        "documents that are user friendly for children and their families.",
        Timescale.SIX_MONTHS,
    ),
    AreaRead(
        SAFEGUARDING,
        "Ensure all records of assessments, plans and reviews reflect a focus on the child's "
        "views and wishes and the cultural and identity needs of children and their families.",
        Timescale.SIX_MONTHS,
    ),
    AreaRead(
        LAC,
        "Promote awareness among all looked after children of the opportunities presented by "
        "the Children in Care Council to get their views across.",
        Timescale.THREE_MONTHS,
    ),
    AreaRead(
        LAC,
        "Ensure that children's files give a clear picture of their life story and the reasons "
        "that decisions were made as well as reflecting their individual identity.",
        Timescale.THREE_MONTHS,
    ),
    AreaRead(
        LAC,
        "Improve further the effectiveness of strategies used to ensure that more young people "
        "complete their chosen course of study or training successfully post-16.",
        Timescale.THREE_MONTHS,
    ),
    AreaRead(
        LAC,
        "Improve the consistency of the quality of personal education plans for the youngest "
        "children in care and the pathway plans for care leavers.",
        Timescale.THREE_MONTHS,
    ),
]


def wirral_text() -> str:
    return WIRRAL_2011.read_text(encoding="utf-8")


def test_the_wirral_2011_report_reads_exactly() -> None:
    reading = read_report(wirral_text())

    assert reading.flags == []
    assert reading.framework == Framework.SAFEGUARDING_LAC_2009
    assert reading.authority == "Wirral Metropolitan Borough Council"
    assert reading.start_date == datetime.date(2011, 1, 24)
    assert reading.end_date == datetime.date(2011, 2, 4)
    assert reading.published_date == datetime.date(2011, 3, 11)
    assert [(j.section, j.area, j.grade) for j in reading.judgements] == WIRRAL_JUDGEMENTS
    assert reading.areas_for_improvement == WIRRAL_AREAS
    assert reading.recommendations == []


def test_an_ilacs_report_reads_its_judgements_and_what_needs_to_improve() -> None:
    reading = read_report(ILACS.read_text(encoding="utf-8"))

    assert reading.flags == []
    assert reading.framework == Framework.ILACS
    assert reading.authority == "Eastmoor"
    assert (reading.start_date, reading.end_date) == (
        datetime.date(2024, 3, 4),
        datetime.date(2024, 3, 15),
    )
    assert reading.published_date == datetime.date(2024, 5, 2)
    assert [(j.area, j.grade) for j in reading.judgements] == [
        (
            "The impact of leaders on social work practice with children and families",
            Grade.REQUIRES_IMPROVEMENT,
        ),
        ("The experiences and progress of children who need help and protection", Grade.INADEQUATE),
        ("The experiences and progress of children in care", Grade.REQUIRES_IMPROVEMENT),
        ("The experiences and progress of care leavers", Grade.GOOD),
        ("Overall effectiveness", Grade.INADEQUATE),
    ]
    assert [a.text for a in reading.areas_for_improvement] == [
        "The timeliness of strategy meetings and the attendance of health professionals at them.",
        "The quality of child protection plans, so that parents understand what must change and "
        "by when.",
        "Management oversight of children's progress when they step down to early help.",
    ]
    assert {a.timescale for a in reading.areas_for_improvement} == {""}


def test_what_cannot_be_read_is_flagged_and_left_empty() -> None:
    text = wirral_text()
    text = text.replace(
        "Inspection dates: 24 January-4 February 2011", "Inspection dates: early 2011"
    )
    text = text.replace("Overall effectiveness\tGood", "Overall effectiveness\tExcellent", 1)
    text = text.replace("Within six months:", "Within eight weeks:")

    reading = read_report(text)

    assert (reading.start_date, reading.end_date) == (None, None)
    messages = [(f.where, f.message) for f in reading.flags]
    assert (
        "inspection dates",
        "The inspection dates could not be read from "
        "“Inspection dates: early 2011 Reporting inspector Ralph Trevelyan-Butler”",
    ) in messages
    assert (
        "judgements",
        "No overall effectiveness judgement was read for safeguarding services",
    ) in messages
    # "Within eight weeks:" is not a timescale the reader knows: the items under it are read
    # as continuing the block without a timescale being guessed for them.
    assert not any(a.timescale == Timescale.SIX_MONTHS for a in reading.areas_for_improvement)


def test_a_report_of_no_known_framework_reads_nothing() -> None:
    reading = read_report("Minutes of the corporate parenting board, 3 March 2011")

    assert reading.framework == ""
    assert reading.judgements == []
    assert [f.where for f in reading.flags] == ["framework"]


def test_an_ilacs_report_without_a_care_leavers_judgement_after_2023_is_flagged() -> None:
    text = ILACS.read_text(encoding="utf-8").replace(
        "The experiences and progress of care leavers\tGood\n", ""
    )

    reading = read_report(text)

    assert [f.message for f in reading.flags] == [
        "No grade was read for the experiences and progress of care leavers"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Inspection dates: 24 January-4 February 2011", ((2011, 1, 24), (2011, 2, 4))),
        ("Inspection dates: 4 to 15 March 2024", ((2024, 3, 4), (2024, 3, 15))),
        ("Inspection dates: 28 December 2015 – 8 January 2016", ((2015, 12, 28), (2016, 1, 8))),
        ("Inspection dates: 15 to 4 March 2024", None),
        ("Inspection dates: 31 February to 3 March 2024", None),
    ],
)
def test_inspection_dates(line: str, expected: tuple[tuple[int, int, int], ...] | None) -> None:
    from caseline.apps.inspection.reader import _clean

    start, end = read_dates(_clean(line))
    if expected is None:
        assert (start, end) == (None, None)
    else:
        assert (start, end) == tuple(datetime.date(*d) for d in expected)


def _pdf_of(text: str, path: Path) -> Path:
    """The report's text laid out as a PDF, its tables as tables (WeasyPrint, core.pdf)."""
    from django.utils.html import escape

    rows = []
    for line in text.splitlines():
        cells = [c for c in line.split("\t") if c.strip()]
        if len(cells) > 1:
            rows.append(
                "<table style='width:100%'><tr>"
                + "".join(f"<td>{escape(c)}</td>" for c in cells)
                + "</tr></table>"
            )
        else:
            rows.append(f"<p>{escape(line)}</p>")
    path.write_bytes(render_pdf("<html><body>" + "\n".join(rows) + "</body></html>"))
    return path


def test_a_pdf_of_the_report_reads_as_its_text(tmp_path: Path) -> None:
    pdf = _pdf_of(wirral_text(), tmp_path / "wirral.pdf")

    text = report_text(pdf)
    reading = read_report(text)

    assert reading.flags == []
    assert [(j.section, j.area, j.grade) for j in reading.judgements] == WIRRAL_JUDGEMENTS
    assert reading.areas_for_improvement == WIRRAL_AREAS


def test_a_file_that_is_neither_pdf_nor_text_is_refused(tmp_path: Path) -> None:
    from caseline.apps.inspection.reader import ReportUnreadable

    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\xff\xfe")

    with pytest.raises(ReportUnreadable, match="neither a PDF nor UTF-8 text"):
        report_text(path)


@pytest.mark.django_db
def test_the_read_command_prints_json_and_saves_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("inspection", "read", str(WIRRAL_2011))

    printed = json.loads(capsys.readouterr().out)
    assert printed["authority"] == "Wirral Metropolitan Borough Council"
    assert printed["start_date"] == "2011-01-24"
    assert len(printed["judgements"]) == 22
    assert [a["timescale"] for a in printed["areas_for_improvement"]] == [
        "within three months",
        "within six months",
        "within six months",
        "within three months",
        "within three months",
        "within three months",
        "within three months",
    ]
    assert printed["flags"] == []
    assert ReportImport.objects.count() == 0
    assert Reading.from_json(printed).judgements[0] == JudgementRead(
        SAFEGUARDING, "Overall effectiveness", "good"
    )


def test_the_read_command_refuses_a_missing_file_with_status_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file") as error:
        call_command("inspection", "read", str(tmp_path / "missing.pdf"))
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_the_demo_command_loads_the_wirral_plan(
    make_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from caseline.apps.accounts.permissions import Role
    from caseline.apps.inspection.models import Inspection

    make_user(Role.QA_LEAD, username="qa.lead")

    call_command("inspection", "load-wirral-demo", str(WIRRAL_2011), "--user", "qa.lead")

    inspection = Inspection.objects.get()
    assert inspection.actions.count() == 44
    assert f"with 44 plan actions (inspection {inspection.pk})" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "file", "message"),
    [
        ("nobody", WIRRAL_2011, "No user is called 'nobody'"),
        ("worker", WIRRAL_2011, "This needs the permission to import inspection reports"),
        ("qa.lead", ILACS, "Nothing loaded: The file does not read as the Wirral 2011 report"),
    ],
)
def test_the_demo_command_refuses_with_status_2_and_writes_nothing(
    make_user: Any, user: str, file: Path, message: str
) -> None:
    from caseline.apps.accounts.permissions import Role
    from caseline.apps.inspection.models import Inspection

    make_user(Role.QA_LEAD, username="qa.lead")
    make_user(Role.SOCIAL_WORKER, username="worker")

    with pytest.raises(CommandError, match=message) as error:
        call_command("inspection", "load-wirral-demo", str(file), "--user", user)

    assert error.value.returncode == 2
    assert Inspection.objects.count() == 0
    assert ReportImport.objects.count() == 0


def test_recommendations_and_bullets_of_other_shapes() -> None:
    text = ILACS.read_text(encoding="utf-8") + (
        "\nRecommendations\n\n1. Review the front door's thresholds with partners.\n"
        "2. Make chronologies tell the child's story, and keep genograms\nup to date.\n\nAnnex\n"
    )

    reading = read_report(text)

    assert reading.recommendations == [
        "Review the front door's thresholds with partners.",
        "Make chronologies tell the child's story, and keep genograms up to date.",
    ]


def test_a_2009_report_without_its_table_or_areas_is_flagged() -> None:
    text = wirral_text()
    text = text[: text.rindex("Record of main findings")]
    text = text.replace("Areas for improvement\n", "Next steps\n")

    reading = read_report(text)

    assert reading.judgements == []
    assert [f.message for f in reading.flags] == [
        "The report's “Record of main findings” table was not found",
        "The report has no “Areas for improvement” heading",
    ]


def test_an_ilacs_grade_the_reader_does_not_know_is_flagged() -> None:
    text = ILACS.read_text(encoding="utf-8").replace(
        "Overall effectiveness\tInadequate", "Overall effectiveness\tSatisfactory"
    )

    reading = read_report(text)

    assert "Overall effectiveness" not in [j.area for j in reading.judgements]
    assert [f.message for f in reading.flags] == [
        "The grade of “Overall effectiveness” could not be read from “Satisfactory”"
    ]
