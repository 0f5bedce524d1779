"""The pandas peer of bench/reports.ts: the roll-rate count matrix of the last two month ends and the M2+
vintage table, from the same CSV export (month-end rows and drawn loans). Prints its timings and a digest of
the figures so the bench can compare them with its own."""
import json
import sys
import time

import pandas as pd

rows_file, loans_file, as_of = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
rows = pd.read_csv(rows_file, dtype={"loan_id": str, "bucket": str})
loans = pd.read_csv(loans_file, dtype={"loan_id": str})
t_read = time.perf_counter() - t0

t1 = time.perf_counter()
months = sorted(rows["month_end"].unique())
last, before = months[-1], months[-2]
a = rows[rows["month_end"] == before][["loan_id", "bucket"]]
b = rows[rows["month_end"] == last][["loan_id", "bucket"]].rename(columns={"bucket": "to"})
m = a.merge(b, on="loan_id", how="left")
m["to"] = m["to"].fillna("out")
matrix = pd.crosstab(m["bucket"], m["to"])
t_roll = time.perf_counter() - t1

t2 = time.perf_counter()
loans["cohort"] = loans["opened_day"].str.slice(0, 7)
cohort_disbursed = loans.groupby("cohort")["principal_minor"].sum()
r = rows.merge(loans[["loan_id", "cohort"]], on="loan_id")
r["month"] = r["month_end"].str.slice(0, 7)
y = r["month"].str.slice(0, 4).astype(int) * 12 + r["month"].str.slice(5, 7).astype(int)
c = r["cohort"].str.slice(0, 4).astype(int) * 12 + r["cohort"].str.slice(5, 7).astype(int)
r["mob"] = y - c
bad = r[r["bucket"].str.slice(1).astype(int) >= 2]
numer = bad.groupby(["cohort", "mob"])["outstanding_principal_minor"].sum()
vintage = (numer / cohort_disbursed.reindex(numer.index.get_level_values(0)).values).unstack(fill_value=0.0)
t_vintage = time.perf_counter() - t2

print(json.dumps({
    "read_s": t_read,
    "roll_s": t_roll,
    "vintage_s": t_vintage,
    "matrix_cells": int(matrix.values.sum()),
    "m0_to_m0": int(matrix.loc["M0", "M0"]) if "M0" in matrix.index and "M0" in matrix.columns else 0,
    "m0_total": int(matrix.loc["M0"].sum()) if "M0" in matrix.index else 0,
    "vintage_cells": int(vintage.size),
}))
