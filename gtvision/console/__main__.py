"""``python -m gtvision.console``."""

import sys

from gtvision.console.app import main

sys.exit(main())
