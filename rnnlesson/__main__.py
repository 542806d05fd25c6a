"""Command line: `python -m rnnlesson doctor` and `python -m rnnlesson train`."""

import argparse
import dataclasses
import inspect
import re
import sys
import tempfile
from pathlib import Path

from rnnlesson import config as lesson_config


def parser():
    commands = argparse.ArgumentParser(
        prog="python -m rnnlesson", description="Helpers for the rnn-lesson notebooks.")
    chosen = commands.add_subparsers(dest="command", required=True, metavar="{doctor,train}")
    chosen.add_parser("doctor", help="check versions, the widget front end, the data and the GPU")
    training = chosen.add_parser(
        "train", help="train the lesson's network once and save a checkpoint every user may read",
        description="Train the network notebook 01 trains and save it. Notebooks 02 and 03 load it when "
                    "RNNLESSON_CHECKPOINT names the file (a teacher trains once; a class shares it).")
    described = dict(re.findall(r"^\s+(\w+): \w+ = .*?  # (.*)$", inspect.getsource(lesson_config.Config), re.M))
    for field in dataclasses.fields(lesson_config.Config):
        training.add_argument(f"--{field.name.replace('_', '-')}", type=field.type,
                              default=field.default, metavar=field.name.upper(),
                              help=f"{described.get(field.name, '')} (default {field.default})")
    training.add_argument("--data", default="embedded",
                          help="MNIST source: embedded (default), keras, or a path (see data.load_mnist)")
    training.add_argument("--out", default=None,
                          help="where to save the checkpoint (default: your own checkpoint folder)")
    training.add_argument("--replace", action="store_true",
                          help="replace a checkpoint at --out that was trained with other settings")
    return commands


def train(arguments, echo=print):
    from rnnlesson import runtime

    runtime.prepare()
    from rnnlesson import checkpoints, data, model
    from rnnlesson.train import DivergedError

    values = {field.name: getattr(arguments, field.name) for field in dataclasses.fields(lesson_config.Config)}
    try:
        config = lesson_config.Config(**values)
    except (TypeError, ValueError) as error:
        echo(f"error: {error}")
        return 2
    try:  # a clear message, not a traceback, for what the user can fix: the size, the data, the place to save
        model.check_memory(config)
        mnist = data.load_mnist(arguments.data, seed=config.seed)
        path = checkpoints.own_path(config, mnist.source) if arguments.out is None else arguments.out
        path = checkpoints.check_writable(path)  # before minutes of training, not after
        if not arguments.replace:
            checkpoints.check_not_another_configuration(path, config, mnist.source)
    except (OSError, ValueError) as error:
        echo(f"error: {error}")
        return 2
    try:
        _, metrics, saved_to = checkpoints.train_and_save(config, mnist, path, progress=True, echo=echo,
                                                          rescue=_rescue_folders())
    except DivergedError as error:
        echo(f"error: {error}")
        return 1
    except KeyboardInterrupt as interrupt:
        echo(f"Interrupted{' ' + str(interrupt) if str(interrupt) else ''}: nothing was saved.")
        return 130
    if saved_to != path:
        return 1
    echo(f"test accuracy {metrics['test_accuracy']:.4f}; saved to {path} (every user may read it).\n"
         f"To share it with a class: RNNLESSON_CHECKPOINT={path.resolve()}")
    return 0


def _rescue_folders():
    """Where a checkpoint that could not be saved at --out goes instead: the temporary folder, home, here."""
    folders = [Path(tempfile.gettempdir()), Path.home(), Path.cwd()]
    return [folder for index, folder in enumerate(folders) if folder not in folders[:index]]


def main(argv=None):
    arguments = parser().parse_args(sys.argv[1:] if argv is None else argv)
    if arguments.command == "doctor":
        from rnnlesson import doctor

        return doctor.report(doctor.run_checks())
    return train(arguments)


if __name__ == "__main__":
    sys.exit(main())
