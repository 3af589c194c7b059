from __future__ import annotations

import sys

from xuncha_site.commands.cli import main

sys.exit(main())
