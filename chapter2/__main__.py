"""``python -m chapter2``: see :mod:`chapter2.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
