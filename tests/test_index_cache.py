"""The cached index is the built index; stale, damaged or missing caches are rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from degarble import index_cache, matcher
from degarble.restorer import Restorer
from scale_helpers import TEXTS, write_dictionary


def _shape(index: matcher.PhraseIndex) -> tuple[object, ...]:
    def form(f: matcher.Form) -> tuple[object, ...]:
        e = f.entry
        return (f.words, f.replacement, f.inflected, e.spun, e.standard, e.flags, e.source, e.line)

    return (
        [form(f) for f in index.exact.values()],
        [(k, form(f)) for k, f in index.variant.items()],
        {w: [(form(f), p) for f, p in placed] for w, placed in index.anchors.items()},
        index.firsts,
        index.variant_firsts,
        index.max_words,
    )


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DEGARBLE_CACHE_DIR", str(folder))
    monkeypatch.delenv("DEGARBLE_NO_CACHE", raising=False)
    return folder


def test_cached_index_equals_built_index_and_skips_lemminflect(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dictionary = write_dictionary(tmp_path)
    built = Restorer([dictionary])
    assert len(list(cache.glob("index-*.json"))) == 1

    def no_inflection(entry):  # type: ignore[no-untyped-def]
        raise AssertionError("the cached index must not call lemminflect")

    monkeypatch.setattr(matcher, "inflected_forms", no_inflection)
    cached = Restorer([dictionary])
    assert _shape(cached.index) == _shape(built.index)
    for text in TEXTS:
        assert cached.restore_and_explain(text) == built.restore_and_explain(text)


def test_editing_a_dictionary_gives_a_new_index(cache: Path, tmp_path: Path) -> None:
    dictionary = write_dictionary(tmp_path)
    assert Restorer([dictionary]).restore("in light of the fact that") == "in light of the fact that"
    dictionary.write_text(dictionary.read_text() + "in light of the fact that\tbecause\n", encoding="utf-8")
    assert Restorer([dictionary]).restore("in light of the fact that") == "because"
    assert len(list(cache.glob("index-*.json"))) == 2


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"key": "x"}\n[]'])
def test_damaged_cache_is_rebuilt(cache: Path, tmp_path: Path, damage: bytes) -> None:
    dictionary = write_dictionary(tmp_path)
    expected = Restorer([dictionary]).restore(TEXTS[1])
    (path,) = cache.glob("index-*.json")
    path.write_bytes(damage)
    assert Restorer([dictionary]).restore(TEXTS[1]) == expected


def test_tampered_payload_fails_its_checksum(cache: Path, tmp_path: Path) -> None:
    dictionary = write_dictionary(tmp_path)
    expected = Restorer([dictionary]).restore(TEXTS[0])
    (path,) = cache.glob("index-*.json")
    path.write_bytes(path.read_bytes().replace(b"law enforcement", b"law and order"))
    assert Restorer([dictionary]).restore(TEXTS[0]) == expected


def test_no_cache_writes_nothing(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEGARBLE_NO_CACHE", "1")
    assert index_cache.cache_dir() is None
    Restorer([write_dictionary(tmp_path)])
    assert not cache.exists()


def test_dictionary_warnings_come_back_from_the_cache(cache: Path, tmp_path: Path) -> None:
    from degarble.dictionary import DictionaryWarning

    dictionary = tmp_path / "dup.tsv"
    dictionary.write_text("law requirement\tlaw enforcement\nlaw requirement\tpolicing\n", encoding="utf-8")
    for _ in range(2):  # built, then read from the cache
        with pytest.warns(DictionaryWarning, match="dup.tsv:2"):
            Restorer([dictionary])
    assert len(list(cache.glob("index-*.json"))) == 1


def _forge_plan(path: Path, word: str, value: object) -> None:
    """Rewrite the cached plan of ``word`` with a consistent checksum (a forged, not a damaged, file)."""
    import hashlib
    import json

    header, _, body = path.read_bytes().partition(b"\n")
    payload = json.loads(body)
    payload["plan"][word] = value
    body = json.dumps(payload).encode()
    meta = json.loads(header)
    meta["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(json.dumps(meta).encode() + b"\n" + body)


def test_a_forged_plan_entry_anchors_nothing(cache: Path, tmp_path: Path) -> None:
    dictionary = tmp_path / "deep.tsv"
    dictionary.write_text("profound learning\tdeep learning\n", encoding="utf-8")
    built = Restorer([dictionary])
    assert built.restore("profound learnign") == "deep learning"  # "profound" anchors
    assert built.restore("profuond learning") == "deep learning"  # "learning" anchors
    (path,) = cache.glob("index-*.json")
    for forged in ([99, 0], [0, 5], [0, -1], ["x", 0], [True, 0], [0]):
        _forge_plan(path, "profound", forged)
        restorer = Restorer([dictionary])
        assert restorer.restore("profound learnign") == "profound learnign"
        assert restorer.restore("profuond learning") == "deep learning"
    _forge_plan(path, "profound", 7)  # not a list: the cache fails validation and is rebuilt
    assert Restorer([dictionary]).restore("profound learnign") == "deep learning"
