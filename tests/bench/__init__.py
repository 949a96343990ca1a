"""Benchmarks, run by hand: ``python -m tests.bench [--quick]`` from the project root.

Never part of the pytest run (no file here is named ``test_*.py``, and
pytest's ``testpaths`` are ``tests/unit`` and ``tests/ui``) and never
asserted in CI: the numbers depend on the machine.  See ``RESULTS.md``.
"""
