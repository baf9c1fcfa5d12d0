"""Tests for simulator.apps.dashboard: the model behind the sliders, the charts, and the page in a real browser.

The browser test starts ``bnpl-stress-dashboard`` on a free 127.0.0.1 port, opens it in headless
Chromium (the system's /usr/bin/chromium through Playwright; never ``playwright install``), moves
the downturn and population sliders (their labels show the values), ticks a policy, resets, steps
and checks that the month counter and every chart change, that Mesa's developer controls are not
shown, and that playing to month 60 ends in a "finished: press Reset" state. It is skipped, with
the reason, when the ``dashboard`` extra, Playwright, Chromium or the page's browser assets
(``bnpl-stress-dashboard --install-assets``) are missing.
"""

from __future__ import annotations

import inspect
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from simulator.apps import dashboard as dash
from simulator.apps import dashboard_assets
from simulator.core.policies import POLICIES
from simulator.outputs.catalogue import METRICS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--no-proxy-server"]
# Timeouts per action (never a budget for the whole test): the server's start, the first page
# load (the page's JavaScript and the first charts), and each later action or awaited change.
SERVER_START_S = 45
PAGE_TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 20_000
#: Playing from month 5 to month 60 (one month per 200 ms plus the charts' redraw): one action.
FINISH_TIMEOUT_MS = 180_000


# --- the model and the figures (no browser needed) ------------------------------------------------
def test_sliders_become_compose_overrides():
    m = dash.DashboardModel(freelance_share=0.5, impulse_mean=0.1, line_multiplier=1.0, downturn_severity=0.04,
                            hardship=True, early_warning=True)
    cfg = m.cfg
    assert cfg.population.freelance_share == 0.5
    assert cfg.population.impulse_mean == 0.1
    assert cfg.platform.line_multiplier == 1.0
    assert cfg.economy.name == "severe_recession"
    assert cfg.economy.unemployment_peak_delta == pytest.approx(0.04)
    peak, income_shock, demand_drop = dash._severe()
    assert cfg.economy.income_growth_shock == pytest.approx(income_shock * 0.04 / peak)
    assert cfg.economy.demand_drop == pytest.approx(demand_drop * 0.04 / peak)
    assert [p.name for p in m.policies] == ["early_warning", "hardship"]
    assert cfg.policy.hardship.enabled and not cfg.policy.stimulus.enabled
    assert (cfg.run.n_borrowers, cfg.run.burn_in) == (dash.N_BORROWERS, dash.BURN_IN)


def test_no_downturn_is_the_baseline_economy():
    m = dash.DashboardModel(downturn_severity=0.0, n_borrowers=500)
    assert m.cfg.economy.name == "baseline"
    assert m.enabled == [] and m.policies == []


def test_packaged_severity_is_the_severe_recession_unchanged():
    peak, income_shock, demand_drop = dash._severe()
    ov = dash.overrides_for(0.3, 0.05, 0.6, peak, [])
    e = dash._compose(ov).economy
    assert (e.unemployment_peak_delta, e.income_growth_shock, e.demand_drop) == pytest.approx(
        (peak, income_shock, demand_drop))


@pytest.mark.parametrize("kwargs, error", [
    ({"no_such_policy": True}, TypeError),
    ({"downturn_severity": 0.2}, ValueError),
])
def test_bad_parameters_are_rejected(kwargs, error):
    with pytest.raises(error):
        dash.DashboardModel(n_borrowers=200, **kwargs)


def test_model_starts_at_month_zero_steps_and_stops_at_the_horizon():
    m = dash.DashboardModel(n_borrowers=800, months=4, follow=10)
    assert (m.month, m.steps, len(m.timeseries())) == (0, 0, 0)
    assert getattr(m, "time", 0) == 0  # Mesa 3.4+'s clock (shown on the page) starts after the burn-in too
    assert m.borrower(m.followed).status_name == "active"
    assert m.followed >= 10
    for k in range(1, 5):
        assert m.running
        m.step()
        assert (m.month, m.steps, len(m.timeseries())) == (k, k, k)
        assert getattr(m, "time", k) == k
    assert not m.running
    path = m.followed_frame()
    assert list(path.month) == [0, 1, 2, 3, 4]
    assert {"income", "savings", "line", "balance", "days_past_due", "status"} <= set(path.columns)
    assert m.headline()[0] == f"Month 4 of 4 · {dash.FINISHED}"
    # Step pressed again after the end: nothing is simulated, nothing fails (the path has 4 months)
    m.step()
    assert (m.month, len(m.timeseries()), len(m.followed_frame())) == (4, 4, 5) and not m.running


