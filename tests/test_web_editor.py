"""The web editor: published only when it can work, and a local round trip through Decap CMS.

- Public builds: ``/admin/`` only with a configured GitLab backend (``regiodocs_cms = "auto"``),
  always with ``True`` (unconfigured: a warning, RD404 at the release), never with ``False``; an
  earlier build's ``admin/`` disappears (incremental = clean); missing CMS files fail the build.
- ``regiodocs serve`` starts ``decap-server`` beside the preview and stops it again.
- The browser test: a new Projekt through the editor's form against the local backend lands in
  ``content/projekte/<partner>/`` of the checkout and passes ``regiodocs check --strict``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from regiodocs import cms, loading, preview
from regiodocs.editions import gate

from conftest import FIXTURES, ROOT, TODAY, build_site, copy_tree, run_regiodocs, strict_env

#: A GitLab OAuth application id as GitLab shows it (64 hex digits).
APP_ID = "9c1b5e0d7a3f48e2b6c4d1a08f7e3b25c6d9a0e1f4b7c2d5a8e3f6b9c0d1e2f3"

#: GitLab CI's and regiodocs' own variables: a test must not see the CI run's project.
CI_VARIABLES = ("CI_PROJECT_PATH", "CI_SERVER_URL", "CI_DEFAULT_BRANCH", "CI_API_V4_URL", "CI_PAGES_URL")
EDITOR_VARIABLES = tuple(f"REGIODOCS_CMS_{name.upper()}" for name in cms.BACKEND_SETTINGS)
CONFIGURED = ["-D", "regiodocs_cms_repo=netzwerk/handbuch", "-D", f"regiodocs_cms_app_id={APP_ID}"]
SCREENSHOT = ROOT / "_build" / "bildschirmfotos" / "web-editor-formular.png"


@pytest.fixture(autouse=True)
def _no_ci_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*CI_VARIABLES, *EDITOR_VARIABLES):
        monkeypatch.delenv(name, raising=False)


def checkout(tmp: Path, *, node_modules: bool = True) -> Path:
    """A checkout as a partner has it: the fixture's content, conf.py, templates, node_modules."""
    root = tmp / "checkout"
    root.mkdir()
    copy_tree("basis", root / "content")
    for name in ("conf.py", "templates", *(["node_modules"] if node_modules else [])):
        (root / name).symlink_to(ROOT / name)
    return root


