"""Reading an Ofsted inspection report's text: what it says, and what could not be read.

Two frameworks are read: the 2009-2012 inspections of safeguarding and looked after children
services (two parts, each with its judgements on a four-point scale and its areas for
improvement under "Within three months:" and the like) and the inspection of local authority
children's services (ILACS, 2018 on: four or five judgements, "requires improvement to be
good", and "What needs to improve"). The reader never guesses: whatever it expected and did
not find, or found and could not make sense of, is a :class:`Flag` for the person who reviews
the import, and the value is left empty.

A PDF is read as text first with ``pdftotext -layout`` (poppler-utils), see :func:`pdf_text`.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class Framework(StrEnum):
    """The inspection frameworks the reader knows, as stored on an inspection."""

    SAFEGUARDING_LAC_2009 = "safeguarding-lac-2009"
    SIF = "sif"  # recorded by hand; the reader does not read its reports
    ILACS = "ilacs"

    @property
    def label(self) -> str:
        return FRAMEWORK_LABELS[self]


FRAMEWORK_LABELS = {
    Framework.SAFEGUARDING_LAC_2009: (
        "Inspection of safeguarding and looked after children services (2009 to 2012)"
    ),
    Framework.SIF: "Single inspection framework (2013 to 2017)",
    Framework.ILACS: "Inspection of local authority children's services (ILACS, 2018 on)",
}


class Grade(StrEnum):
    """Ofsted's grades, across both frameworks' scales."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    ADEQUATE = "adequate"
    REQUIRES_IMPROVEMENT = "requires-improvement-to-be-good"
    INADEQUATE = "inadequate"

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]


GRADE_LABELS = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.ADEQUATE: "Adequate",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Grade.INADEQUATE: "Inadequate",
}
# The grades each framework uses (2009: the four-point scale with "adequate").
FRAMEWORK_GRADES = {
    Framework.SAFEGUARDING_LAC_2009: (
        Grade.OUTSTANDING,
        Grade.GOOD,
        Grade.ADEQUATE,
        Grade.INADEQUATE,
    ),
    Framework.SIF: (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE),
    Framework.ILACS: (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE),
}


class Timescale(StrEnum):
    """When an area for improvement is to be done, as the 2009 framework's reports set it."""

    IMMEDIATELY = "immediately"
    ONE_MONTH = "within one month"
    THREE_MONTHS = "within three months"
    SIX_MONTHS = "within six months"


# The ILACS judgement areas, in the order the reports' tables give them. The separate
# care leavers judgement applies to inspections from January 2023 (DOMAIN.md section 3).
ILACS_AREAS = (
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care and care leavers",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
    "Overall effectiveness",
)
ILACS_CARE_LEAVERS_FROM = datetime.date(2023, 1, 1)

# The two parts of a 2009-framework report, as its headings and its table name them.
SECTIONS_2009 = ("Safeguarding services", "Services for looked after children")


@dataclass
class Flag:
    """Something the reader expected and could not read; ``where`` names the part."""

    where: str
    message: str


@dataclass
class JudgementRead:
    section: str
    area: str
    grade: str  # a Grade value


@dataclass
class AreaRead:
    section: str
    text: str
    timescale: str  # a Timescale value, or "" when the report set none


@dataclass
class Reading:
    """What the reader made of a report. Dates are ``None`` and texts empty when unread."""

    framework: str = ""
    authority: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    published_date: datetime.date | None = None
    judgements: list[JudgementRead] = field(default_factory=list)
    areas_for_improvement: list[AreaRead] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    def flag(self, where: str, message: str) -> None:
        self.flags.append(Flag(where, message))

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready form (dates as ISO strings), as ``caseline inspection read`` prints."""
        data = asdict(self)
        for name in ("start_date", "end_date", "published_date"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reading:
        """The reading back from :meth:`as_json`'s form (as a draft import stores it)."""

        def day(value: str | None) -> datetime.date | None:
            return datetime.date.fromisoformat(value) if value else None

        return cls(
            framework=data.get("framework", ""),
            authority=data.get("authority", ""),
            start_date=day(data.get("start_date")),
            end_date=day(data.get("end_date")),
            published_date=day(data.get("published_date")),
            judgements=[JudgementRead(**j) for j in data.get("judgements", [])],
            areas_for_improvement=[AreaRead(**a) for a in data.get("areas_for_improvement", [])],
            recommendations=list(data.get("recommendations", [])),
            flags=[Flag(**f) for f in data.get("flags", [])],
        )


