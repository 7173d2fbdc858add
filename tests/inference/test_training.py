"""The training commands run end to end (a few steps) and export models the reader loads."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from gtvision.inference.backends import OpenVinoConfig
from gtvision.inference.models import builtin_dir, recognizer_from
from gtvision.inference.reader import PlateReader
from gtvision.inference.synth.demo import demo_boxes, demo_scene
from gtvision.inference.training.detector import DetectorTraining, targets
from gtvision.inference.training.detector import train as train_detector
from gtvision.inference.training.recognizer import (
    RecognizerNet,
    RecognizerTraining,
    synthesize,
    train,
    unfold_onnx,
)


def _scenes(folder: Path) -> Path:
    """Two labelled scenes in the openalpr layout, made from the synthetic demo frame."""
    folder.mkdir()
    for i, text in enumerate(("BRA2E19", "OKL0817")):
        cv2.imwrite(str(folder / f"s{i}.jpg"), demo_scene((text,), seed=i))
        x, y, w, h = demo_boxes((text,))[0]
        (folder / f"s{i}.txt").write_text(f"s{i}.jpg\t{x}\t{y}\t{w}\t{h}\t{text}\n")
    return folder


def test_recogniser_training_exports_a_model_the_reader_can_use(tmp_path: Path) -> None:
    scenes = _scenes(tmp_path / "scenes")
    out = tmp_path / "out"
    out.mkdir()
    metrics = train(RecognizerTraining(samples=256, epochs=1, batch=64),
                    [str(p) for p in scenes.glob("*.jpg")], out, val_samples=64)  # fmt: skip
    assert metrics["steps"] == 4
    model = recognizer_from(out / "br_recognizer.onnx")
    assert (model.config.max_plate_slots, model.config.img_height) == (7, 64)
    reader = PlateReader(OpenVinoConfig(), recognizer=model)
    assert reader.recognize([np.zeros((64, 160, 1), np.uint8)])[0].shape == (7, 37)


def test_the_shipped_recogniser_is_unfolded_for_fine_tuning_and_computes_the_same(
    tmp_path: Path,
) -> None:
    """Its PyTorch weights were not kept: the ONNX graph (batch norms folded away) becomes a
    trainable net again that gives the shipped model's answers."""
    import torch

    scenes = _scenes(tmp_path / "scenes")
    images, _ = synthesize(256, 5, [str(p) for p in scenes.glob("*.jpg")], workers=1)
    shipped = recognizer_from(builtin_dir() / "br_recognizer.onnx")
    net = RecognizerNet()
    unfold_onnx(net, shipped.path, images[:192])
    net.eval()
    with torch.no_grad():
        ours = torch.softmax(net(torch.from_numpy(images[192:]).float().unsqueeze(1) / 255), -1)
    reader = PlateReader(OpenVinoConfig(), recognizer=shipped)
    theirs = np.concatenate(reader.recognize(list(images[192:, :, :, None])))
    assert ours.shape == (64, 7, 37)
    assert np.abs(ours.numpy() - theirs.reshape(64, 7, 37)).max() < 1e-3
    assert (ours.numpy().argmax(-1) == theirs.reshape(64, 7, 37).argmax(-1)).all()


def test_detector_training_exports_a_model_with_the_documented_heads(tmp_path: Path) -> None:
    scenes = _scenes(tmp_path / "scenes")
    out = tmp_path / "out"
    out.mkdir()
    train_detector(DetectorTraining(steps=2, batch=2), [scenes], out)
    reader = PlateReader(OpenVinoConfig(), detector=out / "plate_detector.onnx")
    heads = reader._detector.run(np.zeros((1, 288, 512, 3), np.uint8))
    assert heads.shape == (1, 5, 36, 64)
    assert ((heads[:, 0] >= 0) & (heads[:, 0] <= 1)).all()  # a probability


def test_detector_targets_put_a_peak_at_each_plate_centre() -> None:
    t = targets([(80.0, 160.0, 96.0, 32.0)], 384)
    iy, ix = np.unravel_index(t[0].argmax(), t[0].shape)
    assert (ix, iy) == (16, 22)  # centre (128, 176) / stride 8
    assert t[5].sum() == 1.0
    assert np.isclose(np.exp(t[3, iy, ix]) * 8, 96.0)
