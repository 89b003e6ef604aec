"""The export as files, one set per content version and language: built once from the database in batches, then
streamed from disk with their ETag and `Range`, however many clients ask at once.

Version 1 built the whole library in memory for every request (776 MB for 10,000 conditions; 4.4 GB for 8 at
once). Now one build runs at a time (a file lock, so several workers share one build too), holding one batch
of entries in memory; the JSON and NDJSON files come from the same bytes in the same pass, inside one read
transaction, so the `cursor` matches the entries exactly. Compressed variants are made from the file on
first request. Only the newest few versions are kept.

A phone syncs the language it shows: each offered language has its own files (`<version>/<language>/`), built
when first asked for, their records localized batch by batch (the batch's translations loaded at once) exactly
as the API gives one record in that language.

The build runs in a child process (`python -m app.api.export_files`): its CPU-bound serialization would
otherwise hold the GIL against the event loop, and its memory would stay with the server.
"""

import asyncio
import fcntl
import gzip
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import brotli
from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.api.http_cache import coded_etag
from app.core.locales import DEFAULT_LANGUAGE, Negotiated, offered
from app.core.monitor import NO_VERSION, Version, as_utc
from app.core.read_pool import ReadPool
from app.models import Condition
from app.queries import changes, conditions, vocabulary
from app.representation import presenters
from app.representation.cursors import seq_cursor
from app.representation.localize import localize_condition, localize_term, words_for

NDJSON = "application/x-ndjson"
JSON = "application/json"
BATCH = 100  # entries loaded and written at a time: what bounds the build's memory
KEPT_VERSIONS = 2  # a client may still be downloading the previous one
# The build is background work in its own process, not a request: its statements get a generous limit of
# their own (a low QUERY_TIME_LIMIT_MS must not make the export impossible), still bounded.
BUILD_QUERY_TIME_LIMIT_MS = 60_000
_SUFFIX = {JSON: "json", NDJSON: "ndjson"}
_ENCODED = {"identity": "", "gzip": ".gz", "br": ".br"}


@dataclass(frozen=True)
class ExportFile:
    path: Path
    etag: str  # quoted; the hash of the uncompressed file, plus the coding's suffix
    media_type: str
    encoding: str


def _version_name(version: Version) -> str:
    stamp = int(version.changed_at.timestamp() * 1_000_000) if version.changed_at else 0
    return f"{version.seq}-{stamp}"


