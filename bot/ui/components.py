"""Persistent components: typed families of buttons and selects whose ids survive a restart.

Each family is one `TypedComponent` subclass whose id spec names its fields, e.g.

    class CheckinButton(TypedButton, spec="chorus:checkin:{run_id:int}:{value:int}"):
        run_id: int
        value: int

The spec is both the template discord.py matches incoming ids against (named groups, as in
discord.py's `examples/views/dynamic_counter.py`) and the format the family builds ids with, so
building and parsing can't drift. A click reaches the handler the bot registered for the family
(`ChorusBot.register_family(CheckinButton, handler)`), which gets the typed item.

Every button and select Chorus posts is built by a family (forms have their own typed ids, in
`bot/ui/form_ids.py`, with the same spec language); `RetiredButton` answers any other `chorus:`
id (a feature since removed) politely. Ids posted by older versions keep working because each
family keeps its id format (`tests/cogs/test_posted_ids.py` clicks them after a restart).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, Protocol, Self, cast

import discord

from bot.ui import limits

# Any id Chorus posted, of a live family or a retired one: "chorus:<area>:<fields>".
ANY_CHORUS_ID = re.compile(r"chorus:(?P<area>[a-z_]+):(?P<args>[A-Za-z0-9_:.-]*)")
_NEVER = r"(?!)"  # abstract bases match no id
_FIELD = re.compile(r"\{(?P<name>[a-z_][a-z0-9_]*)(?::(?P<type>int|str|word|yesno))?\}")


def yes_or_no(text: str) -> str:
    """The converter of a `yesno` field: its text, "yes" or "no" (the template admits no other)."""
    return text


# What each field type matches in an id, and how its text becomes a value.
_FIELD_TYPES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "int": (r"-?[0-9]+", int),
    "str": (r"[A-Za-z0-9_.-]+", str),
    "word": (r"[a-z_]+", str),
    "yesno": (r"yes|no", yes_or_no),  # an Agree / No thanks answer: anything else is no id of ours
}


class ComponentRouter(Protocol):
    """What a component needs of the bot: somewhere to hand its click (`ChorusBot`)."""

    async def route_component(self, interaction: discord.Interaction, item: RoutedItem) -> None:
        """Hand a clicked typed component (`item`, its fields parsed from the custom_id) to the
        handler its family was registered with; refusals are answered privately."""


class RoutedItem(Protocol):
    """Any persistent item the router can dispatch (a typed family or the retired fallback)."""


def compile_spec(spec: str) -> tuple[re.Pattern[str], tuple[tuple[str, Callable[[str], Any]], ...]]:
    """The template and `(field, converter)` pairs of an id spec such as
    ``"chorus:vote:{run_id:int}:{step_index:int}"``.

    Raises ValueError for a spec that names a field twice or an unknown field type."""
    pattern: list[str] = ["^"]
    fields: list[tuple[str, Callable[[str], Any]]] = []
    end = 0
    for match in _FIELD.finditer(spec):
        pattern.append(re.escape(spec[end : match.start()]))
        name, kind = match["name"], match["type"] or "str"
        if any(name == seen for seen, _ in fields):
            raise ValueError(f"id spec {spec!r} names {name!r} twice")
        regex, convert = _FIELD_TYPES[kind]
        pattern.append(f"(?P<{name}>{regex})")
        fields.append((name, convert))
        end = match.end()
    pattern.append(re.escape(spec[end:]) + "$")
    return re.compile("".join(pattern)), tuple(fields)


def id_format(spec: str) -> str:
    """The `str.format` string of an id spec: its fields without their types
    (``"chorus:vote:{run_id:int}"`` -> ``"chorus:vote:{run_id}"``)."""
    return _FIELD.sub(lambda m: "{" + m["name"] + "}", spec)


# Every concrete family, in definition order; the bot registers them all as dynamic items.
FAMILIES: list[type[TypedComponent]] = []


class TypedComponent(discord.ui.DynamicItem[discord.ui.Item[Any]], template=_NEVER):
    """Base of every typed component family; see the module docstring."""

    spec: ClassVar[str] = ""
    id_format: ClassVar[str] = ""  # the spec without field types, for str.format
    fields: ClassVar[tuple[tuple[str, Callable[[str], Any]], ...]] = ()

    def __init_subclass__(cls, *, spec: str | None = None, **kwargs: Any) -> None:
        if spec is None:
            super().__init_subclass__(template=_NEVER, **kwargs)
            return
        template, fields = compile_spec(spec)
        super().__init_subclass__(template=template, **kwargs)
        cls.spec = spec
        cls.id_format = id_format(spec)
        cls.fields = fields
        FAMILIES.append(cls)

    def __init__(self, item: discord.ui.Item[Any], **values: Any) -> None:
        super().__init__(item)
        for name, _ in self.fields:
            setattr(self, name, values[name])

    @classmethod
    def custom_id_for(cls, **values: Any) -> str:
        """The id of this family's component with these field values.

        Raises ValueError naming the fields when a value is missing or not a field of this family,
        when a value doesn't fit its field, or when the id would be longer than Discord's 100
        characters."""
        names = [name for name, _ in cls.fields]
        missing = [name for name in names if name not in values]
        extra = sorted(set(values) - set(names))
        if missing or extra:
            raise ValueError(
                f"{cls.__name__} id: missing fields {missing}, unknown fields {extra}"
                f" (its fields are {names})"
            )
        text = cls.id_format.format(**{name: values[name] for name in names})
        if len(text) > limits.CUSTOM_ID or not cls.__discord_ui_compiled_template__.fullmatch(text):
            raise ValueError(f"bad custom id {text!r} for {cls.__name__}")
        return text

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """discord.py's DynamicItem hook: the family's instance for a clicked `item`, its named
        fields converted from the custom_id's `match`."""
        return cls(item, **{name: convert(match[name]) for name, convert in cls.fields})

    async def callback(self, interaction: discord.Interaction) -> None:
        """discord.py's click callback: routed through the client's
        `ComponentRouter.route_component`."""
        await cast(ComponentRouter, interaction.client).route_component(interaction, self)


