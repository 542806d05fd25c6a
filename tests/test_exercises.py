"""The notebooks' exercises: every published solution is judged correct, typical mistakes get their hint,
and the exercise cells run both as committed (unanswered) and with the solutions filled in.

The exercise cells are read from each notebook's "## Exercises" section. They run in the notebook's own
namespace: its Setup cell, then the names its main arc leaves behind (`network`, here a small network
trained by the test, `mnist`, `traced`, `test_probabilities`, ...).
"""

import contextlib
import io
import re

import notebook_cells
import numpy as np
import pytest

from rnnlesson import exercises, reference
from rnnlesson.exercises import notebook03

NOTEBOOKS = {"01": "01_train.ipynb", "02": "02_outputs_and_state.ipynb", "03": "03_step_probabilities.ipynb"}
ANSWER_LINE = re.compile(r"^answer = \.\.\..*$", re.MULTILINE)
CHECK_NAME = re.compile(r'exercises\.check\("([0-9]+\.[0-9]+)"')
SOLUTION = re.compile(r"<summary>Solution</summary>.*?```python\n(.*?)\n```", re.DOTALL)

# Typical wrong answers, each replacing the `answer = ...` line, and a phrase of the hint each must get.
WRONG_ANSWERS = {
    "01.1": [("answer = range(140, 168)", "that is row 6"),
             ("answer = range(4, 784, 28)", "that is a column"),
             ("answer = range(112, 141)", "one index too many")],
    "01.2": [("answer = cross_entropy", "the cross-entropy itself"),
             ("answer = cross_entropy * 10", "smaller, not larger"),
             ("answer = cross_entropy / 64", "both means divide by the batch size")],
    "01.3": [("answer = 4 * (28 + 128 + 1) * 128 + 4 * (128 + 128 + 1) * 128", "add the readout"),
             ("answer = 4 * (28 + 128) * 128 + 128 + 4 * (128 + 128) * 128 + 128 + 1290", "one per gate value"),
             ("answer = (28 + 128 + 1) * 128 + (128 + 128 + 1) * 128 + 1290", "an LSTM cell has four"),
             ("answer = 2 * 4 * (28 + 128 + 1) * 128 + 1290", "layer 2 reads layer 1's h"),
             ("answer = 'many'", "expected a whole number")],
    "01.4": [("answer = (7, 14, config.num_hidden)", "Keras' (batch, steps, units) order"),
             ("answer = (28, 7, config.num_hidden)", "how many steps"),
             ("answer = (14, 7, 56)", "not the pixels of a row"),
             ("answer = 14", "expected a shape")],
    "01.5": [("answer = sigmoid(x @ kernel[:, :units] + h_prev @ recurrent_kernel[:, :units] + bias[:units])",
              "that is the input gate i"),
             ("f3 = slice(2 * units, 3 * units)\n"
              "answer = sigmoid(x @ kernel[:, f3] + h_prev @ recurrent_kernel[:, f3] + bias[f3])",
              "TF1 split its gates i, j, f, o"),
             ("f = slice(units, 2 * units)\n"
              "answer = np.tanh(x @ kernel[:, f] + h_prev @ recurrent_kernel[:, f] + bias[f])",
              "gates use the sigmoid"),
             ("f = slice(units, 2 * units)\nanswer = sigmoid(x @ kernel[:, f] + bias[f])",
              "also reads the previous h"),
             ("f = slice(units, 2 * units)\n"
              "answer = sigmoid(x @ kernel[:, f] + h_prev @ recurrent_kernel[:, f] + bias[f]).T",
              "your array is (units, batch)")],
    "01.6": [("answer = train.evaluate(no_dropout, mnist.test) - train.evaluate(no_dropout, mnist.train)",
              "subtract the other way round"),
             ("answer = 100 * (train.evaluate(no_dropout, mnist.train) - train.evaluate(no_dropout, mnist.test))",
              "not a percentage"),
             ("answer = float(no_dropout_history.accuracy[-1]) - train.evaluate(no_dropout, mnist.test)",
              "too noisy")],
    "01.7": [("answer = 4 * (28 + 128 + 1) * 128 + 4 * (128 + 128 + 1) * 128 + 1290", "the LSTM's count"),
             ("answer = (28 + 128 + 1) * 128 + (128 + 128 + 1) * 128", "add the classifier"),
             ("answer = (28 + 128) * 128 + (128 + 128) * 128 + 1290", "left out the bias"),
             ("answer = 2 * (28 + 128 + 1) * 128 + 1290", "layer 2 reads layer 1's h")],
    "02.1": [("answer = traced.outputs.T", "`.T` reverses all three axes"),
             ("answer = traced.outputs.reshape(5, config.timestamp_size, config.num_hidden)", "reshape keeps"),
             ("answer = traced.outputs", "still (steps, images, units)")],
    "02.2": [("answer = [[c, h] for c, h in tf1_state]", "still TF1's (c, h)"),
             ("answer = [[h, c] for c, h in tf1_state][::-1]", "the layers are reversed"),
             ("answer = [tf1_state[-1][1], tf1_state[-1][0]]", "only the top layer"),
             ("answer = [array for c, h in tf1_state for array in (h, c)]", "nest it")],
    "02.3": [("row_index, unit = np.unravel_index(np.argmax(np.abs(top_c)), top_c.shape)\n"
              "answer = (unit, row_index)", "rows count from 1"),
             ("bottom_c = traced.c[:, 0, 0]\n"
              "row_index, unit = np.unravel_index(np.argmax(np.abs(bottom_c)), bottom_c.shape)\n"
              "answer = (unit, row_index + 1)", "bottom layer"),
             ("answer = 'unit 7'", "expected two whole numbers")],
    "02.4": [("answer = sigmoid(below_h @ kernel[:, units:2 * units] + top_h @ recurrent_kernel[:, units:2 * units]"
              " + bias[units:2 * units])", "not the h they help to make"),
             ("previous_h = np.vstack([np.zeros((1, units)), top_h[:-1]])\n"
              "answer = sigmoid(below_h @ kernel[:, :units] + previous_h @ recurrent_kernel[:, :units] + bias[:units])",
              "that is the input gate i"),
             ("previous_h = np.vstack([np.zeros((1, units)), top_h[:-1]])\n"
              "answer = below_h @ kernel[:, units:2 * units] + previous_h @ recurrent_kernel[:, units:2 * units]"
              " + bias[units:2 * units]", "apply the sigmoid")],
    "02.5": [("previous_h = np.vstack([np.zeros((1, units)), top_h[:-1]])\n"
              "s = slice(units, 2 * units)\n"
              "f = sigmoid(below_h @ kernel[:, s] + previous_h @ recurrent_kernel[:, s] + bias[s])[:, unit]\n"
              "answer = np.prod(f[13:28])", "row 14's forget gate helped to make"),
             ("previous_h = np.vstack([np.zeros((1, units)), top_h[:-1]])\ns = slice(units, 2 * units)\n"
              "f = sigmoid(below_h @ kernel[:, s] + previous_h @ recurrent_kernel[:, s] + bias[s])[:, unit]\n"
              "answer = np.mean(f[14:28])", "a product, not a mean"),
             ("answer = traced.c[27, -1, 0, unit] / traced.c[13, -1, 0, unit]", "what the input gate added")],
    "02.6": [("answer = 0.5 ** (1 / blank_rows)", "that is the forget gate's value f"),
             ("answer = 0.0", "keeps half after one blank row"),
             ("f = 1 - 0.5 / blank_rows\nanswer = np.log(f / (1 - f))", "straight-line guess")],
    "03.1": [("answer = int(np.argmax(accuracy_after >= 0.5))", "rows count from 1"),
             ("answer = float(accuracy_after[int(np.argmax(accuracy_after >= 0.5))])", "not an accuracy"),
             ("answer = int(np.argmax(accuracy_after >= 0.5)) + 2", "one row too late")],
    "03.2": [("is_digit = mnist.test.digits == digit\n"
              "answer = np.mean(test_probabilities[is_digit, 21].argmax(axis=-1) == digit)", "after 22 rows"),
             ("answer = accuracy_after[20]", "that is all classes"),
             ("said = test_probabilities[:, 20].argmax(axis=-1) == digit\n"
              "answer = np.mean(mnist.test.digits[said] == digit)", "predicted to be")],
    "03.3": [("answer = int(np.sum(mnist.test.pixels[:, :4].max(axis=(1, 2)) > 0))", "counts the images with ink"),
             ("answer = int(np.sum(mnist.test.pixels[:, :3].max(axis=(1, 2)) == 0))", "that is after 3 rows"),
             ("answer = len(mnist.test.digits)", "not all of them"),
             ("answer = float(np.mean(mnist.test.pixels[:, :4].max(axis=(1, 2)) == 0))", "not a share")],
    "03.4": [("right = test_probabilities[:, -1].argmax(axis=-1) == mnist.test.digits\n"
              "answer = int(np.argmax(decisions[right]))", "a position among the correctly classified"),
             ("right = test_probabilities[:, -1].argmax(axis=-1) == mnist.test.digits\n"
              "answer = int(np.flatnonzero(~right)[0])", "gets image"),
             ("answer = -1", "expected the index of one test image")],
    "03.5": [("flat = pictures[::-1].reshape(len(pictures), -1)\n"
              "answer = float(np.mean(probe.probabilities_by_step(network, flat)[:, -1].argmax(axis=-1)"
              " == mnist.test.digits))", "only reorders the images"),
             ("flat = pictures[:, :, ::-1].reshape(len(pictures), -1)\n"
              "answer = float(np.mean(probe.probabilities_by_step(network, flat)[:, -1].argmax(axis=-1)"
              " == mnist.test.digits))", "mirrors each row"),
             ("flat = pictures[:, ::-1].reshape(len(pictures), -1)\n"
              "answer = 100 * float(np.mean(probe.probabilities_by_step(network, flat)[:, -1].argmax(axis=-1)"
              " == mnist.test.digits))", "not a percentage")],
}


