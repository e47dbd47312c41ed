"""Whatever bytes a facilitator saves, the loader returns an activity or located errors."""

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.activities import Activity, ActivityError
from tests.activity_files import load_file

LIBRARY = Path(__file__).resolve().parents[2] / "activities"
SHIPPED = [p.read_text(encoding="utf-8") for p in sorted(LIBRARY.glob("*.yaml"))]
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
YAML_BITS = st.sampled_from(
    [
        ":",
        "- ",
        "\n",
        "  ",
        "\t",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&a ",
        "*a",
        "!!str ",
        "!x ",
        "'",
        '"',
        "#",
        "|",
        ">",
        "?",
        "%YAML 1.2\n",
        "---\n",
        "...\n",
        "~",
        "true",
        "1:30",
        "5m",
        "type: ",
        "steps:",
        "from_vote",
        "\x00",
        "\ufeff",
        "é",
        "../",
        "/etc/passwd",
        "9" * 5000,
    ]
)
YAML_TEXT = st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=60).map("".join)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def check(tmp_path: Path, content: str | bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(content)
    result = load_file(path, tmp_path)
    if isinstance(result, Activity):
        assert Activity.model_validate(result.model_dump(mode="json")) == result
        return
    assert isinstance(result, list)
    assert result, "an empty error list must not stand for failure"
    for error in result:
        assert isinstance(error, ActivityError)
        assert error.line >= 1
        assert error.column >= 1
        assert error.message
        assert "internal error" not in error.message, str(error)


@FUZZ
@given(text=YAML_TEXT)
def test_random_yaml_text(tmp_path: Path, text: str) -> None:
    check(tmp_path, text)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes(tmp_path: Path, raw: bytes) -> None:
    check(tmp_path, raw)


@FUZZ
@given(
    source=st.sampled_from(SHIPPED),
    position=st.floats(min_value=0, max_value=1),
    cut=st.integers(min_value=0, max_value=40),
    insert=st.one_of(YAML_BITS, st.text(max_size=10)),
)
def test_mutated_shipped_files(
    tmp_path: Path, source: str, position: float, cut: int, insert: str
) -> None:
    at = int(position * len(source))
    check(tmp_path, source[:at] + insert + source[at + cut :])


@FUZZ
@given(source=st.sampled_from(SHIPPED), data=st.data())
def test_shipped_files_with_a_value_replaced(
    tmp_path: Path, source: str, data: st.DataObject
) -> None:
    document = yaml.safe_load(source)
    node = document
    while True:
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = data.draw(st.integers(min_value=0, max_value=len(node) - 1))
        else:
            break
        if data.draw(st.booleans()):
            node[key] = data.draw(JSONISH)
            break
        node = node[key]
    check(tmp_path, yaml.safe_dump(document, allow_unicode=True))


@FUZZ
@given(document=JSONISH)
def test_random_documents(tmp_path: Path, document: object) -> None:
    check(tmp_path, yaml.safe_dump(document, allow_unicode=True))
