# conditions-api: the API on its embedded SQLite database, migrated and seeded at start.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATABASE_URL=sqlite:////srv/conditions-api/data/conditions.db

WORKDIR /srv/conditions-api

# Dependencies first, from the hash-pinned runtime lock, so code changes reuse this layer.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY seed ./seed
# Editable, like `make run`: the app finds migrations/ and seed/ beside its package.
# The database is built once, with the image: every container (every replica) starts from the same file, so
# they serve the same bytes and ETags, and the same change log. The seed at start is then a no-op.
RUN pip install --no-deps -e . \
    && useradd --system --uid 10001 --home-dir /srv/conditions-api conditions \
    && conditions-api migrate && conditions-api seed \
    && mkdir -p keys && chown -R conditions data keys

USER conditions
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/health', timeout=2)"

# The same three steps as `make run`; migrate and seed are no-ops when the database is current.
CMD ["sh", "-c", "conditions-api migrate && conditions-api seed && exec conditions-api serve"]
