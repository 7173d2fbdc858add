"""Recognisers trained apart, as one ONNX graph that averages their per-slot probabilities.

Two recognisers of separate lineages miss different plates (the model card's step 23: every
fine-tune of one model kept its misses). As one graph with the recogniser's input and output
(a standard ONNX Mean over the members), the reader and its backends load it as any recogniser.

    python -m gtvision.inference.training.ensemble A.onnx B.onnx --out averaged.onnx
"""

from __future__ import annotations

import argparse
from pathlib import Path

import onnx
from onnx import compose, helper


def average_recognizers(sources: list[Path], out: Path) -> None:
    """Write to ``out`` one graph feeding its input to every source and giving the mean of
    their outputs, under the first source's input and output names."""
    if len(sources) < 2:
        raise ValueError("averaging needs two recognisers or more")
    models = [onnx.load(str(path)) for path in sources]
    first = models[0].graph
    (source_input,), (source_output,) = first.input, first.output
    for path, model in zip(sources[1:], models[1:], strict=True):
        (i,), (o,) = model.graph.input, model.graph.output
        if i.type != source_input.type or o.type != source_output.type:
            raise ValueError(f"{path}: its input or output differs from {sources[0]}'s")
    nodes, initializers, outputs = [], [], []
    for n, model in enumerate(models):
        prefix = f"m{n}_"
        graph = compose.add_prefix(model, prefix).graph
        for node in graph.node:  # every member reads the one shared input
            node.input[:] = [source_input.name if name == prefix + source_input.name else name
                             for name in node.input]  # fmt: skip
        nodes.extend(graph.node)
        initializers.extend(graph.initializer)
        outputs.append(graph.output[0].name)
    nodes.append(helper.make_node("Mean", outputs, [source_output.name], name="average"))
    graph = helper.make_graph(nodes, "averaged_recognizers", [source_input], [source_output],
                              initializers)  # fmt: skip
    merged = helper.make_model(graph, opset_imports=list(models[0].opset_import),
                               producer_name="gtvision.inference.training.ensemble")  # fmt: skip
    merged.ir_version = max(m.ir_version for m in models)
    onnx.checker.check_model(merged, full_check=True)
    onnx.save(merged, str(out))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m gtvision.inference.training.ensemble",
                                     description=__doc__.split("\n")[0])  # fmt: skip
    parser.add_argument("sources", type=Path, nargs="+", help="recognisers (.onnx), same contract")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    try:
        average_recognizers(args.sources, args.out)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{args.out}: the mean of {len(args.sources)} recognisers")


if __name__ == "__main__":
    main()
