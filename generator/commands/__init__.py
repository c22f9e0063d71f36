"""Sub-commands of ``kospi-report``; each module has ``register(subparsers)``."""
