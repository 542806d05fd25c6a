"""The lesson's training step side by side with keras.layers.LSTM, the tutorial's TF1 graph and PyTorch.

    python benchmarks/compare_speed.py [--rounds 7] [--block 40] [--only lesson_fp32,torch_fp32,...]

Every implementation trains the tutorial's network (2 x 256 LSTM with output dropout 0.5, W and b,
softmax cross-entropy, Adam 1e-3, batches of 64 from the embedded MNIST) in a process of its own, at its
own best thread setting. The processes take turns: each round times one block of iterations of every
implementation, so a slow minute of the machine hits them all alike. Printed per implementation:
min / median / max ms per iteration over the rounds, the ratio to the lesson's float32 step, and the
share of the matmul floor (the iteration's 8.60 GFLOP of matrix products at the best fp32 matmul speed
measured here). Peers that need tf-keras or torch are skipped with a message when those are missing:
`pip install -e ".[bench]"` installs them (torch's CPU build).
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = {  # name: (what it is, thread setting, modules it needs)
    "lesson_fp32": ("the lesson's model, as notebook 01 trains it", "TF inter-op 2 / intra-op 1", ()),
    "lesson_bf16": ("the same, Config(precision='mixed_bfloat16')", "TF inter-op 2 / intra-op 1", ()),
    "keras_lstm": ("keras.layers.LSTM x 2 + Dropout, compiled step", "TF inter-op 2 / intra-op 1", ()),
    "tf1_session": ("the tutorial's TF1 graph in a tf.compat.v1 Session", "TF inter-op 2 / intra-op 1",
                    ("tf_keras",)),
    "matmuls_only": ("the lesson's unrolled graph with only its matrix products (gradients, no update)",
                     "TF inter-op 2 / intra-op 1", ()),
    "matmuls_only_bf16": ("the same products in bfloat16, weights cast once", "TF inter-op 2 / intra-op 1", ()),
    "torch_fp32": ("PyTorch nn.LSTM(num_layers=2, dropout=0.5)", "torch 2 threads", ("torch",)),
    "torch_bf16": ("the same under torch.autocast(bfloat16)", "torch 2 threads", ("torch",)),
}
FLOOR = "matmul_floor"


def training_gflop(batch=64, rows=28, pixels=28, units=256, classes=10):
    """Matrix-product work of one training iteration, in GFLOP.

    Forward: per row and layer, x W and h U into 4 gates; then h W_out. Backward: two products per
    forward one (gradient of the input and of the weight), except two that nobody needs: the gradient
    of the images (layer 1's x) and of the zero initial state (each layer's first h).
    """
    gates = 4 * units
    layer_1 = 2 * batch * rows * gates * (pixels + units)
    layer_2 = 2 * batch * rows * gates * (units + units)
    forward = layer_1 + layer_2 + 2 * batch * units * classes
    image_gradient = 2 * batch * rows * gates * pixels
    initial_state_gradients = 2 * (2 * batch * gates * units)
    return (3 * forward - image_gradient - initial_state_gradients) / 1e9


# ---------------------------------------------------------------- workers (one process each)

def tensorflow_worker(name):
    """Return step() for a TensorFlow implementation; thread settings come first."""
    if name == "tf1_session":
        os.environ["TF_USE_LEGACY_KERAS"] = "1"  # the TF1 cells need tf-keras behind tf.keras
    from rnnlesson import runtime

    tf = runtime.prepare(2, 1)
    import keras

    from rnnlesson import config as lesson_config
    from rnnlesson import data

    config = lesson_config.Config(precision="mixed_bfloat16" if name == "lesson_bf16" else "float32")
    keras.utils.set_random_seed(config.seed)
    mnist = data.load_mnist(seed=config.seed)
    if name.startswith("lesson"):
        from rnnlesson import model, train

        network = model.build(config)
        train_step = train.make_train_step(network, keras.optimizers.Adam(config.lr))
        return lambda: train_step(*mnist.train.next_batch(config.batch_size))[0].numpy()
    if name == "keras_lstm":
        return keras_lstm_step(tf, keras, config, mnist)
    if name.startswith("matmuls_only"):
        return matmuls_only_step(tf, keras, config, tf.bfloat16 if name.endswith("bf16") else tf.float32)
    return tf1_session_step(tf, config, mnist)


def keras_lstm_step(tf, keras, config, mnist):
    from rnnlesson import train

    layers = [keras.Input((config.timestamp_size, config.input_num))]
    for layer in range(config.lstm_num):
        last = layer == config.lstm_num - 1
        layers += [keras.layers.LSTM(config.num_hidden, return_sequences=not last),
                   keras.layers.Dropout(1 - config.keep_prob)]
    network = keras.Sequential(layers + [keras.layers.Dense(config.num_classes)])
    optimizer = keras.optimizers.Adam(config.lr)

    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            rows = tf.reshape(images, [-1, config.timestamp_size, config.input_num])
            loss = train.loss_from_logits(labels, network(rows, training=True))
        gradients = tape.gradient(loss, network.trainable_variables)
        optimizer.apply_gradients(zip(gradients, network.trainable_variables))
        return loss

    return lambda: train_step(*mnist.train.next_batch(config.batch_size)).numpy()


def matmuls_only_step(tf, keras, config, dtype):
    """The products of the lesson's step, wired as in the unrolled graph; gates, dropout, loss and Adam left out.

    It shows how long the matrix products alone take in this graph: the part no change to the
    element-wise code can remove.
    """
    initializer = keras.initializers.GlorotUniform(config.seed)
    gates = 4 * config.num_hidden
    sizes = [config.input_num] + [config.num_hidden] * (config.lstm_num - 1)
    weights = [(tf.Variable(initializer((size, gates))), tf.Variable(initializer((config.num_hidden, gates))))
               for size in sizes]
    images = tf.random.uniform([config.batch_size, config.timestamp_size, config.input_num], seed=config.seed)
    images = tf.cast(images, dtype)

    @tf.function
    def products():
        with tf.GradientTape() as tape:
            h = [tf.zeros([config.batch_size, config.num_hidden], dtype)] * config.lstm_num
            cast = [(tf.cast(kernel, dtype), tf.cast(recurrent, dtype)) for kernel, recurrent in weights]
            for timestep in range(config.timestamp_size):
                inputs = images[:, timestep]
                for layer, (kernel, recurrent_kernel) in enumerate(cast):
                    z = tf.matmul(inputs, kernel) + tf.matmul(h[layer], recurrent_kernel)
                    h[layer] = inputs = z[:, :config.num_hidden]  # a slice stands in for the gates
            total = tf.reduce_sum(tf.cast(h[-1], tf.float32))
        gradients = tape.gradient(total, [w for pair in weights for w in pair])
        return tf.add_n([gradient[0, 0] for gradient in gradients])  # every gradient is needed: none is pruned

    return lambda: products().numpy()


def tf1_session_step(tf, config, mnist):
    """The tutorial's own code path: placeholders, DropoutWrapper, MultiRNNCell, a Python loop, sess.run."""
    v1 = tf.compat.v1
    v1.disable_eager_execution()
    rnn = v1.nn.rnn_cell
    x = v1.placeholder(tf.float32, [None, config.input_num * config.timestamp_size])
    y = v1.placeholder(tf.float32, [None, config.num_classes])
    keep_prob = v1.placeholder(tf.float32, [])
    cells = [rnn.DropoutWrapper(rnn.LSTMCell(config.num_hidden), output_keep_prob=keep_prob)
             for _ in range(config.lstm_num)]
    stack = rnn.MultiRNNCell(cells, state_is_tuple=True)
    state = stack.zero_state(tf.shape(x)[0], dtype=tf.float32)
    rows = tf.reshape(x, [-1, config.timestamp_size, config.input_num])
    with v1.variable_scope("RNN"):
        for timestep in range(config.timestamp_size):
            if timestep > 0:
                v1.get_variable_scope().reuse_variables()
            output, state = stack(rows[:, timestep, :], state)
    W = tf.Variable(v1.truncated_normal([config.num_hidden, config.num_classes], stddev=0.1))  # noqa: N806 - the tutorial's name
    b = tf.Variable(tf.constant(0.1, shape=[config.num_classes]))
    logits = tf.matmul(output, W) + b
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = v1.train.AdamOptimizer(config.lr).minimize(loss)
    session = v1.Session(config=v1.ConfigProto(inter_op_parallelism_threads=2, intra_op_parallelism_threads=1))
    session.run(v1.global_variables_initializer())

    def step():
        images, labels = mnist.train.next_batch(config.batch_size)
        return session.run([train_op, loss], {x: images, y: labels, keep_prob: config.keep_prob})[1]

    return step


