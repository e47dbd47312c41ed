"""The requires_program marker: skipped with what to install, failed where CI says it must run."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

NEEDS_A_MISSING_PROGRAM = """
import pytest

@pytest.mark.requires_program("chorus-no-such-program")
def test_needs_it() -> None:
    assert True
"""


def test_missing_program_skips_with_what_to_install(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHORUS_REQUIRE_PROGRAMS", raising=False)
    pytester.makeconftest('pytest_plugins = ["tests.programs"]')
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(NEEDS_A_MISSING_PROGRAM)
    result = pytester.runpytest("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        [
            "SKIPPED*test_missing_program_skips_with_what_to_install.py:*: "
            "*::test_needs_it: needs chorus-no-such-program, not installed here "
            "(install chorus-no-such-program)*"
        ]
    )


def test_missing_program_fails_where_it_is_required(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHORUS_REQUIRE_PROGRAMS", "1")
    pytester.makeconftest('pytest_plugins = ["tests.programs"]')
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(NEEDS_A_MISSING_PROGRAM)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*CHORUS_REQUIRE_PROGRAMS=1 says this machine must have it*"])