def build_in(root: Path, out: Path, work: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_regiodocs(
        "build", "--inhalt", str(root / "content"), "--ziel", str(out), "--arbeit", str(work),
        "-j", "1", "-q", "-D", f"regiodocs_heute={TODAY}", *extra, cwd=root,
    )  # fmt: skip


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (relative path → SHA-256)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------- when /admin/ is published


def test_the_shipped_conf_publishes_the_editor_only_when_a_backend_is_configured(tmp_path: Path):
    base = FIXTURES / "basis"
    without = tmp_path / "ohne" / "html"
    build_site(copy_tree("basis", tmp_path / "ohne" / "content"), without)
    assert not (without / "admin").exists(), "without GitLab settings there is no /admin/"
    assert (without / "schemas" / "projekt.schema.json").is_file(), "the schemas are published anyway"

    configured = tmp_path / "mit" / "html"
    build_site(copy_tree("basis", tmp_path / "mit" / "content"), configured, extra=CONFIGURED)
    config = yaml.safe_load((configured / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "netzwerk/handbuch" and config["backend"]["app_id"] == APP_ID
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "de"
    assert "local_backend" not in config
    assert base.is_dir()


def test_ci_variables_configure_the_editor(tmp_path: Path):
    out = tmp_path / "html"
    content = copy_tree("basis", tmp_path / "content")
    run_regiodocs(
        "build", "--inhalt", str(content), "--ziel", str(out), "-j", "1", "-q",
        "--arbeit", str(tmp_path / "arbeit"), "-D", f"regiodocs_heute={TODAY}", check=True,
        env={"CI_PROJECT_PATH": "rnw/handbuch", "REGIODOCS_CMS_APP_ID": APP_ID},
    )  # fmt: skip
    config = yaml.safe_load((out / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "rnw/handbuch" and config["backend"]["app_id"] == APP_ID


def test_a_stale_admin_folder_disappears_when_the_editor_is_off(tmp_path: Path):
    """Incremental = clean: configured, then not, in the same folders = a clean build without."""
    root = checkout(tmp_path)
    out, work = tmp_path / "html", tmp_path / "arbeit"
    first = build_in(root, out, work, *CONFIGURED)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (out / "admin" / "index.html").is_file() and (work / "html" / "html" / "admin").is_dir()
    second = build_in(root, out, work)
    assert second.returncode == 0, second.stdout + second.stderr
    assert not (out / "admin").exists() and not (work / "html" / "html" / "admin").exists()
    clean = tmp_path / "sauber"
    third = build_in(root, clean, tmp_path / "sauber-arbeit")
    assert third.returncode == 0, third.stdout + third.stderr
    incremental, fresh = tree(out.resolve()), tree(clean.resolve())
    assert sorted(incremental) == sorted(fresh)
    assert [p for p in incremental if incremental[p] != fresh[p]] == []


def test_switched_on_but_unconfigured_warns_and_off_means_off(tmp_path: Path):
    root = checkout(tmp_path)
    forced = build_in(root, tmp_path / "an", tmp_path / "an-arbeit", "-D", "regiodocs_cms=1")
    text = forced.stdout + forced.stderr
    assert forced.returncode != 0, "a public build turns warnings into errors"
    assert "Web-Editor ist eingeschaltet" in text and "regiodocs_cms_app_id" in text, text
    assert "Traceback" not in text
    off = build_in(root, tmp_path / "aus", tmp_path / "aus-arbeit", "-D", "regiodocs_cms=0", *CONFIGURED)
    assert off.returncode == 0, off.stdout + off.stderr
    assert not (tmp_path / "aus" / "admin").exists()


def test_an_editor_without_the_cms_files_fails_the_build_loudly(tmp_path: Path):
    root = checkout(tmp_path, node_modules=False)
    (root / "node_modules").mkdir()  # everything but Decap CMS (the theme needs KERN UX)
    for package in (ROOT / "node_modules").iterdir():
        if package.name not in ("decap-cms", ".bin"):
            (root / "node_modules" / package.name).symlink_to(package)
    result = build_in(root, tmp_path / "html", tmp_path / "arbeit", *CONFIGURED)
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Web-Editor (/admin/) kann nicht gebaut werden" in text and "npm ci" in text, text
    assert "Traceback" not in text


GOOD = {"repo": "netzwerk/handbuch", "app_id": APP_ID}


@pytest.mark.parametrize(
    ("settings", "wrong"),
    [
        ({"repo": "netzwerk/handbuch", "app_id": APP_ID}, []),
        ({"repo": "netzwerk/gruppe/handbuch", "app_id": APP_ID}, []),
        ({"repo": "netzwerk/handbuch", "app_id": "<app-id>"}, ["regiodocs_cms_app_id"]),
        ({"repo": "netzwerk/handbuch", "app_id": "BITTE-APP-ID-EINTRAGEN"}, ["regiodocs_cms_app_id"]),
        ({"repo": "netzwerk/handbuch", "app_id": "your-app-id-here"}, ["regiodocs_cms_app_id"]),
        ({"repo": "netzwerk/handbuch", "app_id": "abc 123 def"}, ["regiodocs_cms_app_id"]),
        ({"repo": "netzwerk/handbuch", "app_id": "ihre-anwendungs-id"}, ["regiodocs_cms_app_id"]),
        ({"repo": "netzwerk/handbuch", "app_id": "your-application-id"}, ["regiodocs_cms_app_id"]),
        ({"repo": "gruppe/projekt", "app_id": APP_ID}, ["regiodocs_cms_repo"]),
        ({"repo": "<gruppe>/<projekt>", "app_id": APP_ID}, ["regiodocs_cms_repo"]),
        ({"repo": "handbuch", "app_id": APP_ID}, ["regiodocs_cms_repo"]),
        ({**GOOD, "base_url": "gitlab.opencode.de"}, ["regiodocs_cms_base_url"]),
        ({**GOOD, "base_url": "http://gitlab.intern"}, ["regiodocs_cms_base_url"]),
        ({**GOOD, "base_url": "https://gitlab.example.org"}, ["regiodocs_cms_base_url"]),
    ],
)  # fmt: skip
def test_a_value_copied_from_an_example_is_no_configuration(
    monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], wrong: list[str]
):
    for name in (*CI_VARIABLES, *EDITOR_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    backend = cms.Backend.from_environment(**settings)
    assert backend.missing() == wrong
    assert backend.configured is (not wrong)


def test_a_self_hosted_gitlab_is_asked_at_its_own_api_and_a_trailing_slash_is_one_slash(
    monkeypatch: pytest.MonkeyPatch,
):
    for name in (*CI_VARIABLES, *EDITOR_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CI_SERVER_URL", "https://gitlab.opencode.de/")
    config = cms.Backend.from_environment(repo="netzwerk/handbuch", app_id=APP_ID).as_config()
    assert config["base_url"] == "https://gitlab.opencode.de"
    assert config["api_root"] == "https://gitlab.opencode.de/api/v4"  # not gitlab.com's
    explicit = cms.Backend.from_environment(
        repo="netzwerk/handbuch",
        app_id=APP_ID,
        base_url="https://git.kreis.de/",
        api_root="https://api.kreis.de/v4/",
    ).as_config()
    assert (explicit["base_url"], explicit["api_root"]) == ("https://git.kreis.de", "https://api.kreis.de/v4")
    # CI runs on gitlab.com, the editor's GitLab is another: its API comes with it
    monkeypatch.setenv("CI_SERVER_URL", "https://gitlab.com")
    monkeypatch.setenv("CI_API_V4_URL", "https://gitlab.com/api/v4")
    other = cms.Backend.from_environment(
        repo="netzwerk/handbuch", app_id=APP_ID, base_url="https://gitlab.opencode.de"
    )
    assert other.as_config()["api_root"] == "https://gitlab.opencode.de/api/v4"
    api_path = cms.Backend.from_environment(base_url="https://git.kreis.de/api/v4/").as_config()
    assert (api_path["base_url"], api_path["api_root"]) == (
        "https://git.kreis.de",
        "https://git.kreis.de/api/v4",
    )
    monkeypatch.delenv("CI_API_V4_URL")
    monkeypatch.delenv("CI_SERVER_URL")
    hosted = cms.Backend.from_environment(repo="netzwerk/handbuch", app_id=APP_ID).as_config()
    assert "api_root" not in hosted and "base_url" not in hosted  # gitlab.com: Decap's defaults


@pytest.mark.parametrize("mode", [True, False, "auto", "automatisch", "1", "nein"])
@pytest.mark.parametrize("configured", [True, False])
def test_build_and_release_gate_read_regiodocs_cms_alike(tmp_path: Path, mode: object, configured: bool):
    """The gate refuses (RD404) exactly what the build publishes without a working backend."""
    settings = f"regiodocs_cms = {mode!r}\n"
    if configured:
        settings += f'regiodocs_cms_repo = "netzwerk/handbuch"\nregiodocs_cms_app_id = "{APP_ID}"\n'
    (tmp_path / "conf.py").write_text(settings, encoding="utf-8")
    rules = gate.rules(tmp_path)
    chosen = gate.backend(rules)
    published = cms.editor_enabled(cms.switched_on(mode), chosen)
    refused = bool(gate.editor(rules))
    assert chosen.configured is configured
    assert refused == (published and not configured)
    assert published == (configured if cms.is_auto(mode) else cms.switched_on(mode))


def test_local_config_uses_decap_servers_api_in_german():
    content = loading.load(FIXTURES / "basis")[0]
    config = cms.config(content, cms.Backend(), local="http://127.0.0.1:8123/api/v1", folder="inhalt")
    assert config["local_backend"] == {
        "url": "http://127.0.0.1:8123/api/v1",
        "allowed_hosts": ["127.0.0.1", "localhost"],
    }
    assert config["backend"] == {
        "name": "proxy",
        "proxy_url": "http://127.0.0.1:8123/api/v1",
        "branch": "main",
    }
    assert config["publish_mode"] == "simple" and config["locale"] == "de"
    assert {c["folder"].split("/")[0] for c in config["collections"]} == {"inhalt"}
    assert "BITTE" not in cms.dump(config)


def test_decap_3_knows_the_german_locale_and_local_backend():
    bundle = (ROOT / "node_modules/decap-cms/dist/decap-cms.js").read_text(encoding="utf-8", errors="replace")
    assert "local_backend" in bundle and "allowed_hosts" in bundle
    assert "Jetzt veröffentlichen" in bundle or "Jetzt ver\\xf6ffentlichen" in bundle, "German strings"


# ---------------------------------------------------------------- regiodocs serve


def _listening(port: int) -> bool:
    return preview._listening(port)


def test_serve_starts_the_local_editor_and_stops_it_together(tmp_path: Path):
    root = checkout(tmp_path)
    port, editor_port = preview.free_port(0), preview.free_port(0)
    while editor_port == port:
        editor_port = preview.free_port(0)
    process = subprocess.Popen(
        [sys.executable, "-m", "regiodocs", "serve", "--port", str(port), "--editor-port", str(editor_port),
         "--heute", TODAY, "--arbeit", str(tmp_path / "arbeit")],
        cwd=root, env=strict_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while not (_listening(port) and _listening(editor_port)):
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "serve did not start both servers"
            time.sleep(0.5)
        config = tmp_path / "arbeit" / "vorschau" / "html" / "admin" / "config.yml"
        while not config.is_file():
            assert time.monotonic() < deadline, "the preview has no /admin/"
            time.sleep(0.5)
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        assert data["local_backend"]["url"] == f"http://127.0.0.1:{editor_port}/api/v1"
        # decap-server is rooted at content/: folders are relative to it, nothing else is reachable
        assert data["collections"][0]["folder"] == "projekte" and data["media_folder"] == "medien"
        process.send_signal(signal.SIGINT)  # Strg+C
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert f"Web-Editor unter http://127.0.0.1:{port}/admin/" in output, output
    assert f"decap-server auf http://127.0.0.1:{editor_port}" in output, output
    assert "Strg+C" in output
    deadline = time.monotonic() + 15
    while _listening(editor_port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _listening(editor_port), "decap-server outlived regiodocs serve"
    assert not _listening(port)


def test_editor_server_stops_with_its_block(tmp_path: Path):
    root = checkout(tmp_path)
    port = preview.free_port(0)
    with preview.editor_server(root, port, origins=()) as api:
        assert api == f"http://127.0.0.1:{port}/api/v1" and _listening(port)
    assert not _listening(port)


def test_serve_without_decap_server_starts_the_preview_and_says_why(tmp_path: Path):
    root = checkout(tmp_path, node_modules=False)
    with (
        pytest.raises(preview.EditorError, match="npm ci"),
        preview.editor_server(root, preview.free_port(0), origins=()),
    ):
        pass


# ---------------------------------------------------------------- the browser round trip


def _select(page: object, label: str, option: str) -> None:
    """Choose ``option`` in Decap's select (react-select) labelled ``label``."""
    field = page.get_by_label(label, exact=True)  # type: ignore[attr-defined]
    field.click()
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_partner_creates_a_projekt_in_the_local_web_editor(tmp_path: Path, chromium: object):
    from browser import SETTLE_TIMEOUT_MS, open_page, serve

    started = time.monotonic()
    root = checkout(tmp_path)
    before = {p.relative_to(root).as_posix() for p in (root / "content").rglob("*") if p.is_file()}
    out = tmp_path / "html"
    out.mkdir()
    with (
        serve(out.resolve()) as url,
        preview.editor_server(
            root, preview.free_port(0), log=tmp_path / "decap-server.log", origins=(url.rstrip("/"),)
        ) as api,
    ):
        built = build_in(root, out, tmp_path / "arbeit", "-D", f"regiodocs_cms_lokal={api}")
        assert built.returncode == 0, built.stdout + built.stderr
        with open_page(chromium, url + "admin/", height=1400) as visit:  # type: ignore[arg-type]
            page = visit.page
            start = page.inner_text("main")
            assert "Was beim Speichern passiert" in start and "Wer prüft" in start
            assert "content/" in start and "regiodocs check" in start and "Geschäftsstelle" in start
            page.get_by_role("button", name="Web-Editor öffnen").click()
            page.get_by_role("button", name=re.compile("Login|Anmelden", re.I)).click(
                timeout=SETTLE_TIMEOUT_MS
            )
            page.goto(url + "admin/#/collections/projekt/new")
            page.get_by_label("Titel", exact=True).wait_for(timeout=SETTLE_TIMEOUT_MS)

            page.get_by_label("Titel", exact=True).fill("Grüne Höfe für Alpha")
            page.get_by_label("Kurzbeschreibung", exact=True).fill(
                "Innenhöfe in der Altstadt werden entsiegelt und bepflanzt."
            )
            _select(page, "Federführung", "alpha")
            _select(page, "Handlungsfelder", "siedlungsentwicklung")
            _select(page, "Status", "Planung")
            page.get_by_role("button", name=re.compile("kontakt hinzufügen", re.I)).click()
            page.get_by_label(re.compile("^Organisation")).first.fill("Stadt Alpha, Grünflächenamt")
            page.get_by_label(re.compile("^E-Mail")).first.fill("gruen@stadt-alpha.de")
            page.get_by_label("Stand", exact=True).fill("2026-11-20")
            group = page.get_by_label("Projektgruppe (optional)", exact=True)
            group.fill("Projektgruppe Höfe")
            group.fill("")  # typed into and cleared: Decap keeps "", which check refuses
            body = page.locator("[data-slate-editor='true']").first
            body.click()
            page.keyboard.type("Die Höfe werden gemeinsam mit den Eigentümer:innen geplant.")
            page.get_by_label("Titel", exact=True).scroll_into_view_if_needed()
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            page.get_by_role("button", name="Veröffentlichen").click()
            page.get_by_text("Jetzt veröffentlichen", exact=True).click()
            folder = root / "content" / "projekte" / "alpha"
            deadline = time.monotonic() + SETTLE_TIMEOUT_MS / 1000
            created: list[Path] = []
            while not created and time.monotonic() < deadline:
                created = [p for p in folder.glob("*.md") if f"content/projekte/alpha/{p.name}" not in before]
                page.wait_for_timeout(250)
            assert created, "the editor wrote no file into content/projekte/alpha/"
            assert not visit.blocked, f"the editor reached other hosts: {visit.blocked}"
            assert not visit.errors, visit.errors
    new = created[0]
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.md", new.name), new.name
    text = new.read_text(encoding="utf-8")
    after = {p.relative_to(root).as_posix() for p in (root / "content").rglob("*") if p.is_file()}
    assert after - before == {new.relative_to(root).as_posix()}, "exactly one new file, nothing else"
    checked = run_regiodocs("check", "--strict", "--inhalt", str(root / "content"), cwd=root)
    assert checked.returncode == 0, f"{new.name}:\n{text}\n{checked.stdout}{checked.stderr}"
    record = loading.load(root / "content")[0].records[new.stem]
    assert record.data["titel"] == "Grüne Höfe für Alpha" and record.data["federfuehrung"] == "alpha"
    assert record.data["handlungsfelder"] == ["siedlungsentwicklung"]
    assert "projektgruppe" not in record.data and "links" not in record.data, text
    assert SCREENSHOT.stat().st_size > 10_000
    print(f"web editor round trip: {time.monotonic() - started:.1f} s, {new.name}", file=sys.stderr)
    assert os.environ.get("CI") != "true" or SCREENSHOT.is_file()
    shutil.copyfile(new, tmp_path / "gespeichert.md")


def _ask(api: str, body: dict[str, object], headers: dict[str, str]) -> tuple[int, str]:
    """POST ``body`` to the local editor's API with ``headers``: (status, text)."""
    import http.client
    import json as json_
    from urllib.parse import urlsplit

    address = urlsplit(api)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request(
            "POST", address.path, json_.dumps(body), {"Content-Type": "application/json", **headers}
        )
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_the_local_editor_answers_only_its_own_host_and_the_preview(tmp_path: Path):
    """DNS rebinding: a page elsewhere whose name resolves to 127.0.0.1 sends its own Host (and
    Origin); the local editor refuses it before anything is written."""
    root = checkout(tmp_path)
    preview_origin = "http://127.0.0.1:8000"
    before = tree(root / "content")
    write = {
        "action": "persistEntry", "params": {"branch": "main", "entry": {
            "slug": "boese", "path": "projekte/alpha/boese.md", "raw": "---\ntitel: x\n---\n",
        }, "assets": [], "options": {"commitMessage": "x", "useWorkflow": False, "status": "draft"}},
    }  # fmt: skip
    port = preview.free_port(0)
    with preview.editor_server(root, port, origins=(preview_origin,)) as api:
        own = f"127.0.0.1:{port}"
        refused = [
            {"Host": f"boese.example:{port}"},
            {"Host": f"boese.example:{port}", "Origin": f"http://boese.example:{port}"},
            {"Host": own, "Origin": "http://boese.example"},
            {"Host": own, "Origin": "http://127.0.0.1:9999"},  # another local page
            {"Host": f"127.0.0.1.boese.example:{port}"},
            {"Host": "127.0.0.1"},  # another port's name
        ]
        for headers in refused:
            status, text = _ask(api, write, headers)
            assert status == 403 and "Web-Editor" in text, (headers, status, text)
        assert tree(root / "content") == before  # nothing written
        for headers in ({"Host": own}, {"Host": f"localhost:{port}", "Origin": preview_origin}):
            status, text = _ask(api, {"action": "info"}, headers)
            assert status == 200 and '"local_fs"' in text, (headers, status, text)
        status, _ = _ask(api, write, {"Host": own, "Origin": preview_origin})
        assert status == 200 and (root / "content/projekte/alpha/boese.md").is_file()


def test_a_failed_move_does_not_end_the_local_editor(tmp_path: Path):
    """decap-server moves folders without awaiting it: a move into a symlinked folder fails (and
    must write nothing outside), but the editor must go on answering."""
    root = checkout(tmp_path)
    outside = tmp_path / "draussen"
    outside.mkdir()
    (root / "content" / "medien" / "ausweg").symlink_to(outside)
    port = preview.free_port(0)
    own = {"Host": f"127.0.0.1:{port}"}
    move = {
        "action": "persistEntry", "params": {"branch": "main", "entry": {
            "slug": "radweg-nord", "path": "projekte/alpha/radweg-nord.md", "raw": "---\ntitel: x\n---\n",
            "newPath": "medien/ausweg/radweg-nord.md",
        }, "assets": [], "options": {"commitMessage": "x", "useWorkflow": False, "status": "draft"}},
    }  # fmt: skip
    with preview.editor_server(root, port, origins=()) as api:
        _ask(api, move, own)
        time.sleep(1.0)  # the move runs after the answer
        status, text = _ask(api, {"action": "info"}, own)
        assert status == 200 and '"local_fs"' in text, (status, text)
    assert list(outside.iterdir()) == []


def test_the_local_editor_cannot_write_outside_the_content_folder(tmp_path: Path):
    """decap-server refuses paths that leave its root; rooted at content/, conf.py is out of reach."""
    import json as json_
    import urllib.request

    root = checkout(tmp_path)
    conf_before = (root / "conf.py").read_bytes()
    with preview.editor_server(root, preview.free_port(0), origins=()) as api:
        for path in ("conf.py", "../conf.py", "content/../conf.py"):
            body = json_.dumps({
                "action": "persistEntry", "params": {"branch": "main", "entry": {
                    "slug": "x", "path": path, "raw": "x = 1\n", "newPath": None,
                }, "assets": [], "options": {"commitMessage": "x"}},
            }).encode()  # fmt: skip
            request = urllib.request.Request(api, data=body, headers={"Content-Type": "application/json"})
            with contextlib.suppress(OSError):  # refused
                urllib.request.urlopen(request, timeout=10).read()
    assert (root / "conf.py").read_bytes() == conf_before
    written = {p.relative_to(root).as_posix() for p in root.rglob("conf.py")}
    assert written == {"conf.py"}, written  # "conf.py" inside content/ is a file the check reports
