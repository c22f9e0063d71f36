"""Allow ``python -m generator`` as a synonym for the ``kospi-report`` console script."""

from generator.cli import main

raise SystemExit(main())
