"""The built-in challenge library (original text by the Rejection Journal team).

The challenges live in ``challenges.toml`` next to this module (shipped as package data), one
``[[challenge]]`` table each. Each has a stable slug; its UUID is derived from the slug, so the
same built-in challenge has the same UUID in every journal on every machine (exports merge
cleanly). The file is checked when it is first loaded: a mistake in it raises
:class:`LibraryError` naming the entry, rather than reaching a user's journal.
"""

from __future__ import annotations

import re
import tomllib
import uuid
from importlib import resources
from typing import NamedTuple

from rejection_journal.domain.enums import Category
from rejection_journal.domain.records import (
    LEVEL_MAX,
    LEVEL_MIN,
    ChallengeRecord,
    ValidationError,
)
from rejection_journal.domain.text_match import match_key

LIBRARY_NAMESPACE = uuid.UUID("6f1c5a52-3b9e-4c1e-9a57-1d0f2b7e8c41")
LIBRARY_FILE = "challenges.toml"

_REQUIRED = ("slug", "category", "level", "title", "how_to")
_OPTIONAL = ("respect_note",)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class LibraryError(ValueError):
    """The built-in library file is malformed (a bug in the package, never the user's fault)."""


class LibrarySync(NamedTuple):
    """What bringing a journal's built-in challenges up to date did."""

    added: int
    updated: int


def library_uuid(slug: str) -> str:
    return str(uuid.uuid5(LIBRARY_NAMESPACE, slug))


def _title_key(title: str) -> str:
    return match_key(title)


def parse_library(text: str, source: str = LIBRARY_FILE) -> tuple[ChallengeRecord, ...]:
    """Read and check a library file's text; raises :class:`LibraryError` naming the entry.

    Checks: valid TOML; only known fields; a lowercase-hyphenated slug, unique; a known
    category; a whole-number level from 1 to 10; a title and how-to that are not empty; titles
    unique ignoring case and spacing; every text acceptable to :class:`ChallengeRecord`.
    """
    return tuple(record for _slug, record in _parse(text, source))


def _parse(text: str, source: str) -> list[tuple[str, ChallengeRecord]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(f"{source}: not valid TOML ({exc})") from None
    unknown_top = set(data) - {"challenge"}
    if unknown_top:
        raise LibraryError(f"{source}: unknown top-level key(s) {sorted(unknown_top)}")
    entries = data.get("challenge", [])
    if not isinstance(entries, list) or not entries:
        raise LibraryError(f"{source}: expected one or more [[challenge]] tables")

    records: list[tuple[str, ChallengeRecord]] = []
    slugs: set[str] = set()
    titles: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        slug = entry.get("slug") if isinstance(entry, dict) else None
        where = f"{source}: challenge #{number}" + (f" ({slug!r})" if isinstance(slug, str) else "")

        def fail(problem: str, where: str = where) -> LibraryError:
            return LibraryError(f"{where}: {problem}")

        if not isinstance(entry, dict):
            raise fail("is not a table")
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise fail(f"missing {', '.join(missing)}")
        unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
        if unknown:
            raise fail(f"unknown field(s) {', '.join(unknown)}")
        if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
            raise fail("slug must be lowercase words joined by hyphens")
        if slug in slugs:
            raise fail("slug is used by an earlier challenge")
        slugs.add(slug)
        try:
            category = Category(entry["category"])
        except ValueError:
            known = ", ".join(c.value for c in Category)
            raise fail(f"unknown category {entry['category']!r} (known: {known})") from None
        level = entry["level"]
        if isinstance(level, bool) or not isinstance(level, int):
            raise fail(f"level must be a whole number from {LEVEL_MIN} to {LEVEL_MAX}")
        if not LEVEL_MIN <= level <= LEVEL_MAX:
            raise fail(f"level must be from {LEVEL_MIN} to {LEVEL_MAX}, not {level}")
        for key in ("title", "how_to", "respect_note"):
            value = entry.get(key, "")
            if not isinstance(value, str):
                raise fail(f"{key} must be text")
            if key != "respect_note" and not value.strip():
                raise fail(f"{key} is empty")
        title_key = _title_key(entry["title"])
        if title_key in titles:
            raise fail(f"title {entry['title']!r} is also used by {titles[title_key]!r}")
        titles[title_key] = slug
        record = ChallengeRecord(
            uuid=library_uuid(slug),
            title=entry["title"].strip(),
            category=category,
            level=level,
            how_to=entry["how_to"].strip(),
            respect_note=entry.get("respect_note", "").strip(),
        )
        try:
            records.append((slug, record.validated()))
        except ValidationError as exc:
            raise fail(str(exc)) from None
    return records


#: the library as read (slug, record), once per process: from the file, or from a cache of
#: it that storage checked against the file's hash (:func:`use_library`)
_loaded: tuple[tuple[str, ChallengeRecord], ...] | None = None


def library_bytes() -> bytes:
    """The library file shipped, as bytes (what its hash is taken of)."""
    return resources.files(__package__).joinpath(LIBRARY_FILE).read_bytes()


def read_library(data: bytes) -> tuple[tuple[str, ChallengeRecord], ...]:
    """Parse and check the library file's bytes: (slug, record) in file order."""
    return tuple(_parse(data.decode("utf-8"), LIBRARY_FILE))


def use_library(entries: tuple[tuple[str, ChallengeRecord], ...]) -> None:
    """Use ``entries`` as the library for this process (read from a cache whose hash matched
    the file shipped, so parsing and checking it again can be skipped)."""
    global _loaded
    _loaded = entries


def library_loaded() -> bool:
    return _loaded is not None


def _library() -> tuple[tuple[str, ChallengeRecord], ...]:
    global _loaded
    if _loaded is None:
        _loaded = read_library(library_bytes())
    return _loaded


def builtin_challenges() -> tuple[ChallengeRecord, ...]:
    """Every built-in challenge, in the order of the library file."""
    return tuple(record for _slug, record in _library())


def builtin_slugs() -> dict[str, str]:
    """Built-in challenge UUID -> its slug (for messages and tests)."""
    return {record.uuid: slug for slug, record in _library()}
