"""Benchmark of the bot against the fakes: ``python -m bench.run`` (``--smoke`` for CI)."""
