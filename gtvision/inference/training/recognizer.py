"""Train the Brazilian plate recogniser on synthetic plates and export it to ONNX.

A small CNN with one classification head per character slot (the fast-plate-ocr model family),
so our model and third-party ones share one input/output contract and one decoder. The exported
graph takes uint8 NHWC pixels and returns per-slot probabilities: no preprocessing outside it.
"""

from __future__ import annotations

import json
import random
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from gtvision.inference.models import recognizer_from
from gtvision.inference.synth.degrade import Backgrounds, recognizer_sample
from gtvision.inference.training.layers import conv_bn_relu, from_uint8_nhwc, unfold_onnx_convs

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
SLOTS = 7
SIZE = (64, 160)  # height, width: the shipped contract (br_recognizer.yaml)


class RecognizerNet(nn.Module):
    """At 64 x 160: ~190 M multiply-adds per crop, 1.6 M parameters (6 MB as float32); the
    convolutions take any size that is a multiple of 16, the slot heads are sized for one."""

    def __init__(
        self, slots: int = SLOTS, classes: int = len(ALPHABET), size: tuple[int, int] = SIZE
    ) -> None:
        super().__init__()
        self.slots, self.classes, self.size = slots, classes, size
        height, width = size
        if height % 16 or width % 16:
            raise ValueError(f"the recogniser's input is {height} x {width}: use multiples of 16")
        self.features = nn.Sequential(
            conv_bn_relu(1, 32, 2),  # 32 x 80
            conv_bn_relu(32, 48),
            nn.MaxPool2d(2),  # 16 x 40
            conv_bn_relu(48, 96),
            conv_bn_relu(96, 96),
            nn.MaxPool2d(2),  # 8 x 20
            conv_bn_relu(96, 128),
            conv_bn_relu(128, 128),
            nn.MaxPool2d(2),  # 4 x 10
            conv_bn_relu(128, 128),
        )
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.25),
            nn.Linear(128 * (height // 16) * (width // 16), slots * classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.head(self.features(x))
        return logits.view(-1, self.slots, self.classes)


class ExportedRecognizer(nn.Module):
    """uint8 NHWC in, softmax probabilities (N, slots, classes) out: the fast-plate-ocr contract."""

    def __init__(self, net: RecognizerNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = from_uint8_nhwc(pixels)
        return torch.softmax(self.net(x), dim=-1)


def encode(text: str) -> list[int]:
    return [ALPHABET.index(c) for c in text.ljust(SLOTS, "_")]


def _generate(
    args: tuple[int, int, list[str], tuple[int, int]],
) -> tuple[npt.NDArray[np.uint8], list[str]]:
    seed, count, scene_paths, (height, width) = args
    rng = random.Random(seed)
    scenes = [im for p in scene_paths if (im := cv2.imread(p)) is not None]
    backgrounds = Backgrounds(scenes)
    images = np.empty((count, height, width), np.uint8)
    texts = []
    for i in range(count):
        sample = recognizer_sample(rng, backgrounds, (width, height))
        images[i] = sample.image
        texts.append(sample.spec.text)
    return images, texts


def synthesize(
    count: int, seed: int, scene_paths: list[str], workers: int = 2, size: tuple[int, int] = SIZE
) -> tuple[npt.NDArray[np.uint8], list[str]]:
    """`count` synthetic crops of `size` (height, width), generated in `workers` processes
    (deterministic for a seed)."""
    chunk = 2000
    jobs = [(seed * 100_003 + i, min(chunk, count - i * chunk), scene_paths, size)
            for i in range((count + chunk - 1) // chunk)]  # fmt: skip
    with get_context("spawn").Pool(workers) as pool:
        parts = pool.map(_generate, jobs)
    return np.concatenate([p[0] for p in parts]), [t for p in parts for t in p[1]]


@dataclass(frozen=True, slots=True)
class RecognizerTraining:
    samples: int = 160_000
    epochs: int = 3
    batch: int = 128
    lr: float = 2e-3
    seed: int = 7
    init: Path | None = None  # fine-tune from these weights (a .pt state dict, or an .onnx)
    size: tuple[int, int] = SIZE  # the input, height x width


def _batches(
    images: npt.NDArray[np.uint8],
    labels: npt.NDArray[np.int64],
    batch: int,
    rng: np.random.Generator,
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    order = rng.permutation(len(images))
    for i in range(0, len(order) - batch + 1, batch):
        idx = order[i : i + batch]
        x = torch.from_numpy(images[idx]).float().unsqueeze(1) / 255.0
        yield x, torch.from_numpy(labels[idx])


def unfold_onnx(net: RecognizerNet, path: Path, images: npt.NDArray[np.uint8]) -> None:
    """Start from an exported recogniser (see :func:`layers.unfold_onnx_convs`), its batch
    norms' statistics measured on ``images``.

    The convolutions do not depend on the input's size; the slot heads do (one weight per
    feature-map cell). A recogniser exported for another size gives its heads resampled over
    the feature map (bilinear, scaled so a slot's logit sums the same evidence): each slot
    still looks where its character is, and fine-tuning starts from a reader, not from noise.
    """
    x = torch.from_numpy(images).float().unsqueeze(1) / 255.0
    weights = unfold_onnx_convs(net, path, lambda: net(x))
    head = net.head[2]
    assert isinstance(head, nn.Linear)
    kernel = torch.tensor(weights["net.head.2.weight"])
    if kernel.shape != head.weight.shape:
        exported = recognizer_from(path).config
        old_h, old_w = exported.img_height // 16, exported.img_width // 16
        height, width = net.size[0] // 16, net.size[1] // 16
        grid = kernel.reshape(kernel.shape[0], -1, old_h, old_w)
        grid = nn.functional.interpolate(grid, (height, width), mode="bilinear", align_corners=True)
        kernel = (grid * (old_h * old_w / (height * width))).reshape(head.weight.shape)
    with torch.no_grad():
        head.weight.copy_(kernel)
        head.bias.copy_(torch.tensor(weights["net.head.2.bias"]))


def slot_accuracy(net: RecognizerNet, images: npt.NDArray[np.uint8], texts: list[str]) -> float:
    """Share of crops whose every slot is right."""
    net.eval()
    with torch.no_grad():
        x = torch.from_numpy(images).float().unsqueeze(1) / 255.0
        pred = net(x).argmax(-1).numpy()
    truth = np.array([encode(t) for t in texts])
    net.train()
    return float((pred == truth).all(axis=1).mean())


def train(
    config: RecognizerTraining, scene_paths: list[str], out_dir: Path, val_samples: int = 4000
) -> dict[str, object]:
    """Generate data, train, export `br_recognizer.onnx` + its plate config; return the metrics."""
    torch.manual_seed(config.seed)
    started = time.monotonic()
    images, texts = synthesize(config.samples, config.seed, scene_paths, size=config.size)
    val_images, val_texts = synthesize(val_samples, config.seed + 1, scene_paths, size=config.size)
    generated = time.monotonic() - started
    print(f"generated {len(images)} crops in {generated:.0f} s", flush=True)
    labels = np.array([encode(t) for t in texts], np.int64)

    net = RecognizerNet(size=config.size)
    if config.init is not None and config.init.suffix == ".onnx":
        unfold_onnx(net, config.init, images[:2048])
        print(f"from {config.init}: synthetic validation exact "
              f"{slot_accuracy(net, val_images, val_texts):.3f}", flush=True)  # fmt: skip
    elif config.init is not None:
        net.load_state_dict(torch.load(config.init))
    steps = config.epochs * (len(images) // config.batch)
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, config.lr, total_steps=steps, pct_start=0.15)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    rng = np.random.default_rng(config.seed)
    step = 0
    for epoch in range(config.epochs):
        for x, y in _batches(images, labels, config.batch, rng):
            # Cheap per-batch variety on top of the pre-rendered pool: contrast and polarity.
            if rng.random() < 0.1:
                x = 1.0 - x
            loss = loss_fn(net(x).reshape(-1, net.classes), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 100 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} "
                      f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
        acc = slot_accuracy(net, val_images, val_texts)
        print(f"epoch {epoch}: synthetic validation exact {acc:.3f}", flush=True)

    metrics: dict[str, object] = {
        "synthetic_val_exact": slot_accuracy(net, val_images, val_texts),
        "train_seconds": round(time.monotonic() - started),
        "generate_seconds": round(generated),
        "samples": config.samples,
        "epochs": config.epochs,
        "steps": steps,
        "parameters": sum(p.numel() for p in net.parameters()),
    }
    export(net, out_dir / "br_recognizer.onnx")
    (out_dir / "br_recognizer.yaml").write_text(
        "# fast-plate-ocr plate config: how to feed this model and read its output\n"
        f"max_plate_slots: {SLOTS}\nalphabet: '{ALPHABET}'\npad_char: '_'\n"
        f"img_height: {net.size[0]}\nimg_width: {net.size[1]}\nkeep_aspect_ratio: false\n"
        "interpolation: linear\nimage_color_mode: grayscale\n"
    )
    torch.save(net.state_dict(), out_dir / "br_recognizer.pt")
    (out_dir / "br_recognizer.metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics


def export(net: RecognizerNet, path: Path) -> None:
    net.eval()
    dummy = torch.zeros((1, *net.size, 1), dtype=torch.uint8)
    # The TorchScript exporter on purpose: plain CNNs, and no onnxscript dependency.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # it warns about itself
        torch.onnx.export(
            ExportedRecognizer(net), (dummy,), str(path), input_names=["input"],
            output_names=["plate"], dynamic_axes={"input": {0: "n"}, "plate": {0: "n"}},
            opset_version=17, dynamo=False,
        )  # fmt: skip
