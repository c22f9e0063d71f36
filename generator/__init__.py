"""KOSPI Report: a static-site generator for a daily Korean stock-market report.

The build is a pipeline of small stages, each a module named for what it does:
load -> validate -> analyse -> snapshot -> story -> chart -> render -> write.
`generator.build.build()` runs them in order; the CLI in `generator.cli` is a thin shell over it.
"""

__version__ = "0.1.0"