class TypedButton(TypedComponent):
    """A family of buttons; build one with `Family.button(label, field=value, ...)`."""

    @classmethod
    def button(
        cls,
        label: str,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        emoji: str | None = None,
        row: int | None = None,
        disabled: bool = False,
        **values: Any,
    ) -> Self:
        """One button of this family with the field `values` in its id. Raises ValueError when a
        value is missing or doesn't fit its field, or the id would be over 100 characters."""
        inner: discord.ui.Button[Any] = discord.ui.Button(
            label=limits.button_label(label),
            custom_id=cls.custom_id_for(**values),
            style=style,
            emoji=emoji,
            row=row,
            disabled=disabled,
        )
        return cls(inner, **values)


class TypedSelect(TypedComponent):
    """A family of string selects; build one with `Family.select(options, field=value, ...)`
    (ValueError when the values don't fit the spec, as for buttons).

    The handler reads what the member chose from `item.chosen` (the options' values)."""

    @classmethod
    def select(
        cls,
        options: list[discord.SelectOption],
        *,
        placeholder: str | None = None,
        min_values: int = 1,
        max_values: int = 1,
        row: int | None = None,
        disabled: bool = False,
        **values: Any,
    ) -> Self:
        """One select of this family with the field `values` in its id; raises ValueError as
        `TypedButton.button` does."""
        inner: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=cls.custom_id_for(**values),
            placeholder=limits.select_placeholder(placeholder) if placeholder else None,
            min_values=min_values,
            max_values=max_values,
            options=options,
            row=row,
            disabled=disabled,
        )
        return cls(inner, **values)

    @property
    def chosen(self) -> list[str]:
        """The values of the options chosen in this interaction (discord.py refreshes them)."""
        item = self.item
        return list(item.values) if isinstance(item, discord.ui.Select) else []


class RetiredButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ANY_CHORUS_ID):
    """Any `chorus:` id no family claims (a button of a feature since removed): the click is
    answered with a polite private note instead of Discord's "interaction failed"."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RetiredButton:
        """discord.py's DynamicItem hook: a clicked button of a retired family, wrapped as it was
        posted."""
        return cls(cast(discord.ui.Button[Any], item))

    async def callback(self, interaction: discord.Interaction) -> None:
        """discord.py's click callback: routed like a family's; the router answers with a polite
        private note unless a live family matches the id too."""
        await cast(ComponentRouter, interaction.client).route_component(interaction, self)


def link_button(label: str, url: str, *, row: int | None = None) -> discord.ui.Button[Any]:
    """A link button to `url` (no custom id: Discord opens the link, nothing is routed)."""
    return discord.ui.Button(
        label=limits.button_label(label), url=url, style=discord.ButtonStyle.link, row=row
    )


def persistent_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A timeout-free view of dynamic items: nothing is kept in memory per message."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view
