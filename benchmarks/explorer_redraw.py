"""Time notebook 03's explorer: milliseconds per slider move, from the new value to the new picture.

    python benchmarks/explorer_redraw.py [--moves 200]

Uses the trained checkpoint (trains one if it is missing) and the 2,000 test digits, as the notebook does.
Prints the one-off cost of computing all probabilities, then min / median / max ms per move for the
step slider and for the image slider.
"""

import argparse
import time

from rnnlesson import runtime


def time_moves(slider, values):
    """ms for each assignment of a value to a slider (the explorer redraws inside it)."""
    timings = []
    for value in values:
        started = time.perf_counter()
        slider.value = int(value)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()
    runtime.prepare()

    import numpy as np

    from rnnlesson import checkpoints, data, probe, widgets
    from rnnlesson import config as lesson_config

    config = lesson_config.Config()
    network, _ = checkpoints.load_or_train(config)
    mnist = data.load_mnist(seed=config.seed)
    started = time.perf_counter()
    probabilities = probe.probabilities_by_step(network, mnist.test.images)
    print(f"probabilities for {len(probabilities)} test images: {time.perf_counter() - started:.2f} s (once)")
    explorer = widgets.Explorer(mnist.test.pixels, mnist.test.digits, probabilities)
    rng = np.random.default_rng(0)
    for name, slider, values in (
        ("step slider", explorer.step_slider, (np.arange(args.moves) % 28) + 1),
        ("image slider", explorer.image_slider, rng.integers(0, len(probabilities), args.moves)),
    ):
        timings = time_moves(slider, values)
        print(f"{name}: {len(timings)} moves, ms per move min {min(timings):.1f}, "
              f"median {np.median(timings):.1f}, max {max(timings):.1f}")


if __name__ == "__main__":
    main()
