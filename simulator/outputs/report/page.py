"""The report's HTML: the page, its CSS, and the pieces both reports share (facts, figures, glossary).

Everything here is self-contained (charts embedded as base64 PNG data URIs, no scripts, no
links: the file needs nothing else, no network). All text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import base64
import html
from datetime import datetime
from pathlib import Path

from simulator.outputs.catalogue import glossary
from simulator.outputs.lang import language, tr

__all__ = ["CSS", "PROG", "command_html", "esc", "facts_table", "figure_html", "glossary_html",
           "headline_html", "page"]

#: The command that rebuilds a report (named in the page footer).
PROG = "bnpl-stress-report"

esc = html.escape

CSS = """
:root { --ink:#1b1b1b; --muted:#5a5a5a; --line:#d8dde3; --accent:#1f4e79; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { margin:0; color:var(--ink); background:#fff; font:16px/1.55 -apple-system, "Segoe UI",
  Roboto, "Helvetica Neue", Arial, "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC",
  "PingFang SC", "Microsoft YaHei", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 28px; line-height: 1.25; margin: 0 0 6px; color: var(--accent); }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
p.lede { font-size: 17px; color: var(--muted); margin: 0 0 8px; }
ul.headline { background: var(--bg); border-left: 4px solid var(--accent); padding: 12px 16px 12px 36px;
  margin: 16px 0; }
ul.headline li { margin: 4px 0; }
.note { color: #8a4b00; background: #fff6e5; border: 1px solid #f0d49b; padding: 8px 12px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { border-bottom: 1px solid var(--line); padding: 7px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--bg); font-weight: 600; border-bottom: 2px solid #b9c2cc; }
thead th.num { text-align: right; }
thead th .unit { display: block; font-weight: 400; font-size: 13px; color: var(--muted); }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.key { white-space: nowrap; }
table.facts ul { margin: 0; padding-left: 18px; }
table.ranked { font-size: 14px; }
table.ranked th, table.ranked td { padding: 6px 6px; }
table.ranked thead th .unit { font-size: 12px; }
td .unit { display: block; font-size: 13px; color: var(--muted); }
td.num .range { display: block; font-size: 13px; color: var(--muted); }
table.facts th { width: 210px; font-weight: 600; background: var(--bg); }
figure { margin: 26px 0 34px; }
figure img { display: block; width: 100%; max-width: 1080px; height: auto; border: 1px solid var(--line); }
figcaption.title { font-weight: 600; font-size: 17px; margin-bottom: 8px; }
p.how { max-width: 1080px; margin: 8px 0 0; color: #333; }
dl.glossary dt { font-weight: 600; margin-top: 10px; }
dl.glossary dd { margin: 2px 0 0 0; color: #333; }
pre { background: #0f1720; color: #e6edf3; padding: 14px 16px; border-radius: 6px; overflow-x: auto;
  white-space: pre-wrap; word-break: break-all; font-size: 14px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media print { pre { background: #fff; color: #000; border: 1px solid #999; } }
"""


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" width="1080" height="600">'


def facts_table(rows: list[tuple[str, str | list[str]]]) -> str:
    """The "What was run" table: one row per (fact, value); a list value with 2+ items is a bullet list."""
    def cell(v: str | list[str]) -> str:
        if isinstance(v, list):
            return "<br>".join(esc(x) for x in v) if len(v) <= 1 else \
                "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in v) + "</ul>"
        return esc(v)

    body = "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{cell(v)}</td></tr>" for k, v in rows)
    return f'<table class="facts"><tbody>{body}</tbody></table>'


def figure_html(path: Path, title: str, how: str, number: int) -> str:
    """A chart (the PNG at ``path``, embedded) with its numbered title and "How to read this chart"."""
    caption = f"{tr('Chart')} {number}. {tr(title)}"
    return (f'<figure><figcaption class="title">{esc(caption)}</figcaption>{_img(path, tr(title))}'
            f'<p class="how"><strong>{esc(tr("How to read this chart."))}</strong> {esc(tr(how))}</p></figure>')


def headline_html(lines: list[str]) -> str:
    """The highlighted list of headline sentences; empty when there are none."""
    if not lines:
        return ""
    return f"<ul class=\"headline\">{''.join(f'<li>{esc(h)}</li>' for h in lines)}</ul>"


def glossary_html() -> str:
    """The glossary section, from :data:`simulator.outputs.catalogue.GLOSSARY` (in the current language)."""
    items = "".join(f"<dt>{esc(t)}</dt><dd>{esc(d)}</dd>" for t, d in glossary())
    return f'<section><h2>{esc(tr("Glossary"))}</h2><dl class="glossary">{items}</dl></section>'


def command_html(cmd: str, note: str) -> str:
    """The "How to reproduce" section: a note and the command."""
    return (f"<section><h2>{esc(tr('How to reproduce'))}</h2><p>{esc(tr(note))}</p><pre><code>{esc(cmd)}</code></pre>"
            "</section>")


def page(title: str, body: str, version: str) -> str:
    """The whole HTML document: ``body`` inside the page, with the CSS and a dated footer."""
    now = datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        f"<!DOCTYPE html>\n<html lang=\"{'zh-CN' if language() == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>{body}"
        f"<footer>{esc(tr('Report generated'))} {esc(now)} · bnpl-stress {esc(version)}. {esc(tr('Rebuild it with'))} "
        f"<code>{esc(PROG)} DIR</code>.</footer></main></body></html>\n"
    )
