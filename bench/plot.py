"""Draw the scaling plot as a plain SVG (no plotting library to install): build time against pages, log-log."""

from __future__ import annotations

import math
from html import escape

COLOURS = {"wmpsite": "#0b2f5b", "hugo": "#c0392b", "pelican": "#2e8540"}
LABELS = {"wmpsite": "wmpsite", "hugo": "Hugo", "pelican": "Pelican"}
W, H = 720, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 150, 30, 60


def _ticks(low: float, high: float) -> list[float]:
    """1, 2, 5 × powers of ten covering [low, high]."""
    out = []
    for exp in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for m in (1, 2, 5):
            v = m * 10 ** exp
            if low <= v <= high:
                out.append(v)
    return out


def _label(v: float) -> str:
    return f"{v:,.0f}" if v >= 1 else f"{v:g}"


def scaling_svg(scaling: list[dict]) -> str:
    """`scaling`: rows of {'scale', 'results': {generator: {'pages', 'wall'}}}, smallest first."""
    series: dict[str, list[tuple[float, float]]] = {}
    for row in scaling:
        for name, r in row["results"].items():
            series.setdefault(name, []).append((r["pages"], r["wall"]))
    xs = [p for pts in series.values() for p, _ in pts]
    ys = [t for pts in series.values() for _, t in pts]
    x0, x1 = min(xs) / 1.5, max(xs) * 1.5
    y0, y1 = min(ys) / 1.5, max(ys) * 1.5

    def px(x: float) -> float:
        return LEFT + (math.log(x) - math.log(x0)) / (math.log(x1) - math.log(x0)) * (W - LEFT - RIGHT)

    def py(y: float) -> float:
        return H - BOTTOM - (math.log(y) - math.log(y0)) / (math.log(y1) - math.log(y0)) * (H - TOP - BOTTOM)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="12" role="img" aria-labelledby="t">',
           '<title id="t">Cold build time against HTML pages built, log-log, for wmpsite, Hugo and Pelican</title>',
           f'<rect width="{W}" height="{H}" fill="#fff"/>']
    for x in _ticks(x0, x1):
        out.append(f'<line x1="{px(x):.1f}" y1="{TOP}" x2="{px(x):.1f}" y2="{H - BOTTOM}" stroke="#ddd"/>'
                   f'<text x="{px(x):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{_label(x)}</text>')
    for y in _ticks(y0, y1):
        out.append(f'<line x1="{LEFT}" y1="{py(y):.1f}" x2="{W - RIGHT}" y2="{py(y):.1f}" stroke="#ddd"/>'
                   f'<text x="{LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{_label(y)}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" height="{H - TOP - BOTTOM}" '
               f'fill="none" stroke="#333"/>')
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 18}" text-anchor="middle">HTML pages built (log)</text>')
    out.append(f'<text x="16" y="{(TOP + H - BOTTOM) / 2}" text-anchor="middle" '
               f'transform="rotate(-90 16 {(TOP + H - BOTTOM) / 2})">cold build, seconds (log)</text>')
    for i, (name, pts) in enumerate(series.items()):
        colour = COLOURS.get(name, "#555")
        path = " ".join(f"{'M' if k == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for k, (x, y) in enumerate(pts))
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}">'
                       f'<title>{escape(LABELS.get(name, name))}: {x:,} pages in {y:.2f} s</title></circle>')
        ly = TOP + 20 + 22 * i
        out.append(f'<line x1="{W - RIGHT + 14}" y1="{ly}" x2="{W - RIGHT + 40}" y2="{ly}" stroke="{colour}" '
                   f'stroke-width="2"/><text x="{W - RIGHT + 46}" y="{ly + 4}">{escape(LABELS.get(name, name))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
