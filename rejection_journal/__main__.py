from rejection_journal.cli import main

raise SystemExit(main())
