"""The report's words: metric values and ranges, and a run's settings (economy, policy, horizon).

Metric names, units and descriptions come from the catalogue (:mod:`simulator.outputs.catalogue`).
"""

from __future__ import annotations

from typing import Any

from simulator.outputs import catalogue
from simulator.outputs.catalogue import value_label
from simulator.outputs.lang import tr

__all__ = ["KEY_METRICS", "distinct", "economy_text", "fmt_metric", "fmt_range", "horizon_text",
           "join_distinct", "metric_text", "pct", "policy_text"]

#: The headline metrics of the key tables, in display order.
KEY_METRICS = ("cum_default_rate", "peak_default_rate", "dpd30_rate_end", "dpd90_rate_end", "loss_rate")

_NO_POLICY = "none (no remedy, no public policy)"


def pct(x: float) -> str:
    """Percent with two decimals (``0.0561`` → ``5.61%``)."""
    return f"{x:.2%}"


def metric_text(name: str) -> tuple[str, str, str]:
    """(label, denominator, description) of a metric from the catalogue (empty texts if unknown)."""
    m = catalogue.metric(name)
    return m.label_in(), m.denominator_in(), m.description_in()


def fmt_metric(name: str, x: float) -> str:
    """A metric's value in its unit: ``5.61%``, ``12,345 accounts`` or ``1,234,567 RMB``."""
    return catalogue.metric(name).format(x)


def fmt_range(name: str, stats: dict[str, float]) -> str:
    """The 5–95% range of a metric's statistics (``p05``, ``p95``): ``4.10% – 6.02%``; ``—`` if none."""
    lo, hi = stats.get("p05"), stats.get("p95")
    if lo is None or hi is None or lo == hi:
        return "—"
    if not catalogue.metric(name).is_rate:
        return f"{fmt_metric(name, lo).split()[0]} – {fmt_metric(name, hi)}"
    return f"{lo:.2%} – {hi:.2%}"


def economy_text(econ: dict[str, Any]) -> str:
    """One line on a run's economy (its ``config.economy``): name, unemployment, prices, demand.

    Says what moves in the downturn episode: unemployment, essentials inflation, income growth and
    consumer demand (each only when the episode changes it), and when it starts and peaks. The
    sentence is built from the economy's own settings (its one home), in the current language.
    """
    name = value_label(econ.get("name", "?"))
    if econ.get("path_file"):
        return tr("{name} (unemployment and prices read from {file})").format(name=name, file=econ["path_file"])
    base, delta = econ.get("unemployment_base"), econ.get("unemployment_peak_delta")
    if base is None:
        return name
    moves = []
    if delta:
        moves.append(tr("unemployment rises from {a} to {b}").format(a=f"{base:.1%}", b=f"{base + delta:.1%}"))
    infl, infl_shock = econ.get("essentials_inflation_annual"), econ.get("essentials_inflation_shock")
    if infl_shock:
        moves.append(tr("essentials inflation rises from {a} to {b} a year").format(
            a=f"{infl or 0:.0%}", b=f"{(infl or 0) + infl_shock:.0%}"))
    inc, inc_shock = econ.get("income_growth_annual"), econ.get("income_growth_shock")
    if inc_shock:
        moves.append(tr("income growth slows from {a} to {b} a year").format(
            a=f"{inc or 0:.0%}", b=f"{(inc or 0) - inc_shock:.0%}"))
    if econ.get("demand_drop"):
        moves.append(tr("consumer demand falls {x}").format(x=f"{econ['demand_drop']:.0%}"))
    if not moves:
        return tr("{name}: no downturn; unemployment steady at {base}").format(name=name, base=f"{base:.1%}")
    steady = "" if delta else tr(" (unemployment steady at {base})").format(base=f"{base:.1%}")
    return tr("{name}: {moves}{steady}, from month {start} to a peak {peak} months later, then recovering over "
              "{recovery} months").format(name=name, moves=tr(", ").join(moves), steady=steady,
                                          start=econ.get("shock_start", "?"), peak=econ.get("months_to_peak", "?"),
                                          recovery=econ.get("recovery_months", "?"))


def policy_text(cfg: dict[str, Any], choices: dict[str, Any]) -> str:
    """The enabled policies of a run's config (or its Hydra ``policy`` choice), or none."""
    policy = cfg.get("policy") or {}
    if isinstance(policy, dict) and policy:
        # the policies (dicts with "enabled"); start_month and end_month are settings of them all
        enabled = [k for k, v in policy.items() if isinstance(v, dict) and v.get("enabled")]
        return tr(", ").join(value_label(k) for k in enabled) if enabled else tr(_NO_POLICY)
    chosen = choices.get("policy")
    return value_label(chosen) if chosen and chosen != "none" else tr(_NO_POLICY)


def horizon_text(run: dict[str, Any], months: Any) -> str:
    """The reported horizon, with the warm-up (burn-in) if any: ``24 months, after a 12-month ...``."""
    burn = run.get("burn_in")
    extra = tr(", after a {burn}-month warm-up that is not reported").format(burn=burn) if burn else ""
    return tr("{months} months").format(months=months) + extra


def distinct(values: list[str]) -> list[str]:
    """The distinct values in order of first appearance."""
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def join_distinct(values: list[str]) -> str:
    """The distinct values joined with ``; ``."""
    return "; ".join(distinct(values))
