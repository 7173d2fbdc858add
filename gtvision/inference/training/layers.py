"""Building blocks both trained models share."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch
from torch import nn


def conv_bn_relu(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)
    )


def from_uint8_nhwc(pixels: torch.Tensor) -> torch.Tensor:
    """The exported graphs take raw uint8 NHWC pixels, so no runtime needs our preprocessing."""
    return pixels.permute(0, 3, 1, 2).float() / 255.0


def unfold_onnx_convs(
    net: nn.Module, path: Path, forward: Callable[[], object], new: nn.Module | None = None
) -> dict[str, npt.NDArray[np.float32]]:
    """Give ``net``'s convolutions the weights of the exported ``path``, when its PyTorch
    weights were not kept; return the graph's initializers for what else the caller restores.

    The exporter folded each batch norm into the convolution before it (kernel times
    gamma/sigma, bias beta - mean * gamma/sigma). Each conv + batch norm gets the folded kernel
    back, with batch statistics of its output measured by ``forward()`` (the net run on
    representative inputs, blocks before it already restored) and the affine that undoes them
    (gamma = the measured sigma, beta = folded bias + measured mean): the net then computes what
    the graph computes, in eval mode exactly and in training mode up to batch noise, so
    fine-tuning starts where the shipped model is. A plain convolution (bias, no norm) is copied;
    the convolutions of ``new`` (a branch the graph has not) keep their fresh weights.
    """
    import onnx
    from onnx import numpy_helper

    from gtvision.inference.training.ensemble import is_averaged

    model = onnx.load(str(path))
    if is_averaged(model):
        raise ValueError(f"{path} averages recognisers: fine-tune one of its members "
                         "(python -m gtvision.inference.training.ensemble --split)")  # fmt: skip
    graph = model.graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    for node in graph.node:  # the exporter shares equal tensors (fresh biases) by Identity
        if node.op_type == "Identity" and node.input[0] in weights:
            weights[node.output[0]] = weights[node.input[0]]
    nodes = [n for n in graph.node if n.op_type == "Conv"]
    modules = list(net.modules())
    fresh = {id(m) for m in new.modules()} if new is not None else set()
    convs = [m for m in modules if isinstance(m, nn.Conv2d) and id(m) not in fresh]
    norms = {id(a): b for a, b in itertools.pairwise(modules) if isinstance(b, nn.BatchNorm2d)}
    if len(nodes) != len(convs):
        raise ValueError(f"{path}: {len(nodes)} convolutions, this net has {len(convs)}")
    net.eval()
    with torch.no_grad():
        for conv, node in zip(convs, nodes, strict=True):
            kernel = torch.tensor(weights[node.input[1]])
            bias = torch.tensor(weights[node.input[2]])
            if kernel.shape != conv.weight.shape:
                raise ValueError(f"{path}: {node.input[1]} is {tuple(kernel.shape)}, "
                                 f"this net's is {tuple(conv.weight.shape)}")  # fmt: skip
            norm = norms.get(id(conv))
            if norm is None:
                assert conv.bias is not None
                conv.weight.copy_(kernel)
                conv.bias.copy_(bias)
                continue
            conv.weight.copy_(kernel)
            seen: list[torch.Tensor] = []
            hook = conv.register_forward_hook(lambda _m, _i, out, seen=seen: seen.append(out))
            forward()
            hook.remove()
            z = torch.cat(seen)
            mean, var = z.mean(dim=(0, 2, 3)), z.var(dim=(0, 2, 3), unbiased=False)
            norm.running_mean = mean.clone()
            norm.running_var = var.clone()
            norm.weight.copy_(torch.sqrt(var + norm.eps))
            norm.bias.copy_(bias + mean)
    net.train()
    return weights
