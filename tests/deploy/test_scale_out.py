"""Scale-out as deployed (deploy/nginx.conf, docker-compose.yml): Debian's nginx in front of two replicas, each
serving its own copy of one database file, with the rate-limit counters in the Redis at 127.0.0.1:6379."""

import asyncio
import shutil
import signal
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from string import Template

import httpx
import pytest

from app import migrations
from app.callers.keys import KeyStore
from app.core.paths import PROJECT_ROOT
from tests.conftest import sqlite_url
from tests.servers import REDIS, Server, api_process, forget_redis_keys, free_port, redis_answers, running

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LUMBAR = "/v1/conditions/lumbar-muscle-spasm"


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not redis_answers(), reason="no Redis answers at 127.0.0.1:6379 (the shared counters)"),
]


@dataclass(frozen=True)
class Deployment:
    nginx: str
    replicas: list[Server]
    key: str  # an API key both replicas accept, with a small rate of its own


KEY_RATE = 6


def nginx_config(folder: Path, listen: int, replicas: list[Server]) -> Path:
    """Our deploy/nginx.conf, filled in as the nginx image would, inside a minimal main config of its own."""
    # Only our variables, as the image's envsubst replaces only those it is given: nginx's own $vars stay.
    snippet = Template((PROJECT_ROOT / "deploy" / "nginx.conf").read_text()).safe_substitute(
        LISTEN=f"127.0.0.1:{listen}",
        REPLICA_1=replicas[0].base.removeprefix("http://"),
        REPLICA_2=replicas[1].base.removeprefix("http://"),
    )
    assert not any(f"${{{name}}}" in snippet for name in ("LISTEN", "REPLICA_1", "REPLICA_2"))
    (folder / "conditions-api.conf").write_text(snippet)
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"""worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
{temp}
    include {folder}/conditions-api.conf;
}}
"""
    )
    return main


@pytest.fixture
def deployment(seeded_template: Path, tmp_path: Path) -> Iterator[Deployment]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run `make deploy-deps` (make test does)")
    keys_url = sqlite_url(tmp_path / "keys.db")  # one keys file, shared, as the compose volume is
    migrations.upgrade_keys(keys_url)
    store = KeyStore(keys_url)
    key = store.create("small-app", rate=f"{KEY_RATE}/minute", expires_on=None)
    store.close()
    prefix = f"conditions-api-test-{uuid.uuid4().hex}"
    settings = {
        "RATE_LIMIT": "1000/minute",
        "RATE_LIMIT_STORAGE": REDIS,
        "RATE_LIMIT_PREFIX": prefix,
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "KEYS_DATABASE_URL": keys_url,
        "LOG_FORMAT": "json",
    }
    folders = [tmp_path / "replica-1", tmp_path / "replica-2"]
    for folder in folders:  # the database built once, a copy on each replica (as in the image)
        folder.mkdir()
        shutil.copyfile(seeded_template, folder / "conditions.db")
    try:
        with (
            api_process(folders[0] / "conditions.db", **settings) as first,
            api_process(folders[1] / "conditions.db", **settings) as second,
            tempfile.TemporaryDirectory() as nginx_dir,
        ):
            listen = free_port()
            config = nginx_config(Path(nginx_dir), listen, [first, second])
            nginx = f"http://127.0.0.1:{listen}"
            command = [NGINX, "-p", nginx_dir, "-e", f"{nginx_dir}/error.log", "-c", str(config), "-g", "daemon off;"]
            with running(command, f"{nginx}/health"):
                yield Deployment(nginx, [first, second], key)
    finally:
        forget_redis_keys(prefix)


def test_replicas_agree_on_etags_so_clients_revalidate_anywhere(deployment: Deployment) -> None:
    one, two = (replica.base for replica in deployment.replicas)
    for path in (LUMBAR, "/v1/conditions?limit=5", "/v1/search?q=spine", "/v1/symptoms/low-back-pain"):
        first = httpx.get(one + path, headers={"Accept-Encoding": "br"})
        second = httpx.get(two + path, headers={"Accept-Encoding": "br"})
        assert first.status_code == second.status_code == 200
        assert first.headers["etag"] == second.headers["etag"], path
        # A phone that got its copy from one replica revalidates it against the other: 304, no body.
        revalidated = httpx.get(two + path, headers={"If-None-Match": first.headers["etag"], "Accept-Encoding": "br"})
        assert revalidated.status_code == 304 and revalidated.content == b""
    etag = httpx.get(deployment.nginx + LUMBAR).headers["etag"]
    through_nginx = [httpx.get(deployment.nginx + LUMBAR, headers={"If-None-Match": etag}) for _ in range(4)]
    assert [response.status_code for response in through_nginx] == [304] * 4


def test_the_rate_limit_counts_across_both_replicas(deployment: Deployment) -> None:
    one, two = (replica.base for replica in deployment.replicas)
    bearer = {"Authorization": f"Bearer {deployment.key}"}
    # Straight to the replicas, alternately: one quota between them.
    direct = [httpx.get((one, two)[n % 2] + LUMBAR, headers=bearer) for n in range(KEY_RATE + 2)]
    assert [response.status_code for response in direct] == [200] * KEY_RATE + [429, 429]
    assert direct[-1].json()["type"] == "/problems/rate-limited" and int(direct[-1].headers["retry-after"]) >= 1
    through_nginx = httpx.get(deployment.nginx + LUMBAR, headers=bearer)
    assert through_nginx.status_code == 429

    # Anonymous callers are counted by their own address, which the replicas read from nginx's X-Forwarded-For.
    left = [
        int(httpx.get(deployment.nginx + LUMBAR).headers["ratelimit"].split("r=")[1].split(";")[0]) for _ in range(4)
    ]
    assert left == [left[0], left[0] - 1, left[0] - 2, left[0] - 3]  # one counter, whichever replica answers
    # A client cannot pick the address it is counted as: nginx replaces its X-Forwarded-For.
    spoofed = httpx.get(deployment.nginx + LUMBAR, headers={"X-Forwarded-For": "203.0.113.7"})
    assert spoofed.headers["ratelimit"].startswith(f'"anonymous";r={left[0] - 4};')


def test_killing_a_replica_under_load_loses_no_request(deployment: Deployment) -> None:
    paths = [
        LUMBAR,
        "/v1/conditions?limit=20",
        "/v1/search?q=back%20pain",
        "/v1/symptoms",
        "/v1/conditions/match?symptom=low-back-pain",
    ]

    async def load() -> list[int]:
        statuses: list[int] = []
        async with httpx.AsyncClient(base_url=deployment.nginx, timeout=30) as client:

            async def loop(worker: int) -> None:
                for n in range(40):
                    statuses.append((await client.get(paths[(worker + n) % len(paths)])).status_code)

            async def kill_second_replica() -> None:
                while len(statuses) < 60:
                    await asyncio.sleep(0.01)
                deployment.replicas[1].process.send_signal(signal.SIGKILL)

            await asyncio.gather(kill_second_replica(), *(loop(worker) for worker in range(8)))
        return statuses

    statuses = asyncio.run(load())
    assert deployment.replicas[1].process.wait(timeout=10) == -signal.SIGKILL
    assert len(statuses) == 320
    assert statuses == [200] * 320
