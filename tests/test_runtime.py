import math
import os
import subprocess
import sys

import pytest

import rnnlesson
from rnnlesson import runtime


def run_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_tensorflow_starts_quietly_with_threads_for_its_cpus_and_warns_when_too_late():
    """One process: the start prints nothing; the threads fit the CPUs and say why; a later change is refused."""
    result = run_python(
        "from rnnlesson import runtime; tf = runtime.prepare(); "
        "from rnnlesson import config, model; model.build(config.Config()); print(runtime.describe()); "
        "runtime.prepare(); runtime.prepare(3, 3)"
    )
    assert result.returncode == 0, result.stderr
    cpus = runtime.usable_cpus()
    inter, intra = runtime.threads_for(cpus)
    assert result.stdout.strip().endswith(f"threads: inter-op {inter}, intra-op {intra} (chosen for the {cpus} "
                                          f"CPU{'s' if cpus != 1 else ''} this process may use)"), result.stderr
    # nothing on stderr but one warning: asking again for the same threads is no change
    warning, = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("  ")]
    assert f"UserWarning: TensorFlow had already run, so its threads stay at inter-op {inter}, intra-op {intra} " \
           "(asked for 3 and 3)" in warning and "restart the kernel" in warning, result.stderr


def test_threads_are_set_before_the_first_operation():
    result = run_python(
        "from rnnlesson import runtime; tf = runtime.prepare(3, 4); "
        "print(tf.config.threading.get_inter_op_parallelism_threads(), "
        "tf.config.threading.get_intra_op_parallelism_threads()); print(runtime.describe())"
    )
    numbers, description = result.stdout.splitlines()
    assert numbers.split() == ["3", "4"], result.stderr
    assert description.endswith("threads: inter-op 3, intra-op 4 (as asked)")


def test_one_cpu_gets_one_thread_of_each_kind():
    """As in a hub pod limited to one CPU: taskset leaves the process one."""
    one_cpu = subprocess.run(["taskset", "-c", "0", sys.executable, "-c",
                              "from rnnlesson import runtime; runtime.prepare(); print(runtime.describe())"],
                             capture_output=True, text=True, timeout=300)
    assert one_cpu.stdout.strip().endswith("threads: inter-op 1, intra-op 1 (chosen for the 1 CPU this "
                                           "process may use)"), one_cpu.stderr


def test_affinity_counts_the_cpus(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert runtime.usable_cpus() == 1


def make_cgroups(root, proc_line, files):
    (root / "proc/self").mkdir(parents=True)
    (root / "proc/self/cgroup").write_text(proc_line + "\n")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text + "\n")
    return root


@pytest.mark.parametrize(("proc_line", "files", "quota"), [
    ("0::/", {"sys/fs/cgroup/cpu.max": "max 100000"}, None),
    ("0::/user/pod", {"sys/fs/cgroup/user/pod/cpu.max": "150000 100000"}, 1.5),
    ("0::/pod", {"sys/fs/cgroup/cpu.max": "25000 100000"}, 0.25),  # the pod's own folder is not mounted
    ("4:cpu,cpuacct:/kubepods/pod1", {"sys/fs/cgroup/cpu/kubepods/pod1/cpu.cfs_quota_us": "200000",
                                      "sys/fs/cgroup/cpu/kubepods/pod1/cpu.cfs_period_us": "100000"}, 2.0),
    ("1:cpu:/", {"sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1", "sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000"}, None),
])
def test_cgroup_cpu_quota_caps_the_cpus(tmp_path, proc_line, files, quota):
    root = make_cgroups(tmp_path, proc_line, files)
    cpus = len(os.sched_getaffinity(0))
    expected = cpus if quota is None else min(cpus, max(1, math.floor(quota)))
    assert runtime.usable_cpus(root) == expected


def test_no_cgroup_files_means_no_quota(tmp_path):
    assert runtime.usable_cpus(tmp_path) == len(os.sched_getaffinity(0))


@pytest.mark.parametrize(("cpus", "expected"), [(1, (1, 1)), (2, (2, 1)), (3, (3, 1)), (8, (4, 1)), (16, (4, 1))])
def test_threads_for_never_asks_more_threads_than_cpus(cpus, expected):
    inter, intra = runtime.threads_for(cpus)
    assert (inter, intra) == expected
    assert inter * intra <= cpus


