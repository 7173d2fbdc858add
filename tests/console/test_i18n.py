"""Every string the console shows has a finished pt-BR translation, and the shipped .qm is
built from the current .ts (``scripts/translations.py`` refreshes both)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtWidgets import QApplication

from gtvision.console.app import I18N_DIR, install_translations
from gtvision.console.widgets.search import PlateSearchPanel
from gtvision.console.widgets.tile import TileWidget

TS = I18N_DIR / "gtvision_pt_BR.ts"
BIN = Path(sys.executable).parent


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()  # noqa: S314 - our own files
    return {
        (context.findtext("name", ""), message.findtext("source", "")): message
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_every_source_string_is_translated(tmp_path: Path) -> None:
    extracted = tmp_path / "extracted.ts"
    sources = sorted(str(p) for p in (I18N_DIR.parent).rglob("*.py"))
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), *sources, "-ts", str(extracted), "-locations", "none"],
        check=True,
        capture_output=True,
    )
    wanted = set(messages(extracted))
    assert len(wanted) > 40
    shipped = messages(TS)
    assert wanted - set(shipped) == set(), "run scripts/translations.py and translate"
    unfinished = [key for key in wanted if not finished(shipped[key])]
    assert unfinished == []


def finished(message: ET.Element) -> bool:
    """Translated, and for a count (``%n``) in each of the language's plural forms."""
    translation = message.find("translation")
    if translation is None or translation.get("type") == "unfinished":
        return False
    forms = [(f.text or "").strip() for f in translation.iter("numerusform")]
    if message.get("numerus") == "yes":
        return bool(forms) and all(forms)
    return bool((translation.text or "").strip())


def test_the_shipped_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    built = tmp_path / "built.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(built)], check=True, capture_output=True
    )
    assert built.read_bytes() == TS.with_suffix(".qm").read_bytes()


def test_portuguese_and_english_at_run_time(qapp: QApplication) -> None:
    translators = install_translations(qapp, "pt_BR")
    try:
        assert len(translators) == 2  # ours and Qt's own (dialog buttons)
        assert TileWidget(0).tr("Drag a camera here") == "Arraste uma câmera para cá"
        search = PlateSearchPanel()
        assert search.tr("%n reads", "", 1) == "1 leitura"  # counts agree with their noun
        assert search.tr("%n reads", "", 31) == "31 leituras"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert install_translations(qapp, "en") == []
    assert TileWidget(0).tr("Drag a camera here") == "Drag a camera here"
