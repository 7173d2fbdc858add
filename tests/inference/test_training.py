"""The training commands run end to end (a few steps) and export models the reader loads."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import onnx
import onnx.numpy_helper
import pytest
import torch

from gtvision.inference.backends import OpenVinoConfig
from gtvision.inference.models import (
    BUILTIN_DETECTOR_INT8,
    RecognizerModel,
    builtin_dir,
    recognizer_from,
)
from gtvision.inference.reader import PlateReader, Turned
from gtvision.inference.synth.demo import demo_boxes, demo_scene
from gtvision.inference.training.detector import (
    MAX_TILT_DEG,
    DetectorNet,
    DetectorTraining,
    ExportedDetector,
    Scene,
    export,
    load_scenes,
    targets,
    training_sample,
)
from gtvision.inference.training.detector import train as train_detector
from gtvision.inference.training.detector import unfold_onnx as unfold_onnx_detector
from gtvision.inference.training.ensemble import average_recognizers, split_recognizer
from gtvision.inference.training.quantise import head_convolutions, quantise_detector
from gtvision.inference.training.recognizer import (
    RecognizerNet,
    RecognizerTraining,
    encode,
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


@pytest.mark.parametrize("size", [(64, 160), (80, 192)])
def test_recogniser_training_exports_a_model_the_reader_can_use(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    scenes = _scenes(tmp_path / "scenes")
    out = tmp_path / "out"
    out.mkdir()
    metrics = train(RecognizerTraining(samples=256, epochs=1, batch=64, size=size),
                    [str(p) for p in scenes.glob("*.jpg")], out, val_samples=64)  # fmt: skip
    assert metrics["steps"] == 4
    model = recognizer_from(out / "br_recognizer.onnx")
    config = model.config
    assert (config.max_plate_slots, config.img_height, config.img_width) == (7, *size)
    reader = PlateReader(OpenVinoConfig(), recognizer=model)
    assert reader.recognize([np.zeros((*size, 1), np.uint8)])[0].shape == (7, 37)


def test_a_recogniser_input_that_is_not_a_multiple_of_16_is_refused() -> None:
    with pytest.raises(ValueError, match="multiples of 16"):
        RecognizerNet(size=(72, 160))


def test_the_training_command_refuses_a_size_it_cannot_train(tmp_path: Path) -> None:
    """A usage error before any data is generated, not a traceback half an hour in."""
    for size in ("72x160", "80by192"):
        done = subprocess.run(
            [sys.executable, "-m", "gtvision.inference.training", "recognizer",
             "--scenes", str(tmp_path), "--out", str(tmp_path / "out"), "--size", size],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert f"--size {size}" in done.stderr
        assert not (tmp_path / "out").exists()


def test_the_training_command_refuses_to_fine_tune_an_average(tmp_path: Path) -> None:
    """The shipped recogniser averages three: said before any data is generated."""
    done = subprocess.run(
        [sys.executable, "-m", "gtvision.inference.training", "recognizer",
         "--scenes", str(tmp_path), "--out", str(tmp_path / "out"),
         "--init", str(builtin_dir() / "br_recognizer.onnx")],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "averages recognisers" in done.stderr
    assert "--split" in done.stderr
    assert "Traceback" not in done.stderr


def _shipped_recognizer(tmp_path: Path) -> RecognizerModel:
    """The shipped recogniser as fine-tuning starts from it: one member of the average."""
    shipped = builtin_dir() / "br_recognizer.onnx"
    members = split_recognizer(shipped, tmp_path / "members")
    assert len(members) == 3  # the model card's step 27
    return recognizer_from(members[0])


def test_the_shipped_recogniser_is_unfolded_for_fine_tuning_and_computes_the_same(
    tmp_path: Path,
) -> None:
    """Its PyTorch weights were not kept: the ONNX graph of its first member (batch norms
    folded away) becomes a trainable net again that gives that member's answers."""
    scenes = _scenes(tmp_path / "scenes")
    shipped = _shipped_recognizer(tmp_path)
    size = (shipped.config.img_height, shipped.config.img_width)
    images, _ = synthesize(256, 5, [str(p) for p in scenes.glob("*.jpg")], workers=1, size=size)
    net = RecognizerNet(size=size)
    unfold_onnx(net, shipped.path, images[:192])
    net.eval()
    with torch.no_grad():
        ours = torch.softmax(net(torch.from_numpy(images[192:]).float().unsqueeze(1) / 255), -1)
    reader = PlateReader(OpenVinoConfig(), recognizer=shipped)
    theirs = np.concatenate(reader.recognize(list(images[192:, :, :, None])))
    assert ours.shape == (64, 7, 37)
    assert np.abs(ours.numpy() - theirs.reshape(64, 7, 37)).max() < 1e-3
    assert (ours.numpy().argmax(-1) == theirs.reshape(64, 7, 37).argmax(-1)).all()


