"""The report's section on the macro feedback loop (runs of ``run.study=feedback_amplification``):
what the loop is, in words for a reader who never saw the code, the amplification table, the
links of the chain in numbers and the two charts.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.outputs.catalogue import metric
from simulator.outputs.charts.feedback import CHANNELS_FILE, GAP_FILE, plot_feedback_channels, plot_feedback_gap
from simulator.outputs.lang import language, tr
from simulator.outputs.report.page import esc, figure_html
from simulator.outputs.rundir import CHARTS_DIR, LOOP_OFF_DIR

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
    "through BNPL credit. Capital is rebuilt from profits and, when it falls too low, by the shareholder: once "
    "the lender's capital has been below the regulator's minimum ratio (10% of its loans) for a quarter, its "
    "parent pays in capital back to the target. That payment is a cost of the downturn borne by the "
    "shareholder and is shown below the table; without it a lender whose capital is used up could not "
    "earn it back (its margin is below its funding cost) and would stay tight long after the downturn "
    "had passed.</p>"
)


_EXPLAIN_ZH = (
    "<p>在多数压力测试中，经济是给定的路径：失业率和需求按情景设定升降，与放贷机构和家庭的行为无关。"
    "在这里，这条路径只是第一轮。开启<em>反馈回路</em>后，以下四个环节逐月相互作用：</p>"
    "<ol>"
    "<li><strong>平台的资产负债表。</strong>平台为自有资金发放的贷款持有资本（权益），其余资金主要通过资产支持证券借入。"
    "损失侵蚀资本；损失上升时，投资者要求更高回报并减少续发。资本或融资缺口使平台收紧：批准更少申请人、"
    "削减未用信用额度、停止提额。</li>"
    "<li><strong>消费。</strong>额度被削减后，借款人想买的东西有一部分放不进额度。模拟会计量这些受阻的消费；"
    "其中一部分根本不再发生（其余以其他方式支付）。逾期的借款人完全不能赊购。</li>"
    "<li><strong>需求、收入和就业。</strong>先买后付类信贷支付了全部消费支出的一部分。模拟借款人消费的下降，"
    "按这一比例放大后，使消费需求指数低于情景路径。需求下降会降低自由职业者的收入并推高失业率"
    "（更多人失去工作，面向消费者的自由职业者首当其冲）。</li>"
    "<li><strong>违约。</strong>收入下降和失业增加意味着更多漏还款和违约，进一步侵蚀平台资本：回路由此闭合。</li>"
    "</ol>"
    "<p>同一运行做两次，借款人完全相同，随机事件也相同（谁生病、在给定失业率下谁会失业）：一次关闭回路，一次开启。"
    "<em>放大倍数</em>为开启回路的结果除以关闭回路的结果；大于 1 说明回路使衰退更严重。使回路保持有界的因素："
    "只有一部分消费通过先买后付信贷进行，平台的收紧程度不能超过完全收紧。回路也会自我抵消：收紧的平台放贷更少，"
    "对风险最高者放贷更少，这会降低违约率，而需求下降会推高违约率；两者孰强取决于多少消费通过先买后付信贷进行。"
    "资本由利润重建；资本过低时由股东补充：平台资本连续一个季度低于监管最低比率（贷款的 10%）后，"
    "其母公司注资，使资本回到目标水平。这笔注资是由股东承担的衰退成本，显示在表格下方；若没有注资，"
    "资本耗尽的平台无法靠盈利恢复资本（其利差低于融资成本），在衰退过去很久之后仍会保持收紧。</p>"
)


def _charts(run_dir: Path, summary: dict[str, Any], tmp: Path) -> Path:
    """The folder of the two charts: the run's own, or (not in English, or missing) drawn afresh in ``tmp``."""
    charts = run_dir / CHARTS_DIR
    off = run_dir / LOOP_OFF_DIR / "timeseries.parquet"
    have = all((charts / f).is_file() for f in (GAP_FILE, CHANNELS_FILE))
    if (language() == "en" and have) or not off.is_file() or not summary.get("feedback_channels"):
        return charts
    plot_feedback_gap(pd.read_parquet(off), pd.read_parquet(run_dir / "timeseries.parquet"), tmp / GAP_FILE)
    plot_feedback_channels(pd.DataFrame(summary["feedback_channels"]), tmp / CHANNELS_FILE)
    return tmp