class ReportUnreadable(ValueError):
    """The file could not be turned into text at all (not a PDF, no text layer, no tool)."""


def pdf_text(path: Path) -> str:
    """The text of a PDF, by ``pdftotext -layout`` (table rows stay on one line)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise ReportUnreadable(
            "pdftotext (poppler-utils) is not installed, so a PDF cannot be read"
        )
    result = subprocess.run(  # noqa: S603 (a fixed tool, the path as one argument)
        [tool, "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=False,
        timeout=60,
    )
    if result.returncode != 0:
        raise ReportUnreadable(f"{path.name} could not be read as a PDF")
    text = result.stdout.decode("utf-8", errors="replace")
    if not text.strip():
        raise ReportUnreadable(f"{path.name} has no text to read (a scanned PDF?)")
    return text


def report_text(path: Path) -> str:
    """The text of a report file: a PDF through :func:`pdf_text`, anything else as UTF-8."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        return pdf_text(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReportUnreadable(f"{path.name} is neither a PDF nor UTF-8 text") from None


# ---------------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_BULLETS = "-•·▪◦*\uf0b7\uf0a7\u2022"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "twelve": 12}


def _clean(line: str) -> str:
    """A line with its dashes made plain and its spaces squeezed (tabs kept apart)."""
    for dash in _DASHES:
        line = line.replace(dash, "-")
    line = line.replace("\u00a0", " ").replace("\u2019", "'")
    return line.strip()


def _lines(text: str) -> list[str]:
    return [_clean(line) for line in text.splitlines()]


def _date(day: str, month: str, year: str) -> datetime.date | None:
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return datetime.date(int(year), number, int(day))
    except ValueError:
        return None


_DATE_RANGE = re.compile(
    r"(?P<d1>\d{1,2})\s+(?P<m1>[A-Za-z]+)?\s*(?P<y1>\d{4})?\s*(?:-|to|and)\s*"
    r"(?P<d2>\d{1,2})\s+(?P<m2>[A-Za-z]+)\s+(?P<y2>\d{4})"
)
_ONE_DATE = re.compile(r"(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]+)\s+(?P<y>\d{4})")


def read_dates(line: str) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day of an "Inspection dates:" line ("24 January-4 February 2011",
    "5 to 16 March 2018"); ``(None, None)`` when it does not say both."""
    match = _DATE_RANGE.search(line)
    if match is None:
        return None, None
    end = _date(match["d2"], match["m2"], match["y2"])
    if end is None:
        return None, None
    start = _date(match["d1"], match["m1"] or match["m2"], match["y1"] or match["y2"])
    if start is None or start > end:
        return None, None
    return start, end


def _grade_of(text: str, framework: Framework) -> Grade | None:
    """The grade a table cell or heading names, if it is one of the framework's."""
    words = text.strip().lower()
    number = re.fullmatch(r"grade\s*([1-4])\s*\((.+)\)", words)
    if number:
        words = number[2].strip()
    for grade in FRAMEWORK_GRADES[framework]:
        if words == grade.label.lower():
            return grade
    return None


def detect_framework(lines: list[str]) -> Framework | None:
    """Which framework the report was written under, from its title and its judgements."""
    joined = "\n".join(lines[:400]).lower()
    if "inspection of safeguarding and looked after children services" in joined:
        return Framework.SAFEGUARDING_LAC_2009
    if "children's services" in joined and (
        "requires improvement to be good" in joined
        or "the impact of leaders on social work practice" in joined
    ):
        return Framework.ILACS
    return None


