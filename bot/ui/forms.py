"""Forms (modals) answered by a stable custom_id, whatever time the member took, restart or not.

discord.py keeps a sent `Modal` in process memory until its timeout and routes the submission to
that object; a member who writes for longer than the timeout, or across a bot restart, would
reach nobody ("This interaction failed") and lose what they wrote. Chorus does it the other way:

- a form's custom_id is built by its typed family (`bot/ui/form_ids.py`, the same shape as the
  persistent buttons) and carries everything needed to handle it;
- each feature registers one handler per family at start-up (`ChorusBot.register_form`), which
  gets the parsed, typed id;
- the form object is stopped before it is sent, so discord.py never stores it (its
  `send_modal` stores only unfinished modals): nothing is held in memory per open form;
- `route_form` (an `on_interaction` listener) reads the submitted values from the interaction
  and calls the handler of the family the id parses as; an id no family parses (malformed, a
  form since removed, not Chorus's) is refused privately, the words given back;
- when the handler refuses (the step ended, the line no longer fits), the member is answered
  privately with the reason and everything they typed, in full, so they can keep it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import discord

from bot.i18n import N_, _
from bot.ui import limits
from bot.ui.components import ANY_CHORUS_ID
from bot.ui.errors import http_error, is_expected, message_for
from bot.ui.file_names import YOUR_WORDS, attachment_name
from bot.ui.form_ids import FormId
from bot.ui.locale import member_language

log = logging.getLogger("chorus.forms")
NONE = discord.AllowedMentions.none()


@dataclass(frozen=True)
class FormValues:
    """What a member submitted: text inputs by custom_id, checkboxes by custom_id."""

    texts: dict[str, str] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)

    def text(self, key: str, default: str = "") -> str:
        """The text typed in the input `key`, or `default` when the form had none."""
        return self.texts.get(key, default)

    def flag(self, key: str, default: bool = False) -> bool:
        """Whether the checkbox `key` was ticked, or `default` when the form had none."""
        return self.flags.get(key, default)

    def written(self) -> list[str]:
        """The non-empty texts, in the order of the form."""
        return [t for t in self.texts.values() if t.strip()]


Form = TypeVar("Form", bound=FormId)
FormHandler = Callable[[discord.Interaction, Form, FormValues], Awaitable[None]]
"""A family's handler: the submission, the form's typed id, what the member submitted."""
GONE = N_("This form belongs to a feature that is no longer here.")
OUT_OF_DATE = N_("This form is out of date; please open it again.")


@dataclass(frozen=True)
class FormRoute:
    handler: FormHandler[Any]
    what: str
    """What the member was writing, for the give-back reply ("your reflection")."""


class FormRouter(Protocol):
    """What `route_form` needs of the bot (`ChorusBot`): the handlers registered by family."""

    @property
    def form_handlers(self) -> Mapping[type[FormId], FormRoute]:
        """Each form family with the handler its submissions go to (registered at start-up)."""


def _walk(
    nodes: Sequence[Mapping[str, Any]], texts: dict[str, str], flags: dict[str, bool]
) -> None:
    for node in nodes:
        children = node.get("components")
        if isinstance(children, list):
            _walk(children, texts, flags)
        child = node.get("component")
        if isinstance(child, Mapping):
            _walk([child], texts, flags)
        key = node.get("custom_id")
        if not isinstance(key, str):
            continue
        value = node.get("value")
        if isinstance(value, bool):
            flags[key] = value
        elif isinstance(value, str):
            texts[key] = value
        elif value is None and isinstance(node.get("values"), list):
            texts[key] = ",".join(str(v) for v in node["values"])


def parse_submission(data: Mapping[str, Any]) -> FormValues:
    """The values of a MODAL_SUBMIT interaction's data (action rows and labels alike)."""
    texts: dict[str, str] = {}
    flags: dict[str, bool] = {}
    components = data.get("components")
    if isinstance(components, list):
        _walk(components, texts, flags)
    return FormValues(texts, flags)


