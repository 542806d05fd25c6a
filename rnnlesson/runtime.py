"""Start TensorFlow quietly and with CPU threads set, before its first operation."""

import contextlib
import math
import os
import sys
import tempfile
import warnings
from pathlib import Path

from rnnlesson.config import whole_number


@contextlib.contextmanager
def _stderr_to_file():
    """Send the process's C-level stderr to a temporary file; give back its text on error."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            sink.seek(0)
            sys.stderr.write(sink.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def usable_cpus(root="/"):
    """How many CPUs this process may use: its CPU affinity, capped by a cgroup CPU quota (a hub pod's limit).

    A quota of 1.5 CPUs counts as 1 (a second thread would be throttled half the time); never less than 1.
    root: where /proc and /sys are found (for the tests).
    """
    root = Path(root)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        cpus = os.cpu_count() or 1
    quota = _cgroup_quota(root)
    if quota is not None:
        cpus = min(cpus, max(1, math.floor(quota)))
    return cpus


def _cgroups(root):
    """(controllers, place) of each of this process's cgroups; controllers is "" for cgroup v2."""
    try:
        lines = (root / "proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    return [(controllers, place.lstrip("/")) for _, controllers, place in (line.split(":", 2) for line in lines)]


def _cgroup_quota(root):
    """This process's cgroup CPU quota in CPUs (v2 cpu.max, v1 cpu.cfs_quota_us), or None if it has none."""
    cgroups, quotas = root / "sys/fs/cgroup", []
    for controllers, place in _cgroups(root):
        if controllers == "":  # v2: "max 100000" (no limit) or "150000 100000" (quota, period in µs)
            values = _words(cgroups / place / "cpu.max") or _words(cgroups / "cpu.max")
            if values and values[0] != "max":
                quotas.append(int(values[0]) / int(values[1]))
        elif "cpu" in controllers.split(","):  # v1: a quota of -1 means no limit
            folder = cgroups / "cpu" / place
            quota, period = _words(folder / "cpu.cfs_quota_us"), _words(folder / "cpu.cfs_period_us")
            if quota and period and int(quota[0]) > 0:
                quotas.append(int(quota[0]) / int(period[0]))
    return min(quotas) if quotas else None


def available_memory(root="/"):
    """Bytes this process may still allocate: MemAvailable of /proc/meminfo (else os.sysconf), capped by what is
    left under its cgroup memory limit (a hub pod's); None if neither can be read. root: as for usable_cpus.
    """
    root = Path(root)
    rooms = [_cgroup_memory_room(root)]
    try:
        meminfo = dict(line.split(":", 1) for line in (root / "proc/meminfo").read_text().splitlines() if ":" in line)
        rooms.append(int(meminfo["MemAvailable"].split()[0]) * 1024)
    except (OSError, KeyError, ValueError):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            rooms.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    rooms = [room for room in rooms if room is not None]
    return min(rooms) if rooms else None


def _cgroup_memory_room(root):
    """Bytes left under this process's cgroup memory limit (v2 memory.max, v1 memory.limit_in_bytes), or None."""
    cgroups, rooms = root / "sys/fs/cgroup", []
    for controllers, place in _cgroups(root):
        if controllers == "":  # v2: memory.max is "max" without a limit
            folder, limit, used = cgroups / place, "memory.max", "memory.current"
        elif "memory" in controllers.split(","):
            folder = cgroups / "memory" / place
            limit, used = "memory.limit_in_bytes", "memory.usage_in_bytes"
        else:
            continue
        limit, used = _words(folder / limit), _words(folder / used)
        if limit and used and limit[0].isdigit():
            rooms.append(int(limit[0]) - int(used[0]))
    return min(rooms) if rooms else None


def _words(file):
    """The words of a small cgroup file, or None if it cannot be read."""
    try:
        return file.read_text().split()
    except OSError:
        return None


def threads_for(cpus):
    """(inter-op, intra-op) threads for the lesson on this many CPUs: one inter-op thread per CPU, at most 4.

    Every product in a step is small (64 images x 256 inputs x 1,024 gate inputs), too small to gain from
    being split across cores, so intra-op stays 1. Inter-op threads run independent products side by side:
    layer 1 on row t + 1 while layer 2 is on row t, and in the backward pass a weight gradient beside the
    chain of state gradients, about four at a time for two layers; more threads would find nothing to do.
    `python benchmarks/threads.py` times the alternatives on a machine.
    """
    return min(max(cpus, 1), 4), 1


_chosen = {}


def prepare(inter_op_threads=None, intra_op_threads=None):
    """Import TensorFlow with its start-up log lines hidden and fix its thread pools.

    TensorFlow's C++ core prints device and CPU-feature lines when it loads and
    when it first touches a device; they say nothing about the lesson. They go
    to a temporary file (shown if the import fails). The threads default to
    threads_for(usable_cpus()); they only take effect before the first TensorFlow
    operation, so call this first.

    Returns the tensorflow module.
    """
    for name, value in (("inter_op_threads", inter_op_threads), ("intra_op_threads", intra_op_threads)):
        if value is not None:
            whole_number(value, f"prepare(): {name}", 0,
                         note=" (0 lets TensorFlow choose; leave it out to fit the CPUs this process may use)")
    cpus = usable_cpus()
    inter_default, intra_default = threads_for(cpus)
    wanted = (inter_default if inter_op_threads is None else inter_op_threads,
              intra_default if intra_op_threads is None else intra_op_threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with _stderr_to_file():
        import tensorflow as tf

        threading = tf.config.threading
        try:
            threading.set_inter_op_parallelism_threads(wanted[0])
            threading.set_intra_op_parallelism_threads(wanted[1])
            _chosen.update(cpus=cpus, chosen=(inter_op_threads, intra_op_threads) == (None, None))
        except RuntimeError:
            pass  # TensorFlow had already run: it keeps the threads it has
        tf.config.list_logical_devices()  # initialise the devices while stderr is hidden
    current = (threading.get_inter_op_parallelism_threads(), threading.get_intra_op_parallelism_threads())
    if current != wanted:
        warnings.warn(
            f"TensorFlow had already run, so its threads stay at inter-op {current[0]}, intra-op {current[1]} "
            f"(asked for {wanted[0]} and {wanted[1]}). To change them, restart the kernel and run "
            "runtime.prepare() before anything else.", stacklevel=2)
    return tf


def describe():
    """A one-line summary of the versions and threads in use, and why those threads."""
    import keras
    import numpy as np
    import tensorflow as tf

    threading = tf.config.threading
    inter, intra = threading.get_inter_op_parallelism_threads(), threading.get_intra_op_parallelism_threads()
    if _chosen.get("chosen") and (inter, intra) == threads_for(_chosen["cpus"]):
        cpus = _chosen["cpus"]
        why = f" (chosen for the {cpus} CPU{'s' if cpus != 1 else ''} this process may use)"
    elif _chosen:
        why = " (as asked)"
    else:
        why = " (TensorFlow's own: runtime.prepare() was not called first)"
    return (
        f"Python {sys.version.split()[0]}, TensorFlow {tf.__version__}, Keras {keras.__version__}, "
        f"NumPy {np.__version__}; threads: inter-op {inter}, intra-op {intra}{why}"
    )


def cpu_has_bfloat16(cpuinfo=None):
    """True if the CPU has bfloat16 arithmetic (x86 AVX512_BF16 or AMX, Arm BF16), False if not, None if unknown.

    Reads /proc/cpuinfo, or the file named by $RNNLESSON_CPUINFO (to run everything as on another CPU).
    """
    cpuinfo = cpuinfo or os.environ.get("RNNLESSON_CPUINFO") or "/proc/cpuinfo"
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return None  # not Linux: nothing to read, so no verdict
    flags = set()
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            flags.update(line.partition(":")[2].split())
    return bool(flags & {"avx512_bf16", "amx_bf16", "bf16"})
