"""The examples in the public functions' numpy-style docstrings run and print what they say (`help()` is
where a notebook user looks first)."""
import doctest

import pytest

import scaleplan
import scaleplan._tables
import scaleplan.frames
import scaleplan.plot

DOCUMENTED = [
    scaleplan.two_proportions, scaleplan.welch, scaleplan.assess_readiness, scaleplan.detect,
    scaleplan.forecast, scaleplan.growth_rate, scaleplan.exhaustion, scaleplan.detect_many,
    scaleplan.forecast_many, scaleplan.experiment_from_frame, scaleplan.to_pandas, scaleplan.budget_status,
]


@pytest.mark.parametrize("f", DOCUMENTED, ids=lambda f: f.__name__)
def test_docstring_has_sections_and_a_running_example(f):
    doc = f.__doc__ or ""
    for section in ("Parameters\n", "Returns\n", "Examples\n"):
        assert section in doc, f"{f.__name__}: no {section.strip()} section"
    tests = doctest.DocTestFinder().find(f, f.__name__, globs={"scaleplan": scaleplan})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for t in tests:
        runner.run(t)
    assert runner.tries > 0 and runner.failures == 0, f.__name__


def test_plot_examples_run():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    assert doctest.testmod(scaleplan.plot).failed == 0
