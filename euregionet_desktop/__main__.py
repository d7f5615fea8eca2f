"""``python -m euregionet_desktop``: the same as the ``euregionet`` command."""

from euregionet_desktop.cli import main

raise SystemExit(main())
