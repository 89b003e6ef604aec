"""The `conditions-api` command: migrate, seed and serve."""

import logging
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError

from app import migrations
from app.content.errors import ContentErrors, display_path
from app.core.config import get_settings
from app.core.db import create_db_engine
from app.core.paths import SEED_DIR

cli = typer.Typer(
    help="conditions-api: serve structured medical condition knowledge.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _setup_logging() -> None:
    logging.basicConfig(level=get_settings().log_level.upper(), format="%(levelname)s %(name)s: %(message)s")


@cli.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Bring the database schema to REVISION (default: the newest)."""
    _setup_logging()
    migrations.upgrade(get_settings().database_url, revision)


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
        typer.echo(f"search index: rebuilt with {report.search_documents} documents")
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


@cli.command()
def serve() -> None:
    """Serve the API on HOST:PORT with WORKERS processes; refuse to start on a database it cannot serve."""
    from app import server

    settings = get_settings()
    problem = server.startup_problem(settings)
    if problem is not None:
        typer.echo(f"serve: {problem}", err=True)
        raise typer.Exit(code=1)
    server.serve(settings)


def main() -> None:
    sys.exit(cli())
