"""Charts of bnpl-stress runs and sweeps for readers who are not programmers.

* :mod:`~simulator.outputs.charts.style`: size, fonts, colours, the delinquency buckets (shared
  with the dashboard) and axis helpers;
* :mod:`~simulator.outputs.charts.run` and :mod:`~simulator.outputs.charts.breakdowns`: the five
  charts of a run directory (:func:`write_charts`);
* :mod:`~simulator.outputs.charts.sweep`: the charts of a sweep;
* :mod:`~simulator.outputs.charts.decomposition`: the cause-decomposition chart.

Each chart has a builder, ``*_figure(...)``, returning a :class:`~matplotlib.figure.Figure`, and
a writer, ``plot_*(..., path)``, saving it as a PNG atomically. The public names of the modules
are importable from here.
"""

from simulator.outputs.charts.breakdowns import (
    CAUSE_LABELS,
    SEGMENT_LABELS,
    causes_figure,
    default_by_segment_figure,
    plot_causes,
    plot_default_by_segment,
    plot_vintages,
    vintages_figure,
)
from simulator.outputs.charts.decomposition import cause_decomposition_figure, plot_cause_decomposition
from simulator.outputs.charts.run import (
    CHART_FILES,
    default_rate_figure,
    delinquency_buckets_figure,
    plot_default_rate,
    plot_delinquency_buckets,
    write_charts,
)
from simulator.outputs.charts.style import DPI, FIGSIZE
from simulator.outputs.charts.sweep import (
    DEFAULT_CURVES_FILE,
    POLICY_TRADEOFF_FILE,
    SWEEP_CHART_METRICS,
    plot_policy_tradeoff,
    plot_sweep_default_curves,
    plot_sweep_heatmap,
    policy_tradeoff_figure,
    sweep_default_curves_figure,
    sweep_metric_chart_file,
    sweep_metric_figure,
    write_sweep_charts,
)

__all__ = [
    "CAUSE_LABELS",
    "CHART_FILES",
    "DEFAULT_CURVES_FILE",
    "DPI",
    "FIGSIZE",
    "POLICY_TRADEOFF_FILE",
    "SEGMENT_LABELS",
    "SWEEP_CHART_METRICS",
    "cause_decomposition_figure",
    "causes_figure",
    "default_by_segment_figure",
    "default_rate_figure",
    "delinquency_buckets_figure",
    "plot_cause_decomposition",
    "plot_causes",
    "plot_default_by_segment",
    "plot_default_rate",
    "plot_delinquency_buckets",
    "plot_policy_tradeoff",
    "plot_sweep_default_curves",
    "plot_sweep_heatmap",
    "plot_vintages",
    "policy_tradeoff_figure",
    "sweep_default_curves_figure",
    "sweep_metric_chart_file",
    "sweep_metric_figure",
    "vintages_figure",
    "write_charts",
    "write_sweep_charts",
]
