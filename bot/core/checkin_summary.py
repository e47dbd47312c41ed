"""A member's own check-in history in a few gentle sentences (/checkin history)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.checkin_figures import Answer, pairs
from bot.i18n import N_, _, format_list, ngettext

SCALE_NAMES = {"1-5": N_("the faces scale"), "sam": N_("the feeling-and-energy scale")}


def member_summary(answers: Sequence[Answer], locale: str) -> str:
    """A short, gentle text about a member's own history, in ``locale``.

    0-10 answers are summarised on their own scale; answers on other scales are only counted,
    never converted into 0-10 figures they didn't give.
    """
    if not answers:
        return _("No check-ins in this period yet. Try /checkin now whenever you like.", locale)
    ordered = sorted(answers, key=lambda a: a.created_at)
    answered = [a for a in ordered if not a.passed and a.value is not None]
    passed = sum(1 for a in ordered if a.passed)
    checked = ngettext("{count} time", "{count} times", len(answered), locale)
    if passed:
        text = _(
            "You checked in {checked} and passed {passed}.",
            locale,
            checked=checked,
            passed=ngettext("{count} time", "{count} times", passed, locale),
        )
    else:
        text = _("You checked in {checked}.", locale, checked=checked)
    ten = [a.value for a in answered if a.scale == "0-10" and a.value is not None]
    if len(ten) == 1:
        text += " " + _(
            "Your check-in on the 0-10 scale was {value} out of 10.", locale, value=ten[0]
        )
    elif ten and min(ten) == max(ten):
        text += " " + _(
            "Your check-ins on the 0-10 scale were all {value} out of 10.", locale, value=ten[0]
        )
    elif ten:
        text += " " + _(
            "Your check-ins ranged from {low} to {high} out of 10; the most recent was {last}.",
            locale,
            low=min(ten),
            high=max(ten),
            last=ten[-1],
        )
    others = []
    for key, name in SCALE_NAMES.items():
        n = sum(1 for a in answered if a.scale == key)
        if n:
            others.append(
                ngettext(
                    "{count} answer on {scale}",
                    "{count} answers on {scale}",
                    n,
                    locale,
                    scale=_(name, locale),
                )
            )
    custom = sum(1 for a in answered if a.scale not in SCALE_NAMES and a.scale != "0-10")
    if custom:
        others.append(
            ngettext("{count} answer with words", "{count} answers with words", custom, locale)
        )
    if others:
        text += " " + _("Also {others}.", locale, others=format_list(others, locale))
    own = pairs(answers)
    if own:
        ups = sum(1 for p in own if p.shift > 0)
        text += " " + ngettext(
            "Of {count} session where you checked in at the start and the end, you felt better "
            "at the end in {better}.",
            "Of {count} sessions where you checked in at the start and the end, you felt "
            "better at the end in {better}.",
            len(own),
            locale,
            better=ups,
        )
    return text
