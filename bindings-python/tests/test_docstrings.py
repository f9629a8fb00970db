"""The examples in the public functions' numpy-style docstrings run and print what they say (`help()` is
where a notebook user looks first)."""
import doctest
import inspect

import pytest

import scaleplan
import scaleplan._tables
import scaleplan.distributed
import scaleplan.frames
import scaleplan.plot

# Every public function: the package's, scaleplan.plot's and scaleplan.distributed's.
DOCUMENTED = [getattr(scaleplan, n) for n in scaleplan.__all__ if inspect.isroutine(getattr(scaleplan, n))]
DOCUMENTED += [f for m in (scaleplan.plot, scaleplan.distributed)
               for n, f in inspect.getmembers(m, inspect.isfunction)
               if not n.startswith("_") and f.__module__ == m.__name__]


CLASSES = [scaleplan.RolloutService, scaleplan.DetectorStream, scaleplan.BudgetTracker]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_stateful_classes_document_their_constructor_and_methods(cls):
    doc = cls.__doc__ or ""
    for section in ("Parameters\n", "Methods\n", "Raises\n", "Examples\n"):
        assert section in doc, f"{cls.__name__}: no {section.strip()} section"
    tests = doctest.DocTestFinder(recurse=False).find(cls, cls.__name__, globs={"scaleplan": scaleplan})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for t in tests:
        runner.run(t)
    assert runner.tries > 0 and runner.failures == 0, cls.__name__


def test_every_public_function_is_listed():
    assert len(DOCUMENTED) >= 60
    assert scaleplan.srm in DOCUMENTED and scaleplan.plot.rollout in DOCUMENTED


@pytest.mark.parametrize("f", DOCUMENTED, ids=lambda f: f.__name__)
def test_docstring_has_sections_and_a_running_example(f):
    doc = f.__doc__ or ""
    for section in ("Parameters\n", "Returns\n", "Examples\n"):
        assert section in doc, f"{f.__name__}: no {section.strip()} section"
    if f.__module__ == "scaleplan.plot":
        pytest.importorskip("matplotlib").use("Agg")
    if f.__name__.startswith("dask_"):
        pytest.importorskip("dask.dataframe")
    tests = doctest.DocTestFinder().find(f, f.__name__, globs={"scaleplan": scaleplan})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for t in tests:
        runner.run(t)
    assert runner.failures == 0, f.__name__
    # the Spark examples are shown, not run here (a JVM; test_distributed runs them on local[2])
    assert runner.tries > 0 or f.__name__.startswith("spark_"), f.__name__


def test_plot_examples_run():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    assert doctest.testmod(scaleplan.plot).failed == 0
