"""After a check-in answer: a private note, sharing it with the group, telling the facilitator."""

from __future__ import annotations

import discord

from bot.chorus_bot import ChorusBot
from bot.core.checkin_extras import Told
from bot.core.checkin_service import CheckinService
from bot.i18n import N_, _
from bot.records.sessions import SessionRecord
from bot.ui import checkin_care, limits
from bot.ui import checkins as ui
from bot.ui.forms import ChorusForm, FormValues, send_form
from bot.ui.locale import member_language, server_language
from bot.ui.replies import reply_ephemeral, reply_outcome, show_private
from bot.ui.steps.base import MessagePayload

NONE = discord.AllowedMentions.none()


class NoteForm(ChorusForm):
    """A private note with a check-in; answered through its custom_id by
    `CheckinExtras.on_note_form`, with no timeout."""

    def __init__(self, checkin_id: int, limit: int, locale: str) -> None:
        super().__init__(
            _("A note with your check-in", locale), ui.NoteFormId(checkin_id=checkin_id)
        )
        self.add_item(
            discord.ui.TextInput(
                custom_id="note",
                label=limits.label(_("Your note (only you see it)", locale)),
                style=discord.TextStyle.paragraph,
                max_length=limit,
                required=False,
                placeholder=limits.placeholder(
                    _("A word or two is plenty. Leave empty to remove the note.", locale)
                ),
            )
        )


class CheckinExtras:
    """The note, share and tell buttons and the note form (registered by `CheckinsCog`); the
    rules are `CheckinService.extras`' (bot.core.checkin_extras), this only words them."""

    def __init__(self, bot: ChorusBot, service: CheckinService) -> None:
        self.bot = bot
        self.service = service.extras

    async def on_note(self, interaction: discord.Interaction, item: ui.NoteButton) -> None:
        """Add a note: the note form for the member's own check-in."""
        record, limit = await self.service.own_with_note(item.checkin_id, interaction.user.id)
        await send_form(interaction, NoteForm(record.id, limit, member_language(interaction)))

    async def on_note_form(
        self, interaction: discord.Interaction, form: ui.NoteFormId, values: FormValues
    ) -> None:
        """The note form submitted: the note is saved on the member's own check-in."""
        record, limit = await self.service.own_with_note(form.checkin_id, interaction.user.id)
        note = await self.service.set_note(
            record.id, interaction.user.id, values.text("note"), limit
        )
        await reply_outcome(
            interaction,
            bool(note),
            N_("📝 Your note is saved. Only you can see it."),
            N_("Your note was removed."),
        )

    async def on_share(self, interaction: discord.Interaction, item: ui.ShareButton) -> None:
        """Share with the group: the answer (never the note) is posted under the member's name.
        Raises Conflict when the answer is already shared."""
        record, scale = await self.service.share(item.checkin_id, interaction.user.id)
        # A post for the group: the server's language.
        post = ui.shared_post(
            interaction.user.display_name,
            scale,
            record.value,
            record.value2,
            server_language(self.bot.guild_settings, interaction.guild_id),
        )
        channel = interaction.channel
        if record.session_id is not None:
            session = await self.bot.sessions.get(record.session_id)
            await self.bot.live.send(session, MessagePayload(content=post))
        elif isinstance(channel, discord.abc.Messageable):
            await channel.send(post, allowed_mentions=NONE)
        await reply_ephemeral(
            interaction,
            _("📣 Shared with the group (your note stays private).", member_language(interaction)),
        )

    async def on_tell(
        self, interaction: discord.Interaction, item: checkin_care.TellButton
    ) -> None:
        """Let the facilitator know: a private DM to the session's facilitator, once per member
        and session (the service decides and keeps it); the member is told whether it reached
        them."""
        name = interaction.user.display_name

        async def tell(session: SessionRecord) -> bool:
            # A direct message to the facilitator: the server's language.
            language = server_language(self.bot.guild_settings, session.guild_id)
            note = checkin_care.facilitator_note(name, session.title, language)
            return await self.bot.live.tell_facilitator(session, note)

        told = await self.service.tell_facilitator(item.session_id, interaction.user.id, tell)
        locale = member_language(interaction)
        if told in (Told.NOT_REACHED, Told.NO_FACILITATOR):
            # Say so honestly, and give the support text again: they asked for help. (A
            # facilitator who used /forget has nobody told in their place.)
            config = self.bot.guild_settings.for_guild(interaction.guild_id)
            embed, view = checkin_care.care_message(config, None, locale)
            await show_private(interaction, _(_TOLD[told], locale), embed=embed, view=view)
            return
        await reply_ephemeral(interaction, _(_TOLD[told], locale))


_TOLD = {
    Told.TOLD: N_("💜 I've let the facilitator know privately. Nothing was posted in the channel."),
    Told.ALREADY: N_("I've already let the facilitator know. 💜"),
    Told.FACILITATOR_HERE: N_("You're the facilitator here; take good care. 💜"),
    Told.NOT_REACHED: checkin_care.TELL_FAILED,
    Told.NO_FACILITATOR: checkin_care.NO_FACILITATOR_TO_TELL,
}
"""What the member is told for each outcome (catalogue texts, worded in their language)."""
