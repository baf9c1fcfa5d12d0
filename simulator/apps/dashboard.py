"""Interactive classroom dashboard: Mesa's Solara visualisation of a small :class:`CreditModel`.

Run it with ``bnpl-stress-dashboard [--port 8765]`` (needs the ``dashboard`` extra:
``pip install "bnpl-stress[dashboard]"``) and open the printed address, served on 127.0.0.1.

The sidebar has Mesa's controller (Reset, play/pause, Step; Mesa's developer controls, play and
render intervals and threads, and its page tabs are left out for a class) and the model
parameters, each slider labelled with its value: the number of borrowers, the share of
freelancers, the mean impulse propensity, the platform's line multiplier, the severity of a
downturn, one check box per policy and the borrower to follow. A changed parameter takes effect at
the next **Reset**, which builds a new model. Each **Step** simulates one month; the page shows
the month and headline numbers, the default rate and 30+ delinquency (two panels, each on its own
scale and labelled with its denominator from the catalogue), the delinquency buckets, the economy
and the followed borrower's income, savings, line and balance. At month 60 the page says the run
is finished and to press Reset.

The page's JavaScript and CSS come through Solara's CDN proxy (cdn.jsdelivr.net, cached on first
use). On a machine that cannot reach it, run ``bnpl-stress-dashboard --install-assets`` once (with
Node's ``npm``): it puts the few npm packages the page needs into Solara's cache
(:mod:`simulator.apps.dashboard_assets`).

The charts (:mod:`simulator.apps.dashboard_figures`) take their colours, delinquency buckets and
series labels from the output layer (:mod:`simulator.outputs.charts.style`,
:mod:`simulator.outputs.catalogue`), shared with the run charts; a policy's label comes from
:func:`policy_label`.

The model is a :class:`DashboardModel`: a :class:`CreditModel` whose keyword arguments (what
Mesa's ``SolaraViz`` passes on Reset) become overrides of :func:`simulator.config.compose`, so
the dashboard uses the same configuration, validation and defaults as the command line. It is
kept small (3,000 borrowers by default, 1,000 to 20,000 on the slider, a 3-month burn-in run when
the model is built) so a step is instant.
The downturn slider scales the packaged severe recession (see :func:`overrides_for`).

The page is in English or Chinese: ``bnpl-stress-dashboard --lang zh`` (or the environment variable
``BNPL_DASHBOARD_LANG=zh``, :data:`LANG_ENV`) shows its titles, slider labels, headline, chart titles,
axis labels and legends in Chinese (words from :mod:`simulator.outputs.lang`, metric labels from the
catalogue); Mesa's own buttons (Reset, Step, play) keep Mesa's words.

Everything but :func:`Page` works without the extra (the model and the figures are tested
without a browser); :func:`Page` is defined only when Solara is installed.
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulator.apps.dashboard_assets import asset_cache_dir, install_assets
from simulator.apps.dashboard_figures import (
    MONTHS,
    axis_label,
    borrower_figure,
    buckets_figure,
    default_rate_figure,
    economy_figure,
)
from simulator.config import Config, compose
from simulator.core.model import CreditModel
from simulator.core.policies import POLICIES
from simulator.core.state import ACTIVE, INCOME_TYPE_NAMES
from simulator.outputs.lang import FontMissing, language, output_options, tr

__all__ = ["LANG_ENV", "LANGUAGES", "DashboardModel", "dashboard_language", "overrides_for", "model_params",
           "initial_values", "slider_label", "policy_label",
           "axis_label", "default_rate_figure", "buckets_figure", "economy_figure", "borrower_figure", "Page",
           "main"]

#: Size of the dashboard's model: small, so that a step (a month) takes a few milliseconds.
N_BORROWERS = 3000
#: The population-size slider's range (a step of 20,000 borrowers still takes well under a second).
N_BORROWERS_MIN, N_BORROWERS_MAX = 1000, 20_000
BURN_IN = 3
SEED = 42
#: The downturn slider sets the severe recession's unemployment rise (share of labour force).
SEVERITY_MAX = 0.08
#: Default of the downturn slider ("none": a baseline economy until a severity is chosen).
SEVERITY_DEFAULT = 0.0

#: The environment variable that sets the dashboard's language (``en`` or ``zh``; ``--lang`` sets it).
LANG_ENV = "BNPL_DASHBOARD_LANG"
LANGUAGES = ("en", "zh")


def dashboard_language() -> str:
    """The dashboard's language: :data:`LANG_ENV` (``en`` when unset or not one of :data:`LANGUAGES`)."""
    lang = os.environ.get(LANG_ENV, "en").strip().lower()
    return lang if lang in LANGUAGES else "en"