class _Sink:
    """The two formats at once: every entry is serialized once and written to both."""

    def __init__(self, json_file: IO[bytes], ndjson_file: IO[bytes]) -> None:
        self.files = {JSON: json_file, NDJSON: ndjson_file}
        self.hashes = {JSON: hashlib.sha256(), NDJSON: hashlib.sha256()}
        self._first_in_list = True

    def _write(self, media: str, data: bytes) -> None:
        self.files[media].write(data)
        self.hashes[media].update(data)

    def start(self, cursor: str) -> None:
        self._write(JSON, b'{"cursor":' + json.dumps(cursor).encode())
        self._write(NDJSON, json.dumps({"type": "cursor", "cursor": cursor}).encode() + b"\n")

    def open_list(self, key: str) -> None:
        self._write(JSON, b',"' + key.encode() + b'":[')
        self._first_in_list = True

    def entry(self, kind: str, item: BaseModel) -> None:
        data = item.model_dump_json().encode()
        self._write(JSON, data if self._first_in_list else b"," + data)
        self._first_in_list = False
        self._write(NDJSON, b'{"type":"' + kind.encode() + b'","data":' + data + b"}\n")

    def close_list(self) -> None:
        self._write(JSON, b"]")

    def finish(self) -> dict[str, str]:
        self._write(JSON, b"}")
        return {media: digest.hexdigest()[:32] for media, digest in self.hashes.items()}


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def snapshot_version(session: Session) -> Version:
    """Start the read transaction every batch of the build reads in, and say which version it shows."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("BEGIN")  # one snapshot for every batch
    newest = changes.latest(session)
    return Version(newest.seq or 0, as_utc(newest.changed_at)) if newest else NO_VERSION


def write_export(session: Session, sink: _Sink, version: Version, language: str = DEFAULT_LANGUAGE) -> None:
    """Every entry of the snapshot `snapshot_version` started, in `language` (an entry without a translation
    into it is in English, saying so, as the API gives it)."""
    asked = Negotiated(language)
    sink.start(seq_cursor(version.seq))
    sink.open_list("conditions")
    ids = list(session.exec(select(col(Condition.id)).order_by(col(Condition.slug))))
    for batch in _batches(ids):
        caused = conditions.can_lead_to_by_condition(session, ids=batch)
        details = [
            presenters.condition_detail(condition, can_lead_to=caused.get(condition.id or 0, []))
            for condition in conditions.with_links(session, ids=batch)
        ]
        words = words_for(session, language, details)
        for detail in details:
            sink.entry("condition", localize_condition(detail, words, asked))
        session.expunge_all()
    sink.close_list()
    builders: tuple[tuple[vocabulary.Vocabulary, Callable[..., BaseModel]], ...] = (
        (vocabulary.SYMPTOMS, presenters.symptom_detail),
        (vocabulary.CAUSES, presenters.cause_detail),
        (vocabulary.TREATMENTS, presenters.treatment_detail),
    )
    for vocab, build in builders:
        sink.open_list(f"{vocab.name}s")
        for batch in _batches(vocabulary.all_terms(session, vocab)):
            uses = vocabulary.uses_by_term(session, vocab, term_ids=[term.id for term in batch])
            records = []
            for term in batch:
                listing = uses.get(term.id or 0, [])
                records.append((build(term, conditions=presenters.condition_uses(listing)), listing))
            words = words_for(session, language, [record for record, _ in records])
            for record, listing in records:
                sink.entry(vocab.name, localize_term(record, listing, words, asked))
            session.expunge_all()
        sink.close_list()


def _compress(source: Path, target: Path, encoding: str) -> None:
    """A compressed copy of `source`, streamed in chunks (the whole file is never in memory). Under the build
    lock: two workers asked for the same variant compress it once."""
    with _locked(source.parents[2]):  # <directory>/<version>/<language>/export.*
        if target.exists():
            return
        _compress_to(source, target, encoding)


def _compress_to(source: Path, target: Path, encoding: str) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    with source.open("rb") as reader, partial.open("wb") as raw:
        if encoding == "gzip":
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
        else:
            compressor = brotli.Compressor(quality=5)
            while chunk := reader.read(1 << 20):
                raw.write(compressor.process(chunk))
            raw.write(compressor.finish())
    partial.rename(target)


class ExportFailed(Exception):
    """The build process failed; its last words say why."""


def code_fingerprint() -> str:
    """A digest of the code that writes the files: a server never serves an export an older (or newer) version
    of itself built for the same content, whose records or cursors may have another shape."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


STALE_BUILDS_SECONDS = 24 * 3600  # other code versions' folders, left by earlier deployments


