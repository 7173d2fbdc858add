"""Train the plate detector on real street scenes dressed with synthetic Brazilian plates.

A CenterNet-style fully convolutional net: one heat map of plate centres at stride 8, with the
centre's sub-cell offset, the plate's own size (log, in cells) and the turn that levels it
(radians) regressed at the peak. No anchors and no NMS graph: peaks are 3 x 3 local maxima,
found in a few microseconds on the host. The turn lets the reader cut a tilted plate out whole
and level: an axis-aligned box either cuts a tilted plate's corners or holds half a bumper.
Training scenes: `eu/` and `us/` of the openalpr set (never `br-dev/`, the evaluation set).
"""

from __future__ import annotations

import json
import math
import random
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import torch
from torch import nn
from torch.utils.data import DataLoader, IterableDataset, get_worker_info

from gtvision.inference.synth.degrade import Box, brazilianize
from gtvision.inference.training.layers import conv_bn_relu, from_uint8_nhwc, unfold_onnx_convs

Plate = tuple[float, float, float, float, float]  # centre x, y, width, height (level), turn

STRIDE = 8
CROP = 384
HEADS = 6  # centre, dx, dy, log w, log h, turn
TILTED_SHARE = 0.5  # of the training windows, turned by up to MAX_TILT_DEG
MAX_TILT_DEG = 25.0
TURN_WEIGHT = 4.0


class DetectorNet(nn.Module):
    """~340 M multiply-adds for a 512 x 288 frame; 0.3 M parameters."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            conv_bn_relu(3, 16, 2), conv_bn_relu(16, 24, 2), conv_bn_relu(24, 32)
        )  # /4
        self.s8 = nn.Sequential(conv_bn_relu(32, 48, 2), conv_bn_relu(48, 48))
        self.s16 = nn.Sequential(conv_bn_relu(48, 64, 2), conv_bn_relu(64, 64))
        self.s32 = nn.Sequential(conv_bn_relu(64, 96, 2), conv_bn_relu(96, 96))
        self.lat16 = nn.Conv2d(96, 64, 1)
        self.lat8 = nn.Conv2d(64, 48, 1)
        out = nn.Conv2d(48, HEADS - 1, 1)
        with torch.no_grad():
            out.bias.zero_()  # type: ignore[union-attr]
            out.bias[0] = -4.0  # type: ignore[index]  # start with "no plate anywhere"
        self.head = nn.Sequential(conv_bn_relu(48, 48), out)
        # The turn has its own branch: as one more channel of the box head it learnt nothing
        # in 1,400 steps; and a detector without it (five heads) fine-tunes into this one.
        turn = nn.Conv2d(32, 1, 3, 1, 1)
        with torch.no_grad():
            turn.weight.zero_()  # start level
            turn.bias.zero_()  # type: ignore[union-attr]
        self.turn = nn.Sequential(conv_bn_relu(48, 32), turn)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Stride 8, with what the coarser stages saw."""
        f8 = self.s8(self.stem(x))
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        up16 = f16 + nn.functional.interpolate(self.lat16(f32), scale_factor=2.0, mode="nearest")
        up8: torch.Tensor = f8 + nn.functional.interpolate(self.lat8(up16), scale_factor=2.0,
                                                           mode="nearest")  # fmt: skip
        return up8

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        up8 = self.features(x)
        return torch.cat([self.head(up8), self.turn(up8)], dim=1)


class ExportedDetector(nn.Module):
    """uint8 NHWC RGB in; (N, 6, H/8, W/8) out: centre probability, dx, dy, log w, log h (of
    the plate itself, level), and the turn in radians that levels it (``reader.crop_plate``'s
    roll, counter-clockwise positive as OpenCV turns an image)."""

    def __init__(self, net: DetectorNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = from_uint8_nhwc(pixels)
        raw = self.net(x)
        return torch.cat([torch.sigmoid(raw[:, :1]), raw[:, 1:]], dim=1)


@dataclass(frozen=True, slots=True)
class Scene:
    image: npt.NDArray[np.uint8]  # BGR
    boxes: list[Box]


def load_scenes(folders: list[Path]) -> list[Scene]:
    """Scenes with their labelled boxes, in the openalpr layout (image x y w h PLATE per line)."""
    scenes = []
    for folder in folders:
        for label in sorted(folder.glob("*.txt")):
            boxes: list[Box] = []
            image_name = None
            for line in label.read_text().splitlines():
                parts = line.split("\t")
                if len(parts) >= 5:
                    image_name = parts[0]
                    x, y, w, h = map(float, parts[1:5])
                    boxes.append((x, y, w, h))
            if image_name and (image := cv2.imread(str(folder / image_name))) is not None:
                scenes.append(Scene(image, boxes))
    return scenes


def _augment_colour(img: npt.NDArray[np.uint8], rng: random.Random) -> npt.NDArray[np.uint8]:
    f = img.astype(np.float32)
    f = f * rng.uniform(0.6, 1.4) + rng.uniform(-40, 40)
    if rng.random() < 0.2:
        f[:] = f.mean(axis=2, keepdims=True)
    out = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < 0.3:
        out = np.asarray(cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.5)), np.uint8)
    if rng.random() < 0.5:
        ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(30, 90)])
        if ok:
            out = np.asarray(cv2.imdecode(enc, cv2.IMREAD_COLOR), np.uint8)
    return out


