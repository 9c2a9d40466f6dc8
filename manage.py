#!/usr/bin/env python
"""Django's manage.py; `socialledger` is the same command, installed on the PATH."""

from socialledger.cli import main

if __name__ == "__main__":
    main()
