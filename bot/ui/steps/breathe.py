"""A breathe step: the pattern in words and one live countdown, never a message per breath."""

from __future__ import annotations

import discord

from bot.core.steps.breathe import BreatheStep, pattern_of
from bot.i18n import _, format_number, ngettext
from bot.ui.components import persistent_view
from bot.ui.format import clock_time, duration
from bot.ui.steps.base import SimplePresenter, StepAtButton, StepScene


def _seconds(value: float, locale: str) -> str:
    """`4 s`, `1,8 s`: a tenth of a second is as fine as anyone counts a breath."""
    return _("{seconds} s", locale, seconds=format_number(round(value, 1), locale))


def _times(cycles: int, locale: str) -> str:
    return ngettext("once", "{count} times", cycles, locale)


class BreatheButton(StepAtButton, spec="chorus:breathe:{run_id:int}:{step_index:int}"):
    """Done: the member finished the breathing pattern of this step."""


class BreathePresenter(SimplePresenter[BreatheStep]):
    kind = "breathe"

    def body(self, scene: StepScene[BreatheStep]) -> str:
        """The guidance, an optional pulse (beats per minute), the breath pattern (in, hold, out,
        rest: each a length in seconds), how many times and how long in all, the clock times it runs
        while the step is current, and the Done hint."""
        step = scene.step
        locale = scene.locale
        pattern = pattern_of(step)
        lines = []
        if step.guidance:
            lines.append(scene.text(step.guidance))
        if step.bpm:
            lines.append(
                _(
                    "🥁 Keep a steady pulse at **{bpm} beats per minute**, {beats} beats to a "
                    "breath: tap, clap or sway.",
                    locale,
                    bpm=step.bpm,
                    beats=step.beats_per_cycle,
                )
            )
        phases = [_("🌬 Breathe in for **{time}**", locale, time=_seconds(pattern.inhale, locale))]
        if pattern.hold:
            phases.append(_("🤲 hold for **{time}**", locale, time=_seconds(pattern.hold, locale)))
        phases.append(
            _("🍃 breathe out for **{time}**", locale, time=_seconds(pattern.exhale, locale))
        )
        if pattern.rest:
            phases.append(_("rest for **{time}**", locale, time=_seconds(pattern.rest, locale)))
        lines.append(", ".join(phases) + ".")
        lines.append(
            _(
                "Repeat **{times}** (about {length}).",
                locale,
                times=_times(pattern.cycles, locale),
                length=duration(pattern.total_seconds, locale),
            )
        )
        starts = scene.run.step_started_at
        if scene.run.step_index == scene.step_index:
            # Clock times, not "in 2 minutes": the card isn't edited while the step runs, and
            # a relative time would read "finishes 3 minutes ago" once the pattern is over.
            lines.append(
                _(
                    "Together, the pattern runs from {start} to {end}. Go at your own pace.",
                    locale,
                    start=clock_time(starts),
                    end=clock_time(starts + pattern.total_seconds),
                )
            )
        lines.append(_("Press **Done** when you have finished, or simply rest.", locale))
        return "\n\n".join(lines)

    def closed_body(self, scene: StepScene[BreatheStep]) -> str:
        """The pattern the group breathed, without instructions to act."""
        locale = scene.locale
        pattern = pattern_of(scene.step)
        parts = [_("in {time}", locale, time=_seconds(pattern.inhale, locale))]
        if pattern.hold:
            parts.append(_("hold {time}", locale, time=_seconds(pattern.hold, locale)))
        parts.append(_("out {time}", locale, time=_seconds(pattern.exhale, locale)))
        if pattern.rest:
            parts.append(_("rest {time}", locale, time=_seconds(pattern.rest, locale)))
        done = len({c.author_id for c in scene.contributions if c.kind == "done"})
        # "Done" says someone stopped, not that they breathed the whole pattern.
        together = (
            ngettext(" {count} of us pressed Done.", " {count} of us pressed Done.", done, locale)
            if done >= 3
            else ""
        )
        return _(
            "🌿 We breathed together: {pattern}, {times}.{together}",
            locale,
            pattern=", ".join(parts),
            times=_times(pattern.cycles, locale),
            together=together,
        )

    def view(self, scene: StepScene[BreatheStep]) -> discord.ui.View | None:
        """The Done button (a `BreatheButton`) for members who finished."""
        done = _("Done", scene.locale)
        return persistent_view(
            BreatheButton.at(scene, done, style=discord.ButtonStyle.success, emoji="✅")
        )


PRESENTER = BreathePresenter
"""Registers the presenter of the `breathe` kind (found by `bot.ui.steps.presenters`)."""