def _window(image: npt.NDArray[np.uint8], ox: int, oy: int, size: int, fill: int
            ) -> npt.NDArray[np.uint8]:  # fmt: skip
    """``image[oy:oy+size, ox:ox+size]``, filled with ``fill`` where that lies outside it."""
    window = np.full((size, size, 3), fill, np.uint8)
    sh, sw = image.shape[:2]
    sx0, sy0 = max(0, ox), max(0, oy)
    sx1, sy1 = min(sw, ox + size), min(sh, oy + size)
    if sx1 > sx0 and sy1 > sy0:
        window[sy0 - oy : sy1 - oy, sx0 - ox : sx1 - ox] = image[sy0:sy1, sx0:sx1]
    return window


def training_sample(
    scene: Scene,
    rng: random.Random,
    crop: int = CROP,
    *,
    dressed_share: float = 0.75,
    tilted_share: float = TILTED_SHARE,
) -> tuple[npt.NDArray[np.uint8], list[Plate]]:
    """A `crop`-square RGB window at a random scale that holds the plate — in ``dressed_share``
    of the samples covered by a synthetic Brazilian one, in ``tilted_share`` turned by up to
    ``MAX_TILT_DEG`` (a sloping street, a camera mounted askew)."""
    image, boxes = scene.image, scene.boxes
    if rng.random() < dressed_share:
        image, boxes = brazilianize(image, boxes, rng)
    x, y, w, h = boxes[0]
    target_w = math.exp(rng.uniform(math.log(28), math.log(200)))
    scale = target_w / max(w, 1.0)
    scaled = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    boxes = [(bx * scale, by * scale, bw * scale, bh * scale) for bx, by, bw, bh in boxes]
    x, y, w, h = boxes[0]
    # A window that contains the first plate somewhere, not always in the middle.
    lo_x, hi_x = int(x + w - crop), int(x)
    lo_y, hi_y = int(y + h - crop), int(y)
    ox = rng.randint(min(lo_x, hi_x), max(lo_x, hi_x))
    oy = rng.randint(min(lo_y, hi_y), max(lo_y, hi_y))
    fill = rng.randint(0, 255)
    tilt = rng.uniform(-MAX_TILT_DEG, MAX_TILT_DEG) if rng.random() < tilted_share else 0.0
    # Cut wider and turn about the plate, so it stays in the window and the corners show scene.
    pad = math.ceil(crop * 0.21) if tilt else 0
    window = _window(scaled, ox - pad, oy - pad, crop + 2 * pad, fill)
    turn = cv2.getRotationMatrix2D((x - ox + pad + w / 2, y - oy + pad + h / 2), tilt, 1.0)
    if tilt:
        turned = cv2.warpAffine(window, turn, (crop + 2 * pad,) * 2, flags=cv2.INTER_LINEAR,
                                borderValue=(fill, fill, fill))  # fmt: skip
        window = np.ascontiguousarray(turned[pad : pad + crop, pad : pad + crop])
    plates: list[Plate] = []
    for bx, by, bw, bh in boxes:
        cx, cy = (turn @ np.array([bx - ox + pad + bw / 2, by - oy + pad + bh / 2, 1.0])) - pad
        plates.append((float(cx), float(cy), bw, bh, -math.radians(tilt)))
    if rng.random() < 0.5:
        window = window[:, ::-1].copy()
        plates = [(crop - cx, cy, pw, ph, -t) for cx, cy, pw, ph, t in plates]
    window = _augment_colour(window, rng)
    inside = [p for p in plates if 0 <= p[0] < crop and 0 <= p[1] < crop]
    return cv2.cvtColor(window, cv2.COLOR_BGR2RGB), inside


def targets(plates: list[Plate], size: int) -> npt.NDArray[np.float32]:
    """Heat map (gaussian at each centre), offset, log size, turn, mask: (7, size/8, size/8)."""
    g = size // STRIDE
    out = np.zeros((HEADS + 1, g, g), np.float32)
    ys, xs = np.mgrid[0:g, 0:g].astype(np.float32)
    for x, y, w, h, t in plates:
        cx, cy = x / STRIDE, y / STRIDE
        sx, sy = max(0.6, w / STRIDE / 6), max(0.6, h / STRIDE / 6)
        heat = np.exp(-(((xs - cx) / sx) ** 2 + ((ys - cy) / sy) ** 2) / 2)
        out[0] = np.maximum(out[0], heat)
        ix, iy = int(cx), int(cy)
        if 0 <= ix < g and 0 <= iy < g:
            out[0, iy, ix] = 1.0
            out[1:HEADS, iy, ix] = (cx - ix, cy - iy, math.log(w / STRIDE), math.log(h / STRIDE), t)
            out[HEADS, iy, ix] = 1.0
    return out


