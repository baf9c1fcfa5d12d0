"""The first section of a policy sweep's report: the ranked table of remedies in each economy."""

from __future__ import annotations

import math

import pandas as pd

from simulator.core.policies import POLICIES
from simulator.outputs.catalogue import REMEDY_METRICS, value_label
from simulator.outputs.lang import language, tr
from simulator.outputs.remedies import AFTER_END_MONTHS, MIN_REPLICATES
from simulator.outputs.report.page import esc

__all__ = ["RANKED_COLUMNS", "policy_sentence", "ranked_html", "signif_decimals"]

#: The columns of the ranked table after the policy, in display order.
RANKED_COLUMNS = ("prevented_pp", "volume_given_up_pct", "revenue_change", "lender_losses_change",
                  "partner_losses_change", "public_money")


def policy_sentence(name: str) -> str:
    """What a policy models, from its class's ``label`` and ``description`` (``label_zh`` and
    ``description_zh`` in Chinese).
    """
    cls = POLICIES.get(name)
    if cls is None:
        return value_label(name)
    if language() == "zh":
        return f"{cls.label_zh}：{cls.description_zh.rstrip('。')}。"
    return f"{cls.label}: {cls.description.rstrip('.')}."


def signif_decimals(half_width: float) -> int:
    """Decimals that an interval of half-width ``half_width`` (points) supports: one significant digit."""
    if not half_width or not math.isfinite(half_width) or half_width <= 0:
        return 2
    return max(0, min(3, -math.floor(math.log10(half_width))))


def _money(x: float) -> str:
    if not math.isfinite(x):
        return "—"
    if abs(x) < 0.5:
        return "0"
    return f"{x / 1e6:+,.2f} M" if abs(x) >= 1e5 else f"{x:+,.0f}"


def _prevented_cell(r: pd.Series) -> str:
    lo, hi = r["ci_lo_pp"], r["ci_hi_pp"]
    if math.isfinite(lo) and math.isfinite(hi):
        d = signif_decimals((hi - lo) / 2)
        main = f"{r['prevented_pp']:+.{d}f} pt ({r['prevented_pct']:+.0f}%)"
        sure = "" if lo > 0 or hi < 0 else " · " + tr("not distinguishable from none")
        ci = tr("95% interval {lo} to {hi}").format(lo=f"{lo:+.{d}f}", hi=f"{hi:+.{d}f}")
        return f"{esc(main)}<span class=\"range\">{esc(ci)} pt{esc(sure)}</span>"
    main = f"{r['prevented_pp']:+.2f} pt ({r['prevented_pct']:+.0f}%)"
    few = tr("{n} replicate(s): too few for an interval").format(n=int(r["n_replicates"]))
    return f"{esc(main)}<span class=\"range\">{esc(few)}</span>"


def _after_end_cell(r: pd.Series) -> str:
    """Defaults prevented 12 months after the policy ends, with its interval, or why there is none."""
    if not r["end_month"]:
        return esc(tr("— runs to the horizon"))
    at = int(r["end_month"]) + AFTER_END_MONTHS
    if not math.isfinite(r["prevented_after_end_pp"]):
        return esc(tr("— month {at} is past the horizon").format(at=at))
    lo, hi = r["after_end_lo_pp"], r["after_end_hi_pp"]
    d = signif_decimals((hi - lo) / 2) if math.isfinite(lo) and math.isfinite(hi) else 2
    sub = (tr("95% interval {lo} to {hi}").format(lo=f"{lo:+.{d}f}", hi=f"{hi:+.{d}f}") + " pt"
           if math.isfinite(lo) and math.isfinite(hi)
           else tr("too few replicates for an interval"))
    main = tr("{pp} pt at month {at} (ends at {end})").format(pp=f"{r['prevented_after_end_pp']:+.{d}f}", at=at,
                                                              end=int(r["end_month"]))
    return f"{esc(main)}<span class=\"range\">{esc(sub)}</span>"


def _best_line(group: str, df: pd.DataFrame) -> str:
    """One line per economy: the remedy that prevents the most defaults, how sure, and what it costs."""
    best = df.iloc[0]
    lo, hi = best["ci_lo_pp"], best["ci_hi_pp"]
    if math.isfinite(lo) and math.isfinite(hi):
        d = signif_decimals((hi - lo) / 2)
        pp = f"{best['prevented_pp']:+.{d}f}"
        sure = (tr("95% interval {lo} to {hi}").format(lo=f"{lo:+.{d}f}", hi=f"{hi:+.{d}f}")
                + ("" if lo > 0 else " · " + tr("not distinguishable from none")))
    else:
        pp, sure = f"{best['prevented_pp']:+.2f}", tr("no interval: too few replicates")
    costs = [tr("purchase volume {v} given up").format(v=f"{best['volume_given_up_pct']:.1f}%"),
             tr("lender's net losses {x}").format(x=_money(best["lender_losses_change"]))]
    if math.isfinite(best["public_money"]) and abs(best["public_money"]) >= 0.5:
        costs.append(tr("public money {x}").format(x=_money(best["public_money"])))
    return tr("{group}: {best} prevents the most defaults, {pp} points of {rate} ({sure}); {costs}.").format(
        group=group, best=value_label(best["policy"]), pp=pp, rate=f"{best['none_rate']:.1%}", sure=sure,
        costs=tr(", ").join(costs))