def policy_label(name: str) -> str:
    """The plain label of a policy (its check box, and the setting line under the charts), in the
    current output language (:func:`simulator.outputs.lang.output_options`).
    """
    return POLICIES[name].label_zh if language() == "zh" else POLICIES[name].label


# compose() re-initialises Hydra's global state: one composition at a time across sessions.
_COMPOSE_LOCK = threading.Lock()


def _compose(overrides: Sequence[str]) -> Config:
    with _COMPOSE_LOCK:
        return compose(list(overrides))


@functools.lru_cache(maxsize=1)
def _severe() -> tuple[float, float, float]:
    """The packaged severe recession's unemployment rise, income-growth shock and demand drop."""
    e = _compose(["economy=severe_recession"]).economy
    return e.unemployment_peak_delta, e.income_growth_shock, e.demand_drop


@functools.lru_cache(maxsize=1)
def _defaults() -> Config:
    """The packaged default scenario (slider defaults are read from it)."""
    return _compose([])


def overrides_for(freelance_share: float, impulse_mean: float, line_multiplier: float,
                  downturn_severity: float, policies: Sequence[str], *, n_borrowers: int = N_BORROWERS,
                  burn_in: int = BURN_IN, months: int = MONTHS, seed: int = SEED) -> list[str]:
    """The :func:`~simulator.config.compose` overrides of a dashboard setting.

    ``downturn_severity`` is the rise of unemployment at the peak of the severe recession
    (``economy.unemployment_peak_delta``); the recession's income-growth shock and demand drop are
    scaled with it in proportion to the packaged scenario, so 0 is no downturn at all and the
    packaged severity (0.06) is ``economy=severe_recession`` unchanged.
    """
    if not 0.0 <= downturn_severity <= SEVERITY_MAX:
        raise ValueError(f"downturn_severity={downturn_severity}: allowed: 0 .. {SEVERITY_MAX}")
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        raise ValueError(f"policy {unknown[0]!r}: unknown; allowed: one of {', '.join(POLICIES)}")
    peak, income_shock, demand_drop = _severe()
    scale = downturn_severity / peak if peak else 0.0
    out = [
        f"run.n_borrowers={int(n_borrowers)}", f"run.burn_in={int(burn_in)}", f"run.months={int(months)}",
        f"run.seed={int(seed)}", "run.replicates=1", "run.threads=1", "run.progress=off",
        f"population.freelance_share={float(freelance_share)!r}",
        f"population.impulse_mean={float(impulse_mean)!r}",
        f"platform.line_multiplier={float(line_multiplier)!r}",
    ]
    if downturn_severity > 0:
        out += ["economy=severe_recession",
                f"economy.unemployment_peak_delta={float(downturn_severity)!r}",
                f"economy.income_growth_shock={income_shock * scale!r}",
                f"economy.demand_drop={demand_drop * scale!r}"]
    chosen = [p for p in POLICIES if p in policies]  # the fixed order of POLICIES
    out.append(f"policy=[{','.join(chosen)}]" if chosen else "policy=[none]")
    return out


#: Shown once the model has reached the end of its horizon (Mesa greys out play and Step then).
FINISHED = "finished: press Reset to run again"  # shown through tr()


