"""Plate-reading throughput of several service processes at once (`run --workers N`).

Each process is a `gtvision-lpr bench` on the demo 1280 x 720 frame, batch 1, all started
together; their frames/s are summed. Compared: each process with OpenVINO's default (all cores,
threads pinned to them: what every worker got before `lpr_threads`), and each with its share of
the cores, unpinned (what `run --workers N` gives each worker now).

    .venv/bin/python bench/lpr_processes.py [--processes 2] [--precision int8]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path


def run(processes: int, threads: int, seconds: float, precision: str | None) -> list[float]:
    command = [sys.executable, "-m", "gtvision.inference.cli", "bench", "--batches", "1",
               "--thread-counts", str(threads), "--seconds", str(seconds)]  # fmt: skip
    if precision:
        command += ["--precision", precision]
    running = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[1])
        for _ in range(processes)
    ]
    rates = []
    for process in running:
        out, _ = process.communicate(timeout=seconds * 10 + 120)
        found = re.search(r"([\d.]+) frames/s", out)
        if process.returncode != 0 or found is None:
            raise SystemExit(f"a bench process failed:\n{out}")
        rates.append(float(found.group(1)))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--precision", choices=["f32", "int8"], default=None)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    share = max(1, (cores or 1) // args.processes)
    print(f"{cores} cores, {args.processes} processes, detector {args.precision or 'f32'}")
    rows = (("OpenVINO's default (all cores, pinned)", 0),
            (f"a share each ({share} thread(s), unpinned)", share))  # fmt: skip
    for label, threads in rows:
        rates = run(args.processes, threads, args.seconds, args.precision)
        print(f"  {label:40} {sum(rates):6.1f} frames/s in all "
              f"({', '.join(f'{r:.1f}' for r in rates)})")  # fmt: skip


if __name__ == "__main__":
    main()
