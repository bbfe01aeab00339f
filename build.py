#!/usr/bin/env python3
"""Build the force's sites: `python build.py --help` lists the commands."""

import sys

from wmpsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
