"""A class on JupyterHub: three students log in at the same time, get the lesson through an nbgitpuller link,
run notebook 03 against the teacher's shared read-only checkpoint and move its explorer."""

import hashlib
import os
import re
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from test_browser import ALL_CELLS_DONE, PANEL, assert_widgets_rendered, kernel_is_idle, move_the_explorer

pytestmark = pytest.mark.hub

NOTEBOOK = "03_step_probabilities.ipynb"
PAGE_TIMEOUT_S = 300  # login, spawn, clone and JupyterLab's start, three students on a small machine
KERNEL_TIMEOUT_S = 120
RUN_ALL_TIMEOUT_S = 1200  # notebook 03, three kernels at once


def processes():
    """{pid: (parent pid, command line)} of every process we may read."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                found[int(entry.name)] = (parent, (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except (OSError, IndexError, ValueError):
                pass  # it ended meanwhile
    return found


def nbgitpuller_link(repository, branch="main"):
    """The link a teacher hands out: the hub clones (or updates) the lesson in the student's home, then opens it."""
    query = urllib.parse.urlencode({"repo": f"file://{repository}", "branch": branch,
                                    "urlpath": f"lab/tree/{repository.name}/notebooks/{NOTEBOOK}"})
    return f"/hub/user-redirect/git-pull?{query}"


def advance(name, student, artifacts):
    """Take the student's next step if they are ready for it: open the notebook, run it all, move the explorer."""
    page, stage, waited = student["page"], student["stage"], time.monotonic() - student["since"]
    if stage == "login":  # the hub spawns the server, nbgitpuller clones the lesson, JupyterLab opens 03
        if page.locator(f"{PANEL} .jp-Cell").first.is_visible():
            expected = f"/user/{name}/lab/tree/{student['repository']}/notebooks/{NOTEBOOK}"
            assert page.url.split("?")[0].endswith(expected), page.url
            next_stage = "opened"
        else:
            text = page.locator("body").inner_text() if page.locator("body").count() else ""
            failed = r"Spawn failed|Internal Server Error|\b500 :|Remote content unavailable|fatal: "
            assert not re.search(failed, text), f"{name}: {text[:2000]}"
            assert waited < PAGE_TIMEOUT_S, f"{name}: no notebook within {PAGE_TIMEOUT_S} s; page {page.url}"
            return
    elif stage == "opened":  # its kernel starts (a "Select Kernel" dialog may ask first), then Run All
        select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
        if select.is_visible():
            select.click()
        if not kernel_is_idle(student["lab"], NOTEBOOK):
            assert waited < KERNEL_TIMEOUT_S, f"{name}: no idle kernel within {KERNEL_TIMEOUT_S} s"
            return
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        next_stage = "running"
    elif stage == "running":
        outcome = page.evaluate(ALL_CELLS_DONE)
        errors = page.locator(f'{PANEL} [data-mime-type="application/vnd.jupyter.error"]')
        assert outcome != "error", f"{name}: a cell failed: {errors.first.inner_text()[:2000]}"
        if outcome != "done":
            assert waited < RUN_ALL_TIMEOUT_S, f"{name}: notebook 03 did not finish within {RUN_ALL_TIMEOUT_S} s"
            return
        student["ran"] = time.monotonic() - student["login"]
        assert_widgets_rendered(page)
        text = page.locator(PANEL).inner_text()
        progress_bars = page.locator(f"{PANEL} .widget-progress").count()
        trained = progress_bars or re.search(r"training:?\s+\d+%|No checkpoint", text)
        assert not trained, f"{name}'s notebook trained a network (a progress bar or message in its outputs)"
        move_the_explorer(page, artifacts, f"hub_{name}")
        student["explorer"] = time.monotonic() - student["login"]
        page.screenshot(path=str(artifacts / f"hub_{name}.png"))
        next_stage = "done"
    else:
        return
    student["stage"], student["since"] = next_stage, time.monotonic()


def memory_kib():
    fields = dict(line.split(":") for line in Path("/proc/meminfo").read_text().splitlines())
    return {name: int(fields[name].split()[0]) for name in ("MemTotal", "MemAvailable")}