def test_the_shipped_recogniser_fine_tunes_at_a_larger_input_from_a_reader_not_from_noise(
    tmp_path: Path,
) -> None:
    """Its slot heads are resampled to the larger feature map: before any training the net
    already reads most characters of the same plates drawn at the larger size."""
    shipped = _shipped_recognizer(tmp_path)
    larger = (shipped.config.img_height + 16, shipped.config.img_width + 32)
    scenes = [str(p) for p in _scenes(tmp_path / "scenes").glob("*.jpg")]
    images, texts = synthesize(256, 5, scenes, workers=1, size=larger)
    truth = torch.tensor([encode(t) for t in texts[192:]])
    x = torch.from_numpy(images[192:]).float().unsqueeze(1) / 255

    def slots_right(net: RecognizerNet) -> float:
        net.eval()
        with torch.no_grad():
            return float((net(x).argmax(-1) == truth).float().mean())

    fresh = RecognizerNet(size=larger)
    assert slots_right(fresh) < 0.2
    net = RecognizerNet(size=larger)
    unfold_onnx(net, shipped.path, images[:192])
    assert slots_right(net) > 0.75  # 64 x 160 to 80 x 192: 0.90 (0.94 at its own size)


def test_detector_training_exports_a_model_with_the_documented_heads(tmp_path: Path) -> None:
    scenes = _scenes(tmp_path / "scenes")
    out = tmp_path / "out"
    out.mkdir()
    train_detector(DetectorTraining(steps=2, batch=2), [scenes], out)
    reader = PlateReader(OpenVinoConfig(), detector=out / "plate_detector.onnx")
    heads = reader._detector.run(np.zeros((1, 288, 512, 3), np.uint8))
    assert heads.shape == (1, 6, 36, 64)
    assert ((heads[:, 0] >= 0) & (heads[:, 0] <= 1)).all()  # a probability


def test_detector_targets_put_a_peak_at_each_plate_centre() -> None:
    t = targets([(128.0, 176.0, 96.0, 32.0, -0.2)], 384)
    iy, ix = np.unravel_index(t[0].argmax(), t[0].shape)
    assert (ix, iy) == (16, 22)  # centre (128, 176) / stride 8
    assert t[6].sum() == 1.0
    assert np.isclose(np.exp(t[3, iy, ix]) * 8, 96.0)
    assert np.isclose(t[5, iy, ix], -0.2)  # the turn that levels it


def _inside(shape: tuple[int, ...], plate: Turned) -> npt.NDArray[np.bool_]:
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.array(plate.corners, np.int32)], 1)
    return mask > 0


def test_a_turned_training_window_labels_the_plate_where_it_is_and_how_it_is_turned() -> None:
    """A white plate on black, turned with its window: the label's centre and level size,
    turned back by its turn, cover white pixels, and the ring just outside them is dark."""
    image = np.zeros((400, 600, 3), np.uint8)
    image[180:220, 200:340] = 255
    scene = Scene(image, [(200.0, 180.0, 140.0, 40.0)])
    rng = random.Random(3)
    turns = []
    for _ in range(12):
        window, plates = training_sample(scene, rng, dressed_share=0.0, tilted_share=1.0)
        grey = cv2.cvtColor(window, cv2.COLOR_RGB2GRAY).astype(float)
        assert len(plates) == 1
        cx, cy, w, h, turn = plates[0]
        deg = math.degrees(turn)
        turns.append(deg)
        plate = grey[_inside(grey.shape, Turned(cx, cy, w * 0.8, h * 0.6, deg))].mean()
        ring = _inside(grey.shape, Turned(cx, cy, w * 1.3, h * 1.8, deg))
        ring &= ~_inside(grey.shape, Turned(cx, cy, w * 1.1, h * 1.3, deg))
        assert plate > grey[ring].mean() + 60, (plate, grey[ring].mean(), deg)
    assert max(abs(t) for t in turns) > 10  # turned, and by more than a little
    assert all(abs(t) <= MAX_TILT_DEG for t in turns)