class DashboardModel(CreditModel):
    """A small :class:`CreditModel` built from the dashboard's keyword parameters.

    Built, it has run its burn-in and stands at month 0; each :meth:`step` is one reported month,
    and Mesa's ``steps`` counter (and, on Mesa 3.4+, its clock ``time``) equals :attr:`month`. It
    stops (``running`` false) at the end of the horizon. It follows one borrower: the first who
    holds an account at month 0 counting from index ``follow`` (wrapping round), and records that
    borrower's path in :attr:`followed_path`.

    Args:
        freelance_share: share of borrowers with freelance income (``population.freelance_share``).
        impulse_mean: mean impulse propensity (``population.impulse_mean``).
        line_multiplier: initial line in months of estimated income (``platform.line_multiplier``).
        downturn_severity: rise of unemployment at the peak of a severe recession, 0 .. 0.08
            (see :func:`overrides_for`).
        follow: borrower index from which to look for an account holder to follow.
        n_borrowers, burn_in, months, seed: the run's size, burn-in, horizon and seed.
        scenario: ignored; Mesa 3.4+'s Reset passes a ``mesa.experimental.scenarios.Scenario`` (the
            seed comes from ``seed``).
        **kwargs: one boolean per policy name of :data:`simulator.core.policies.POLICIES` (e.g. ``hardship=True``).
    """

    def __init__(self, freelance_share: float | None = None, impulse_mean: float | None = None,
                 line_multiplier: float | None = None, downturn_severity: float = SEVERITY_DEFAULT,
                 follow: int = 0, n_borrowers: int = N_BORROWERS, burn_in: int = BURN_IN,
                 months: int = MONTHS, seed: int = SEED, scenario: object = None, **kwargs: bool):
        # the policy switches are ``**kwargs``: Mesa's SolaraViz accepts extra parameters by that name only
        unknown = sorted(set(kwargs) - set(POLICIES))
        if unknown:
            raise TypeError(f"DashboardModel: unknown parameter {unknown[0]!r}; policies are "
                            f"{', '.join(POLICIES)}")
        base = _defaults()
        self.settings = {
            "freelance_share": base.population.freelance_share if freelance_share is None else freelance_share,
            "impulse_mean": base.population.impulse_mean if impulse_mean is None else impulse_mean,
            "line_multiplier": base.platform.line_multiplier if line_multiplier is None else line_multiplier,
            "downturn_severity": downturn_severity,
        }
        self.enabled = [p for p in POLICIES if kwargs.get(p)]
        self.overrides = overrides_for(**self.settings, policies=self.enabled, n_borrowers=n_borrowers,
                                       burn_in=burn_in, months=months, seed=seed)
        super().__init__(_compose(self.overrides))
        while self.month < 0:  # the burn-in: the book is seasoned before month 0 (outside Mesa's counters)
            CreditModel.step(self)
        self.followed = self._pick(int(follow))
        self.followed_path: list[dict] = []
        self._record_followed()

    def _pick(self, start: int) -> int:
        n = self.cfg.run.n_borrowers
        order = (np.arange(n) + start % n) % n
        holders = order[self.pop.status[order] == ACTIVE]
        return int(holders[0]) if len(holders) else start % n

    def _record_followed(self) -> None:
        b = self.borrower(self.followed)
        self.followed_path.append({
            "month": self.month, "income": float(b.income), "savings": float(b.savings),
            "line": float(b.line), "balance": b.balance, "days_past_due": b.days_past_due,
            "status": b.status_name,
        })

    def step(self) -> None:
        """One month (see :meth:`CreditModel.step`); then record the followed borrower. At the
        horizon nothing is simulated (the page's Step button stays clickable after the run ends;
        the macro path has no month beyond it).
        """
        if self.month >= self.cfg.run.months:
            self.running = False
            return
        super().step()
        if self.month > 0:  # burn-in months are not recorded
            self._record_followed()
        if self.month >= self.cfg.run.months:
            self.running = False

    # --- what the page shows -------------------------------------------------------------------
    def timeseries(self) -> pd.DataFrame:
        """The reported months so far (one row per month, see ``MonthlyRecorder``)."""
        return self.recorder.timeseries()

    def followed_frame(self) -> pd.DataFrame:
        """The followed borrower's path: one row per month from month 0 (start of each month)."""
        return pd.DataFrame(self.followed_path)

    def headline(self) -> list[str]:
        """Three lines of plain text: the month, the latest numbers and the setting."""
        ts = self.timeseries()
        s = self.settings
        lines = [tr("Month {month} of {months}").format(month=self.month, months=self.cfg.run.months)
                 + (f" · {tr(FINISHED)}" if self.month >= self.cfg.run.months else "")]
        if len(ts):
            last = ts.iloc[-1]
            lines.append(tr(
                "Unemployment {u} · defaults {d} a month · cumulative {c} · 30+ days late {late} · "
                "{n} active accounts").format(u=f"{last.unemployment_rate:.1%}", d=f"{last.default_rate:.2%}",
                                              c=f"{last.cum_default_rate:.1%}", late=f"{last.dpd30_rate:.1%}",
                                              n=f"{int(last.n_active):,}"))
        else:
            lines.append(tr("Press Step (or ▶) to simulate a month. A changed parameter takes effect at Reset."))
        pol = tr(", ").join(policy_label(p) for p in self.enabled) or tr("none")
        lines.append(tr(
            "This model: freelancers {f} · impulse {i} of income · line {line} months of income · downturn +{d} "
            "unemployment · policies: {pol} · {n} borrowers").format(
                f=f"{s['freelance_share']:.0%}", i=f"{s['impulse_mean']:.0%}", line=f"{s['line_multiplier']:.1f}",
                d=f"{s['downturn_severity']:.1%}", pol=pol, n=f"{self.cfg.run.n_borrowers:,}"))
        return lines


