"""The frozen app's entry point (PyInstaller, packaging/euregionet.spec): the ``euregionet``
command. ``multiprocessing.freeze_support()`` comes first: the document worker is started
with multiprocessing's "spawn", i.e. as this same executable with ``--multiprocessing-fork``
(and the resource tracker likewise); without it the child would parse those arguments as
a command line of ours and open a second app instead of rendering."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # returns only in the app itself, never in a worker

    from euregionet_desktop.cli import main

    sys.exit(main())
