"""The API keys file's migrations (a package only so type checkers tell its env.py from the content's)."""
