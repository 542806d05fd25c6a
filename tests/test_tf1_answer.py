"""The tutorial's question in its own TF1 terms: with keep_prob = 1, `outputs[-1]` is `state[-1].h` (`state[-1][1]`).

Runs the tutorial's graph (DropoutWrapper around LSTMCell, MultiRNNCell, the loop over 28 rows) with the legacy
tf-keras, in a process of its own: TF1's cells are not available with Keras 3. Skipped without tf-keras
(`pip install -e ".[bench]"` installs it).
"""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

TUTORIALS_GRAPH = r"""
import json
import numpy as np
import tensorflow as tf

v1 = tf.compat.v1
v1.disable_eager_execution()
rnn = v1.nn.rnn_cell
found = {}
for keep in (1.0, 0.5):
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(0)
        X = v1.placeholder(tf.float32, [None, 28, 28])
        keep_prob = v1.placeholder(tf.float32, [])
        mlstm_cell = rnn.MultiRNNCell([rnn.DropoutWrapper(rnn.LSTMCell(16, forget_bias=1.0), output_keep_prob=keep_prob)
                                       for _ in range(2)], state_is_tuple=True)
        state = mlstm_cell.zero_state(5, tf.float32)
        outputs = []
        with v1.variable_scope("RNN"):
            for timestamp in range(28):
                if timestamp > 0:
                    v1.get_variable_scope().reuse_variables()
                (output, state) = mlstm_cell(X[:, timestamp, :], state)
                outputs.append(output)
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            images = np.random.default_rng(0).random((5, 28, 28)).astype(np.float32)
            _outputs, _state = sess.run([outputs, state], {X: images, keep_prob: keep})
    top = _state[-1]
    found[str(keep)] = {"pair": type(top).__name__, "h_is_index_1": bool(np.array_equal(top[1], top.h)),
                        "output_minus_h": float(np.abs(_outputs[-1] - top.h).max()),
                        "output_minus_c": float(np.abs(_outputs[-1] - top.c).max())}
print(json.dumps(found))
"""


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("tf_keras") is None, reason="needs tf-keras: pip install -e '.[bench]'")
def test_with_keep_prob_1_the_last_output_is_the_top_layers_h():
    environment = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
    run = subprocess.run([sys.executable, "-c", TUTORIALS_GRAPH], capture_output=True, text=True, env=environment,
                         timeout=600, check=True)
    found = json.loads(run.stdout.strip().splitlines()[-1])
    kept, dropped = found["1.0"], found["0.5"]
    assert kept["pair"] == "LSTMStateTuple" and kept["h_is_index_1"]  # TF1's pair is (c, h)
    assert kept["output_minus_h"] == 0.0 and kept["output_minus_c"] > 0  # the output is h, not c
    assert dropped["output_minus_h"] > 0  # with dropout, a dropped copy of h
