"""The Chinese words of the charts and reports: :data:`ZH`, English text → Chinese, read by
:func:`simulator.outputs.lang.tr` (with :data:`simulator.outputs.lang_zh_charts.CHARTS_ZH`). A text
with ``{placeholders}`` keeps them in its translation.
Metric labels, denominators and descriptions, the glossary, policy descriptions and scenario
questions have their Chinese beside the English in their own homes (the catalogue, the policies,
the scenario files).
"""

from __future__ import annotations

from simulator.outputs.lang_zh_charts import CHARTS_ZH

__all__ = ["ZH"]

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
ZH.update({
    # economies and settings (report/text.py)
    "{name} (unemployment and prices read from {file})": "{name}（失业率和价格读自 {file}）",
    "unemployment rises from {a} to {b}": "失业率从 {a} 升至 {b}",
    "essentials inflation rises from {a} to {b} a year": "必需品通胀从每年 {a} 升至 {b}",
    "income growth slows from {a} to {b} a year": "收入增速从每年 {a} 降至 {b}",
    "consumer demand falls {x}": "消费需求下降 {x}",
    "{name}: no downturn; unemployment steady at {base}": "{name}：无衰退；失业率稳定在 {base}",
    " (unemployment steady at {base})": "（失业率稳定在 {base}）",
    "{name}: {moves}{steady}, from month {start} to a peak {peak} months later, then recovering over "
    "{recovery} months":
        "{name}：{moves}{steady}，自第 {start} 月开始，{peak} 个月后达到峰值，随后在 {recovery} 个月内恢复",
    ", ": "，",
    "none (no remedy, no public policy)": "无（无补救措施，无公共政策）",
    ", after a {burn}-month warm-up that is not reported": "，此前有 {burn} 个月不予报告的预热期",
    "{months} months": "{months} 个月",
    "accounts": "个账户",
    # scenarios and setting names
    "none (default settings)": "无（默认设置）",
    "policy matrix": "政策矩阵",
    "downturn": "经济下行",
    "cause decomposition": "原因分解",
    "credit crunch": "信贷紧缩",
    "freelancer off season": "自由职业者淡季",
    "impulse promotions": "冲动促销",
    "new user review": "新用户审核",
    "over granting": "过度授信",
    "vasicek check": "Vasicek 检验",
    "from csv": "读自 CSV 文件",
    "countercyclical": "逆周期资本释放",
    "Economy": "经济情景",
    "Policy": "政策",
    "Seed": "随机种子",
    "Replicates": "重复次数",
    "N borrowers": "借款人数",
    "Months": "月数",
    "Burn in": "预热期",
    "Start month": "政策开始月份",
    "End month": "政策结束月份",
    "Scenario": "情景",
    "Feedback": "反馈回路",
    "Freelance share": "自由职业者比例",
    "Impulse mean": "平均冲动消费倾向",
    "Unemployment peak delta": "失业率峰值升幅",
    "Bnpl consumption share": "先买后付占消费的比例",
    "Approval target": "目标审批通过率",
    "Study": "研究类型",
})
ZH.update({
    # sweep report (report/sweep.py)
    "One panel per {row}, one colour per {col}; the black dashed line is \"none\" (drawn on top: a policy whose "
    "line it hides has the same default rate). Each line is the monthly default rate (new defaults ÷ accounts "
    "performing at the start of the month) averaged over the replicates; with this many lines no replicate "
    "bands are drawn: the ranked table gives each difference's interval.":
        "每个{row}一个子图，每个{col}一种颜色；黑色虚线为“无政策”（画在最上层：被它遮住的政策线与其违约率相同）。"
        "每条线为月度违约率（当月新增违约 ÷ 月初正常账户），取各重复运行的平均；线条较多时不画重复运行区间带，"
        "各差值的区间见排名表。",
    "One colour per scenario. The line is the monthly default rate (new defaults ÷ accounts performing at the "
    "start of the month) averaged over the replicates; with 2 or more replicates a shaded band of the same "
    "colour spans the replicates (5th to 95th percentile; with few replicates that is close to their lowest "
    "and highest value).":
        "每个情景一种颜色。线为月度违约率（当月新增违约 ÷ 月初正常账户），取各重复运行的平均；"
        "重复 2 次及以上时，同色阴影带覆盖各重复运行（第 5 至 95 百分位；重复次数少时接近其最低值和最高值）。",
    "Monthly default rate in each scenario": "各情景的月度违约率",
    "Each cell is the {name} ({denom}) averaged over replicates, for one combination of {row} (rows) and {col} "
    "(columns); the value is printed in the cell. Darker cells are worse; the colour scale runs from the lowest "
    "to the highest value in this sweep. If other settings were varied too, a cell averages their runs.":
        "每格为{row}（行）与{col}（列）的一种组合下的{name}（{denom}），取各重复运行的平均；数值印在格中。"
        "颜色越深越差；色标从本次扫描的最低值到最高值。若还变化了其他设置，一格为这些运行的平均。",
    "run": "运行",
    "Each bar is the {name} ({denom}) averaged over replicates, one bar per {by}; the number is printed beside "
    "it. Black whiskers span the 5th–95th percentile of the replicates (the widest range when a bar averages "
    "several runs, e.g. several seeds).":
        "每根柱为{name}（{denom}），取各重复运行的平均，每个{by}一根柱；数值印在旁边。黑色误差线为各重复运行的"
        "第 5–95 百分位（一根柱平均了多次运行时，如多个随机种子，取最宽的范围）。",
    "{name} across the sweep": "本次扫描中的{name}",
    "Defaults prevented against lending given up, per policy": "各政策避免的违约与放弃的贷款",
    "Each point is one policy (colour) in one economy (marker shape), compared with the run without any policy "
    "in the same economy and with the same random numbers. Height: how many percentage points of accounts ever "
    "opened the policy keeps out of default (cumulative default rate without the policy minus with it). Right: "
    "the share of BNPL purchase volume the policy gives up. Points high and to the left prevent defaults "
    "cheaply; a point below zero raises defaults. With 3 or more replicates a vertical bar in the point's "
    "colour spans the 95% interval of the defaults prevented (paired replicate by replicate); a bar crossing "
    "zero means the policy is not distinguishable from no policy there.":
        "每个点为一项政策（颜色）在一种经济情景（标记形状）下的结果，与同一经济情景、相同随机数的无政策运行相比。"
        "纵轴：政策使所有已开账户中少违约多少个百分点（无政策时的累计违约率减去有政策时）。横轴：政策放弃的"
        "先买后付消费额比例。越靠左上的点以越低的代价避免违约；低于零的点增加了违约。重复 3 次及以上时，"
        "与点同色的竖线为避免违约数的 95% 区间（逐个重复配对）；竖线跨过零表示该政策在此与无政策无法区分。",
    " to ": " 至 ",
    "Runs": "运行",
    "{n} runs (one per combination of the swept settings)": "{n} 次运行（扫描设置的每种组合一次）",
    "Settings varied": "变化的设置",
    "none (all runs have the same settings)": "无（所有运行设置相同）",
    "Same in every run": "所有运行相同的设置",
    "no other changes": "无其他改动",
    "Replicates per run": "每次运行的重复次数",
    "Runs finished": "运行完成时间",
    "Sweep folder": "扫描文件夹",
    "run {run}": "运行 {run}",
    "Highest cumulative default rate: {rate} ({run}).": "最高累计违约率：{rate}（{run}）。",
    "Lowest cumulative default rate: {rate} ({run}).": "最低累计违约率：{rate}（{run}）。",
    "Annual net loss rate ranges from {lo} to {hi} of average receivables.":
        "年净损失率在平均应收账款的 {lo} 至 {hi} 之间。",
    "Run this in a terminal where bnpl-stress is installed: -m runs every combination of the comma-separated "
    "values, one run each. The same version and seeds give the same numbers. The outputs go to a new folder "
    "multirun/DATE/TIME/.":
        "在安装了 bnpl-stress 的终端中运行：-m 对逗号分隔取值的每种组合各运行一次。相同版本和随机种子给出相同的"
        "数字。输出写入新文件夹 multirun/日期/时间/。",
    "One row per run. Each cell gives the average over replicates and, below it, the range that holds the "
    "middle 90% of replicates (5th–95th percentile). Each run's own tables and charts are in its folder (named "
    "in the Run column).":
        "每次运行一行。每格给出各重复运行的平均值，其下为中间 90% 重复运行所在的范围（第 5–95 百分位）。"
        "各次运行自己的表格和图表在其文件夹中（见“运行”列）。",
    "One row per run. Each cell gives the average over replicates and, below it, the 5th–95th percentile of its "
    "{reps} replicates: with so few replicates that is close to their lowest and highest value, not a 90% "
    "interval. Each run's own tables and charts are in its folder (named in the Run column).":
        "每次运行一行。每格给出各重复运行的平均值，其下为其 {reps} 次重复运行的第 5–95 百分位：重复次数这么少时，"
        "它接近最低值和最高值，并非 90% 区间。各次运行自己的表格和图表在其文件夹中（见“运行”列）。",
})
ZH.update({
    # the ranked table's notes (report/remedies.py)
    "Defaults prevented: the cumulative default rate with no policy minus with the policy, in percentage points, "
    "and as a share of the defaults with no policy. Runs share their seed, so each replicate of a policy is "
    "compared with the same replicate without it (common random numbers); the 95% interval is a Student-t "
    "interval of the mean of those differences, and figures are rounded to what it supports.":
        "避免的违约：无政策时的累计违约率减去有政策时的累计违约率，以百分点表示，并表示为占无政策时违约的比例。"
        "各次运行共用随机种子，因此政策的每次重复运行都与不施加政策的同一次重复运行比较（共同随机数）；"
        "95% 区间为这些差值均值的 Student t 区间，数字按区间所能支持的精度取整。",
    "Money: totals over the horizon in RMB (M = million), mean over replicates, policy minus no policy. A "
    "negative change in losses is a saving.":
        "金额：模拟期内的合计，单位人民币（M = 百万），取各重复运行的平均，政策减去无政策。损失的负变化即为节省。",
    "Joint lending (R4) changes who bears a loss, not how many borrowers default: its defaults match no policy, "
    "and its effect is the partner bank's share of the losses.":
        "联合贷款（R4）改变的是由谁承担损失，而非多少借款人违约：其违约与无政策相同，其作用体现在合作银行分担的损失上。",
    "Prevented or postponed: a policy that ends (policy.end_month) is judged again 12 months after it ends; if "
    "the defaults it prevented have shrunk by then, they were only postponed, not prevented.":
        "避免还是推迟：有结束时间的政策（policy.end_month）在结束 12 个月后再评估一次；若届时避免的违约已减少，"
        "说明这些违约只是被推迟，而非被避免。",
    "Prevented or postponed: these policies run to the horizon, so defaults are counted only to its end and a "
    "default pushed past it is not seen; set policy.end_month to judge them 12 months after they end.":
        "避免还是推迟：这些政策持续到模拟期末，违约只统计到期末，被推迟到期末之后的违约看不到；"
        "设置 policy.end_month 可在政策结束 12 个月后评估。",
    "Only {n} replicate(s) per run: too few for an interval of a difference. Rerun with run.replicates={m} or "
    "more to see how sure each ranking is.":
        "每次运行仅 {n} 次重复：不足以给出差值的区间。请以 run.replicates={m} 或以上重新运行，以了解各排名的可靠程度。",
})
ZH.update({
    # run report (report/run.py)
    "Run this in a terminal where bnpl-stress is installed; the same version and seed give the same numbers. "
    "The outputs go to a new folder outputs/DATE/TIME/.":
        "在安装了 bnpl-stress 的终端中运行；相同版本和随机种子给出相同的数字。输出写入新文件夹 outputs/日期/时间/。",
    " This folder has no record of the command line (.hydra/overrides.yaml), so the command is rebuilt from the "
    "saved settings; settings other than these may also have been changed (see the config in summary.json).":
        "此文件夹没有命令行记录（.hydra/overrides.yaml），因此命令由保存的设置重建；除这些以外的设置也可能被改动过"
        "（见 summary.json 中的配置）。",
    "No accounts were opened, so there are no default, delinquency or loss rates (they have no denominator and "
    "are shown as NaN).":
        "没有开立任何账户，因此没有违约率、逾期率或损失率（它们没有分母，显示为 NaN）。",
})
ZH.update({
    # a sweep's note on left-out job folders (outputs/sweep.py)
    "{n} job folder(s) did not finish (no summary.json) and are left out: {names}":
        "{n} 个任务文件夹未完成（没有 summary.json），已排除：{names}",
    "{n} complete job folder(s) are left out: {names}": "{n} 个已完成的任务文件夹被排除：{names}",
    "; ": "；",
})
ZH.update({
    # the shareholder's cost with the feedback loop (report/feedback.py)
    "capital back at target in month {month}": "资本在第 {month} 个月回到目标",
    "capital not back at target within the horizon": "资本在模拟期内未回到目标",
    " (loop on, whole horizon, mean over replicates): {paid} RMB, {pct}% of the equity at month 0; "
    "lowest capital ratio {low}% (month {month}), {when}.":
        "（开启回路，整个模拟期，各重复运行平均）：{paid} 元人民币，为第 0 个月权益的 {pct}%；"
        "最低资本充足率 {low}%（第 {month} 个月），{when}。",
})
ZH.update(CHARTS_ZH)
