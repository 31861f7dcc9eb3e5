"""Fail on committed text that looks like a real person's identifier or contact details.

Caseline holds information about children, and nothing real may ever be committed
(CONTRIBUTING.md, "Data"). This check finds what looks real:

- **NHS numbers**: ten digits (``9991234567``, ``999 123 4567`` or ``999-123-4567``) whose
  last is the modulus 11 check digit of the first nine. Numbers starting 999, the range the
  NHS reserves for testing and the one the synthetic generator draws from, are synthetic, and
  so are runs (0123456789) and numbers of fewer than four different digits (2000000002).
- **UPNs** (unique pupil numbers): a letter and twelve characters whose check letter is right.
  Those with local authority number 999 or 000 belong to no authority and are synthetic, and
  are what committed files use. (The synthetic generator writes UPNs with the authority's own
  LA number, as the CIN census checks them, but only into databases, never into files.)
- **National Insurance numbers**: two letters HMRC can allocate, six digits and A to D.
  HMRC's example, ``QQ 12 34 56 C``, has a prefix never allocated, so is not matched.
- **UK phone numbers**: ``01..``, ``02..``, ``03..``, ``07..``, ``08..``, ``09..`` and
  ``+44`` numbers, outside the ranges Ofcom keeps for drama and examples (``020 7946 0xxx``,
  ``0113 496 0xxx``, ``07700 900xxx``...).
- **Email addresses** outside the domains kept for examples: ``example.com``, ``.org`` and
  ``.net`` and their subdomains, and anything under ``.example``, ``.test``, ``.invalid`` or
  ``.localhost``.

Something that looks real but is not (a published example, a test value) is allowed by:

- a line in ``tools/personal_data_allow.txt``: ``<kind> <value>  # why`` for one value
  anywhere, or ``path <glob>  # why`` for files not to read at all;
- the marker ``personal-data: allow <why>`` on the same line (a comment in the file's syntax).

Values are printed masked, so a real identifier found here does not go on into CI's log.

    python -m tools.check_personal_data            # every file git tracks
    python -m tools.check_personal_data FILE...    # these files (pre-commit passes them)
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ALLOW_FILE = Path(__file__).with_name("personal_data_allow.txt")
INLINE_ALLOW = re.compile(r"personal-data: allow \S")

NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
NHS_TEST_PREFIX = "999"
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
SYNTHETIC_UPN_AUTHORITIES = {"999", "000"}
# HMRC: the first letter is never D, F, I, Q, U or V; the second never D, F, I, O, Q, U or V;
# and these pairs are never allocated.
NINO_UNALLOCATED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
# Ofcom's numbers for drama and examples, as national numbers without the leading 0, each
# followed by three more digits.
PHONE_EXAMPLE_PREFIXES = (
    *(f"{area}4960" for area in (113, 114, 115, 116, 117, 118, 121, 131, 141, 151, 161)),
    "1914980",  # 0191 498 0xxx
    "2079460",  # 020 7946 0xxx
    "2896496",  # 028 9649 6xxx
    "2920180",  # 029 2018 0xxx
    "1632960",  # 01632 960xxx
    "3069990",  # 03069 990xxx
    "7700900",  # 07700 900xxx
    "8081570",  # 08081 570xxx
    "9098790",  # 0909 879 0xxx
)
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
EXAMPLE_TOP_LEVEL = ("example", "test", "invalid", "localhost")

# No letter, digit, underscore or dot may touch a match: a hash, a version or a decimal is not
# an identifier.
_B = r"(?<![\w.])"
_E = r"(?![\w]|\.\w)"
NHS = re.compile(_B + r"(\d{3})([ -]?)(\d{3})\2(\d{4})" + _E)
UPN = re.compile(_B + r"([A-Z])(\d{11}[0-9A-Z])" + _E)
NINO = re.compile(
    _B + r"([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])" + _E
)
PHONE = re.compile(
    r"(?<![\w.+-])(\+44\s?(?:\(0\)\s?)?|\(?0)(\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4})(?![\w-])"
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    value: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {describe(self.kind)} {mask(self.value)} looks real. "
            "Commit synthetic data only. If it is synthetic or a published example, add "
            f"`{self.kind} <the value>  # why` to tools/personal_data_allow.txt, or end the "
            "line with `personal-data: allow <why>`."
        )


def describe(kind: str) -> str:
    return {
        "nhs": "NHS number",
        "upn": "UPN",
        "nino": "National Insurance number",
        "phone": "UK phone number",
        "email": "email address",
    }[kind]


def mask(value: str) -> str:
    """The first three characters, then stars: enough to find it, not enough to use it."""
    return value[:3] + "*" * max(len(value) - 3, 0)


def nhs_check_digit(first_nine: str) -> int | None:
    check = 11 - sum(int(d) * w for d, w in zip(first_nine, NHS_WEIGHTS, strict=True)) % 11
    return {11: 0, 10: None}.get(check, check)


def is_made_up(digits: str) -> bool:
    """Digits no one is given: a run up or down (0123456789) or mostly one digit (2000000002)."""
    return (
        digits in "01234567890123456789" or digits in "98765432109876543210" or len(set(digits)) < 4
    )


def is_real_looking_nhs_number(number: str) -> bool:
    return (
        nhs_check_digit(number[:9]) == int(number[9])
        and not number.startswith(NHS_TEST_PREFIX)
        and not is_made_up(number)
    )


def upn_check_letter(body: str) -> str:
    total = sum(
        (int(char) if char.isdigit() else UPN_CHECK_LETTERS.index(char)) * weight
        for weight, char in enumerate(body, start=2)
    )
    return UPN_CHECK_LETTERS[total % 23]


def is_real_looking_upn(upn: str) -> bool:
    last = upn[-1]
    if not last.isdigit() and last not in UPN_CHECK_LETTERS:
        return False
    return upn[0] == upn_check_letter(upn[1:]) and upn[1:4] not in SYNTHETIC_UPN_AUTHORITIES


def phone_national_number(prefix: str, rest: str) -> str | None:
    """The national number without its leading 0, if the match is shaped like a UK one."""
    national = re.sub(r"\D", "", rest)
    if prefix.startswith("(") and ")" not in rest:
        return None
    if len(national) not in (9, 10) or national[0] not in "1235789" or is_made_up(national):
        return None
    return national


def is_example_domain(domain: str) -> bool:
    domain = domain.lower()
    return domain.rsplit(".", 1)[-1] in EXAMPLE_TOP_LEVEL or any(
        domain == d or domain.endswith("." + d) for d in EXAMPLE_DOMAINS
    )


def scan_line(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) for each thing in one line that looks like a real identifier."""
    for match in NHS.finditer(text):
        number = match[1] + match[3] + match[4]
        if is_real_looking_nhs_number(number):
            yield "nhs", number
    for match in UPN.finditer(text):
        if is_real_looking_upn(match[0]):
            yield "upn", match[0]
    for match in NINO.finditer(text):
        if match[1] not in NINO_UNALLOCATED:
            yield "nino", "".join(match.groups())
    for match in PHONE.finditer(text):
        national = phone_national_number(match[1], match[2])
        if national and not national.startswith(PHONE_EXAMPLE_PREFIXES):
            yield "phone", "0" + national
    for match in EMAIL.finditer(text):
        if not is_example_domain(match[1]):
            yield "email", match[0].lower()