class _LevelOnly(DetectorNet):
    """The first shipped detector's kind: five heads, no turn branch."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.head(self.features(x))
        return out


def _outputs(net: DetectorNet, windows: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    net.eval()
    with torch.no_grad():
        out: npt.NDArray[np.float32] = ExportedDetector(net)(torch.from_numpy(windows)).numpy()
    return out


def test_the_shipped_detector_is_unfolded_for_fine_tuning_and_computes_the_same(
    tmp_path: Path,
) -> None:
    """Its PyTorch weights were not kept: the ONNX graph (batch norms folded away) becomes a
    trainable net again that gives the shipped model's heads, turn included."""
    scenes = load_scenes([_scenes(tmp_path / "scenes")])
    shipped = builtin_dir() / "plate_detector.onnx"
    net = DetectorNet()
    unfold_onnx_detector(net, shipped, scenes, seed=5)
    rng = random.Random(9)
    windows = np.stack([training_sample(rng.choice(scenes), rng)[0] for _ in range(4)])
    ours = _outputs(net, windows)
    reader = PlateReader(OpenVinoConfig(), detector=shipped)
    theirs = np.concatenate([reader._detector.run(w[None]) for w in windows])
    assert ours.shape == theirs.shape == (4, 6, 48, 48)
    assert np.abs(ours - theirs).max() < 0.2  # OpenVINO's CPU kernels round a little
    assert np.abs(ours[:, 0] - theirs[:, 0]).max() < 0.01


def test_a_detector_without_a_turn_head_is_fine_tuned_into_one_that_starts_level(
    tmp_path: Path,
) -> None:
    scenes = load_scenes([_scenes(tmp_path / "scenes")])
    level = _LevelOnly()
    export(level, tmp_path / "level.onnx")
    net = DetectorNet()
    unfold_onnx_detector(net, tmp_path / "level.onnx", scenes, seed=5)
    rng = random.Random(9)
    windows = np.stack([training_sample(rng.choice(scenes), rng)[0] for _ in range(4)])
    ours, theirs = _outputs(net, windows), _outputs(level, windows)
    assert (ours.shape, theirs.shape) == ((4, 6, 48, 48), (4, 5, 48, 48))
    assert np.abs(ours[:, :5] - theirs).max() < 1e-3
    assert (ours[:, 5] == 0).all()


def test_the_detector_quantise_command_writes_an_int8_detector_the_reader_runs(
    tmp_path: Path,
) -> None:
    scenes = _scenes(tmp_path / "scenes")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "gtvision.inference.training", "detector-int8",
         "--scenes", str(scenes), "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    model = out / BUILTIN_DETECTOR_INT8
    graph = onnx.load(str(model)).graph
    # Every convolution but the two heads reads int8 weights, dequantised before it.
    dequantised = {n.output[0] for n in graph.node if n.op_type == "DequantizeLinear"}
    convs = [n for n in graph.node if n.op_type == "Conv"]
    kept_f32 = {n.name for n in convs if n.input[1] not in dequantised}
    heads = head_convolutions(onnx.load(str(builtin_dir() / "plate_detector.onnx")).graph)
    assert len(convs) == 15
    assert kept_f32 == set(heads) == {"/net/head/head.1/Conv", "/net/turn/turn.1/Conv"}
    reader = PlateReader(OpenVinoConfig(precision="int8"), detector=model)
    texts = {r.text for r in reader.read(demo_scene(("BRA2E19", "OKL0817"))).reads}
    assert {"BRA2E19", "OKL0817"} <= texts


