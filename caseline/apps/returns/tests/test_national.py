"""England's figures ship as data, with their source, and agree with their own counts."""

from __future__ import annotations

from caseline.apps.returns.national import england, england_figures


def test_each_figure_with_counts_is_its_numerator_over_its_denominator() -> None:
    figures = england_figures()
    assert england("icpc_within_15_working_days") == 81.4
    counted = [f for f in figures.values() if f.numerator and f.denominator]
    assert len(counted) >= 6
    for figure in counted:
        assert figure.numerator is not None
        assert figure.denominator is not None
        assert abs(100 * figure.numerator / figure.denominator - figure.value) < 0.6, figure
    assert all(figure.source and figure.period for figure in figures.values())