@dataclass(frozen=True)
class AllowList:
    values: frozenset[tuple[str, str]]
    paths: tuple[str, ...]

    @classmethod
    def read(cls, path: Path = ALLOW_FILE) -> AllowList:
        values: set[tuple[str, str]] = set()
        paths: list[str] = []
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        for number, line in enumerate(lines, start=1):
            entry, _, why = line.partition("#")
            if not entry.strip():
                continue
            kind, _, value = entry.strip().partition(" ")
            if not why.strip() or not value.strip():
                raise SystemExit(f"{path}:{number}: write `<kind> <value>  # why`")
            if kind == "path":
                paths.append(value.strip())
            elif kind in ("nhs", "upn", "nino", "phone", "email"):
                values.add((kind, normalise(kind, value.strip())))
            else:
                raise SystemExit(f"{path}:{number}: unknown kind {kind!r}")
        return cls(frozenset(values), tuple(paths))

    def skips(self, path: str) -> bool:
        return any(fnmatch.fnmatch(path, pattern) for pattern in self.paths)


def normalise(kind: str, value: str) -> str:
    if kind == "email":
        return value.lower()
    value = re.sub(r"[\s()-]", "", value).upper()
    return "0" + value[3:] if kind == "phone" and value.startswith("+44") else value


def scan_file(path: str, allow: AllowList) -> Iterator[Finding]:
    try:
        data = Path(path).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return
    if b"\0" in data:  # binary
        return
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if INLINE_ALLOW.search(line):
            continue
        for kind, value in scan_line(line):
            if (kind, normalise(kind, value)) not in allow.values:
                yield Finding(path, number, kind, value)


def tracked_files() -> list[str]:
    # Fixed arguments; git is the developer's own.
    result = subprocess.run(["git", "ls-files", "-z"], capture_output=True, check=True)  # noqa: S607
    return [name for name in result.stdout.decode().split("\0") if name]


def check(paths: Iterable[str], allow: AllowList) -> list[Finding]:
    findings: list[Finding] = []
    for path in paths:
        if allow.skips(path) or Path(path).resolve() == ALLOW_FILE.resolve():
            continue
        findings.extend(scan_file(path, allow))
    return findings


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    findings = check(args or tracked_files(), AllowList.read())
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} possible personal data found.", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
