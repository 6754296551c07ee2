"""`gongkai serve` and `gongkai deploy render` (gongkai.core.serve): the refusals, the files
written, and the whole stack started as `make serve` starts it (nginx in front of gunicorn, the
task worker and the scheduler) on the PostgreSQL test database."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.core import serve
from gongkai.core.models import Task, TaskStatus
from gongkai.core.tests.factories import AgencyFactory
from gongkai.portal import front

NGINX = shutil.which("nginx")


def test_serve_refuses_sqlite():
    with pytest.raises(serve.ServeError, match="PostgreSQL"):
        serve.check_requirements("nginx", engine="django.db.backends.sqlite3")


def test_serve_names_a_missing_nginx():
    with pytest.raises(serve.ServeError, match="nginx was not found"):
        serve.check_requirements("/nonexistent/nginx", engine="django.db.backends.postgresql")


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the test database is PostgreSQL: serve would start"
)
def test_the_command_says_why_it_refuses():
    with pytest.raises(CommandError, match="SQLite is for `make run` only"):
        call_command("serve", "--port", "1")


def test_deploy_render_writes_the_server_files(tmp_path, capsys):
    call_command("deploy", "render", str(tmp_path), "--domain", "gk.example.gov.cn")
    written = {str(Path(p).relative_to(tmp_path)) for p in capsys.readouterr().out.split()}
    assert written == {
        "nginx/gongkai.conf",
        "nginx/proxy_params_gongkai",
        "gunicorn.conf.py",
        "env.example",
        "systemd/gongkai-web.service",
        "systemd/gongkai-worker.service",
        "systemd/gongkai-scheduler.service",
        "systemd/gongkai-front.service",
        "systemd/gongkai-front-reload.path",
        "systemd/gongkai-front-reload.service",
        "systemd/gongkai.target",
    }
    site = (tmp_path / "nginx/gongkai.conf").read_text()
    assert "server_name gk.example.gov.cn;" in site and "ssl_certificate" in site
    assert "return 301 https://" in site
    # the private files: internal only; public media never maps them
    private = re.search(r"location /_private/ \{(.*?)\}", site, re.S).group(1)
    assert "internal;" in private and "/srv/gongkai/var/private/" in private
    assert "immutable" in site
    # the microcache of public pages: only what the app marks public, never for the signed-in
    assert "proxy_cache gongkai_pages;" in site and "/var/cache/nginx/gongkai" in site
    assert "proxy_cache_bypass $cookie_sessionid;" in site
    assert "proxy_no_cache $cookie_sessionid;" in site
    assert "proxy_cache_valid" not in site  # no answer is cached without the app's say
    # an agency's pages are keyed by its generation, which the watcher keeps (a path unit
    # reloads nginx); only then may the app let nginx keep them long
    assert "include /run/gongkai/front/generations*.map;" in site
    assert re.search(r'proxy_cache_key "[^"]*\$gongkai_generation[^"]*";', site)
    web = (tmp_path / "systemd/gongkai-web.service").read_text()
    assert "ExecReload=/bin/kill -s HUP $MAINPID" in web
    assert "GONGKAI_FRONT_CACHE_SECONDS=600" in web
    front_unit = (tmp_path / "systemd/gongkai-front.service").read_text()
    assert "gongkai front watch /run/gongkai/front/generations.map" in front_unit
    path_unit = (tmp_path / "systemd/gongkai-front-reload.path").read_text()
    assert "PathChanged=/run/gongkai/front/generations.map" in path_unit
    assert "reload nginx" in (tmp_path / "systemd/gongkai-front-reload.service").read_text()
    assert "gongkai tasks worker" in (tmp_path / "systemd/gongkai-worker.service").read_text()
    # the gunicorn file is Python that gunicorn can read
    compile((tmp_path / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec")


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian package `nginx`)")
def test_the_local_nginx_configuration_is_accepted_by_nginx(tmp_path):
    layout = serve.Layout(
        listen="127.0.0.1:8999",
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        private_root=tmp_path / "private",
        socket=tmp_path / "serve/gunicorn.sock",
        run_dir=tmp_path / "serve",
        log_dir=tmp_path / "serve/log",
        workers=2,
        user="root root" if os.geteuid() == 0 else None,
        cache_dir=tmp_path / "serve/cache",
    )
    conf, _ = serve.write_local_config(layout)
    assert "proxy_cache gongkai_pages;" in conf.read_text()
    done = subprocess.run(  # noqa: S603 — nginx from PATH, our own file
        [NGINX, "-t", "-e", "stderr", "-p", str(layout.run_dir), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_generations_map_escapes_nginx_words_and_is_written_only_on_change(tmp_path):
    path = tmp_path / "front/generations.map"
    assert serve.write_generations(path, {"liuheng": "ab12", "default": "cd34"})
    # `default` is the map's own word: escaped, or it would set every unknown agency's value
    assert path.read_text() == "\\default cd34;\nliuheng ab12;\n"
    assert not serve.write_generations(path, {"default": "cd34", "liuheng": "ab12"})
    assert serve.write_generations(path, {"default": "cd34", "liuheng": "ef56"})
    assert [p.name for p in path.parent.iterdir()] == ["generations.map"]  # no partial left


@pytest.mark.django_db
def test_an_agency_s_generation_changes_with_what_its_pages_show(
    make_member, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "private"
    from gongkai.portal import services as portal_services

    town, other = AgencyFactory(slug="gentown"), AgencyFactory(slug="othertown")
    before = front.front_generations()
    assert {"gentown", "othertown"} <= set(before)
    with django_capture_on_commit_callbacks(execute=True):
        published_attachment(town, make_member)  # a publication bumps the page generation
    after = front.front_generations()
    assert after["gentown"] != before["gentown"]
    assert after["othertown"] == before["othertown"]  # another agency's pages stay kept
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.portal_settings_update(
            actor=None, agency=other, data={"site_code": "3309030001"}
        )
    assert front.front_generations()["othertown"] != after["othertown"]
    # switched off: its pages answer 404, so their key changes too
    town.is_active = False
    town.save()
    assert front.front_generations()["gentown"] != after["gentown"]


def test_the_watcher_waits_for_the_app_processes_before_keying_pages():
    from gongkai.portal.selectors import PAGE_STATE_SECONDS

    assert front.front_settle_seconds() > PAGE_STATE_SECONDS
    assert front.front_bound_seconds() < 5  # the bound the design note promises (no replica)


# --- the whole stack ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 — loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def database_url() -> str:
    conf = connection.settings_dict
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
    return f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"


def stop(process: subprocess.Popen, pid_file: Path) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(40)
        except subprocess.TimeoutExpired:
            process.kill()
    # children left by a supervisor that could not stop them
    if pid_file.exists():
        for pid in json.loads(pid_file.read_text()).values():
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def published_attachment(agency, make_member):
    """A published item with a PDF attachment, through the services (stored privately)."""
    from datetime import date

    from gongkai.catalogue import services as catalogue
    from gongkai.catalogue.models import Attachment
    from gongkai.catalogue.taxonomy import Genre
    from gongkai.catalogue.tests.factories import ColumnFactory, make_pdf
    from gongkai.core.models import Role

    editor = make_member(agency, Role.EDITOR, "serve-editor")
    reviewer = make_member(agency, Role.REVIEWER, "serve-reviewer")
    item = catalogue.item_create(
        actor=editor,
        agency=agency,
        column=ColumnFactory(agency=agency),
        title="附件测试",
        formed_on=date(2025, 6, 1),
        genre=Genre.WORK_NEWS,
        body="<p>见附件。</p>",
    )
    catalogue.attachment_add(actor=editor, item=item, name="工作要点.pdf", data=make_pdf("hello"))
    item = catalogue.item_submit(actor=editor, item=item)
    item = catalogue.item_approve(
        actor=reviewer,
        item=item,
        checks=catalogue.ReviewChecks(secrecy=True, privacy=True, wording=True),
        publish_now=True,
    )
    return Attachment.objects.get(item=item)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian package `nginx`)")
@pytest.mark.django_db(transaction=True)
def test_make_serve_stack_answers_through_nginx_and_runs_tasks_in_the_worker(
    tmp_path, settings, make_member
):
    if connection.vendor != "postgresql":
        pytest.skip("gongkai serve runs on PostgreSQL only (set DATABASE_URL)")
    if os.environ.get("GONGKAI_SHIFTED_CLOCK") == "1":
        pytest.skip("libfaketime: the stack's timed waits (stop, poll) would never expire")
    agency = AgencyFactory(slug="servetown")
    # the stack's private files are where this test stores the attachment
    settings.GONGKAI_PRIVATE_ROOT = tmp_path / "var" / "private"
    attachment = published_attachment(agency, make_member)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.production",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "serve-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "GONGKAI_VAR_DIR": str(tmp_path / "var"),
        "GONGKAI_LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    log = (tmp_path / "serve.log").open("wb")
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 — our own command
        [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--workers", "2"]
        + ["--collectstatic"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    pid_file = tmp_path / "var/serve/pids.json"
    try:
        status = None
        while time.monotonic() - started < 75 and process.poll() is None:
            try:
                status, headers, body = get(base + "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        output = (tmp_path / "serve.log").read_text(errors="replace")
        assert status == 200, output[-3000:]
        assert body == b"ok" and headers["Server"].startswith("nginx")
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's $request_id

        status, _, body = get(base + "/readyz")
        assert status == 200 and json.loads(body)["status"] == "ok"

        status, headers, body = get(base + f"/gk/{agency.slug}/")
        assert status == 200 and agency.short_name in body.decode()
        # the page links its stylesheet under a hashed name that nginx serves for a year
        sheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body).group(1).decode()
        status, headers, _ = get(base + sheet)
        assert status == 200 and "immutable" in headers["Cache-Control"]
        # private files have no public address; a published attachment is sent by nginx from
        # its internal location after the view's check (X-Accel-Redirect, not passed on)
        assert get(base + "/_private/x")[0] == 404
        link = f"/gk/{agency.slug}/items/{attachment.item_id}/attachments/{attachment.pk}/"
        status, headers, body = get(base + link)
        assert status == 200 and body.startswith(b"%PDF") and len(body) == attachment.size
        assert "X-Accel-Redirect" not in headers
        assert headers.get("Accept-Ranges") == "bytes"  # nginx's static file handler sent it
        assert get(base + "/_private/" + urllib.parse.quote(attachment.file.name))[0] == 404

        status, _, body = get(base + "/metrics")
        text = body.decode()
        assert status == 200
        assert 'gongkai_http_request_duration_seconds_count{view="portal:agency-home"}' in text
        assert "gongkai_task_queue_depth" in text and "gongkai_applications_overdue" in text

        # a task queued now is run by the worker process, not by anyone here
        ping = Task.objects.create(name="core.ping")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ping.refresh_from_db()
            if ping.status == TaskStatus.DONE:
                break
            time.sleep(0.2)
        assert ping.status == TaskStatus.DONE and ping.progress == "pong"
        # the scheduler queued the day's jobs, which the worker ran
        assert Task.objects.filter(name="applications.clock_tick").exists()
        # the access log: one JSON object a request, with its id
        access = (tmp_path / "var/serve/log/access.log").read_text().splitlines()
        assert json.loads(access[-1])["request_id"]

        # nginx keeps an agency's pages 10 minutes (keyed by the agency's generation) …
        page = f"/gk/{agency.slug}/items/{attachment.item_id}/"
        status, headers, _ = get(base + page)
        assert status == 200 and "X-Accel-Expires" not in headers
        status, headers, _ = get(base + page)
        assert status == 200 and headers["X-Cache"] == "HIT"
        # … and stops serving a withdrawn item within the bound the design note promises
        from gongkai.catalogue import services as catalogue
        from gongkai.core.models import Role

        officer = make_member(agency, Role.OFFICER, "serve-officer")
        catalogue.item_withdraw(actor=officer, item=attachment.item, reason="内容有误")
        withdrawn = time.monotonic()
        bound = front.front_bound_seconds()
        while time.monotonic() - withdrawn < bound + 5:  # + the shared machine's delays
            status, headers, _ = get(base + page)
            if status != 200:
                break
            time.sleep(0.1)
        took = time.monotonic() - withdrawn
        assert status == 410, f"still served {took:.1f} s after the withdrawal"
        assert headers["X-Cache"] == "MISS"  # a new key: the agency's generation changed
        status, headers, _ = get(base + page)
        assert status == 410 and headers["X-Cache"] == "HIT"  # the notice is kept in turn
        generations = (tmp_path / "var/serve/generations.map").read_text()
        assert f"{agency.slug} " in generations
    finally:
        stop(process, pid_file)
        log.close()
    output = (tmp_path / "serve.log").read_text(errors="replace")
    assert process.returncode == 0, output[-3000:]
    assert "serve: stopped" in output
    assert "did not stop" not in output  # each process stopped on its signal, none killed
