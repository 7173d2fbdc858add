"""Command line for training; see the package docstring."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch


def _size(parser: argparse.ArgumentParser, text: str) -> tuple[int, int]:
    height, _, width = text.partition("x")
    if not (height.isdigit() and width.isdigit()):
        parser.error(f"--size {text}: expected HEIGHTxWIDTH, e.g. 64x160")
    if int(height) % 16 or int(width) % 16:
        parser.error(f"--size {text}: height and width must be multiples of 16 (e.g. 80x192)")
    return int(height), int(width)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m gtvision.inference.training")
    parser.add_argument("model", choices=["recognizer", "detector", "detector-int8"],
                        help="detector-int8: quantise the detector --init (default the shipped "
                        "one), calibrated on --scenes")  # fmt: skip
    parser.add_argument("--scenes", type=Path, nargs="+", required=True,
                        help="openalpr-layout scene folders (eu/ us/; never br-dev/)")  # fmt: skip
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--samples", type=int, default=130_000, help="recogniser: synthetic crops")
    parser.add_argument("--epochs", type=int, default=2, help="recogniser: passes over them")
    parser.add_argument(
        "--init", type=Path, help="fine-tune from a .pt state dict or an exported .onnx"
    )
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--size", default="64x160",
                        help="recogniser: input height x width (multiples of 16)")  # fmt: skip
    parser.add_argument("--steps", type=int, default=1800, help="detector: optimiser steps")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    size = _size(parser, args.size)
    if any(folder.name == "br-dev" for folder in args.scenes):
        parser.error("br-dev is the evaluation set: never train on it")
    if args.model == "recognizer" and args.init is not None and args.init.suffix == ".onnx":
        import onnx

        from gtvision.inference.training.ensemble import is_averaged

        if is_averaged(onnx.load(str(args.init), load_external_data=False)):
            parser.error(f"--init {args.init} averages recognisers: fine-tune one of its members "
                         "(python -m gtvision.inference.training.ensemble --split)")  # fmt: skip
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.model == "detector-int8":
        from gtvision.inference.models import BUILTIN_DETECTOR, BUILTIN_DETECTOR_INT8, builtin_dir
        from gtvision.inference.training.quantise import CALIBRATION_FRAMES, quantise_detector

        source = args.init or builtin_dir() / BUILTIN_DETECTOR
        if source.suffix != ".onnx":
            parser.error("detector-int8: --init must be an exported detector (.onnx)")
        frames = sorted(p for folder in args.scenes for p in folder.glob("*.jpg"))
        if not frames:
            parser.error("detector-int8: no .jpg scenes under --scenes to calibrate on")
        out = args.out / BUILTIN_DETECTOR_INT8
        quantise_detector(source, out, frames)
        metrics: dict[str, object] = {
            "source": str(source),
            "out": str(out),
            "calibration_frames": min(len(frames), CALIBRATION_FRAMES),
        }
    elif args.model == "recognizer":
        from gtvision.inference.training.recognizer import RecognizerTraining, train

        scenes = sorted(str(p) for folder in args.scenes for p in folder.glob("*.jpg"))
        rec = RecognizerTraining(samples=args.samples, epochs=args.epochs, init=args.init,
                                 lr=args.lr or (1e-3 if args.init else 2e-3),
                                 seed=args.seed if args.seed is not None else 7,
                                 size=size)  # fmt: skip
        metrics = train(rec, scenes, args.out)
    else:
        from gtvision.inference.training.detector import DetectorTraining
        from gtvision.inference.training.detector import train as train_detector

        det = DetectorTraining(steps=args.steps, lr=args.lr or (1e-3 if args.init else 3e-3),
                               seed=args.seed if args.seed is not None else 11,
                               init=args.init)  # fmt: skip
        metrics = train_detector(det, list(args.scenes), args.out)
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
