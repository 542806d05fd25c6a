import subprocess
import sys

import pytest

import rnnlesson
from rnnlesson import runtime


def run_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_tensorflow_starts_quietly():
    result = run_python(
        "from rnnlesson import runtime; tf = runtime.prepare(); "
        "from rnnlesson import config, model; model.build(config.Config())"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr


def test_threads_are_set_before_the_first_operation():
    result = run_python(
        "from rnnlesson import runtime; tf = runtime.prepare(3, 4); "
        "print(tf.config.threading.get_inter_op_parallelism_threads(), "
        "tf.config.threading.get_intra_op_parallelism_threads()); print(runtime.describe())"
    )
    numbers, description = result.stdout.splitlines()
    assert numbers.split() == ["3", "4"], result.stderr
    assert description.endswith("threads: inter-op 3, intra-op 4")


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
    assert line.endswith("threads: inter-op 2, intra-op 1")


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


@pytest.mark.parametrize("threads", [-1, 2.5, "2", True, None])
def test_prepare_refuses_thread_counts_that_are_not_whole_numbers(threads):
    with pytest.raises(ValueError, match=f"inter_op_threads must be a whole number >= 0 .*got {threads!r}"):
        runtime.prepare(inter_op_threads=threads)
    with pytest.raises(ValueError, match="intra_op_threads must be a whole number >= 0"):
        runtime.prepare(intra_op_threads=threads)


def test_show_source_of_a_name_says_to_pass_the_function():
    with pytest.raises(TypeError, match=r"show_source\(runtime.prepare\) rather than show_source\('runtime.prepare'\)"):
        rnnlesson.show_source("runtime.prepare")
