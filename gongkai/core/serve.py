"""The production stack: configuration files and a small supervisor.

`gongkai serve` (what `make serve` runs) starts, on this machine and in the foreground:

- nginx (Debian's package) on PORT, unprivileged, with a generated configuration under
  var/serve/: static files from STATIC_ROOT (hashed names cached a year), MEDIA_ROOT, the private
  files through an `internal` location only (X-Accel-Redirect), everything else proxied to
- gunicorn, several workers on a Unix socket (production settings),
- the task worker (`gongkai tasks worker`) and the scheduler (`gongkai scheduler`).

Ctrl-C or SIGTERM stops them all (gunicorn and the worker finish what they are doing); if one of
them stops by itself, the others are stopped too and the exit status says so.

`gongkai deploy render DIR` writes the same nginx, gunicorn and systemd files for a real server
(README, "Deployment").
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

# static files whose name carries the manifest's hash (app.3f2a9c1b7d04.css): never change
HASHED_STATIC = r"^/static/(?<hashed>.+\.[0-9a-f]{12}\.[A-Za-z0-9]+)$"
STOP_SECONDS = 20


def default_workers() -> int:
    """gunicorn's rule of thumb (2 × cores + 1), at most 8; GONGKAI_WEB_WORKERS overrides."""
    given = os.environ.get("GONGKAI_WEB_WORKERS")
    if given:
        return max(1, int(given))
    return min(2 * (os.cpu_count() or 1) + 1, 8)


@dataclass
class Layout:
    """Where things are, for one rendering of the configuration."""

    listen: str  # nginx's listen argument: "127.0.0.1:8000", or "443 ssl" on a server
    static_root: Path
    media_root: Path
    private_root: Path
    socket: Path  # gunicorn's Unix socket
    run_dir: Path  # nginx's pid and temporary files
    log_dir: Path
    workers: int = field(default_factory=default_workers)
    server_name: str = "_"
    tls: bool = False
    user: str | None = None  # nginx's `user` line (only when started as root)
    max_body_mb: int = 110
    # nginx's microcache of the public pages (None: none)
    cache_dir: Path | None = None
    session_cookie: str = "sessionid"
    # the agencies' generations for the microcache's key (`gongkai front watch` writes it; a
    # glob: nginx starts before the first one is written)
    generations: Path | None = None


def _mime_types() -> str:
    for candidate in ("/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types"):
        if Path(candidate).exists():
            return f"include {candidate};"
    return "types { text/html html; text/css css; application/javascript js; image/svg+xml svg; }"