def model_params() -> dict:
    """The model's parameters: sliders and policy check boxes (``type``, ``label``, ``value``,
    ``min``, ``max``, ``step`` as Mesa's ``SolaraViz`` takes them, and ``format``, how the page
    shows a slider's value next to its label), then the fixed run settings. Labels and formats are in
    the current output language.
    """
    base = _defaults()
    params: dict = {
        "n_borrowers": {"type": "SliderInt", "label": tr("Borrowers"), "value": N_BORROWERS, "min": N_BORROWERS_MIN,
                        "max": N_BORROWERS_MAX, "step": 1000, "format": "{:,}"},
        "freelance_share": {"type": "SliderFloat", "label": tr("Freelancers"), "value": base.population.freelance_share,
                            "min": 0.0, "max": 1.0, "step": 0.05, "format": "{:.0%}"},
        "impulse_mean": {"type": "SliderFloat", "label": tr("Impulse buying"), "value": base.population.impulse_mean,
                         "min": 0.0, "max": 0.3, "step": 0.01, "format": tr("{:.0%} of income")},
        "line_multiplier": {"type": "SliderFloat", "label": tr("Line multiplier"), "min": 0.2, "max": 2.0,
                            "value": base.platform.line_multiplier, "step": 0.1,
                            "format": tr("{:.1f} months of income")},
        "downturn_severity": {"type": "SliderFloat", "label": tr("Downturn severity"), "value": SEVERITY_DEFAULT,
                              "min": 0.0, "max": SEVERITY_MAX, "step": 0.005, "format": tr("+{:.1%} unemployment")},
    }
    for name in POLICIES:
        params[name] = {"type": "Checkbox", "label": policy_label(name), "value": False}
    params["follow"] = {"type": "SliderInt", "label": tr("Follow borrower #"), "value": 0, "min": 0,
                        "max": N_BORROWERS_MIN - 1, "step": 1, "format": "{}"}
    params.update(burn_in=BURN_IN, months=MONTHS, seed=SEED)
    return params


