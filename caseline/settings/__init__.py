"""Settings for Caseline: ``base`` is shared; ``dev``, ``test`` and ``production`` specialise it."""
