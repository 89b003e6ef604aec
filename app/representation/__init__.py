"""The public representation of the library: every way an entry is shown (the JSON read models, the export
and its change-log digests, schema.org JSON-LD, the card's parts), in one place that `api`, `web` and
`content` import. Nothing here speaks HTTP."""
