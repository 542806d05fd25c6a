"""Time the lesson's training step under several TensorFlow thread settings, on the CPUs this process may use.

    python benchmarks/threads.py [--rounds 5] [--iterations 100]
    taskset -c 0 python benchmarks/threads.py      # as on a one-CPU hub pod

One worker process per setting (threads can be set only once per process), all started first; then
rounds in which each worker in turn times a block of training iterations, so a busy moment of the
machine falls on every setting alike. Prints the median ms per iteration of each setting and its
ratio to runtime.threads_for's choice for this many CPUs.
"""

import argparse
import statistics
import subprocess
import sys

from rnnlesson import runtime

WORKER = """
import sys, time
from rnnlesson import runtime
runtime.prepare({inter}, {intra})
import keras
from rnnlesson import config as lesson_config, data, model, train
config = lesson_config.Config()
keras.utils.set_random_seed(config.seed)
mnist = data.load_mnist(seed=config.seed)
network = model.build(config)
step = train.make_train_step(network, keras.optimizers.Adam(config.lr))
float(step(*mnist.train.next_batch(config.batch_size))[0])  # the tracing step
print("ready", flush=True)
for line in sys.stdin:
    started = time.perf_counter()
    for _ in range(int(line)):
        loss, _ = step(*mnist.train.next_batch(config.batch_size))
    float(loss)
    print((time.perf_counter() - started) * 1000 / int(line), flush=True)
"""


def settings_for(cpus):
    chosen = runtime.threads_for(cpus)
    others = [(1, 1), (2, 1), (4, 1), (1, 2), (2, 2), (0, 0)]  # (0, 0): TensorFlow's own choice
    return [chosen] + [setting for setting in others if setting != chosen]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=100, help="training iterations per block")
    args = parser.parse_args()
    cpus = runtime.usable_cpus()
    settings = settings_for(cpus)
    workers = {setting: subprocess.Popen([sys.executable, "-c", WORKER.format(inter=setting[0], intra=setting[1])],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for setting in settings}
    for setting, worker in workers.items():
        if worker.stdout.readline().strip() != "ready":
            raise SystemExit(f"the worker for threads {setting} did not start; run it alone to see why")
    times = {setting: [] for setting in settings}
    for round_number in range(args.rounds):
        for setting, worker in workers.items():
            worker.stdin.write(f"{args.iterations}\n")
            worker.stdin.flush()
            times[setting].append(float(worker.stdout.readline()))
        print(f"round {round_number + 1} of {args.rounds} done", file=sys.stderr)
    for worker in workers.values():
        worker.stdin.close()
        worker.wait(timeout=60)
    chosen = statistics.median(times[settings[0]])
    print(f"{cpus} usable CPU(s); runtime.threads_for chooses inter-op {settings[0][0]}, intra-op {settings[0][1]}")
    print(f"{'inter-op, intra-op':>20} {'ms per iteration (median)':>27} {'vs chosen':>10}")
    for setting in settings:
        median = statistics.median(times[setting])
        label = "TensorFlow's own" if setting == (0, 0) else f"{setting[0]}, {setting[1]}"
        print(f"{label:>20} {median:>27.1f} {median / chosen:>10.2f}")


if __name__ == "__main__":
    main()
