"""The report's section on the macro feedback loop (runs of ``run.study=feedback_amplification``):
what the loop is, in words for a reader who never saw the code, the amplification table, the
links of the chain in numbers and the two charts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.outputs.charts.feedback import CHANNELS_FILE, GAP_FILE
from simulator.outputs.report.page import esc, figure_html
from simulator.outputs.rundir import CHARTS_DIR

__all__ = ["feedback_section"]

_EXPLAIN = (
    "<p>In most stress tests the economy is a given path: unemployment and demand rise and fall as "
    "the scenario says, whatever lenders and households do. Here that path is only the first round. "
    "With the <em>feedback loop</em> switched on, four things react to each other month by month:</p>"
    "<ol>"
    "<li><strong>The lender's balance sheet.</strong> The platform holds capital (equity) against the "
    "loans it funds itself and borrows the rest, mostly through asset-backed securities. Losses eat the "
    "capital; when losses rise, investors charge more and roll over less. A capital or funding "
    "shortfall makes the lender tighten: it approves fewer applicants, cuts unused credit lines and "
    "stops raising lines.</li>"
    "<li><strong>Spending.</strong> When a line is cut, some of what a borrower wanted to buy no longer "
    "fits. The simulation measures those blocked purchases; part of them is not made at all (the rest "
    "is paid some other way). Borrowers who fall behind cannot buy on credit at all.</li>"
    "<li><strong>Demand, incomes and jobs.</strong> BNPL-type credit pays for a share of all consumer "
    "spending. The fall of the simulated borrowers' spending, scaled by that share, lowers the consumer "
    "demand index below the scenario's path. Lower demand lowers freelancers' incomes and raises "
    "unemployment (more people lose work, freelancers in consumer-facing work first).</li>"
    "<li><strong>Defaults.</strong> Lower incomes and more job losses mean more missed payments and "
    "defaults, which eat more of the lender's capital: the loop closes.</li>"
    "</ol>"
    "<p>The run is made twice with exactly the same borrowers and the same random events (who falls ill, "
    "who would lose a job at a given unemployment rate): once with the loop off and once with it on. "
    "The <em>amplification</em> is the result with the loop divided by the result without it; above 1 "
    "the loop makes the downturn worse. What keeps the loop bounded: only a share of consumption goes "
    "through BNPL credit, and the lender's tightness cannot exceed full tightness. The loop also works "
    "against itself: a lender that tightens lends less, and less to the riskiest, which lowers the default "
    "rate, while the lower demand raises it; which of the two wins depends on how much of consumption goes "
    "through BNPL credit. Capital is rebuilt only from profits, so a lender whose capital is used up can "
    "stay tight long after the downturn has passed.</p>"
)


def _fmt(v: float, pct: bool) -> str:
    return f"{v:.2%}" if pct else f"{v:.3f}"


def feedback_section(run_dir: Path, summary: dict[str, Any]) -> str:
    """The HTML section, or ``""`` when the run is not a feedback-amplification study."""
    amp = summary.get("feedback_amplification")
    if not amp:
        return ""
    rows = "".join(
        f"<tr><td>{esc(str(v.get('label', k)))}</td><td class=\"num\">{_fmt(v['loop_off'], True)}</td>"
        f"<td class=\"num\">{_fmt(v['loop_on'], True)}</td><td class=\"num\">{v['ratio']:.3f}</td>"
        f"<td class=\"num\">{v['ratio_p05']:.3f}–{v['ratio_p95']:.3f}</td></tr>"
        for k, v in amp.items())
    table = ('<div class="scroll"><table class="results"><thead><tr><th>Measure</th><th class="num">Loop '
             'off</th><th class="num">Loop on</th><th class="num">Amplification (on ÷ off)</th>'
             '<th class="num">5–95% range of the replicate pairs</th></tr></thead>'
             f"<tbody>{rows}</tbody></table></div>")
    links = summary.get("feedback_channels") or []
    link_rows = "".join(
        f"<tr><td>{esc(str(r['label']))}</td><td class=\"num\">"
        f"{r['change']:+.2f}{'%' if r['unit'] == '%' else ' points'}</td></tr>" for r in links)
    chain = ('<p>Where the amplification comes from, link by link (loop on compared with loop off, over the '
             'whole horizon; money and the demand index in % of their total, rates in percentage points of '
             'their average):</p><div class="scroll"><table class="results"><thead><tr><th>Link</th>'
             f'<th class="num">Change with the loop</th></tr></thead><tbody>{link_rows}</tbody></table></div>'
             if links else "")
    figures = []
    charts = run_dir / CHARTS_DIR
    for fname, title, how in (
        (GAP_FILE, "Defaults with and without the feedback loop",
         "The monthly default rate with the loop off (the scenario's path only) and on; the shaded area is "
         "the gap. Below: the scenario's unemployment path and the effective unemployment with the loop."),
        (CHANNELS_FILE, "Where the amplification comes from",
         "Each bar is one link of the loop: how much it changes when the loop is switched on."),
    ):
        if (charts / fname).is_file():
            figures.append(figure_html(charts / fname, title, how, 10 + len(figures)))
    return ("<section><h2>Second-round effects: the feedback loop</h2>" + _EXPLAIN + table + chain
            + "".join(figures) + "</section>")
