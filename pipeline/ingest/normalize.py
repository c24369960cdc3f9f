"""Decoding and text normalization that keeps offsets meaningful.

Normalization happens once, here.  One-to-one character replacements (full-width
digits, NBSP, ideographic space) keep every offset; deletions (``\\r``, zero-width
characters, export leftovers such as ``[bookmark: _GoBack]``) are recorded in an
offset map so a normalized offset can be traced back to the source text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from pipeline.model import NianbaoError

# 1:1 replacements: offsets are unchanged.
_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_TRANSLATE = {
    **_FULLWIDTH,
    0x00A0: 0x20,  # NBSP
    0x3000: 0x20,  # ideographic space
    0x2002: 0x20,
    0x2003: 0x20,
    0x2009: 0x20,
    0xFF0E: ord("."),  # full-width full stop used in numbers
    0xFF05: ord("%"),
    0xFF0B: ord("+"),
    0xFF0D: ord("-"),
    0x2212: ord("-"),
}

# str.translate looks every character up in the dict (~0.1 µs each); replacing the few
# characters a text holds is a C scan per key.  Same result: no replacement is itself a key.
_REPLACE = tuple((chr(k), chr(v)) for k, v in _TRANSLATE.items())
assert not set(_TRANSLATE.values()) & set(_TRANSLATE)


def _translate(text: str) -> str:
    """``text.translate(_TRANSLATE)``."""
    for old, new in _REPLACE:
        if old in text:
            text = text.replace(old, new)
    return text


# Deleted: changes offsets, recorded in the offset map.
_DELETE = re.compile(r"\r(?=\n)|[\u200b\u200c\u200d\u2060\ufeff]|\[bookmark: [^\]\n]{0,80}\]")


# Where a _DELETE match can start: each of its branches opens with one of these literals.
_DELETE_NEEDLES = ("\r", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "[bookmark: ")


def _deletions(text: str) -> Iterator[re.Match[str]]:
    """``_DELETE.finditer(text)``: the same matches (none is empty), tried only where one can start.

    The next occurrence of each needle is found with ``str.find`` (a fast C scan, far cheaper per
    character than a regex search) and kept until the scan passes it.
    """
    ahead = {needle: k for needle in _DELETE_NEEDLES if (k := text.find(needle)) >= 0}  # next offset of each
    pos = 0
    while ahead:
        start = min(ahead.values())
        m = _DELETE.match(text, start)
        if m:
            yield m
            pos = m.end()
        else:
            pos = start + 1
        for needle, k in list(ahead.items()):
            if k < pos:
                k = text.find(needle, pos)
                if k < 0:
                    del ahead[needle]
                else:
                    ahead[needle] = k


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode report bytes: BOM, then a declared encoding, then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    tried: list[str] = []
    for enc in [declared, "utf-8", "gb18030"]:
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    raise NianbaoError("encoding", f"the bytes are neither UTF-8 nor GB18030 (tried {', '.join(tried)})")


def normalize(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Return the normalized text and its offset map.

    The map is a sorted list of ``(normalized_offset, source_offset)`` pairs, one at each
    point after a deletion; between two points the offsets differ by a constant.
    """
    out: list[str] = []
    offset_map: list[tuple[int, int]] = []
    pos = 0
    norm_len = 0
    for m in _deletions(text):
        chunk = text[pos : m.start()]
        out.append(chunk)
        norm_len += len(chunk)
        pos = m.end()
        offset_map.append((norm_len, pos))
    out.append(text[pos:])
    return _translate("".join(out)), offset_map


def to_source_offset(offset_map: list[tuple[int, int]], offset: int) -> int:
    """Map an offset in the normalized text back to the decoded source text."""
    if not offset_map:
        return offset
    keys = [k for k, _ in offset_map]
    i = bisect.bisect_right(keys, offset) - 1
    if i < 0:
        return offset
    norm, src = offset_map[i]
    return src + (offset - norm)
