"""The language of charts and reports (``report.language``: ``en`` or ``zh``) and the chart file
formats (``report.formats``), set for a block of work with :func:`output_options`.

Metric labels and denominators are in the catalogue (:mod:`simulator.outputs.catalogue`, each
:class:`~simulator.outputs.catalogue.Metric` has its ``zh`` label); the other words of the charts
and reports are translated by :func:`tr` from :data:`ZH` (English text → Chinese). A text without a
translation is shown in English.

Chinese needs a CJK font for the charts: :func:`cjk_font` finds one (Noto Sans CJK from Debian's
``fonts-noto-cjk``, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang, SimHei) and
:func:`require_font` stops with one line when there is none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from matplotlib import font_manager as fm

__all__ = ["CJK_FAMILIES", "FontMissing", "ZH", "cjk_font", "chart_formats", "language", "output_options",
           "require_font", "tr"]

_LANGUAGE: ContextVar[str] = ContextVar("bnpl_report_language", default="en")
_FORMATS: ContextVar[tuple[str, ...]] = ContextVar("bnpl_chart_formats", default=("png",))

#: CJK font families tried in order (the first one installed is used).
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "SimHei",
                "Noto Serif CJK SC", "AR PL UMing CN")
_FONT_FILE_HINTS = ("cjk", "wqy", "sourcehan", "msyh", "pingfang", "simhei", "uming", "ukai")


class FontMissing(ValueError):
    """Chinese output was asked for and no CJK font is installed."""


def language() -> str:
    """The language of the charts and reports being written (``en`` unless set)."""
    return _LANGUAGE.get()


def chart_formats() -> tuple[str, ...]:
    """The file formats each chart is written in (PNG first; ``png`` unless set)."""
    return _FORMATS.get()


@contextmanager
def output_options(language: str = "en", formats: tuple[str, ...] | list[str] = ("png",)) -> Iterator[None]:
    """Write charts and reports in ``language`` and charts in ``formats`` inside the block.

    Raises:
        FontMissing: ``language`` is ``zh`` and no CJK font is installed.
    """
    require_font(language)
    fmts = ("png", *(f for f in formats if f != "png"))
    t1, t2 = _LANGUAGE.set(language), _FORMATS.set(fmts)
    try:
        yield
    finally:
        _LANGUAGE.reset(t1)
        _FORMATS.reset(t2)


def tr(text: str) -> str:
    """``text`` in the current language (English when there is no translation)."""
    return ZH.get(text, text) if _LANGUAGE.get() == "zh" else text


def cjk_font() -> str | None:
    """The family name of an installed CJK font matplotlib can use, or None.

    Fonts installed after matplotlib built its font cache are found by scanning the system's font
    folders for CJK font files and adding them.
    """
    def known() -> str | None:
        names = {f.name for f in fm.fontManager.ttflist}
        return next((n for n in CJK_FAMILIES if n in names), None)

    found = known()
    if found is None:
        for path in fm.findSystemFonts():
            if any(h in path.lower().replace("-", "").replace("_", "") for h in _FONT_FILE_HINTS):
                try:
                    fm.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = known()
    return found


def require_font(language: str) -> None:
    """Raise :class:`FontMissing` (one line) when ``language`` is ``zh`` and no CJK font is found."""
    if language == "zh" and cjk_font() is None:
        raise FontMissing("report.language=zh: no Chinese (CJK) font found for the charts; allowed: install "
                          "one (Debian/Ubuntu: apt-get install fonts-noto-cjk; macOS and Windows have one) "
                          "or report.language=en")


#: English text of the charts and reports → Chinese.
ZH: dict[str, str] = {
    # page
    "How to read this chart.": "如何阅读本图。",
    "Chart": "图",
    "Glossary": "术语表",
    "How to reproduce": "如何复现",
    "What was run": "运行内容",
    "Key results": "主要结果",
    "Charts": "图表",
    "Report generated": "报告生成于",
    "Rebuild it with": "重新生成：",
    # compare
    "BNPL stress test: comparison of {n} runs": "先买后付压力测试：{n} 次运行的比较",
    "Comparison of {n} simulation runs of buy-now-pay-later borrowers. Differences are each run minus "
    "the first run ({ref}). Simulated results under stated assumptions, not forecasts.":
        "比较 {n} 次先买后付借款人模拟运行。差值为各次运行减去第一次运行（{ref}）。"
        "结果为给定假设下的模拟结果，并非预测。",
    "Settings that differ": "不同的设置",
    "Only the settings whose values differ between the runs; every other setting is the same.":
        "仅列出各次运行之间取值不同的设置；其余设置均相同。",
    "All settings are the same in every run (only the outputs' folders differ).":
        "各次运行的所有设置均相同（仅输出文件夹不同）。",
    "Setting": "设置",
    "Run": "运行",
    "Runs": "运行",
    "Folder": "文件夹",
    "Replicates": "重复次数",
    "Population size": "人口规模",
    "Horizon": "模拟期",
    "Seed": "随机种子",
    "Model version": "模型版本",
    "Key figures side by side": "关键指标对比",
    "Measure": "指标",
    "Difference from the first run": "与第一次运行的差值",
    "95% interval": "95% 区间",
    "too few replicates for an interval": "重复次数过少，无法给出区间",
    "not distinguishable from the first run": "与第一次运行无法区分",
    "paired: same random numbers": "配对：相同随机数",
    "independent runs": "独立运行",
    "Each cell gives the average over replicates and its 95% t-interval; the difference is this run "
    "minus the first run, with its 95% interval: replicate by replicate when the runs share their seed "
    "(the same random numbers), else from independent samples (Welch). With fewer than 3 replicates no "
    "interval is given.":
        "每格给出各重复运行的平均值及其 95% t 区间；差值为本次运行减去第一次运行，并附 95% 区间："
        "两次运行随机种子相同时逐个重复配对计算（相同随机数），否则按独立样本（Welch）计算。"
        "重复次数少于 3 次时不给出区间。",
    "Default rates of the runs, month by month": "各次运行的逐月违约率",
    "One colour per run. Left: new defaults in the month ÷ accounts performing at its start; right: "
    "defaults so far ÷ accounts open at month 0 plus those opened since. Lines are averages over "
    "replicates; with two or more replicates the shaded band spans the 5th–95th percentile of them.":
        "每次运行一种颜色。左图：当月新增违约 ÷ 月初正常账户数；右图：累计违约 ÷ 第 0 月的正常账户"
        "加此后新开账户。线为各重复运行的平均值；两次及以上重复时，阴影带为其第 5–95 百分位区间。",
    "Default rates of the compared runs": "所比较运行的违约率",
    "Monthly default rate": "月度违约率",
    "Cumulative default rate": "累计违约率",
    "% of accounts performing at the start of the month": "占月初正常账户的百分比",
    "% of accounts open at month 0 plus those opened since": "占第 0 月账户加此后新开账户的百分比",
    "Month of the simulation": "模拟月份",
    "Shaded band: middle 90% of replicates (5th–95th pct.)": "阴影带：中间 90% 的重复运行（第 5–95 百分位）",
    "Tables: key_figures.csv and config_diff.csv beside this page (also as Parquet).":
        "表格：本页旁的 key_figures.csv 和 config_diff.csv（另有 Parquet 格式）。",
    "Run this in a terminal where bnpl-stress is installed to rebuild this comparison.":
        "在安装了 bnpl-stress 的终端中运行以下命令以重新生成此比较。",
    "(not set)": "（未设置）",
    "first run (reference)": "第一次运行（参照）",
    # run charts
    "How many BNPL accounts default, month by month": "先买后付账户的逐月违约情况",
    "New defaults each month\n(% of accounts performing at start of month)": "每月新增违约\n（占月初正常账户的百分比）",
    "Monthly default rate, %": "月度违约率，%",
    "Unemployment rate (right axis)": "失业率（右轴）",
    "Unemployment rate, % of labour force": "失业率，占劳动力的百分比",
    "Defaults so far\n(% of all accounts ever opened)": "累计违约\n（占所有已开账户的百分比）",
    "Cumulative default rate, %": "累计违约率，%",
    "Monthly default rate ({label})": "月度违约率（{label}）",
    "Cumulative default rate ({label})": "累计违约率（{label}）",
    "average of runs": "多次运行平均",
    "one run": "单次运行",
    "Middle 90% of {n} runs (5th–95th pct.)": "{n} 次运行的中间 90%（第 5–95 百分位）",
    "How much of the money owed is overdue": "欠款中逾期的比例",
    "Overdue money as a share of all receivables (money owed by customers), {avg}.\n"
    "Receivables that are not overdue are left out so the small overdue shares are visible.":
        "逾期金额占全部应收账款（客户所欠金额）的比例，{avg}。\n未逾期的应收账款不显示，以便看清较小的逾期比例。",
    "Share of receivables, %": "占应收账款的比例，%",
    "from 1 simulation run": "来自 1 次模拟运行",
    "average of {n} simulation runs": "{n} 次模拟运行的平均",
    "1–30 days past due": "逾期 1–30 天",
    "31–60 days past due": "逾期 31–60 天",
    "61–90 days past due": "逾期 61–90 天",
    "90+ days past due (defaulted, not yet charged off)": "逾期 90 天以上（已违约，尚未核销）",
    # run report
    "BNPL stress test: {econ} economy": "先买后付压力测试：{econ}经济情景",
    "A simulation of {n} buy-now-pay-later borrowers over {months} months, repeated {reps} times. "
    "Simulated results under stated assumptions, not forecasts.":
        "对 {n} 名先买后付借款人进行 {months} 个月的模拟，重复 {reps} 次。结果为给定假设下的模拟结果，并非预测。",
    "By the end of month {months}, {rate} of all accounts ever opened had defaulted":
        "到第 {months} 月末，所有已开账户中有 {rate} 发生违约",
    " (5–95% range over replicates: {rng}).": "（各重复运行的 5–95% 范围：{rng}）。",
    "In the last month {d30} of the money owed was 30+ days past due and {d90} was 90+ days past due.":
        "最后一个月，欠款中 {d30} 逾期 30 天以上，{d90} 逾期 90 天以上。",
    "Net losses ran at {loss} of average receivables per year.": "年净损失为平均应收账款的 {loss}。",
    "Each measure is computed for every replicate; the table gives the average and the range that "
    "holds the middle 90% of replicates.":
        "每个指标对每次重复运行分别计算；表中给出平均值和中间 90% 重复运行所在的范围。",
    "What it measures": "含义",
    "Average over replicates": "各重复运行的平均值",
    "5–95% range over replicates": "各重复运行的 5–95% 范围",
    "Scenario": "情景",
    "Economy": "经济情景",
    "Policy": "政策",
    "Settings changed from the defaults": "与默认值不同的设置",
    "Run finished": "运行完成时间",
    "Run folder": "运行文件夹",
    "none recorded": "无记录",
    "{n} simulated borrowers": "{n} 名模拟借款人",
    "{reps} (independent repetitions with different random draws)": "{reps}（随机抽样不同的独立重复）",
    "How many accounts default, month by month": "逐月有多少账户违约",
    "Which customers default most": "哪些客户违约最多",
    "How defaults build up as each group of new accounts ages": "各批新账户随账龄增长的违约累积",
    "Why customers default": "客户为何违约",
    # sweep report and ranked table
    "Defaults prevented": "避免的违约",
    "Without any policy {rate} of accounts default. Most defaults prevented: {best} ({pp} points).":
        "无任何政策时 {rate} 的账户违约。避免违约最多的政策：{best}（{pp} 个百分点）。",
    # breakdown charts
    "Income type": "收入类型",
    "Impulse-spending tercile": "冲动消费三分位",
    "Credit file at application": "申请时的信用档案",
    "Salaried": "受薪者",
    "Freelance": "自由职业者",
    "Low impulse spending": "低冲动消费",
    "Middle impulse spending": "中等冲动消费",
    "High impulse spending": "高冲动消费",
    "Thin credit file": "信用档案薄",
    "Established credit file": "信用档案完整",
    "Cumulative default rate at month {m}, % of accounts opened in the group":
        "第 {m} 月累计违约率，占该组已开账户的百分比",
    "Black whiskers: 5th–95th percentile across runs.": "黑色误差线：各次运行的第 5–95 百分位。",
    "Defaults so far ÷ accounts ever opened in each group; {avg}.": "累计违约 ÷ 各组已开账户；{avg}。",
    "Customer grouping": "客户分组",
    "Opened in month {v}": "第 {v} 月开户",
    " (burn-in)": "（预热期）",
    "Cumulative defaults ÷ accounts opened in that month; {avg}": "累计违约 ÷ 当月开户数；{avg}",
    "Cumulative default rate, %\nof accounts opened in that month": "累计违约率，\n占当月开户数的百分比",
    "Months since the accounts were opened": "开户后的月数",
    "Group of accounts": "账户批次",
    "Why customers default: main cause of each default": "客户为何违约：每笔违约的主要原因",
    "Share of all defaults": "占全部违约的比例",
    "{share}  ({n} defaults per run)": "{share}（每次运行 {n} 笔违约）",
    "Share of all defaults, %": "占全部违约的比例，%",
    "Why customers default: the causes of each default": "客户为何违约：每笔违约的各项原因",
    "Each default is counted once, under its main cause.\n": "每笔违约只按其主要原因计一次。\n",
    "Each default is shared equally among the causes it needed.\n": "每笔违约在其所需的各项原因之间平均分摊。\n",
    "On average {n} defaults per run, over {runs}.": "平均每次运行 {n} 笔违约，共 {runs}。",
    "1 simulation run": "1 次模拟运行",
    "{n} simulation runs": "{n} 次模拟运行",
    "C1 Personal financial trouble": "C1 个人财务困难",
    "C2 Over-granting": "C2 过度授信",
    "C3 Weak review of new users": "C3 新用户审核薄弱",
    "C4 Impulse spending": "C4 冲动消费",
    "C5 Systemic downturn": "C5 系统性衰退",
    # run report captions
    "Left: the dark line is the share of accounts that were performing at the start of each month "
    "and defaulted during it (new defaults ÷ accounts performing at the start of the month), "
    "averaged over the replicates; the shaded band covers the middle 90% of replicates (5th to 95th "
    "percentile). The dashed grey line is the unemployment rate of the simulated economy, read on "
    "the right-hand axis. Right: defaults so far ÷ all accounts ever opened; this line can only rise.":
        "左图：深色线为月初正常、当月违约的账户比例（当月新增违约 ÷ 月初正常账户），取各重复运行的平均；"
        "阴影带覆盖中间 90% 的重复运行（第 5 至 95 百分位）。灰色虚线为模拟经济的失业率，读右轴。"
        "右图：累计违约 ÷ 所有已开账户；此线只会上升。",
    "Each coloured layer is the share of receivables (money owed, not number of accounts) that is "
    "1–30, 31–60, 61–90 or more than 90 days past due, averaged over replicates. Money that is not "
    "overdue is left out, so the top of the stack is the total share overdue. The top three layers "
    "(31 days and more) together are the 30+ days past due share; the top layer alone is the 90+ share.":
        "每个色层为逾期 1–30、31–60、61–90 或 90 天以上的应收账款（欠款金额，而非账户数）比例，取各重复运行的平均。"
        "未逾期金额不显示，因此堆叠顶部即逾期总比例。"
        "上面三层（31 天及以上）合计为逾期 30 天以上比例；最上层为逾期 90 天以上比例。",
    "Each bar is the share of accounts opened in that group that had defaulted by the last month "
    "(defaults ÷ accounts ever opened in the group), averaged over replicates; black whiskers span "
    "the 5th–95th percentile of replicates. Compare bars of the same colour: they split the same "
    "customers in different ways.":
        "每根柱为该组已开账户中到最后一个月已违约的比例（违约 ÷ 该组已开账户），取各重复运行的平均；"
        "黑色误差线为各重复运行的第 5–95 百分位。请比较同色的柱：它们以不同方式划分同一批客户。",
    "Each line follows the accounts opened in one month as they age: the share of them that has "
    "defaulted after a given number of months on the books (defaults ÷ accounts opened in that "
    "month). Steeper lines mean riskier lending in that month; recent groups have shorter lines "
    "because they have been observed for fewer months.":
        "每条线跟踪同一月开立的账户随账龄的变化：开户若干月后已违约的比例（违约 ÷ 当月开户数）。"
        "线越陡表示当月放贷风险越高；较新的批次观察月数较少，线较短。",
    "Every default is counted once, under its main cause (see Primary cause in the glossary). Bar "
    "length is the share of all defaults over the horizon; the label also gives the average number "
    "of defaults per replicate.":
        "每笔违约只按其主要原因计一次（见术语表中的“主要原因”）。柱长为模拟期内全部违约中的占比；"
        "标签还给出每次重复运行的平均违约笔数。",
    # sweep report
    "Which remedy prevents the most defaults, at what cost to whom": "哪种措施避免的违约最多，由谁承担多少成本",
    "What each policy does": "各项政策的作用",
    "RMB, policy − none": "人民币，政策 − 无政策",
    "— runs to the horizon": "— 持续到模拟期末",
    "— month {at} is past the horizon": "— 第 {at} 月超出模拟期",
    "{pp} pt at month {at} (ends at {end})": "第 {at} 月 {pp} 个百分点（第 {end} 月结束）",
    "95% interval {lo} to {hi}": "95% 区间 {lo} 至 {hi}",
    "not distinguishable from none": "与无政策无法区分",
    "no interval: too few replicates": "无区间：重复次数过少",
    "purchase volume {v} given up": "放弃消费额 {v}",
    "lender's net losses {x}": "平台净损失 {x}",
    "public money {x}": "公共资金 {x}",
    "{group}: {best} prevents the most defaults, {pp} points of {rate} ({sure}); {costs}.":
        "{group}：{best} 避免的违约最多，为 {rate} 中的 {pp} 个百分点（{sure}）；{costs}。",
    "Only {n} replicate(s) per run: too few to say how sure these rankings are (rerun with "
    "run.replicates={m} or more).":
        "每次运行仅 {n} 次重复：不足以说明排名的可靠程度（请以 run.replicates={m} 或以上重新运行）。",
    "{n} replicate(s): too few for an interval": "{n} 次重复：不足以给出区间",
    "{n} simulations of buy-now-pay-later borrowers, {varied}; each repeated {reps} times. Simulated "
    "results under stated assumptions, not forecasts.":
        "{n} 次先买后付借款人模拟，{varied}；每次重复 {reps} 次。结果为给定假设下的模拟结果，并非预测。",
    "all with the same settings": "设置全部相同",
    # economies and policies (value labels)
    "baseline": "基准",
    "mild recession": "温和衰退",
    "severe recession": "严重衰退",
    "stagflation": "滞胀",
    "sudden stop": "骤停",
    "freelance demand shock": "自由职业需求冲击",
    "vasicek": "Vasicek 模型",
    "none": "无政策",
    "external data": "外部数据（R1）",
    "ml scoring": "机器学习评分（R1）",
    "budget assistant": "预算助手（R2）",
    "affordability check": "可负担性检查（R2）",
    "early warning": "早期预警（R3）",
    "joint lending": "联合贷款（R4）",
    "hardship": "困难重组（R5）",
    "unemployment benefits": "提高失业救济",
    "stimulus": "一次性刺激补贴",
    "forbearance": "衰退期宽限",
    "dti cap": "债务收入比上限",
    "varying {keys}": "变化的设置为{keys}",
    " and ": "和",
}
