"""PyInstaller entry point for Rejection Journal.

Same thing the pip-installed ``rejection-journal`` launcher does
(``rejection_journal.cli:main``), as a plain script PyInstaller can analyse.
"""

import os
import sys

if getattr(sys, "frozen", False) and "MPLCONFIGDIR" not in os.environ:
    # A persistent Matplotlib cache (font list) in the user's cache folder, e.g.
    # ~/.cache/rejection-journal/matplotlib: the first chart after a start is then as fast as
    # from a pip install. (The spec drops PyInstaller's hook that used a new temporary folder
    # on every start.) Matplotlib falls back to a temporary folder if this one is not writable.
    from platformdirs import user_cache_dir

    os.environ["MPLCONFIGDIR"] = os.path.join(user_cache_dir("rejection-journal"), "matplotlib")

from rejection_journal.cli import main

raise SystemExit(main())
