"""``gtvision-console``: start the Qt application on a qasync loop and open the wall.

    gtvision-console [--server URL] [--user NAME] [--layout 3x3] [--lang pt_BR|en]
    gtvision-console --kiosk --server URL --user NAME [--view NAME | --layout 4x4]
    gtvision-console --local          # no service: cameras found by ONVIF from this PC

The server is the one given, else the last one used, else the first found by mDNS
(``_gtvision._tcp``). Kiosk mode signs in with no clicks (password from
``GTV_CONSOLE_PASSWORD`` or the OS keyring, service ``gtvision``), starts full screen and shows
the saved view (a tour if it has more cameras than tiles), or fills the wall with the tenant's
cameras.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from gtvision.console.layouts import WallLayout

I18N_DIR = Path(__file__).with_name("i18n")
LANGUAGES = ("pt_BR", "en")
KEYRING_SERVICE = "gtvision"
log = logging.getLogger(__name__)


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Our strings and Qt's own (dialog buttons) in ``language``; English needs neither."""
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    for name, directory in (
        (f"gtvision_{language}", I18N_DIR),
        (f"qtbase_{language}", Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))),
    ):
        translator = QTranslator(app)
        if translator.load(name, str(directory)):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("no %s translation in %s", name, directory)
    QLocale.setDefault(QLocale(language))
    return installed


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gtvision-console", description=__doc__.split("\n")[0])
    parser.add_argument("--server", help="service URL, e.g. http://vms.prefeitura.gov.br:8080")
    parser.add_argument("--user", help="user name (kiosk mode signs in as this user)")
    parser.add_argument("--layout", type=WallLayout.parse, help="1x1, 2x2, 3x3, 4x4, 1+5, 1+7, RxC")
    parser.add_argument("--lang", choices=LANGUAGES, help="interface language (default pt_BR)")
    parser.add_argument("--kiosk", action="store_true", help="full screen, no clicks")
    parser.add_argument("--view", help="kiosk mode: the saved view to show")
    parser.add_argument(
        "--local", action="store_true", help="no service: find cameras by ONVIF from here"
    )
    parser.add_argument(
        "--self-test", action="store_true", help="play a test clip in a wall tile, then exit"
    )
    return parser.parse_args(argv)


def kiosk_password(server: str, user: str) -> str | None:
    if password := os.environ.get("GTV_CONSOLE_PASSWORD"):
        return password
    import keyring  # the workstation's OS keyring; imported only where kiosk mode needs it
    import keyring.errors

    with contextlib.suppress(keyring.errors.KeyringError):
        return keyring.get_password(KEYRING_SERVICE, f"console:{user}@{server}")
    return None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("GT-Vision")
    app.setApplicationName("console")
    settings = QSettings()
    language = args.lang or str(settings.value("language", "pt_BR"))
    install_translations(app, language)
    from gtvision.console.theme import apply_theme

    apply_theme(app)

    from gtvision.console.controller import ConsoleController  # after the translators
    from gtvision.console.qt import MainThreadGarbageCollector, run

    MainThreadGarbageCollector(app)
    if args.self_test:
        return run(_self_test())
    return run(ConsoleController(args, settings).run())


async def _self_test() -> int:
    from gtvision.console.selftest import run_self_test

    problems = await run_self_test()
    for problem in problems:
        print(f"self-test: {problem}", file=sys.stderr)
    print("self-test: ok" if not problems else "self-test: FAILED", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