def initial_values(params: dict) -> dict:
    """The keyword arguments of a :class:`DashboardModel` at the controls' initial values."""
    return {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}


def slider_label(spec: dict, value: float) -> str:
    """A slider's label with its current value: ``Freelancers: 30%``."""
    return tr("{label}: {value}").format(label=spec["label"], value=spec["format"].format(value))


#: The page's title (shown through tr(), as the legend).
TITLE = "bnpl-stress: BNPL credit under stress"
#: What the sliders mean (shown under the charts).
LEGEND = ("Sliders: Borrowers = size of the simulated population; Freelancers = share of borrowers with "
          "freelance income; Impulse buying = mean impulse "
          "propensity, share of income a month; Line multiplier = initial credit line in months of estimated "
          "income; Downturn severity = rise of unemployment at the peak of a recession (0 to 8 points); "
          "Follow borrower # = the first account holder from that number. Parameters take effect at Reset.")

try:  # the optional extra
    with warnings.catch_warnings():  # Mesa 3.3.1's SolaraViz trips one of Solara's hook-rule checks
        warnings.filterwarnings("ignore", message=".*use_state. found despite early return", category=UserWarning)
        import solara
        from mesa.visualization.solara_viz import ModelController, ShowSteps
        from mesa.visualization.utils import update_counter
    IMPORT_ERROR = ""
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    solara = None
    IMPORT_ERROR = str(exc)

if solara is not None:

    def _image(fig: Figure):
        return solara.FigureMatplotlib(fig, format="png")

    @solara.component
    def _Parameters(values: solara.Reactive[dict]):
        """The sliders (each label shows its value) and the policy check boxes."""
        with output_options(dashboard_language()):
            for name, spec in model_params().items():
                if not isinstance(spec, dict):
                    continue

                def set_value(v, name=name):
                    values.set({**values.value, name: v})

                value = values.value.get(name, spec["value"])
                if spec["type"] == "Checkbox":
                    solara.Checkbox(label=spec["label"], value=value, on_value=set_value)
                else:
                    slider = solara.SliderFloat if spec["type"] == "SliderFloat" else solara.SliderInt
                    slider(slider_label(spec, value), value=value, on_value=set_value, min=spec["min"],
                           max=spec["max"], step=spec["step"])

    @solara.component
    def _Charts(model: DashboardModel):
        """The headline, the four charts and the setting; redrawn after every step."""
        with output_options(dashboard_language()):
            update_counter.get()  # Mesa's controller bumps it after a step
            month, numbers, setting = model.headline()
            ts, months = model.timeseries(), model.cfg.run.months
            kind = INCOME_TYPE_NAMES[int(model.borrower(model.followed).income_type)]
            with solara.Column(gap="8px"):
                solara.HTML(tag="div", unsafe_innerHTML=html.escape(month), style="font-size: 20px; font-weight: 500")
                solara.HTML(tag="div", unsafe_innerHTML=html.escape(numbers), style="font-size: 13px")
                with solara.Columns([1, 1]):
                    with solara.Column():
                        _image(default_rate_figure(ts, months))
                        _image(buckets_figure(ts, months))
                    with solara.Column():
                        _image(economy_figure(ts, months))
                        _image(borrower_figure(model.followed_frame(), model.followed, kind, months))
                solara.HTML(tag="div", unsafe_innerHTML=html.escape(setting), style="font-size: 13px")
                solara.HTML(tag="div", unsafe_innerHTML=html.escape(tr(LEGEND)), style="font-size: 12px; color: #555")

    @solara.component
    def _Status(model: DashboardModel):
        update_counter.get()
        ShowSteps(model)  # Mesa's own counter: "Step: n" (Mesa 3.3) or "Time: n" (3.4+)
        if not model.running:
            with output_options(dashboard_language()):
                solara.Success(tr("Finished at month {month}: press Reset to run again.").format(month=model.month),
                               dense=True)

    @solara.component
    def Page():
        """The dashboard page: one model per browser session.

        Mesa's :class:`ModelController` (Reset, play/pause, Step) with fixed play settings, our own
        parameter controls (values shown) and charts: Mesa's developer controls (play and render
        intervals, threads) and its page tabs are left out for a class.
        """
        params = solara.use_memo(model_params, [])
        values = solara.use_reactive(initial_values(params))
        model = solara.use_reactive(solara.use_memo(DashboardModel, []))
        play_interval = solara.use_reactive(200)
        render_interval = solara.use_reactive(1)
        use_threads = solara.use_reactive(False)
        # Reset replaces model.value: free the replaced model (Mesa keeps a class-level reference to it)
        solara.use_effect(lambda: model.value.release, [model.value])
        with output_options(dashboard_language()):
            title, controls, parameters, note = (tr(TITLE), tr("Controls"), tr("Model parameters"),
                                                 tr("A change takes effect at Reset."))
        solara.Title(title)
        with solara.AppBar():
            solara.AppBarTitle(title)
        with solara.Sidebar(), solara.Column():
            with solara.Card(controls):
                ModelController(model, model_parameters=values, play_interval=play_interval,
                                render_interval=render_interval, use_threads=use_threads)
                _Status(model.value)
            with solara.Card(parameters):
                solara.Text(note, style="font-size: 13px; color: #555")
                _Parameters(values)
        _Charts(model.value)


