"""Issue #24's "done means": a whole session through the real bot with the server language German
and one member whose Discord client is Spanish.

Every public message (step cards, the board, summaries, turn pings, shared answers) must be German,
the Spanish member's private replies (ephemeral answers, forms) Spanish, and nothing the bot wrote
may be English, except what members typed and the facts of the activity file that have no
translation (a recording's title, artist and credit). The other members' clients are French, a
language Chorus doesn't ship, so their private replies fall back to the server's German.

"English" is judged twice: no English catalogue text (a msgid whose German and Spanish
translations differ from it) may appear, and none of a list of common English words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import discord
import pytest
from babel.messages.pofile import read_po
from simcord.actors import MemberActor
from simcord.results import InteractionResult

from bot.core.exports import CSV_COLUMNS
from bot.i18n import catalogue_path
from tests.conftest import World, find_message
from tests.fakes.client_locale import client_locales
from tests.responses import reply_to

TITLE = "Dienstagskreis"
MEMBER_TEXT = (
    TITLE,
    "Ein Fenster voller Licht",
    "Und Brot auf dem Tisch",
    "una casa con la puerta azul",
    "Der Tee wird langsam kalt",
    "me ayudó a respirar",
    "Es hat mich beruhigt",
    "fran",
    "ana",
    "ben",
    "cai",
    "max",
)
"""What members typed or are called: allowed in any language."""

ACTIVITY_FACTS = (
    "Orchestral Suite No. 3: Air",
    "Johann Sebastian Bach (Musopen recording)",
    "Recording released to the public domain by Musopen.",
    "The Entertainer",
    "Scott Joplin (Kevin MacLeod)",
    "Scott Joplin, The Entertainer (1902). Recording: Kevin MacLeod (incompetech.com), "
    "Creative Commons Attribution 4.0.",
    "Nocturne in E-flat major, Op. 9 No. 2",
    "Frédéric Chopin (Musopen recording)",
    "Bach, Air",
    "Joplin, The Entertainer",
)
"""song-choice's recordings: titles, artists and credits are facts, the same in every language."""

ENGLISH_WORDS = frozenset(
    [
        "the",
        "you",
        "your",
        "and",
        "with",
        "this",
        "that",
        "will",
        "have",
        "been",
        "are",
        "were",
        "step",
        "steps",
        "press",
        "thank",
        "thanks",
        "answer",
        "answers",
        "session",
        "group",
        "line",
        "lines",
        "only",
        "when",
        "what",
        "who",
        "not",
        "be",
        "it",
        "or",
        "of",
        "for",
        "from",
        "here",
        "now",
        "left",
        "ended",
        "saved",
        "shared",
        "share",
        "private",
        "anyone",
        "someone",
        "everyone",
        "nobody",
        "please",
        "join",
        "joined",
        "leave",
        "next",
        "done",
        "pass",
        "passed",
        "start",
        "started",
        "vote",
        "voted",
        "votes",
        "reflect",
        "reaction",
        "reactions",
        "listen",
        "listening",
        "piece",
        "track",
        "minutes",
        "seconds",
        "time",
        "turn",
        "write",
        "writing",
        "written",
        "facilitator",
        "facilitators",
        "member",
        "members",
        "activity",
        "summary",
        "attendance",
        "duration",
        "contributions",
        "mood",
        "shift",
        "people",
    ]
)
"""Common English words the bot would write; none is a German or Spanish word."""
GERMAN_WORDS = frozenset(
    [
        "und",
        "du",
        "dein",
        "deine",
        "ist",
        "die",
        "der",
        "das",
        "nicht",
        "ich",
        "mit",
        "für",
        "bitte",
    ]
)
SPANISH_WORDS = frozenset(
    ["tu", "el", "los", "las", "para", "con", "por", "gracias", "está", "respuesta"]
)


@dataclass
class Seen:
    """Every text the bot showed, and every file it attached, by who sees it."""

    private: dict[int, list[str]] = field(default_factory=dict)
    attachments: dict[int, list[discord.Attachment]] = field(default_factory=dict)

    def reply(self, actor: MemberActor, result: InteractionResult) -> InteractionResult:
        texts = self.private.setdefault(actor.id, [])
        if result.modal is not None:
            texts.extend(modal_texts(result.modal))
        messages = ([result.response] if result.response is not None else []) + list(
            result.followups
        )
        for message in messages:
            if message.ephemeral:
                texts.extend(message_texts(message.message))
                self.attachments.setdefault(actor.id, []).extend(message.message.attachments)
        return result