def torch_worker(name):
    import torch

    from rnnlesson import config as lesson_config
    from rnnlesson import data

    torch.set_num_threads(2)
    torch.manual_seed(0)
    config = lesson_config.Config()
    mnist = data.load_mnist(seed=config.seed)

    class TutorialLSTM(torch.nn.Module):
        def __init__(self):
            super().__init__()
            # dropout= drops each layer's output but the last one's; self.dropout does the last
            self.lstm = torch.nn.LSTM(config.input_num, config.num_hidden, num_layers=config.lstm_num,
                                      dropout=1 - config.keep_prob, batch_first=True)
            self.dropout = torch.nn.Dropout(1 - config.keep_prob)
            self.out = torch.nn.Linear(config.num_hidden, config.num_classes)

        def forward(self, images):
            outputs, _ = self.lstm(images.view(-1, config.timestamp_size, config.input_num))
            return self.out(self.dropout(outputs[:, -1]))

    network = TutorialLSTM()
    optimizer = torch.optim.Adam(network.parameters(), lr=config.lr)
    bfloat16 = name == "torch_bf16"

    def step():
        images, labels = mnist.train.next_batch(config.batch_size)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
            logits = network(torch.from_numpy(images))
            loss = torch.nn.functional.cross_entropy(logits.float(), torch.from_numpy(labels.argmax(1)))
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def floor_worker():
    """step() returns the best fp32 matmul speed of one round, GFLOP/s (TF, both cores on one product)."""
    from rnnlesson import runtime

    tf = runtime.prepare(1, 2)
    size, count = 2048, 8
    rights = tf.random.normal([size, size])
    lefts = [tf.random.normal([size, size]) for _ in range(count)]  # distinct, so none is computed once for all

    @tf.function
    def products():
        return [tf.matmul(left, rights)[0, 0] for left in lefts]

    def step():
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            [value.numpy() for value in products()]
            best = min(best, time.perf_counter() - started)
        return 2 * size**3 * count / best / 1e9

    return step


