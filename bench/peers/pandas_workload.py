#!/usr/bin/python3
"""The benchmark's pandas peer of `servelens ingest workload` + `analyze workload`.

The same workload tables as servelens's `analyze workload` (and as the DuckDB peer,
src/test/java/dev/servelens/peers/DuckDbWorkloadSql.java), computed the way the seed's pandas
scripts do it (1a1a11a/llm-workload `analysis/`: overview.py, plot_user.py,
plot_per_model_token_distributions.py, plot_per_model_arrival_time.py,
plot_per_user_model_diversity.py): one `pd.read_csv` of the canonical CSV files into a
DataFrame, then groupby / value_counts / sort_values / diff / shift in pandas and numpy
percentiles. No figures are drawn (neither matplotlib nor any plotting): only the tables and the
figure data are written, as CSV, under OUT/workload/ with servelens's file names, so that
WorkloadOutputsComparison can compare them with servelens's.

    /usr/bin/python3 bench/peers/pandas_workload.py --input TRACE_DIR --out OUT_DIR
        [--top-models 10] [--top-n 20] [--window 1000] [--diversity-top-users 50]

Prints `rows=`, `load_s=` (reading and parsing the CSVs) and `analysis_s=` (every table,
including writing the CSVs), seconds inside the process, like the DuckDB peer.

Definitions (those of servelens and the DuckDB peer): series `*` = all requests; exact quantile
= the smallest value v with CDF(v) >= q, on integer counts; output/input ratio leaves out
input_tokens = 0; gap = consecutive started_at of a series, sorted, raised to 1 ms, in seconds;
cv = population std / mean; lag-1 Pearson over (gap, next gap); Spearman = Pearson of the
average ranks of gaps[0..n-2] and of gaps[1..n-1], each ranked on its own; heatmap of log10(ms)
of the gaps clipped to [1e-3, 1e4] s in 50 x 50 bins; model diversity over windows of W requests
of each user in (started_at, model_id) order. Overview and box percentiles are numpy's
`inverted_cdf` percentiles (exact, like the DuckDB peer's quantile_disc; servelens's are
approximate).
"""

import argparse
import glob
import os
import sys
import time

import numpy as np
import pandas as pd

EXACT_PER_MILLE = (500, 900, 990)
OVERVIEW_QUANTILES = [0.5, 0.9, 0.95, 0.99, 0.999]
BOX_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]
HEATMAP_MIN_S = 1e-3
HEATMAP_MAX_S = 1e4
HEATMAP_BINS = 50
CDF_POINTS = 1000
RANKS_PER_DECADE = 100
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
NUMERIC_COLUMNS = ["input_tokens", "output_tokens", "ttft", "duration", "completion_tps"]
ALL_COLUMNS = ["user_id", "model_id", "input_tokens", "output_tokens", "started_at",
               "completed_at", "ttft", "duration"]


def csv_files(path):
    if os.path.isfile(path):
        return [path]
    files = sorted(f for f in glob.glob(os.path.join(path, "**", "*.csv"), recursive=True)
                   if not os.path.basename(f).startswith(".") and os.path.isfile(f))
    if not files:
        sys.exit("no .csv files under " + path)
    return files


def load(path):
    """The trace as one DataFrame, timestamps parsed (UTC, kept naive)."""
    frames = [pd.read_csv(f, dtype={"user_id": str, "model_id": str}, keep_default_na=False,
                          na_values=[""]) for f in csv_files(path)]
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for column in ("started_at", "completed_at"):
        df[column] = pd.to_datetime(df[column], utc=True).dt.tz_localize(None)
    return df


def write(df, out, name):
    path = os.path.join(out, name)
    df.to_csv(path, index=False)


def percentiles(values, qs):
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return [np.nan] * len(qs)
    return list(np.quantile(values, qs, method="inverted_cdf"))


def stamp(series):
    return series.dt.strftime(TIMESTAMP_FORMAT)


# ---- CDFs ------------------------------------------------------------------------------------