def main(argv: Sequence[str] | None = None) -> int:
    """``bnpl-stress-dashboard``: serve the dashboard on 127.0.0.1 until Ctrl-C."""
    ap = argparse.ArgumentParser(prog="bnpl-stress-dashboard", description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8765, help="port to serve on (default 8765)")
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ap.add_argument("--lang", default=None,
                    help=f"language of the page and its charts: {', '.join(LANGUAGES)} (default: ${LANG_ENV}, "
                         "else en; zh needs a CJK font, e.g. Debian's fonts-noto-cjk)")
    ap.add_argument("--install-assets", action="store_true",
                    help="fetch the page's JavaScript/CSS bundles from the npm registry into Solara's cache "
                         "(for machines that cannot reach cdn.jsdelivr.net) and exit")
    args = ap.parse_args(argv)
    lang = (args.lang or os.environ.get(LANG_ENV) or "en").strip().lower()
    if lang not in LANGUAGES:
        print(f"bnpl-stress-dashboard: error: --lang={lang!r}: allowed: one of {', '.join(LANGUAGES)}", file=sys.stderr)
        return 2
    try:
        with output_options(lang):
            pass
    except FontMissing as exc:
        print(f"bnpl-stress-dashboard: error: {exc}", file=sys.stderr)
        return 2
    if solara is None:
        print(f"bnpl-stress-dashboard: error: {IMPORT_ERROR or 'solara is not installed'}; the dashboard needs "
              'the \'dashboard\' extra: pip install "bnpl-stress[dashboard]"', file=sys.stderr)
        return 2
    if args.install_assets:
        try:
            done = install_assets()
        except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
            detail = getattr(exc, "stderr", None) or exc
            print(f"bnpl-stress-dashboard: error: {detail}", file=sys.stderr)
            return 1
        print(f"bnpl-stress dashboard assets in {asset_cache_dir()}: "
              + (f"installed {', '.join(done)}" if done else "all present"))
        return 0
    env = dict(os.environ, SOLARA_TELEMETRY_MIXPANEL_ENABLE="False", **{LANG_ENV: lang})
    cmd = [sys.executable, "-m", "solara", "run", "simulator.apps.dashboard:Page", "--host", args.host,
           "--port", str(args.port), "--production", "--no-open", "--log-level", "warning"]
    print(f"bnpl-stress dashboard: http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    if os.name == "posix":  # become the server: Ctrl-C and signals reach it directly
        os.execve(sys.executable, cmd, env)
    proc = subprocess.Popen(cmd, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()

if __name__ == "__main__":
    sys.exit(main())
