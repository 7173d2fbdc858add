"""``gtvision-lpr``: read plates in images, videos and streams; evaluate; benchmark; add models.

A file that cannot be read is reported on stderr and the run carries on with the next one; the
exit status is 1 if any input failed, 2 for a usage or model error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import get_args

import cv2
import numpy as np

from gtvision.inference.backends import CudaConfig, OpenVinoConfig
from gtvision.inference.backends.base import BackendError
from gtvision.inference.backends.openvino import Precision
from gtvision.inference.evaluation import evaluate, load_image
from gtvision.inference.models import (
    ModelError,
    add_model,
    default_models_dir,
    list_models,
    resolve_recognizer,
)
from gtvision.inference.reader import Frame, FrameReads, PlateReader
from gtvision.redaction import redacted

VIDEO_SUFFIXES = {".mp4", ".mkv", ".avi", ".mov", ".ts", ".webm"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gtvision-lpr", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def reader_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--backend", choices=["openvino", "cuda"], default="openvino")
        sub.add_argument(
            "--device", default=None, help="OpenVINO device (CPU, GPU, AUTO) or CUDA id"
        )
        sub.add_argument(
            "--model", default=None, help="recogniser name in --models, or an .onnx path"
        )
        sub.add_argument("--models", type=Path, default=None, help="models directory")
        sub.add_argument("--region", action="append", default=None, help="plate formats (br, ar…)")
        sub.add_argument("--threads", type=int, default=0, help="CPU threads (0 = all)")
        sub.add_argument(
            "--precision", choices=get_args(Precision), default=None,
            help="OpenVINO: int8 runs the INT8 detector (2.6x as fast; same bits on AVX2, AVX-512)",
        )  # fmt: skip

    read = commands.add_parser("read", help="read plates in images, a video or an RTSP URL")
    reader_options(read)
    read.add_argument("inputs", nargs="+", help="image files, a video file or rtsp:// URL")
    read.add_argument("--annotate", type=Path, help="write annotated images/frames to this folder")
    read.add_argument("--every", type=int, default=1, help="video: read one frame in N")
    read.add_argument("--max-frames", type=int, default=0, help="video: stop after N frames")
    read.add_argument("--json", action="store_true", help="one JSON object per line")

    ev = commands.add_parser("eval", help="accuracy and latency over an openalpr-layout folder")
    reader_options(ev)
    ev.add_argument("folder", type=Path)
    ev.add_argument("--json", action="store_true")

    bench = commands.add_parser("bench", help="throughput by batch size and thread count")
    reader_options(bench)
    bench.add_argument("--image", type=Path, help="a frame to read (default: a synthetic scene)")
    bench.add_argument("--batches", default="1,4,8", help="frames per call")
    bench.add_argument("--thread-counts", default="1,2", help="CPU thread counts to try")
    bench.add_argument("--seconds", type=float, default=3.0)

    models = commands.add_parser("models", help="the user's recognisers")
    msub = models.add_subparsers(dest="action", required=True)
    add = msub.add_parser("add", help="check and copy a fast-plate-ocr ONNX recogniser")
    add.add_argument("file", type=Path)
    add.add_argument("--config", type=Path, help="its plate config YAML (default: beside it)")
    add.add_argument("--models", type=Path, default=None)
    ls = msub.add_parser("list", help="list recognisers in the models directory")
    ls.add_argument("--models", type=Path, default=None)
    return parser


def _backend(args: argparse.Namespace, threads: int | None = None) -> OpenVinoConfig | CudaConfig:
    if args.backend == "cuda":
        if args.precision is not None:
            raise BackendError("--precision is an OpenVINO setting; the cuda backend runs f32")
        return CudaConfig(device_id=int(args.device or 0))
    return OpenVinoConfig(
        device=args.device or "CPU",
        threads=threads if threads is not None else args.threads,
        precision=args.precision,
    )


def _reader(args: argparse.Namespace, threads: int | None = None) -> PlateReader:
    models_dir = args.models or default_models_dir()
    return PlateReader(
        _backend(args, threads),
        recognizer=resolve_recognizer(args.model, models_dir),
        regions=args.region or ["br"],
    )


def _frames(source: str, every: int, max_frames: int) -> Iterator[tuple[str, Frame]]:
    capture = cv2.VideoCapture(source)
    if not capture.isOpened():
        raise OSError(f"cannot open {redacted(source)}")
    index = read = 0
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            if index % every == 0:
                yield f"{redacted(source)}#{index}", frame
                read += 1
                if max_frames and read >= max_frames:
                    return
            index += 1
    finally:
        capture.release()


def _print_reads(name: str, result: FrameReads, as_json: bool) -> None:
    if as_json:
        print(json.dumps({
            "source": name,
            "reads": [{"text": r.text, "confidence": round(r.confidence, 4),
                       "char_confidences": [round(c, 4) for c in r.char_confidences],
                       "format": r.format, "box": [round(v, 1) for v in r.box],
                       "polygon": [[round(x, 1), round(y, 1)] for x, y in r.polygon],
                       "detection_score": round(r.detection_score, 4)} for r in result.reads],
            "timings_ms": {k: round(v, 2) for k, v in result.timings_ms.items()},
        }))  # fmt: skip
        return
    texts = ", ".join(f"{r.text} ({r.confidence:.2f}, {r.format})" for r in result.reads)
    print(f"{name}: {texts or 'no plate'}  [{result.timings_ms['total']:.1f} ms]")


def _annotate(folder: Path, name: str, frame: Frame, result: FrameReads) -> None:
    out = frame.copy()
    for r in result.reads:
        pts = np.array(r.polygon, np.int32)
        cv2.polylines(out, [pts], True, (0, 200, 0), 2)
        cv2.putText(out, r.text, (int(r.box[0]), max(12, int(r.box[1]) - 6)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 200, 0), 2)  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(name).name)
    cv2.imwrite(str(folder / f"{safe}.jpg"), out)


def _cmd_read(args: argparse.Namespace) -> int:
    if args.every < 1 or args.max_frames < 0:
        print("gtvision-lpr: --every must be >= 1 and --max-frames >= 0", file=sys.stderr)
        return 2
    reader = _reader(args)
    failed = 0
    for source in args.inputs:
        is_stream = "://" in source or Path(source).suffix.lower() in VIDEO_SUFFIXES
        try:
            if is_stream:
                frames: Iterator[tuple[str, Frame]] = _frames(source, args.every, args.max_frames)
            else:
                frame = load_image(source)
                if frame is None:
                    raise OSError(f"{source}: not a readable image (missing, empty or corrupt)")
                frames = iter([(source, frame)])
            for name, frame in frames:
                result = reader.read(frame)
                _print_reads(name, result, args.json)
                if args.annotate:
                    _annotate(args.annotate, name, frame, result)
        except OSError as exc:
            print(f"gtvision-lpr: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def _cmd_eval(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        print(f"gtvision-lpr: {args.folder}: not a folder", file=sys.stderr)
        return 2
    reader = _reader(args)
    result = evaluate(reader, args.folder)
    summary = result.summary(args.backend, reader.device, reader.recognizer_model.name)
    summary["detector"] = reader.detector_path.name
    for error in result.errors:
        print(f"gtvision-lpr: {error}", file=sys.stderr)
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            if key != "errors":
                print(f"{key:22} {value}")
        for truth, got in result.misses:
            print(f"  miss {truth} -> {got or '(nothing)'}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from gtvision.inference.synth.demo import demo_scene

    frame = load_image(args.image) if args.image else demo_scene()
    if frame is None:
        print(f"gtvision-lpr: {args.image}: not a readable image", file=sys.stderr)
        return 2
    for n, threads in enumerate(int(t) for t in args.thread_counts.split(",")):
        reader = _reader(args, threads)
        if n == 0:
            print(f"frame {frame.shape[1]}x{frame.shape[0]}, "
                  f"detector {reader.detector_path.name} on {reader.device}")  # fmt: skip
        for batch in (int(b) for b in args.batches.split(",")):
            frames = [frame] * batch
            reader.read_batch(frames)  # warm up
            calls, started, lat = 0, time.perf_counter(), []
            while time.perf_counter() - started < args.seconds:
                t0 = time.perf_counter()
                reader.read_batch(frames)
                lat.append((time.perf_counter() - t0) * 1e3)
                calls += 1
            elapsed = time.perf_counter() - started
            print(f"threads {threads} batch {batch}: {calls * batch / elapsed:7.1f} frames/s  "
                  f"p50 {np.percentile(lat, 50):6.1f} ms/call  "
                  f"p95 {np.percentile(lat, 95):6.1f}")  # fmt: skip
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    models_dir = args.models or default_models_dir()
    if args.action == "add":
        model = add_model(args.file, models_dir, args.config)
        cfg = model.config
        print(f"added {model.name} to {models_dir}: {cfg.max_plate_slots} slots, "
              f"{cfg.img_width}x{cfg.img_height} {cfg.image_color_mode}")  # fmt: skip
        return 0
    for model in list_models(models_dir):
        print(f"{model.name}\t{model.config.max_plate_slots} slots\t{model.path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"read": _cmd_read, "eval": _cmd_eval, "bench": _cmd_bench, "models": _cmd_models}
    try:
        return handlers[args.command](args)
    except (ModelError, BackendError) as exc:
        print(f"gtvision-lpr: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