# ---------------------------------------------------------------- reading the cells

def source(cell):
    return "".join(cell["source"])


def exercise_section(number):
    """The exercise cells of a notebook: its "## Exercises" section, up to the next section after it."""
    cells = notebook_cells.cells(NOTEBOOKS[number])
    start = next(index for index, cell in enumerate(cells)
                 if cell["cell_type"] == "markdown" and source(cell).startswith("## Exercises"))
    end = next((index for index, cell in enumerate(cells) if index > start and cell["cell_type"] == "markdown"
                and source(cell).startswith("## ") and not source(cell).startswith("## Questions to discuss")),
               len(cells))
    return cells[start:end]


def answer_cells(cells):
    """{exercise name: index of its answer cell} in the order of the section."""
    return {CHECK_NAME.search(source(cell)).group(1): index for index, cell in enumerate(cells)
            if cell["cell_type"] == "code" and ANSWER_LINE.search(source(cell))}


def solutions(cells):
    """{exercise name: the code of its published solution}, paired with the answer cells in order."""
    published = [SOLUTION.search(source(cell)).group(1) for cell in cells
                 if cell["cell_type"] == "markdown" and "<summary>Solution</summary>" in source(cell)]
    names = list(answer_cells(cells))
    assert len(published) == len(names), f"{len(names)} answer cells but {len(published)} solutions"
    return dict(zip(names, published))


