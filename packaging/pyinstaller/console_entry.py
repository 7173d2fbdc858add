"""Entry point of the PyInstaller bundle (``pyinstaller.spec``)."""

import sys

from gtvision.console.app import main

sys.exit(main())
