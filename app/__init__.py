"""conditions-api: structured medical condition knowledge served from SQLite."""

from importlib.metadata import version

__version__ = version("conditions-api")
