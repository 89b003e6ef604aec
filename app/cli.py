"""The `conditions-api` command: migrate, seed and serve."""

import atexit
import os
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy.exc import OperationalError

from app import migrations
from app.content.errors import ContentErrors, display_path
from app.core import logs
from app.core.config import get_settings
from app.core.db import create_db_engine
from app.core.paths import SEED_DIR
from app.core.rates import parse_rate

if TYPE_CHECKING:
    from app.callers.keys import KeyStore

cli = typer.Typer(
    help="conditions-api: serve structured medical condition knowledge.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _setup_logging() -> None:
    logs.configure(get_settings())


@cli.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Bring the database schema to REVISION (default: the newest), and the API keys file to its newest."""
    _setup_logging()
    settings = get_settings()
    migrations.upgrade(settings.database_url, revision)
    migrations.upgrade_keys(settings.keys_database_url)


@cli.command()
def seed(
    path: Annotated[Path, typer.Argument(help="Content folder (with conditions/ and vocabulary/).")] = SEED_DIR,
) -> None:
    """Load the content folder into the database in one transaction (upsert by slug, idempotent)."""
    from app.content.seed import seed as seed_library  # the pipeline's imports are not needed to serve

    _setup_logging()
    engine = create_db_engine(get_settings().database_url)
    try:
        report = seed_library(engine, path)
    except ContentErrors as exc:
        for error in exc.errors:
            typer.echo(str(error), err=True)
        typer.echo(f"seed: {len(exc.errors)} error(s); the database was not changed.", err=True)
        raise typer.Exit(code=1) from exc
    except OperationalError as exc:
        typer.echo(f"seed: the database is busy or unusable ({exc.orig}); nothing was changed.", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        engine.dispose()
    for name, counts in report.counts.items():
        typer.echo(f"{name:>10}: {counts}")
    if report.logged_changes:
        typer.echo(f"change log: {report.logged_changes} entries changed")
    if report.search_documents is not None:
        how = "rebuilt with" if report.search_rebuilt else "updated:"
        typer.echo(f"search index: {how} {report.search_documents} documents")
    typer.echo("      time: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.seconds.items()))
    typer.echo("seed: done." if report.changed else "seed: nothing to change.")


@cli.command()
def lint(
    path: Annotated[Path, typer.Argument(help="Content folder (with conditions/ and vocabulary/).")] = SEED_DIR,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Check the content folder without touching the database; exit 1 on errors."""
    from app.content.lint import lint as lint_content

    findings = lint_content(path, today=date.today())
    for finding in findings:
        typer.echo(str(finding), err=finding.severity == "error")
    errors = sum(finding.severity == "error" for finding in findings)
    warnings = len(findings) - errors
    typer.echo(f"lint: {errors} error(s), {warnings} warning(s) in {display_path(path)}")
    if errors or (strict and warnings):
        raise typer.Exit(code=1)


def _share_metrics_between_workers() -> None:
    """A fresh folder where every worker of this server writes its metrics (prometheus-client's multiprocess
    mode), removed when the server stops."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    folder = tempfile.mkdtemp(prefix="conditions-api-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


@cli.command()
def serve() -> None:
    """Serve the API on HOST:PORT with WORKERS processes; refuse to start on a database it cannot serve."""
    _share_metrics_between_workers()
    from app import server  # imports prometheus-client, which reads the variable set above

    settings = get_settings()
    problem = server.startup_problem(settings)
    if problem is not None:
        typer.echo(f"serve: {problem}", err=True)
        raise typer.Exit(code=1)
    server.serve(settings)


keys_cli = typer.Typer(help="API keys: create, list and revoke (stored hashed in KEYS_DATABASE_URL).")
cli.add_typer(keys_cli, name="keys")


def _key_store() -> "KeyStore":
    from app.callers.keys import KeyStore

    url = get_settings().keys_database_url
    migrations.upgrade_keys(url)  # the first key creates the file
    return KeyStore(url)


def _rate(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_rate(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value.strip()


@keys_cli.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="Who the key is for (letters, digits, . _ -), e.g. clinic-app.")],
    rate: Annotated[
        str | None, typer.Option(help="The key's own rate, e.g. 120/minute (default: RATE_LIMIT_KEYED).")
    ] = None,
    expires: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Last day (UTC) the key works, YYYY-MM-DD.")
    ] = None,
) -> None:
    """Create a key and print it: it is shown this once (only its hash is kept)."""
    from app.callers.keys import KeyStoreError, valid_name

    if not valid_name(name):
        raise typer.BadParameter("use 1-64 letters, digits, '.', '_' or '-'", param_hint="NAME")
    if expires is not None and expires.date() < datetime.now(UTC).date():
        raise typer.BadParameter("that day has passed: the key would never work", param_hint="--expires")
    store = _key_store()
    try:
        key = store.create(name, rate=_rate(rate), expires_on=expires.date() if expires else None)
    except KeyStoreError as exc:
        typer.echo(f"keys create: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.close()
    typer.echo(key)
    typer.echo(f"keys: created '{name}'. Send it as 'Authorization: Bearer <key>'; it is not shown again.", err=True)


@keys_cli.command("list")
def keys_list() -> None:
    """List the keys: name, status, rate, created, expires, last used (never the keys themselves)."""
    store = _key_store()
    try:
        keys = store.all()
    finally:
        store.close()
    today = date.today()
    rows = [("NAME", "STATUS", "RATE", "CREATED", "EXPIRES", "LAST USED")]
    for key in keys:
        rows.append(
            (
                key.name,
                key.status(today),
                key.rate or "default",
                key.created_at.strftime("%Y-%m-%d"),
                key.expires_on.isoformat() if key.expires_on else "-",
                key.last_used_at.strftime("%Y-%m-%d %H:%M") if key.last_used_at else "-",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@keys_cli.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Revoke a key: servers refuse it within a second or two."""
    from app.callers.keys import KeyStoreError

    store = _key_store()
    try:
        store.revoke(name)
    except KeyStoreError as exc:
        typer.echo(f"keys revoke: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.close()
    typer.echo(f"keys: revoked '{name}'.")


def main() -> None:
    sys.exit(cli())
