"""An on-disk index cache is validated before use and rebuilt when stale or damaged.

Skipped where there is no cache module.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from degarble.matcher import PhraseIndex
from degarble.restorer import Restorer

cache = pytest.importorskip("degarble.index_cache", reason="no index cache in this checkout")

TEXT = "A law requirement and profound learning."


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("DEGARBLE_CACHE_DIR", str(where))
    monkeypatch.delenv("DEGARBLE_NO_CACHE", raising=False)
    return where


def dictionary(
    tmp_path: Path, text: str = "law requirement\tlaw enforcement\nprofound learning\tdeep learning\n"
) -> Path:
    path = tmp_path / "mine.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("index-*.json"))


def test_second_load_comes_from_the_cache(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = dictionary(tmp_path)
    first = Restorer([path]).restore(TEXT)
    assert len(cache_files(folder)) == 1

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index was rebuilt although the cache is current")

    monkeypatch.setattr(PhraseIndex, "__init__", no_build)
    assert Restorer([path]).restore(TEXT) == first == "A law enforcement and deep learning."


def test_an_edited_dictionary_is_never_served_stale(folder: Path, tmp_path: Path) -> None:
    path = dictionary(tmp_path)
    assert Restorer([path]).restore(TEXT) == "A law enforcement and deep learning."
    dictionary(tmp_path, "law requirement\tpolicing\n")
    assert Restorer([path]).restore(TEXT) == "A policing and profound learning."


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: data.replace(b"law enforcement", b"law and order!!"),  # payload no longer matches its hash
        lambda data: b"\x00\xff garbage",
        lambda data: b'{"key": "x"}\n{}',
    ],
)
def test_a_damaged_cache_is_rebuilt(folder: Path, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path = dictionary(tmp_path)
    expected = Restorer([path]).restore(TEXT)
    (cached,) = cache_files(folder)
    cached.write_bytes(damage(cached.read_bytes()))
    assert Restorer([path]).restore(TEXT) == expected


def test_a_consistent_but_forged_cache_never_crashes(folder: Path, tmp_path: Path) -> None:
    """Someone rewrote the payload and its hash: wrong types must not crash the loader."""
    import hashlib

    path = dictionary(tmp_path)
    Restorer([path])
    (cached,) = cache_files(folder)
    header = json.loads(cached.read_bytes().partition(b"\n")[0])
    body = json.dumps({"entries": [[1, 2, 3, 4, 5]], "exact": [[7, 8, 99, None]], "variant": "x"}).encode()
    header["sha256"] = hashlib.sha256(body).hexdigest()
    cached.write_bytes(json.dumps(header).encode() + b"\n" + body)
    Restorer([path]).restore(TEXT)  # rebuilt or loaded: either way no exception


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DEGARBLE_CACHE_DIR", str(blocker / "cache"))
    path = dictionary(tmp_path)
    assert Restorer([path]).restore(TEXT) == "A law enforcement and deep learning."
