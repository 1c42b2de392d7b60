"""``python -m slocalc``: the same as the ``slocalc`` command."""

from slocalc.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