def ranked_html(table: pd.DataFrame, economies: dict[str, str]) -> str:
    """The ranked tables (one per economy), the policy sentences and the notes, as HTML.

    Args:
        table: :func:`simulator.outputs.remedies.remedy_ranking`.
        economies: group label → one sentence on that economy.
    """
    ends = "prevented_after_end_pp" in table.columns and bool((table["end_month"] > 0).any())
    shown = (RANKED_COLUMNS[0], "prevented_after_end_pp", *RANKED_COLUMNS[1:]) if ends else RANKED_COLUMNS
    head = f"<th>#</th><th>{esc(tr('Policy'))}</th>" + "".join(
        f"<th class=\"num\">{esc(REMEDY_METRICS[c].label_in())}"
        f"<span class=\"unit\">{esc(REMEDY_METRICS[c].denominator_in() or tr('RMB, policy − none'))}</span></th>"
        for c in shown)
    parts, summary = [], []
    for group, df in table.groupby("group", sort=False):
        summary.append(_best_line(group, df))
        rows = []
        for _, r in df.iterrows():
            cells = [f"<td>{int(r['rank'])}</td>", f"<td>{esc(value_label(r['policy']))}</td>",
                     f"<td class=\"num\">{_prevented_cell(r)}</td>"]
            if ends:
                cells.append(f"<td class=\"num\">{_after_end_cell(r)}</td>")
            cells.append(f"<td class=\"num\">{r['volume_given_up_pct']:+.1f}%</td>")
            cells += [f"<td class=\"num\">{esc(_money(r[c]))}</td>" for c in RANKED_COLUMNS[2:]]
            rows.append(f"<tr>{''.join(cells)}</tr>")
        best = df.iloc[0]
        none_rate = df["none_rate"].iloc[0]
        lede = tr("Without any policy {rate} of accounts default. Most defaults prevented: {best} ({pp} points)."
                  ).format(rate=f"{none_rate:.1%}", best=value_label(best["policy"]),
                           pp=f"{best['prevented_pp']:+.2f}")
        parts.append(f"<h3>{esc(group)}</h3><p class=\"econ\">{esc(economies.get(group, ''))}</p>"
                     f"<p>{esc(lede)}</p><div class=\"scroll\"><table class=\"results ranked\"><thead><tr>{head}"
                     f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    n_rep = int(table["n_replicates"].min()) if len(table) else 0
    notes = [tr(n) for n in (
        "Defaults prevented: the cumulative default rate with no policy minus with the policy, in percentage "
        "points, and as a share of the defaults with no policy. Runs share their seed, so each replicate of a "
        "policy is compared with the same replicate without it (common random numbers); the 95% interval is a "
        "Student-t interval of the mean of those differences, and figures are rounded to what it supports.",
        "Money: totals over the horizon in RMB (M = million), mean over replicates, policy minus no policy. "
        "A negative change in losses is a saving.",
        "Joint lending (R4) changes who bears a loss, not how many borrowers default: its defaults match "
        "no policy, and its effect is the partner bank's share of the losses.",
        ("Prevented or postponed: a policy that ends (policy.end_month) is judged again 12 months after it ends; "
         "if the defaults it prevented have shrunk by then, they were only postponed, not prevented."
         if ends else
         "Prevented or postponed: these policies run to the horizon, so defaults are counted only to its end and "
         "a default pushed past it is not seen; set policy.end_month to judge them 12 months after they end."),
    )]
    if n_rep < MIN_REPLICATES:
        notes.insert(0, tr("Only {n} replicate(s) per run: too few for an interval of a difference. "
                           "Rerun with run.replicates={m} or more to see how sure each ranking is.").format(
            n=n_rep, m=MIN_REPLICATES))
    policies = sorted(set(table["policy"]))
    sentences = "".join(f"<li>{esc(policy_sentence(p))}</li>" for p in policies)
    if n_rep < MIN_REPLICATES:
        summary.append(tr("Only {n} replicate(s) per run: too few to say how sure these rankings are (rerun with "
                          "run.replicates={m} or more).").format(n=n_rep, m=MIN_REPLICATES))
    return (
        f"<section><h2>{esc(tr('Which remedy prevents the most defaults, at what cost to whom'))}</h2>"
        + "<ul class=\"headline\">" + "".join(f"<li>{esc(x)}</li>" for x in summary) + "</ul>"
        + "".join(parts)
        + "<ul class=\"notes\">" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>"
        + f"<h3>{esc(tr('What each policy does'))}</h3><ul>{sentences}</ul></section>"
    )
