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

#: Proper names and words that are the same in Chinese text (surnames of methods, units, formats).
ALLOWED = frozenset({"vasicek", "welch", "student", "basel", "shapley", "okun", "parquet", "csv", "png", "svg",
                     "pdf", "html", "logistic"})

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