def versions(name):
    if name.startswith("torch"):
        import torch

        return f"PyTorch {torch.__version__}, threads {torch.get_num_threads()}"
    from rnnlesson import runtime

    return runtime.describe()


def serve(name, block):
    """Warm up, say ready, then time one block per line read until stdin closes."""
    if name == FLOOR:
        step = floor_worker()
    elif name.startswith("torch"):
        step = torch_worker(name)
    else:
        step = tensorflow_worker(name)
    for _ in range(5):  # tracing, first allocations
        step()
    print(json.dumps({"ready": name, "versions": versions(name)}), flush=True)
    for _ in sys.stdin:
        if name == FLOOR:
            print(json.dumps({"gflops": step()}), flush=True)
            continue
        started = time.perf_counter()
        for _ in range(block):
            step()  # each returns the loss as a number, so the work is done when it returns
        print(json.dumps({"ms": (time.perf_counter() - started) * 1000 / block}), flush=True)


# ---------------------------------------------------------------- the parent: turns and table

def missing_modules(name):
    needs = PEERS[name][2] if name in PEERS else ()
    return [module for module in needs if importlib.util.find_spec(module) is None]


def start(name, block):
    """A worker process; its stderr (TensorFlow's deprecation notes and the like) goes to a temp file."""
    command = [sys.executable, os.path.abspath(__file__), "--worker", name, "--block", str(block)]
    log = tempfile.TemporaryFile(mode="w+")
    worker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, cwd=HERE)
    worker.log = log
    return worker


def read_reply(name, worker):
    for line in worker.stdout:
        if line.startswith("{"):
            return json.loads(line)
    worker.log.seek(0)
    raise RuntimeError(f"{name} stopped with exit code {worker.wait()}:\n{worker.log.read()[-3000:]}")


