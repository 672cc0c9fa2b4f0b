"""Copy shown in the app about safety, ethics and whether this exercise suits you.

Written by the Rejection Journal team. Kept here (pure data) so the CLI, the UI and the tests
share one source.
"""

from __future__ import annotations

NOT_THERAPY = (
    "Rejection Journal is a self-help exercise, not therapy and not a substitute for one."
)

IS_THIS_FOR_ME_TITLE = "Is this for me?"

IS_THIS_FOR_ME_HTML = f"""
<p><b>{NOT_THERAPY}</b></p>
<p>The idea is simple: make small requests where a "no" is a perfectly fine answer, notice
how you expected to feel, then notice how it actually felt. Over time most people find the
fear shrinks faster than they predicted.</p>
<h4>How to make it work</h4>
<ul>
<li><b>Climb a ladder.</b> Start with asks that feel small. Move up one step at a time, only
when the current step has become easier. No big stunts.</li>
<li><b>Predict, then compare.</b> Before you ask, write down how uncomfortable you expect to
feel and how likely a "no" is. Afterwards, write down what really happened.</li>
<li><b>Reflect.</b> In the evening, note why they might have said no. Very often it has
nothing to do with you: timing, rules, their own day.</li>
</ul>
<h4>Respect other people</h4>
<ul>
<li>Only ask where "no" is an easy, acceptable answer for the other person.</li>
<li>When someone says no, that is the end of it. Thank them and let it go; never ask the same
person for the same thing again.</li>
<li>Nothing that could embarrass, pressure, deceive or cost someone else. Staff at work have
rules to follow; be kind about it.</li>
</ul>
<h4>When to pause</h4>
<ul>
<li>If the exercise leaves you feeling more hopeless, more anxious for days, or worse about
yourself, stop for a while, take much smaller steps, or talk it through with someone you
trust.</li>
<li>If you are living with severe anxiety, depression, or thoughts of harming yourself, please
reach out to a doctor or mental-health professional first. This app cannot help in a
crisis; local emergency services and crisis lines can.</li>
</ul>
"""

ABOUT_HTML = """
<p>A private journal for rejection therapy: pick a small ask, predict how it will feel,
do it, then write down what really happened.</p>
<p>Everything stays on this computer. No account, no network.</p>
"""

CRISIS_TITLE = "If you are struggling"

#: Help ▸ If you are struggling: where to turn in a crisis.  Plain text only (no link opens
#: the network); the directory's address is shown for the user to type or write down.
CRISIS_DIRECTORY = "findahelpline.com"

CRISIS_HTML = f"""
<p>If things feel like too much right now, you don't have to carry it alone, and you don't
need a reason that seems "big enough" to reach out.</p>
<h4>If you might be in danger</h4>
<p>If you are thinking about harming yourself, or you are not safe right now, please call
your local emergency number, or go to the nearest emergency department.</p>
<h4>Talking to someone</h4>
<ul>
<li><b>A crisis line</b> in your country: trained people who listen, free and confidential,
many of them day and night, by phone, text or chat. The international directory
<b>{CRISIS_DIRECTORY}</b> lists the lines near you; your doctor or a pharmacist can also tell
you which one to call.</li>
<li><b>Your doctor</b>, or a mental-health professional: for anything that has been weighing
on you for a while.</li>
<li><b>Someone you trust</b>: a friend, a family member, a neighbour. Saying "I'm having a
hard time" is enough to start.</li>
</ul>
<p>The journal will be here whenever you want it, and a pause is never a failure. Looking
after yourself comes first.</p>
<p><i>{NOT_THERAPY} It cannot help in a crisis; the people above can.</i></p>
"""
