"""The simulated members: they take part on their own, as real users, so a session feels alive.

A `Crowd` looks at the newest messages in the session channel. For every button or menu whose
custom id is `chorus:<area>:...`, each member may act through the behaviour registered for that
area: one small async function per area (`@behaviour("checkin")`). Members act through simcord
actors (click, submit_modal, select) exactly as a person would, so every action goes through the
real cogs, the runner and the store. Choices come from a seeded random generator: the same seed
and the same starting database give the same session.

Adding a step kind is one function here, keyed by its custom id area.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.backend.errors import SetupError
from simcord.builders import ChannelHandle
from simcord.results import InteractionResult

from bot.i18n import gettext

log = logging.getLogger("chorus.demo")

# ------------------------------------------------------------------------------------ corpus

LYRIC_LINES = (
    "A kettle singing on a winter night",
    "The porch light left on just for me",
    "Shoes by the door in a crooked row",
    "My mother humming in another room",
    "Rain on the window, slow and kind",
    "A key that fits without a fight",
    "The smell of bread before the dawn",
    "Somewhere I can put my worries down",
    "Home is a voice that knows my name",
    "The quiet after everyone is fed",
    "A window seat, a patch of sun",
    "We carry it with us, and it carries us",
    "Walls that heard us laugh and cry",
    "The old song playing on the radio",
    "A table with a chair that waits for you",
    "Footsteps on the stairs I'd know by heart",
)
BLANK_WORDS = ("light", "home", "rain", "slow", "warm", "still", "open", "near")
REFLECTIONS = (
    "I noticed my shoulders drop halfway through.",
    "It felt like walking by the sea in the morning.",
    "The spaces between the notes were my favourite part.",
    "It made me think of my grandmother's kitchen.",
    "Calmer than when I came in, a little sleepy.",
    "Hopeful, and a bit tired. That's okay.",
    "I kept coming back to the low notes, like breathing.",
    "Honestly my mind wandered, but it wandered somewhere nice.",
)
TITLES = ("Porch Light", "Kettle Song", "Where the Key Fits", "Slow and Kind", "Home, Eventually")
ONE_WORDS = ("steady", "gentle", "space", "breathe", "unhurried", "light", "enough", "soft")


# ---------------------------------------------------------------------------------- controls


@dataclass(frozen=True)
class Control:
    """One interactive component of a message, reduced to what a member needs."""

    custom_id: str
    label: str
    kind: str  # "button" or "select"
    disabled: bool
    options: tuple[str, ...] = ()

    @property
    def area(self) -> str:
        parts = self.custom_id.split(":")
        return parts[1] if len(parts) > 1 and parts[0] == "chorus" else ""

    @property
    def args(self) -> list[str]:
        return self.custom_id.split(":")[2:]


def _flatten(components: Iterable[Any]) -> Iterable[Any]:
    for component in components:
        children = getattr(component, "children", None)
        if children is not None:
            yield from _flatten(children)
        else:
            yield component


def controls_of(message: discord.Message) -> list[Control]:
    """The message's buttons and menus that carry a custom id (link buttons have none)."""
    found = []
    for item in _flatten(message.components):
        custom_id = getattr(item, "custom_id", None)
        if not custom_id:
            continue
        options = tuple(o.value for o in getattr(item, "options", ()) or ())
        kind = "select" if isinstance(item, discord.SelectMenu) else "button"
        label = str(getattr(item, "label", "") or getattr(item, "placeholder", "") or "")
        found.append(Control(custom_id, label, kind, bool(item.disabled), options))
    return found


def visible_to(message: discord.Message, member: MemberActor) -> bool:
    """A private (ephemeral) reply is seen only by the person whose action it answers; before,
    members tried each other's private buttons, failed, and never answered that step."""
    if not message.flags.ephemeral:
        return True
    metadata = message.interaction_metadata
    return metadata is not None and metadata.user.id == member.id


def embed_text(message: discord.Message) -> str:
    parts = []
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


def _question(message: discord.Message) -> str:
    """A step's question: the first bold line of its embed."""
    for embed in message.embeds:
        found = re.search(r"\*\*(.+?)\*\*", embed.description or "")
        if found:
            return found[1]
    return ""


