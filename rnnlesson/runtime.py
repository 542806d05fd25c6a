"""Start TensorFlow quietly and with CPU threads set, before its first operation."""

import contextlib
import os
import sys
import tempfile
from pathlib import Path


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


def prepare(inter_op_threads=2, intra_op_threads=1):
    """Import TensorFlow with its start-up log lines hidden and fix its thread pools.

    TensorFlow's C++ core prints device and CPU-feature lines when it loads and
    when it first touches a device; they say nothing about the lesson. They go
    to a temporary file (shown if the import fails). Thread settings only take
    effect before the first TensorFlow operation, so call this first.

    Returns the tensorflow module.
    """
    for name, value in (("inter_op_threads", inter_op_threads), ("intra_op_threads", intra_op_threads)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"prepare(): {name} must be a whole number >= 0 (0 lets TensorFlow choose), "
                             f"got {value!r}.")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with _stderr_to_file():
        import tensorflow as tf

        try:
            tf.config.threading.set_inter_op_parallelism_threads(inter_op_threads)
            tf.config.threading.set_intra_op_parallelism_threads(intra_op_threads)
        except RuntimeError:
            pass  # TensorFlow had already started: it keeps the threads it has
        tf.config.list_logical_devices()  # initialise the devices while stderr is hidden
    return tf


def describe():
    """A one-line summary of the versions and threads in use."""
    import keras
    import numpy as np
    import tensorflow as tf

    threading = tf.config.threading
    return (
        f"Python {sys.version.split()[0]}, TensorFlow {tf.__version__}, Keras {keras.__version__}, "
        f"NumPy {np.__version__}; threads: inter-op {threading.get_inter_op_parallelism_threads()}, "
        f"intra-op {threading.get_intra_op_parallelism_threads()}"
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
