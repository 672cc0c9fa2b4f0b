"""The built-in challenge library (original text by the Rejection Journal team).

Each challenge has a stable slug; its UUID is derived from the slug, so the same built-in
challenge has the same UUID in every journal on every machine (exports merge cleanly).
"""

from __future__ import annotations

import uuid

from rejection_journal.domain.enums import Category
from rejection_journal.domain.records import ChallengeRecord

LIBRARY_NAMESPACE = uuid.UUID("6f1c5a52-3b9e-4c1e-9a57-1d0f2b7e8c41")

E, S, C, K, R, M = (
    Category.EVERYDAY,
    Category.SOCIAL,
    Category.CAREER,
    Category.CREATIVE,
    Category.ROMANCE,
    Category.COMMUNITY,
)

# (slug, category, level, title, how to, respect note)
_LIBRARY: tuple[tuple[str, Category, int, str, str, str], ...] = (
    ("ask-the-time", E, 1, "Ask a stranger for the time",
     "Pick someone who is not in a hurry, smile, and ask. Notice that most people are glad "
     "to help with something this small.",
     "If they are busy, on the phone or walking fast, let them pass."),
    ("coffee-refill-discount", E, 2, "Ask for a small discount on a coffee",
     "At the counter, ask plainly: \"Is there any chance of a little discount today?\" "
     "Then wait quietly for the answer.",
     "Staff may have no say over prices. Accept the answer with a thank-you and pay in full."),
    ("restaurant-tour", E, 3, "Ask to see a restaurant's kitchen",
     "At a quiet time, ask whether you could have a quick look at where the food is made.",
     "Kitchens have hygiene and safety rules. A no is entirely reasonable."),
    ("store-recommendation", E, 1, "Ask a shop assistant for their personal favourite",
     "Ask which item in the shop they would pick for themselves, and why.",
     "Keep it short if there is a queue behind you."),
    ("return-without-receipt", E, 4, "Ask to exchange something without the receipt",
     "Explain simply what happened and ask whether an exchange is possible.",
     "Shops have return policies; staff may not be allowed to bend them."),
    ("upgrade-seat", E, 5, "Ask for a free upgrade",
     "At a hotel desk, cinema or on a train, ask whether a better seat or room is free today.",
     "Ask once, politely, and take the answer as final."),
    ("compliment-stranger", S, 2, "Give a stranger a sincere compliment",
     "Notice something you genuinely like (a coat, a dog, a choice of book) and say so, "
     "then move on without expecting a conversation.",
     "Compliment choices, not bodies. If they seem uncomfortable, wish them a good day."),
    ("join-conversation", S, 5, "Ask to join a group's conversation",
     "At a meetup or event, ask a small group: \"Mind if I join you?\"",
     "If the group is having a private moment, find another one."),
    ("invite-coworker-lunch", S, 3, "Invite someone to lunch or coffee",
     "Ask a colleague or acquaintance you rarely talk to whether they would like to get "
     "lunch this week.",
     "Busy is a complete answer. Do not ask again if they decline twice."),
    ("ask-for-photo", S, 2, "Ask someone to take your photo",
     "In a public place, hand over your phone and ask a passer-by for a quick picture.",
     "Choose someone standing still, not someone hurrying past."),
    ("sing-request", S, 6, "Ask to sing with a street musician",
     "Between songs, ask a busker whether you could join in for one chorus.",
     "It is their stage and their income. Drop a coin in either way."),
    ("host-game-night", S, 4, "Invite people to something you host",
     "Ask three people to a small game night or walk you are organising.",
     "Make it easy to say no: \"No pressure at all if you can't.\""),
    ("ask-for-feedback", C, 3, "Ask a colleague for honest feedback",
     "Pick one piece of your work and ask: \"What is one thing I could do better here?\"",
     "They may not have time now; offer to ask later instead."),
    ("ask-for-intro", C, 5, "Ask for an introduction",
     "Ask someone in your network to introduce you to a person you would like to learn from.",
     "Give them an easy way out; an introduction spends their goodwill."),
    ("cold-email-expert", C, 6, "Email someone you admire for advice",
     "Write four or five sentences: who you are, one specific question, and thanks.",
     "Expect silence sometimes. Never follow up more than once."),
    ("ask-for-raise", C, 9, "Ask for a raise",
     "Prepare what you have contributed, pick a calm moment, and ask clearly for a number.",
     "Your manager may be bound by budgets. A no today can still start a useful conversation."),
    ("apply-stretch-job", C, 7, "Apply for a job you are half-qualified for",
     "Find a role that excites you and send a genuine application even if you do not tick "
     "every box.",
     "Respect the process; do not contact the hiring team repeatedly."),
    ("speak-in-meeting", C, 4, "Offer an idea first in a meeting",
     "Prepare one suggestion in advance and say it early, before you can talk yourself out "
     "of it.",
     "Leave room for others to disagree; that is part of the exercise."),
    ("share-creative-work", K, 3, "Show a friend something you made",
     "Share a drawing, a poem, a song or a photo and ask what they think.",
     "They do not owe you praise. Thank them for their time either way."),
    ("pitch-article", K, 7, "Pitch an article or talk",
     "Send a short pitch to a blog, magazine, podcast or meetup you like.",
     "Editors receive many pitches. Silence is a normal answer."),
    ("open-mic", K, 8, "Sign up for an open mic",
     "Put your name on the list for a comedy, music or poetry open mic.",
     "Respect the host's time limits and the other performers."),
    ("ask-to-display", K, 6, "Ask a café to display your work",
     "Bring a few samples and ask whether they ever show local artists' work.",
     "They may have a waiting list or a policy; take a no graciously."),
    ("ask-number", R, 7, "Ask someone you like for their number",
     "After a real, friendly conversation, ask whether they would like to swap numbers.",
     "Ask once. If the answer is no, or unclear, say thanks and leave it there."),
    ("ask-on-date", R, 8, "Ask someone on a date",
     "Be specific and light: a place, a day, and an easy way to decline.",
     "Never at their workplace while they are working, and never twice after a no."),
    ("say-how-you-feel", R, 9, "Tell someone you have feelings for them",
     "Choose a private, unhurried moment and say it simply, without asking for anything.",
     "Their feelings are their own. Whatever they answer, thank them for listening."),
    ("compliment-partner-friend", R, 2, "Suggest a new plan to your partner or a friend",
     "Propose an activity you have never done together and see how they react.",
     "A no to the plan is not a no to you."),
    ("volunteer-ask", M, 3, "Offer to help at a local event",
     "Ask the organisers of a community event whether they need an extra pair of hands.",
     "They may already have enough people; offer your contact details and leave it at that."),
    ("neighbour-borrow", M, 2, "Ask a neighbour to borrow something",
     "Knock and ask to borrow a small tool or ingredient. Return it promptly with thanks.",
     "Ask for something that costs them little, and accept a no without explanation."),
    ("petition-local", M, 6, "Ask the council or building manager for an improvement",
     "Write or call with one concrete suggestion: a bench, a bike rack, a repair.",
     "Officials work within rules and budgets. Be patient and courteous."),
    ("start-club", M, 7, "Invite people to start a club with you",
     "Put up a notice or post in a local group inviting others to a book, running or "
     "repair club.",
     "Keep it open and low-pressure; nobody should feel obliged to join."),
)


def library_uuid(slug: str) -> str:
    return str(uuid.uuid5(LIBRARY_NAMESPACE, slug))


def builtin_challenges() -> tuple[ChallengeRecord, ...]:
    return tuple(
        ChallengeRecord(
            uuid=library_uuid(slug),
            title=title,
            category=category,
            level=level,
            how_to=how_to,
            respect_note=respect,
        )
        for slug, category, level, title, how_to, respect in _LIBRARY
    )
