"""``python -m geo_sym``: the same command line as ``geo-sym``."""

import sys

from geo_sym.cli.main import main

sys.exit(main())
