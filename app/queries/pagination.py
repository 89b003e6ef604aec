"""Page sizes shared by the list queries (their cursors are the API's: `app.api.cursors`)."""

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
