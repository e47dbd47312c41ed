"""Asking to save check-ins and goals: the consent texts, their Agree / No thanks button families
(each keeps the id format it has always posted) and the replies to a member who declined."""

from __future__ import annotations

from typing import Any, Literal

import discord

from bot.core.checkins import (
    K_MIN,
)
from bot.i18n import N_, _
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_INFO

CONSENT_TEXT = {
    "checkin": N_(
        "Save your check-in answers (and any notes) for this server? Only you see them; "
        "facilitators see group figures only when {k} or more people answered.\n"
        "Which sessions you join is kept either way, so facilitators know who came.\n"
        "/mydata shows what's stored, /forget deletes it; check-ins go after a year.\n\n"
        "**No thanks**: nothing about your mood is stored, I won't ask again, and you still "
        "take part in everything."
    ),
    "goal": N_(
        "Save your personal goals and how you rate them, for this server? Only you see them; "
        "facilitators see counts only when {k} or more people answered.\n"
        "/mydata shows what's stored, /forget deletes it. One choice covers goals and "
        "check-ins; /checkin consent changes it.\n\n"
        "**No thanks**: no goal is stored, and you still take part in everything."
    ),
}


CONSENT_NOW = {
    "agreed": N_("Right now saving is **on** for you."),
    "declined": N_("Right now saving is **off** for you (you chose No thanks)."),
}


def consent_embed(
    context: Literal["checkin", "goal"] = "checkin",
    title: str | None = None,
    current: str | None = None,
    *,
    locale: str,
) -> discord.Embed:
    """The short consent explanation for a check-in or a goal (one stored choice for both)."""
    text = _(CONSENT_TEXT[context], locale, k=K_MIN)
    if current in CONSENT_NOW:
        text = _(CONSENT_NOW[current], locale) + "\n\n" + text
    default = (
        _("Before your first goal", locale)
        if context == "goal"
        else _("Before your first check-in", locale)
    )
    return discord.Embed(title=title or default, colour=COLOUR_INFO, description=text)


CONSENT_AGAIN = {
    "checkin": N_(
        "Your answer is waiting for one choice: may Chorus save your check-ins for this "
        "server? The explanation is in my earlier reply (and in /checkin consent)."
    ),
    "goal": N_(
        "Your goal is waiting for one choice: may Chorus save your personal goals for this "
        "server? The explanation is in my earlier reply (and in /checkin consent)."
    ),
}
"""A second press before choosing: the question again, briefly, not the same prompt twice."""


def consent_again_embed(
    context: Literal["checkin", "goal"] = "checkin", *, locale: str
) -> discord.Embed:
    """A second press before choosing: the consent question again, briefly, in ``locale``."""
    return discord.Embed(
        title=(
            _("Saving your goals?", locale)
            if context == "goal"
            else _("Saving your check-ins?", locale)
        ),
        colour=COLOUR_INFO,
        description=_(CONSENT_AGAIN[context], locale),
    )


class ConsentButton(TypedButton):
    """Agree (`answer` "yes") or No thanks ("no") to saving check-ins; a base of the three
    families below, one per place that asks (each keeps the id format it has always posted)."""

    answer: str

    @property
    def agreed(self) -> bool:
        """True for Agree, False for No thanks."""
        return self.answer == "yes"


class ConsentCommandButton(ConsentButton, spec="chorus:consent:{answer:yesno}:cmd"):
    """From /checkin consent: just the choice."""


class ConsentNowButton(ConsentButton):
    """From /checkin now: the choice, then the waiting answer `value` on `scale`; a base of the
    four families below (a new answer or one replacing check-in `replace_id`, each with one or
    two values). Each keeps the id format it has always posted, "new" or "r<check-in id>"."""

    scale: str
    value: int
    value2: int | None = None
    replace_id: int | None = None


class ConsentNowNewButton(
    ConsentNowButton, spec="chorus:consent:{answer:yesno}:now:{scale}:new:{value:int}"
):
    """A new answer waiting (or the first half of a two-part one)."""


class ConsentNowNewPairButton(
    ConsentNowButton,
    spec="chorus:consent:{answer:yesno}:now:{scale}:new:{value:int}:{value2:int}",
):
    """A new two-part answer waiting."""


class ConsentNowReplaceButton(
    ConsentNowButton,
    spec="chorus:consent:{answer:yesno}:now:{scale}:r{replace_id:int}:{value:int}",
):
    """An answer waiting that replaces check-in `replace_id`."""


