"""The fixed vocabularies of the journal, stored by their ``value`` strings."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    EVERYDAY = "everyday"
    SOCIAL = "social"
    CAREER = "career"
    CREATIVE = "creative"
    ROMANCE = "romance"
    COMMUNITY = "community"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.EVERYDAY: "Everyday & shops",
    Category.SOCIAL: "Social",
    Category.CAREER: "Career",
    Category.CREATIVE: "Creative",
    Category.ROMANCE: "Romance",
    Category.COMMUNITY: "Community",
}


class Outcome(StrEnum):
    NO = "no"
    YES = "yes"
    PARTIAL = "partial"
    NO_RESPONSE = "no_response"
    DIDNT_ASK = "didnt_ask"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]

    @property
    def is_rejection(self) -> bool:
        """Counts as a "no" when comparing with the predicted chance of no."""
        return self in (Outcome.NO, Outcome.NO_RESPONSE)

    @property
    def was_asked(self) -> bool:
        return self is not Outcome.DIDNT_ASK

    @property
    def can_have_reason(self) -> bool:
        return self in (Outcome.NO, Outcome.PARTIAL, Outcome.NO_RESPONSE)


_OUTCOME_LABELS = {
    Outcome.NO: "No",
    Outcome.YES: "Yes",
    Outcome.PARTIAL: "Partly / counter-offer",
    Outcome.NO_RESPONSE: "No response",
    Outcome.DIDNT_ASK: "Didn't ask (this time)",
}


class Reason(StrEnum):
    TIMING = "timing"
    THEIR_CONSTRAINTS = "their_constraints"
    POLICY = "policy"
    REQUEST_SIZE = "request_size"
    DELIVERY = "delivery"
    PERSONAL = "personal"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    Reason.TIMING: "Timing",
    Reason.THEIR_CONSTRAINTS: "Their constraints",
    Reason.POLICY: "A rule or policy",
    Reason.REQUEST_SIZE: "Size of the request",
    Reason.DELIVERY: "How I asked",
    Reason.PERSONAL: "Personal preference",
    Reason.UNKNOWN: "Don't know",
}
