"""Page sizes shared by the list queries (their cursors: `app.representation.cursors`)."""

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
