"""The words and file keys of an entry's attributes, as a plain table.

:mod:`rejection_journal.domain.fields` checks it against the record dataclasses and builds
the full description from it; :class:`~rejection_journal.domain.records.ValidationError` reads
the labels here (a table with no imports, so neither module has to import the other in a
loop).
"""

from __future__ import annotations

#: attribute: (label, JSON/CSV key, bookkeeping)
ATTEMPT_ROWS: dict[str, tuple[str, str, bool]] = {
    "ask": ("What you asked", "ask", False),
    "attempted_on": ("Date", "attempted_on", False),
    "uuid": ("Entry ID", "uuid", False),
    "challenge_uuid": ("Challenge", "challenge_uuid", False),
    "anticipated_discomfort": ("Anticipated discomfort", "anticipated_discomfort", False),
    "predicted_no_chance": ("Predicted chance of no", "predicted_no_chance", False),
    "feelings_before": ("Feelings before", "feelings_before", False),
    "worst_case": ("Worst case", "worst_case", False),
    "who_asked": ("Who was asked", "who_asked", False),
    "outcome": ("Outcome", "outcome", False),
    "actual_discomfort": ("Actual discomfort", "actual_discomfort", False),
    "feelings_after": ("Feelings after", "feelings_after", False),
    "reasons": ("Reasons for the no", "reasons", False),
    "other_reason": ("Other reason", "other_reason", False),
    "asked_why": ("Asked why", "asked_why", False),
    "reflection": ("Reflection", "reflection", False),
    "lesson": ("Lesson", "lesson", False),
    "hopefulness": ("More or less hopeful", "hopefulness", False),
    "next_discomfort": ("Discomfort expected next time", "next_discomfort", False),
    "next_no_chance": ("Chance of no expected next time", "next_no_chance", False),
    "kind": ("Kind of entry", "kind", False),
    "ask_mode": ("Way of asking", "ask_mode", False),
    "feared_outcome": ("What I fear will happen", "feared_outcome", False),
    "fear_likelihood": ("How likely it feels", "fear_likelihood", False),
    "safety_behaviours": ("I'll try without", "safety_behaviours", False),
    "awaiting_answer": ("Waiting for an answer", "awaiting_answer", False),
    "follow_up_on": ("Follow up on", "follow_up_on", False),
    "fear_happened": ("Did it happen?", "fear_happened", False),
    "fear_likelihood_after": ("How likely does it feel now?", "fear_likelihood_after", False),
    "surprise": ("How surprised were you?", "surprise", False),
    "safety_dropped": ("Safety behaviours I dropped", "safety_dropped", False),
    "created_at": ("Created", "created_at", True),
    "updated_at": ("Last changed", "updated_at", True),
}
CHALLENGE_ROWS: dict[str, tuple[str, str, bool]] = {
    "uuid": ("Challenge ID", "uuid", False),
    "title": ("Title", "title", False),
    "category": ("Category", "category", False),
    "level": ("Level", "level", False),
    "how_to": ("How to", "how_to", False),
    "respect_note": ("Respect note", "respect_note", False),
    "is_custom": ("Custom", "is_custom", False),
    "archived": ("Archived", "archived", False),
}


def label(attribute: str) -> str:
    """The label of an attempt's attribute, else of a challenge's; an unknown name as given.

    (The two share only ``uuid``, which no value check complains about.)
    """
    found = ATTEMPT_ROWS.get(attribute) or CHALLENGE_ROWS.get(attribute)
    return found[0] if found is not None else attribute