def with_answer(cell_source, code):
    return ANSWER_LINE.sub(lambda _: code, cell_source, count=1)


def with_solutions(cells):
    """{index of each answer cell: its source with the published solution in place of `answer = ...`}."""
    published = solutions(cells)
    return {index: with_answer(source(cells[index]), published[name]) for name, index in answer_cells(cells).items()}


# ---------------------------------------------------------------- the notebooks' namespaces

@pytest.fixture(scope="module")
def trained_network():
    """A small network trained here (never the repository's checkpoint): the checks follow whatever network
    the learner has, so any trained one will do."""
    from rnnlesson import config as lesson_config
    from rnnlesson import data, train

    config = lesson_config.Config(num_hidden=64, iterations=400)
    return train.train_network(config, data.load_mnist(seed=config.seed), progress=False, echo=lambda line: None)


def notebook_namespace(number, network):
    """The notebook's Setup cell run, plus the names its main arc leaves for the exercise cells."""
    from rnnlesson import data, probe, train, widgets

    setup = notebook_cells.code_defining(NOTEBOOKS[number], "config = Config()")
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(setup, f"{number} setup", "exec"), namespace)
    config = network.config
    mnist = data.load_mnist(seed=config.seed)
    namespace.update(config=config, network=network, mnist=mnist)
    if number == "01":
        namespace.update(test_accuracy=train.evaluate(network, mnist.test))
        sigmoid = notebook_cells.code_defining(NOTEBOOKS[number], "def sigmoid(")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(sigmoid, "01 One step in NumPy", "exec"), namespace)  # the exercises reuse its sigmoid
    if number == "02":
        images = mnist.train.images[:5]
        namespace.update(images=images, traced=probe.trace(network, images))
    if number == "03":
        test_probabilities = probe.probabilities_by_step(network, mnist.test.images)
        namespace.update(
            test_probabilities=test_probabilities,
            decisions=probe.decision_steps(test_probabilities),
            accuracy_after=probe.accuracy_by_step(test_probabilities, mnist.test.digits),
            explorer=widgets.Explorer(mnist.test.pixels, mnist.test.digits, test_probabilities),
        )
    return namespace


