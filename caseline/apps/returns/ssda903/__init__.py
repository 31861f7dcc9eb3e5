"""The SSDA903 return: children looked after, produced from the record as the DfE's CSV
tables (``caseline returns ssda903 --year 2026 --out DIR``)."""

from __future__ import annotations

from caseline.apps.returns.registry import register
from caseline.apps.returns.ssda903.export import SSDA903

register(SSDA903())
