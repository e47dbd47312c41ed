"""The server's own Chorus in the scripted session: the facilitator sets the server's support
text (/setup support), uploads an activity file with mistakes and reads the errors, and begins
an activity in the builder (/activity new), all in the demo's language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.demo.shots import Shoot
from bot.demo.world import DemoWorld
from bot.i18n import N_, gettext

# The demo server's own support text and helplines (what its facilitator set with /setup
# support), worded in the demo's language from the catalogue: a German server lists German help.
DEMO_SUPPORT = N_(
    "If today is hard, you're not alone. Talk to Robin after the circle, or call one of the "
    "helplines below; if you're in danger, call your local emergency number now."
)
DEMO_LINKS = N_(
    "Samaritans (UK) https://www.samaritans.org; Find a helpline https://findahelpline.com"
)


@dataclass(frozen=True, slots=True)
class OwnWords:
    """What the demo's facilitator types for their server's own Chorus, in one language: an
    activity file to upload (`file_id`, its title, summary, length in words, tags) and a new
    activity begun in the builder (`new_id`, its title and summary); both start with a
    breathing step titled `breathing`."""

    file_id: str
    file_title: str
    file_summary: str
    minutes_in_words: str
    tags: str
    new_id: str
    new_title: str
    new_summary: str
    breathing: str

    def broken_file(self) -> str:
        """The activity file with two mistakes: a tag list left open and a length in words."""
        return BROKEN_ACTIVITY.format(words=self)


OWN_WORDS = {
    "en": OwnWords(
        "evening-wind-down",
        "Evening wind-down",
        "Breathe, listen and say one word about the day.",
        "twenty",
        "calm, listening",
        "our-opening",
        "Our opening",
        "Arrive, breathe, and say how you are.",
        "Slow breathing",
    ),
    "de": OwnWords(
        "abendausklang",
        "Abendausklang",
        "Atmen, hören und ein Wort zum Tag sagen.",
        "zwanzig",
        "ruhe, abend",
        "unser-ankommen",
        "Unser Ankommen",
        "Ankommen, atmen und sagen, wie es dir geht.",
        "Langsam atmen",
    ),
    "es": OwnWords(
        "calma-de-la-tarde",
        "Calma de la tarde",
        "Respirar, escuchar y decir una palabra sobre el día.",
        "veinte",
        "calma, tarde",
        "nuestra-llegada",
        "Nuestra llegada",
        "Llegar, respirar y decir cómo estás.",
        "Respirar despacio",
    ),
}
"""The facilitator's own words by demo language (a German facilitator writes German)."""

BROKEN_ACTIVITY = """id: {words.file_id}
title: {words.file_title}
summary: {words.file_summary}
version: 1
duration_minutes: {words.minutes_in_words}
tags: [{words.tags}
steps:
  - type: breathe
    title: {words.breathing}
"""


async def show_own_chorus(world: DemoWorld, shoot: Shoot) -> None:
    """The server's own Chorus: the support text preview (/setup) and an upload's errors."""
    await world.facilitator.slash(
        world.channel,
        "setup support",
        text=gettext(DEMO_SUPPORT, world.language),
        links=gettext(DEMO_LINKS, world.language),
    )
    await shoot("09-setup-support", world.facilitator)
    words = OWN_WORDS.get(world.language, OWN_WORDS["en"])
    file_name = f"{words.file_id}.yaml"
    broken = words.broken_file()
    await world.facilitator.slash(
        world.channel, "activity upload", file=(file_name, broken.encode("utf-8"))
    )
    # One mistake fixed (the tag list closed), another made (a length of "20x").
    fixed = broken.replace(f"[{words.tags}", f"[{words.tags}]").replace(
        words.minutes_in_words, "20x"
    )
    await world.facilitator.slash(
        world.channel, "activity upload", file=(file_name, fixed.encode("utf-8"))
    )
    await shoot("10-upload-errors", world.facilitator)
    started = await world.facilitator.slash(
        world.channel,
        "activity new",
        id=words.new_id,
        title=words.new_title,
        summary=words.new_summary,
        minutes=10,
    )
    draft = started.response.message if started.response is not None else None
    if draft is not None:
        shown = await world.facilitator.select(draft, ["breathe"])
        await world.facilitator.submit_modal(
            shown, {"title": words.breathing, "inhale": "4", "exhale": "6", "cycles": "5"}
        )
        await shoot("11-activity-new", world.facilitator)
