"""Hyphenation points from pyphen: languages, word shapes that must not split, Cyrillic."""

from __future__ import annotations

import pyphen
import pytest
from hypothesis import given
from hypothesis import strategies as st

from booklet.hyphenate import SOFT_HYPHEN, Hyphenator, hyphenator, resolve_language
from booklet.layouts import Hyphenation


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Parsed patterns and hyphenated words are cached under XDG_CACHE_HOME: keep this
    module's (every pyphen language) out of the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.mark.parametrize("code, dictionary", [
    ("en", "en_US"), ("en-GB", "en_GB"), ("en_US", "en_US"), ("uk", "uk_UA"), ("ru", "ru_RU"),
    ("uk-UA", "uk_UA"), ("de", "de_DE"), ("fr", "fr"),
])
def test_language_codes_find_a_dictionary(code, dictionary):
    assert resolve_language(code) == dictionary


def test_any_pyphen_code_resolves():
    for code in ["pl", "cs", "nl", "sv", "pt-BR"]:
        assert resolve_language(code) in pyphen.LANGUAGES


def test_unknown_language_gives_no_hyphenator():
    assert resolve_language("xx") is None
    assert hyphenator("xx") is None
    assert hyphenator("") is None


def test_every_pyphen_language_works():
    for code in pyphen.LANGUAGES:
        h = hyphenator(code)
        assert h is not None, code
        h.points("internationalisation")  # no error


def test_english_points_and_minimum_lengths():
    h = hyphenator("en", Hyphenation(2, 3))
    assert h.split("hyphenation") == ["hy", "phen", "ation"]
    for token in ["typesetting", "optimisation", "extraordinary", "responsibilities"]:
        for piece_start, point in zip([0, *h.points(token)], h.points(token)):
            assert point >= 2 and len(token) - point >= 3
    assert hyphenator("en", Hyphenation(4, 4)).split("hyphenation") == ["hyphen", "ation"]


def test_punctuation_is_stripped_and_kept():
    h = hyphenator("en")
    assert h.split("“hyphenation,”") == ["“hy", "phen", "ation,”"]
    assert h.split("(typesetting)") == ["(type", "set", "ting)"]


@pytest.mark.parametrize("token", [
    "https://example.org/typesetting", "www.typesetting.org", "someone@example.org",
    "1234567890", "3.14159", "NASA", "UNHCR", "NATO’s", "example.org", "snake_case_identifier", "2nd",
    "/usr/share/common-licenses",
])
def test_never_split(token):
    assert hyphenator("en").points(token) == ()


def test_hyphenated_compound_parts_hyphenate_separately_and_keep_their_hyphen():
    h = hyphenator("en")
    pieces = h.split("information-theoretical")
    assert "".join(pieces) == "information-theoretical"
    assert len(pieces) >= 3
    # the explicit hyphen is not a point of its own (the breaker treats it separately)
    assert all(not p.startswith("-") and not p.endswith("-") for p in pieces)


def test_soft_hyphens_are_the_only_points():
    h = hyphenator("en")
    token = f"co{SOFT_HYPHEN}op{SOFT_HYPHEN}eration"
    assert h.split(token) == [f"co{SOFT_HYPHEN}", f"op{SOFT_HYPHEN}", "eration"]


@pytest.mark.parametrize("word", ["пʼятниця", "п’ятниця", "п'ятниця"])
def test_ukrainian_apostrophes_all_work_the_same(word):
    h = hyphenator("uk")
    assert h.points(word) == hyphenator("uk").points("п'ятниця")
    assert h.points(word)


@pytest.mark.parametrize("word", [
    "їжачками", "європейський", "ґрунтовний", "інформація", "подвір’я", "пам’ятати",
    "з’являтися", "Єдність", "Ґалаґан",
])
def test_ukrainian_letters_hyphenate(word):
    h = hyphenator("uk")
    points = h.points(word)
    assert points, word
    assert all(p >= 2 and len(word) - p >= 3 for p in points)
    # never separate an apostrophe from its neighbours
    for p in points:
        assert word[p - 1] not in "'’ʼ" and word[p] not in "'’ʼ"


def test_russian_yo_hyphenates_as_well_as_ye():
    h = hyphenator("ru")
    # ё words get the same points as their е spelling (pyphen's patterns have no ё)
    for yo in ["берёзовый", "зелёный", "самолётостроение", "объёмный", "Ёжиковый"]:
        ye = yo.replace("ё", "е").replace("Ё", "Е")
        assert h.points(yo) == h.points(ye), yo
    assert len(h.points("берёзовый")) >= 3


def test_cache_returns_the_same_tuple():
    h = hyphenator("en")
    assert h.points("typography") is h.points("typography")
    assert hyphenator("en") is hyphenator("en")


@given(st.text(min_size=0, max_size=30))
def test_points_are_inside_the_token_and_sorted(token):
    h: Hyphenator = hyphenator("en")
    points = h.points(token)
    assert list(points) == sorted(set(points))
    assert all(0 < p < len(token) for p in points)


@pytest.mark.parametrize("dictionary", ["en_US", "en_GB", "uk_UA", "ru_RU", "de_DE", "fr", "pl_PL"])
def test_own_pattern_reader_agrees_with_pyphen(dictionary):
    from booklet.hyphenate import _patterns

    words = ("hyphenation typesetting extraordinary responsibilities information paragraphs "
             "Silbentrennung Donaudampfschiff anticonstitutionnellement przedsiębiorstwo "
             "пʼятниця подвір’я європейський самолётостроение берёзовый объявление").split()
    ours = _patterns(dictionary)
    theirs = pyphen.Pyphen(lang=dictionary, left=1, right=1)
    for word in words:
        assert [p for p in ours.positions(word) if 1 <= p <= len(word) - 1] == \
            [int(p) for p in theirs.positions(word)], word


def test_words_are_kept_for_the_next_run(tmp_path, monkeypatch):
    from booklet.hyphenate import Hyphenator

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = Hyphenator("en_US", 2, 3)
    assert first.split("typesetting") == ["type", "set", "ting"]
    first.save()
    second = Hyphenator("en_US", 2, 3)
    assert second._patterns is None and "typesetting" in second._cache  # no pattern matching
    assert second.split("typesetting") == ["type", "set", "ting"]
    assert second._patterns is None
    assert second.split("hyphenation") == ["hy", "phen", "ation"]  # a new word reads them


def test_an_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    from booklet.hyphenate import Hyphenator

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    h = Hyphenator("uk_UA", 2, 3)
    assert h.points("європейський")
    h.save()
