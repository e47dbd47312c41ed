"""Discord's payload limits, in one place: every outgoing message, form and event is fitted here.

Discord refuses (HTTP 400, code 50035 "Invalid Form Body") any payload over one of these limits,
and a refused message loses everything in it (a step card, its buttons, a summary). So nothing is
sent without passing through this module: text is cut at a word boundary with a visible "…", and
what does not fit is moved to a follow-up message or an attached file, never dropped.

Sources (Discord developer documentation, fetched for API v10):

- Messages: https://discord.com/developers/docs/resources/message#create-message
  (content 2,000 characters, up to 10 embeds, file size limits).
- Embeds: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
  (title 256, description 4,096, 25 fields, field name 256, field value 1,024, footer text 2,048,
  author name 256, and 6,000 characters in total across every embed of one message).
- Components: https://discord.com/developers/docs/components/reference
  (5 action rows, 5 buttons a row, custom_id 100, button label 80, select: 25 options, option
  label / value / description 100, placeholder 150; text input label 45 (legacy), placeholder
  100, value 4,000; label component text 45, description 100; text display 4,000).
- Modals: https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-modal
  (title 45, up to 5 top-level components).
- Autocomplete: https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-autocomplete
  (up to 25 choices; https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure
  gives choice name and string value 100).
- Application commands: https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-structure
  (name 32, description 100, 25 options, 25 choices; 4,000 characters per command in total).
- Scheduled events: https://discord.com/developers/docs/resources/guild-scheduled-event#create-guild-scheduled-event
  (name 1-100, description 1-1,000; entity_metadata.location 1-100).
- Attachment file names: https://discord.com/developers/docs/reference#uploading-files
  (a name starting ``SPOILER_`` is shown blurred; Discord rewrites characters outside ASCII
  letters, digits, ``.``, ``_`` and ``-``, so Chorus writes only those: ``file_name``).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from bot.core.text import shorten

# ---------------------------------------------------------------- messages
CONTENT = 2000
"""Message content. https://discord.com/developers/docs/resources/message#create-message"""
EMBEDS_PER_MESSAGE = 10
"""Embeds in one message. https://discord.com/developers/docs/resources/message#create-message"""
ATTACHMENTS = 10
"""Files in one message. https://discord.com/developers/docs/resources/message#create-message"""
ATTACHMENT_BYTES = 10 * 1024 * 1024
"""The smallest upload limit (servers without boosts).
https://discord.com/developers/docs/reference#uploading-files"""

FILE_NAME = 64
"""Characters in an attachment's file name, extension included (Chorus's own cap: Discord
documents none, and a long name is cut in every client's attachment preview)."""
FILE_NAME_RULE = re.compile(r"^(?!SPOILER_)[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9]+)+$")
"""What an attachment's name Chorus makes looks like: ASCII letters, digits, ``_`` and ``-``,
then its extension; never ``SPOILER_`` (Discord would blur the file)."""

# ---------------------------------------------------------------- embeds
# https://discord.com/developers/docs/resources/message#embed-object-embed-limits
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
"""Summed over title, description, field names and values, footer text and author name of
*every* embed in one message."""

# ---------------------------------------------------------------- components
# https://discord.com/developers/docs/components/reference
ACTION_ROWS = 5
BUTTONS_PER_ROW = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
SELECT_OPTIONS = 25
OPTION_LABEL = 100
OPTION_VALUE = 100
OPTION_DESCRIPTION = 100
SELECT_PLACEHOLDER = 150
TEXT_INPUT_LABEL = 45
TEXT_INPUT_PLACEHOLDER = 100
TEXT_INPUT_VALUE = 4000
LABEL_TEXT = 45
LABEL_DESCRIPTION = 100
TEXT_DISPLAY = 4000

# ---------------------------------------------------------------- modals
# https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-modal
MODAL_TITLE = 45
MODAL_COMPONENTS = 5

# ---------------------------------------------------------------- autocomplete and commands
# https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-autocomplete
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
# https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-structure
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
COMMAND_TOTAL = 4000

# ---------------------------------------------------------------- scheduled events
# https://discord.com/developers/docs/resources/guild-scheduled-event#create-guild-scheduled-event
EVENT_NAME = 100
EVENT_DESCRIPTION = 1000
EVENT_LOCATION = 100


