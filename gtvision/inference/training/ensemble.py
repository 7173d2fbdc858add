"""Recognisers trained apart, as one ONNX graph that averages their per-slot probabilities.

Two recognisers of separate lineages miss different plates (the model card's step 23: every
fine-tune of one model kept its misses). As one graph with the recogniser's input and output
(a standard ONNX Mean over the members), the reader and its backends load it as any recogniser.

    python -m gtvision.inference.training.ensemble A.onnx B.onnx --out averaged.onnx
    python -m gtvision.inference.training.ensemble --split averaged.onnx --out members/

Training starts from one recogniser, not from an average: ``--split`` gives the members back as
they were, each to fine-tune (``--init``) and average again.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import onnx
from onnx import compose, helper

PRODUCER = "gtvision.inference.training.ensemble"


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
                               producer_name=PRODUCER)  # fmt: skip
    merged.ir_version = max(m.ir_version for m in models)
    onnx.checker.check_model(merged, full_check=True)
    onnx.save(merged, str(out))


def is_averaged(model: onnx.ModelProto) -> bool:
    return model.producer_name == PRODUCER


def split_recognizer(path: Path, out_dir: Path) -> list[Path]:
    """Write the members of the averaged ``path`` to ``out_dir`` (``member0.onnx``, …, with
    its plate config) under their own names again, so each loads, reads and unfolds as the
    recogniser it was."""
    model = onnx.load(str(path))
    if not is_averaged(model):
        raise ValueError(f"{path}: not an averaged recogniser")
    (mean,) = (node for node in model.graph.node if node.op_type == "Mean")
    (source_input,), (source_output,) = model.graph.input, model.graph.output
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for n, output in enumerate(mean.input):
        prefix = f"m{n}_"  # what average_recognizers gave each member's names

        def own(name: str, prefix: str = prefix) -> str:
            return name.removeprefix(prefix)

        nodes, initializers = [], []
        for node in model.graph.node:
            if not node.output[0].startswith(prefix):
                continue  # another member's, or the Mean
            nodes.append(onnx.NodeProto())
            nodes[-1].CopyFrom(node)
            nodes[-1].name = own(node.name)
            nodes[-1].input[:] = [own(name) for name in node.input]
            nodes[-1].output[:] = [own(name) for name in node.output]
        for tensor in (t for t in model.graph.initializer if t.name.startswith(prefix)):
            initializers.append(onnx.TensorProto())
            initializers[-1].CopyFrom(tensor)
            initializers[-1].name = own(tensor.name)
        result = onnx.ValueInfoProto()
        result.CopyFrom(source_output)
        result.name = own(output)
        graph = helper.make_graph(nodes, own(model.graph.name), [source_input], [result],
                                  initializers)  # fmt: skip
        member = helper.make_model(graph, opset_imports=list(model.opset_import),
                                   producer_name=f"{PRODUCER} --split")  # fmt: skip
        member.ir_version = model.ir_version
        onnx.checker.check_model(member, full_check=True)
        written.append(out_dir / f"member{n}.onnx")
        onnx.save(member, str(written[-1]))
        if path.with_suffix(".yaml").is_file():  # the plate config the members read by
            shutil.copyfile(path.with_suffix(".yaml"), written[-1].with_suffix(".yaml"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m gtvision.inference.training.ensemble",
                                     description=__doc__.split("\n")[0])  # fmt: skip
    parser.add_argument("sources", type=Path, nargs="+", help="recognisers (.onnx), same contract")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the averaged recogniser (with --split: a folder for its members)",
    )
    parser.add_argument(
        "--split", action="store_true", help="write the members of one averaged recogniser back out"
    )
    args = parser.parse_args()
    try:
        if args.split:
            if len(args.sources) != 1:
                raise ValueError("--split takes one averaged recogniser")
            for path in split_recognizer(args.sources[0], args.out):
                print(path)
        else:
            average_recognizers(args.sources, args.out)
            print(f"{args.out}: the mean of {len(args.sources)} recognisers")
    except ValueError as exc:
        parser.error(str(exc))


if __name__ == "__main__":
    main()
