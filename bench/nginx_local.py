"""The shipped nginx configuration (deploy/nginx/), run as an ordinary user on 127.0.0.1: used by
bench/public.py and by tests/publicity/test_nginx_micro_cache.py.

Only what must differ from production is changed: the upstream's port, the cache folder, and the
server block (plain HTTP on a local port instead of TLS). The caching rules themselves, the
http-level file and the proxy snippet, are the shipped files, word for word otherwise.
"""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "nginx"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SHIPPED_UPSTREAM = "127.0.0.1:8000"
SHIPPED_CACHE = "/var/cache/nginx/lianqing"

MAIN = """{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include {prefix}/lianqing-http.conf;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            include {prefix}/lianqing-proxy.conf;
        }}
    }}
}}
"""


def render(prefix: Path, *, port: int, upstream_port: int) -> Path:
    """Writes nginx.conf and the two shipped files, adapted, under `prefix`; returns nginx.conf."""
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    (prefix / "cache").mkdir(exist_ok=True)
    http_conf = (DEPLOY / "lianqing-http.conf").read_text(encoding="utf-8")
    for shipped, local in (
        (SHIPPED_UPSTREAM, f"127.0.0.1:{upstream_port}"),
        (SHIPPED_CACHE, f"{prefix}/cache"),
    ):
        if shipped not in http_conf:
            raise SystemExit(f"deploy/nginx/lianqing-http.conf 中没有 {shipped}：无法改写为本机配置")
        http_conf = http_conf.replace(shipped, local)
    (prefix / "lianqing-http.conf").write_text(http_conf, encoding="utf-8")
    shutil.copyfile(DEPLOY / "lianqing-proxy.conf", prefix / "lianqing-proxy.conf")
    main = prefix / "nginx.conf"
    # Run as root (a container), nginx's workers would become "nobody" and not reach the prefix.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    main.write_text(MAIN.format(user=user, prefix=prefix, port=port), encoding="utf-8")
    return main


def command(prefix: Path, *extra: str) -> list[str]:
    if NGINX is None:
        raise SystemExit("没有找到 nginx")
    return [
        NGINX,
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "error.log"),
        *extra,
    ]


def start(prefix: Path, *, port: int, upstream_port: int) -> subprocess.Popen[bytes]:
    """nginx in the foreground (stop it with .terminate()); returns once it answers on `port`."""
    render(prefix, port=port, upstream_port=upstream_port)
    subprocess.run(command(prefix, "-t", "-q"), check=True)  # noqa: S603
    process = subprocess.Popen(command(prefix, "-g", "daemon off;"))  # noqa: S603
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("nginx 没有启动：见 " + str(prefix / "error.log"))
