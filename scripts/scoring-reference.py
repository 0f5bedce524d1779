"""Reference quality figures for the scoring toolkit's tests, computed once and committed.

For each shared credit data set and each of 20 seeded stratified 70/30 splits (scikit-learn
train_test_split(test_size=0.3, random_state=seed, stratify=y), seeds 1..20), fits the reference recipes on the
training rows and records their test AUC, with the split's test rows, in test/scoring/reference-quality.json:

- "binnedLogistic": numeric columns with at least 11 distinct values median-imputed and cut into 10
  equal-frequency bins (KBinsDiscretizer quantile, one-hot) plus a missing indicator; other numeric columns
  (dummies, small counts) and categoricals one-hot by value (missing as a level); LogisticRegression with its
  defaults (C = 1, lbfgs, max_iter 1000) — the scorecard's reference;
- "xgboost": xgboost hist, 300 trees, depth 3, learning rate 0.05, other settings default — the data README's
  boosted reference;
- "xgboostSameParameters": xgboost hist with the boosted model's defaults (depth 3, learning rate 0.05,
  subsample 0.8, colsample_bytree 0.5, lambda 1, min_child_weight 1, up to 600 rounds, early stopping after 50
  on a stratified 20% of the training rows, then a refit on all training rows with round(best / 0.8) rounds).

Run with Debian's python3 (python3-sklearn, python3-xgboost, python3-pandas):
    /usr/bin/python3 scripts/scoring-reference.py
The tests read the JSON and never call Python.
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb
from sklearn.compose import ColumnTransformer
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.path.join(ROOT, "test", "fixtures", "data")
OUT = os.path.join(ROOT, "test", "scoring", "reference-quality.json")
SEEDS = list(range(1, 21))
CASES = [("german_credit.csv", "Class", "Bad"), ("credit_data.csv", "Status", "bad")]


BINNED_DISTINCT_MIN = 11


def binned_logistic(frame, num, cat):
    # Equal-frequency bins only where there are values enough to cut: a 0/1 dummy or a small count cut into ten
    # quantiles collapses into one bin (a constant), so such columns are one-hot encoded by value instead.
    many = [c for c in num if frame[c].nunique() >= BINNED_DISTINCT_MIN]
    few = [c for c in num if c not in many]
    parts = []
    if many:
        parts.append(("bins", make_pipeline(SimpleImputer(strategy="median"),
                                            KBinsDiscretizer(n_bins=10, encode="onehot", strategy="quantile")),
                      many))
        parts.append(("missing", MissingIndicator(features="all"), many))
    if few:
        parts.append(("values", make_pipeline(SimpleImputer(strategy="constant", fill_value=-1e9),
                                              OneHotEncoder(handle_unknown="ignore")), few))
    if cat:
        parts.append(("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                                           OneHotEncoder(handle_unknown="ignore")), cat))
    return make_pipeline(ColumnTransformer(parts), LogisticRegression(max_iter=1000))


def numeric_matrix(frame, num, cat, levels):
    """Numbers as they are; a categorical as the code of its level (NaN when missing), for xgboost."""
    cols = [frame[c].to_numpy(dtype=float) for c in num]
    for c in cat:
        cols.append(frame[c].map(levels[c]).to_numpy(dtype=float))
    return np.column_stack(cols)


def same_parameters(xtr, ytr, seed):
    common = dict(tree_method="hist", max_depth=3, learning_rate=0.05, subsample=0.8, colsample_bytree=0.5,
                  reg_lambda=1.0, min_child_weight=1.0, n_jobs=1, random_state=seed)
    fit_rows, held_rows = train_test_split(np.arange(len(ytr)), test_size=0.2, random_state=seed, stratify=ytr)
    stopper = xgb.XGBClassifier(n_estimators=600, early_stopping_rounds=50, eval_metric="logloss", **common)
    stopper.fit(xtr[fit_rows], ytr[fit_rows], eval_set=[(xtr[held_rows], ytr[held_rows])], verbose=False)
    rounds = min(600, max(1, round((stopper.best_iteration + 1) / 0.8)))
    model = xgb.XGBClassifier(n_estimators=rounds, **common)
    model.fit(xtr, ytr)
    return model


def mask_hex(test_rows, n):
    bits = np.zeros(n, dtype=np.uint8)
    bits[test_rows] = 1
    padded = np.concatenate([bits, np.zeros((-n) % 4, dtype=np.uint8)])
    return "".join("%x" % (padded[i] * 8 + padded[i + 1] * 4 + padded[i + 2] * 2 + padded[i + 3])
                   for i in range(0, len(padded), 4))


def main():
    # Columns with few distinct values (counts, 0/1 dummies) get fewer than 10 bins: expected, not news.
    warnings.filterwarnings("ignore", message="Bins whose width are too small")
    out = {
        "generatedBy": "scripts/scoring-reference.py",
        "versions": {"scikit-learn": sklearn.__version__, "xgboost": xgb.__version__, "pandas": pd.__version__},
        "split": "train_test_split(test_size=0.3, random_state=seed, stratify=y)",
        "testRows": "hex, 4 rows per digit, most significant bit first: bit set = test row",
        "files": {},
    }
    for file, target, bad in CASES:
        frame = pd.read_csv(os.path.join(DATA, file), na_values=["NA", ""], keep_default_na=False)
        y = (frame[target] == bad).to_numpy(dtype=np.uint8)
        x = frame.drop(columns=[target])
        num = [c for c in x.columns if pd.api.types.is_numeric_dtype(x[c])]
        cat = [c for c in x.columns if c not in num]
        levels = {c: {v: i for i, v in enumerate(sorted(x[c].dropna().unique()))} for c in cat}
        matrix = numeric_matrix(x, num, cat, levels)
        splits = []
        for seed in SEEDS:
            train, test = train_test_split(np.arange(len(y)), test_size=0.3, random_state=seed, stratify=y)
            train.sort()
            test.sort()
            pipe = binned_logistic(x, num, cat).fit(x.iloc[train], y[train])
            binned = roc_auc_score(y[test], pipe.predict_proba(x.iloc[test])[:, 1])
            readme = xgb.XGBClassifier(n_estimators=300, max_depth=3, learning_rate=0.05, tree_method="hist",
                                       n_jobs=1, random_state=seed).fit(matrix[train], y[train])
            boosted = roc_auc_score(y[test], readme.predict_proba(matrix[test])[:, 1])
            same = same_parameters(matrix[train], y[train], seed)
            same_auc = roc_auc_score(y[test], same.predict_proba(matrix[test])[:, 1])
            splits.append({"seed": seed, "testRows": mask_hex(test, len(y)), "binnedLogistic": round(binned, 6),
                           "xgboost": round(boosted, 6), "xgboostSameParameters": round(same_auc, 6)})
            print(file, seed, round(binned, 4), round(boosted, 4), round(same_auc, 4), flush=True)
        out["files"][file] = {"rows": int(len(y)), "splits": splits}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
