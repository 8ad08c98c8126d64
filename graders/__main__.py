"""Allow ``python -m graders``."""

from graders.cli import main

raise SystemExit(main())