def memory_of(pid, field="Rss"):
    """A process's resident memory in KiB: "Rss" counts shared libraries in full, "Pss" only its share of them."""
    try:
        rollup = (Path("/proc") / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(rf"^{field}:\s+(\d+) kB", rollup, re.MULTILINE)
    return int(found.group(1)) if found else 0


def cpu_seconds(pid):
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def class_processes(hub):
    """Per student: (server pid, kernel pids), found under the hub's process."""
    table = processes()
    children = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found = {}
    for pid in children.get(hub["process"].pid, []):
        command = table[pid][1]
        if "jupyterhub.singleuser" in command:
            user = Path(os.readlink(f"/proc/{pid}/cwd")).name
            kernels = [kid for kid in children.get(pid, []) if "ipykernel" in table[kid][1]]
            found[user] = (pid, kernels)
    return found


def report_memory(hub, before):
    now = memory_kib()
    lines = [f"machine: {now['MemTotal'] / 1024:.0f} MiB total; available {before['MemAvailable'] / 1024:.0f} MiB "
             f"before the hub, {now['MemAvailable'] / 1024:.0f} MiB with three kernels (other work on the machine "
             "counts too)"]
    total = {"Rss": 0, "Pss": 0}
    for user, (server, kernels) in sorted(class_processes(hub).items()):
        figures = {}
        for field in total:
            figures[field] = (memory_of(server, field), sum(memory_of(pid, field) for pid in kernels))
            total[field] += sum(figures[field])
        lines.append(f"{user}: server {figures['Rss'][0] / 1024:.0f} MiB RSS ({figures['Pss'][0] / 1024:.0f} PSS), "
                     f"{cpu_seconds(server):.1f} CPU-s; kernel {figures['Rss'][1] / 1024:.0f} MiB RSS "
                     f"({figures['Pss'][1] / 1024:.0f} PSS), {sum(cpu_seconds(pid) for pid in kernels):.1f} CPU-s")
    lines.append(f"three students' servers and kernels: {total['Rss'] / 1024:.0f} MiB RSS, "
                 f"{total['Pss'] / 1024:.0f} MiB PSS; hub {memory_of(hub['process'].pid) / 1024:.0f} MiB RSS")
    return lines


def owned_outside_homes(classroom):
    """Paths a student's uid owns outside that student's home and $TMPDIR: in the class's folder, /tmp, /dev/shm."""
    owners = {uid: student for student, uid in classroom["uids"].items()}
    own = {classroom["homes"], classroom["temporary"]}  # each student's folders in these: checked one by one
    strays = []
    for place in (classroom["top"], Path(tempfile.gettempdir()), Path("/dev/shm")):
        for folder, names, files in os.walk(place):
            folder = Path(folder)
            if folder in own:
                names.clear()
                continue
            names[:] = [name for name in names if folder / name != classroom["top"]]  # walked on its own
            for name in names + files:
                try:
                    owner = (folder / name).lstat().st_uid
                except OSError:
                    continue  # removed meanwhile
                if owner in owners:
                    strays.append(f"{owners[owner]}: {folder / name}")
    return strays


def test_three_students_run_notebook_03_at_once_from_the_teachers_checkpoint(browser, hub, classroom, artifacts):
    link = nbgitpuller_link(classroom["repository"])
    repository = classroom["repository"].name
    before = memory_kib()
    students, contexts = {}, []
    try:
        for name in classroom["students"]:  # all three log in before anyone's notebook runs
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            contexts.append(context)
            page = context.new_page()
            console = []
            page.on("console", lambda message, console=console: console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error, console=console: console.append(f"pageerror: {error}"))
            page.goto(f"{hub['base']}/hub/login?next={urllib.parse.quote(link)}", timeout=PAGE_TIMEOUT_S * 1000)
            page.fill("#username_input", name)
            page.fill("#password_input", f"{name}'s password")
            login = time.monotonic()
            page.click("#login_submit", no_wait_after=True)
            students[name] = {"page": page, "console": console, "login": login, "stage": "login", "since": login,
                              "repository": repository,
                              "lab": {"base": f"{hub['base']}/user/{name}", "token": hub["token"]}}

        # the three move on at their own pace: each step below is taken as soon as that student is ready for it
        while any(student["stage"] != "done" for student in students.values()):
            for name, student in students.items():
                advance(name, student, artifacts)
            time.sleep(1)
        memory = report_memory(hub, before)
    except BaseException:
        for name, student in students.items():
            student["page"].screenshot(path=str(artifacts / f"FAILED_hub_{name}.png"), full_page=True)
            (artifacts / f"FAILED_hub_{name}_console.log").write_text("\n".join(student["console"]))
        raise
    finally:
        for context in contexts:
            context.close()

    print()
    for name, student in students.items():
        print(f"{name}: from login to notebook 03 run {student['ran']:.0f} s, "
              f"to a working explorer {student['explorer']:.0f} s")
    print("\n".join(memory))
    left = {name: sum(1 for _ in (classroom["temporary"] / name).rglob("*")) for name in classroom["students"]}
    print(f"files left in each student's $TMPDIR: {left}")
    separate = ", ".join(f"{name} uid {uid}" for name, uid in classroom["uids"].items())
    print(f"students ran as: {separate or 'the hub user, one uid for all (Python is not reachable by other users)'}")

    # the teacher's checkpoint was read, never written; no student trained or saved one of their own
    assert hashlib.sha256(classroom["checkpoint"].read_bytes()).hexdigest() == classroom["checkpoint_sha256"]
    assert classroom["checkpoint"].stat().st_mtime_ns == classroom["checkpoint_mtime"]
    assert [path.name for path in classroom["teacher"].iterdir()] == ["lstm_mnist.npz"]
    saved = [str(path) for path in classroom["homes"].rglob("*") if re.match(r"lstm_mnist.*\.npz", path.name)]
    assert not saved, f"checkpoints written in the students' homes: {saved}"
    # each student's lesson is their own copy, in their own home; their temporary files in their own $TMPDIR
    for name in classroom["students"]:
        home = classroom["homes"] / name
        assert (home / repository / "notebooks" / NOTEBOOK).is_file()
        if name in classroom["uids"]:
            for folder in (home, classroom["temporary"] / name):
                others = [str(path) for path in folder.rglob("*") if path.lstat().st_uid != classroom["uids"][name]]
                assert not others, f"files in {name}'s {folder} that {name} does not own: {others[:5]}"
    if classroom["uids"]:
        strays = owned_outside_homes(classroom)
        assert not strays, f"students' files outside their homes and $TMPDIR: {strays[:10]}"