def run_cells(cells, namespace):
    """Run the code cells in namespace; returns (printed text per cell, namespace before each cell)."""
    printed, before = {}, {}
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        before[index] = dict(namespace)
        with contextlib.redirect_stdout(io.StringIO()) as output:
            exec(compile(source(cell), f"exercise cell {index}", "exec"), namespace)
        printed[index] = output.getvalue()
    return printed, before


def verdict_line(printed, name):
    return next(line for line in printed.splitlines() if line.startswith(f"{name} "))


@pytest.fixture(scope="module", params=sorted(NOTEBOOKS))
def section(request, trained_network):
    """One notebook's exercise cells, run as committed and with the published solutions filled in."""
    number = request.param
    cells = exercise_section(number)
    base = notebook_namespace(number, trained_network)
    unanswered = run_cells(cells, dict(base))
    filled = with_solutions(cells)
    solved = run_cells([dict(cell, source=filled.get(index, cell["source"])) for index, cell in enumerate(cells)],
                       dict(base))
    return {"number": number, "cells": cells, "unanswered": unanswered, "solved": solved}


# ---------------------------------------------------------------- the tests

@pytest.mark.parametrize("number", sorted(NOTEBOOKS))
def test_section_has_four_to_six_exercises_hidden_solutions_and_questions(number):
    cells = exercise_section(number)
    assert source(cells[0]).startswith("## Exercises")
    names = list(answer_cells(cells))
    assert 4 <= len(names) <= 7 and len(set(names)) == len(names)
    assert all(name.startswith(f"{number}.") and name in exercises.CHECKERS for name in names)
    assert set(solutions(cells)) == set(names)
    headings = [source(cell).split(" ·")[0] for cell in cells if source(cell).startswith("### Exercise")]
    assert headings == [f"### Exercise {name}" for name in names]  # the heading says which check it is
    assert set(WRONG_ANSWERS) >= set(names)
    questions = [source(cell) for cell in cells if source(cell).startswith("## Questions to discuss")]
    assert len(questions) == 1 and "<details><summary>Answers</summary>" in questions[0]
    assert all(cell["outputs"] == [] and cell["execution_count"] is None
               for cell in cells if cell["cell_type"] == "code")


@pytest.mark.parametrize("name", NOTEBOOKS.values())
def test_every_cell_id_appears_once_in_its_notebook(name):
    """Exercise cells are found and replaced by id, so an id two cells share would pick the wrong one."""
    ids = [cell["id"] for cell in notebook_cells.cells(name)]
    assert len(set(ids)) == len(ids), sorted({cell_id for cell_id in ids if ids.count(cell_id) > 1})


@pytest.mark.slow
def test_unanswered_cells_run_and_say_not_answered_yet(section):
    printed, _ = section["unanswered"]
    for name, index in answer_cells(section["cells"]).items():
        assert verdict_line(printed[index], name).startswith(f"{name} Not answered yet:")


@pytest.mark.slow
def test_published_solutions_run_in_place_and_are_judged_correct(section):
    printed, _ = section["solved"]
    for name, index in answer_cells(section["cells"]).items():
        assert verdict_line(printed[index], name).startswith(f"{name} Correct:"), printed[index]


@pytest.mark.slow
def test_typical_wrong_answers_get_their_hint(section):
    printed, before = section["unanswered"]
    checked = 0
    for name, index in answer_cells(section["cells"]).items():
        for code, hint in WRONG_ANSWERS[name]:
            namespace = dict(before[index])
            cell = with_answer(source(section["cells"][index]), code)
            with contextlib.redirect_stdout(io.StringIO()) as output:
                exec(compile(cell, f"{name} wrong answer", "exec"), namespace)
            line = verdict_line(output.getvalue(), name)
            assert line.startswith(f"{name} Not yet:") and hint in line, (code, line)
            checked += 1
    assert checked >= 2 * len(answer_cells(section["cells"]))


# ---------------------------------------------------------------- the checkers on their own (fast)

def test_unanswered_and_unknown_exercise():
    assert exercises.judge("01.2", ..., config=None, cross_entropy=0.3).status == "not answered yet"
    assert str(exercises.judge("01.2", None, config=None, cross_entropy=0.3)) == (
        "Not yet: got None: did your function forget to return?")
    with pytest.raises(ValueError, match="No exercise '09.9'"):
        exercises.judge("09.9", 1)


def test_a_call_without_the_checkers_context_names_what_it_needs():
    from rnnlesson.config import Config

    with pytest.raises(TypeError, match=r"exercises.check\('01.3', answer, config=config\), as its cell has it; "
                                        r"missing: config\."):
        exercises.judge("01.3", 12345)
    with pytest.raises(TypeError, match=r"check\('01.2', answer, config=config, cross_entropy=cross_entropy\).*"
                                        r"missing: cross_entropy; not used: network\."):
        exercises.judge("01.2", 0.1, config=Config(), network=None)


