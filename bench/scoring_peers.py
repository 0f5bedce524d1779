"""Peers for bench/scoring.ts, measured on the same rows and split: scikit-learn binning + LogisticRegression,
and xgboost hist with the same trees, depth and learning rate; then, when the bench asks for them, the searches
on the bench's sample and folds (one thread): scikit-learn GridSearchCV of the same pipeline over bins and L2,
and xgboost cv over the boosted grid with early stopping. Prints one JSON line. Uses Debian's python3."""
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

search = meta.get("search")
if search:
    rows = np.fromfile(os.path.join(d, "search-rows.i32"), dtype=np.int32)
    xs, ys = x[rows], y[rows]
    k = search["folds"]
    try:
        from sklearn.model_selection import GridSearchCV, PredefinedSplit

        sc_folds = np.fromfile(os.path.join(d, "search-scorecard-folds.i32"), dtype=np.int32)
        # Our L2 per row λ means deviance + λ·n·|β|² = 2·(log-loss sum + λ·n/2·|β|²); scikit-learn minimises
        # C·log-loss sum + |β|²/2, so C = 1 / (λ·n) with n the rows of the training folds; λ = 0 is no penalty.
        n_fit = int(np.mean([np.sum(sc_folds != f) for f in range(k)]))
        bins_key = "columntransformer__bins__kbinsdiscretizer__n_bins"
        grid = [{bins_key: search["bins"], "logisticregression__penalty": ["none"]}]
        penalties = [l2 for l2 in search["l2PerRow"] if l2 > 0]
        if penalties:
            grid.append({bins_key: search["bins"], "logisticregression__C": [1.0 / (l2 * n_fit) for l2 in penalties]})
        gs = GridSearchCV(pipe, grid, scoring="roc_auc", cv=PredefinedSplit(sc_folds), n_jobs=1, refit=False)
        t = time.perf_counter()
        cpu = time.process_time()
        gs.fit(xs, ys)
        points = len(gs.cv_results_["params"])
        out["sklearnSearch"] = {"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - cpu,
                                "points": points, "fits": points * k, "best": json.dumps(gs.best_params_),
                                "bestAuc": float(gs.best_score_)}
    except Exception as e:  # noqa: BLE001 - reported, not fatal
        out["sklearnSearch_error"] = repr(e)
    if meta.get("xgboost"):
        try:
            import xgboost as xgb

            gbm_folds = np.fromfile(os.path.join(d, "search-gbm-folds.i32"), dtype=np.int32)
            folds = [(np.where(gbm_folds != f)[0], np.where(gbm_folds == f)[0]) for f in range(k)]
            dtrain = xgb.DMatrix(xs, label=ys, nthread=1)
            g = search["gbmGrid"]
            best = None
            points = 0
            t = time.perf_counter()
            cpu = time.process_time()
            for depth in g["maxDepth"]:
                for eta in g["learningRate"]:
                    for mcw in g["minChildWeight"]:
                        params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": depth,
                                  "eta": eta, "min_child_weight": mcw, "subsample": 0.8, "colsample_bytree": 0.5,
                                  "lambda": 1.0, "nthread": 1, "eval_metric": ["logloss", "auc"],
                                  "seed": search["seed"]}
                        res = xgb.cv(params, dtrain, num_boost_round=600, folds=folds, early_stopping_rounds=50,
                                     metrics=["auc", "logloss"], seed=search["seed"], as_pandas=False)
                        points += 1
                        # Cut at the best round (early stopping on the last metric, the log-loss).
                        auc_mean = float(res["test-auc-mean"][-1])
                        rounds = len(res["test-auc-mean"])
                        if best is None or auc_mean > best[1]:
                            best = ("depth %d, eta %g, min child weight %g: %d rounds" % (depth, eta, mcw, rounds),
                                    auc_mean)
            out["xgboostSearch"] = {"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - cpu,
                                    "points": points, "fits": points * k, "best": best[0], "bestAuc": best[1]}
        except Exception as e:  # noqa: BLE001 - reported, not fatal
            out["xgboostSearch_error"] = repr(e)

print(json.dumps(out))
