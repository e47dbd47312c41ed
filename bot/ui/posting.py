"""Posting and editing a session's messages within Discord's limits: what doesn't fit is attached
whole, a refused payload is retried shortened, and a step card carries a nonce so it shows once."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import discord

from bot.i18n import N_, _, public_language
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.errors import log_refused
from bot.ui.file_names import full_text_name
from bot.ui.live_host import LiveHost
from bot.ui.steps.base import MessagePayload

log = logging.getLogger("chorus.live")

NONE = discord.AllowedMentions.none()


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    found = ""
    while True:
        number, rest = divmod(number, 36)
        found = digits[rest] + found
        if number == 0:
            return found


def board_nonce(session_id: int, seen_board_id: int | None) -> str:
    """The nonce of a session board: the same in every process that would post the board in
    place of `seen_board_id` (None: the first board), so Discord shows it once."""
    return f"b{_base36(session_id)}.{_base36(seen_board_id or 0)}"[:25]


def step_nonce(run: RunRecord) -> str:
    """The nonce of a step card: the same in every process that would post this step of this
    run (run id, step, the step's start in ms), so a second post of it (a process adopting a
    shard while the first was posting, a retry) returns Discord's first message instead of
    showing the step twice. Discord keeps nonces for a few minutes, up to 25 characters."""
    started = round((run.step_started_at or 0.0) * 1000)
    return f"s{_base36(run.id)}.{run.step_index}.{_base36(started)}"[:25]


def fitted(
    payload: MessagePayload, locale: str
) -> tuple[str | None, list[discord.Embed], list[discord.File]]:
    """A payload within Discord's limits (bot/ui/limits.py); what had to be cut is attached
    whole as a text file named in ``locale`` (the channel's language), so nothing is dropped."""
    fit = limits.fit_message(payload.content, payload.all_embeds)
    files = list(payload.files)
    if fit.overflow and len(files) < limits.ATTACHMENTS:
        log.info("a message was longer than Discord allows; its full text is attached")
        files.append(limits.overflow_file(fit.overflow, full_text_name(locale)))
    return fit.content, fit.embeds, files


def shortened(payload: MessagePayload, locale: str) -> MessagePayload:
    """A much shorter form of a refused payload (the retry after a 400): every embed text cut
    hard, its full text attached (named in ``locale``, the channel's language)."""
    small: list[discord.Embed] = []
    overflow: list[str] = []
    for embed in payload.all_embeds[:3]:
        overflow.append(limits.embed_text(embed))
        copy = discord.Embed(
            title=limits.cut(embed.title or "", 200) or None,
            description=limits.cut(embed.description or "", 1500) or None,
            colour=embed.colour,
        )
        for item in embed.fields[:10]:
            copy.add_field(
                name=limits.cut(item.name or "\u200b", 100),
                value=limits.cut(item.value or "\u200b", 300),
                inline=bool(item.inline),
            )
        if embed.footer.text:
            copy.set_footer(text=limits.cut(embed.footer.text, 200))
        if embed.author.name:
            copy.set_author(name=limits.cut(embed.author.name, 200))
        small.append(copy)
    content = limits.cut(payload.content, 1500) if payload.content else None
    files = (limits.overflow_file(overflow, full_text_name(locale)),) if overflow else ()
    return MessagePayload(content=content, embeds=tuple(small), view=payload.view, files=files)


async def _edit(message: discord.PartialMessage, payload: MessagePayload, locale: str) -> None:
    content, embeds, files = fitted(payload, locale)
    if files:
        await message.edit(
            content=content,
            embeds=embeds,
            view=payload.view,
            attachments=files,
            allowed_mentions=NONE,
        )
    else:
        await message.edit(content=content, embeds=embeds, view=payload.view, allowed_mentions=NONE)


@dataclass(frozen=True)
class MessageName:
    """What a posted message is, for the log (in English) and for the facilitator told that
    members missed it (in the server's language): a catalogue text marked with `N_`, whose
    `{kind}` (if any) is filled with a step kind, e.g. `MessageName(STEP_CARD, "vote")`."""

    text: str
    kind: str = ""

    def english(self) -> str:
        """The name for the log: the catalogue text itself, the kind filled in."""
        return self.text.format(kind=self.kind) if self.kind else self.text

    def worded(self, locale: str) -> str:
        """The name in ``locale`` (a language code), the kind filled in."""
        return _(self.text, locale, kind=self.kind) if self.kind else _(self.text, locale)


STEP_CARD = N_("the {kind} step card")
A_MESSAGE = MessageName(N_("a message"))


def step_card(kind: str) -> MessageName:
    """The name of a step card of `kind` (a step type, e.g. "listen")."""
    return MessageName(STEP_CARD, kind)


class SessionPoster(ABC):
    """Posts and edits a session's messages in its channel; what members lose is told to the
    facilitator once. The base of `LiveSessions`, which says what a gone channel and a failed
    post that the board refresh retries mean for a session."""

    def __init__(self, bot: LiveHost) -> None:
        self.bot = bot
        self._told_about_permissions: set[int] = set()
        self._told_about_losses: set[tuple[int, str]] = set()

    @abstractmethod
    async def channel_gone(self, session: SessionRecord) -> None:
        """The session's channel was deleted (Discord answered 404 to a post)."""

    @abstractmethod
    def request_board(self, session_id: int) -> None:
        """A post that the board refresh retries (`retried=True`) failed: refresh soon."""

    def language(self, session: SessionRecord) -> str:
        """The language of the session's public posts: the server's (bot/i18n/languages.py)."""
        return public_language(self.bot.guild_settings.for_guild(session.guild_id).language)

    def channel(self, session: SessionRecord) -> discord.PartialMessageable:
        """Works without the member or channel cache, so it works right after a restart."""
        return self.bot.get_partial_messageable(session.channel_id, guild_id=session.guild_id)

    async def send(
        self,
        session: SessionRecord,
        payload: MessagePayload,
        *,
        notify: bool = True,
        what: MessageName = A_MESSAGE,
        retried: bool = False,
        nonce: str | None = None,
    ) -> discord.Message | None:
        """Post in the session's channel, fitted to Discord's limits (text that doesn't fit is
        attached whole as a file); a missing permission is told to the facilitator once, a
        refused post is retried once shortened, and what members lost is never silent.
        `retried`: the board refresh posts it again if this fails (step cards, the board).
        `nonce` (<= 25 characters): Discord returns the message already posted with it (in
        the last few minutes) instead of posting a second one. `what` names the message for
        the log and the facilitator."""
        named = what.english()
        try:
            return await self._post(session, payload, nonce)
        except discord.NotFound:
            await self.channel_gone(session)
        except discord.Forbidden as error:
            log.warning(
                "missing permission to post %s in channel %s (Discord error %s)",
                named,
                session.channel_id,
                error.code,
            )
            if notify:
                await self.missing_permission(session)
        except discord.HTTPException as error:
            then = "retrying it shortened" if error.status == 400 else "the board refresh retries"
            log_refused(
                log, error, "Discord refused %s in channel %s, %s", named, session.channel_id, then
            )
            if error.status == 400:
                try:
                    shorter = shortened(payload, self.language(session))
                    return await self._post(session, shorter, nonce)
                except discord.HTTPException as again:
                    log.error(
                        "Discord refused %s in channel %s again, shortened (Discord error %s): "
                        "members did not get it",
                        named,
                        session.channel_id,
                        again.code,
                    )
                    await self.tell_lost(session, what, again)
            elif retried:
                # Discord failed even after discord.py's own retries (e.g. 5xx): the session
                # goes on; a step that wasn't posted is posted by the next board refresh.
                if notify:
                    self.request_board(session.id)
            else:
                await self.tell_lost(session, what, error)
        return None

    async def _post(
        self, session: SessionRecord, payload: MessagePayload, nonce: str | None = None
    ) -> discord.Message:
        content, embeds, files = fitted(payload, self.language(session))
        # discord.py sends `enforce_nonce` with a nonce.
        extra: dict[str, Any] = {} if nonce is None else {"nonce": nonce}
        return await self.channel(session).send(
            content=content,
            embeds=embeds,
            view=payload.view,  # type: ignore[arg-type]
            files=files,
            allowed_mentions=NONE,
            **extra,
        )

    async def edit(
        self,
        session: SessionRecord,
        message_id: int,
        payload: MessagePayload,
        *,
        what: MessageName,
    ) -> bool:
        """Edit one of the session's messages, fitted to Discord's limits like `send`; a 400
        is retried once shortened; any refusal is logged with Discord's code, and members'
        loss is told to the facilitator once. True when the message shows `payload`."""
        message = self.channel(session).get_partial_message(message_id)
        named = what.english()
        try:
            await _edit(message, payload, self.language(session))
            return True
        except discord.NotFound:
            log.warning("%s (message %s) was deleted; it can't be updated", named, message_id)
            return False
        except discord.HTTPException as error:
            then = ", retrying it shortened" if error.status == 400 else ""
            log_refused(
                log, error, "Discord refused the edit of %s, message %s%s", named, message_id, then
            )
            if error.status == 400:
                try:
                    locale = self.language(session)
                    await _edit(message, shortened(payload, locale), locale)
                    return True
                except discord.HTTPException as again:
                    error = again
                    log.error(
                        "Discord refused the shortened edit of %s too (Discord error %s)",
                        named,
                        again.code,
                    )
            if not isinstance(error, discord.Forbidden):
                await self.tell_lost(session, what, error)
            else:
                await self.missing_permission(session)
            return False

    async def tell_lost(
        self, session: SessionRecord, what: MessageName, error: discord.HTTPException
    ) -> None:
        """Tell the facilitator, privately and once per session and thing, what members missed."""
        key = (session.id, what.english())
        if key in self._told_about_losses:
            return
        self._told_about_losses.add(key)
        await self.tell_facilitator(
            session,
            _(
                "Discord refused {what} in {channel} during **{title}** (Discord error {code}), "
                "so members may not see it. The session carries on; the details are in the "
                "bot's log.",
                self.language(session),
                what=what.worded(self.language(session)),
                channel=f"<#{session.channel_id}>",
                title=session.title,
                code=error.code or error.status,
            ),
        )

    async def missing_permission(self, session: SessionRecord) -> None:
        """Tell the facilitator once per session what permission to give back."""
        if session.id in self._told_about_permissions:
            return
        self._told_about_permissions.add(session.id)
        await self.tell_facilitator(
            session,
            _(
                "I can't post in {channel}, so the session **{title}** can't show its steps. "
                "Please give me the **Send Messages**, **Embed Links** and **Attach Files** "
                "permissions in that channel; the session carries on as soon as I can post.",
                self.language(session),
                channel=f"<#{session.channel_id}>",
                title=session.title,
            ),
        )

    async def tell_facilitator(self, session: SessionRecord, text: str) -> bool:
        """DM the session's facilitator; False when Discord refused (DMs closed, user gone)
        or when the facilitator used /forget: then nobody is contacted in their place (the
        member chose to tell that one person, not everyone with the role)."""
        if not session.has_facilitator:
            log.info("session %s has no facilitator to tell; nobody was contacted", session.id)
            return False
        try:
            user = self.bot.get_user(session.facilitator_id) or await self.bot.fetch_user(
                session.facilitator_id
            )
            await user.send(text, allowed_mentions=NONE)
        except discord.HTTPException:
            log.warning("could not reach facilitator %s", session.facilitator_id)
            return False
        return True
