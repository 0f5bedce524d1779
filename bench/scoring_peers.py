"""Peers for bench/scoring.ts, measured on the same rows and split: scikit-learn binning + LogisticRegression,
and xgboost hist with the same trees, depth and learning rate. Prints one JSON line. Uses Debian's python3."""
import json
import os
import sys
import time

import numpy as np

d = sys.argv[1]
meta = json.load(open(os.path.join(d, "meta.json")))
n = meta["rows"]
kinds = meta["kinds"]
p = len(kinds)
x = np.fromfile(os.path.join(d, "x.f64"), dtype=np.float64).reshape(n, p)
y = np.fromfile(os.path.join(d, "y.u8"), dtype=np.uint8)
test = np.fromfile(os.path.join(d, "test.u8"), dtype=np.uint8).astype(bool)
xtr, xte, ytr, yte = x[~test], x[test], y[~test], y[test]
num = [i for i, k in enumerate(kinds) if k == "numeric"]
cat = [i for i, k in enumerate(kinds) if k == "categorical"]
out = {}

try:
    import sklearn
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import MissingIndicator, SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder

    pipe = make_pipeline(
        ColumnTransformer([
            ("bins", make_pipeline(SimpleImputer(strategy="median"),
                                   KBinsDiscretizer(n_bins=10, encode="onehot", strategy="quantile")), num),
            ("missing", MissingIndicator(), num),
            ("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value=-1),
                                  OneHotEncoder(handle_unknown="ignore")), cat),
        ]),
        LogisticRegression(max_iter=1000),
    )
    t = time.perf_counter()
    pipe.fit(xtr, ytr)
    fit_s = time.perf_counter() - t
    out["sklearn"] = {"fit_s": fit_s, "auc": float(roc_auc_score(yte, pipe.predict_proba(xte)[:, 1])),
                      "version": sklearn.__version__}
except ImportError as e:
    out["sklearn_missing"] = str(e)

if meta.get("xgboost"):
    try:
        import xgboost as xgb
        from sklearn.metrics import roc_auc_score

        # Once on one thread and once on every core, so that a single-threaded trainer compares like for like.
        out["xgboost"] = []
        for threads in sorted({1, os.cpu_count() or 1}):
            model = xgb.XGBClassifier(n_estimators=meta["trees"], max_depth=meta["depth"],
                                      learning_rate=meta["eta"], tree_method="hist", n_jobs=threads)
            t = time.perf_counter()
            cpu = time.process_time()
            model.fit(xtr, ytr)
            fit_s = time.perf_counter() - t
            cpu_s = time.process_time() - cpu
            out["xgboost"].append({"fit_s": fit_s, "cpu_s": cpu_s,
                                   "auc": float(roc_auc_score(yte, model.predict_proba(xte)[:, 1])),
                                   "version": xgb.__version__, "threads": threads})
    except ImportError as e:
        out["xgboost_missing"] = str(e)

print(json.dumps(out))
