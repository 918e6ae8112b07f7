"""The shipped nginx configuration (deploy/nginx/) in front of the live server: it keeps published
pages for the seconds Django names and nothing else. Skipped on a developer's machine without
nginx, never in CI (.ci/run installs it); the headers it obeys are tested everywhere by
test_cache_headers.py."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bench import nginx_local

from lianqing.publicity import services, workflow
from tests.publicity.helpers import published_disclosure
from tests.publicity.packages import EAST

# In CI a missing nginx is a failure (the fixture says so), not a skip that would pass unseen.
pytestmark = pytest.mark.skipif(
    nginx_local.NGINX is None and not os.environ.get("CI"), reason="nginx is not installed here"
)
TTL = 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def nginx(live_server, settings, tmp_path: Path) -> Iterator[int]:
    if nginx_local.NGINX is None:
        pytest.fail("CI must run the micro-cache test: nginx is not installed (.ci/run installs it)")
    settings.LIANQING_PUBLIC_CACHE_SECONDS = TTL
    port = _free_port()
    process = nginx_local.start(tmp_path / "nginx", port=port, upstream_port=urlsplit(live_server.url).port)
    yield port
    process.terminate()
    process.wait(timeout=10)


def _get(port: int, path: str, method: str = "GET", **headers: str) -> tuple[int, str, str]:
    """(status, X-Cache-Status, body) of one request through nginx."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = "language=en" if method == "POST" else None
    connection.request(method, path, body=body, headers={"Accept-Language": "zh-CN", **headers})
    response = connection.getresponse()
    text = response.read().decode(errors="replace")
    return response.status, response.getheader("X-Cache-Status", ""), text


def _publish(editor, leader, title: str) -> None:
    article = services.article_save(
        by=editor, section="news", title=title, summary="", body="正文。", tags=""
    ).article
    services.publication_transition(item=article, by=editor, facts=workflow.Submit())
    services.publication_transition(item=article, by=leader, facts=workflow.Approve())


@pytest.mark.django_db(transaction=True)
def test_published_pages_are_shared_and_nothing_personal_is(nginx, editor, leader, analyst, package):
    published_disclosure(analyst=analyst, leader=leader, package=package)
    village = f"/funds/{EAST}/"
    first = _get(nginx, village)
    assert first[:2] == (200, "MISS"), first[2][:3000]
    status, cache, body = _get(nginx, village)
    assert (status, cache) == (200, "HIT")
    assert 'lang="zh-hans"' in body
    # the other language is another copy, chosen by header or by the language cookie
    assert _get(nginx, village, **{"Accept-Language": "en"})[1] == "MISS"
    assert 'lang="en"' in _get(nginx, village, **{"Accept-Language": "en"})[2]
    assert 'lang="en"' in _get(nginx, village, Cookie="django_language=en")[2]
    # any other cookie (a session, a CSRF token, anything) goes to Django and is not kept
    for cookie in ("sessionid=abc", "csrftoken=abc", "messages=abc", "django_language=en; sessionid=abc"):
        assert _get(nginx, village, Cookie=cookie)[1] == "BYPASS", cookie
    # forms, look-ups, answers, staff pages, POSTs: never kept
    for path in ("/funds/lookup/", "/questions/ask/", "/questions/answer/", "/report/", "/staff/login/"):
        for _ in range(2):
            assert _get(nginx, path)[1] != "HIT", path
    assert _get(nginx, "/i18n/link/en/?next=/")[1] != "HIT"
    _get(nginx, "/i18n/link/en/?next=/")
    assert _get(nginx, "/i18n/link/en/?next=/")[1] != "HIT"
    assert _get(nginx, "/news/", method="POST")[1] in {"", "BYPASS"}


@pytest.mark.django_db(transaction=True)
def test_a_publication_is_seen_by_the_first_request_after_the_cache_lifetime(nginx, editor, leader):
    _publish(editor, leader, "第一篇工作动态")
    assert "第一篇工作动态" in _get(nginx, "/")[2]
    assert _get(nginx, "/")[1] == "HIT"
    _publish(editor, leader, "第二篇工作动态")
    assert "第二篇工作动态" not in _get(nginx, "/")[2]  # within the lifetime: the copy
    # nginx counts whole seconds: a copy lives N to N + 1 seconds
    time.sleep(TTL + 1.1)
    _status, cache, body = _get(nginx, "/")
    assert cache in {"EXPIRED", "MISS"}
    assert "第二篇工作动态" in body


def test_the_shipped_tls_site_passes_nginx_own_check(tmp_path: Path):
    """lianqing.conf as shipped (TLS, http2, the login rate limit), with only its file paths moved."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    prefix = tmp_path / "tls"
    nginx_local.render(prefix, port=_free_port(), upstream_port=_free_port())
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jubao.example.gov.cn")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256())
    )  # fmt: skip
    (prefix / "lianqing.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (prefix / "lianqing.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    site = (nginx_local.DEPLOY / "lianqing.conf").read_text(encoding="utf-8")
    moves = {
        "/etc/nginx/tls/": f"{prefix}/",
        "/etc/nginx/snippets/lianqing-proxy.conf": f"{prefix}/lianqing-proxy.conf",
        "/var/log/nginx/lianqing.error.log": f"{prefix}/site-error.log",
        "listen 443 ssl": f"listen 127.0.0.1:{_free_port()} ssl",
        "listen 80;": f"listen 127.0.0.1:{_free_port()};",
    }
    for shipped, local in moves.items():
        assert shipped in site, shipped
        site = site.replace(shipped, local)
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    main = (prefix / "nginx.conf").read_text(encoding="utf-8")
    server_block = main[main.index("    server {") : main.rindex("}")]
    (prefix / "nginx.conf").write_text(main.replace(server_block, f"    include {prefix}/site.conf;\n"))
    checked = subprocess.run(nginx_local.command(prefix, "-t"), capture_output=True, text=True, check=False)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
