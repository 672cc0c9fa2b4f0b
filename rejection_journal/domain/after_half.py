"""Which fields of an entry's *after* half apply for an outcome: the one rule.

An entry with no outcome yet is open: only its free text (feelings after, reflection,
lesson) may be written ahead.  Any outcome brings the ratings of how it felt and the belief
update (actual discomfort, hopefulness, next time's discomfort and chance of "no"), and the
experiment's after half (did the feared outcome happen, how likely it feels now, how
surprised, which safety behaviours were dropped).  The
reasons for the no (the pick-list, another reason in the user's words, "did I ask why?")
apply only to an outcome that can have one (:attr:`Outcome.can_have_reason`: no, partly, no
response).  The editor, the evening review (one shared form shows and hides its rows by this
rule and leaves out what does not apply when it saves) and :meth:`AttemptRecord.validated`
all read it here.

Pure Python: no Qt, no storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rejection_journal.domain.enums import Outcome

__all__ = ["AFTER_FIELDS", "BLANK", "applicable", "applies", "keep_applicable"]

#: the attributes of the after half, in the order the form shows them
AFTER_FIELDS: tuple[str, ...] = (
    "outcome", "actual_discomfort", "feelings_after", "reasons", "other_reason", "asked_why",
    "reflection", "lesson", "hopefulness", "next_discomfort", "next_no_chance",
    "fear_happened", "fear_likelihood_after", "surprise", "safety_dropped",
)
#: written at any time, even before there is an outcome
_ALWAYS = frozenset({"outcome", "feelings_after", "reflection", "lesson"})
#: apply once there is an outcome (any outcome)
_WITH_AN_OUTCOME = frozenset({"actual_discomfort", "hopefulness", "next_discomfort",
                              "next_no_chance", "fear_happened", "fear_likelihood_after",
                              "surprise", "safety_dropped"})
#: apply only to an outcome that can have a reason
_WITH_A_REASON = frozenset({"reasons", "other_reason", "asked_why"})

#: what a field that does not apply holds (its value in a new, empty entry)
BLANK: Mapping[str, Any] = {
    "actual_discomfort": None, "hopefulness": None, "next_discomfort": None,
    "next_no_chance": None, "reasons": (), "other_reason": "", "asked_why": False,
    "fear_happened": None, "fear_likelihood_after": None, "surprise": None,
    "safety_dropped": (),
}


def applies(attribute: str, outcome: Outcome | None) -> bool:
    """Whether the after-half field ``attribute`` applies to an entry with ``outcome``
    (``None``: no outcome yet).  Raises KeyError for an attribute not of the after half."""
    if attribute in _ALWAYS:
        return True
    if attribute in _WITH_AN_OUTCOME:
        return outcome is not None
    if attribute in _WITH_A_REASON:
        return outcome is not None and outcome.can_have_reason
    raise KeyError(f"not a field of the after half: {attribute!r}")


def applicable(outcome: Outcome | None) -> frozenset[str]:
    """The after-half fields that apply for ``outcome``."""
    return frozenset(name for name in AFTER_FIELDS if applies(name, outcome))


def keep_applicable(outcome: Outcome | None, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` (after-half attributes and any others) with each after-half field that does
    not apply for ``outcome`` made blank: what is saved leaves out what does not apply."""
    return {name: (value if name not in BLANK or applies(name, outcome) else BLANK[name])
            for name, value in values.items()}
