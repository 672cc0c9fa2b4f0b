"""``rejection-journal``: the command line, one module per group of commands.

* :mod:`.main`: ``main()`` (the entry point), the command table and error reporting;
* :mod:`.parser`: the arguments, checked before anything runs;
* :mod:`.reading`: ``challenges``, ``today``, ``ladders``, ``search`` (read only);
* :mod:`.files`: ``demo``, ``export``, ``import``, ``backup``, ``restore``, ``versions``;
* :mod:`.chart`: ``chart``;
* :mod:`.common`: the one-line error, the writer lock, the read-only service.

Every command goes through :mod:`rejection_journal.services`, as the window does; none imports
storage (an import-linter contract in pyproject.toml).
"""

from rejection_journal.cli.main import main

__all__ = ["main"]
