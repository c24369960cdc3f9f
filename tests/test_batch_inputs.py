"""Issue 7: input expansion for batch extraction (files, directories, globs, zip archives)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.batch import Input, iter_inputs, iter_paths, read_input
from pipeline.batch import _member_display_name as member_display_name


def _tree(tmp_path: Path) -> Path:
    d = tmp_path / "d"
    (d / "b").mkdir(parents=True)
    (d / "a").mkdir()
    (d / "b" / "2.txt").write_text("x", encoding="utf-8")
    (d / "a" / "1.html").write_text("x", encoding="utf-8")
    (d / "a" / "0.TXT").write_text("x", encoding="utf-8")
    (d / "notes.csv").write_text("x", encoding="utf-8")
    (d / ".hidden.txt").write_text("x", encoding="utf-8")
    return d


def test_directory_walk_is_sorted_and_filtered(tmp_path: Path) -> None:
    d = _tree(tmp_path)
    names = list(iter_paths([str(d)]))
    assert names == [str(d / "a" / "0.TXT"), str(d / "a" / "1.html"), str(d / "b" / "2.txt")]


def test_explicit_file_with_any_extension_is_an_input(tmp_path: Path) -> None:
    d = _tree(tmp_path)
    assert list(iter_inputs([str(d / "notes.csv")])) == [Input(str(d / "notes.csv"))]


def test_glob(tmp_path: Path) -> None:
    d = _tree(tmp_path)
    assert list(iter_paths([str(d / "**" / "*.html"), str(d / "*" / "*.txt")])) == [str(d / "a" / "1.html"), str(d / "b" / "2.txt")]


def test_nothing_named_is_dropped_silently(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not a zip")
    with zipfile.ZipFile(tmp_path / "nothing.zip", "w") as zf:
        zf.writestr("readme.csv", "x")
    args = [str(tmp_path / n) for n in ("missing.txt", "empty", "broken.zip", "nothing.zip", "nomatch*.txt")]
    inputs = list(iter_inputs(args))
    assert [i.name for i in inputs] == args
    assert inputs[0].error is None  # pipeline.process reports the missing file itself
    assert [i.error[0] for i in inputs[1:] if i.error] == ["no_input", "unreadable", "no_input", "no_input"]


def test_zip_members(tmp_path: Path) -> None:
    z = tmp_path / "reports.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("y/2.txt", "second")
        zf.writestr("x/1.txt", "first")
        zf.writestr("x/", "")
        zf.writestr("__MACOSX/x/._1.txt", "junk")
        zf.writestr("x/readme.csv", "skip")
        zf.writestr("甲县.txt", "third")
    inputs = list(iter_inputs([str(z)]))
    assert [i.name for i in inputs] == [f"{z}!x/1.txt", f"{z}!y/2.txt", f"{z}!甲县.txt"]
    assert [read_input(i) for i in inputs] == [b"first", b"second", b"third"]
    # a zip inside a directory is expanded too
    d = tmp_path / "dir"
    d.mkdir()
    z.rename(d / "reports.zip")
    assert [i.name for i in iter_inputs([str(d)])][0] == f"{d / 'reports.zip'}!x/1.txt"


def test_gbk_member_names_without_utf8_flag() -> None:
    info = zipfile.ZipInfo("甲县2020.txt".encode("gbk").decode("cp437"))
    info.flag_bits = 0
    assert member_display_name(info) == "甲县2020.txt"
    ascii_info = zipfile.ZipInfo("a.txt")
    assert member_display_name(ascii_info) == "a.txt"
