"""The pandas peer of bench/reports.ts, from the same CSV export (the month-end rows of the 24 month ends and
the loans drawn in them). It computes what the bench compares cell for cell with lendguard's reports:

- classification at the last month end: loans and balance by class (the bench book has no manual overrides);
- roll rates: for each of the 12 transitions between the last 13 month ends, loans and their earlier balance
  by (bucket at the earlier month end, bucket at the later one or "out"); the last one is returned;
- vintages: by product and draw month (and all products), loans, disbursed principal, FPD30 loans, and the
  balance at M2+ and M4+ by months on book.

Prints its timings (the import of pandas, the CSV read, each table) and the figures as JSON."""
import json
import sys
import time

t_start = time.perf_counter()
import pandas as pd  # noqa: E402

t_import = time.perf_counter() - t_start

rows_file, loans_file, as_of = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
rows = pd.read_csv(
    rows_file,
    dtype={
        "loan_id": str,
        "month_end": str,
        "bucket": str,
        "days_past_due": "int32",
        "outstanding_principal_minor": "int64",
        "asset_class": str,
        "oldest_overdue_installment": "float64",
    },
)
loans = pd.read_csv(loans_file, dtype={"loan_id": str, "product_id": str, "opened_day": str, "principal_minor": "int64"})
t_read = time.perf_counter() - t0


def month_key(text):
    return text.str.slice(0, 4).astype("int32") * 12 + text.str.slice(5, 7).astype("int32") - 1


# Classification at the last month end.
t1 = time.perf_counter()
last_day = rows["month_end"].max()
last = rows[rows["month_end"] == last_day]
cls = last.groupby("asset_class")["outstanding_principal_minor"].agg(["size", "sum"])
t_class = time.perf_counter() - t1

# Roll rates: every transition of the last 13 month ends, by count and by earlier balance.
t2 = time.perf_counter()
rows["mk"] = month_key(rows["month_end"])
rows["rank"] = rows["bucket"].str.slice(1).astype("int8")
last_mk = int(rows["mk"].max())
window = rows[rows["mk"] > last_mk - 13][["loan_id", "mk", "bucket", "outstanding_principal_minor"]]
nxt = window[["loan_id", "mk", "bucket"]].copy()
nxt["mk"] = nxt["mk"] - 1
nxt = nxt.rename(columns={"bucket": "to"})
moves = window[window["mk"] < last_mk].merge(nxt, on=["loan_id", "mk"], how="left")
moves["to"] = moves["to"].fillna("out")
matrices = moves.groupby(["mk", "bucket", "to"])["outstanding_principal_minor"].agg(["size", "sum"])
t_roll = time.perf_counter() - t2

# Vintages: cohorts by product and draw month, balances at M2+ and M4+ by months on book, FPD30.
t3 = time.perf_counter()
loans["cohort"] = month_key(loans["opened_day"])
first_mk = last_mk - 23
loans = loans[(loans["cohort"] >= first_mk) & (loans["cohort"] <= last_mk)]
r = rows[["loan_id", "mk", "rank", "outstanding_principal_minor", "days_past_due", "oldest_overdue_installment"]].merge(
    loans[["loan_id", "product_id", "cohort"]], on="loan_id"
)
r["mob"] = r["mk"] - r["cohort"]
r = r[r["mob"] >= 0]
r["m2"] = r["outstanding_principal_minor"].where(r["rank"] >= 2, 0)
r["m4"] = r["outstanding_principal_minor"].where(r["rank"] >= 4, 0)
bad = r.groupby(["product_id", "cohort", "mob"])[["m2", "m4"]].sum()
fpd_ids = rows.loc[(rows["days_past_due"] > 30) & (rows["oldest_overdue_installment"] == 1), "loan_id"].unique()
loans["fpd"] = loans["loan_id"].isin(fpd_ids)
cohorts = loans.groupby(["product_id", "cohort"]).agg(
    loans=("loan_id", "size"), disbursed=("principal_minor", "sum"), fpd=("fpd", "sum")
)
bad_all = bad.groupby(level=["cohort", "mob"]).sum()
cohorts_all = cohorts.groupby(level="cohort").sum()
t_vintage = time.perf_counter() - t3


def label(k):
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def curve(table, key, column):
    out = [0] * (last_mk - key[-1] + 1)
    try:
        part = table.loc[key][column]
    except KeyError:
        return out
    for mob, v in part.items():
        if 0 <= mob < len(out):
            out[mob] = int(v)
    return out


vintage = {}
for (product, cohort), c in cohorts.iterrows():
    vintage[f"{product}/{label(cohort)}"] = [
        int(c["loans"]),
        int(c["disbursed"]),
        int(c["fpd"]),
        curve(bad, (product, cohort), "m2"),
        curve(bad, (product, cohort), "m4"),
    ]
for cohort, c in cohorts_all.iterrows():
    vintage[f"all/{label(cohort)}"] = [
        int(c["loans"]),
        int(c["disbursed"]),
        int(c["fpd"]),
        curve(bad_all, (cohort,), "m2"),
        curve(bad_all, (cohort,), "m4"),
    ]
matrix = {}
for (mk, frm, to), v in matrices.iterrows():
    if mk == last_mk - 1:
        matrix.setdefault(frm, {})[to] = [int(v["size"]), int(v["sum"])]

print(
    json.dumps(
        {
            "import_s": t_import,
            "read_s": t_read,
            "class_s": t_class,
            "roll_s": t_roll,
            "vintage_s": t_vintage,
            "cpu_s": time.process_time(),
            "rows": int(len(rows)),
            "matrix": matrix,
            "vintage": vintage,
            "classes": {k: [int(v["size"]), int(v["sum"])] for k, v in cls.iterrows()},
        }
    )
)
