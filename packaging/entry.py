"""PyInstaller entry point for Rejection Journal.

Same thing the pip-installed ``rejection-journal`` launcher does
(``rejection_journal.cli:main``), as a plain script PyInstaller can analyse.
"""

from rejection_journal.cli import main

raise SystemExit(main())