def read_report(text: str) -> Reading:
    """Read a report's text; anything not read is flagged on the result, never guessed."""
    lines = _lines(text)
    reading = Reading()
    framework = detect_framework(lines)
    if framework is None:
        reading.flag(
            "framework",
            "The report does not say it is an inspection of safeguarding and looked after "
            "children services (2009 to 2012) or of local authority children's services "
            "(ILACS): nothing else was read",
        )
        return reading
    reading.framework = framework.value
    _read_dates(lines, reading)
    if framework is Framework.SAFEGUARDING_LAC_2009:
        _read_2009(lines, reading)
    else:
        _read_ilacs(lines, reading)
    _read_recommendations(lines, reading)
    return reading


def _read_dates(lines: list[str], reading: Reading) -> None:
    for line in lines:
        if line.lower().startswith("inspection dates"):
            reading.start_date, reading.end_date = read_dates(line)
            if reading.start_date is None:
                reading.flag(
                    "inspection dates", f"The inspection dates could not be read from “{line}”"
                )
            break
    else:
        reading.flag("inspection dates", "The report has no line starting “Inspection dates”")
    for line in lines:
        match = re.match(r"(?:published|report published)\s*:?\s*(.+)", line, re.IGNORECASE)
        if match:
            found = _ONE_DATE.search(match[1])
            reading.published_date = _date(found["d"], found["m"], found["y"]) if found else None
            if reading.published_date is None:
                reading.flag("published", f"The publication date could not be read from “{line}”")
            break


# -- the 2009 framework ------------------------------------------------------------------------


def _read_2009(lines: list[str], reading: Reading) -> None:
    title = "inspection of safeguarding and looked after children services"
    for index, line in enumerate(lines):
        if line.lower() == title:
            following = [other for other in lines[index + 1 : index + 6] if other]
            if following and not following[0].lower().startswith("inspection dates"):
                reading.authority = following[0]
            break
    if not reading.authority:
        reading.flag("authority", "The authority's name was not found under the report's title")
    _read_main_findings(lines, reading)
    _read_areas_2009(lines, reading)


def _cells(line: str) -> list[str]:
    """A table row's cells: split on tabs, or on two or more spaces (pdftotext -layout)."""
    return [cell.strip() for cell in re.split(r"\t+| {2,}", line) if cell.strip()]


class _Row:
    """A table row being read: its area's text, which a PDF may wrap over lines, and grade."""

    def __init__(self, section: str, text: str, grade: Grade | None) -> None:
        self.section = section
        self.parts = [text] if text else []
        self.grade = grade


def _read_table_rows(lines: list[str], reading: Reading) -> None:
    """Area and grade rows under the parts' headings. A line of text without a grade is a
    sub-heading, unless the next lines carry on its row: a line starting in lower case, or a
    grade alone (``pdftotext -layout`` sets a wrapped cell's grade on a line of its own)."""
    section = ""
    row: _Row | None = None

    def finish() -> None:
        if row is None or row.grade is None:
            return  # a sub-heading ("How good are outcomes ...?"): nothing to read
        area = " ".join(row.parts)
        if not area:
            reading.flag("judgements", f"A grade ({row.grade.label}) was read without its area")
            return
        if not row.section:
            reading.flag("judgements", f"“{area}” is graded before either part's heading")
        reading.judgements.append(JudgementRead(row.section, area, row.grade.value))

    for line in lines:
        cells = _cells(line)
        if not cells:
            finish()
            row = None
            continue
        text = " ".join(cells)
        if text in SECTIONS_2009:
            finish()
            section, row = text, None
            continue
        grade = _grade_of(cells[-1], Framework.SAFEGUARDING_LAC_2009)
        area = " ".join(cells[:-1]) if grade is not None else text
        continues = row is not None and (not area or area[0].islower())
        if continues and row is not None:
            if area:
                row.parts.append(area)
            if grade is not None and row.grade is None:
                row.grade = grade
            continue
        finish()
        row = _Row(section, area, grade)
        if grade is None and len(cells) > 1 and _grade_of(cells[-1], Framework.ILACS):
            reading.flag("judgements", f"“{line}” has a grade the 2009 framework did not use")
    finish()


