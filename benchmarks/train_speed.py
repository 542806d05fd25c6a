"""Time the lesson's training as notebook 01 runs it: ms per iteration and the full run.

    python benchmarks/train_speed.py [--iterations 2000] [--inter-op 2 --intra-op 1] [--precision mixed_bfloat16]

Without --inter-op and --intra-op, the threads are the lesson's own choice for this machine (runtime.threads_for).

Prints the first (tracing) iteration, min / median / max ms per iteration over blocks of 100,
the whole run's seconds, the test accuracy, and the time to evaluate the 2,000 test digits.
"""

import argparse
import time

from rnnlesson import runtime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--inter-op", type=int, default=None, help="0 = TensorFlow's default")
    parser.add_argument("--intra-op", type=int, default=None, help="0 = TensorFlow's default")
    parser.add_argument("--precision", default="float32", help="float32 or mixed_bfloat16")
    args = parser.parse_args()
    runtime.prepare(args.inter_op, args.intra_op)

    import keras
    import numpy as np

    from rnnlesson import config as lesson_config
    from rnnlesson import data, model, train

    config = lesson_config.Config(iterations=args.iterations, precision=args.precision)
    keras.utils.set_random_seed(config.seed)
    mnist = data.load_mnist(seed=config.seed)
    network = model.build(config)
    train_step = train.make_train_step(network, keras.optimizers.Adam(config.lr))
    block_ms, block_start = [], None
    started = time.perf_counter()
    for iteration in range(config.iterations):
        images, labels = mnist.train.next_batch(config.batch_size)
        loss, _ = train_step(images, labels)
        if iteration == 0:
            float(loss)
            first = time.perf_counter() - started
            block_start = time.perf_counter()
        elif iteration % 100 == 0:
            float(loss)
            block_ms.append((time.perf_counter() - block_start) * 10)
            block_start = time.perf_counter()
    float(loss)
    total = time.perf_counter() - started
    evaluation_started = time.perf_counter()
    accuracy = train.evaluate(network, mnist.test)
    evaluation = time.perf_counter() - evaluation_started
    print(runtime.describe(), f"precision {config.precision}")
    print(f"first iteration (tracing): {first:.2f} s")
    if block_ms:
        print(f"ms per iteration over blocks of 100: min {min(block_ms):.1f}, "
              f"median {np.median(block_ms):.1f}, max {max(block_ms):.1f}")
    print(f"{config.iterations} iterations: {total:.1f} s; test accuracy {accuracy:.4f}; "
          f"evaluating {mnist.test.num_examples} test digits: {evaluation:.2f} s")


if __name__ == "__main__":
    main()