def cdf_table(freq):
    """series, value, count -> sorted, with cumulative and total per series (integers)."""
    t = freq.dropna(subset=["series", "value"]).sort_values(["series", "value"], kind="mergesort")
    t = t.reset_index(drop=True)
    t["count"] = t["count"].astype("int64")
    t["cumulative"] = t.groupby("series")["count"].cumsum()
    t["total"] = t.groupby("series")["count"].transform("sum")
    return t


def exact_quantiles(cdf):
    """series -> {per_mille: smallest value with CDF >= q}, compared on integers."""
    result = {}
    for per_mille in EXACT_PER_MILLE:
        hit = cdf[cdf["cumulative"] * 1000 >= cdf["total"] * per_mille]
        result[per_mille] = hit.groupby("series")["value"].min()
    return result


def thinned(cdf, series=None):
    """First point of each series and each point entering a new 1/1000 step of the CDF."""
    t = cdf if series is None else cdf[cdf["series"].isin(series)]
    cum = t["cumulative"].to_numpy(dtype=float)
    total = t["total"].to_numpy(dtype=float)
    count = t["count"].to_numpy(dtype=float)
    keep = (np.floor(cum / total * CDF_POINTS) != np.floor((cum - count) / total * CDF_POINTS)) \
        | (t["cumulative"].to_numpy() == t["count"].to_numpy())
    t = t[keep]
    return pd.DataFrame({"series": t["series"].to_numpy(), "value": t["value"].to_numpy(),
                         "cdf": t["cumulative"].to_numpy() / t["total"].to_numpy()})


def frequencies_with_all(df, value):
    """Per-model value counts plus the same summed into series '*'."""
    frame = pd.DataFrame({"series": df["model_id"], "value": value})
    per_model = frame.groupby(["series", "value"], dropna=False).size().reset_index(name="count")
    overall = frame["value"].value_counts(dropna=False).rename_axis("value") \
        .reset_index(name="count")
    overall.insert(0, "series", "*")
    return pd.concat([per_model, overall], ignore_index=True)


# ---- analyses --------------------------------------------------------------------------------

def top_models(df, k):
    counts = df["model_id"].value_counts(dropna=False).rename_axis("model").reset_index(
        name="requests")
    counts["isnull"] = counts["model"].isna()
    counts = counts.sort_values(["requests", "isnull", "model"], ascending=[False, True, True],
                                kind="mergesort").head(k)
    return [m for m in counts["model"] if isinstance(m, str)] + ["*"]


def overview(df, out, top_n):
    n = len(df)
    first, last = df["started_at"].min(), df["started_at"].max()
    write(pd.DataFrame({
        "requests": [n],
        "first_started_at": [first.strftime(TIMESTAMP_FORMAT) if pd.notna(first) else None],
        "last_started_at": [last.strftime(TIMESTAMP_FORMAT) if pd.notna(last) else None],
        "models_approx": [df["model_id"].nunique()],
        "users_approx": [df["user_id"].nunique()],
        "span_days": [(last - first).total_seconds() / 86400.0 if n else None]}),
        out, "overview_summary.csv")
    write(pd.DataFrame([{"column": c, "non_null": int(df[c].count()),
                         "nulls": int(n - df[c].count()), "distinct_approx": int(df[c].nunique())}
                        for c in ALL_COLUMNS]), out, "overview_columns.csv")

    values = pd.DataFrame({
        "model": df["model_id"].fillna("(none)"),
        "input_tokens": df["input_tokens"].astype(float),
        "output_tokens": df["output_tokens"].astype(float),
        "ttft": df["ttft"].astype(float),
        "duration": df["duration"].astype(float)})
    values["completion_tps"] = ((df["input_tokens"] + df["output_tokens"]) / df["duration"]) \
        .where(df["duration"] > 0)
    rows = []
    for column in NUMERIC_COLUMNS:
        groups = [("*", values[column])] + list(values.groupby("model")[column])
        for model, v in groups:
            q = percentiles(v, OVERVIEW_QUANTILES)
            rows.append({"column": column, "model": model, "count": int(v.count()),
                         "nulls": int(v.isna().sum()), "mean": v.mean(), "stddev": v.std(),
                         "min": v.min(), "p50": q[0], "p90": q[1], "p95": q[2], "p99": q[3],
                         "p999": q[4], "max": v.max()})
    numeric = pd.DataFrame(rows).sort_values(["column", "model"], kind="mergesort")
    write(numeric, out, "overview_numeric.csv")

    categorical = []
    for column in ("model_id", "user_id"):
        counts = df[column].value_counts(dropna=False).rename_axis("value").reset_index(
            name="requests")
        counts["isnull"] = counts["value"].isna()
        counts = counts.sort_values(["requests", "isnull", "value"],
                                    ascending=[False, True, True], kind="mergesort")
        total = int(counts["requests"].sum())
        shown = counts.head(top_n)
        part = pd.DataFrame({"column": column, "rank": np.arange(1, len(shown) + 1),
                             "value": shown["value"].to_numpy(),
                             "requests": shown["requests"].to_numpy(),
                             "share": shown["requests"].to_numpy() / max(total, 1)})
        categorical.append(part)
        rest = total - int(shown["requests"].sum())
        if rest > 0:
            categorical.append(pd.DataFrame({"column": [column], "rank": [len(shown) + 1],
                                             "value": ["(other)"], "requests": [rest],
                                             "share": [rest / total]}))
    write(pd.concat(categorical, ignore_index=True), out, "overview_categorical.csv")

    started = df["started_at"].dropna()
    for unit, freq in (("hour", "H"), ("day", "D")):
        per = started.dt.floor(freq).value_counts().sort_index()
        write(pd.DataFrame({"period": stamp(pd.Series(per.index)), "requests": per.to_numpy()}),
              out, "figures/requests_per_%s.csv" % unit)