def _read_main_findings(lines: list[str], reading: Reading) -> None:
    """The "Record of main findings" table: each part's heading, then area and grade rows."""
    # Not the table of contents' entry, which ends in its page number.
    starts = [
        i
        for i, line in enumerate(lines)
        if line.lower().startswith("record of main findings") and not _cells(line)[-1].isdigit()
    ]
    if not starts:
        reading.flag("judgements", "The report's “Record of main findings” table was not found")
        return
    _read_table_rows(lines[starts[-1] + 1 :], reading)
    if not reading.judgements:
        reading.flag("judgements", "No judgement was read from the “Record of main findings” table")
    for section in SECTIONS_2009:
        if not any(
            j.section == section and j.area == "Overall effectiveness" for j in reading.judgements
        ):
            reading.flag(
                "judgements", f"No overall effectiveness judgement was read for {section.lower()}"
            )


_TIMESCALE_LINE = re.compile(r"^(immediately|within\s+(\w+)\s+months?)\s*:?$", re.IGNORECASE)


def _timescale(line: str) -> Timescale | str | None:
    """The timescale a line like "Within three months:" sets; "" for one the reader does not
    know; None when the line is not a timescale."""
    match = _TIMESCALE_LINE.match(line)
    if match is None:
        return None
    if match[1].lower() == "immediately":
        return Timescale.IMMEDIATELY
    number = _NUMBERS.get(match[2].lower()) or (int(match[2]) if match[2].isdigit() else None)
    return {1: Timescale.ONE_MONTH, 3: Timescale.THREE_MONTHS, 6: Timescale.SIX_MONTHS}.get(
        number or 0, ""
    )


def _bullet(line: str) -> str | None:
    """A bullet point's text, or None when the line is not one."""
    if line and line[0] in _BULLETS and len(line) > 1 and line[1] == " ":
        return line[2:].strip()
    if line and line[0] in "\uf0b7\uf0a7\u2022•▪":
        return line[1:].strip()
    return None


def _read_areas_2009(lines: list[str], reading: Reading) -> None:
    """Each part's "Areas for improvement": items under their timescale lines."""
    section = ""
    found = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if line in SECTIONS_2009:
            section = line
        if line.lower() == "areas for improvement":
            found = True
            index = _read_area_block(lines, index + 1, section, reading)
            continue
        index += 1
    if not found:
        reading.flag("areas for improvement", "The report has no “Areas for improvement” heading")


def _read_area_block(lines: list[str], index: int, section: str, reading: Reading) -> int:
    """Read one "Areas for improvement" block from ``index``; return where it ended."""
    timescale: Timescale | str | None = None
    current: AreaRead | None = None
    count = 0
    in_intro = False  # "In order to improve ..., the local authority ... should take ..."
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if re.match(r"^(\d+\.\s+)?in order to improve", line, re.IGNORECASE):
            in_intro = True
            continue
        scale = _timescale(line)
        item = _bullet(line)
        if in_intro and scale is None and item is None:
            continue  # the introduction, wrapped over lines
        in_intro = False
        if scale is not None:
            if scale == "":
                reading.flag(
                    "areas for improvement", f"The timescale “{line}” is not one the reader knows"
                )
            timescale = scale
            current = None
            continue
        open_item = current is not None and not current.text.endswith((".", ";"))
        if item is None and open_item and current is not None:
            current.text = f"{current.text} {line}"  # a wrapped line of the item before
            continue
        if item is None and (timescale is None or current is not None):
            index -= 1  # the next heading: the block has ended
            break
        current = AreaRead(
            section, item if item is not None else line.lstrip(" -"), str(timescale or "")
        )
        if timescale is None:
            reading.flag("areas for improvement", f"No timescale was read for “{current.text}”")
        reading.areas_for_improvement.append(current)
        count += 1
    if count == 0:
        reading.flag(
            "areas for improvement",
            f"No area for improvement was read for {section.lower() or 'the report'}",
        )
    return index


# -- ILACS ---------------------------------------------------------------------------------------


