"""Building blocks both trained models share."""

from __future__ import annotations

import torch
from torch import nn


def conv_bn_relu(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)
    )


def from_uint8_nhwc(pixels: torch.Tensor) -> torch.Tensor:
    """The exported graphs take raw uint8 NHWC pixels, so no runtime needs our preprocessing."""
    return pixels.permute(0, 3, 1, 2).float() / 255.0
