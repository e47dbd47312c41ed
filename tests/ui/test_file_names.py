"""The files Chorus attaches are named in the reader's language, folded to safe ASCII names
(every name the suite sends is also held to `limits.FILE_NAME_RULE` by tests/discord_limits.py)."""

from __future__ import annotations

import pytest

from bot.core.lyrics import Credits
from bot.ui import calendar, file_names, limits, mydata
from bot.ui.file_names import attachment_name
from bot.ui.lyrics import SongSheet
from bot.ui.songs import song_file

GERMAN = {
    file_names.CHECKIN_HISTORY: ("png", "check-in-verlauf.png"),
    file_names.MOOD_BANDS: ("png", "stimmung.png"),
    file_names.GROUP_TRENDS: ("png", "gruppentrends.png"),
    file_names.GOAL_PROGRESS: ("png", "ziel-fortschritt.png"),
    file_names.MY_DATA: ("json", "chorus-meine-daten.json"),
    file_names.MY_SUMMARY: ("png", "chorus-zusammenfassung.png"),
    file_names.SESSIONS: ("ics", "chorus-sitzungen.ics"),
    file_names.PROBLEMS: ("txt", "probleme.txt"),
    file_names.YOUR_WORDS: ("txt", "deine-worte.txt"),
}


@pytest.mark.parametrize(("stem", "extension", "german"), [(k, *v) for k, v in GERMAN.items()])
def test_each_kind_of_file_has_a_german_name(stem: str, extension: str, german: str) -> None:
    assert attachment_name(stem, extension, "de") == german
    assert limits.FILE_NAME_RULE.match(german)
    # English keeps the names Chorus has always used.
    assert attachment_name(stem, extension, "en") == f"{stem}.{extension}"


def test_the_files_made_for_a_german_reader_carry_german_names() -> None:
    assert mydata.csv_file(b"a,b\n", "de").filename == "chorus-meine-daten.csv"
    assert mydata.chart_file(b"png", "de").filename == "chorus-zusammenfassung.png"
    assert calendar.file_name("de") == "chorus-sitzungen.ics"
    assert calendar.file_name("es") == "chorus-sesiones.ics"


def test_a_song_sheet_is_named_after_its_title_folded_to_ascii() -> None:
    sheet = SongSheet("Über die Straße, süß", "", [], Credits((), True), {}, 3)
    assert song_file(sheet, locale="de").filename == "uber-die-strasse-suss.md"
    assert song_file(sheet, "text", locale="de").filename == "uber-die-strasse-suss.txt"
    untitled = SongSheet("", "", [], Credits((), True), {}, 3)
    assert song_file(untitled, locale="de").filename == "song-nr-3.md"
    emoji = SongSheet("🌧️🎶", "", [], Credits((), True), {}, None)
    assert song_file(emoji, locale="es").filename == "cancion.md"


def test_file_name_folds_and_keeps_within_the_rule() -> None:
    assert limits.file_name("Stimmungsbänder vorher/nachher", "png") == (
        "stimmungsbander-vorher-nachher.png"
    )
    assert limits.file_name("Canción del jueves (ñ)", "md") == "cancion-del-jueves-n.md"
    assert limits.file_name("SPOILER_x", "txt") == "spoiler-x.txt"  # never blurred
    long = limits.file_name("a" * 200, "txt")
    assert len(long) == limits.FILE_NAME and long.endswith(".txt")
    assert limits.file_name("", "txt") == "chorus.txt"
    for name in (long, limits.file_name("--Ä--", "csv"), limits.file_name("ẞ", "png")):
        assert limits.FILE_NAME_RULE.match(name), name
