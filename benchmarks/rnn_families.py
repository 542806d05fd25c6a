"""Train a SimpleRNN, a GRU and an LSTM the lesson's way and compare weights, ms per iteration and test accuracy.

    python benchmarks/rnn_families.py [--iterations 2000] [--markdown]
    python benchmarks/rnn_families.py --blank-rows 60 --units 64 --iterations 400 [--markdown]

The three networks are the lesson's Config (2 layers of 256, output dropout 0.5, Adam 1e-3, batch 64, the same
seed and batches), each trained by train.fit over the lesson's unroll. With --blank-rows K, the memory test
instead: one layer of --units, no dropout, every digit followed by K blank rows, and the LSTM once more with its
forget gate's bias started at 5 instead of Keras' 1.
"""

import argparse
import time

from rnnlesson import runtime


def run(config, mnist, family, forget_bias=None):
    """(weights, ms per iteration, test accuracy) of one network trained from scratch on mnist."""
    import keras

    from rnnlesson import families, train

    keras.utils.set_random_seed(config.seed)
    network = families.build(config, family)
    if forget_bias is not None:
        families.set_forget_bias(network, forget_bias)
    started = time.perf_counter()
    train.fit(network, mnist, config, progress=False, echo=lambda line: None)
    milliseconds = (time.perf_counter() - started) * 1000 / config.iterations
    return network.count_params(), milliseconds, train.evaluate(network, mnist.test)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--blank-rows", type=int, default=None, help="run the memory test with K blank rows")
    parser.add_argument("--units", type=int, default=64, help="units of the memory test's one layer")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table (for the README)")
    args = parser.parse_args()
    runtime.prepare()

    from rnnlesson import data, families
    from rnnlesson.config import Config

    if args.iterations < 1 or (args.blank_rows is not None and args.blank_rows < 0):
        parser.error("--iterations must be at least 1 and --blank-rows at least 0.")
    runs = [("SimpleRNN", "SimpleRNN", None), ("GRU", "GRU", None), ("LSTM", "LSTM", None)]
    config = Config(iterations=args.iterations, log_every=args.iterations)
    if args.blank_rows is not None:
        config = config.replace(lstm_num=1, num_hidden=args.units, keep_prob=1.0)
        runs.append(("LSTM, forget bias 5", "LSTM", 5.0))
        runs[2] = ("LSTM, forget bias 1 (Keras)", "LSTM", None)
    print(runtime.describe())
    print(f"{config.lstm_num} layer(s) of {config.num_hidden}, keep_prob {config.keep_prob}, "
          f"{config.iterations} iterations" + (f", {args.blank_rows} blank rows after each digit"
                                               if args.blank_rows is not None else ""))
    if args.markdown:
        print("\n| network | weights | ms per iteration | test accuracy |\n|---|---:|---:|---:|")
    for name, family, forget_bias in runs:
        mnist = data.load_mnist(seed=config.seed)  # each network sees the same batches
        if args.blank_rows is not None:
            mnist = families.with_blank_rows(mnist, args.blank_rows)
        weights, milliseconds, accuracy = run(config, mnist, family, forget_bias)
        if args.markdown:
            print(f"| {name} | {weights:,} | {milliseconds:.1f} | {accuracy:.2%} |")
        else:
            print(f"{name:28s} {weights:9,d} weights  {milliseconds:7.1f} ms per iteration  "
                  f"test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
