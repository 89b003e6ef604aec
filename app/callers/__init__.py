"""Who calls: API keys (stored hashed in their own SQLite file) and the rate limits that apply to each caller."""