def modal_fields(shown: InteractionResult) -> list[dict[str, Any]]:
    """The inputs of the modal a click opened, as raw component payloads (labels attached)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any, label: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, label)
        elif isinstance(node, dict):
            own = str(node.get("label") or label)
            if "custom_id" in node and node.get("type") not in (1, 18):
                found.append({**node, "label": own})
            for key in ("components", "component"):
                if key in node:
                    walk(node[key], own)

    walk((shown.modal or {}).get("components", []), "")
    return found


# --------------------------------------------------------------------------------- behaviours


@dataclass
class Turn:
    """One member looking at one message, with the controls of one area on it."""

    crowd: Crowd
    member: MemberActor
    message: discord.Message
    controls: list[Control]
    rng: random.Random
    marked: list[tuple[object, ...]] = field(default_factory=list)

    def once(self, *key: object) -> bool:
        """True the first time this member reaches `key`; later calls are False."""
        full = (self.member.id, *key)
        if full in self.crowd.done:
            return False
        self.crowd.done.add(full)
        self.marked.append(full)
        return True

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    @property
    def memory(self) -> dict[str, Any]:
        """What this member remembers between steps (their mood, lines they have used)."""
        return self.crowd.memory.setdefault(self.member.id, {})

    async def click(self, control: Control) -> InteractionResult:
        self.crowd.actions += 1
        return await self.member.click(self.message, custom_id=control.custom_id)

    async def fill_modal(self, shown: InteractionResult, text: str, *, share: bool) -> None:
        """Answer every text input with `text` (cut to its limit) and tick boxes with `share`."""
        if shown.modal is None:
            return  # refused (an ephemeral explains why): nothing to fill in
        values: dict[str, Any] = {}
        for item in modal_fields(shown):
            if item.get("type") == discord.ComponentType.text_input.value:
                limit = int(item.get("max_length") or 4000)
                values[str(item["custom_id"])] = text[:limit]
            elif item.get("type") == discord.ComponentType.checkbox.value:
                values[str(item["custom_id"])] = share
        self.crowd.actions += 1
        await self.member.submit_modal(shown, values)


Behaviour = Callable[[Turn], Awaitable[None]]
BEHAVIOURS: dict[str, Behaviour] = {}


def behaviour(area: str) -> Callable[[Behaviour], Behaviour]:
    """Register what a member does with the buttons of one custom id area."""

    def register(fn: Behaviour) -> Behaviour:
        BEHAVIOURS[area] = fn
        return fn

    return register


def _first(turn: Turn, action: str) -> Control | None:
    return next((c for c in turn.controls if c.args[:1] == [action] and not c.disabled), None)


@behaviour("board")
async def join_session(turn: Turn) -> None:
    """Everyone joins when a session opens."""
    join = _first(turn, "join")
    if join is not None and turn.once("board", *join.args):
        await turn.click(join)


@behaviour("checkin")
async def check_in(turn: Turn) -> None:
    """Answer around the member's own mood (a little higher later in the session); some pass."""
    answers = [c for c in turn.controls if not c.disabled and len(c.args) >= 3]
    if not answers or not turn.once("checkin", *answers[0].args[:2]):
        return
    if turn.chance(0.12):
        passing = next((c for c in answers if c.args[2] == "pass"), None)
        if passing is not None:
            await turn.click(passing)
            return
    numbers = sorted(
        (c for c in answers if c.args[2].lstrip("-").isdigit()), key=lambda c: int(c.args[2])
    )
    if not numbers:
        return
    mood = turn.memory.setdefault("mood", turn.rng.uniform(0.4, 0.75))
    turn.memory["mood"] = min(0.95, mood + turn.rng.uniform(0.0, 0.2))  # music helps, a bit
    spot = round(mood * (len(numbers) - 1) + turn.rng.uniform(-0.8, 0.8))
    choice = numbers[max(len(numbers) // 3, min(len(numbers) - 1, spot))]
    result = await turn.click(choice)
    await _follow_up(turn, result)


async def _follow_up(turn: Turn, result: InteractionResult) -> None:
    """A first check-in may ask for consent (agree), a two-part scale for its second half."""
    reply = result.response
    if reply is None:
        return
    private = reply.message
    for control in controls_of(private):
        if control.area == "consent" and control.args[:1] == ["yes"]:
            turn.crowd.actions += 1
            await turn.member.click(private, custom_id=control.custom_id)
            return
    second = [c for c in controls_of(private) if c.area == "checkin" and len(c.args) >= 4]
    if second:
        turn.crowd.actions += 1
        await turn.member.click(private, custom_id=turn.rng.choice(second).custom_id)


@behaviour("reflect")
async def reflect(turn: Turn) -> None:
    """Most members answer in a few words; most share with the group."""
    button = turn.controls[0] if turn.controls else None
    if button is None or not turn.once("reflect", *button.args) or not turn.chance(0.85):
        return
    words = turn.crowd.words
    text = turn.rng.choice(words.reflections)
    question = _question(turn.message).casefold()
    lines = sorted(turn.crowd.memory.get(0, {}).get("lines", ()))
    if any(w in question for w in words.asks_title):
        text = turn.rng.choice(words.titles)
    elif any(w in question for w in words.asks_word):
        text = turn.rng.choice(words.one_words)
    elif any(w in question for w in words.asks_line) and lines:
        text = words.line_quote.format(line=turn.rng.choice(lines))
    shown = await turn.click(button)
    await turn.fill_modal(shown, text, share=turn.chance(0.75))


@behaviour("breathe")
async def breathe(turn: Turn) -> None:
    done = turn.controls[0] if turn.controls else None
    if done is not None and turn.once("breathe", *done.args) and turn.chance(0.9):
        await turn.click(done)


@behaviour("react")
async def react_to_music(turn: Turn) -> None:
    """After the music, most members tap one reaction."""
    open_ = [c for c in turn.controls if not c.disabled]
    if open_ and turn.once("react", *open_[0].args[:2]) and turn.chance(0.9):
        await turn.click(turn.rng.choice(open_))


@behaviour("listenreflect")
async def reflect_on_music(turn: Turn) -> None:
    button = turn.controls[0] if turn.controls else None
    if button is None or not turn.once("listenreflect", *button.args) or not turn.chance(0.6):
        return
    shown = await turn.click(button)
    await turn.fill_modal(
        shown, turn.rng.choice(turn.crowd.words.reflections), share=turn.chance(0.7)
    )


@behaviour("vote")
async def vote(turn: Turn) -> None:
    menu = next((c for c in turn.controls if c.kind == "select" and c.options), None)
    if menu is None or not turn.once("vote", *menu.args):
        return
    choice = turn.rng.choices(menu.options, weights=range(len(menu.options), 0, -1))[0]
    turn.crowd.actions += 1
    await turn.member.select(turn.message, [choice], custom_id=menu.custom_id)


WHO = r"(?:<@(\d+)>|\*\*([^*]+)\*\*)"


def read_as(message: str, language: str, **groups: str) -> re.Pattern[str]:
    """A card's sentence as members read it in ``language``: the catalogue's wording of
    ``message`` with each ``{field}`` matched by ``groups[field]`` (any text if not given)."""
    worded = gettext(message, language)
    parts = re.split(r"\{(\w+)\}", worded)
    pattern = "".join(
        re.escape(part) if n % 2 == 0 else groups.get(part, ".*?") for n, part in enumerate(parts)
    )
    return re.compile(pattern)


@dataclass(frozen=True)
class Reading:
    """What the members look for on the cards, in the session's language."""

    writer: re.Pattern[str]
    anyone: re.Pattern[str]
    speakers: tuple[re.Pattern[str], ...]
    pattern_end: re.Pattern[str]
    blanks: tuple[re.Pattern[str], ...]


def reading(language: str) -> Reading:
    """The members' reading of the cards in ``language`` (the server's)."""
    return Reading(
        writer=read_as(
            "✍ {writer} is writing **{what}**{until}.", language, writer=WHO, what=r"([^*]+)"
        ),
        anyone=read_as(
            "✍ Anyone may write **{what}**: press **Write my line** when you're ready.",
            language,
            what=r"([^*]+)",
        ),
        speakers=(
            read_as("🎤 {speaker} has the floor now.", language, speaker=WHO),
            read_as("🎤 {speaker} is speaking in the voice channel now.", language, speaker=WHO),
        ),
        pattern_end=read_as(
            "Together, the pattern runs from {start} to {end}. Go at your own pace.",
            language,
            start=r"<t:\d+:t>",
            end=r"<t:(\d+):t>",
        ),
        blanks=(
            read_as("Blank {number} of {count}", language),
            read_as("The {count} blanks, separated by /", language),
        ),
    )


def _is_me(turn: Turn, match: re.Match[str]) -> bool:
    """The sheet names the writer (or mentions them when their name isn't known yet)."""
    if match[1] is not None:
        return int(match[1]) == turn.member.id
    member = turn.member.member
    names = {turn.member.name, turn.member.user.global_name or ""}
    if member is not None:
        names.add(member.display_name)
    return match[2].casefold() in {n.casefold() for n in names if n}


@behaviour("lyrics")
async def write_a_line(turn: Turn) -> None:
    """On my turn I write a line from the corpus (or, rarely, pass); open steps: anyone writes."""
    write = _first(turn, "write")
    if write is None:
        return
    text = embed_text(turn.message)
    cards = turn.crowd.reading
    mine = cards.writer.search(text)
    anyone = cards.anyone.search(text)
    if mine is not None:
        if not _is_me(turn, mine) or not turn.once("lyrics", *write.args[1:], mine[3]):
            return
        passing = _first(turn, "pass")
        if passing is not None and turn.chance(0.08):
            await turn.click(passing)
            return
    elif anyone is not None:
        if not turn.once("lyrics", *write.args[1:], anyone[1]):
            return
        if not turn.chance(0.5):
            return
    else:
        return
    shown = await turn.click(write)
    fields = modal_fields(shown)
    blanks = any(
        pattern.fullmatch(str(f.get("label", ""))) for f in fields for pattern in cards.blanks
    )
    used: set[str] = turn.crowd.memory.setdefault(0, {}).setdefault("lines", set())
    pool = turn.crowd.words.blanks if blanks else turn.crowd.words.lines
    fresh = [line for line in pool if line not in used] or list(pool)
    line = turn.rng.choice(fresh)
    used.add(line)
    await turn.fill_modal(shown, line, share=False)


ROUND_ANSWERS = (
    "A bit tired, but glad to be here. I bring a song I can't stop humming.",
    "Steady today. I bring some good news from my week.",
    "Nervous, honestly. I bring my curiosity.",
    "Calm after a walk. I bring the rain I got caught in.",
    "Scattered. I'd like to bring some focus, we'll see.",
)


@dataclass(frozen=True)
class Words:
    """What the simulated members write, in one language: lines of a song, single words for a
    blank, reflections, song titles, one-word answers and go-around answers."""

    lines: tuple[str, ...]
    blanks: tuple[str, ...]
    reflections: tuple[str, ...]
    titles: tuple[str, ...]
    one_words: tuple[str, ...]
    rounds: tuple[str, ...]
    line_quote: str
    """A reflection quoting a line of the song: `{line}` is the line."""
    asks_title: tuple[str, ...]
    asks_word: tuple[str, ...]
    asks_line: tuple[str, ...]
    """Words in a reflect question that ask for a title, a single word, a line of the song."""


WORDS = {
    "en": Words(
        LYRIC_LINES,
        BLANK_WORDS,
        REFLECTIONS,
        TITLES,
        ONE_WORDS,
        ROUND_ANSWERS,
        "“{line}”. It felt like something we all knew.",
        ("called", "title"),
        ("word",),
        ("line",),
    ),
    "de": Words(
        (
            "Ein Wasserkessel singt in einer Winternacht",
            "Das Licht vor der Tür brennt nur für mich",
            "Schuhe im Flur in einer schiefen Reihe",
            "Meine Mutter summt im Zimmer nebenan",
            "Regen am Fenster, langsam und sanft",
            "Ein Schlüssel, der ohne Streit ins Schloss passt",
            "Der Duft von Brot noch vor dem Morgen",
            "Ein Ort, an dem ich meine Sorgen ablegen kann",
            "Zuhause ist eine Stimme, die meinen Namen kennt",
            "Die Stille, wenn alle satt geworden sind",
            "Ein Fensterplatz, ein Flecken Sonne",
            "Wir tragen es mit uns, und es trägt uns",
            "Wände, die uns lachen und weinen hörten",
            "Das alte Lied im Radio",
            "Ein Tisch mit einem Stuhl, der auf dich wartet",
            "Schritte auf der Treppe, die ich auswendig kenne",
        ),
        ("Licht", "Zuhause", "Regen", "langsam", "warm", "still", "offen", "nah"),
        (
            "Auf halber Strecke sind meine Schultern gesunken.",
            "Es war wie ein Spaziergang am Meer am Morgen.",
            "Die Pausen zwischen den Tönen mochte ich am liebsten.",
            "Ich musste an die Küche meiner Großmutter denken.",
            "Ruhiger als beim Reinkommen, ein bisschen müde.",
            "Hoffnungsvoll und etwas erschöpft. Das ist in Ordnung.",
            "Ich bin immer wieder bei den tiefen Tönen gelandet, wie beim Atmen.",
            "Ehrlich gesagt waren meine Gedanken woanders, aber an einem schönen Ort.",
        ),
        ("Licht vor der Tür", "Kessellied", "Wo der Schlüssel passt", "Langsam und sanft"),
        ("ruhig", "sanft", "Raum", "atmen", "gelassen", "Licht", "genug", "weich"),
        (
            "Müde, aber froh, hier zu sein. Ich bringe eine ruhige Woche mit.",
            "Ruhig heute. Ich bringe gute Nachrichten aus meiner Woche mit.",
            "Ehrlich gesagt nervös. Ich bringe meine Neugier mit.",
            "Ruhig nach einem Spaziergang. Ich bringe den Regen mit, in den ich geraten bin.",
            "Zerstreut. Ich möchte etwas Konzentration mitbringen, mal sehen.",
        ),
        "„{line}“. Das fühlte sich an wie etwas, das wir alle kennen.",
        ("heißen", "titel", "name"),
        ("wort",),
        ("zeile",),
    ),
    "es": Words(
        (
            "Una tetera que canta en una noche de invierno",
            "La luz del porche encendida solo para mí",
            "Zapatos junto a la puerta en fila torcida",
            "Mi madre tarareando en otra habitación",
            "Lluvia en la ventana, lenta y amable",
            "Una llave que entra sin pelear",
            "El olor a pan antes del amanecer",
            "Un lugar donde dejar mis preocupaciones",
            "El hogar es una voz que sabe mi nombre",
            "La calma cuando todos han comido",
            "Un asiento junto a la ventana, un trozo de sol",
            "Lo llevamos con nosotros, y nos lleva",
            "Paredes que nos oyeron reír y llorar",
            "La vieja canción sonando en la radio",
            "Una mesa con una silla que te espera",
            "Pasos en la escalera que conozco de memoria",
        ),
        ("luz", "hogar", "lluvia", "lento", "cálido", "quieto", "abierto", "cerca"),
        (
            "A mitad de la pieza noté que bajaban mis hombros.",
            "Fue como pasear junto al mar por la mañana.",
            "Lo que más me gustó fueron los silencios entre las notas.",
            "Me hizo pensar en la cocina de mi abuela.",
            "Más tranquila que al llegar, con un poco de sueño.",
            "Con esperanza y algo cansado. Está bien así.",
            "Volvía una y otra vez a las notas graves, como al respirar.",
            "Sinceramente, mi mente se fue, pero a un sitio bonito.",
        ),
        ("Luz del porche", "Canción de la tetera", "Donde entra la llave", "Lenta y amable"),
        ("sereno", "suave", "espacio", "respirar", "sin prisa", "luz", "suficiente", "calma"),
        (
            "Cansada pero contenta de estar aquí. Traigo una semana tranquila.",
            "Tranquilo hoy. Traigo buenas noticias de mi semana.",
            "Nerviosa, la verdad. Traigo mi curiosidad.",
            "En calma después de un paseo. Traigo la lluvia que me pilló.",
            "Disperso. Me gustaría traer algo de concentración, ya veremos.",
        ),
        "«{line}». Sentí que era algo que todos conocíamos.",
        ("llam", "título"),
        ("palabra",),
        ("verso",),
    ),
}
"""The members' own words per demo language (their words, not Chorus's: never translated)."""


@behaviour("round")
async def take_my_turn(turn: Turn) -> None:
    """The go-around: someone may volunteer to start; on my turn I answer in the form (or say
    it in voice and press Done), and now and then I pass."""
    start = _first(turn, "start")
    if start is not None:
        if turn.chance(0.5) and turn.once("round-start", *start.args[1:]):
            await turn.click(start)
        return
    card = embed_text(turn.message)
    mine = next((found for p in turn.crowd.reading.speakers if (found := p.search(card))), None)
    done = _first(turn, "done")
    if mine is None or not _is_me(turn, mine) or done is None:
        return
    if not turn.once("round", *done.args[1:]):
        return
    passing = _first(turn, "pass")
    if passing is not None and turn.chance(0.15):
        await turn.click(passing)
        return
    answer = _first(turn, "answer")
    if answer is None:
        await turn.click(done)  # spoken in the voice channel
        return
    shown = await turn.click(answer)
    await turn.fill_modal(shown, turn.rng.choice(turn.crowd.words.rounds), share=False)


# -------------------------------------------------------------------------------------- crowd


# How much longer than a tap an area's action takes: writing a few words, or a line of a song.
SLOWER = {"reflect": 3.0, "listenreflect": 3.0, "lyrics": 3.0}
# A breathe card says when the pattern ends ("... from <t:S:t> to <t:E:t>"): members follow
# the pattern and press Done near its end, as a person would, not seconds after it appears.
DONE_BEFORE_END = (0.0, 6.0)


def follows_until(
    message: discord.Message, area: str, cards: Reading | None = None
) -> float | None:
    """When a member doing what this message asks is done with it (UTC seconds), if it says."""
    if area != "breathe":
        return None
    found = (cards or reading("en")).pattern_end.search(embed_text(message))
    return float(found[1]) if found else None


class Crowd:
    """The simulated members of one channel, acting on the newest messages.

    `pace` is the (min, max) seconds a member takes to react to something new (longer to
    write, see SLOWER; a breathing pattern is followed to near its end); the live demo uses a
    few seconds, scripted runs (0, 0), which act at once. Times are read from `clock` (UTC
    seconds; the demo passes simcord's virtual clock), against when a message was posted or
    last edited. Each member's action holds `turns`, when given, so it never overlaps a click
    from the page or a tick of the clock.
    """

    def __init__(
        self,
        channel: ChannelHandle,
        members: Sequence[MemberActor],
        *,
        seed: int = 7,
        pace: tuple[float, float] = (0.0, 0.0),
        lookback: int = 12,
        strict: bool = False,
        clock: Callable[[], float] = time.time,
        turns: asyncio.Lock | None = None,
        language: str = "en",
    ) -> None:
        self.channel = channel
        # The members read the cards in the server's language, and write in it too.
        self.reading = reading(language)
        self.words = WORDS.get(language, WORDS["en"])
        self.clock = clock
        self.turns = turns
        self.seed = seed
        self.pace = pace
        self.lookback = lookback
        self.strict = strict
        self.areas: dict[int, Collection[str] | None] = {}
        self.actors: list[MemberActor] = []
        for member in members:
            self.add(member)
        self.done: set[tuple[object, ...]] = set()
        self.memory: dict[int, dict[str, Any]] = {}
        self.actions = 0

    def add(self, member: MemberActor, *, areas: Collection[str] | None = None) -> None:
        """Add someone who acts only in `areas` (all known areas when None)."""
        self.actors.append(member)
        self.areas[member.id] = areas

    def _rng(self, member: MemberActor, *key: object) -> random.Random:
        return random.Random(":".join(str(k) for k in (self.seed, member.name, *key)))

    def due(self, member: MemberActor, message: discord.Message, area: str) -> float:
        """When this member acts on this message (UTC seconds): after their own delay from
        when it was posted or last edited, and not before they have followed a pattern."""
        if self.pace == (0.0, 0.0):
            return float("-inf")
        seen = message.edited_at or message.created_at
        rng = self._rng(member, message.id, area, seen)
        at = seen.timestamp() + rng.uniform(*self.pace) * SLOWER.get(area, 1.0)
        until = follows_until(message, area, self.reading)
        if until is not None:
            at = max(at, until - rng.uniform(*DONE_BEFORE_END))
        return at

    def _ready(self, member: MemberActor, message: discord.Message, area: str) -> bool:
        return self.clock() >= self.due(member, message, area)

    async def step(self) -> int:
        """One look at the channel: every member acts on whatever is ready. Returns actions."""
        before = self.actions
        messages = [m for m in self.channel.history()[-self.lookback :] if m.components]
        for message in reversed(messages):
            by_area: dict[str, list[Control]] = {}
            for control in controls_of(message):
                by_area.setdefault(control.area, []).append(control)
            for area, controls in by_area.items():
                act = BEHAVIOURS.get(area)
                if act is None:
                    continue
                for member in self.actors:
                    allowed = self.areas.get(member.id)
                    if allowed is not None and area not in allowed:
                        continue
                    if not visible_to(message, member):
                        continue
                    if not self._ready(member, message, area):
                        continue
                    rng = self._rng(member, *controls[0].args[:3], area)
                    turn = Turn(self, member, message, controls, rng)
                    try:
                        async with self.turns or contextlib.nullcontext():
                            await act(turn)
                    except SetupError:
                        # Someone else's action is running: forget the attempt, retry next pass.
                        self.done.difference_update(turn.marked)
                        if self.strict:
                            raise
                        return self.actions - before
                    except Exception:
                        if self.strict:
                            raise
                        log.exception("%s could not act on %s", member.name, area)
        return self.actions - before

    async def settle(self, rounds: int = 40) -> int:
        """Scripted runs: act until nobody has anything left to do."""
        total = 0
        for _ in range(rounds):
            acted = await self.step()
            total += acted
            if not acted:
                break
        return total
