"""Project checks that ruff and mypy cannot do: run by `make lint`, CI and pre-commit."""
