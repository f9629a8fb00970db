import json
import math
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def fixture(name):
    return json.loads((ROOT / "testdata" / name).read_text())


def close(actual, expected, tol):
    if expected is None:
        return actual is None
    return abs(actual - expected) <= tol["abs"] + tol["rel"] * abs(expected)


def num(v):
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, v) if isinstance(v, str) else v
