"""The children in need census (CIN census): the DfE's XML return of every child with a child
in need episode open in a collection year, produced from the record.

``reading`` says which children and which of their casework each year holds, and why;
``writing`` writes the XML the DfE's schema for the year sets (``spec/``: 2026 and 2027);
``sources`` is where the census makes a choice about what the record holds (a decision as it
stood on the reference date, previous plans counted for a batch). Importing this package
registers the return (``ReturnsConfig.ready``).
"""

from __future__ import annotations

from caseline.apps.returns.cin_census.census import CINCensus
from caseline.apps.returns.registry import register

CIN_CENSUS = register(CINCensus())

__all__ = ["CIN_CENSUS", "CINCensus"]