def cut(text: str, limit: int) -> str:
    """`text` if it fits, else its longest prefix ending at a word boundary, plus "…".

    When the last boundary is in the first half (one very long word), the word itself is cut,
    still with the "…" so the cut is visible."""
    return shorten(text, max(0, limit))


def pieces(text: str, limit: int) -> list[str]:
    """`text` split into parts of at most `limit` characters, at line or word boundaries."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        head = rest[: limit + 1]
        boundary = head.rfind("\n")
        if boundary < limit // 2:
            boundary = head.rfind(" ")
        if boundary < limit // 2:
            boundary = limit
        parts.append(rest[:boundary].rstrip())
        rest = rest[boundary:].lstrip("\n ")
    if rest or not parts:
        parts.append(rest)
    return parts


# ---------------------------------------------------------------- embeds


def embed_length(embed: discord.Embed) -> int:
    """The characters Discord counts towards the 6,000 across a message's embeds."""
    total = len(embed.title or "") + len(embed.description or "")
    total += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    total += len(embed.footer.text or "") + len(embed.author.name or "")
    return total


def _fit_one(embed: discord.Embed, overflow: list[str]) -> discord.Embed:
    """Each part of one embed within its own limit; whatever was cut goes to `overflow`."""
    fitted = discord.Embed.from_dict(embed.to_dict())
    if fitted.title and len(fitted.title) > EMBED_TITLE:
        overflow.append(fitted.title)
        fitted.title = cut(fitted.title, EMBED_TITLE)
    if fitted.description and len(fitted.description) > EMBED_DESCRIPTION:
        overflow.append(fitted.description)
        fitted.description = cut(fitted.description, EMBED_DESCRIPTION)
    if fitted.author.name and len(fitted.author.name) > AUTHOR_NAME:
        fitted.set_author(
            name=cut(fitted.author.name, AUTHOR_NAME),
            url=fitted.author.url,
            icon_url=fitted.author.icon_url,
        )
    if fitted.footer.text and len(fitted.footer.text) > FOOTER_TEXT:
        overflow.append(fitted.footer.text)
        fitted.set_footer(
            text=cut(fitted.footer.text, FOOTER_TEXT), icon_url=fitted.footer.icon_url
        )
    fields = list(fitted.fields)
    fitted.clear_fields()
    for index, item in enumerate(fields):
        name, value = item.name or "\u200b", item.value or "\u200b"
        if index >= EMBED_FIELDS:
            overflow.append(f"{name}\n{value}")
            continue
        if len(value) > FIELD_VALUE:
            overflow.append(f"{name}\n{value}")
        fitted.add_field(
            name=cut(name, FIELD_NAME), value=cut(value, FIELD_VALUE), inline=bool(item.inline)
        )
    return fitted


def _shrink_total(embeds: list[discord.Embed], overflow: list[str]) -> None:
    """Cut the longest texts until the message's embeds hold 6,000 characters at most."""
    while (excess := sum(embed_length(e) for e in embeds) - EMBED_TOTAL) > 0:
        # The biggest piece of text gives way first: it is usually the one that is "more".
        candidates: list[tuple[int, int, str]] = []
        for index, embed in enumerate(embeds):
            candidates.append((len(embed.description or ""), index, "description"))
            for position, item in enumerate(embed.fields):
                candidates.append((len(item.value or ""), index, f"field{position}"))
        size, index, where = max(candidates)
        if size <= 1:
            # Nothing long left to cut: drop trailing fields and embeds (moved to overflow).
            last = embeds[-1]
            if last.fields:
                gone = last.fields[-1]
                overflow.append(f"{gone.name}\n{gone.value}")
                last.remove_field(len(last.fields) - 1)
            else:
                overflow.append(last.description or last.title or "")
                embeds.pop()
            continue
        embed = embeds[index]
        target = max(1, size - excess)
        if where == "description":
            text = embed.description or ""
            overflow.append(text)
            embed.description = cut(text, target)
        else:
            position = int(where.removeprefix("field"))
            item = embed.fields[position]
            overflow.append(f"{item.name}\n{item.value}")
            embed.set_field_at(
                position,
                name=item.name or "\u200b",
                value=cut(item.value or "", target) or "…",
                inline=bool(item.inline),
            )


@dataclass
class Fitted:
    """A message fitted to Discord's limits, and the text that had to move out of it."""

    content: str | None
    embeds: list[discord.Embed]
    overflow: list[str] = field(default_factory=list)


