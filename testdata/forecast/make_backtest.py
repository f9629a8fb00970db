"""Reference values for scaleplan's rolling-origin backtest, from statsforecast and utilsforecast (not
scaleplan): the windows of `StatsForecast.cross_validation(h, n_windows, step_size)` with the
SeasonalNaive model (its point forecasts and 95 % intervals), and their sMAPE, MASE and coverage from
`utilsforecast.losses` (sMAPE there is a fraction: scaleplan reports percent, x 200).

Run: python testdata/forecast/make_backtest.py > testdata/forecast/backtest.json
     (statsforecast 2.1, utilsforecast 0.2: pip install -r benches/compare/requirements.txt)
Tolerance used by the tests: 1e-9 relative (forecasts, bounds, errors).
"""
import json
import warnings

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import SeasonalNaive
from utilsforecast import losses

warnings.filterwarnings("ignore")
rng = np.random.default_rng(20261123)
t = np.arange(96)
cases = [
    # Monthly cost with growth, a yearly cycle and noise; three non-overlapping 12-month windows.
    ("monthly", ((1000 + 15 * t) * (1 + 0.25 * np.sin(2 * np.pi * t / 12)) + rng.normal(0, 30, 96)).round(2),
     12, 12, 3, 12),
    # Daily usage with a weekly cycle; five overlapping 14-day windows a week apart.
    ("daily", (500 + 2 * t + np.tile([0, 10, 20, 15, 5, -40, -60], 14)[:96] + rng.normal(0, 8, 96)).round(3),
     7, 14, 5, 7),
    # A random walk with drift and no season (the naive forecast); four 6-step windows, 3 apart.
    ("no_season", (200 + np.cumsum(rng.normal(1, 5, 96))).round(3), None, 6, 4, 3),
]
out = []
for name, y, m, h, windows, step in cases:
    df = pd.DataFrame({"unique_id": name, "ds": np.arange(len(y)), "y": y})
    sf = StatsForecast(models=[SeasonalNaive(season_length=m or 1)], freq=1)
    cv = sf.cross_validation(df=df, h=h, n_windows=windows, step_size=step, level=[95])
    cv["unique_id"] = cv["unique_id"].astype(str) + "_" + cv["cutoff"].astype(str)
    expected = []
    for cutoff, w in cv.groupby("cutoff", sort=True):
        key = w["unique_id"].iloc[0]
        train = df[df["ds"] <= cutoff].assign(unique_id=key)
        smape = losses.smape(w, models=["SeasonalNaive"], id_col="unique_id")["SeasonalNaive"].iloc[0]
        mase = losses.mase(w, models=["SeasonalNaive"], seasonality=m or 1, train_df=train,
                           id_col="unique_id")["SeasonalNaive"].iloc[0]
        cov = losses.coverage(w, models=["SeasonalNaive"], level=95, id_col="unique_id")["SeasonalNaive"].iloc[0]
        expected.append({
            "cutoff": int(cutoff) + 1,  # scaleplan's cutoff counts the values before the origin
            "mean": w["SeasonalNaive"].tolist(),
            "lower": w["SeasonalNaive-lo-95"].tolist(),
            "upper": w["SeasonalNaive-hi-95"].tolist(),
            "smape": 200.0 * float(smape),
            "mase": float(mase),
            "coverage": float(cov),
        })
    out.append({"name": name, "values": y.tolist(), "season_length": m, "horizon": h, "windows": windows,
                "step": step, "expected": expected})
print(json.dumps({"source": "statsforecast 2.1 cross_validation + utilsforecast 0.2 losses",
                  "tolerance": 1e-9, "cases": out}, indent=1))