def nginx_server_block(layout: Layout) -> str:
    """The `server` (and upstream) part: the same for `make serve` and a real server."""
    tls = ""
    if layout.tls:
        tls = """
    # certificates: certbot (Debian `certbot python3-certbot-nginx`) or your CA's
    ssl_certificate     /etc/ssl/gongkai/fullchain.pem;
    ssl_certificate_key /etc/ssl/gongkai/privkey.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:gongkai_tls:10m;
"""
    cache_zone, cache_location = "", ""
    if layout.cache_dir is not None:
        generations = ""
        if layout.generations is not None:
            generations = f"""
    include {layout.generations.parent / (layout.generations.stem + "*" + layout.generations.suffix)};"""
        cache_zone = f"""# The microcache of the public pages (issue 18, item 7). An agency's pages (/gk/<slug>/…)
# are keyed with its generation, which `gongkai front watch` rewrites (then reloads
# nginx) within seconds of any change the pages show: a withdrawn item's page, its column's
# lists, its attachments and feeds are all asked again at once, so they may be kept long
# (the app's X-Accel-Expires). Other pages carry no generation and are kept briefly.
proxy_cache_path {layout.cache_dir} levels=1:2 keys_zone=gongkai_pages:50m max_size=2g
                 inactive=20m use_temp_path=off;
map $uri $gongkai_agency {{
    default "";
    "~^/gk/(?<gongkai_slug>[A-Za-z0-9_-]+)/" $gongkai_slug;
}}
map $gongkai_agency $gongkai_generation {{
    default "-";{generations}
}}

"""
        cache_location = f"""        # Microcache: only what the app marks `Cache-Control: public` (the portal's pages for
        # anonymous visitors; never an answer setting a cookie), for the seconds its
        # X-Accel-Expires says, then revalidated (a 304 from the app when nothing changed);
        # keyed on what the app's page store varies on (address, display preferences,
        # language); bypassed for anyone signed in (staff).
        proxy_cache gongkai_pages;
        proxy_cache_key "$scheme$host$request_uri|$gongkai_generation|$cookie_gk_font|$cookie_gk_contrast|$cookie_django_language|$http_accept_language";
        proxy_cache_bypass $cookie_{layout.session_cookie};
        proxy_no_cache $cookie_{layout.session_cookie};
        proxy_cache_revalidate on;
        proxy_cache_lock on;
        proxy_cache_background_update on;
        proxy_cache_use_stale updating error timeout http_502 http_503;
        add_header X-Cache $upstream_cache_status always;
"""
    return (
        cache_zone
        + f"""upstream gongkai_app {{
    server unix:{layout.socket} fail_timeout=0;
}}

server {{
    listen {layout.listen};
    server_name {layout.server_name};
    server_tokens off;
    client_max_body_size {layout.max_body_mb}m;
{tls}
    # Static files: hashed names (the manifest's) never change and are cached a year; the rest
    # an hour.
    location ~ "{HASHED_STATIC}" {{
        alias {layout.static_root}/$hashed;
        add_header Cache-Control "public, max-age=31536000, immutable";
        add_header X-Content-Type-Options nosniff;
        access_log off;
    }}
    location /static/ {{
        alias {layout.static_root}/;
        add_header Cache-Control "public, max-age=3600";
        add_header X-Content-Type-Options nosniff;
        access_log off;
    }}
    # Public media only (the portal's 网站标识 badge); never the private files.
    location /media/ {{
        alias {layout.media_root}/;
        add_header Cache-Control "public, max-age=3600";
        add_header X-Content-Type-Options nosniff;
    }}
    # Private files: sent only when a view that checked the user answers X-Accel-Redirect
    # (GONGKAI_PRIVATE_ACCEL_PREFIX=/_private/); a browser asking for this path gets 404.
    location /_private/ {{
        internal;
        alias {layout.private_root}/;
        # caching is the view's (public for a published attachment, no-store for a letter)
        add_header X-Content-Type-Options nosniff;
    }}
    # Metrics for the machine's own scraper only; the app checks the address again.
    location = /metrics {{
        allow 127.0.0.1;
        allow ::1;
        deny all;
        proxy_pass http://gongkai_app;
        include {{proxy_params}};
    }}
    location / {{
        proxy_pass http://gongkai_app;
        include {{proxy_params}};
{cache_location}    }}
}}
"""
    )


PROXY_PARAMS = """proxy_set_header Host $http_host;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
proxy_set_header X-Request-ID $request_id;
proxy_redirect off;
proxy_read_timeout 120s;
proxy_buffering on;
"""

# An agency's pages behind a front keyed by generation: kept this long by nginx (then asked
# again with their ETag), sent as X-Accel-Expires (GONGKAI_FRONT_CACHE_SECONDS).
FRONT_KEYED_SECONDS = 600
# Where the watcher of a real server writes the map (nginx reads it; a path unit reloads it).
FRONT_MAP = Path("/run/gongkai/front/generations.map")

# One JSON object per request; the path without its query string (look-ups carry 查询码).
ACCESS_LOG_FORMAT = (
    "log_format gongkai_json escape=json '{"
    '"time":"$time_iso8601","request_id":"$request_id","remote":"$remote_addr",'
    '"method":"$request_method","path":"$uri","status":$status,"bytes":$body_bytes_sent,'
    '"duration":$request_time,"upstream":"$upstream_response_time",'
    '"agent":"$http_user_agent"'
    "}';"
)


