"""Code lists used by Caseline's records: DfE CIN census and SSDA903 codes, SSD and local lists.

The lists are versioned CSV data in ``data/``; :func:`code_list` loads one by name. This package
is plain Python and imports without Django settings.
"""

from caseline.apps.codes.lists import (
    Code,
    CodeList,
    CodeListName,
    code_list,
    collection_year,
    parse_code_list,
)

__all__ = [
    "Code",
    "CodeList",
    "CodeListName",
    "code_list",
    "collection_year",
    "parse_code_list",
]