def test_headline_says_finished_only_at_the_horizon():
    m = dash.DashboardModel(n_borrowers=300, months=2)
    assert m.headline()[0] == "Month 0 of 2"
    m.step()
    assert m.headline()[0] == "Month 1 of 2" and m.running
    m.step()
    assert m.headline()[0] == "Month 2 of 2 · finished: press Reset to run again" and not m.running


def test_model_params_build_the_model_like_mesa_reset():
    params = dash.model_params()
    signature = inspect.signature(dash.DashboardModel.__init__).parameters
    user = {k: v for k, v in params.items() if isinstance(v, dict) and "type" in v}
    assert set(POLICIES) <= set(user)
    for name, spec in user.items():  # every control is a keyword the model takes
        assert name in signature or name in POLICIES
        assert spec["type"] in {"SliderFloat", "SliderInt", "Checkbox"}
        if spec["type"] != "Checkbox":
            assert spec["min"] <= spec["value"] <= spec["max"]
    base = dash._defaults()
    assert user["freelance_share"]["value"] == base.population.freelance_share
    assert user["line_multiplier"]["value"] == base.platform.line_multiplier
    assert user["n_borrowers"]["value"] == dash.N_BORROWERS  # the population-size control
    values = dash.initial_values(params)
    assert values["n_borrowers"] == dash.N_BORROWERS and values["months"] == dash.MONTHS
    values["n_borrowers"] = 300
    m = dash.DashboardModel(**values)  # what Mesa's Reset does with the parameters
    m.step()
    assert m.month == 1


@pytest.mark.parametrize("name, value, label", [
    ("n_borrowers", 3000, "Borrowers: 3,000"),
    ("freelance_share", 0.3, "Freelancers: 30%"),
    ("impulse_mean", 0.05, "Impulse buying: 5% of income"),
    ("line_multiplier", 0.6, "Line multiplier: 0.6 months of income"),
    ("downturn_severity", 0.08, "Downturn severity: +8.0% unemployment"),
    ("follow", 12, "Follow borrower #: 12"),
])
def test_slider_labels_show_their_values(name, value, label):
    assert dash.slider_label(dash.model_params()[name], value) == label


def test_population_size_control_sets_the_run_size():
    m = dash.DashboardModel(n_borrowers=1500)
    assert m.cfg.run.n_borrowers == 1500 and len(m.pop.status) == 1500
    assert "1,500 borrowers" in m.headline()[-1]


def test_default_rate_and_delinquency_have_their_own_axes_and_catalogue_labels():
    m = dash.DashboardModel(n_borrowers=600, downturn_severity=0.06)
    for _ in range(6):
        m.step()
    fig = dash.default_rate_figure(m.timeseries())
    rate_ax, dpd_ax = fig.axes
    rate, dpd = METRICS["default_rate"], METRICS["dpd30_rate"]
    assert rate_ax.get_title(loc="left") == f"{rate.label} ({rate.denominator})"
    assert dpd_ax.get_title(loc="left") == f"{dpd.label} ({dpd.denominator})"
    assert "% of accounts performing" in rate_ax.get_title(loc="left")
    assert "% of receivables" in dpd_ax.get_title(loc="left") and "accounts" not in dpd_ax.get_title(loc="left")
    assert (rate_ax.get_ylabel(), dpd_ax.get_ylabel()) == (rate.short, dpd.short)
    ts = m.timeseries()
    # each line has its own scale: its maximum fills most of its own axis
    for ax, col in ((rate_ax, "default_rate"), (dpd_ax, "dpd30_rate")):
        top = ts[col].max()
        if top > 0:
            assert ax.get_ylim()[1] <= max(top * 1.3, {"default_rate": 0.005, "dpd30_rate": 0.02}[col]) + 1e-12


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_figures_draw_empty_and_grow_with_the_months():
    m = dash.DashboardModel(n_borrowers=600, downturn_severity=0.06)
    kind = "salaried"
    empty = [_png(dash.default_rate_figure(m.timeseries())), _png(dash.buckets_figure(m.timeseries())),
             _png(dash.economy_figure(m.timeseries())),
             _png(dash.borrower_figure(m.followed_frame(), m.followed, kind))]
    for _ in range(6):
        m.step()
    full = [_png(dash.default_rate_figure(m.timeseries())), _png(dash.buckets_figure(m.timeseries())),
            _png(dash.economy_figure(m.timeseries())),
            _png(dash.borrower_figure(m.followed_frame(), m.followed, kind))]
    for a, b in zip(empty, full, strict=True):
        assert a.startswith(b"\x89PNG") and b.startswith(b"\x89PNG")
        assert a != b


