"""The build benchmark (run.py) and what it needs: data, reference site, measurement, tables."""
