"""How the synthetic grey plates are laid out against real ones: glyph height and proportions.

The recogniser learns glyph shapes from `gtvision.inference.synth`; a layout no real plate has
(glyphs too tall for their width) teaches shapes no camera sees. For each plate, the glyphs
inside its box (Otsu-thresholded, components 0.3-0.85 of the plate's height and 6-20 % of its
width: the 1s and the separator left out) give: glyph height / plate height, height / width,
the glyph row's top and bottom (fractions of the plate's height) and its left and right ends
(of its width). Real: br-dev's grey car plates (LLLNNNN) in their labelled boxes; synthetic:
`render_plate` front-on, the plate's own outline as the box. Medians, with the 5-95 % spread of
the per-plate height.

    .venv/bin/python bench/lpr_geometry.py [--shared ../shared] [--plates 200]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.inference.evaluation import LabelledImage, labelled_images
from gtvision.inference.synth.plates import PlateSpec, random_text, render_plate

Glyph = tuple[int, int, int, int]  # x, y, w, h in the plate's pixels


def glyphs(plate: npt.NDArray[np.uint8]) -> list[Glyph]:
    """The plate's character glyphs, left to right."""
    grey = cv2.cvtColor(plate, cv2.COLOR_BGR2GRAY)
    height, width = grey.shape
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if float(ink.mean()) > 127:  # light characters on a dark plate
        ink = 255 - ink
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    return sorted(
        (x, y, w, h)
        for x, y, w, h, _ in stats[1:].tolist()
        if 0.3 * height < h < 0.85 * height and 0.06 * width < w < 0.2 * width
    )


def layout(plate: npt.NDArray[np.uint8]) -> tuple[float, ...] | None:
    """Height share, height / width, row top, row bottom, row left, row right; None if fewer than
    four glyphs were found."""
    found = glyphs(plate)
    if len(found) < 4:
        return None
    height, width = plate.shape[:2]
    hs = np.array([g[3] for g in found], np.float64)
    ws = np.array([g[2] for g in found], np.float64)
    return (
        float(np.median(hs)) / height,
        float(np.median(hs / ws)),
        float(np.median([g[1] for g in found])) / height,
        float(np.median([g[1] + g[3] for g in found])) / height,
        found[0][0] / width,
        (found[-1][0] + found[-1][2]) / width,
    )


def real_layouts(folder: Path) -> list[tuple[float, ...]]:
    out = []
    for item in labelled_images(folder):
        if not isinstance(item, LabelledImage) or not item.plate[3:].isdigit():
            continue  # a bad label, or a Mercosur plate
        frame = cv2.imread(str(item.image))
        if frame is None:
            continue
        x, y, w, h = (round(v) for v in item.box)
        measured = layout(np.ascontiguousarray(frame[max(0, y) : y + h, max(0, x) : x + w]))
        if measured is not None:
            out.append(measured)
    return out


def synthetic_layouts(plates: int, seed: int) -> list[tuple[float, ...]]:
    rng = random.Random(seed)
    out = []
    for _ in range(plates):
        spec = PlateSpec(random_text("antigo", rng), "antigo", "car")
        measured = layout(render_plate(spec, rng, px_per_mm=1.0).image)
        if measured is not None:
            out.append(measured)
    return out


def report(name: str, rows: list[tuple[float, ...]]) -> None:
    if not rows:
        print(f"| {name:<10} | no plates measured |")
        return
    a = np.array(rows)
    med = np.median(a, axis=0)
    lo, hi = np.percentile(a[:, 0], [5, 95])
    print(f"| {name:<10} | {len(rows):>6} | {med[0]:.3f} ({lo:.2f}-{hi:.2f}) | {med[1]:6.2f} "
          f"| {med[2]:.2f}-{med[3]:.2f} | {med[4]:.3f}-{med[5]:.3f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_shared = Path(os.environ.get("GTV_SHARED", Path(__file__).parents[2] / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--plates", type=int, default=200, help="synthetic plates to draw")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    folder = args.shared / "datasets" / "openalpr" / "br-dev"
    if not folder.is_dir():
        raise SystemExit(f"no br-dev at {folder}: set --shared or GTV_SHARED")
    print("grey car plates: glyph height / plate height (5-95 %), height / width, row top-bottom,")
    print("row left-right (fractions of the plate)")
    print("| plates     |  count | glyph height       |  h / w | rows      | columns     |")
    print("|---|---|---|---|---|---|")
    report("br-dev", real_layouts(folder))
    report("synthetic", synthetic_layouts(args.plates, args.seed))


if __name__ == "__main__":
    main()
