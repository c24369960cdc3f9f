"""Runners over many documents: input expansion shared by every engine.

An *input* is one document to process: a file, a member of a zip archive (named
``archive.zip!member``), or a placeholder for something named on the command line that
holds no document (a missing path, an empty directory, a glob matching nothing, a broken
archive).  Every input yields exactly one output record.
"""

from __future__ import annotations

import glob
import os
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from pipeline.ingest import FORMATS, MAX_BYTES
from pipeline.model import NianbaoError

__all__ = ["Input", "iter_inputs", "iter_paths", "read_input", "ARCHIVE_SEP"]

ARCHIVE_SEP = "!"
ARCHIVES = (".zip",)


class Input(NamedTuple):
    """One document to process.

    ``name`` is what the record's ``source.path`` says.  For a zip member, ``archive`` is
    the archive's path and ``member`` the member's name as stored in the archive.  When
    ``error`` is set (``(type, message)``) the input cannot be read and becomes an error
    record without being opened.
    """

    name: str
    archive: str | None = None
    member: str | None = None
    error: tuple[str, str] | None = None


def _is_report_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return bool(base) and not base.startswith(".") and os.path.splitext(base)[1].lower() in FORMATS


def _member_display_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: zips made on Chinese Windows store GBK names without the UTF-8 flag."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return name


def _iter_archive(path: str, explicit: bool) -> Iterator[Input]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        yield Input(path, error=("unreadable", f"{path} is not a readable zip archive: {exc}"))
        return
    members = sorted((_member_display_name(i), i.filename) for i in infos if _is_report_name(_member_display_name(i)))
    if not members and explicit:
        yield Input(path, error=("no_input", f"zip archive {path} holds no report files"))
    for display, stored in members:
        yield Input(f"{path}{ARCHIVE_SEP}{display}", archive=path, member=stored)


def _iter_dir(path: str) -> Iterator[Input]:
    errors: list[OSError] = []
    found = False
    for root, dirs, files in os.walk(path, onerror=errors.append):
        dirs.sort()
        for f in sorted(files):
            full = os.path.join(root, f)
            if f.startswith("."):
                continue
            ext = os.path.splitext(f)[1].lower()
            if ext in ARCHIVES:
                for inp in _iter_archive(full, explicit=False):
                    found = True
                    yield inp
            elif ext in FORMATS:
                found = True
                yield Input(full)
    for exc in errors:
        found = True
        name = exc.filename or path
        yield Input(str(name), error=("unreadable", f"cannot list directory {name}: {exc.strerror or exc}"))
    if not found:
        yield Input(path, error=("no_input", f"directory {path} holds no report files"))


def _expand(item: str, explicit: bool = True) -> Iterator[Input]:
    p = Path(item)
    if p.is_dir():
        yield from _iter_dir(item)
    elif p.exists():
        if p.suffix.lower() in ARCHIVES and zipfile.is_zipfile(item):
            yield from _iter_archive(item, explicit=explicit)
        elif p.suffix.lower() in ARCHIVES:
            yield Input(item, error=("unreadable", f"{item} is not a readable zip archive"))
        else:
            yield Input(item)
    elif any(ch in item for ch in "*?["):
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            yield Input(item, error=("no_input", f"no file matches {item}"))
        for m in matches:
            yield from _expand(m)
    else:
        # A missing path becomes an error record from pipeline.process (type 'unreadable').
        yield Input(item)


def iter_inputs(inputs: Iterable[str]) -> Iterator[Input]:
    """Expand files, directories (recursively, report extensions and zips only, sorted), globs and zip archives.

    Deterministic: the same arguments over the same tree give the same sequence.
    """
    for item in inputs:
        yield from _expand(str(item))


def iter_paths(inputs: Iterable[str]) -> Iterator[str]:
    """Names of the inputs (zip members as ``archive.zip!member``); see :func:`iter_inputs`."""
    for inp in iter_inputs(inputs):
        yield inp.name


def read_input(inp: Input) -> bytes:
    """The bytes of an input.  Raises OSError, zipfile errors or NianbaoError('too_large') when it cannot be read."""
    if inp.archive is None:
        return Path(inp.name).read_bytes()
    with zipfile.ZipFile(inp.archive) as zf:
        info = zf.getinfo(inp.member or "")
        if info.file_size > MAX_BYTES:
            raise NianbaoError("too_large", f"{info.file_size} bytes is over the {MAX_BYTES} byte limit")
        return zf.read(info)
