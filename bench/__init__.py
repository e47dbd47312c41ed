"""Chorus benchmarks: `python -m bench` runs all six and writes bench/results/latest.json.

Benchmarks report figures side by side with their baselines; they never fail on time.
"""
