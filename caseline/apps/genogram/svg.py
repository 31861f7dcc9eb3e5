"""Draw a family as an SVG genogram with the standard symbols, and describe it in words.

Symbols: square male, circle female, diamond sex not known; a cross through a deceased
person; the child doubly outlined and shaded; a plain line joins partners, two slashes across
it mark a separation, a dashed line a partnership not recorded; children hang from a line
below their parents; a dashed outline surrounds the child's household.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from caseline.apps.genogram.family import Family, Member, Union, UnionStatus
from caseline.apps.genogram.layout import Layout, layout

SIZE = 40
HALF = SIZE / 2


def _shape(member: Member, cx: float, cy: float, grow: float = 0) -> str:
    h = HALF + grow
    if member.sex == "M":
        return f'<rect x="{cx - h}" y="{cy - h}" width="{2 * h}" height="{2 * h}"/>'
    if member.sex == "F":
        return f'<circle cx="{cx}" cy="{cy}" r="{h}"/>'
    return f'<polygon points="{cx},{cy - h} {cx + h},{cy} {cx},{cy + h} {cx - h},{cy}"/>'


def _member(member: Member, cx: float, cy: float) -> str:
    parts = [f'<g class="genogram-person" data-person-id="{member.person_id}">']
    if member.is_focus:
        parts.append(
            f'<g fill="none" stroke="#0b0c0c" stroke-width="2">{_shape(member, cx, cy, 6)}</g>'
        )
        parts.append(
            f'<g fill="#ffdd00" stroke="#0b0c0c" stroke-width="3">{_shape(member, cx, cy)}</g>'
        )
    else:
        parts.append(
            f'<g fill="#ffffff" stroke="#0b0c0c" stroke-width="2">{_shape(member, cx, cy)}</g>'
        )
    if member.deceased:
        parts.append(
            f'<g stroke="#0b0c0c" stroke-width="2"><line x1="{cx - HALF}" y1="{cy - HALF}" '
            f'x2="{cx + HALF}" y2="{cy + HALF}"/><line x1="{cx + HALF}" y1="{cy - HALF}" '
            f'x2="{cx - HALF}" y2="{cy + HALF}"/></g>'
        )
    dates = []
    if member.birth_year:
        dates.append(f"b. {member.birth_year}")
    if member.death_date:
        dates.append(f"d. {member.death_date.year}")
    lines = [member.given_name, member.family_name, " ".join(dates)]
    for offset, text in enumerate(t for t in lines if t):
        y = cy + HALF + 16 + offset * 15
        parts.append(f'<text x="{cx}" y="{y}" text-anchor="middle">{escape(text)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _union(union: Union, place: Layout) -> str:
    # Partners are joined side to side at the height of their symbols, so no line crosses
    # the names written underneath; children hang from the middle of that line.
    a, b = union.first, union.second
    ax, ay = place.x[a], place.y[a]
    parts = ['<g class="genogram-union" stroke="#0b0c0c" stroke-width="2" fill="none">']
    bar_y = ay
    if b is not None:
        left, right = sorted((ax, place.x[b]))
        dash = ' stroke-dasharray="6 4"' if union.status is UnionStatus.NOT_RECORDED else ""
        parts.append(
            f'<path d="M{left + HALF},{bar_y} H{right - HALF}"{dash} '
            f'data-status="{union.status.value}"/>'
        )
        mid = (left + right) / 2
        if union.status is UnionStatus.SEPARATED:
            for dx in (-14, -6):
                parts.append(
                    f'<line class="genogram-separation" x1="{mid + dx - 5}" y1="{bar_y + 8}" '
                    f'x2="{mid + dx + 5}" y2="{bar_y - 8}"/>'
                )
    else:
        mid = ax + HALF + 20
        parts.append(f'<path d="M{ax + HALF},{bar_y} H{mid}"/>')
    if union.children:
        xs = [place.x[c] for c in union.children]
        sib_y = min(place.y[c] for c in union.children) - HALF - 24
        parts.append(f'<path d="M{mid},{bar_y} V{sib_y}"/>')
        parts.append(f'<path d="M{min([*xs, mid])},{sib_y} H{max([*xs, mid])}"/>')
        for child in union.children:
            parts.append(f'<path d="M{place.x[child]},{sib_y} V{place.y[child] - HALF}"/>')
    parts.append("</g>")
    return "".join(parts)


def _household(family: Family, place: Layout) -> str:
    """A dashed outline around the household: stacked spans, one per generation row."""
    rows: dict[float, list[float]] = {}
    for member in family.members.values():
        if member.in_household and member.person_id in place.x:
            rows.setdefault(place.y[member.person_id], []).append(place.x[member.person_id])
    if not rows:
        return ""
    pad = HALF + 30
    ordered = sorted(rows)
    right = [(max(rows[y]) + pad, y) for y in ordered]
    left = [(min(rows[y]) - pad, y) for y in reversed(ordered)]
    points: list[str] = []
    for x, y in right:
        points += [f"{x},{y - pad}", f"{x},{y + pad + 20}"]
    for x, y in left:
        points += [f"{x},{y + pad + 20}", f"{x},{y - pad}"]
    return (
        '<polygon class="genogram-household" fill="none" stroke="#1d70b8" stroke-width="2" '
        f'stroke-dasharray="8 6" points="{" ".join(points)}"/>'
    )


def describe(family: Family) -> list[str]:
    """The genogram in words, one sentence per line, for screen readers and print."""
    members = family.members
    child = members[family.focus]
    lines = [f"{child.name} is the child this genogram is about."]

    def who(pid: int) -> str:
        m = members[pid]
        extra = []
        if m.birth_year:
            extra.append(f"born {m.birth_year}")
        if m.deceased:
            extra.append("died" + (f" {m.death_date.year}" if m.death_date else ""))
        return m.name + (f" ({', '.join(extra)})" if extra else "")

    for union in family.unions:
        if union.second is None:
            parents = who(union.first)
        else:
            together = {
                UnionStatus.TOGETHER: "are together",
                UnionStatus.SEPARATED: "have separated",
                UnionStatus.NOT_RECORDED: "(their relationship is not recorded)",
            }[union.status]
            parents = f"{who(union.first)} and {who(union.second)} {together}"
        if union.children:
            kids = ", ".join(who(c) for c in union.children)
            lines.append(f"{parents}; their children: {kids}.")
        else:
            lines.append(f"{parents}.")
    for pid in sorted(family.step_parents):
        lines.append(f"{who(pid)} is {child.given_name}'s step-parent.")
    household = [who(m.person_id) for m in members.values() if m.in_household and not m.is_focus]
    if household:
        lines.append(f"{child.given_name} lives with {', '.join(household)}.")
    return lines


def render_svg(family: Family, title: str) -> str:
    """The whole genogram as an accessible SVG document fragment."""
    place = layout(family)
    body = [_household(family, place)]
    body += [_union(u, place) for u in family.unions if u.first in place.x]
    body += [
        _member(m, place.x[pid], place.y[pid])
        for pid, m in family.members.items()
        if pid in place.x
    ]
    description = " ".join(describe(family))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-genogram" role="img" '
        f'viewBox="0 0 {place.width:.0f} {place.height:.0f}" width="{place.width:.0f}" '
        f'height="{place.height:.0f}" aria-labelledby="genogram-title genogram-desc" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="13">'
        f'<title id="genogram-title">{escape(title)}</title>'
        f'<desc id="genogram-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>"
    )
