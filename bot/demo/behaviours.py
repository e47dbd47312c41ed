"""What the simulated members do, one small async function per custom id area.

Members act through simcord actors (click, submit_modal, select) exactly as a person would, so
every action goes through the real cogs, the runner and the store; choices come from the turn's
seeded random generator. Adding a step kind with buttons is one function here, keyed by its
custom id area (`@behaviour("checkin")`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from simcord.results import InteractionResult

from bot.demo.controls import controls_of, embed_text, modal_fields, question_of
from bot.demo.turn import Turn

Behaviour = Callable[[Turn], Awaitable[None]]
BEHAVIOURS: dict[str, Behaviour] = {}


def behaviour(area: str) -> Callable[[Behaviour], Behaviour]:
    """Register what a member does with the buttons of one custom id area."""

    def register(fn: Behaviour) -> Behaviour:
        BEHAVIOURS[area] = fn
        return fn

    return register


@behaviour("board")
async def join_session(turn: Turn) -> None:
    """Everyone joins when a session opens."""
    join = turn.first("join")
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
    question = question_of(turn.message).casefold()
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
    """A breathe card: the member presses Done once, nine times in ten."""
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
    """A listen step's Reflect button: six in ten members write a reflection (shared seven times in
    ten)."""
    button = turn.controls[0] if turn.controls else None
    if button is None or not turn.once("listenreflect", *button.args) or not turn.chance(0.6):
        return
    shown = await turn.click(button)
    await turn.fill_modal(
        shown, turn.rng.choice(turn.crowd.words.reflections), share=turn.chance(0.7)
    )


@behaviour("vote")
async def vote(turn: Turn) -> None:
    """A vote's menu: the member picks once, earlier choices weighted more."""
    menu = next((c for c in turn.controls if c.kind == "select" and c.options), None)
    if menu is None or not turn.once("vote", *menu.args):
        return
    choice = turn.rng.choices(menu.options, weights=range(len(menu.options), 0, -1))[0]
    turn.crowd.actions += 1
    await turn.member.select(turn.message, [choice], custom_id=menu.custom_id)


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
    write = turn.first("write")
    if write is None:
        return
    text = embed_text(turn.message)
    cards = turn.crowd.reading
    mine = cards.writer.search(text)
    anyone = cards.anyone.search(text)
    if mine is not None:
        if not _is_me(turn, mine) or not turn.once("lyrics", *write.args[1:], mine[3]):
            return
        passing = turn.first("pass")
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


@behaviour("round")
async def take_my_turn(turn: Turn) -> None:
    """The go-around: someone may volunteer to start; on my turn I answer in the form (or say
    it in voice and press Done), and now and then I pass."""
    start = turn.first("start")
    if start is not None:
        if turn.chance(0.5) and turn.once("round-start", *start.args[1:]):
            await turn.click(start)
        return
    card = embed_text(turn.message)
    mine = next((found for p in turn.crowd.reading.speakers if (found := p.search(card))), None)
    done = turn.first("done")
    if mine is None or not _is_me(turn, mine) or done is None:
        return
    if not turn.once("round", *done.args[1:]):
        return
    passing = turn.first("pass")
    if passing is not None and turn.chance(0.15):
        await turn.click(passing)
        return
    answer = turn.first("answer")
    if answer is None:
        await turn.click(done)  # spoken in the voice channel
        return
    shown = await turn.click(answer)
    await turn.fill_modal(shown, turn.rng.choice(turn.crowd.words.rounds), share=False)
