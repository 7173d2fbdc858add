"""Refresh the console's translations: extract ``tr()`` strings, keep the pt-BR ones we have.

    .venv/bin/python scripts/translations.py          # update .ts from the sources, build .qm

Translators edit ``gtvision/console/i18n/gtvision_pt_BR.ts`` (Qt Linguist works); the test
suite fails when a string in the code has no finished translation or the .qm is stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSOLE = ROOT / "gtvision" / "console"
TS = CONSOLE / "i18n" / "gtvision_pt_BR.ts"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    return sorted(str(p) for p in CONSOLE.rglob("*.py"))


def main() -> None:
    subprocess.run(  # noqa: S603 - our own tools, our own files
        [
            str(BIN / "pyside6-lupdate"),
            *sources(),
            "-ts",
            str(TS),
            "-no-obsolete",
            "-locations",
            "none",
        ],
        check=True,
    )
    subprocess.run(  # noqa: S603
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True
    )


if __name__ == "__main__":
    main()
