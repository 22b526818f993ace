"""``python -m carpenstar_bybit``: the ``carpenstar-bybit`` command."""

import sys

from carpenstar_bybit.cli import main

sys.exit(main())
