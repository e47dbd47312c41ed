"""Numbers in catalogue texts are written the reader's way (Babel's CLDR data), ids never."""

from __future__ import annotations

import pytest

from bot.i18n import Figure, Verbatim, Wording, _, format_number, format_percent, ngettext
from tests.discord_limits import check_files, check_numbers


@pytest.mark.parametrize(
    ("locale", "thousand", "ten_thousand", "one_and_a_half"),
    [
        ("en", "1,000", "10,000", "1.5"),
        ("de", "1.000", "10.000", "1,5"),
        # CLDR's minimumGroupingDigits is 2 for Spanish: four digits take no separator.
        ("es", "1000", "10.000", "1,5"),
    ],
)
def test_format_number_follows_cldr(
    locale: str, thousand: str, ten_thousand: str, one_and_a_half: str
) -> None:
    assert format_number(1000, locale) == thousand
    assert format_number(10000, locale) == ten_thousand
    assert format_number(1.5, locale) == one_and_a_half
    assert (
        format_number(1234.5, locale, decimals=2)
        == {
            "en": "1,234.50",
            "de": "1.234,50",
            "es": "1234,50",
        }[locale]
    )


def test_numbers_are_written_the_languages_way() -> None:
    assert [format_number(1234.5, x) for x in ("en", "de", "es-ES")] == [
        "1,234.5",
        "1.234,5",
        "1234,5",  # CLDR: Spanish groups from five digits (minimumGroupingDigits 2)
    ]
    assert format_number(3, "de", decimals=1) == "3,0"
    assert format_number(2.6, "en", decimals=0) == "3"
    assert format_percent(0.25, "en") == "25%"
    assert format_percent(0.25, "de").replace("\xa0", " ") == "25 %"


def test_percentages_follow_cldr() -> None:
    assert format_percent(0.25, "en") == "25%"
    assert format_percent(0.25, "de") == "25\xa0%"
    assert format_percent(12.5, "es") == "1250\xa0%"
    assert format_percent(125, "de") == "12.500\xa0%"


def test_plural_counts_and_fields_are_written_in_the_readers_language() -> None:
    many = "{count} of {total} answered"
    assert ngettext(many, many, 1000, "de", total=5) == "1.000 von 5 haben geantwortet"
    assert ngettext(many, many, 10000, "es", total=5) == "10.000 de 5 han respondido"
    assert ngettext(many, many, 1000, "es", total=5) == "1000 de 5 han respondido"
    step = "Step {number} of {total}: **{title}**"
    assert _(step, "de", number=1.5, total=10000, title="X") == "Schritt 1,5 von 10.000: **X**"
    assert _(step, "es", number=1.5, total=10000, title="X") == "Paso 1,5 de 10.000: **X**"


def test_an_english_text_keeps_its_figures_as_the_code_writes_them() -> None:
    many = "{count} of {total} answered"
    assert ngettext(many, many, 3, "en", total=5) == "3 of 5 answered"
    assert _("Step {number} of {total}: **{title}**", "en", number=1.5, total=4, title="X") == (
        "Step 1.5 of 4: **X**"
    )
    # English texts keep their figures as the code writes them (no grouping; no ".0").
    assert ngettext(many, many, 1000, None, total=5) == "1000 of 5 answered"
    assert _("Step {number} of {total}: **{title}**", "en", number=2.0, total=10000, title="X") == (
        "Step 2 of 10000: **X**"
    )


def test_wordings_write_their_numbers_for_each_reader() -> None:
    more = Wording.plural("... and {count} more error", "... and {count} more errors", 1200)
    assert more == "... and 1200 more errors"
    assert more.text("de") == "... und 1.200 weitere Fehler"
    assert more.text("es") == "... y 1200 errores más"


def test_ids_timestamps_and_snowflakes_are_never_separated() -> None:
    snowflake, at = 1234567890123456789, 1764500000
    upload = "**v{version}** uploaded <t:{at}:f> by {who}"
    shown = _(upload, "de", version=1200, at=at, who="Ana")
    assert "<t:1764500000:f>" in shown and "**v1200**" in shown
    # Placeholders in a mention, a "#" number, a link: whatever their name.
    assert "#12345" in _(
        "Cancelled **{title}** #{id}; its server event was removed.", "de", title="T", id=12345
    )
    assert _("Song #{number}", "de", number=4321) == "Song Nr. 4321"  # the msgid says "#"
    assert "<t:1764500000:F>" in _(
        "The series carries on: next is #{id} on <t:{starts_at}:F>.", "es", id=2000, starts_at=at
    )
    # A line of a file, read against an editor's numbering.
    duplicate = Wording("duplicate key '{key}' (first written on line {line})", key="id", line=1200)
    assert duplicate.endswith("line 1200)") and "Zeile 1200 " in duplicate.text("de")
    # A field that is not a quantity, said so where it is filled.
    assert _("{count} of {total} answered", "de", count=Verbatim(2026), total=5).startswith("2026 ")
    assert f"{Verbatim(snowflake)}" == str(snowflake)
    # What the limits plugin holds every request to: bare digits in markup and custom ids.
    assert check_numbers("msg", {"content": f"<@{snowflake}> <t:{at}:R>"}) == []
    assert check_numbers("msg", {"content": "<t:1.764.500.000:R>"})
    assert check_numbers("msg", {"content": "<@&1,234,567>"})
    assert check_numbers("msg", {"components": [{"custom_id": "chorus:step:1.000"}]})
    assert check_numbers("msg", {"components": [{"custom_id": f"chorus:{at}.125"}]}) == []
    assert check_numbers("msg", {"content": "1.000 von 5"}) == []


class _File:
    def __init__(self, filename: str) -> None:
        import io

        self.fp, self.filename = io.BytesIO(b"x"), filename


def test_the_limits_plugin_holds_file_names_to_the_rule() -> None:
    assert check_files("msg", [_File("stimmungsbander.png")]) == []
    assert check_files("msg", [_File("Stimmungsbänder.png")])
    assert check_files("msg", [_File("SPOILER_x.png")])
    assert check_files("msg", [_File("a b.txt")])


def test_a_figure_keeps_its_decimals_in_every_language() -> None:
    from bot.core.errors import InvalidInput
    from bot.core.media_library import check_upload_size

    assert _("{size} MB", "de", size=Figure(1.0, 1)) == "1,0 MB"
    assert _("{size} MB", "en", size=Figure(1234.5, 1)) == "1234.5 MB"
    assert _("{size} MB", "es", size=Figure(12345, 2)) == "12.345,00 MB"
    with pytest.raises(InvalidInput) as refused:
        check_upload_size(1536 * 1024, 1)
    assert str(refused.value).startswith("That file is 1.5 MB; the limit is 1 MB.")
    assert refused.value.text("de").startswith("Diese Datei ist 1,5 MB groß")
