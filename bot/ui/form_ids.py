"""Typed form (modal) ids: one class per form family, building and parsing its own custom_id.

A discord.py `Modal` can't be a `DynamicItem` (a submission reaches the Modal object kept in
memory), so Chorus keeps no form in memory and routes a submission by its custom_id instead
(`bot/ui/forms.py`). Each family is a frozen dataclass declaring its id spec in the same field
language as the button families (`bot/ui/components.py`), so building and parsing can't drift:

    @dataclass(frozen=True)
    class RoundFormId(FormId, spec="chorus:form_round:{run_id:int}:{step_index:int}:{turn_no:int}"):
        run_id: int
        step_index: int
        turn_no: int

`RoundFormId(run_id=1, step_index=2, turn_no=3).custom_id` is ``"chorus:form_round:1:2:3"``;
`RoundFormId.parse("chorus:form_round:1:2:3")` reads it back, and gives None for any id that is
not this family's (malformed, another family's, foreign). Forms already open on members' screens
keep working because each family keeps its id format (`tests/cogs/test_forms.py` submits them
after a restart).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, Self, cast

from bot.ui import limits
from bot.ui.components import compile_spec, id_format

# Every concrete form family, in definition order; the bot refuses to start with one unhandled.
FORM_FAMILIES: list[type[FormId]] = []


class FormId:
    """Base of every form family's id; see the module docstring."""

    spec: ClassVar[str] = ""
    area: ClassVar[str] = ""
    """The id's second part (``form_round``): what older ids of the family begin with too."""
    template: ClassVar[re.Pattern[str]] = re.compile(r"(?!)")
    fields: ClassVar[tuple[tuple[str, Callable[[str], Any]], ...]] = ()

    def __init_subclass__(cls, *, spec: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if spec is None:
            return
        cls.spec = spec
        cls.area = spec.split(":")[1]
        cls.template, cls.fields = compile_spec(spec)
        FORM_FAMILIES.append(cls)

    @property
    def custom_id(self) -> str:
        """This form's id. Raises ValueError when a field's value doesn't fit the spec or the id
        would be longer than Discord's 100 characters."""
        values = {name: getattr(self, name) for name, _ in self.fields}
        text = id_format(self.spec).format(**values)
        if len(text) > limits.CUSTOM_ID or not self.template.fullmatch(text):
            raise ValueError(f"bad form id {text!r} for {type(self).__name__}")
        return text

    @classmethod
    def parse(cls, custom_id: str) -> Self | None:
        """The id of this family that `custom_id` is, or None when it is not one (malformed,
        another family's or not Chorus's)."""
        match = cls.template.fullmatch(custom_id)
        if match is None:
            return None
        values = {name: convert(match[name]) for name, convert in cls.fields}
        return cast(Callable[..., Self], cls)(**values)