def test_main_without_the_extra_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(dash, "solara", None)
    monkeypatch.setattr(dash, "IMPORT_ERROR", "No module named 'solara'")
    assert dash.main(["--port", "1"]) == 2
    assert "dashboard" in capsys.readouterr().err


# --- the page in a real browser ------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dashboard exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with opener.open(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"dashboard did not answer on {url} within {SERVER_START_S} s:\n{log.read_text()[-3000:]}")


def _chart_shots(page, sync_api, tries: int = 20) -> list[bytes]:
    """Screenshots of the four chart images (retried: an image is replaced while a chart re-renders)."""
    for _ in range(tries):
        page.wait_for_timeout(300)
        charts = page.locator("img")
        try:
            if charts.count() == 4:
                return [charts.nth(i).screenshot(timeout=5_000) for i in range(4)]
        except sync_api.Error:
            pass
    pytest.fail(f"could not capture the four charts (found {page.locator('img').count()} images)")


@pytest.fixture
def server(tmp_path):
    pytest.importorskip("solara", reason="the 'dashboard' extra (solara) is not installed")
    if dash.solara is None:
        pytest.skip(f"the 'dashboard' extra is not importable: {dash.IMPORT_ERROR}")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    missing = dashboard_assets.missing_assets()
    if missing:
        pytest.skip(f"the page's browser assets are missing ({', '.join(missing)}): "
                    "run bnpl-stress-dashboard --install-assets")
    dash.DashboardModel(n_borrowers=200).step()  # compile (or load) the kernels before the server needs them
    port = _free_port()
    log = tmp_path / "server.log"
    env = dict(os.environ, SOLARA_TELEMETRY_MIXPANEL_ENABLE="False", PYTHONUNBUFFERED="1")
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "simulator.apps.dashboard", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_server(url, proc, log)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.mark.slow
def test_dashboard_in_headless_chromium(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    url, log = server
    outside, failed, errors = [], [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                    args=CHROMIUM_ARGS, headless=True, timeout=PAGE_TIMEOUT_MS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.set_default_timeout(STEP_TIMEOUT_MS)  # every action below without its own timeout

            def only_localhost(route):
                if route.request.url.startswith("http://127.0.0.1:"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", only_localhost)
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url, timeout=PAGE_TIMEOUT_MS)
            page.get_by_text("Month 0 of 60").wait_for(timeout=PAGE_TIMEOUT_MS)
            before = _chart_shots(page, sync_api)  # default rate, buckets, economy, followed borrower
            # a page for a class: no developer controls, no page tabs; sliders show their values
            for dev in ("Play Interval", "Render Interval", "Use Threads", "PAGE 0"):
                assert page.get_by_text(dev).count() == 0, f"{dev!r} is on the page"
            page.get_by_text("Downturn severity: +0.0% unemployment").wait_for(timeout=STEP_TIMEOUT_MS)
            page.get_by_text(f"Borrowers: {dash.N_BORROWERS:,}").wait_for(timeout=STEP_TIMEOUT_MS)

            # move a control: the downturn slider to its maximum; tick a policy; rebuild with Reset
            slider = page.locator(".v-input", has_text="Downturn severity").get_by_role("slider")
            slider.focus(timeout=STEP_TIMEOUT_MS)
            slider.press("End", timeout=STEP_TIMEOUT_MS)
            valuenow = slider.get_attribute("aria-valuenow", timeout=STEP_TIMEOUT_MS)
            assert float(valuenow) == pytest.approx(dash.SEVERITY_MAX)
            page.get_by_text("Downturn severity: +8.0% unemployment").wait_for(timeout=STEP_TIMEOUT_MS)
            size = page.locator(".v-input", has_text="Borrowers:").get_by_role("slider")
            size.focus(timeout=STEP_TIMEOUT_MS)
            size.press("Home", timeout=STEP_TIMEOUT_MS)  # the smallest population
            page.get_by_text(f"Borrowers: {dash.N_BORROWERS_MIN:,}").wait_for(timeout=STEP_TIMEOUT_MS)
            page.get_by_text(dash.policy_label("hardship")).click(timeout=STEP_TIMEOUT_MS)
            page.get_by_role("button", name="Reset").click(timeout=STEP_TIMEOUT_MS)
            page.get_by_text("downturn +8.0% unemployment").wait_for(timeout=STEP_TIMEOUT_MS)
            assert page.get_by_text(dash.policy_label("hardship") + " · ").count() == 1
            page.get_by_text(f"· {dash.N_BORROWERS_MIN:,} borrowers").wait_for(timeout=STEP_TIMEOUT_MS)

            for month in range(1, 4):
                page.get_by_role("button", name="Step").click(timeout=STEP_TIMEOUT_MS)
                page.get_by_text(f"Month {month} of 60").wait_for(timeout=STEP_TIMEOUT_MS)
            # Mesa's own counter agrees (Mesa 3.3 shows its steps, 3.4+ its clock)
            page.get_by_text(re.compile(r"^(Step: 3|Time: 3(\.0)?)$")).wait_for(timeout=STEP_TIMEOUT_MS)
            page.get_by_role("button", name="▶").click(timeout=STEP_TIMEOUT_MS)  # play until month 5, then pause
            page.get_by_text("Month 5 of 60").wait_for(timeout=STEP_TIMEOUT_MS)
            page.get_by_role("button", name="❚❚").click(timeout=STEP_TIMEOUT_MS)
            page.get_by_role("button", name="▶").wait_for(timeout=STEP_TIMEOUT_MS)
            after = _chart_shots(page, sync_api)
            changed = [a != b for a, b in zip(before, after, strict=True)]
            assert all(changed), f"charts unchanged after stepping: {changed}"

            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot), full_page=True, timeout=STEP_TIMEOUT_MS)

            # play to the end of the horizon: a finished state, play and Step greyed out, Reset starts again
            assert page.get_by_text("Finished at month").count() == 0
            page.get_by_role("button", name="▶").click(timeout=STEP_TIMEOUT_MS)
            page.get_by_text(f"Month {dash.MONTHS} of {dash.MONTHS} · {dash.FINISHED}").wait_for(
                timeout=FINISH_TIMEOUT_MS)
            page.get_by_text(f"Finished at month {dash.MONTHS}: press Reset").wait_for(timeout=STEP_TIMEOUT_MS)
            # Mesa leaves its play button in the pause state (❚❚), greyed out, at the end
            play = page.get_by_role("button", name=re.compile(r"^(▶|❚❚)$"))
            assert play.is_disabled(timeout=STEP_TIMEOUT_MS)
            assert page.get_by_role("button", name="Step").is_disabled(timeout=STEP_TIMEOUT_MS)
            finished = tmp_path / "dashboard_finished.png"
            page.screenshot(path=str(finished), full_page=True, timeout=STEP_TIMEOUT_MS)
            page.get_by_role("button", name="Reset").click(timeout=STEP_TIMEOUT_MS)
            page.get_by_text(f"Month 0 of {dash.MONTHS}").wait_for(timeout=STEP_TIMEOUT_MS)
            # the status box re-renders on its own: wait for the finished note to go (fails if it stays)
            page.get_by_text("Finished at month").wait_for(state="detached", timeout=STEP_TIMEOUT_MS)
        finally:
            browser.close()
    shutil.copy(shot, Path(tempfile.gettempdir()) / "dashboard_shot.png")
    shutil.copy(finished, Path(tempfile.gettempdir()) / "dashboard_finished_shot.png")
    assert shot.stat().st_size > 10_000
    assert not outside, f"the page tried to leave 127.0.0.1: {outside}"
    assert not failed, f"failed requests: {failed}\n{log.read_text()[-2000:]}"
    assert not errors, f"JavaScript errors: {errors}"
