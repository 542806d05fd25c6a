"""A real JupyterLab on a loopback port and a headless Chromium (Debian's) driven by Playwright."""

import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def find_chromium():
    for candidate in (os.environ.get("RNNLESSON_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url, process, timeout_s, name, log):
    """Poll url until it answers 200; fail with the log's name if the process ends or timeout_s passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start within {timeout_s} s; see {ARTIFACTS / log}")
        time.sleep(0.5)


def write_windowing_off(settings):
    """Every cell drawn, not only those near the view, so the checks find the explorer in a long notebook."""
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))


@pytest.fixture(scope="session")
def artifacts():
    """Where screenshots and logs go (not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium():
    path = find_chromium()
    if path is None:
        message = "no Chromium found: install Debian's `chromium` (apt-get install chromium) or set RNNLESSON_CHROMIUM"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def checkpoint():
    """The trained network the notebooks load; trained here if no earlier test made it."""
    from rnnlesson import runtime

    runtime.prepare()
    from rnnlesson import checkpoints, config

    checkpoints.load_or_train(config.Config())
    return checkpoints.path_for(config.Config())


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory, checkpoint):
    """JupyterLab serving a copy of notebooks/ (so runs never write outputs into the repo)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    settings = tmp_path_factory.mktemp("lab-settings")
    notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))  # no news pop-up
    write_windowing_off(settings)
    port, token = free_port(), os.urandom(16).hex()
    environment = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
                       JUPYTERLAB_WORKSPACES_DIR=str(tmp_path_factory.mktemp("workspaces")),
                       RNNLESSON_CHECKPOINT=str(checkpoint))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
         "--LabApp.extension_manager=readonly",  # no look-ups on PyPI
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/api/status?token={token}", server, 90, "JupyterLab", "jupyterlab.log")
        yield {"base": base, "token": token, "root": root}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, request):
    """A fresh page; on failure its screenshot and console log are left in artifacts/screenshots."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    yield page
    failed = getattr(request.node, "failed_call", False)
    if failed:
        name = request.node.name
        page.screenshot(path=str(ARTIFACTS / f"FAILED_{name}.png"), full_page=True)
        (ARTIFACTS / f"FAILED_{name}_console.log").write_text("\n".join(console))
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.failed_call = True
    return report


# JupyterHub for a class: e2e/test_hub.py

STUDENTS = ("ada", "grace", "alan")
REPOSITORY = "rnn-lesson"  # nbgitpuller clones into a folder named after the last part of the URL
HUB_CONFIG = Path(__file__).with_name("jupyterhub_config.py")
HUB_TIMEOUT_S = 300  # a hub's or a student's server's start: generous, as three students share a small machine


def skip_or_fail(message):
    """Skip with a one-line reason, except in CI, where the set-up must have installed everything."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def proxy():
    """JupyterHub's proxy, configurable-http-proxy (npm), and the Node.js it runs on."""
    for module in ("jupyterhub", "nbgitpuller"):
        try:
            __import__(module)
        except ImportError:
            skip_or_fail(f"{module} is not installed: pip install -e '.[dev]'")
    if shutil.which("node") is None:
        skip_or_fail("no Node.js found (JupyterHub's proxy needs it): apt-get install nodejs npm")
    installed = ROOT / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"  # where .ci/run puts it
    for candidate in (os.environ.get("RNNLESSON_CHP"), installed, shutil.which("configurable-http-proxy")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    skip_or_fail("no configurable-http-proxy: npm install --prefix .node configurable-http-proxy@5")


def reachable_by_everyone(path):
    """Whether any user may reach path: every folder on the way searchable by others, the file readable."""
    path = Path(os.path.realpath(path))
    folders_searchable = all(folder.stat().st_mode & stat.S_IXOTH for folder in path.parents)
    return folders_searchable and bool(path.stat().st_mode & stat.S_IROTH)


def unused_uids(count, first=62001):
    """Uids no account uses, for the students' servers when the hub runs as root."""
    uids = []
    for uid in range(first, first + 1000):
        try:
            pwd.getpwuid(uid)
        except KeyError:
            uids.append(uid)
            if len(uids) == count:
                return uids
    raise RuntimeError(f"no {count} free uids from {first}")


@pytest.fixture(scope="module")
def classroom(checkpoint):
    """The teacher's read-only checkpoint, the lesson's git repository, and one empty home per student."""
    top = Path(tempfile.mkdtemp(prefix="rnnlesson-hub-"))
    try:
        top.chmod(0o755)  # students' servers may run as other uids: they must reach their homes and the repo
        teacher = top / "teacher"
        teacher.mkdir()
        shared = teacher / "lstm_mnist.npz"
        shutil.copyfile(checkpoint, shared)
        shared.chmod(0o444)
        teacher.chmod(0o555)

        repository = top / REPOSITORY  # a bare repository with this checkout's HEAD as its main branch
        for command in (["git", "init", "--quiet", "--bare", "--initial-branch=main", str(repository)],
                        ["git", "-C", str(ROOT), "push", "--quiet", str(repository), "HEAD:refs/heads/main"],
                        ["chmod", "-R", "a+rX", str(repository)]):
            subprocess.run(command, check=True, timeout=120)

        homes = top / "homes"
        homes.mkdir(mode=0o755)
        temporary = top / "tmp"  # each student's $TMPDIR is a private folder in it
        temporary.mkdir(mode=0o755)
        # as root, each student's server runs as the student's own uid, if that uid can run this Python
        needed = (sys.executable, sys.base_prefix, sys.prefix, ROOT)
        separate = os.geteuid() == 0 and all(reachable_by_everyone(path) for path in needed)
        uids = dict(zip(STUDENTS, unused_uids(len(STUDENTS)))) if separate else {}
        environment = {"RNNLESSON_CHECKPOINT": str(shared)}
        if uids:  # git refuses to read a repository another user owns unless told it is safe
            trusted = top / "gitconfig"
            trusted.write_text(f"[safe]\n\tdirectory = {repository}\n")
            environment["GIT_CONFIG_GLOBAL"] = str(trusted)
        for student in STUDENTS:
            home = homes / student
            home.mkdir(mode=0o700)
            (temporary / student).mkdir(mode=0o700)
            # a user's JupyterLab settings: no "fetch news?" pop-up over the notebook
            settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
            settings.mkdir(parents=True)
            (settings / "notification.jupyterlab-settings").write_text(
                json.dumps({"fetchNews": "false", "checkForUpdates": False}))
            write_windowing_off(home / ".jupyter" / "lab" / "user-settings")
            if student in uids:
                owner = f"{uids[student]}:{uids[student]}"
                subprocess.run(["chown", "-R", owner, str(home), str(temporary / student)], check=True, timeout=60)
        yield {"students": STUDENTS, "top": top, "teacher": teacher, "checkpoint": shared,
               "checkpoint_sha256": hashlib.sha256(shared.read_bytes()).hexdigest(),
               "checkpoint_mtime": shared.stat().st_mtime_ns, "repository": repository, "homes": homes, "uids": uids,
               "temporary": temporary, "environment": environment}
    finally:
        if (top / "teacher").exists():
            (top / "teacher").chmod(0o755)
        shutil.rmtree(top, ignore_errors=True)


def carrying(marker):
    """Pids of the processes whose environment holds marker (everything the hub started, at any depth)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def stop_everything(hub, marker):
    """Stop the hub (it stops the proxy and the students' servers), then kill whatever is left, by group."""
    if hub.poll() is None:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGKILL)
            hub.wait(timeout=30)
    for signal_number, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        left = carrying(marker)
        for pid in left:
            try:
                group = os.getpgid(pid)
                if group != os.getpgrp():  # the hub has its own session: never our own group
                    os.killpg(group, signal_number)
                os.kill(pid, signal_number)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while carrying(marker) and time.monotonic() < deadline:
            time.sleep(0.5)
    left = carrying(marker)
    assert not left, f"processes the hub started are still running: {left}"


@pytest.fixture(scope="module")
def hub(proxy, classroom):  # proxy first: skip before a checkpoint is trained
    """A JupyterHub on a loopback port; stopped with everything it started, also when a test fails."""
    state = classroom["top"] / "hub"
    state.mkdir(mode=0o700)
    run = os.urandom(8).hex()  # marks every process of this hub, down to the kernels
    marker = f"RNNLESSON_HUB_RUN={run}"
    token = os.urandom(16).hex()
    port = free_port()
    settings = {
        "port": port, "hub_port": free_port(), "proxy_api_port": free_port(), "proxy": proxy, "state": str(state),
        "students": list(STUDENTS), "homes": str(classroom["homes"]), "uids": classroom["uids"],
        "temporary": str(classroom["temporary"]),
        "api_token": token, "timeout": HUB_TIMEOUT_S,
        "environment": dict(classroom["environment"], RNNLESSON_HUB_RUN=run),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "jupyterhub.log", "w")
    environment = dict(os.environ, RNNLESSON_HUB_SETTINGS=json.dumps(settings), RNNLESSON_HUB_RUN=run)
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)], cwd=state,
                               env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    hub = {"base": f"http://127.0.0.1:{port}", "token": token, "process": process}
    try:
        wait_until_serving(f"{hub['base']}/hub/api/", process, HUB_TIMEOUT_S, "JupyterHub", "jupyterhub.log")
        yield hub
    finally:
        try:
            stop_everything(process, marker)
        finally:
            log.close()
