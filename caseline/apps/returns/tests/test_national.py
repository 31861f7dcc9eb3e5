"""England's figures ship as data, with their source, and agree with their own counts."""

from __future__ import annotations

from typing import Any

import pytest

from caseline.apps.returns.national import (
    DataFileError,
    LocalFigure,
    authorities,
    configured_authority,
    england,
    england_figures,
    local_figures,
    neighbour_average,
    parse_authorities,
    parse_local_figures,
)


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


WIRRAL_NEIGHBOURS = ("840", "343", "876", "808", "394", "390", "807", "888", "351", "393")


def test_every_authority_has_ten_neighbours_each_a_known_authority() -> None:
    known = authorities()
    assert len(known) == 153
    wirral = known["344"]
    assert (wirral.name, wirral.region) == ("Wirral", "North West")
    assert wirral.neighbours == WIRRAL_NEIGHBOURS
    assert [known[n].name for n in wirral.neighbours[:2]] == ["Durham", "Sefton"]
    north_west = [a for a in known.values() if a.region == "North West"]
    assert len(north_west) >= 23
    assert all(len(a.neighbours) == 10 for a in known.values())


def test_the_configured_authority_is_the_settings_la_number(settings: Any) -> None:
    settings.CASELINE_LA_NUMBER = "343"
    authority = configured_authority()
    assert authority is not None
    assert authority.name == "Sefton"
    settings.CASELINE_LA_NUMBER = "999"
    assert configured_authority() is None


def _figure(la: str, value: float, period: str = "2024-25") -> LocalFigure:
    measure = "rereferrals_within_12_months"
    return LocalFigure(la, measure, value, "percent", None, None, period, "T")


def test_the_neighbour_average_is_the_mean_of_the_neighbours_latest_figures() -> None:
    wirral = authorities()["344"]
    figures = [
        _figure("840", 20.0),
        _figure("343", 25.0),
        _figure("876", 30.5),
        _figure("808", 99.0, "2023-24"),  # an earlier year: not in the latest year's mean
        _figure("344", 50.0),  # Wirral itself: not its own neighbour
        _figure("201", 70.0),  # not a neighbour
    ]
    average = neighbour_average("rereferrals_within_12_months", wirral, figures)
    assert average is not None
    assert average.value == 25.2  # (20 + 25 + 30.5) / 3
    assert average.period == "2024-25"
    assert average.counted == ("343", "840", "876")
    assert average.neighbours == 10
    assert neighbour_average("icpc_within_15_working_days", wirral, figures) is None


def test_the_shipped_figures_are_the_dfes_for_2024_25_and_agree_with_england() -> None:
    figures = local_figures()
    assert {figure.period for figure in figures} == {"2024-25"}
    wirral = {f.measure: f for f in figures if f.la_number == "344"}
    assert wirral["rereferrals_within_12_months"].value == 22.2
    assert (
        wirral["rereferrals_within_12_months"].numerator,
        wirral["rereferrals_within_12_months"].denominator,
    ) == (900, 4056)
    for figure in figures:  # each value is its numerator over its denominator, as published
        if figure.numerator is not None and figure.denominator:
            assert abs(100 * figure.numerator / figure.denominator - figure.value) < 1.0, figure
    average = neighbour_average("rereferrals_within_12_months", authorities()["344"])
    assert average is not None
    assert (average.value, average.period, len(average.counted)) == (19.9, "2024-25", 10)
    # Not published at local-authority level in the source: no neighbour figure is invented.
    assert neighbour_average("assessments_within_45_working_days", authorities()["344"]) is None


HEADER = "la_number,name,region,neighbours\n"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (HEADER + "34,Nowhere,North West,1 2\n", "line 2: LA number '34' is not three digits"),
        (
            "# a comment\n" + HEADER + "344,Wirral,North West,343 342\n",
            "line 3: 344 has 2 neighbours, not 10",
        ),
        (
            HEADER + "344,Wirral,North West," + " ".join(WIRRAL_NEIGHBOURS) + "\n",
            "line 2: neighbours 840, 343",
        ),
    ],
)
def test_a_bad_neighbour_file_is_refused_naming_the_line(text: str, error: str) -> None:
    with pytest.raises(DataFileError, match=error):
        parse_authorities("statistical_neighbours.csv", text)


def test_a_bad_figure_is_refused_naming_the_line() -> None:
    header = "la_number,measure,value,unit,numerator,denominator,period,source\n"
    with pytest.raises(DataFileError, match=r"figures\.csv line 3: could not convert"):
        parse_local_figures(
            "figures.csv",
            header + "344,m,1.5,percent,,,2024-25,T\n344,m,lots,percent,,,2024-25,T\n",
            authorities(),
        )
    with pytest.raises(DataFileError, match="line 2: no authority has LA number '999'"):
        parse_local_figures("figures.csv", header + "999,m,1,percent,,,2024-25,T\n", authorities())