def tokens(df, out, top):
    quantile_rows = []
    metrics = {
        "input_tokens": df["input_tokens"].astype(float),
        "output_tokens": df["output_tokens"].astype(float),
        "output_input_ratio": (df["output_tokens"].astype(float) / df["input_tokens"])
        .where(df["input_tokens"] > 0)}
    for metric, value in metrics.items():
        cdf = cdf_table(frequencies_with_all(df, value))
        write(thinned(cdf, top), out, "figures/cdf_%s.csv" % metric)
        for per_mille, by_series in exact_quantiles(cdf).items():
            for series, v in by_series.items():
                quantile_rows.append({"model": series, "metric": metric,
                                      "q": per_mille / 1000.0, "value": v})
    # The latencies' CDFs are drawn, with no quantile table.
    for latency in ("ttft", "duration"):
        cdf = cdf_table(frequencies_with_all(df, df[latency].astype(float)))
        write(thinned(cdf, top), out, "figures/cdf_%s.csv" % latency)
    quantiles = pd.DataFrame(quantile_rows).sort_values(["metric", "model", "q"],
                                                        kind="mergesort")
    write(quantiles, out, "token_quantiles.csv")

    grouped = df.assign(zero=df["input_tokens"] == 0,
                        missing=df["input_tokens"].isna() | df["output_tokens"].isna()) \
        .groupby("model_id", dropna=False)
    exclusions = pd.DataFrame({"requests": grouped.size(), "zero_input_excluded":
                               grouped["zero"].sum(), "missing_tokens": grouped["missing"].sum()})
    exclusions = exclusions.rename_axis("model").reset_index()
    write(exclusions.sort_values("model", kind="mergesort", na_position="first"), out,
          "token_ratio_exclusions.csv")


def spearman(gaps):
    if len(gaps) < 3:
        return np.nan
    x = pd.Series(gaps[:-1]).rank(method="average")
    y = pd.Series(gaps[1:]).rank(method="average")
    return x.corr(y)