def test_a_failed_import_shows_what_was_hidden(monkeypatch):
    code = (
        "import sys, os; from rnnlesson import runtime\n"
        "class Broken:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'tensorflow':\n"
        "            os.write(2, b'native loader says why\\n'); raise ImportError('no tensorflow here')\n"
        "sys.meta_path.insert(0, Broken())\n"
        "runtime.prepare()\n"
    )
    result = run_python(code)
    assert result.returncode != 0
    assert "native loader says why" in result.stderr and "no tensorflow here" in result.stderr


def test_describe_names_versions_and_threads():
    from importlib import metadata

    line = runtime.describe()
    assert f"TensorFlow {metadata.version('tensorflow')}, Keras {metadata.version('keras')}" in line
    assert f"NumPy {metadata.version('numpy')}" in line
    # conftest.py called runtime.prepare() with its defaults before any TensorFlow operation
    inter, intra = runtime.threads_for(runtime.usable_cpus())
    assert f"threads: inter-op {inter}, intra-op {intra} (chosen for the" in line


def test_show_source_prints_the_code(capsys):
    rnnlesson.show_source(runtime.prepare)
    assert capsys.readouterr().out.startswith("def prepare(")


@pytest.mark.parametrize(("line", "expected"), [
    ("flags\t\t: fpu avx512f avx512_bf16 avx512_vnni", True),
    ("flags\t\t: fpu avx2 amx_tile amx_bf16", True),
    ("Features\t: fp asimd bf16 i8mm", True),
    ("flags\t\t: fpu sse2 avx2 fma", False),
])
def test_cpu_has_bfloat16_reads_the_cpu_flags(tmp_path, line, expected):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\n{line}\n\n")
    assert runtime.cpu_has_bfloat16(cpuinfo) is expected


def test_cpu_has_bfloat16_unknown_without_cpuinfo(tmp_path):
    assert runtime.cpu_has_bfloat16(tmp_path / "missing") is None


def test_cpu_has_bfloat16_reads_the_file_named_by_the_environment(tmp_path, monkeypatch):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\n\n")
    monkeypatch.setenv("RNNLESSON_CPUINFO", str(cpuinfo))
    assert runtime.cpu_has_bfloat16() is False


@pytest.mark.parametrize("threads", [-1, 2.5, "2", True])
def test_prepare_refuses_thread_counts_that_are_not_whole_numbers(threads):
    with pytest.raises(ValueError, match=f"inter_op_threads must be a whole number >= 0 .*got {threads!r}"):
        runtime.prepare(inter_op_threads=threads)
    with pytest.raises(ValueError, match="intra_op_threads must be a whole number >= 0"):
        runtime.prepare(intra_op_threads=threads)


def test_show_source_of_a_name_says_to_pass_the_function():
    with pytest.raises(TypeError, match=r"show_source\(runtime.prepare\) rather than show_source\('runtime.prepare'\)"):
        rnnlesson.show_source("runtime.prepare")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_available_memory_is_the_smaller_of_memavailable_and_the_cgroup_room(tmp_path, version):
    (tmp_path / "proc/self").mkdir(parents=True)
    (tmp_path / "proc/meminfo").write_text("MemTotal:  16000000 kB\nMemAvailable:   8000000 kB\n")
    if version == "v2":
        (tmp_path / "proc/self/cgroup").write_text("0::/pod\n")
        folder, files = tmp_path / "sys/fs/cgroup/pod", ("memory.max", "memory.current")
    else:
        (tmp_path / "proc/self/cgroup").write_text("4:memory:/pod\n1:cpu:/\n")
        folder, files = tmp_path / "sys/fs/cgroup/memory/pod", ("memory.limit_in_bytes", "memory.usage_in_bytes")
    folder.mkdir(parents=True)
    (folder / files[0]).write_text("max\n")
    (folder / files[1]).write_text("1000\n")
    assert runtime.available_memory(tmp_path) == 8000000 * 1024  # no cgroup limit
    (folder / files[0]).write_text(f"{2**30}\n")
    assert runtime.available_memory(tmp_path) == 2**30 - 1000
