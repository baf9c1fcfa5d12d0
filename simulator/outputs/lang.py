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

from simulator.outputs.lang_zh import ZH

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
