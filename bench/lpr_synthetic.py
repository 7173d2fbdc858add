"""Recogniser accuracy on SYNTHETIC held-out crops, by plate kind and layout.

Synthetic, not real: crops made by ``gtvision.inference.synth`` with a seed no training run
uses, framed as the reader frames a detection, read by the shipped recogniser (or ``--model``)
and decoded with the Brazilian formats. Real accuracy is ``gtvision-lpr eval`` on a labelled
folder; this one reports what no real set here has (Mercosur plates, motorcycles).

    .venv/bin/python bench/lpr_synthetic.py [--samples 3000] [--model FILE.onnx]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.inference.formats import decode
from gtvision.inference.models import recognizer_from
from gtvision.inference.reader import PlateReader
from gtvision.inference.synth.degrade import Backgrounds, recognizer_sample

SCENES = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "openalpr"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=990_001)
    parser.add_argument("--model", type=Path, help="a recogniser .onnx (default: the shipped one)")
    parser.add_argument("--scenes", type=Path, default=SCENES / "eu", help="backgrounds")
    args = parser.parse_args()
    reader = PlateReader(recognizer=recognizer_from(args.model) if args.model else None)
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
    print(f"SYNTHETIC held-out crops ({args.samples}, seed {args.seed}), exact match:")
    for group in sorted(total):
        print(f"  {group:<16} {right[group] / total[group]:6.1%}  ({total[group]} crops)")
    print(f"  {'all':<16} {sum(right.values()) / sum(total.values()):6.1%}")


if __name__ == "__main__":
    main()