def modal_texts(modal: dict[str, Any]) -> Iterator[str]:
    for key, value in modal.items():
        if key in ("title", "label", "placeholder", "description", "content") and isinstance(
            value, str
        ):
            yield value
        elif isinstance(value, dict):
            yield from modal_texts(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield from modal_texts(item)


def component_texts(components: Iterable[Any]) -> Iterator[str]:
    for component in components:
        for name in ("label", "placeholder"):
            text = getattr(component, name, None)
            if isinstance(text, str):
                yield text
        for option in getattr(component, "options", None) or []:
            yield option.label
            if option.description:
                yield option.description
        yield from component_texts(getattr(component, "children", None) or [])


def message_texts(message: discord.Message) -> Iterator[str]:
    if message.content:
        yield message.content
    for embed in message.embeds:
        for text in (embed.title, embed.description, embed.author.name, embed.footer.text):
            if text:
                yield text
        for embed_field in embed.fields:
            yield embed_field.name or ""
            yield embed_field.value or ""
    yield from component_texts(message.components)


MARKUP = re.compile(r"<(?:@[!&]?|#|t:)[^>]*>|https?://\S+|`[^`]*`|/[a-z]+(?: [a-z]+)?")


def words(text: str) -> set[str]:
    """The words of a text the bot wrote, without members' words, mentions, timestamps, links,
    code, slash commands and the activity's untranslated facts."""
    for known in (*ACTIVITY_FACTS, *MEMBER_TEXT):
        text = text.replace(known, " ")
    text = MARKUP.sub(" ", text)
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def english_msgids() -> list[str]:
    """English catalogue texts of 12 characters or more (placeholders cut out) that both
    translations word differently: any of them in a message is an untranslated text."""
    catalogues = []
    for language in ("de", "es"):
        with catalogue_path(language).open("rb") as po:
            catalogues.append({m.id: m.string for m in read_po(po, locale=language) if m.id})
    de, es = catalogues
    found = set()
    for msgid in de:
        texts = [msgid] if isinstance(msgid, str) else list(msgid)
        for text in texts:
            for piece in re.split(r"\{[^}]*\}|\*\*|\n", text):
                piece = piece.strip(" .,:;()*")
                if (
                    len(piece) >= 12
                    and piece not in str(de[msgid])
                    and piece not in str(es.get(msgid))
                ):
                    found.add(piece)
    return sorted(found)


def english_in(texts: Iterable[str], msgids: list[str]) -> list[str]:
    problems = []
    for text in texts:
        cleaned = text
        for known in (*ACTIVITY_FACTS, *MEMBER_TEXT):
            cleaned = cleaned.replace(known, " ")
        hits = [m for m in msgids if m in cleaned] + sorted(words(text) & ENGLISH_WORDS)
        if hits:
            problems.append(f"{text!r}: {hits}")
    return problems


def dm_texts(member: MemberActor) -> list[str]:
    """Every text of every direct message the bot sent this member."""
    channel = member.user.dm_channel
    history = channel.history() if channel is not None else []
    return [text for message in history for text in message_texts(message)]


def public_attachments(world: World, suffix: str) -> list[discord.Attachment]:
    return [
        attachment
        for message in world.channel.history()
        for attachment in message.attachments
        if attachment.filename.endswith(suffix)
    ]


async def attachment_text(attachment: discord.Attachment) -> str:
    return (await attachment.read()).decode("utf-8")


def public_texts(world: World) -> list[str]:
    return [text for message in world.channel.history() for text in message_texts(message)]


def button_values(message: discord.Message) -> list[str]:
    """The values of a select menu's options on a message (the vote)."""
    return [
        option.value
        for row in message.components
        for child in getattr(row, "children", [])
        for option in getattr(child, "options", None) or []
    ]


def writer_pinged(world: World, actors: dict[int, MemberActor]) -> MemberActor:
    for message in reversed(world.channel.history()):
        if message.content.startswith("✍ <@"):
            return actors[message.mentions[0].id]
    raise AssertionError("no turn ping")


async def advance(world: World, seconds: int) -> None:
    # simcord settles each call within 5 s of wall time: long spans go in steps.
    while seconds > 0:
        step = min(seconds, 60)
        await world.env.advance_time(step)
        seconds -= step


async def test_a_german_session_with_a_spanish_member(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    fran = world.facilitator
    ana, ben, cai = world.members
    manager = world.manager()
    client_locales(
        monkeypatch,
        {fran.id: "fr", ana.id: "fr", ben.id: "fr", manager.id: "fr", cai.id: "es-ES"},
    )
    actors = {a.id: a for a in (fran, ana, ben, cai)}
    seen = Seen()
    await manager.slash(world.channel, "setup language", language="de")

    # Opening: the board, and three members joining from it.
    seen.reply(fran, await fran.slash(world.channel, "session start", title=TITLE))
    for member in (ana, ben, cai):
        seen.reply(
            member, await member.click(find_message(world.channel, TITLE), label="Beitreten")
        )

    # The opening check-in: private scale answers, consent first; the Spanish member shares.
    seen.reply(fran, await fran.slash(world.channel, "activity start", activity="opening-checkin"))
    card = find_message(world.channel, "Anfangsrunde")
    shown = seen.reply(cai, await cai.click(card, label="5"))
    assert reply_to(shown).embeds[0].title == "Antes de tu primer check-in"
    saved = seen.reply(cai, await cai.click(reply_to(shown).message, label="Acepto"))
    assert "Tu respuesta está guardada: **5 de 10**" in reply_to(saved).content
    seen.reply(cai, await cai.click(reply_to(saved).message, label="Compartir con el grupo"))
    assert any("📣 **cai** hat den eigenen Check-in geteilt" in t for t in public_texts(world))
    for member, value in ((ana, "6"), (ben, "4")):
        shown = seen.reply(member, await member.click(card, label=value))
        seen.reply(member, await member.click(reply_to(shown).message, label="Einverstanden"))
    await advance(world, 180)

    # Choosing the mood: a vote, the chosen piece, reactions, a shared reflection.
    seen.reply(fran, await fran.slash(world.channel, "activity start", activity="song-choice"))
    vote = find_message(world.channel, "Was brauchen wir?")
    first = button_values(vote)[0]
    for member in (ana, ben, cai):
        seen.reply(member, await member.select(vote, [first]))
    await advance(world, 120)
    await advance(world, 5 * 60)  # the countdown and the piece
    listen = find_message(world.channel, "Die Wahl der Gruppe")
    seen.reply(ana, await ana.click(listen, label="ruhig"))
    seen.reply(ben, await ben.click(listen, label="ruhig"))
    seen.reply(cai, await cai.click(listen, label="berührt"))
    seen.reply(fran, await fran.click(find_message(world.channel, TITLE), label="Weiter"))
    reflect = find_message(world.channel, "Hat es geholfen?")
    for member, text in ((cai, "me ayudó a respirar"), (ana, "Es hat mich beruhigt")):
        form = seen.reply(member, await member.click(reflect, label="Nachdenken"))
        assert form.modal is not None
        seen.reply(member, await member.submit_modal(form, {"answer": text, "share": True}))
    assert "Tu reflexión" in seen.private[cai.id]
    await advance(world, 180)

    # The lyric circle: the prompt, then writers in turn until the Spanish member has written.
    seen.reply(fran, await fran.slash(world.channel, "activity start", activity="lyric-circle"))
    seen.reply(fran, await fran.click(find_message(world.channel, TITLE), label="Weiter"))
    lines = iter(
        ["Ein Fenster voller Licht", "Und Brot auf dem Tisch", "Der Tee wird langsam kalt"]
    )
    for _turn in range(4):
        writer = writer_pinged(world, actors)
        text = "una casa con la puerta azul" if writer is cai else next(lines)
        sheet = find_message(world.channel, "Strophe und Refrain")
        form = seen.reply(writer, await writer.click(sheet, label="Meine Zeile schreiben"))
        assert form.modal is not None, reply_to(form).content if form.response else None
        seen.reply(writer, await writer.submit_modal(form, {"line": text}))
        if writer is cai:
            break
    assert any("Tu verso se ha añadido" in t for t in seen.private[cai.id])
    seen.reply(fran, await fran.click(find_message(world.channel, TITLE), label="Weiter"))
    seen.reply(fran, await fran.click(find_message(world.channel, TITLE), label="Weiter"))

    # The closing check-in, and the end of the session with its summary.
    seen.reply(fran, await fran.slash(world.channel, "activity start", activity="closing-checkin"))
    closing = find_message(world.channel, "Abschlussrunde")
    for member, value in ((ana, "7"), (ben, "5"), (cai, "1")):
        seen.reply(member, await member.click(closing, label=value))
    # A low score brings the care message; the Spanish member lets the facilitator know, who
    # is told by direct message (in the server's German: they didn't ask for it in theirs).
    care = [
        m
        for m in world.channel.history(viewer=cai)
        if m.flags.ephemeral and "Avisar al facilitador" in component_texts(m.components)
    ]
    assert care, "the care message offers to tell the facilitator"
    seen.reply(cai, await cai.click(care[-1], label="Avisar al facilitador"))
    await advance(world, 6 * 60)
    ended = seen.reply(fran, await fran.slash(world.channel, "session end"))
    assert ended.response is not None and not reply_to(ended).ephemeral
    summary = reply_to(ended).embeds[0]
    assert summary.title == f"🌙 {TITLE}: Zusammenfassung der Sitzung"
    assert "Stimmungsänderung (Stimmung, 0-10)" in [f.name for f in summary.fields]

    # After the session, the Spanish member takes their own data: a table and a chart.
    for format in ("csv", "chart"):
        seen.reply(cai, await cai.slash(world.channel, "mydata", format=format))
    # ...and asks for a check-in by direct message between sessions (every day, two hours on).
    due = world.bot().clock() + timedelta(hours=2)
    scheduled = seen.reply(
        cai,
        await cai.slash(
            world.channel,
            "checkin schedule set",
            days="mon, tue, wed, thu, fri, sat, sun",
            time=due.strftime("%H:00"),
            timezone="UTC",
        ),
    )
    assert scheduled.ephemeral, reply_to(scheduled).content
    await world.env.advance_time(3 * 3600)
    assert dm_texts(cai), "the scheduled check-in came by direct message"

    # What everyone saw.
    msgids = english_msgids()
    public = public_texts(world)
    assert len(public) > 40, "the session posted its cards, board and summaries"
    assert not english_in(public, msgids), "\n".join(english_in(public, msgids))
    spanish_in_public = [t for t in public if words(t) & SPANISH_WORDS]
    assert not spanish_in_public, spanish_in_public
    for member in (fran, ana, ben):
        texts = seen.private[member.id]
        assert texts, f"{member.user.name} got private replies"
        assert not english_in(texts, msgids), "\n".join(english_in(texts, msgids))
    spanish = seen.private[cai.id]
    assert len(spanish) > 10
    assert not english_in(spanish, msgids), "\n".join(english_in(spanish, msgids))
    german_in_spanish = [t for t in spanish if words(t) & GERMAN_WORDS]
    assert not german_in_spanish, german_in_spanish

    # Direct messages (Discord sends no client language with a DM): the facilitator got the
    # Spanish member's "let them know" in the server's German; the Spanish member's scheduled
    # check-in comes in Spanish, the language their client had when they set the schedule.
    dms = {member.id: dm_texts(member) for member in (fran, ana, ben, cai)}
    assert any("cai" in text for text in dms[fran.id]), dms
    assert any("¿Cómo estás hoy?" in text for text in dms[cai.id]), dms[cai.id]
    for member_id, texts in dms.items():
        assert not english_in(texts, msgids), "\n".join(english_in(texts, msgids))
        other = GERMAN_WORDS if member_id == cai.id else SPANISH_WORDS
        wrong_language = [t for t in texts if words(t) & other]
        assert not wrong_language, wrong_language

    # Attachments: the song sheet the session posted (German), and the Spanish member's own
    # files: each one's description (its alt text) in Spanish; the table's column names stay
    # the documented English ones (for spreadsheets and programs, PRIVACY.md).
    sheets = [await attachment_text(a) for a in public_attachments(world, ".md")]
    assert sheets and any("Ein Fenster voller Licht" in sheet for sheet in sheets), sheets
    assert not english_in(sheets, msgids), "\n".join(english_in(sheets, msgids))
    assert not [t for t in sheets if words(t) & SPANISH_WORDS]
    files = {a.filename: a for a in seen.attachments.get(cai.id, [])}
    # The files' names are Spanish words too (ASCII, bot/ui/file_names.py).
    assert set(files) == {"chorus-mis-datos.csv", "chorus-resumen.png"}, set(files)
    alt_texts = [a.description or "" for a in files.values()]
    assert alt_texts == ["Tus datos en una tabla", "Tu propio gráfico resumen"], alt_texts
    table = await attachment_text(files["chorus-mis-datos.csv"])
    assert table.lstrip("\ufeff").splitlines()[0] == ",".join(CSV_COLUMNS), table[:200]


def test_the_language_checks_find_english_and_let_german_and_spanish_through() -> None:
    msgids = english_msgids()
    assert english_in(["Press **Join** to take part."], msgids)
    assert english_in(["✅ Thank you, your answer is saved."], msgids)
    # A sentence of English words the catalogue doesn't hold is caught by the word list.
    assert english_in(["Nobody has the floor"], msgids)
    assert not english_in(["Drück auf **Beitreten**, um mitzumachen."], msgids)
    assert not english_in(["Pulsa **Unirme** para participar."], msgids)
    # Members' words and the recordings' facts are not the bot's English.
    assert not english_in([f"**{TITLE}** · The Entertainer · Es hat mich beruhigt"], msgids)