def gaps_table(df):
    """One row per gap: series, gap_s, previous_gap_s, hour, date (per model and '*')."""
    timed = df[df["started_at"].notna()]
    us = timed["started_at"].to_numpy().astype("datetime64[us]").astype("int64")
    base = pd.DataFrame({"series": timed["model_id"].to_numpy(), "us": us,
                         "started_at": timed["started_at"].to_numpy()})
    long = pd.concat([base[base["series"].notna()], base.assign(series="*")], ignore_index=True)
    long = long.sort_values(["series", "us"], kind="mergesort").reset_index(drop=True)
    delta = long.groupby("series")["us"].diff()
    long["gap_s"] = np.maximum(delta, 1000) / 1000000.0
    long["previous_gap_s"] = long.groupby("series")["gap_s"].shift(1)
    gaps = long[delta.notna()].reset_index(drop=True)
    gaps["hour"] = gaps["started_at"].dt.hour
    gaps["date"] = gaps["started_at"].dt.strftime("%Y-%m-%d")
    return gaps.drop(columns=["us", "started_at"])


def box_stats(frame, value, keys):
    rows = []
    for key, group in frame.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        v = group[value]
        q = percentiles(v, BOX_QUANTILES)
        rows.append(dict(zip(keys, key), p5=q[0], p25=q[1], p50=q[2], p75=q[3], p95=q[4],
                         mean=v.mean(), n=int(v.count())))
    return pd.DataFrame(rows, columns=keys + ["p5", "p25", "p50", "p75", "p95", "mean", "n"])


def inter_arrival(df, out, top):
    gaps = gaps_table(df)
    cdf = cdf_table(gaps.groupby(["series", "gap_s"]).size().rename_axis(["series", "value"])
                    .reset_index(name="count"))
    quantiles = exact_quantiles(cdf)
    rows = []
    for series, group in gaps.groupby("series", sort=True):
        g = group["gap_s"].to_numpy()
        mean = g.mean()
        rows.append({"model": series, "n_gaps": len(g), "mean_s": mean,
                     "p50_s": quantiles[500][series], "p90_s": quantiles[900][series],
                     "p99_s": quantiles[990][series], "cv": g.std(ddof=0) / mean,
                     "pearson_lag1": group["previous_gap_s"].corr(group["gap_s"]),
                     "spearman_lag1": spearman(g)})
    write(pd.DataFrame(rows), out, "interarrival_stats.csv")
    write(thinned(cdf, top), out, "figures/cdf_interarrival.csv")

    shown = gaps[gaps["series"].isin(top)]
    write(box_stats(shown, "gap_s", ["series", "hour"]), out, "figures/interarrival_hourly_box.csv")
    write(box_stats(shown, "gap_s", ["series", "date"]), out, "figures/interarrival_daily_box.csv")

    low_log = np.log10(HEATMAP_MIN_S * 1000)
    width = (np.log10(HEATMAP_MAX_S * 1000) - low_log) / HEATMAP_BINS

    def binned(seconds):
        clipped = np.minimum(np.maximum(seconds, HEATMAP_MIN_S), HEATMAP_MAX_S)
        return np.minimum(np.floor((np.log10(clipped * 1000.0) - low_log) / width),
                          HEATMAP_BINS - 1).astype("int64")

    pairs = shown[shown["previous_gap_s"].notna()]
    cells = pd.DataFrame({"series": pairs["series"].to_numpy(),
                          "x_bin": binned(pairs["previous_gap_s"].to_numpy()),
                          "y_bin": binned(pairs["gap_s"].to_numpy())})
    heat = cells.groupby(["series", "x_bin", "y_bin"]).size().reset_index(name="count")

    def edge(b):
        return np.power(10.0, b * width + low_log) / 1000.0

    heat.insert(3, "x_lo", edge(heat["x_bin"]))
    heat.insert(4, "x_hi", edge(heat["x_bin"] + 1))
    heat.insert(5, "y_lo", edge(heat["y_bin"]))
    heat.insert(6, "y_hi", edge(heat["y_bin"] + 1))
    heat["probability"] = heat["count"] / heat.groupby("series")["count"].transform("sum")
    heat["conditional_probability"] = heat["count"] / heat.groupby(["series", "x_bin"])[
        "count"].transform("sum")
    write(heat, out, "figures/interarrival_heatmap.csv")


def log_spaced(rank, n):
    rank = np.asarray(rank)
    with np.errstate(divide="ignore"):
        step = np.floor(np.log10(rank) * RANKS_PER_DECADE) \
            != np.floor(np.log10(np.maximum(rank - 1, 0)) * RANKS_PER_DECADE)
    return (rank == 1) | (rank == n) | step