def _read_ilacs(lines: list[str], reading: Reading) -> None:
    for line in lines:
        match = re.match(r"^inspection of (.+?)\s+children's services\b", line, re.IGNORECASE)
        if match:
            reading.authority = re.sub(r"\s+local authority$", "", match[1], flags=re.IGNORECASE)
            break
    if not reading.authority:
        reading.flag("authority", "The authority's name was not found in the report's title")
    seen: set[str] = set()
    for line in lines:
        for area in ILACS_AREAS:
            if area in seen or not line.lower().startswith(area.lower()):
                continue
            rest = line[len(area) :].strip(" \t:-")
            if not rest:
                continue
            grade = _grade_of(rest, Framework.ILACS)
            if grade is None:
                # A longer area's start ("children in care" before "... and care leavers").
                if any(rest.lower().startswith(word) for word in ("and ", "care ")):
                    continue
                reading.flag("judgements", f"The grade of “{area}” could not be read from “{rest}”")
            else:
                reading.judgements.append(JudgementRead("", area, grade.value))
            seen.add(area)
            break
    _check_ilacs_judgements(reading, seen)
    _read_what_needs_to_improve(lines, reading)


def _check_ilacs_judgements(reading: Reading, seen: set[str]) -> None:
    required = [ILACS_AREAS[0], ILACS_AREAS[1], ILACS_AREAS[5]]
    combined, in_care, leavers = ILACS_AREAS[2], ILACS_AREAS[3], ILACS_AREAS[4]
    for area in required:
        if area not in seen:
            reading.flag("judgements", f"No grade was read for “{area}”")
    if combined not in seen and in_care not in seen:
        reading.flag(
            "judgements", "No grade was read for the experiences and progress of children in care"
        )
    after_2023 = reading.start_date is not None and reading.start_date >= ILACS_CARE_LEAVERS_FROM
    if after_2023 and combined not in seen and leavers not in seen:
        reading.flag(
            "judgements", "No grade was read for the experiences and progress of care leavers"
        )


def _heading(lines: list[str], is_heading: Callable[[str], bool]) -> int | None:
    """The index of the first line ``is_heading`` accepts, if any."""
    return next((i for i, line in enumerate(lines) if is_heading(line)), None)


def _read_what_needs_to_improve(lines: list[str], reading: Reading) -> None:
    """ILACS: "What needs to improve" lists areas for improvement, without timescales."""
    index = _heading(lines, lambda line: line.lower().startswith("what needs to improve"))
    if index is None:
        reading.flag("areas for improvement", "The report has no “What needs to improve” section")
        return
    current: AreaRead | None = None
    for line in lines[index + 1 :]:
        if not line:
            continue
        item = _bullet(line)
        numbered = re.match(r"^\d+\.\s+(.+)$", line)
        if item is None and numbered:
            item = numbered[1]
        if item is not None:
            current = AreaRead("", item, "")
            reading.areas_for_improvement.append(current)
        elif current is not None and not current.text.endswith("."):
            current.text = f"{current.text} {line}"
        elif current is None and line.lower().startswith(("in order", "the local authority")):
            continue
        else:
            break
    if not reading.areas_for_improvement:
        reading.flag("areas for improvement", "No item was read under “What needs to improve”")


def _read_recommendations(lines: list[str], reading: Reading) -> None:
    """A "Recommendations" heading's numbered or bulleted items, in either framework."""
    index = _heading(lines, lambda line: line.lower() in ("recommendations", "recommendations:"))
    if index is None:
        return
    for line in lines[index + 1 :]:
        if not line:
            continue
        item = _bullet(line)
        numbered = re.match(r"^\d+\.\s+(.+)$", line)
        text = item if item is not None else (numbered[1] if numbered else None)
        if text is not None:
            reading.recommendations.append(text)
        elif reading.recommendations and not reading.recommendations[-1].endswith("."):
            reading.recommendations[-1] = f"{reading.recommendations[-1]} {line}"
        else:
            break
    if not reading.recommendations:
        reading.flag("recommendations", "No item was read under “Recommendations”")