def summarise(samples, medians, floor_ms):
    """Rows of (name, min, median, max, ratio to lesson_fp32, % of floor) from {name: [ms, ...]}."""
    reference = medians.get("lesson_fp32")
    rows = []
    for name, values in samples.items():
        ratio = medians[name] / reference if reference else None
        share = 100 * floor_ms / medians[name] if floor_ms else None
        rows.append((name, min(values), medians[name], max(values), ratio, share))
    return rows


def targets(medians):
    """The speed targets that can be judged from the medians measured: (text, met) pairs."""
    checks = []

    def ratio(a, b):
        return medians[a] / medians[b]

    if {"lesson_fp32", "torch_fp32"} <= medians.keys():
        value = ratio("lesson_fp32", "torch_fp32")
        checks.append((f"lesson fp32 / PyTorch fp32 = {value:.2f} (target <= 0.85)", value <= 0.85))
    if {"lesson_fp32", "tf1_session"} <= medians.keys():
        value = ratio("lesson_fp32", "tf1_session")
        checks.append((f"lesson fp32 / TF1 Session = {value:.2f} (target <= 1.00)", value <= 1.0))
    if "floor" in medians and "lesson_fp32" in medians:
        value = medians["floor"] / medians["lesson_fp32"]
        checks.append((f"lesson fp32 reaches {100 * value:.0f}% of the matmul floor (target >= 50%)", value >= 0.5))
    if {"lesson_bf16", "torch_bf16"} <= medians.keys():
        value = ratio("lesson_bf16", "torch_bf16")
        checks.append((f"lesson bf16 / PyTorch bf16 = {value:.2f} (target <= 1.00)", value <= 1.0))
    return checks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--block", type=int, default=40, help="training iterations timed per turn")
    parser.add_argument("--only", default=",".join([*PEERS, FLOOR]), help="comma-separated names")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return serve(args.worker, args.block)
    if args.rounds < 1 or args.block < 1:
        parser.error("--rounds and --block must be at least 1")
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(wanted) - {*PEERS, FLOOR})
    if unknown:
        parser.error(f"unknown names {unknown}; choose from {[*PEERS, FLOOR]}")
    names = []
    for name in wanted:
        missing = missing_modules(name)
        if missing:
            print(f"skipping {name}: needs {', '.join(missing)} (pip install -e \".[bench]\")")
        else:
            names.append(name)
    workers, described = {}, set()
    try:
        for name in names:  # one at a time, so start-up work does not overlap the others
            workers[name] = start(name, args.block)
            described.add(read_reply(name, workers[name])["versions"])
        samples, gflops = {name: [] for name in names if name != FLOOR}, []
        for round_number in range(args.rounds):
            order = names[round_number % len(names):] + names[:round_number % len(names)]
            for name in order:
                workers[name].stdin.write("go\n")
                workers[name].stdin.flush()
                reply = read_reply(name, workers[name])
                (gflops if name == FLOOR else samples[name]).append(reply.get("gflops", reply.get("ms")))
            print(f"round {round_number + 1}/{args.rounds} done", flush=True)
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()

    work = training_gflop()
    floor_ms = 1000 * work / max(gflops) if gflops else None
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print()
    for line in sorted(described):
        print(line)
    if gflops:
        print(f"fp32 matmul, 2048 x 2048 x 2048 on both cores: best {max(gflops):.0f} GFLOP/s; one iteration's "
              f"{work:.2f} GFLOP of products at that speed: floor {floor_ms:.1f} ms")
    print(f"{args.rounds} rounds of {args.block} iterations each, taken in turn")
    print(f"{'implementation':17} {'min':>6} {'median':>7} {'max':>6}  {'ratio':>5}  {'floor':>5}  setting")
    for name, low, median, high, ratio, share in summarise(samples, medians, floor_ms):
        ratio_text = f"{ratio:5.2f}" if ratio is not None else "    -"
        share_text = f"{share:4.0f}%" if share is not None else "    -"
        print(f"{name:17} {low:6.1f} {median:7.1f} {high:6.1f}  {ratio_text}  {share_text}  "
              f"{PEERS[name][1]}: {PEERS[name][0]}")
    print("(ms per training iteration; ratio: median / lesson_fp32's median; floor: floor / median)")
    if floor_ms:
        medians["floor"] = floor_ms
    for text, met in targets(medians):
        print(f"{'met    ' if met else 'NOT met'}  {text}")


if __name__ == "__main__":
    sys.exit(main())
