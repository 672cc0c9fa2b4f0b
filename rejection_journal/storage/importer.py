"""JSON import: check the whole file first, then merge it by UUID in one transaction.

The import is written in three parts; this module gathers the names callers use:

1. :mod:`~rejection_journal.storage.import_decode`: bytes to JSON values (size, UTF-8,
   duplicate keys, huge numbers, ``NaN``) and the errors, :class:`ImportValidationError`
   (its message names where, ``attempts[12] (uuid …)``, ``line 3, column 5``, and what) and
   :class:`ImportFileError`.
2. :mod:`~rejection_journal.storage.import_schema`: :func:`parse_document` (or
   :func:`read_plan` for a path) checks every key and value of every record, without
   touching the database, and returns an :class:`ImportPlan`.
3. :mod:`~rejection_journal.storage.merge`: :func:`apply_import` merges the plan into the
   journal in one transaction, all or nothing, by revision; :func:`preview_import` works out
   the same :class:`ImportResult` without writing.  The whole sequence (preview, a pre-import
   backup if needed, merge) is a use case:
   ``rejection_journal.services.journal_service.import_into``.

The value rules live in :mod:`rejection_journal.domain.records` (``validated()``), the
fields' names in :mod:`rejection_journal.domain.fields`.  The format and the merge rules are
documented in ``docs/json-format.md``.
"""

from __future__ import annotations

from rejection_journal.storage.import_decode import (
    MAX_IMPORT_BYTES,
    ImportFileError,
    ImportValidationError,
)
from rejection_journal.storage.import_schema import (
    ATTEMPT_KEYS,
    ATTEMPT_KEYS_V1,
    CHALLENGE_KEYS,
    FUTURE_TOLERANCE,
    MAX_EARLIER_IN_FILE,
    READABLE_FORMAT_VERSION,
    ImportPlan,
    parse_document,
    read_plan,
)
from rejection_journal.storage.merge import (
    CHUNK,
    ImportCancelled,
    ImportResult,
    Progress,
    apply_import,
    import_file,
    preview_import,
)

__all__ = [
    "ATTEMPT_KEYS",
    "ATTEMPT_KEYS_V1",
    "CHALLENGE_KEYS",
    "CHUNK",
    "FUTURE_TOLERANCE",
    "MAX_EARLIER_IN_FILE",
    "MAX_IMPORT_BYTES",
    "READABLE_FORMAT_VERSION",
    "ImportCancelled",
    "ImportFileError",
    "ImportPlan",
    "ImportResult",
    "ImportValidationError",
    "Progress",
    "apply_import",
    "import_file",
    "parse_document",
    "preview_import",
    "read_plan",
]
