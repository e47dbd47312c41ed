"""Check-in messages: scale buttons, the private answer reply, consent, care, and the reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import discord

from bot.core.activities import Scale, localize
from bot.core.checkin_saved import Saved
from bot.core.checkins import describe_value, scale_of
from bot.core.steps.checkin import Anchors
from bot.core.text import shorten
from bot.i18n import N_, _
from bot.ui.checkin_consent import declined_answer_text
from bot.ui.components import TypedButton, persistent_view
from bot.ui.form_ids import FormId
from bot.ui.format import COLOUR_INFO, sentence


def scale_hint(scale: Scale, anchors: Anchors | None = None, *, locale: str) -> str:
    """One line saying how to read the scale (the activity's anchors in ``locale``)."""
    if scale.kind == "0-10":
        low = localize(anchors.low, locale) if anchors else _("very low", locale)
        high = localize(anchors.high, locale) if anchors else _("very good", locale)
        return f"0 = {low}, 10 = {high}."
    if scale.kind == "sam":
        return _(
            "Two quick choices: first how **pleasant** you feel (1 very unpleasant to 9 very "
            "pleasant), then how much **energy** you have (1 very calm to 9 very activated).",
            locale,
        )
    if scale.kind == "1-5":
        return _("Pick the face that fits best.", locale)
    return _("Pick the option that fits best.", locale)


def scale_buttons(
    scale: Scale,
    family: type[TypedButton],
    fields: Mapping[str, object],
    *,
    field: str = "value",
    dimension: str = "valence",
    start_row: int = 0,
    locale: str,
) -> list[TypedButton]:
    """The scale's answers as buttons of `family`, 5 to a row (Discord's limit): each button's
    `field` is its option's value, the other `fields` are the same on every button.

    0-10 takes rows 0-4, 5-9 and then 10 alone, where the step's Pass button joins it.
    """
    options = scale.options(locale, dimension=dimension)
    per_row = 5
    items: list[TypedButton] = []
    for index, option in enumerate(options):
        values: dict[str, Any] = {**fields, field: option.value}
        items.append(
            family.button(
                option.label,
                emoji=option.emoji,
                style=discord.ButtonStyle.primary,
                row=start_row + index // per_row,
                **values,
            )
        )
    return items


# ------------------------------------------------------------------------- /checkin now
# One family per id format posted since /checkin now began; `new` answers a fresh check-in,
# `r<id>` replaces check-in <id> (after Change), a second value is a two-part (sam) answer.


class NowAnswer(TypedButton):
    """An answer to /checkin now on the scale named `scale` ("0-10", "1-5" or "sam")."""

    scale: str
    value: int
    value2: int | None = None
    replace_id: int | None = None


class NowNewButton(NowAnswer, spec="chorus:checkin_now:{scale}:new:{value:int}"):
    """A first answer (or the first half of a two-part one)."""


class NowNewPairButton(NowAnswer, spec="chorus:checkin_now:{scale}:new:{value:int}:{value2:int}"):
    """The second half of a two-part answer."""


class NowReplaceButton(NowAnswer, spec="chorus:checkin_now:{scale}:r{replace_id:int}:{value:int}"):
    """A changed answer that replaces check-in `replace_id`."""


class NowReplacePairButton(
    NowAnswer, spec="chorus:checkin_now:{scale}:r{replace_id:int}:{value:int}:{value2:int}"
):
    """The second half of a changed two-part answer."""


class NowChangeButton(TypedButton, spec="chorus:checkin_now:{scale}:change:{checkin_id:int}"):
    """Change: asks again, and the next answer replaces check-in `checkin_id`."""

    scale: str
    checkin_id: int


def now_buttons(scale_name: str, replace_id: int | None, locale: str) -> list[TypedButton]:
    """The scale's buttons for /checkin now (the first half of a two-part scale)."""
    scale = scale_of(scale_name)
    if replace_id is None:
        return scale_buttons(scale, NowNewButton, {"scale": scale_name}, locale=locale)
    return scale_buttons(
        scale, NowReplaceButton, {"scale": scale_name, "replace_id": replace_id}, locale=locale
    )


def now_prompt(
    scale_name: str, replace_id: int | None, locale: str
) -> tuple[discord.Embed, discord.ui.View]:
    """/checkin now's question and scale; the answer replaces check-in `replace_id` if given.

    Raises InvalidInput for a scale name that isn't built in."""
    embed = discord.Embed(
        title=_("How are you right now?", locale),
        colour=COLOUR_INFO,
        description=scale_hint(scale_of(scale_name), locale=locale)
        + "\n"
        + _("🔒 Only you see your answer, unless you choose to share it.", locale),
    )
    return embed, persistent_view(*now_buttons(scale_name, replace_id, locale))


def now_second_view(
    scale_name: str, replace_id: int | None, value: int, locale: str
) -> discord.ui.View:
    """The energy half of a two-part /checkin now answer, after its first `value`."""
    if replace_id is None:
        return sam_second_view(NowNewPairButton, {"scale": scale_name, "value": value}, locale)
    return sam_second_view(
        NowReplacePairButton,
        {"scale": scale_name, "replace_id": replace_id, "value": value},
        locale,
    )


# --------------------------------------------------------------------------- the answer


def answer_text(
    scale: Scale,
    value: int | None,
    value2: int | None,
    *,
    anonymous: bool,
    replaced: bool,
    step: bool,
    locale: str,
) -> str:
    """The private reply to a check-in answer of `value` (and `value2` for a two-part scale; None
    when passed) in ``locale``: whether it was saved, replaced or anonymous, and, at a `step`, that
    the member is counted as taking part."""
    if value is None:
        passed = _("🤍 You passed on this check-in. That's completely fine.", locale)
        if step:
            still = _(
                "While the check-in is open, you can still answer by pressing a value on it.",
                locale,
            )
            return f"{passed} {still}"
        return passed
    answer = describe_value(scale, value, value2, locale=locale)
    if anonymous:
        return _(
            "🔒 Thank you: **{answer}**, saved anonymously. Nothing links it to you, "
            "so it can't be changed or shown to you later.",
            locale,
            answer=answer,
        )
    change = (
        _("Changed your mind? While the check-in is open, press another value on it.", locale)
        if step
        else _("Changed your mind? Press **Change** below.", locale)
    )
    saved = (
        _("🔒 Your answer is updated: **{answer}**. Only you can see it.", locale, answer=answer)
        if replaced
        else _("🔒 Your answer is saved: **{answer}**. Only you can see it.", locale, answer=answer)
    )
    return f"{saved}\n{change}"


@dataclass(frozen=True)
class NoteFormId(FormId, spec="chorus:form_note:{checkin_id:int}"):
    """The id of the note form of one check-in answer (opened by its `NoteButton`)."""

    checkin_id: int


class NoteButton(TypedButton, spec="chorus:checkin_note:{checkin_id:int}"):
    """Add a private note to check-in `checkin_id`."""

    checkin_id: int


class ShareButton(TypedButton, spec="chorus:checkin_share:{checkin_id:int}"):
    """Share check-in `checkin_id` (not its note) with the group."""

    checkin_id: int


def answer_view(
    checkin_id: int,
    *,
    note: bool,
    share: bool,
    change: str | None = None,
    locale: str,
) -> discord.ui.View | None:
    """Under a saved answer: Add a note, Share, and (for /checkin now, `change` being the
    scale's name) Change."""
    items: list[TypedButton] = []
    if note:
        items.append(NoteButton.button(_("Add a note", locale), checkin_id=checkin_id, emoji="📝"))
    if share:
        items.append(
            ShareButton.button(_("Share with the group", locale), checkin_id=checkin_id, emoji="📣")
        )
    if change is not None:
        items.append(
            NowChangeButton.button(_("Change", locale), scale=change, checkin_id=checkin_id)
        )
    return persistent_view(*items) if items else None


def sam_second_view(
    family: type[TypedButton], fields: Mapping[str, object], locale: str
) -> discord.ui.View:
    """The energy half of a two-part (sam) answer: buttons of `family` (a pair family), each
    setting its `value2`; `fields` are the first half's."""
    scale = Scale.model_validate("sam")
    return persistent_view(
        *scale_buttons(scale, family, fields, field="value2", dimension="arousal", locale=locale)
    )


SAM_SECOND = N_(
    "Thank you. And how much **energy** do you have right now? (1 very calm, 9 very activated)"
)


def shared_post(name: str, scale: Scale, value: int | None, value2: int | None, locale: str) -> str:
    """A shared check-in as the group sees it (``locale``: the server's language)."""
    return shorten(
        sentence(
            _(
                "📣 **{name}** shared their check-in: **{answer}**",
                locale,
                name=name,
                answer=describe_value(scale, value, value2, locale=locale),
            )
        ),
        1900,
    )


# ------------------------------------------------------------------------------ consent


# --------------------------------------------------------------------------------- care


# -------------------------------------------------------------------------------- history


# --------------------------------------------------------------------------------- report


# --------------------------------------------------------------------------------- trends


def answer_reply(
    saved: Saved,
    scale: Scale,
    *,
    step: bool,
    note: bool,
    share: bool,
    change: str | None,
    locale: str,
) -> tuple[str, discord.ui.View | None]:
    """The private reply to an answer and its buttons (`answer_text`, `answer_view`: none under
    an anonymous answer), in ``locale``; from a member who chose No thanks, that nothing was
    saved (`declined_answer_text`, no buttons). `step`: answered at a session's step."""
    if saved.declined:
        return declined_answer_text(step, locale), None
    record = saved.record
    text = answer_text(
        scale,
        None if saved.passed else (record.value if record else None),
        record.value2 if record else None,
        anonymous=saved.anonymous,
        replaced=saved.replaced,
        step=step,
        locale=locale,
    )
    view = (
        answer_view(record.id, note=note, share=share, change=change, locale=locale)
        if record is not None and not saved.anonymous
        else None
    )
    return text, view