def _fmt(v: float, pct: bool) -> str:
    return f"{v:.2%}" if pct else f"{v:.3f}"


def feedback_section(run_dir: Path, summary: dict[str, Any]) -> str:
    """The HTML section, or ``""`` when the run is not a feedback-amplification study."""
    amp = summary.get("feedback_amplification")
    if not amp:
        return ""
    rows = "".join(
        f"<tr><td>{esc(metric(k).label_in())}</td>"
        f"<td class=\"num\">{_fmt(v['loop_off'], True)}</td>"
        f"<td class=\"num\">{_fmt(v['loop_on'], True)}</td><td class=\"num\">{v['ratio']:.3f}</td>"
        f"<td class=\"num\">{v['ratio_p05']:.3f}–{v['ratio_p95']:.3f}</td></tr>"
        for k, v in amp.items())
    heads = ("Measure", "Loop off", "Loop on", "Amplification (on ÷ off)", "5–95% range of the replicate pairs")
    table = ('<div class="scroll"><table class="results"><thead><tr>'
             + f"<th>{esc(tr(heads[0]))}</th>" + "".join(f'<th class="num">{esc(tr(h))}</th>' for h in heads[1:])
             + f"</tr></thead><tbody>{rows}</tbody></table></div>")
    links = summary.get("feedback_channels") or []
    link_rows = "".join(
        f"<tr><td>{esc(tr(str(r['label'])))}</td><td class=\"num\">"
        f"{r['change']:+.2f}{'%' if r['unit'] == '%' else tr(' points')}</td></tr>" for r in links)
    chain = (f"<p>{esc(tr(_CHAIN))}</p><div class=\"scroll\"><table class=\"results\"><thead><tr>"
             f"<th>{esc(tr('Link'))}</th><th class=\"num\">{esc(tr('Change with the loop'))}</th></tr></thead>"
             f"<tbody>{link_rows}</tbody></table></div>" if links else "")
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        charts = _charts(run_dir, summary, Path(tmp))
        for fname, title, how in (
            (GAP_FILE, "Defaults with and without the feedback loop",
             "The monthly default rate with the loop off (the scenario's path only) and on; the shaded area is "
             "the gap. Below: the scenario's unemployment path and the effective unemployment with the loop."),
            (CHANNELS_FILE, "Where the amplification comes from",
             "Each bar is one link of the loop: how much it changes when the loop is switched on."),
        ):
            if (charts / fname).is_file():
                figures.append(figure_html(charts / fname, title, how, 10 + len(figures)))
    explain = _EXPLAIN_ZH if language() == "zh" else _EXPLAIN
    table += _recap_line(summary.get("feedback_recapitalisation"))
    return (f"<section><h2>{esc(tr('Second-round effects: the feedback loop'))}</h2>" + explain + table + chain
            + "".join(figures) + "</section>")


def _recap_line(recap: dict[str, Any] | None) -> str:
    """The shareholder's cost with the loop (``summary["feedback_recapitalisation"]``), one paragraph."""
    if not recap:
        return ""
    back = recap["back_to_target_month"]
    when = (tr("capital back at target in month {month}").format(month=back) if back >= 0
            else tr("capital not back at target within the horizon"))
    text = tr(" (loop on, whole horizon, mean over replicates): {paid} RMB, {pct}% of the equity at month 0; "
              "lowest capital ratio {low}% (month {month}), {when}.").format(
        paid=f"{recap['paid']:,.0f}", pct=f"{recap['pct_initial_equity']:.1f}",
        low=f"{recap['min_capital_ratio']:.1f}", month=recap["min_month"], when=when)
    return f"<p><strong>{esc(metric('recapitalisation').label_in())}</strong>{esc(text)}</p>"


_CHAIN = ("Where the amplification comes from, link by link (loop on compared with loop off, over the whole horizon; "
          "money and the demand index in % of their total, rates in percentage points of their average):")
