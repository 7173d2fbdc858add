"""Recogniser accuracy on SYNTHETIC held-out crops, by plate kind and layout.

Synthetic, not real: crops made by ``gtvision.inference.synth`` with a seed no training run
uses, framed as the reader frames a detection, read by the shipped recogniser (or ``--model``)
and decoded with the Brazilian formats. Real accuracy is ``gtvision-lpr eval`` on a labelled
folder; this one reports what no real set here has (Mercosur plates, motorcycles).

``--families`` says how often the plate's colours judge its layout right or wrong (the
reader's prior; a wrong one can turn a Mercosur letter into a digit).

``--tilts 0,5,10,14`` also reads synthetic plates turned by those angles in real scene patches,
from their axis-aligned box, through the reader's own framing (``PlateReader.read_boxes``):
how the reader copes with a tilted plate, judged before any real image. With ``--end-to-end``
the whole patch goes through the detector too (``PlateReader.read``): what a tilted plate loses
to the detector's axis-aligned box, still on synthetic data.

    .venv/bin/python bench/lpr_synthetic.py [--samples 3000] [--model FILE.onnx] [--tilts ...]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.inference.evaluation import iou
from gtvision.inference.formats import decode
from gtvision.inference.models import recognizer_from
from gtvision.inference.reader import Detection, PlateReader, plate_family
from gtvision.inference.synth.degrade import Backgrounds, recognizer_sample, tilted_scene

SCENES = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "openalpr"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=990_001)
    parser.add_argument("--model", type=Path, help="a recogniser .onnx (default: the shipped one)")
    parser.add_argument("--scenes", type=Path, default=SCENES / "eu", help="backgrounds")
    parser.add_argument("--tilts", default="", help="degrees, comma-separated (e.g. 0,5,10,14)")
    parser.add_argument("--tilt-samples", type=int, default=400)
    parser.add_argument("--end-to-end", action="store_true", help="tilts read by detector too")
    parser.add_argument("--detector", type=Path, default=None, help="a detector .onnx to judge")
    parser.add_argument(
        "--frame",
        default="640x360",
        help="tilted scenes' size: 1920x1080 puts plates far (21-59 px at 512)",
    )
    parser.add_argument(
        "--first-look-only",
        action="store_true",
        help="no second look at small plates (to measure what it gives)",
    )
    parser.add_argument(
        "--families",
        action="store_true",
        help="also how the plate's colours judge its layout (reader.plate_family), per kind",
    )
    args = parser.parse_args()
    width, height = (int(v) for v in args.frame.split("x"))
    reader = PlateReader(
        recognizer=recognizer_from(args.model) if args.model else None,
        detector=args.detector,
        second_look=not args.first_look_only,
    )
    cfg = reader.recognizer_model.config
    scenes = [
        im for p in sorted(args.scenes.glob("*.jpg")) if (im := cv2.imread(str(p))) is not None
    ]
    backgrounds = Backgrounds(scenes)
    rng = random.Random(args.seed)
    size = (cfg.img_width, cfg.img_height)
    samples = [recognizer_sample(rng, backgrounds, size) for _ in range(args.samples)]
    probs = reader.recognize([s.image[..., None] for s in samples])
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for sample, p in zip(samples, probs, strict=True):
        group = f"{sample.spec.kind} {sample.spec.layout}"
        text = decode(p, cfg.alphabet, cfg.pad_char, reader.formats,
                      two_row=sample.spec.layout == "moto").text  # fmt: skip
        total[group] += 1
        right[group] += text == sample.spec.text
    if samples:  # --samples 0: only the tilted scenes
        print(f"SYNTHETIC held-out crops ({args.samples}, seed {args.seed}), exact match:")
        for group in sorted(total):
            print(f"  {group:<16} {right[group] / total[group]:6.1%}  ({total[group]} crops)")
        print(f"  {'all':<16} {sum(right.values()) / sum(total.values()):6.1%}")
    how = "end to end" if args.end_to_end else "from their box"
    if args.tilts:
        print(f"SYNTHETIC plates tilted in {args.frame} scene patches ({args.tilt_samples} per "
              f"angle, seed {args.seed + 1}), read {how}, exact match:")  # fmt: skip
    for tilt in [float(t) for t in args.tilts.split(",") if t]:
        rng = random.Random(args.seed + 1)
        exact = 0
        for k in range(args.tilt_samples):
            frame, box, spec = tilted_scene(
                rng, backgrounds, tilt if k % 2 else -tilt, (width, height)
            )
            if args.end_to_end:
                exact += any(r.text == spec.text for r in reader.read(frame).reads)
            else:
                exact += reader.read_boxes(frame, [Detection(box, 1.0)])[0].text == spec.text
        print(f"  {tilt:4.0f} deg  {exact / args.tilt_samples:6.1%}")
    if args.families:
        families(reader, backgrounds, random.Random(args.seed + 2), args.tilt_samples)


def families(reader: PlateReader, backgrounds: Backgrounds, rng: random.Random, n: int) -> None:
    """What the plate's colours say of its layout, on plates the detector found (its box)."""
    judged: Counter[tuple[str, str | None]] = Counter()
    for k in range(n):
        frame, box, spec = tilted_scene(rng, backgrounds, (k % 3 - 1) * 10.0)
        found = [d for d in reader.detect(frame) if iou(d.box, box) > 0.3]
        if found:
            judged[spec.kind, plate_family(frame, found[0].box)] += 1
    print(f"SYNTHETIC layout judged by colour ({n} scenes, tilts 0/+-10, detector's box):")
    for kind in ("mercosul", "antigo"):
        row = {str(said): judged[kind, said] for said in ("mercosul", "antigo", None)}
        print(f"  {kind:<9} said mercosul {row['mercosul']:4}  antigo {row['antigo']:4}  "
              f"no hint {row['None']:4}")  # fmt: skip


if __name__ == "__main__":
    main()