def test_check_prints_one_line_and_never_the_expected_value(capsys):
    from rnnlesson import config as lesson_config

    config = lesson_config.Config()
    exercises.check("01.2", 0.3, config=config, cross_entropy=0.3)
    printed = capsys.readouterr().out
    assert printed.startswith("01.2 Not yet:") and printed.count("\n") == 1 and "0.03" not in printed


@pytest.mark.parametrize("answer", ["0.03", [0.03, 0.03], {"a": 1}, float("nan"), object()])
def test_wrong_types_are_a_not_yet_never_an_error(answer):
    from rnnlesson import config as lesson_config

    verdict = exercises.judge("01.2", answer, config=lesson_config.Config(), cross_entropy=0.3)
    assert verdict.status == "not yet"


def test_expected_values_follow_the_learners_config():
    from rnnlesson import config as lesson_config

    wide_rows = lesson_config.Config(timestamp_size=14, input_num=56)
    assert exercises.judge("01.1", range(224, 280), config=wide_rows).status == "correct"
    assert exercises.judge("01.1", range(112, 140), config=wide_rows).status == "not yet"
    assert exercises.judge("01.4", (14, 7, 64), config=lesson_config.Config(num_hidden=64)).status == "correct"


def test_fused_probabilities_match_a_numpy_softmax_of_the_reference(small_network):
    from rnnlesson import data

    network = small_network
    images = data.load_mnist().test.images[:4]
    logits = reference.numpy_unroll(network, images)["h"][:, -1] @ np.asarray(network.W) + np.asarray(network.b)
    expected = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(notebook03.fused_probabilities(network, images), np.swapaxes(expected, 0, 1),
                               atol=1e-5)


@pytest.mark.parametrize(("classes", "expected"), [([3, 3, 3], 1), ([1, 2, 3], 3), ([5, 3, 5, 5], 3),
                                                    ([2, 2, 7, 2], 4)])
def test_settling_rows_on_hand_made_predictions(classes, expected):
    probabilities = np.eye(10)[classes][None]  # (1, steps, classes)
    assert notebook03.settling_rows(probabilities)[0] == expected


# ---------------------------------------------------------------- whole notebooks, solutions filled in

QUICK = "config = config.replace(num_hidden=64, iterations=400, log_every=100)"  # as trained_network


@pytest.mark.slow
@pytest.mark.reruns
@pytest.mark.parametrize("number", ["02", "03"])
def test_whole_notebook_runs_with_the_solutions_filled_in(number, capsys):
    """Run All with the solutions in place, on a quickly trained network (the Setup cell's config made short).

    Notebook 01's exercise cells run with their solutions in the section fixture above, in its namespace;
    a whole run of 01 would only add its full training. The notebooks as committed run in a Jupyter
    kernel under nbval (`make test`).
    """
    cells = exercise_section(number)
    filled = {cells[index]["id"]: code for index, code in with_solutions(cells).items()}
    notebook_cells.run(NOTEBOOKS[number], after_config=QUICK, replace=filled)
    printed = capsys.readouterr().out
    for name in answer_cells(cells):
        verdicts = [line for line in printed.splitlines() if line.startswith(f"{name} ")]
        assert verdicts and all(line.startswith(f"{name} Correct:") for line in verdicts), verdicts


ODD_ANSWERS = ["abc", 3.7, -1, [1, 2], {"a": 1}, np.zeros((2, 2)), (1, 2, 3), float("nan"), [[1], [2, 3]], 10**400]


@pytest.mark.parametrize("name", sorted(exercises.CHECKERS))
def test_no_checker_raises_on_an_odd_answer(name, small_config, small_network, mnist):
    import inspect

    pool = {"config": small_config, "network": small_network, "mnist": mnist, "images": mnist.train.images[:5],
            "cross_entropy": 0.3, "x": mnist.test.images[:3, :small_config.input_num],
            "h_prev": np.zeros((3, small_config.num_hidden), np.float32), "unit": 0, "digit": 9, "blank_rows": 60}
    wanted = [parameter.name for parameter in inspect.signature(exercises.CHECKERS[name]).parameters.values()
              if parameter.name != "answer" and parameter.default is inspect.Parameter.empty]
    for answer in ODD_ANSWERS:
        verdict = exercises.judge(name, answer, **{key: pool[key] for key in wanted})
        assert verdict.status == "not yet" and verdict.message, (answer, verdict)