class _Samples(IterableDataset[tuple[torch.Tensor, torch.Tensor]]):
    def __init__(self, scenes: list[Scene], seed: int) -> None:
        self.scenes, self.seed = scenes, seed

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        info = get_worker_info()
        rng = random.Random(self.seed + (info.id if info else 0))
        while True:
            image, boxes = training_sample(rng.choice(self.scenes), rng)
            x = torch.from_numpy(image).permute(2, 0, 1).float() / 255.0
            yield x, torch.from_numpy(targets(boxes, CROP))


def loss_fn(raw: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """CenterNet's focal loss on the heat map plus L1 on offset and log size at centres."""
    heat = torch.sigmoid(raw[:, 0]).clamp(1e-4, 1 - 1e-4)
    gt = target[:, 0]
    pos = gt.eq(1.0).float()
    neg = 1.0 - pos
    pos_loss = torch.log(heat) * (1 - heat) ** 2 * pos
    neg_loss = torch.log(1 - heat) * heat**2 * (1 - gt) ** 4 * neg
    n = pos.sum().clamp(min=1.0)
    focal = -(pos_loss.sum() + neg_loss.sum()) / n
    mask = target[:, HEADS : HEADS + 1]
    error = torch.abs(raw[:, 1:HEADS] - target[:, 1:HEADS]) * mask
    # The turn weighs more: a few degrees wrong costs a character, and the features shared
    # with the box must learn it.
    reg = (error[:, :4].sum() + TURN_WEIGHT * error[:, 4].sum()) / n
    return focal + reg


@dataclass(frozen=True, slots=True)
class DetectorTraining:
    steps: int = 5000
    batch: int = 16
    lr: float = 3e-3
    seed: int = 11
    init: Path | None = None  # fine-tune from these weights (a .pt state dict, or an .onnx)


def unfold_onnx(net: DetectorNet, path: Path, scenes: list[Scene], seed: int) -> None:
    """Start from an exported detector (see :func:`layers.unfold_onnx_convs`), its batch norms'
    statistics measured on training windows; from a five-head one, the turn branch starts new."""
    rng = random.Random(seed)
    windows = [training_sample(rng.choice(scenes), rng)[0] for _ in range(64)]
    x = torch.from_numpy(np.stack(windows)).permute(0, 3, 1, 2).float() / 255.0
    import onnx

    def convs(module: nn.Module) -> int:
        return sum(isinstance(m, nn.Conv2d) for m in module.modules())

    in_graph = sum(node.op_type == "Conv" for node in onnx.load(str(path)).graph.node)
    level_only = in_graph == convs(net) - convs(net.turn)
    unfold_onnx_convs(net, path, lambda: net(x), new=net.turn if level_only else None)


def train(config: DetectorTraining, folders: list[Path], out_dir: Path) -> dict[str, object]:
    torch.manual_seed(config.seed)
    started = time.monotonic()
    scenes = load_scenes(folders)
    loader = DataLoader(_Samples(scenes, config.seed), batch_size=config.batch, num_workers=1)
    net = DetectorNet()
    if config.init is not None and config.init.suffix == ".onnx":
        unfold_onnx(net, config.init, scenes, config.seed + 1)
    elif config.init is not None:
        net.load_state_dict(torch.load(config.init))
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, config.lr, total_steps=config.steps)
    net.train()
    for step, (x, y) in enumerate(loader, start=1):
        loss = loss_fn(net(x), y)
        opt.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
        sched.step()
        if step % 100 == 0:
            print(f"step {step}/{config.steps} loss {loss.item():.3f} "
                  f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
        if step >= config.steps:
            break
    metrics: dict[str, object] = {
        "scenes": len(scenes),
        "steps": config.steps,
        "batch": config.batch,
        "train_seconds": round(time.monotonic() - started),
        "parameters": sum(p.numel() for p in net.parameters()),
        "init": str(config.init) if config.init else None,
        "lr": config.lr,
        "seed": config.seed,
    }
    export(net, out_dir / "plate_detector.onnx")
    torch.save(net.state_dict(), out_dir / "plate_detector.pt")
    (out_dir / "plate_detector.metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics


def export(net: DetectorNet, path: Path) -> None:
    net.eval()
    dummy = torch.zeros((1, 288, 512, 3), dtype=torch.uint8)
    # The TorchScript exporter on purpose: plain CNNs, and no onnxscript dependency.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # it warns about itself
        torch.onnx.export(
            ExportedDetector(net), (dummy,), str(path),
            input_names=["input"], output_names=["heads"],
            dynamic_axes={"input": {0: "n", 1: "h", 2: "w"}, "heads": {0: "n", 2: "gh", 3: "gw"}},
            opset_version=17, dynamo=False,
        )  # fmt: skip