class ChorusForm(discord.ui.Modal):
    """A modal whose submission is routed by its typed id (`form_id`) to its family's handler.

    Raises ValueError when the id's values don't fit its family's spec."""

    def __init__(self, title: str, form_id: FormId) -> None:
        super().__init__(title=limits.modal_title(title), custom_id=form_id.custom_id, timeout=None)

    def add_question(
        self, question: str, component: discord.ui.Item[Any], *, short_label: str
    ) -> None:
        """A question beside its input, whole: as the label when it fits (45), as the label's
        description when that fits (100), else as text shown above the input (4,000)."""
        question = " ".join(question.split())
        if len(question) <= limits.LABEL_TEXT:
            self.add_item(discord.ui.Label(text=question, component=component))
        elif len(question) <= limits.LABEL_DESCRIPTION:
            self.add_item(
                discord.ui.Label(
                    text=limits.label(short_label), description=question, component=component
                )
            )
        else:
            self.add_item(discord.ui.TextDisplay(limits.cut(question, limits.TEXT_DISPLAY)))
            self.add_item(discord.ui.Label(text=limits.label(short_label), component=component))

    def add_answer(self, question: str, short_label: str, max_chars: int, locale: str) -> None:
        """The form's required paragraph box `answer` (at most `max_chars` characters, a hint
        in ``locale``) under `question` (see `add_question`)."""
        self.add_question(question, answer_box(max_chars, locale), short_label=short_label)


def answer_box(max_chars: int, locale: str) -> discord.ui.TextInput[Any]:
    """A form's required paragraph box `answer`, at most `max_chars` characters, with a hint
    in ``locale``."""
    return discord.ui.TextInput(
        custom_id="answer",
        style=discord.TextStyle.paragraph,
        max_length=max_chars,
        required=True,
        placeholder=limits.placeholder(_("A few words are plenty.", locale)),
    )


async def send_form(interaction: discord.Interaction, form: ChorusForm) -> None:
    """Show `form`; stopped first so discord.py keeps no copy (the registry answers it)."""
    form.stop()
    await interaction.response.send_modal(form)


def give_back(
    reason: str, what: str, written: Sequence[str], locale: str
) -> tuple[str, discord.Embed | None, discord.File | None]:
    """A private reply: why it wasn't saved, and the member's words in full to keep.

    ``what`` is a catalogue text ("your line"), worded in ``locale``."""
    if not written:
        return reason, None, None
    worded = _(what, locale)
    head = _(
        "{reason}\n\n{what} wasn't saved; here it is in full, to copy and keep.",
        locale,
        reason=reason,
        what=worded[:1].upper() + worded[1:],
    )
    text = "\n\n".join(written)
    block = f"```\n{text}\n```"
    if "```" not in text and len(block) <= limits.EMBED_DESCRIPTION:
        return limits.cut(head, limits.CONTENT), discord.Embed(description=block), None
    return (
        limits.cut(head + " " + _("(attached as a file)", locale), limits.CONTENT),
        None,
        limits.overflow_file(list(written), attachment_name(YOUR_WORDS, "txt", locale)),
    )


async def _reply(
    interaction: discord.Interaction,
    content: str,
    embed: discord.Embed | None,
    file: discord.File | None,
) -> None:
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": NONE}
    if embed is not None:
        kwargs["embed"] = embed
    if file is not None:
        kwargs["file"] = file
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, **kwargs)
        else:
            await interaction.response.send_message(content, **kwargs)
    except discord.HTTPException as error:
        log.warning(
            "could not answer a form submission of %s (%s); lost: %r",
            interaction.user.id,
            http_error(error),
            content[:200],
        )


def _route(bot: FormRouter, custom_id: str) -> tuple[FormRoute, FormId] | None:
    """The handler and typed id of the family `custom_id` parses as, if any."""
    for family, route in bot.form_handlers.items():
        parsed = family.parse(custom_id)
        if parsed is not None:
            return route, parsed
    return None


def _refusal(bot: FormRouter, custom_id: str) -> str:
    """Why an id no family parses is refused: its family's id is out of date (a known area with
    other values), or the form is gone (an unknown area, or not a Chorus id at all)."""
    match = ANY_CHORUS_ID.fullmatch(custom_id)
    known = match is not None and any(f.area == match["area"] for f in bot.form_handlers)
    return OUT_OF_DATE if known else GONE


async def route_form(bot: FormRouter, interaction: discord.Interaction) -> None:
    """The one handler of every form (modal) submission (registered at start-up): the handler of
    the family its id parses as gets the typed id; any other id is refused privately with the
    member's words given back. Every modal Chorus shows is a `ChorusForm` that discord.py keeps
    no copy of, so no other handler answers a submission."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return
    data: Mapping[str, Any] = interaction.data or {}
    custom_id = str(data.get("custom_id", ""))
    values = parse_submission(data)
    found = _route(bot, custom_id)
    what = found[0].what if found is not None else N_("what you wrote")
    locale = member_language(interaction)
    try:
        if found is None:
            from bot.core.errors import UserFacingError

            raise UserFacingError(_refusal(bot, custom_id))
        route, form_id = found
        await route.handler(interaction, form_id, values)
    except Exception as error:
        reason = message_for(error, locale)
        written = [t for t in values.written() if t.strip() not in reason]
        await _reply(interaction, *give_back(reason, what, written, locale))
        if not is_expected(error):
            raise