def fit_message(content: str | None, embeds: Sequence[discord.Embed]) -> Fitted:
    """The content and embeds of one message within every message and embed limit.

    Cut text is kept whole in `overflow`, for `overflow_file`.
    """
    overflow: list[str] = []
    if content is not None and len(content) > CONTENT:
        overflow.append(content)
        content = cut(content, CONTENT)
    fitted = [_fit_one(e, overflow) for e in embeds]
    while len(fitted) > EMBEDS_PER_MESSAGE:
        extra = fitted.pop()
        overflow.append(embed_text(extra))
    _shrink_total(fitted, overflow)
    return Fitted(content, fitted, overflow)


def embed_text(embed: discord.Embed) -> str:
    """An embed as plain text (for a file or a follow-up message)."""
    parts = [embed.author.name or "", embed.title or "", embed.description or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    parts.append(embed.footer.text or "")
    return "\n\n".join(p for p in parts if p)


def overflow_file(texts: Sequence[str], name: str) -> discord.File:
    """The cut texts, whole, as a text file named `name` attached to a message (the caller
    names it in the reader's language: `bot.ui.file_names.full_text_name`)."""
    body = "\n\n".join(t for t in texts if t).encode("utf-8")
    return discord.File(io.BytesIO(body), filename=name)


_FOLDED = str.maketrans({"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"})


def file_name(stem: str, extension: str, fallback: str = "chorus") -> str:
    """An attachment's name from words of any language, folded to ASCII:
    ``("Stimmungsbänder vorher/nachher", "png")`` -> ``"stimmungsbander-vorher-nachher.png"``.

    Accents are dropped (Unicode NFKD; the same rule for every language, so Spanish "ü" is
    not written "ue"), ``ß`` -> ``ss``; anything else but letters and digits -> ``-``; lower
    case; at most ``FILE_NAME`` characters; ``fallback`` when nothing is left (a title in
    Greek or only emoji). The result matches ``FILE_NAME_RULE``."""
    room = FILE_NAME - len(extension) - 1
    slug = _folded(stem)[:room].rstrip("-") or _folded(fallback)[:room].rstrip("-") or "chorus"
    return f"{slug}.{extension}"


def _folded(words: str) -> str:
    decomposed = unicodedata.normalize("NFKD", words.translate(_FOLDED))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def fit_content(content: str, name: str) -> tuple[str, discord.File | None]:
    """A reply's text within the content limit; when cut, the whole text as a file named
    `name` to attach."""
    if len(content) <= CONTENT:
        return content, None
    return cut(content, CONTENT), overflow_file([content], name)


# ---------------------------------------------------------------- forms and components


@dataclass(frozen=True, slots=True)
class Fitter:
    """A text fitted to one of Discord's limits: at most `limit` characters, cut at a word
    boundary with "…" (`cut`); `one_line` first folds every run of white space, newlines too,
    into one space (labels, titles and names are shown on one line)."""

    limit: int
    one_line: bool = True

    def __call__(self, text: str) -> str:
        """`text` fitted: at most `limit` characters."""
        return cut(" ".join(text.split()) if self.one_line else text, self.limit)


label = Fitter(LABEL_TEXT)
"""A modal `Label`'s text (or a legacy text input's label), 45 characters."""
modal_title = Fitter(MODAL_TITLE)
"""A modal's title, 45 characters."""
placeholder = Fitter(TEXT_INPUT_PLACEHOLDER, one_line=False)
"""A text input's placeholder, 100 characters."""
button_label = Fitter(BUTTON_LABEL)
"""A button's label, 80 characters."""
option_text = Fitter(OPTION_LABEL)
"""A select option's label or description, 100 characters."""
select_placeholder = Fitter(SELECT_PLACEHOLDER, one_line=False)
"""A select's placeholder, 150 characters."""
choice_name = Fitter(CHOICE_NAME)
"""An autocomplete choice's name, 100 characters."""
event_name = Fitter(EVENT_NAME)
"""A scheduled event's name, 100 characters."""
event_description = Fitter(EVENT_DESCRIPTION, one_line=False)
"""A scheduled event's description, 1,000 characters."""
event_location = Fitter(EVENT_LOCATION, one_line=False)
"""A scheduled event's location, 100 characters."""
