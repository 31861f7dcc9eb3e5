"""Build a synthetic local authority: teams, workers, families and years of casework.

One module per domain, each importing its own models and writing its rows through the one
small core (``core``: the run's random source, its dates and the bulk writer):

- ``staff``: teams and their workers and managers;
- ``families``: people and families, their relationships, addresses and other names;
- ``frontdoor``: contacts, early help, referrals and the path each takes until it closes;
- ``assessments``, ``cin`` (children in need), ``protection`` (child protection),
  ``lookedafter`` (children looked after and care leavers), ``recording`` (case notes,
  supervision and management oversight);
- ``builder``: the run (``Builder``), chunk by chunk; ``digest``: ``authority_digest``.

The same seed and as-at date give the same authority: every random choice is drawn from the
run's one ``random.Random(seed)`` in a fixed order (``core``).
"""

from caseline.apps.synthetic.generator.builder import Builder
from caseline.apps.synthetic.generator.core import Parameters
from caseline.apps.synthetic.generator.digest import authority_digest

__all__ = ["Builder", "Parameters", "authority_digest"]
