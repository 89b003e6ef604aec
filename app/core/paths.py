"""Locations inside the project checkout (the app is installed in editable mode, as in the Dockerfile)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
KEYS_MIGRATIONS_DIR = MIGRATIONS_DIR / "keys"
SEED_DIR = PROJECT_ROOT / "seed"
