"""Charts for Discord: PNGs drawn with matplotlib's Agg backend, made for Discord's dark theme.

Drawing takes tens of milliseconds of CPU, so callers run :func:`spend_chart` in a thread
(``asyncio.to_thread``). Only matplotlib's object API is used (``Figure`` and its Agg canvas, never
``pyplot``), which keeps no global state and so is safe to use from a worker thread. matplotlib
is imported on first use: the bot starts as fast as before, and only ``/usage`` pays for it.

The chart speaks the member's language where matplotlib has a font for its script: Japanese needs
a CJK font (such as Debian's ``fonts-noto-cjk``); without one its text is drawn in English rather
than as empty boxes (the embed beside it is in Japanese either way).
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from bot.i18n import ENGLISH, Msg, short_date, text
from bot.money import MICROS_PER_USD, format_usd

if TYPE_CHECKING:
    from bot.storage.quotas import SpendReport

BACKGROUND = "#313338"  # Discord's dark theme, message area
PANEL = "#2b2d31"
TEXT = "#dbdee1"
MUTED = "#949ba4"
GRID = "#3f4147"
# Discord's own accents first, then a few more that stay readable on the dark background.
PALETTE = ("#5865f2", "#57f287", "#fee75c", "#eb459e", "#ed4245", "#3ba5ff", "#f0b232", "#b5bac1")
WIDTH_PX, HEIGHT_PX, DPI = 1200, 600, 100
MAX_MODELS = len(PALETTE) - 1  # the rest is shown as "other models"
LEGEND_COLUMNS = 5
#: Languages whose script the default font (DejaVu Sans) lacks, and fonts that have it.
SCRIPT_FONTS = {"ja": ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic")}


def chart_font(lang: str) -> tuple[str, str | None]:
    """The language to draw in and the font family for it (``None``: matplotlib's default)."""
    wanted = SCRIPT_FONTS.get(lang)
    if not wanted:
        return lang, None
    from matplotlib import font_manager  # lazy: heavy, /usage only (in its worker thread)

    installed = {font.name for font in font_manager.fontManager.ttflist}
    family = next((name for name in wanted if name in installed), None)
    return (lang, family) if family else (ENGLISH, None)


def spend_chart(report: SpendReport, *, title: Msg, lang: str = ENGLISH) -> bytes:
    """A PNG of the spend per day, stacked by model, with the period's total in the title."""
    # matplotlib takes ~0.3 s and ~30 MB to import; only /usage needs it, and it runs in a worker
    # thread, so the bot's start and memory stay as they were for everyone else.
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: heavy, /usage only
    from matplotlib.figure import Figure  # lazy: heavy, /usage only
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # lazy: heavy, /usage only

    lang, family = chart_font(lang)
    font = {"fontfamily": family} if family else {}

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    axes.set_facecolor(PANEL)

    days = [date.fromisoformat(d.day) for d in report.days]
    positions = list(range(len(days)))
    models = report.models
    shown, rest = models[:MAX_MODELS], models[MAX_MODELS:]
    series = [(model, [d.by_model.get(model, 0) / MICROS_PER_USD for d in report.days]) for model in shown]
    if rest:
        series.append((text(lang, "chart-other-models", count=len(rest)),
                       [sum(d.by_model.get(m, 0) for m in rest) / MICROS_PER_USD for d in report.days]))
    columns = min(len(series), LEGEND_COLUMNS) or 1
    rows = -(-len(series) // columns)
    figure.subplots_adjust(left=0.08, right=0.97, top=0.78 - 0.045 * max(rows - 1, 0), bottom=0.11)
    bottom = [0.0] * len(days)
    bar_width = 0.72 if len(days) > 1 else 0.4
    for index, (label, values) in enumerate(series):
        axes.bar(positions, values, bottom=bottom, width=bar_width, label=label, color=PALETTE[index],
                 edgecolor=PANEL, linewidth=0.6 if len(days) <= 45 else 0)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]

    peak = max(bottom, default=0.0)
    axes.set_ylim(0, peak * 1.12 if peak > 0 else 1.0)
    digits = 3 if 0 < peak < 0.1 else 2
    axes.yaxis.set_major_locator(MaxNLocator(nbins=6, min_n_ticks=3))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${v:,.{digits}f}"))
    step = max(1, -(-len(days) // 12))
    ticks = positions[::-1][::step][::-1]  # always label today, the rightmost bar
    axes.set_xticks(ticks)
    axes.set_xticklabels([short_date(lang, days[i]) for i in ticks], **font)
    axes.set_xlim(-0.6, len(days) - 0.4)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(colors=MUTED, labelsize=12, length=0, pad=8)
    for side, spine in axes.spines.items():
        spine.set_visible(side == "bottom")
        spine.set_color(GRID)

    figure.text(0.08, 0.935, title.render(lang), color=TEXT, fontsize=20, fontweight="bold", ha="left",
                va="center", **font)
    subtitle = text(lang, "chart-subtitle", total=format_usd(report.total), days=len(days),
                    images=report.images_delivered)
    figure.text(0.08, 0.875, subtitle, color=MUTED, fontsize=13, ha="left", va="center", **font)
    if series:
        # One row of models between the titles and the bars, where it never hides a bar.
        axes.legend(loc="lower left", bbox_to_anchor=(-0.01, 1.01), ncols=columns, frameon=False,
                    fontsize=11.5, handlelength=1.0, handleheight=1.0, labelcolor=TEXT, borderaxespad=0.2,
                    columnspacing=1.4, prop={"family": family} if family else None)
    else:
        axes.text(0.5, 0.5, text(lang, "chart-nothing-spent"), transform=axes.transAxes, ha="center",
                  va="center", color=MUTED, fontsize=16, **font)

    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor=BACKGROUND, dpi=DPI)
    return out.getvalue()
