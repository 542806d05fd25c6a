"""Counting a step's matrix products, and the side-by-side benchmark's own arithmetic and plumbing."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import keras
import pytest
import tensorflow as tf

from rnnlesson import model, speed, train
from rnnlesson.config import Config

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("compare_speed", ROOT / "benchmarks" / "compare_speed.py")
compare_speed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_speed)


def test_products_of_a_plain_function_are_counted_with_transposes():
    @tf.function
    def products(a, b):
        return tf.matmul(a, b, transpose_a=True), tf.matmul(b, a, transpose_a=True), tf.matmul(a, a, transpose_b=True)

    shapes = speed.matrix_products(products, tf.TensorSpec([3, 4]), tf.TensorSpec([3, 5]))
    assert shapes == [(4, 3, 5), (5, 3, 4), (3, 4, 3)]
    assert speed.gflop(shapes) == 2 * (60 + 60 + 36) / 1e9


def test_unknown_batch_size_is_refused():
    @tf.function
    def product(a, b):
        return tf.matmul(a, b)

    with pytest.raises(ValueError, match="batch size"):
        speed.matrix_products(product, tf.TensorSpec([None, 3]), tf.TensorSpec([3, 2]))


def test_benchmark_formula_counts_the_lesson_graphs_products():
    """The benchmark's floor rests on training_gflop(): the compiled step's own graph must agree."""
    config = Config()
    network = model.build(config)
    step = train.make_train_step(network, keras.optimizers.Adam(config.lr))
    shapes = speed.matrix_products(step, *speed.train_step_specs(config))
    assert speed.gflop(shapes) == pytest.approx(compare_speed.training_gflop(), rel=1e-12)
    # per row and layer: x W and h U forward; for each, a weight gradient and (but for the images) an input one
    assert len(shapes) == 28 * 2 * 2 * 3 - 28 - 2 + 3


def test_targets_are_judged_from_medians():
    checks = dict(compare_speed.targets(
        {"lesson_fp32": 40.0, "torch_fp32": 50.0, "tf1_session": 39.0, "floor": 25.0,
         "lesson_bf16": 30.0, "torch_bf16": 30.0}))
    assert [met for met in checks.values()] == [True, False, True, True]
    assert compare_speed.targets({"lesson_fp32": 40.0}) == []


@pytest.mark.slow  # trains the full-size network, a block of iterations per implementation
def test_benchmark_runs_and_skips_what_is_not_installed():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "compare_speed.py"), "--rounds", "1", "--block", "2",
         "--only", "lesson_fp32,tf1_session,torch_fp32"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    table = result.stdout
    assert "lesson_fp32" in table and "ms per training iteration" in table
    for name, module in (("tf1_session", "tf_keras"), ("torch_fp32", "torch")):
        installed = importlib.util.find_spec(module) is not None
        assert (f"skipping {name}: needs {module}" in table) is not installed


def test_benchmark_refuses_unknown_names():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "compare_speed.py"), "--only", "lesson_fp64"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "unknown names ['lesson_fp64']" in result.stderr
