"""rnnlesson: the helpers behind the notebooks on how an LSTM reads a digit row by row.

Import the modules by name, for example `from rnnlesson import data, model`.
Nothing here imports TensorFlow: call `runtime.prepare()` first in a notebook.
"""

import inspect

from rnnlesson.i18n import set_language  # noqa: F401 - rnnlesson.set_language("zh-CN")

__version__ = "0.1.0"


def show_source(obj):
    """Print the source of a function or class, so a notebook shows the code it runs."""
    if isinstance(obj, str):
        raise TypeError(f"show_source takes the function or class itself, not its name: "
                        f"show_source({obj}) rather than show_source({obj!r}).")
    print(inspect.getsource(obj))