def test_the_detector_quantise_command_refuses_what_it_cannot_quantise(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for extra, says in (([], "no .jpg scenes"), (["--init", "x.pt"], "exported detector")):
        done = subprocess.run(
            [sys.executable, "-m", "gtvision.inference.training", "detector-int8",
             "--scenes", str(empty), "--out", str(tmp_path / "out"), *extra],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert says in done.stderr


def test_the_shipped_int8_detector_is_the_shipped_detector_quantised(
    tmp_path: Path, shared_dir: Path
) -> None:
    """Retraining the detector without re-quantising it would leave the INT8 one behind."""
    data = shared_dir / "datasets" / "openalpr"
    scenes = sorted([*(data / "eu").glob("*.jpg"), *(data / "us").glob("*.jpg")])
    made = tmp_path / BUILTIN_DETECTOR_INT8
    quantise_detector(builtin_dir() / "plate_detector.onnx", made, scenes)
    ours = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(str(made)).graph.initializer}
    shipped = onnx.load(str(builtin_dir() / BUILTIN_DETECTOR_INT8)).graph.initializer
    theirs = {t.name: onnx.numpy_helper.to_array(t) for t in shipped}
    assert ours.keys() == theirs.keys()
    for name, array in ours.items():  # statistics may differ in the last bits from CPU to CPU
        if array.dtype.kind in "iu":
            assert np.abs(array.astype(int) - theirs[name].astype(int)).max(initial=0) <= 1, name
        else:
            assert np.allclose(array, theirs[name], rtol=1e-4, atol=1e-6), name


def test_recognisers_averaged_as_one_graph_read_the_mean_of_their_probabilities(
    tmp_path: Path,
) -> None:
    """The averaged graph keeps the recogniser's contract (the reader loads it as it is) and
    gives, slot by slot, the mean of what its members give."""
    shipped = _shipped_recognizer(tmp_path).path
    other = onnx.load(str(shipped))
    first = other.graph.initializer[0]
    first.CopyFrom(onnx.numpy_helper.from_array(onnx.numpy_helper.to_array(first) * 0.8,
                                                first.name))  # fmt: skip
    onnx.save(other, str(tmp_path / "other.onnx"))
    averaged = tmp_path / "averaged.onnx"
    average_recognizers([shipped, tmp_path / "other.onnx"], averaged)
    config = builtin_dir() / "br_recognizer.yaml"
    scenes = [str(p) for p in _scenes(tmp_path / "scenes").glob("*.jpg")]
    images, _ = synthesize(32, 5, scenes, workers=1)
    crops = list(images[:, :, :, None])

    def probabilities(model: Path) -> npt.NDArray[np.float32]:
        reader = PlateReader(OpenVinoConfig(), recognizer=recognizer_from(model, config))
        return np.stack(reader.recognize(crops))

    a, b = probabilities(shipped), probabilities(tmp_path / "other.onnx")
    assert np.abs(a - b).max() > 0.05, "the members differ"
    assert np.abs(probabilities(averaged) - (a + b) / 2).max() < 1e-4
    with pytest.raises(ValueError, match="differs"):
        average_recognizers([shipped, builtin_dir() / "plate_detector.onnx"], tmp_path / "x.onnx")

    members = split_recognizer(averaged, tmp_path / "split")  # each back, to fine-tune
    assert all(
        np.abs(probabilities(m) - p).max() < 1e-5 for m, p in zip(members, (a, b), strict=True)
    )
    for member, source in zip(members, (shipped, tmp_path / "other.onnx"), strict=True):
        ours, theirs = onnx.load(str(member)).graph, onnx.load(str(source)).graph
        assert [n.op_type for n in ours.node] == [n.op_type for n in theirs.node]
        assert {i.name for i in ours.initializer} == {i.name for i in theirs.initializer}
    net = RecognizerNet()
    unfold_onnx(net, members[0], images)
    with pytest.raises(ValueError, match="--split"):
        unfold_onnx(net, averaged, images)
