"""Chinese output (issue 14, report.language=zh): every report (run, sweep, comparison, feedback
study) and every chart set rendered in Chinese on tiny runs keeps no English word of the user
interface, and every character of the charts has a glyph.

The list of English words is built from the English texts the program can show (the keys of
:data:`simulator.outputs.lang.ZH`, the catalogue's labels, denominators, descriptions and glossary,
the policies' labels and descriptions, the scenarios' questions), not by hand: a sentence left in
English shares words with them ("default", "accounts", "replicates", ...). What may stay: numbers,
the program's commands and file names (in ``<pre>``/``<code>``, or written with ``_``, ``.``, ``=``,
``/``), folder paths, acronyms (RMB, BNPL, AUC) and the proper names in :data:`ALLOWED`.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from simulator.core.policies import POLICIES
from simulator.outputs import catalogue
from simulator.outputs.lang import ZH, cjk_font, output_options
from simulator.outputs.remedies import scenario_question
from simulator.outputs.report import build_report, write_comparison

#: Proper names and words that are the same in Chinese text (surnames of methods, units, formats, the
#: buttons of Mesa's dashboard controller, which keep Mesa's English names).
ALLOWED = frozenset({"vasicek", "welch", "student", "basel", "shapley", "okun", "parquet", "csv", "png", "svg",
                     "pdf", "html", "logistic",
                     "reset", "step"})                          # the names of Mesa's dashboard buttons

SMALL = ["run.n_borrowers=1500", "run.months=12", "run.burn_in=3", "run.replicates=3", "run.progress=off"]
_NO_FONT = "no CJK font installed (Debian: apt-get install fonts-noto-cjk; .ci/run installs it)"


def english_words() -> set[str]:
    """Lower-case words (3+ letters) of every English text of the user interface."""
    texts = list(ZH)
    for m in (*catalogue.METRICS.values(), *catalogue.REMEDY_METRICS.values()):
        texts += [m.label, m.denominator, m.description, m.short]
    for term, definition, _, _ in catalogue.GLOSSARY:
        texts += [term, definition]
    for cls in POLICIES.values():
        texts += [cls.label, cls.description]
    texts.append(scenario_question("policy_matrix", "en") or "")
    words = {w.lower() for t in texts for w in re.findall(r"[A-Za-z][a-z]{2,}", t)}
    return words - ALLOWED


def _is_code(token: str) -> bool:
    if token.startswith("bnpl-stress"):                 # the program's name and commands
        return True
    return bool(re.search(r"[_./=\\]|^-", token)) or any(c.isdigit() for c in token)


def leftover_english(text: str, words: set[str]) -> list[str]:
    """The English UI words left in ``text`` (visible text: tags, code and paths removed)."""
    text = re.sub(r"<(pre|code|style|title)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    found = []
    for token in text.split():
        if _is_code(token):
            continue
        found += [w for w in re.findall(r"[A-Za-z]+", token) if w.lower() in words and not w.isupper()]
    return found


@contextmanager
def chart_texts() -> Iterator[list[str]]:
    """Collect the text of every figure saved inside the block (titles, labels, ticks, legends)."""
    seen: list[str] = []
    original = Figure.savefig

    def savefig(fig: Figure, *args, **kwargs):
        seen.extend(t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text())
        return original(fig, *args, **kwargs)

    Figure.savefig = savefig
    try:
        yield seen
    finally:
        Figure.savefig = original


def _cli(args: list[str], cwd: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "simulator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """A policy sweep (2 economies × none, hardship, stimulus), two single runs and a feedback study."""
    root = tmp_path_factory.mktemp("zh")
    _cli(["-m", "scenario=policy_matrix", "economy=baseline,severe_recession", "policy=none,hardship,stimulus",
          *SMALL, f"hydra.sweep.dir={root / 'sweep'}"], root)
    _cli([*SMALL, "economy=severe_recession", f"hydra.run.dir={root / 'a'}"], root)
    _cli([*SMALL, "economy=severe_recession", "policy=hardship", f"hydra.run.dir={root / 'b'}"], root)
    _cli([*SMALL, "economy=severe_recession", "run.study=feedback_amplification", "run.replicates=2",
          "run.charts=true", f"hydra.run.dir={root / 'loop'}"], root)
    return {"sweep": root / "sweep", "a": root / "a", "b": root / "b", "loop": root / "loop"}


def render_zh(outputs: dict[str, Path], dest: Path) -> tuple[dict[str, str], list[str], list[str]]:
    """Every report in Chinese: (report name → HTML, chart texts, missing-glyph warnings)."""
    pages = {}
    with warnings.catch_warnings(record=True) as caught, output_options("zh", ["png"]), chart_texts() as texts:
        warnings.simplefilter("always")
        for name in ("sweep", "a", "loop"):
            copy = dest / name
            shutil.copytree(outputs[name], copy)
            build_report(copy)
            pages[name] = (copy / "report.html").read_text()
        write_comparison([outputs["a"], outputs["b"]], dest / "cmp")
        pages["compare"] = (dest / "cmp" / "report.html").read_text()
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    return pages, list(texts), missing


@pytest.mark.slow
@pytest.mark.skipif(cjk_font() is None, reason=_NO_FONT)
def test_chinese_reports_and_charts_keep_no_english(outputs, tmp_path):
    words = english_words()
    assert {"default", "accounts", "replicates", "policy"} <= words      # the list is not empty
    pages, texts, missing = render_zh(outputs, tmp_path)
    assert not missing, missing[:3]
    for name, text in pages.items():
        assert '<html lang="zh-CN">' in text
        left = leftover_english(text, words)
        assert not left, (name, sorted(set(left))[:40])
    assert len(texts) > 100                                            # every chart was drawn
    left = leftover_english("\n".join(f"<p>{html.escape(t)}</p>" for t in texts), words)
    assert not left, sorted(set(left))[:40]


def test_leftover_english_finds_english_and_spares_code():
    words = {"default", "accounts", "rate"}
    assert leftover_english("<p>累计违约率 Default rate</p>", words) == ["Default", "rate"]
    assert leftover_english("<p>见 cum_default_rate 与 run.replicates=5</p><pre>default accounts</pre>", words) == []
    assert leftover_english("<p>RMB 1,234 /tmp/default/x</p>", words) == []


def _tr_literals() -> list[tuple[str, int, str]]:
    """(file, line, text) of every string literal passed to ``tr(...)`` in the package."""
    import ast

    out = []
    for f in sorted(Path(catalogue.__file__).parents[1].rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr" and node.args:
                a = node.args[0]
                if isinstance(a, ast.Constant) and isinstance(a.value, str):
                    out.append((f.name, node.lineno, a.value))
    return out


def test_every_text_shown_through_tr_has_its_chinese_with_the_same_placeholders():
    literals = _tr_literals()
    assert len(literals) > 150                                          # the scan sees the package
    missing = [(f, n, t[:60]) for f, n, t in literals if t not in ZH]
    assert not missing, missing[:10]
    braces = re.compile(r"\{[^}]*\}")
    bad = [k[:60] for k, v in ZH.items() if sorted(braces.findall(k)) != sorted(braces.findall(v))]
    assert not bad, bad


def test_every_metric_policy_glossary_term_and_policy_scenario_has_its_chinese():
    for m in (*catalogue.METRICS.values(), *catalogue.REMEDY_METRICS.values()):
        assert m.label_in("zh") != m.label and m.description_in("zh") != m.description, m.name
        assert bool(m.denominator_in("zh")) == bool(m.denominator), m.name
        assert bool(m.short_in("zh")) == bool(m.short), m.name
    for cls in POLICIES.values():
        assert cls.label_zh and cls.description_zh and not re.search(r"[a-z]{3,}", cls.description_zh), cls.name
    assert [t for t, _ in catalogue.glossary("zh")] != [t for t, _ in catalogue.glossary("en")]
    assert len(catalogue.glossary("zh")) == len(catalogue.GLOSSARY)
    assert scenario_question("policy_matrix", "zh").startswith("每种措施")
    assert scenario_question("policy_matrix", "en").startswith("How does each remedy fare")


@pytest.mark.skipif(cjk_font() is None, reason=_NO_FONT)
def test_dashboard_in_chinese(monkeypatch):
    from simulator.apps import dashboard as dash
    from simulator.apps import dashboard_figures as figs

    words = english_words()
    m = dash.DashboardModel(n_borrowers=600, months=2, hardship=True)
    m.step()
    with warnings.catch_warnings(record=True) as caught, output_options("zh"):
        warnings.simplefilter("always")
        params = dash.model_params()
        labels = [dash.slider_label(spec, spec["value"]) if spec["type"] != "Checkbox" else spec["label"]
                  for spec in params.values() if isinstance(spec, dict)]
        assert dash.slider_label(params["freelance_share"], 0.3) == "自由职业者比例：30%"
        assert dash.policy_label("hardship") == "R5 困难重组"
        m.step()
        lines = [*m.headline(), dash.tr(dash.LEGEND)]
        assert lines[0] == "第 2 月 / 共 2 月 · 已结束：按 Reset 重新运行"
        ts = m.timeseries()
        kind = m.borrower(m.followed).income_type
        fig_list = [figs.default_rate_figure(ts, 2), figs.buckets_figure(ts, 2), figs.economy_figure(ts, 2),
                    figs.borrower_figure(m.followed_frame(), m.followed, ("salaried", "freelance")[int(kind)], 2)]
        rate_ax = fig_list[0].axes[0]
        assert rate_ax.get_title(loc="left") == "月度违约率（占月初正常账户的百分比）"
        texts = []
        for fig in fig_list:
            fig.canvas.draw()                                           # draws every glyph
            texts += [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    assert not [w for w in caught if "missing from font" in str(w.message)]
    shown = "".join(f"<p>{html.escape(t)}</p>" for t in [*labels, *lines, *texts])
    assert not leftover_english(shown, words), sorted(set(leftover_english(shown, words)))
    m.release()


def test_dashboard_language_option(monkeypatch, capsys):
    from simulator.apps import dashboard as dash

    monkeypatch.setenv(dash.LANG_ENV, "zh")
    assert dash.dashboard_language() == "zh"
    monkeypatch.setenv(dash.LANG_ENV, "fr")
    assert dash.dashboard_language() == "en"
    assert dash.main(["--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--lang='fr': allowed: one of en, zh" in err
