"""Performance benchmarks (DESIGN §8): run with ``python -m tests.benchmarks``, not by pytest."""
