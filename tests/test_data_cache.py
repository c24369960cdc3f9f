"""The parsed-data cache of :func:`pipeline.data.load_yaml`: same value as parsing, and a missing,
broken or switched-off cache only means parsing again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import data
from pipeline.data import DATA_DIR, cache_dir, parse_yaml

_load = data.load_yaml.__wrapped__  # the uncached-in-process function: each call reads the files again
NAMES = sorted(p.name for p in DATA_DIR.glob("*.yaml"))


def _parsed(name: str) -> object:
    return parse_yaml((DATA_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_cached_value_equals_parsed(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path))
    first = _load(name)  # parses and writes the cache
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and files[0].name.startswith(Path(name).stem + "-")
    second = _load(name)  # reads the cache
    assert first == second == _parsed(name)
    assert repr(first) == repr(second)  # same key order, same types


def test_broken_cache_file_is_parsed_again_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path))
    _load("topics.yaml")
    (path,) = tmp_path.iterdir()
    path.write_bytes(b"\x00not marshal")
    assert _load("topics.yaml") == _parsed("topics.yaml")
    assert _load("topics.yaml") == _parsed("topics.yaml")


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_CACHE_DIR", "off")
    assert cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _load("claims.yaml") == _parsed("claims.yaml")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_cache_dir_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(blocker / "sub"))
    assert _load("numbers.yaml") == _parsed("numbers.yaml")


def test_default_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NIANBAO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "nianbao"


def test_an_edited_file_gets_a_new_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "data"
    src.mkdir()
    (src / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(data, "DATA_DIR", src)
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    assert _load("x.yaml") == {"a": 1}
    (src / "x.yaml").write_text("a: 2\n", encoding="utf-8")
    assert _load("x.yaml") == {"a": 2}
    assert len(list((tmp_path / "cache").iterdir())) == 2
