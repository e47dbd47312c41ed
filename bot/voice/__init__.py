"""Voice playback behind a small interface, so the step logic never depends on a real connection.

- player.py         `VoicePlayer` (join, play a set of pieces at a second, stop, pause, resume),
                    `Piece`, `VoiceUnavailable` (every way playback can fail)
- refusals.py       why the bot can't play in a channel (stage, permissions, full) and the
                    facilitator's sentences for problems after the start
- ffmpeg.py         the audio pipeline: FFmpeg seeks, joins a set, normalises loudness, encodes Opus
- discord_voice.py  `DiscordVoice`, the real player (discord.py voice connections)
- recording.py      `RecordingVoice`, the stand-in the simulated-Discord tests inject
                    (`create_bot(voice=...)`), because simcord can't carry audio

`DiscordVoice` itself is tested against a voice protocol peer (tests/fakes/discord_voice.py).
"""
