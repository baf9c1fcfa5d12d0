"""The Chinese words of the feedback-loop section, the sweep, feedback and decomposition charts and the
classroom dashboard: :data:`CHARTS_ZH`, English text → Chinese, merged into
:data:`simulator.outputs.lang.ZH` (the other words are in :mod:`simulator.outputs.lang_zh`).
"""

from __future__ import annotations

__all__ = ["CHARTS_ZH"]

CHARTS_ZH: dict[str, str] = {}
CHARTS_ZH.update({
    # the feedback loop (report/feedback.py, charts/feedback.py, outputs/feedback.py's link labels)
    "Measure": "指标",
    "Loop off": "关闭回路",
    "Loop on": "开启回路",
    "Amplification (on ÷ off)": "放大倍数（开启 ÷ 关闭）",
    "5–95% range of the replicate pairs": "各对重复运行的 5–95% 范围",
    " points": " 个百分点",
    "Where the amplification comes from, link by link (loop on compared with loop off, over the whole horizon; "
    "money and the demand index in % of their total, rates in percentage points of their average):":
        "放大效应逐环节的来源（开启回路与关闭回路相比，整个模拟期；金额和需求指数以其合计的百分比表示，"
        "比率以其平均值的百分点表示）：",
    "Link": "环节",
    "Change with the loop": "开启回路后的变化",
    "Defaults with and without the feedback loop": "有无反馈回路时的违约",
    "The monthly default rate with the loop off (the scenario's path only) and on; the shaded area is the gap. "
    "Below: the scenario's unemployment path and the effective unemployment with the loop.":
        "关闭回路（仅情景路径）和开启回路时的月度违约率；阴影为两者之差。下图：情景的失业率路径和开启回路后的实际失业率。",
    "Where the amplification comes from": "放大效应的来源",
    "Each bar is one link of the loop: how much it changes when the loop is switched on.":
        "每根柱为回路的一个环节：开启回路后它变化了多少。",
    "Second-round effects: the feedback loop": "二次效应：反馈回路",
    "Credit supply: open to buy (unused lines)": "信贷供给：可用额度（未用额度）",
    "Purchases blocked by the line": "被额度阻挡的消费",
    "BNPL purchases made": "实际发生的先买后付消费",
    "Consumer demand index (effective)": "消费需求指数（实际）",
    "Unemployment rate (effective)": "失业率（实际）",
    "Monthly default rate": "月度违约率",
    "The feedback loop: defaults with and without second-round effects": "反馈回路：有无二次效应时的违约",
    "Loop off (the scenario's path only)": "关闭回路（仅情景路径）",
    "Loop on (lender, spending, incomes react)": "开启回路（平台、消费、收入作出反应）",
    "Defaults the loop adds": "回路增加的违约",
    "Defaults the loop removes": "回路减少的违约",
    "Monthly default rate\n(% of performing accounts)": "月度违约率\n（占正常账户的百分比）",
    "Same borrowers, same random numbers; only economy.feedback differs.":
        "相同借款人、相同随机数；仅 economy.feedback 不同。",
    "Unemployment, path": "失业率，情景路径",
    "Unemployment, effective (loop on)": "失业率，实际（开启回路）",
    "Unemployment": "失业率",
    "Where the amplification comes from: each link, loop on vs off": "放大效应的来源：各环节，开启与关闭回路对比",
    "Top to bottom: less credit → fewer purchases → lower demand →\nmore unemployment, lower freelance incomes → "
    "defaults.": "自上而下：信贷减少 → 消费减少 → 需求下降 →\n失业增加、自由职业收入下降 → 违约。",
    "{v} points": "{v} 个百分点",
    "Change with the loop over the horizon: % of the total (money, index)\nor percentage points of the average "
    "(rates)": "开启回路后整个模拟期的变化：合计的百分比（金额、指数）\n或平均值的百分点（比率）",
})
CHARTS_ZH.update({
    # sweep charts (charts/sweep.py)
    "value": "数值",
    "Monthly default rate, % of performing accounts": "月度违约率，占正常账户的百分比",
    "Monthly default rate in each scenario of the sweep (average of replicates)\nNew defaults ÷ accounts performing "
    "at the start of the month; one panel per {key}; black dashed line: none":
        "本次扫描各情景的月度违约率（各重复运行的平均）\n"
        "当月新增违约 ÷ 月初正常账户；每个{key}一个子图；黑色虚线：无政策",
    "setting": "设置",
    "Monthly default rate in each scenario of the sweep": "本次扫描各情景的月度违约率",
    "Shaded band: middle 90% of\nreplicates (5th–95th pct.)": "阴影带：中间 90% 的\n重复运行（第 5–95 百分位）",
    "New defaults ÷ accounts performing at the start of the month\nLine: average of {n} replicates":
        "当月新增违约 ÷ 月初正常账户\n线：{n} 次重复运行的平均",
    "; band: 5th–95th percentile": "；阴影带：第 5–95 百分位",
    "Monthly default rate, %\nof performing accounts": "月度违约率，\n占正常账户的百分比",
    "{name} by {by}": "按{by}划分的{name}",
    "Average over replicates": "各重复运行的平均值",
    "Average over runs and replicates": "各运行及重复运行的平均值",
    "5th–95th percentile of replicates": "各重复运行的第 5–95 百分位",
    "Lowest 5th to highest 95th percentile of the runs": "各运行最低的第 5 百分位至最高的第 95 百分位",
    "Run {run}": "运行 {run}",
    "run {run}": "运行 {run}",
    "\nEach bar averages {n} runs (other settings vary).": "\n每根柱平均了 {n} 次运行（其他设置不同）。",
    "Each bar: average over replicates ({denom}).": "每根柱：各重复运行的平均值（{denom}）。",
    "{name} by {row} and {col}": "按{row}和{col}划分的{name}",
    "not run": "未运行",
    "\nEach cell averages {n} runs (other settings vary).": "\n每格平均了 {n} 次运行（其他设置不同）。",
    "Average over replicates; {denom}.": "各重复运行的平均值；{denom}。",
    "Purchase volume given up, % of the no-policy run": "放弃的消费额，占无政策运行的百分比",
    "Defaults prevented, percentage points\nof accounts ever opened": "避免的违约，\n占所有已开账户的百分点",
    "What each policy prevents, and what it costs in lending": "各政策避免了多少违约，又以多少贷款为代价",
    "\nVertical bars: 95% interval of defaults prevented over the replicates":
        "\n竖线：各重复运行避免违约数的 95% 区间",
    "\nNo interval bars: too few replicates (3 or more needed)": "\n无区间竖线：重复次数过少（至少需要 3 次）",
    "Up = fewer defaults than with no policy; right = less BNPL lending. Same random numbers in every run.":
        "向上 = 违约少于无政策；向右 = 先买后付贷款减少。每次运行的随机数相同。",
    "Policy (colour)": "政策（颜色）",
    "Economy (marker)": "经济情景（标记）",
    "{key}: {values}": "{key}：{values}",
})
CHARTS_ZH.update({
    # cause-decomposition chart (charts/decomposition.py; labels from studies/decomposition.py)
    "Shapley split over all 32 on/off combinations of the five causes":
        "对五个原因全部 32 种开/关组合进行 Shapley 分摊",
    "each cause switched off on its own; what they do not add up to is the interaction":
        "每个原因单独关闭；各项加总不足的部分即为交互作用",
    "What each cause adds to the share of accounts that default": "每个原因使违约账户比例增加了多少",
    "Contribution to the cumulative default rate, percentage points": "对累计违约率的贡献，百分点",
    "Cumulative default rate = defaults ÷ accounts ever opened; points = percentage points.\n"
    "With all causes: {factual}%; with all five causes switched off: {off}% (same random numbers).\n"
    "Bars add up to {factual}%. In brackets: share of the {gap} points the causes explain.\n"
    "Method: {how}.":
        "累计违约率 = 违约 ÷ 所有已开账户；点 = 百分点。\n"
        "所有原因都在：{factual}%；五个原因全部关闭：{off}%（相同随机数）。\n"
        "各柱合计为 {factual}%。括号内：占各原因所解释的 {gap} 个百分点的比例。\n"
        "方法：{how}。",
    "Contribution of the cause": "该原因的贡献",
    "Interaction between causes": "原因之间的交互作用",
    "Default rate left with all five causes off": "五个原因全部关闭后剩余的违约率",
    "Left with all five causes off": "五个原因全部关闭后剩余",
})
CHARTS_ZH.update({
    # the classroom dashboard (apps/dashboard.py, apps/dashboard_figures.py)
    "{label} ({denominator})": "{label}（{denominator}）",
    "Month": "月份",
    "Default rate and delinquency": "违约率与逾期",
    "Receivables past due, by days past due": "逾期应收账款，按逾期天数",
    "1-30 days": "1–30 天",
    "31-60 days": "31–60 天",
    "61-90 days": "61–90 天",
    "90+ days": "90 天以上",
    "share of receivables": "占应收账款的比例",
    "index (month 0 = 1)": "指数（第 0 月 = 1）",
    "Borrower #{i} ({kind}): {status}, {days} days past due": "借款人 #{i}（{kind}）：{status}，逾期 {days} 天",
    "Borrower #{i} ({kind})": "借款人 #{i}（{kind}）",
    "salaried": "受薪者",
    "freelance": "自由职业者",
    "active": "正常",
    "defaulted": "已违约",
    "charged_off": "已核销",
    "rejected": "被拒",
    "not_arrived": "尚未申请",
    "days past due": "逾期天数",
    "income": "收入",
    "savings": "储蓄",
    "line": "额度",
    "balance": "余额",
    "Month {month} of {months}": "第 {month} 月 / 共 {months} 月",
    "finished: press Reset to run again": "已结束：按 Reset 重新运行",
    "Unemployment {u} · defaults {d} a month · cumulative {c} · 30+ days late {late} · {n} active accounts":
        "失业率 {u} · 每月违约 {d} · 累计 {c} · 逾期 30 天以上 {late} · {n} 个活跃账户",
    "Press Step (or ▶) to simulate a month. A changed parameter takes effect at Reset.":
        "按 Step（或 ▶）模拟一个月。参数改动在按 Reset 后生效。",
    "This model: freelancers {f} · impulse {i} of income · line {line} months of income · downturn +{d} "
    "unemployment · policies: {pol} · {n} borrowers":
        "本模型：自由职业者 {f} · 冲动消费占收入 {i} · 额度为 {line} 个月收入 · 衰退使失业率 +{d} · "
        "政策：{pol} · {n} 名借款人",
    "Borrowers": "借款人数",
    "Freelancers": "自由职业者比例",
    "Impulse buying": "冲动消费",
    "{:.0%} of income": "占收入 {:.0%}",
    "Line multiplier": "额度倍数",
    "{:.1f} months of income": "{:.1f} 个月收入",
    "Downturn severity": "衰退严重程度",
    "+{:.1%} unemployment": "失业率 +{:.1%}",
    "Follow borrower #": "跟踪借款人 #",
    "{label}: {value}": "{label}：{value}",
    "bnpl-stress: BNPL credit under stress": "bnpl-stress：压力下的先买后付信贷",
    "Sliders: Borrowers = size of the simulated population; Freelancers = share of borrowers with freelance "
    "income; Impulse buying = mean impulse propensity, share of income a month; Line multiplier = initial "
    "credit line in months of estimated income; Downturn severity = rise of unemployment at the peak of a "
    "recession (0 to 8 points); Follow borrower # = the first account holder from that number. Parameters take "
    "effect at Reset.":
        "滑块：借款人数 = 模拟人口规模；自由职业者比例 = 有自由职业收入的借款人比例；冲动消费 = 平均冲动消费倾向，"
        "占月收入的比例；额度倍数 = 初始信用额度相当于几个月的估计收入；衰退严重程度 = 衰退高峰时失业率的上升"
        "（0 至 8 个百分点）；跟踪借款人 # = 从该编号起的第一位账户持有人。参数在按 Reset 后生效。",
    "Finished at month {month}: press Reset to run again.": "已在第 {month} 月结束：按 Reset 重新运行。",
    "Controls": "控制",
    "Model parameters": "模型参数",
    "A change takes effect at Reset.": "改动在按 Reset 后生效。",
})
