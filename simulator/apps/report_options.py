"""The options shared by ``bnpl-stress-report`` and ``bnpl-stress-compare``: ``--lang`` and ``--formats``.

Each is one line of the form ``--lang zh`` or ``--lang=zh``; a bad value stops with one line
naming the option, the value and what is allowed (exit status 2).
"""

from __future__ import annotations

from simulator.apps.errors import EXIT_BAD_INPUT, fail
from simulator.config.schemas import CHART_FORMATS, LANGUAGES
from simulator.outputs.lang import FontMissing, require_font

__all__ = ["OPTIONS_HELP", "parse_options"]

OPTIONS_HELP = (f"  --lang {'|'.join(LANGUAGES)}      language of the charts and report.html (default en)\n"
                f"  --formats LIST   chart files besides PNG, comma-separated from {','.join(CHART_FORMATS)} "
                "(default png,svg)")


def parse_options(prog: str, args: list[str]) -> tuple[list[str], str, list[str], dict[str, str]]:
    """Split ``args`` into (positional arguments, language, formats, other ``--key value`` options).

    ``--out`` is returned among the other options; any other ``--option`` is an error.
    """
    pos: list[str] = []
    lang, formats, other = "en", ["png", "svg"], {}
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--"):
            key, eq, value = a.partition("=")
            if not eq:
                if i + 1 >= len(args):
                    fail(prog, f"{key}: needs a value; allowed: {key} VALUE", EXIT_BAD_INPUT)
                value, i = args[i + 1], i + 1
            if key == "--lang":
                if value not in LANGUAGES:
                    fail(prog, f"--lang={value!r}: allowed: one of {', '.join(LANGUAGES)}", EXIT_BAD_INPUT)
                lang = value
            elif key == "--formats":
                formats = ["png", *(f for f in value.split(",") if f and f != "png")]
                bad = [f for f in formats if f not in CHART_FORMATS]
                if bad:
                    fail(prog, f"--formats={value!r}: allowed: comma-separated from {', '.join(CHART_FORMATS)}",
                         EXIT_BAD_INPUT)
            elif key == "--out":
                other["out"] = value
            else:
                fail(prog, f"{key}: unknown option; allowed: --lang, --formats, --out", EXIT_BAD_INPUT)
        else:
            pos.append(a)
        i += 1
    try:
        require_font(lang)
    except FontMissing as exc:
        fail(prog, str(exc), EXIT_BAD_INPUT)
    return pos, lang, formats, other
