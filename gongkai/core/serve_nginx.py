"""The nginx configuration of the production stack (gongkai.core.serve): the server block shared
by `gongkai serve` and a real server, the whole nginx.conf of `gongkai serve`, and the map of the
agencies' generations in the microcache's key (written, then nginx signalled to read it again).
Moved out of serve.py as it was; serve.py re-exports every name."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # serve imports this module: the layout is only an annotation here
    from .serve import Layout

# static files whose name carries the manifest's hash (app.3f2a9c1b7d04.css): never change
HASHED_STATIC = r"^/static/(?<hashed>.+\.[0-9a-f]{12}\.[A-Za-z0-9]+)$"


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
