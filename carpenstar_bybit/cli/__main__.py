"""``python -m carpenstar_bybit.cli``: the ``carpenstar-bybit`` command."""

import sys

from carpenstar_bybit.cli import main

sys.exit(main())