class ConsentNowReplacePairButton(
    ConsentNowButton,
    spec="chorus:consent:{answer:yesno}:now:{scale}:r{replace_id:int}:{value:int}:{value2:int}",
):
    """A two-part answer waiting that replaces check-in `replace_id`."""


# The /checkin now consent families, in registration order.
CONSENT_NOW_FAMILIES: tuple[type[ConsentNowButton], ...] = (
    ConsentNowNewButton,
    ConsentNowNewPairButton,
    ConsentNowReplaceButton,
    ConsentNowReplacePairButton,
)


class ConsentStepButton(
    ConsentButton, spec="chorus:consent:{answer:yesno}:{run_id:int}:{step_index:int}:{value:int}"
):
    """From a check-in step: the choice, then the waiting answer `value` to that step."""

    run_id: int
    step_index: int
    value: int
    value2: int | None = None


class ConsentStepPairButton(
    ConsentStepButton,
    spec="chorus:consent:{answer:yesno}:{run_id:int}:{step_index:int}:{value:int}:{value2:int}",
):
    """From a check-in step with a two-part answer waiting."""


def consent_command_view(locale: str) -> discord.ui.View:
    """Agree / No thanks for /checkin consent."""
    return persistent_view(
        ConsentCommandButton.button(
            _("Agree", locale), answer="yes", style=discord.ButtonStyle.success
        ),
        ConsentCommandButton.button(_("No thanks", locale), answer="no"),
    )


def consent_now_view(
    scale: str, replace_id: int | None, value: int, value2: int | None, locale: str
) -> discord.ui.View:
    """Agree / No thanks for /checkin now, carrying the answer. The value rides on No thanks
    too (without its second half): a low answer gets the support message either way."""
    at: dict[str, Any] = {"scale": scale, "value": value}
    single: type[ConsentNowButton] = ConsentNowNewButton
    pair: type[ConsentNowButton] = ConsentNowNewPairButton
    if replace_id is not None:
        at["replace_id"] = replace_id
        single, pair = ConsentNowReplaceButton, ConsentNowReplacePairButton
    agree_label = _("Agree", locale)
    agree = (
        single.button(agree_label, answer="yes", style=_SUCCESS, **at)
        if value2 is None
        else pair.button(agree_label, answer="yes", value2=value2, style=_SUCCESS, **at)
    )
    decline = single.button(_("No thanks", locale), answer="no", **at)
    return persistent_view(agree, decline)


def consent_step_view(
    run_id: int, step_index: int, value: int, value2: int | None, locale: str
) -> discord.ui.View:
    """Agree / No thanks at a check-in step, carrying the answer (on No thanks too, as above)."""
    at: dict[str, Any] = {"run_id": run_id, "step_index": step_index, "value": value}
    agree = (
        ConsentStepButton.button(_("Agree", locale), answer="yes", style=_SUCCESS, **at)
        if value2 is None
        else ConsentStepPairButton.button(
            _("Agree", locale), answer="yes", value2=value2, style=_SUCCESS, **at
        )
    )
    return persistent_view(
        agree, ConsentStepButton.button(_("No thanks", locale), answer="no", **at)
    )


_SUCCESS = discord.ButtonStyle.success


SAVING_OFF = N_("Saving is off for you (you chose No thanks). Change your mind: /checkin consent")


DECLINED = N_(
    "No problem: nothing about your mood was stored, and I won't ask again. You can keep "
    "taking part in everything. Change your mind any time: /checkin consent"
)


CONSENT_ON = N_(
    "🔒 Thank you: your check-ins will be saved from now on. Only you see them. "
    "/checkin consent turns it off again."
)


def consent_step_prompt(
    again: bool, run_id: int, step_index: int, value: int, value2: int | None, locale: str
) -> tuple[discord.Embed, discord.ui.View]:
    """The consent question asked before a check-in step's first saved answer (`again`: the
    member pressed a value before choosing, so the brief question), with its Agree / No thanks
    carrying the answer."""
    embed = consent_again_embed(locale=locale) if again else consent_embed(locale=locale)
    return embed, consent_step_view(run_id, step_index, value, value2, locale)


def declined_answer_text(step: bool, locale: str) -> str:
    """The reply to an answer from someone who chose No thanks: nothing was stored."""
    thanks = _("🤍 Thank you for answering. Nothing was saved.", locale)
    counted = " " + _("You're counted as taking part.", locale) if step else ""
    return f"{thanks}{counted}\n-# {_(SAVING_OFF, locale)}"
