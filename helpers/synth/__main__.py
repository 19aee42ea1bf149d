"""``python -m helpers.synth --out data``: see ``helpers.synth.cli``."""

import sys

from helpers.synth.cli import main

if __name__ == "__main__":
    sys.exit(main())
