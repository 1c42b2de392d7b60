"""Private modules of the ``slocalc`` command; the entry point is :mod:`slocalc.cli`."""