def users(df, out, top_n):
    known = df[df["user_id"].notna()]
    per_user = known.groupby("user_id").agg(requests=("model_id", "size"),
                                            distinct_models=("model_id", "nunique")).reset_index()
    per_user = per_user.sort_values(["requests", "user_id"], ascending=[False, True],
                                    kind="mergesort").reset_index(drop=True)
    per_user["rank"] = np.arange(1, len(per_user) + 1)
    write(per_user, out, "requests_per_user.csv")
    write(per_user[per_user["rank"] <= top_n], out, "top_users.csv")
    n = len(per_user)
    write(per_user.loc[log_spaced(per_user["rank"], n), ["rank", "requests"]], out,
          "figures/rank_requests_per_user.csv")
    by_models = per_user.sort_values(["distinct_models", "user_id"], ascending=[False, True],
                                     kind="mergesort")
    models_rank = pd.DataFrame({"rank": np.arange(1, n + 1),
                                "distinct_models": by_models["distinct_models"].to_numpy()})
    write(models_rank[log_spaced(models_rank["rank"], n)], out,
          "figures/rank_models_per_user.csv")
    for measure, name in (("requests", "requests"), ("distinct_models", "models")):
        counts = per_user[measure].value_counts().rename_axis("value").reset_index(name="count")
        counts.insert(0, "series", "*")
        write(thinned(cdf_table(counts)), out, "figures/cdf_%s_per_user.csv" % name)
    return per_user


def diversity(df, out, per_user, window, top_users):
    known = df[df["user_id"].notna()][["user_id", "started_at", "model_id"]]
    ordered = known.sort_values(["user_id", "started_at", "model_id"], kind="mergesort",
                                na_position="first")
    ordered = ordered.assign(window=ordered.groupby("user_id").cumcount() // window)
    windows = ordered.groupby(["user_id", "window"]).agg(
        models_in_window=("model_id", "nunique"), requests_in_window=("model_id", "size")) \
        .reset_index()
    histogram = windows["models_in_window"].value_counts().sort_index() \
        .rename_axis("models_in_window").reset_index(name="windows")
    total = histogram["windows"].sum()
    histogram["share"] = histogram["windows"] / total
    histogram["cdf"] = histogram["windows"].cumsum() / total
    write(histogram, out, "diversity_histogram.csv")
    top = windows.merge(per_user[per_user["rank"] <= top_users], on="user_id")
    box = box_stats(top, "models_in_window", ["user_id", "rank", "requests"])
    write(box.sort_values("rank", kind="mergesort"), out, "diversity_top_users.csv")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="trace folder (or one CSV file)")
    parser.add_argument("--out", required=True, help="output folder (tables under workload/)")
    parser.add_argument("--top-models", type=int, default=10)
    parser.add_argument("--top-n", type=int, default=20)
    parser.add_argument("--window", type=int, default=1000)
    parser.add_argument("--diversity-top-users", type=int, default=50)
    args = parser.parse_args()
    out = os.path.join(args.out, "workload")
    os.makedirs(os.path.join(out, "figures"), exist_ok=True)

    started = time.perf_counter()
    df = load(args.input)
    print("rows=%d" % len(df))
    print("load_s=%.3f" % (time.perf_counter() - started), flush=True)

    analysis_started = time.perf_counter()
    top = top_models(df, args.top_models)

    def step(name, function, *arguments):
        step_started = time.perf_counter()
        result = function(*arguments)
        print("  step %-28s %8.3f s" % (name, time.perf_counter() - step_started), flush=True)
        return result

    step("overview", overview, df, out, args.top_n)
    step("tokens", tokens, df, out, top)
    step("inter-arrival", inter_arrival, df, out, top)
    per_user = step("users", users, df, out, args.top_n)
    step("model diversity", diversity, df, out, per_user, args.window, args.diversity_top_users)
    print("analysis_s=%.3f" % (time.perf_counter() - analysis_started))


if __name__ == "__main__":
    main()