class ExportFiles:
    def __init__(self, database_url: str, directory: Path) -> None:
        """Files go to `directory/<code fingerprint>/<content version>/<language>/`."""
        self.database_url = database_url
        self.directory = directory / code_fingerprint()
        self._compressor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-compress")
        self._inflight: dict[tuple[str, ...], asyncio.Future[ExportFile]] = {}
        # One build per version and language, whatever the variant asked.
        self._builds: dict[tuple[str, str], asyncio.Future[Version]] = {}

    async def file_for(
        self, version: Version, media: str, encoding: str, language: str = DEFAULT_LANGUAGE
    ) -> ExportFile:
        """The export file of `version` (or newer) in `language` (an offered one), built or compressed first if
        needed; one build at a time."""
        if language not in offered():
            raise ValueError(f"no export in the language '{language}', which is not offered")
        key = (_version_name(version), media, encoding, language)
        existing = self._existing(version, media, encoding, language)
        if existing is not None:
            return existing
        if key not in self._inflight:
            self._inflight[key] = asyncio.ensure_future(self._make(version, media, encoding, language))
            self._inflight[key].add_done_callback(lambda _: self._inflight.pop(key, None))
        return await asyncio.shield(self._inflight[key])

    def _existing(self, version: Version, media: str, encoding: str, language: str) -> ExportFile | None:
        folder = self.directory / _version_name(version) / language
        path = folder / f"export.{_SUFFIX[media]}{_ENCODED[encoding]}"
        try:
            digests = json.loads((folder / "digests.json").read_text())
        except (OSError, ValueError):
            return None
        if not path.exists():
            return None
        return ExportFile(path, coded_etag(digests[media], encoding), media, encoding)

    async def _make(self, version: Version, media: str, encoding: str, language: str) -> ExportFile:
        build = (_version_name(version), language)
        if not (self.directory / build[0] / language / "digests.json").exists():
            if build not in self._builds:
                self._builds[build] = asyncio.ensure_future(self._build(language))
                self._builds[build].add_done_callback(lambda _: self._builds.pop(build, None))
            version = await asyncio.shield(self._builds[build])
        if encoding != "identity":
            source = self.directory / _version_name(version) / language / f"export.{_SUFFIX[media]}"
            target = source.with_name(source.name + _ENCODED[encoding])
            if not target.exists():
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(self._compressor, _compress, source, target, encoding)
        found = self._existing(version, media, encoding, language)
        assert found is not None
        return found

    async def _build(self, language: str) -> Version:
        arguments = [self.database_url, str(self.directory), str(BUILD_QUERY_TIME_LIMIT_MS), language]
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", __name__, *arguments, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await child.communicate()
        if child.returncode != 0:
            last = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
            raise ExportFailed(last[0])
        built = json.loads(out)
        return Version(built["seq"], datetime.fromisoformat(built["changed_at"]) if built["changed_at"] else None)

    def close(self) -> None:
        self._compressor.shutdown(wait=False, cancel_futures=True)


def build_files(session: Session, directory: Path, language: str = DEFAULT_LANGUAGE) -> Version:
    """Write the export files in `language` of the content `session` sees into `directory` (in the build
    process)."""
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        version = snapshot_version(session)
        final = directory / _version_name(version) / language
        if (final / "digests.json").exists():  # another worker built it while this one waited for the lock
            return version
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=directory))
        try:
            with (staging / "export.json").open("wb") as json_file, (staging / "export.ndjson").open("wb") as nd:
                sink = _Sink(json_file, nd)
                write_export(session, sink, version, language)
                digests = sink.finish()
            (staging / "digests.json").write_text(json.dumps(digests))
            final.parent.mkdir(exist_ok=True)
            staging.rename(final)
            _prune(directory)
            return version
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    with (directory / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _prune(directory: Path) -> None:
    versions = [p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")]
    versions.sort(key=lambda p: tuple(int(part) for part in p.name.split("-")), reverse=True)
    for old in versions[KEPT_VERSIONS:]:
        shutil.rmtree(old, ignore_errors=True)
    now = datetime.now().timestamp()
    for other in directory.parent.iterdir():
        if other != directory and other.is_dir() and now - other.stat().st_mtime > STALE_BUILDS_SECONDS:
            shutil.rmtree(other, ignore_errors=True)


def default_directory(database_url: str) -> Path:
    """A folder per database under the system's temp dir: shared by the workers, never beside a read-only file."""
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "conditions-api-export" / digest


async def _build_main(database_url: str, directory: Path, time_limit_ms: int, language: str) -> Version:
    pool = ReadPool(database_url, threads=1, time_limit_ms=time_limit_ms)
    try:
        return await pool.run(build_files, directory, language)
    finally:
        pool.close()


if __name__ == "__main__":
    os.nice(10)  # background work: the server's requests come first on a busy machine
    url, folder, limit, tag = sys.argv[1:5]
    made = asyncio.run(_build_main(url, Path(folder), int(limit), tag))
    changed = made.changed_at.isoformat() if made.changed_at else None
    sys.stdout.write(json.dumps({"seq": made.seq, "changed_at": changed}))
