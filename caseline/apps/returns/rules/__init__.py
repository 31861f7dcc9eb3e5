"""The DfE's validation rules for the CIN census and the SSDA903, one class each.

A rule that one record can break is checked by the action that writes the record, so the
record never holds what the DfE would refuse: the action says which rule, in the DfE's words.
Rules the record may meet later (a value practice adds afterwards) are not refused at entry;
they are listed for the analyst instead. See :mod:`caseline.apps.returns.rules.base`.
"""

from caseline.apps.returns.rules.base import CATALOGUE, Collection, DfERule

__all__ = ["CATALOGUE", "Collection", "DfERule"]

# The rule sets: importing them fills the catalogue.
from caseline.apps.returns.rules import (  # noqa: F401
    cin,
    ssda903,
    ssda903_adoption,
    ssda903_health,
    ssda903_placements,
)
