"""Benchmarks: run by hand (`make bench`), never collected by pytest."""