def nginx_main_conf(layout: Layout) -> str:
    """A whole nginx.conf for the unprivileged nginx of `gongkai serve`."""
    run = layout.run_dir
    user = f"user {layout.user};\n" if layout.user else ""
    server = nginx_server_block(layout).replace("{proxy_params}", str(run / "proxy_params"))
    temp = "\n".join(
        f"    {kind}_temp_path {run / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Generated by `gongkai serve`; rewritten at each start.
{user}worker_processes 2;
daemon off;
pid {run / "nginx.pid"};
error_log stderr warn;

events {{
    worker_connections 1024;
}}

http {{
    {_mime_types()}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
{temp}
    {ACCESS_LOG_FORMAT}
    access_log {layout.log_dir / "access.log"} gongkai_json;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml text/plain;

{server}}}
"""


def gunicorn_conf(layout: Layout, *, log_format: str = "json") -> str:
    return f"""# Generated by gongkai; gunicorn reads it with -c.
import multiprocessing  # noqa: F401

bind = "unix:{layout.socket}"
workers = {layout.workers}
# Requests are short (letters and imports run in the task worker); nginx buffers slow clients.
worker_class = "sync"
timeout = 120
graceful_timeout = 30
# A worker is replaced now and then (memory); the jitter keeps them from restarting together.
max_requests = 2000
max_requests_jitter = 200
# nginx writes the access log (JSON, with the request id); gunicorn only its own events.
accesslog = None
errorlog = "-"
forwarded_allow_ips = "127.0.0.1,::1"
proc_name = "gongkai-web"


def worker_exit(server, worker):
    # A worker told to stop skips the interpreter's teardown of its heap (the search and
    # privacy dictionaries): measured 3-14 s a worker, long enough for systemd or `gongkai
    # serve` to kill it. Logs are flushed first; the database sees the socket close.
    import logging
    import os

    if os.getpid() == worker.pid and worker.booted and not worker.alive:
        logging.shutdown()
        os._exit(0)


def child_exit(server, worker):
    # a stopped worker's counters stay counted; its live gauges go (prometheus multiprocess)
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# gunicorn ≥ 25's control socket (gunicornc) beside the app socket, not in $HOME
control_socket = "{layout.socket.parent / "gunicorn.ctl"}"
logconfig_dict = {{
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {{"main": {{"()": "gongkai.core.logs.{"JsonFormatter" if log_format == "json" else "TextFormatter"}"}}}},
    "filters": {{"request_id": {{"()": "gongkai.core.logs.RequestIdFilter"}}}},
    "handlers": {{
        "console": {{
            "class": "logging.StreamHandler",
            "formatter": "main",
            "filters": ["request_id"],
        }}
    }},
    "loggers": {{
        "gunicorn.error": {{"handlers": ["console"], "level": "INFO", "propagate": False}},
        "gunicorn.access": {{"handlers": [], "level": "WARNING", "propagate": False}},
    }},
}}
"""


# --- systemd units for a real server ------------------------------------------------------------

UNIT_COMMON = """User={user}
Group={user}
WorkingDirectory={app_dir}
EnvironmentFile=/etc/gongkai/env
Environment=DJANGO_SETTINGS_MODULE=gongkai.config.settings.production
Environment=GONGKAI_TASKS_MODE=manual
Environment=GONGKAI_VAR_DIR={app_dir}/var
# logs go to the journal (JSON lines): journalctl -u {{unit}}
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=yes
ReadWritePaths={app_dir}/var -/run/gongkai
"""


def systemd_units(*, app_dir: str, user: str, venv: str) -> dict[str, str]:
    common = UNIT_COMMON.format(user=user, app_dir=app_dir)
    web = f"""[Unit]
Description=gongkai app servers (gunicorn)
After=network.target postgresql.service
PartOf=gongkai.target

[Service]
Type=simple
{common}Environment=GONGKAI_TRUST_X_FORWARDED_FOR=1
Environment=GONGKAI_PRIVATE_ACCEL_PREFIX=/_private/
# nginx keys an agency's pages by its generation (gongkai-front.service): kept 10 minutes
Environment=GONGKAI_FRONT_CACHE_SECONDS={FRONT_KEYED_SECONDS}
# every worker's request counts, added up at each scrape (emptied at each start)
Environment=PROMETHEUS_MULTIPROC_DIR=/run/gongkai/prometheus
RuntimeDirectory=gongkai
RuntimeDirectoryPreserve=yes
ExecStartPre=/bin/sh -c 'rm -rf /run/gongkai/prometheus && mkdir -p /run/gongkai/prometheus'
ExecStart={venv}/bin/gunicorn -c /etc/gongkai/gunicorn.conf.py gongkai.config.wsgi:application
# zero-downtime restart: new workers with the new code, the old ones finish their requests
ExecReload=/bin/kill -s HUP $MAINPID
KillSignal=SIGTERM
TimeoutStopSec=40
Restart=on-failure

[Install]
WantedBy=gongkai.target
"""
    worker = f"""[Unit]
Description=gongkai task worker
After=network.target postgresql.service
PartOf=gongkai.target

[Service]
{common}ExecStart={venv}/bin/gongkai tasks worker
# SIGTERM: the task under way finishes first (a long OCR may take minutes)
KillSignal=SIGTERM
TimeoutStopSec=300
Restart=always
RestartSec=5

[Install]
WantedBy=gongkai.target
"""
    scheduler = f"""[Unit]
Description=gongkai scheduler (periodic jobs; safe on several hosts)
After=network.target postgresql.service
PartOf=gongkai.target

[Service]
{common}ExecStart={venv}/bin/gongkai scheduler
Restart=always
RestartSec=5

[Install]
WantedBy=gongkai.target
"""
    # Every host with an nginx runs its own watcher against the database it reads (nothing is
    # sent from host to host); the watcher cannot signal root's nginx, so a path unit does.
    front = f"""[Unit]
Description=gongkai: the agencies' generations for nginx's cache key
After=network.target postgresql.service
PartOf=gongkai.target

[Service]
{common}RuntimeDirectory=gongkai/front
RuntimeDirectoryPreserve=yes
ExecStart={venv}/bin/gongkai front watch {FRONT_MAP}
Restart=always
RestartSec=2

[Install]
WantedBy=gongkai.target
"""
    front_path = f"""[Unit]
Description=gongkai: reload nginx when the agencies' generations change
PartOf=gongkai.target

[Path]
PathChanged={FRONT_MAP}
Unit=gongkai-front-reload.service

[Install]
WantedBy=gongkai.target
"""
    front_reload = """[Unit]
Description=gongkai: reload nginx (new agency generations)

[Service]
Type=oneshot
ExecStart=/bin/systemctl reload nginx.service
"""
    target = """[Unit]
Description=gongkai (app servers, task worker, scheduler, front watcher)
Wants=gongkai-web.service gongkai-worker.service gongkai-scheduler.service
Wants=gongkai-front.service gongkai-front-reload.path

[Install]
WantedBy=multi-user.target
"""
    return {
        "gongkai-web.service": web,
        "gongkai-worker.service": worker,
        "gongkai-scheduler.service": scheduler,
        "gongkai-front.service": front,
        "gongkai-front-reload.path": front_path,
        "gongkai-front-reload.service": front_reload,
        "gongkai.target": target,
    }


ENV_EXAMPLE = """# /etc/gongkai/env (mode 0600, owner root): read by the gongkai units.
SECRET_KEY=change-me-50-random-characters
ALLOWED_HOSTS={domain}
CSRF_TRUSTED_ORIGINS=https://{domain}
DATABASE_URL=postgres://gongkai@127.0.0.1:5432/gongkai
# GONGKAI_CACHE_REDIS_URL=redis://127.0.0.1:6379/0
# GONGKAI_WEB_WORKERS=5
"""


def render_deploy(target: Path, *, domain: str, app_dir: str, user: str, venv: str) -> list[Path]:
    """Write the files of a real server into `target`; the paths written."""
    root = Path(app_dir)
    layout = Layout(
        listen="443 ssl http2",
        static_root=root / "var" / "static",
        media_root=root / "var" / "media",
        private_root=root / "var" / "private",
        socket=Path("/run/gongkai/gunicorn.sock"),
        run_dir=Path("/run/gongkai"),
        log_dir=Path("/var/log/nginx"),
        server_name=domain,
        tls=True,
        workers=5,
        cache_dir=Path("/var/cache/nginx/gongkai"),
        session_cookie=settings.SESSION_COOKIE_NAME,
        generations=FRONT_MAP,
    )
    site = (
        "# /etc/nginx/sites-available/gongkai (generated by `gongkai deploy render`)\n"
        f"{ACCESS_LOG_FORMAT}\n\n"
        "server {\n    listen 80;\n"
        f"    server_name {domain};\n"
        "    location / { return 301 https://$host$request_uri; }\n}\n\n"
        + nginx_server_block(layout)
        .replace("{proxy_params}", "/etc/nginx/proxy_params_gongkai")
        .replace(
            "    server_tokens off;\n",
            "    server_tokens off;\n"
            "    access_log /var/log/nginx/gongkai.access.log gongkai_json;\n",
        )
    )
    files = {
        "nginx/gongkai.conf": site,
        "nginx/proxy_params_gongkai": PROXY_PARAMS,
        "gunicorn.conf.py": gunicorn_conf(layout),
        "env.example": ENV_EXAMPLE.format(domain=domain),
        **{
            f"systemd/{name}": text
            for name, text in systemd_units(app_dir=app_dir, user=user, venv=venv).items()
        },
    }
    written = []
    for name, text in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# --- the agencies' generations in nginx's cache key ---------------------------------------------

# The map itself is written by the portal's watcher (`gongkai front watch`, gongkai.portal.front),
# which knows what an agency's pages are keyed with; core only writes files and signals nginx.
# nginx's own words in a map block: a slug spelled like one is escaped with a backslash
MAP_KEYWORDS = frozenset({"default", "hostnames", "include", "volatile"})


def generations_map(generations: dict[str, str]) -> str:
    lines = []
    for slug, value in sorted(generations.items()):
        key = "\\" + slug if slug in MAP_KEYWORDS else slug
        lines.append(f"{key} {value};\n")
    return "".join(lines)


def write_generations(path: Path, generations: dict[str, str]) -> bool:
    """Write the map nginx includes when it differs; whether it did (nginx must reload then).
    Replaced in one rename: nginx never reads half a file."""
    text = generations_map(generations)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return True


def hup_nginx(pid_file: Path) -> bool:
    """Ask the nginx whose master wrote `pid_file` to read its configuration again (its old
    workers finish their requests); False while it has not started."""
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGHUP)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return False
    return True


# --- the supervisor ----------------------------------------------------------------------------


class ServeError(Exception):
    """Something `gongkai serve` cannot start without (said in a sentence)."""


def check_requirements(nginx: str, *, engine: str | None = None) -> str:
    """The nginx program's path; refuses SQLite and a missing nginx."""
    engine = engine or settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise ServeError(
            "gongkai serve runs the production stack on PostgreSQL: set DATABASE_URL="
            "postgres://USER@HOST:5432/NAME (SQLite is for `make run` only: one process writes "
            "at a time, and the task worker and the app servers are several)."
        )
    found = shutil.which(nginx)
    if not found:
        raise ServeError(
            f"nginx was not found ({nginx!r}): install Debian's package (apt-get install nginx; "
            "`make install` does it as root) or set GONGKAI_NGINX to its path."
        )
    return found


def local_layout(*, host: str, port: int, workers: int | None = None) -> Layout:
    run = settings.VAR_DIR / "serve"
    user = None
    if os.geteuid() == 0:  # nginx would hand its workers to "nobody", who cannot read var/
        import grp
        import pwd

        user = f"{pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name}"
    return Layout(
        listen=f"{host}:{port}" if ":" not in host else f"[{host}]:{port}",
        static_root=Path(settings.STATIC_ROOT),
        media_root=Path(settings.MEDIA_ROOT),
        private_root=Path(settings.GONGKAI_PRIVATE_ROOT),
        socket=run / "gunicorn.sock",
        run_dir=run,
        log_dir=run / "log",
        workers=workers or default_workers(),
        user=user,
        cache_dir=run / "cache",
        session_cookie=settings.SESSION_COOKIE_NAME,
        generations=run / "generations.map",
    )


def write_local_config(layout: Layout) -> tuple[Path, Path]:
    """nginx.conf and gunicorn.conf.py under var/serve/ (with the folders they need)."""
    for path in (
        layout.run_dir / "tmp",
        layout.log_dir,
        layout.static_root,
        layout.media_root,
        layout.private_root,
    ):
        path.mkdir(parents=True, exist_ok=True)
    (layout.run_dir / "proxy_params").write_text(PROXY_PARAMS, encoding="utf-8")
    nginx_conf = layout.run_dir / "nginx.conf"
    nginx_conf.write_text(nginx_main_conf(layout), encoding="utf-8")
    gunicorn_file = layout.run_dir / "gunicorn.conf.py"
    gunicorn_file.write_text(
        gunicorn_conf(layout, log_format=settings.GONGKAI_LOG_FORMAT), encoding="utf-8"
    )
    if layout.socket.exists():
        layout.socket.unlink()  # left by a stack that was killed
    # the app servers' metric files: counts of this run only
    shutil.rmtree(layout.run_dir / "prometheus", ignore_errors=True)
    (layout.run_dir / "prometheus").mkdir()
    return nginx_conf, gunicorn_file


def child_environment(layout: Layout) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.production")
    env.update(
        {
            # the worker process runs the tasks, not a thread of each app server
            "GONGKAI_TASKS_MODE": "manual",
            # nginx appends the client's address; it is the only way in (a Unix socket)
            "GONGKAI_TRUST_X_FORWARDED_FOR": "1",
            "GONGKAI_TRUSTED_PROXIES": "1",
            "GONGKAI_PRIVATE_ACCEL_PREFIX": "/_private/",
            "PYTHONUNBUFFERED": "1",
        }
    )
    # nginx keys an agency's pages by its generation (the `front` child keeps it): they may
    # be kept long
    env.setdefault("GONGKAI_FRONT_CACHE_SECONDS", str(FRONT_KEYED_SECONDS))
    return env


@dataclass
class Child:
    name: str
    argv: list[str]
    stop_signal: int = signal.SIGTERM
    env: dict[str, str] = field(default_factory=dict)  # added to the stack's environment
    process: subprocess.Popen | None = None


def children(layout: Layout, nginx: str, nginx_conf: Path, gunicorn_file: Path) -> list[Child]:
    python = sys.executable
    manage = [python, "-m", "gongkai"]
    return [
        Child(
            "web",
            [python, "-m", "gunicorn", "-c", str(gunicorn_file), "gongkai.config.wsgi:application"],
            env={"PROMETHEUS_MULTIPROC_DIR": str(layout.run_dir / "prometheus")},
        ),
        Child("worker", [*manage, "tasks", "worker"]),
        Child("scheduler", [*manage, "scheduler"]),
        # SIGQUIT: nginx finishes the requests under way
        Child(
            "nginx",
            [nginx, "-e", "stderr", "-p", str(layout.run_dir), "-c", str(nginx_conf)],
            stop_signal=signal.SIGQUIT,
        ),
        # the agencies' generations for nginx's cache key; tells nginx (SIGHUP) when they change
        Child(
            "front",
            [*manage, "front", "watch", str(layout.generations)]
            + ["--nginx-pid", str(layout.run_dir / "nginx.pid")],
        ),
    ]


class Supervisor:
    """Starts the children, each in its own process group (Ctrl-C reaches the supervisor only,
    which stops them in order), and stops them all when one ends or a signal comes."""

    def __init__(self, kids: list[Child], env: dict[str, str], pid_file: Path, say=print):
        self.kids = kids
        self.env = env
        self.pid_file = pid_file
        self.say = say
        self.stopping = False

    def _signal(self, signum, _frame):
        if not self.stopping:
            self.say(f"serve: signal {signal.Signals(signum).name}, stopping")
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._signal)
        signal.signal(signal.SIGTERM, self._signal)
        for kid in self.kids:
            process = subprocess.Popen(  # noqa: S603 — our own programs, no shell
                kid.argv, env={**self.env, **kid.env}, start_new_session=True
            )
            kid.process = process
            self.say(f"serve: {kid.name} started (pid {process.pid})")
        self.pid_file.write_text(
            json.dumps({kid.name: kid.process.pid for kid in self.kids if kid.process}),
            encoding="utf-8",
        )
        status = 0
        while not self.stopping:
            for kid in self.kids:
                code = kid.process.poll() if kid.process else None
                if code is not None:
                    self.say(f"serve: {kid.name} stopped by itself (exit {code}); stopping all")
                    status = code or 1
                    self.stopping = True
                    break
            else:
                time.sleep(0.3)
        self.stop_all()
        return status

    def stop_all(self) -> None:
        # nginx first (no new requests), then the app servers, the scheduler and the worker
        for kid in reversed(self.kids):
            if kid.process and kid.process.poll() is None:
                try:
                    kid.process.send_signal(kid.stop_signal)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + STOP_SECONDS
        for kid in self.kids:
            if not kid.process:
                continue
            try:
                kid.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"serve: {kid.name} did not stop in {STOP_SECONDS} s; killed")
                os.killpg(kid.process.pid, signal.SIGKILL)
                kid.process.wait()
        self.pid_file.unlink(missing_ok=True)
        self.say("serve: stopped")
