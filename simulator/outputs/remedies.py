"""The ranked table of remedies of a policy sweep: what each policy does against ``policy=none``.

For each economy (or other setting varied besides the policy), each policy is compared with the
run without any policy in the same economy. The runs share their seed, so replicate ``r`` of a
policy run and replicate ``r`` of the ``none`` run use the same random numbers (common random
numbers): the difference is taken replicate by replicate and its interval is a Student-t interval
of the mean difference. With fewer than :data:`MIN_REPLICATES` replicates no interval is given and
the table says so.

Point estimates (defaults prevented, purchase volume given up) are the differences of the means in
``sweep_summary.parquet``; the money figures (revenue, net losses, the partner's losses, public
money) are sums over each run's ``timeseries.parquet`` and ``summary.json``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from simulator.outputs.catalogue import value_label
from simulator.outputs.lang import language
from simulator.outputs.rundir import read_summary
from simulator.outputs.stats import MIN_REPLICATES, T975, mean_interval
from simulator.outputs.sweep import BASE_COLUMNS, INFO_COLUMNS, find_job_dirs

__all__ = ["AFTER_END_MONTHS", "MIN_REPLICATES", "T975", "replicate_figures", "remedy_ranking", "scenario_question",
           "t_interval"]


#: Money sums taken from each replicate's timeseries (column → figure).
_SUMS = {"revenue": "revenue", "platform_net_losses": "lender_losses",
         "partner_net_losses": "partner_losses", "purchases": "purchases"}


def t_interval(diffs: list[float]) -> tuple[float, float] | None:
    """95% Student-t interval of the mean of paired differences; None below :data:`MIN_REPLICATES`."""
    return mean_interval(diffs)


#: Months after a policy ends at which its defaults prevented are measured again (prevented or postponed).
AFTER_END_MONTHS = 12


def replicate_figures(run_dir: Path, at_month: int | None = None) -> pd.DataFrame:
    """Per replicate of a run: cumulative default rate, purchases, revenue, lender's and partner's
    net losses and public money paid (``transfers`` of the policies in ``summary.json``); with
    ``at_month``, also the cumulative default rate at the end of that month (``cum_default_rate_at``).
    """
    ts = pd.read_parquet(run_dir / "timeseries.parquet")
    rows = []
    for r, g in ts.groupby("replicate", sort=True):
        row = {"replicate": int(r), "cum_default_rate": float(g["cum_default_rate"].iloc[-1])}
        if at_month is not None:
            at = g.loc[g["month"] == at_month, "cum_default_rate"]
            row["cum_default_rate_at"] = float(at.iloc[0]) if len(at) else float("nan")
        for col, name in _SUMS.items():
            row[name] = float(g[col].sum()) if col in g.columns else float("nan")
        if "public_transfers" in g.columns:
            row["public_money"] = float(g["public_transfers"].sum())
        rows.append(row)
    out = pd.DataFrame(rows)
    if "public_money" not in out.columns:
        pol = read_summary(run_dir).get("policies") or []
        paid = [sum(float(v.get("transfers", 0.0) or 0.0) for v in p.values() if isinstance(v, dict))
                for p in pol if isinstance(p, dict)]
        out["public_money"] = paid if len(paid) == len(out) else 0.0
    return out


def scenario_question(name: str | None, lang: str | None = None) -> str | None:
    """The ``# Question:`` of a scenario file's top comment (continued lines joined), or None.

    In Chinese (``lang``, default the current output language, is ``zh``) the file's
    ``# Question (zh):`` line beside it, when it has one.
    """
    if not name:
        return None
    path = Path(__file__).resolve().parents[1] / "conf" / "scenario" / f"{name}.yaml"
    if not path.is_file():
        return None
    raw = path.read_text().splitlines()
    top = next((i for i, line in enumerate(raw) if not line.startswith("#")), len(raw))
    head = [line.lstrip("#").strip() for line in raw[:top]]
    if (lang or language()) == "zh":
        zh = [t.split(":", 1)[1].strip() for t in head if t.lower().startswith("question (zh):")]
        if zh and zh[0]:
            return zh[0]
    lines, on = [], False
    for text in head:
        if text.lower().startswith("question:"):
            on, text = True, text.split(":", 1)[1].strip()
        elif on and (not text or text.lower().startswith("question (zh):")
                     or re.match(r"^[A-Z][a-z]+( [a-z]+)*:", text)):
            break
        if on:
            lines.append(text)
    q = " ".join(lines).strip()
    q = re.sub(r"\s*\([^)]*\)\s*$", "", q).replace(" - ", " – ")
    return (q[:1].upper() + q[1:]) if q else None


def remedy_ranking(sweep_dir: Path, summary: pd.DataFrame) -> pd.DataFrame:
    """One row per (group, policy ≠ none), ranked within each group by defaults prevented.

    Columns: ``group`` (the other varied settings, e.g. the economy), ``policy``, ``rank``,
    ``none_rate`` and ``rate`` (cumulative default rate, fractions), ``prevented_pp`` (points),
    ``prevented_pct`` (% of ``none``'s defaults), ``ci_lo_pp``/``ci_hi_pp`` (95% t-interval of the
    paired difference, NaN with too few replicates), ``n_replicates``, ``end_month`` (when the policy
    ends; 0: never), ``prevented_after_end_pp`` with ``after_end_lo_pp``/``after_end_hi_pp`` (defaults
    prevented :data:`AFTER_END_MONTHS` months after the policy ends, in points, and its interval; NaN
    when it never ends or that month is past the horizon), ``volume_given_up_pct``,
    ``revenue_change``, ``lender_losses_change``, ``partner_losses_change`` and ``public_money``
    (RMB over the horizon, mean over replicates; changes are policy minus none). Empty when the
    sweep varies no policy or has no ``policy=none`` run.
    """
    if "policy" not in summary.columns:
        return pd.DataFrame()
    means = summary[(summary["statistic"] == "mean") & summary["metric"].isin(["cum_default_rate", "purchases"])]
    wide = means.pivot_table(index="run", columns="metric", values="value")
    keys = [k for k in summary.columns
            if k not in (*BASE_COLUMNS, *INFO_COLUMNS) and summary[k].nunique() > 1 and k != "policy"]
    info = summary.drop_duplicates("run").set_index("run")[["policy", *keys]].astype(str)
    wide = wide.join(info)
    wide["policy"] = wide["policy"].str.strip("[]")
    done, _ = find_job_dirs(sweep_dir)
    dirs = {d.relative_to(sweep_dir).as_posix(): d for d in done}
    reps: dict[tuple[str, int | None], pd.DataFrame] = {}

    def figures(run: str, at: int | None = None) -> pd.DataFrame:
        if (run, at) not in reps:
            reps[(run, at)] = replicate_figures(dirs[run], at)
        return reps[(run, at)]

    def after_end(ref_run: str, run: str) -> tuple[int, float, float, float]:
        """(month the policy ends, defaults prevented 12 months later in points, its 95% interval);
        0 and NaN when the policy never ends or that month is past the horizon.
        """
        s = read_summary(dirs[run])
        end = int(((s.get("config") or {}).get("policy") or {}).get("end_month") or 0)
        at = end + AFTER_END_MONTHS
        if not end or at >= int(s.get("months") or 0):
            return end, float("nan"), float("nan"), float("nan")
        fr, fp = figures(ref_run, at), figures(run, at)
        n = min(len(fr), len(fp))
        d = [100.0 * (a - b) for a, b in zip(fr["cum_default_rate_at"][:n], fp["cum_default_rate_at"][:n],
                                                strict=True)]
        ci = mean_interval(d)
        return end, sum(d) / n, ci[0] if ci else float("nan"), ci[1] if ci else float("nan")

    rows = []
    for group, df in (wide.groupby(keys) if keys else [((), wide)]):
        ref = df[df["policy"] == "none"]
        if ref.empty:
            continue
        ref_run, ref = ref.index[0], ref.iloc[0]
        fr = figures(ref_run)
        for run, r in df[df["policy"] != "none"].iterrows():
            fp = figures(run)
            n = min(len(fr), len(fp))
            diffs = [100.0 * (a - b) for a, b in zip(fr["cum_default_rate"][:n], fp["cum_default_rate"][:n],
                                                       strict=True)]
            ci = t_interval(diffs)
            prevented = 100.0 * (ref["cum_default_rate"] - r["cum_default_rate"])
            end, after, after_lo, after_hi = after_end(ref_run, run)
            rows.append({
                "group": ", ".join(value_label(g) for g in (group if isinstance(group, tuple) else (group,))),
                "policy": r["policy"],
                "none_rate": float(ref["cum_default_rate"]),
                "rate": float(r["cum_default_rate"]),
                "prevented_pp": prevented,
                "prevented_pct": 100.0 * prevented / (100.0 * ref["cum_default_rate"])
                if ref["cum_default_rate"] else float("nan"),
                "ci_lo_pp": ci[0] if ci else float("nan"),
                "ci_hi_pp": ci[1] if ci else float("nan"),
                "n_replicates": n,
                "end_month": end,
                "prevented_after_end_pp": after,
                "after_end_lo_pp": after_lo,
                "after_end_hi_pp": after_hi,
                "volume_given_up_pct": 100.0 * (ref["purchases"] - r["purchases"]) / ref["purchases"]
                if ref["purchases"] else float("nan"),
                "revenue_change": float(fp["revenue"].mean() - fr["revenue"].mean()),
                "lender_losses_change": float(fp["lender_losses"].mean() - fr["lender_losses"].mean()),
                "partner_losses_change": float(fp["partner_losses"].mean() - fr["partner_losses"].mean()),
                "public_money": float(fp["public_money"].mean() - fr["public_money"].mean()),
            })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out = out.sort_values(["group", "prevented_pp"], ascending=[True, False], kind="stable")
    out["rank"] = out.groupby("group").cumcount() + 1
    return out.reset_index(drop=True)
