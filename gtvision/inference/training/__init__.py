"""Reproducible training of the shipped models (needs the `train` extra: PyTorch, CPU is fine).

    python -m gtvision.inference.training recognizer --scenes DATA/eu DATA/us --out DIR
    python -m gtvision.inference.training detector --scenes DATA/eu DATA/us --out DIR

The runtime never imports this package: the product needs only the exported ONNX files.
"""
