"""`gtvision-lpr` as an operator runs it: bad files reported and skipped, models added and used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from gtvision.inference.synth.demo import demo_scene


def lpr(*args: str, models: Path | None = None) -> subprocess.CompletedProcess[str]:
    extra = ["--models", str(models)] if models else []
    argv = [sys.executable, "-m", "gtvision.inference.cli", *args[:1], *args[1:], *extra]
    return subprocess.run(argv, capture_output=True, text=True, timeout=240, check=False)


def test_read_reports_a_corrupt_file_and_carries_on(tmp_path: Path) -> None:
    good = tmp_path / "scene.jpg"
    cv2.imwrite(str(good), demo_scene(("BRA2E19",)))
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff not really a jpeg")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.jpg"
    out = lpr("read", str(corrupt), str(good), str(empty), str(missing), "--json",
              "--annotate", str(tmp_path / "annotated"))  # fmt: skip
    assert out.returncode == 1, out.stderr
    assert "corrupt.jpg: not a readable image" in out.stderr
    assert "empty.png: not a readable image" in out.stderr
    assert "missing.jpg: not a readable image" in out.stderr
    # One line per bad file, ours: none of OpenCV's own warnings before it.
    assert len(out.stderr.strip().splitlines()) == 3, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["text"] for r in lines[0]["reads"]] == ["BRA2E19"]
    assert (tmp_path / "annotated" / "scene.jpg.jpg").is_file()


def test_read_takes_a_video_file(tmp_path: Path) -> None:
    video = tmp_path / "street.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 5, (1280, 720))
    for _ in range(3):
        writer.write(demo_scene(("OKL0817",)))
    writer.release()
    out = lpr("read", str(video), "--json")
    assert out.returncode == 0, out.stderr
    frames = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(frames) == 3
    assert all([r["text"] for r in f["reads"]] == ["OKL0817"] for f in frames)


def test_eval_over_a_folder_prints_the_documented_summary(tmp_path: Path) -> None:
    from gtvision.inference.synth.demo import demo_boxes

    for text in ("BRA2E19", "PJD2685"):
        cv2.imwrite(str(tmp_path / f"{text}.jpg"), demo_scene((text,)))
        x, y, w, h = demo_boxes((text,))[0]
        (tmp_path / f"{text}.txt").write_text(
            f"{text}.jpg\t{x:.0f}\t{y:.0f}\t{w:.0f}\t{h:.0f}\t{text}\n"
        )
    (tmp_path / "broken.txt").write_text("nothing useful")
    (tmp_path / "ABC1234.txt").write_text("ABC1234.jpg\t1\t1\t40\t13\tABC1234\n")  # no image
    out = lpr("eval", str(tmp_path), "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert {"images", "exact_match", "char_accuracy", "detection_recall", "latency_ms", "backend",
            "device", "model"} <= set(summary)  # fmt: skip
    assert summary["images"] == 2
    assert summary["exact_match"] == 1.0
    assert summary["detection_recall"] == 1.0
    assert set(summary["latency_ms"]) == {"p50", "p95"}
    assert "broken.txt" in out.stderr
    # Each bad file gets one line, ours (OpenCV's own warnings kept out).
    assert "ABC1234.jpg: not a readable image" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 2, out.stderr


def test_eval_with_the_cuda_backend_fails_clearly_without_cuda(tmp_path: Path) -> None:
    import onnxruntime

    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        pytest.skip("this machine has CUDA")
    out = lpr("eval", str(tmp_path), "--backend", "cuda")
    assert out.returncode == 2
    assert "CUDA is not available" in out.stderr


def test_models_add_refuses_a_model_of_the_wrong_shape(tmp_path: Path) -> None:
    from gtvision.inference.models import BUILTIN_DETECTOR, builtin_dir

    out = lpr("models", "add", str(builtin_dir() / BUILTIN_DETECTOR), models=tmp_path / "m")
    assert out.returncode == 2
    assert "expected a plate recogniser" in out.stderr


def test_a_third_party_fast_plate_ocr_model_is_added_and_reads_real_brazilian_plates(
    shared_dir: Path, tmp_path: Path
) -> None:
    source = shared_dir / "models" / "fast-plate-ocr" / "cct_xs_v1_global.onnx"
    models = tmp_path / "models"
    added = lpr("models", "add", str(source), models=models)
    assert added.returncode == 0, added.stderr
    assert "9 slots, 128x64 rgb" in added.stdout
    listed = lpr("models", "list", models=models)
    assert "cct_xs_v1_global" in listed.stdout
    out = lpr("eval", str(shared_dir / "datasets" / "openalpr" / "br-dev"), "--json",
              "--model", "cct_xs_v1_global", models=models)  # fmt: skip
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["model"] == "cct_xs_v1_global"
    assert summary["images"] == 64
    # Read from the labelled box this model is published at ~89-97 %; our decoder must keep it.
    assert summary["exact_match_from_box"] >= 0.9


def test_bench_and_eval_name_the_detector_that_int8_picks(tmp_path: Path) -> None:
    out = lpr("bench", "--precision", "int8", "--seconds", "0.2", "--batches", "1",
              "--thread-counts", "1")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "detector plate_detector.int8.onnx on CPU" in out.stdout
    assert "threads 1 batch 1:" in out.stdout
    out = lpr("eval", str(tmp_path), "--json")
    assert json.loads(out.stdout)["detector"] == "plate_detector.onnx"
    out = lpr("eval", str(tmp_path), "--backend", "cuda", "--precision", "int8")
    assert out.returncode == 2
    assert "--precision is an OpenVINO setting" in out.stderr
