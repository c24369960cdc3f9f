"""The trained indicator linker: a claim's context -> indicator id, topic key or none.

Features (:func:`features`) are read from the text around the quantity: character 1–3-grams
and jieba tokens of the clause that ends at the quantity, character bigrams and tokens of the
rest of the sentence before it, a short right context, the quantity's unit and
approximation marker, the channels (``data/topics.yaml`` channels: website, new media, notice
board…) the sentence names before the quantity, the topics the previous sentence names, the
channels of a 其中 list's parent and of the paragraph, and the class of the subsection heading the
quantity sits under (``data/topics.yaml`` headings).
Half-width punctuation is read as full-width.  The model is a multinomial logistic regression over l2-normalized
tf-idf features; its probabilities are calibrated by temperature scaling fitted on
out-of-fold predictions of the training documents (grouped by document).

Files (``models/linker/``): ``linker.json`` (classes, vocabulary, temperature, metadata) and
``coef.npy`` / ``intercept.npy`` / ``idf.npy``.  All are written deterministically by
:func:`train` (``nianbao train``) from the project's labeled data, and loaded once per process
by :func:`load_model`.  Nothing downloads.
"""

from __future__ import annotations

import json
import math
import operator
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, repeat
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def _models_root() -> Path:
    from pipeline.nlp.segment import models_dir

    return models_dir()


MODEL_DIR = Path(os.environ.get("NIANBAO_LINKER_DIR") or _models_root() / "linker")
CONTEXTS = REPO / "corpora" / "gold" / "linking" / "contexts.yaml"
FEATURE_VERSION = 6
NONE_LABEL = "none"
SEED = 20240601

_SENT_END_CHARS = "。！!？?\n"  # sentence ends; one character each (see last_end)
_CLAUSE_END_CHARS = "。；;！!？?\n，,：:（(、"
_RIGHT_END = re.compile(r"[。；;！!？?\n，,]")
# A run of Arabic digits (with separators) or a run of Chinese numerals: ``[0-9０-９.．,，]+|[零…亿]+``,
# written to open with one character class so that ``re`` can skip ahead to where a run can begin
# (a pattern that opens with a repeat or an alternation of repeats is tried at every character).
_ARABIC = "0-9０-９.．,，"
_CHINESE = "零一二两三四五六七八九十百千万亿"
_DIGITS = re.compile(f"[{_ARABIC}{_CHINESE}](?:(?<=[{_ARABIC}])[{_ARABIC}]*|[{_CHINESE}]*)")
_UNIT = re.compile(r"(万元|亿元|元|人次|批次|条|件|个|次|份|期|场|篇|家|项|起|宗|笔|人|%|％)")
_APPROX = re.compile(r"(余|多|约|近|逾|超过|不足|不到|以上|以下|左右)")


# ---------------------------------------------------------------- features


def _segmenter() -> Any:
    """The process-wide segmenter with the domain user dictionary (:mod:`pipeline.nlp.segment`:
    rjieba when installed, else jieba; same words either way; no spaCy import)."""
    from pipeline.nlp.segment import get_segmenter

    return get_segmenter()


def _tokens(s: str, seg: Any = None) -> list[str]:
    """The words of ``s`` that are not blank."""
    if not s:
        return []
    return [t for t in (seg or _segmenter()).words(s) if t.strip()]


def _ngrams(s: str, lo: int, hi: int) -> list[str]:
    """Each character ``lo``- to ``hi``-gram of ``s``, shortest first (``lo >= 1``).

    Built without a Python loop over positions: the 1-grams are the characters, each longer
    n-gram is the (n-1)-gram at the same position plus the character n-1 places on."""
    out: list[str] = []
    grams: Iterable[str] = s  # the (n-1)-grams, for n = 2 the characters
    for n in range(1, hi + 1):
        if n > 1:
            grams = list(map(operator.add, grams, s[n - 1 :]))  # map stops at the shorter one
        if n >= lo:
            out += grams
    return out


_BREAK_KEEPERS = "。！!？?；;：:"  # a line break right after one of these ends a sentence and is kept


# A line break not right after a sentence end (:data:`_BREAK_KEEPERS`): ``(?<![…])\n`` written to open
# with the line break, so that ``re`` skips ahead to the next one (see _DIGITS); the look-behind over
# the break and the character before it fails exactly where that character is a sentence end.
_UNKEPT_BREAK = re.compile(f"\n(?<![{_BREAK_KEEPERS}]\n)")


def flat(s: str) -> str:
    r"""Text as read: line breaks inside a sentence (PDF and markdown layout) and spaces removed.

    The same as removing the layout breaks (``(?<![。！!？?；;：:])[ \t\u3000]*\n[ \t\u3000]*``) and
    then every run of spaces (``[ \t\u3000\u00a0]+``): a line break goes unless the character right
    before it is a sentence end (a break after spaces, or after a break, goes with the spaces the
    layout pattern takes around it), and every space goes in the end, so the breaks can be removed
    first and the spaces then, one kind at a time (``tests/test_fast_paths_linker.py`` compares both
    on random strings)."""
    if "\n" in s:
        s = _UNKEPT_BREAK.sub("", s)
    return s.replace(" ", "").replace("\t", "").replace("\u3000", "").replace("\u00a0", "")


@lru_cache(maxsize=32)
def _last_of(chars: str) -> re.Pattern[str]:
    return re.compile("(?s).*[" + re.escape(chars) + "]")  # greedy: backs off from the end to the last one


def last_end(s: str, chars: str, start: int = 0, end: int | None = None) -> int:
    """End of the last occurrence in ``s[start:end]`` of any of ``chars`` (``start`` when none): the
    end of the last match of the one-character class ``[chars]``, as an offset into ``s`` (the
    pattern has no look-around, so matching within bounds is matching on the slice)."""
    m = _last_of(chars).match(s, start, len(s) if end is None else end)
    return m.end() if m else start


def context_parts(text: str, start: int, end: int) -> tuple[str, str, str, str]:
    """(clause, rest of sentence before the clause, right context, quantity text) around ``text[start:end]``,
    with layout line breaks and spaces removed."""
    lo = max(0, start - 120)
    left = flat(text[lo:start])
    cut = last_end(left, _SENT_END_CHARS)
    sent_left = left[cut:]
    ccut = last_end(sent_left, _CLAUSE_END_CHARS)
    clause = sent_left[ccut:][-30:]
    before = sent_left[:ccut][-50:]
    right = flat(text[end : end + 24])[:16]
    m = _RIGHT_END.search(right)
    right = right[: m.start()] if m else right
    return clause, before, right, flat(text[start:end])


def right_tail(text: str, end: int, short: int = 16, limit: int = 32) -> str:
    """The rest of the quantity's clause after the short right context (up to ``limit`` characters):
    where a clause opens with the number ("对29项……政策文件进行解读", "1件公开申请已办结"), the words
    that say what it counts come after it."""
    r = flat(text[end : end + short + limit + 16])
    m = _RIGHT_END.search(r)
    r = r[: m.start()] if m else r
    return r[short : short + limit]


def _full_width(s: str) -> str:
    """Half-width punctuation read as its full-width form (web pages and PDFs often use ``,;:()``),
    so the same wording gives the same features whichever form a report uses.

    One ``str.replace`` per mark rather than ``translate``, which looks every character up in its
    table; ``replace`` returns ``s`` itself after one fast scan when the mark is absent.  No mark
    maps to a mark, so replacing one after the other is the same as translating all at once."""
    return s.replace(",", "，").replace(";", "；").replace(":", "：").replace("(", "（").replace(")", "）").replace("!", "！").replace("?", "？")


def _mask(s: str) -> str:
    """Digits masked to 0, punctuation in its full-width form: the string the features read."""
    return _full_width(_DIGITS.sub("0", s))


@lru_cache(maxsize=4)
def _word_table(kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(key, words) pairs from ``data/topics.yaml``: ``topics`` (each topic's keywords, the cues looked
    for in the previous sentence), ``channels`` (what names the channel a count went out through) or
    ``headings`` (the classes of a subsection heading)."""
    from pipeline.data import load_yaml

    data = load_yaml("topics.yaml")
    pairs = ((t["key"], t.get("keywords")) for t in data["topics"]) if kind == "topics" else (data.get(kind) or {}).items()
    return tuple((k, tuple(str(w) for w in ws or ())) for k, ws in pairs)


def _alternation(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """A pattern that matches where one of ``words`` occurs: ``search`` tells whether ``s`` contains one."""
    return re.compile("|".join(map(re.escape, words)))


@lru_cache(maxsize=4)
def _word_patterns(kind: str) -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """One alternation of all the words of ``kind``, and each key of :func:`_word_table` with the
    alternation of its own words (a key without words never matches)."""
    table = [(k, words) for k, words in _word_table(kind) if words]
    return _alternation([w for _, words in table for w in words]), tuple((k, _alternation(words)) for k, words in table)


def named_in(s: str, kind: str) -> list[str]:
    """The keys of ``kind`` (see :func:`_word_table`) whose words ``s`` contains: a key is named
    when the alternation of its words finds a match; when no word of any key occurs, none is."""
    any_word, keys = _word_patterns(kind)
    if not any_word.search(s):
        return []
    return [k for k, pat in keys if pat.search(s)]


def channels_named(s: str) -> list[str]:
    """The channels (``web``, ``media``, …) that ``s`` names."""
    return named_in(s, "channels")


_PHRASE_END_CHARS = "。；;，,：:"  # a comma phrase: an enumeration mark does not end it (网站、微信公众号等渠道)


def _channel_features(sentence_left: str, clause: str, named: list[str]) -> list[tuple[str, list[str]]]:
    """Channels named in the sentence before the quantity (``ch``: ``named``, the channels
    ``sentence_left`` names) and in its clause (``chc``); ``chn:2`` when the count itself goes out
    through two or more channels: its comma phrase names two or more (通过政府网站、微信公众号等渠道共公开N条),
    or it names none and the sentence does.  A phrase that names one channel of its own
    (…，通过政务微信公众号公开政府信息N条) gets ``ch1`` instead.  The clause and the phrase are the
    end of ``sentence_left``: when it names no channel, neither of them does."""
    if not named:
        return [("ch", named), ("chc", [])]
    own = channels_named(sentence_left[last_end(sentence_left, _PHRASE_END_CHARS) :])
    out = [("ch", named), ("chc", channels_named(clause))]
    if len(own) >= 2 or (not own and len(named) >= 2):
        out.append(("chn", ["2"]))
    elif len(own) == 1:
        out.append(("ch1", own))
    return out


def previous_sentence(text: str, start: int, window: int = 400, keep: int = 60) -> str:
    """The sentence before the quantity's own sentence, within its paragraph (flattened, its last
    ``keep`` characters; "" when the quantity's sentence opens the paragraph).  The guide's cue
    "a website named only in the previous sentence" lives there."""
    flat_left = flat(text[max(0, start - window) : start])
    before_sent = flat_left[: last_end(flat_left, _SENT_END_CHARS)]
    if not before_sent or before_sent[-1] == "\n":
        return ""
    body = before_sent[:-1]
    return body[last_end(body, _SENT_END_CHARS) :][-keep:]


FeatureGroups = list[tuple[str, list[str]]]

# A heading line: （一）/(一) or 一、 at a line's start, its text up to the first 。：: (at most 30 characters).
_HEADING = re.compile(r"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、．.])([^\n。：:]{0,30})", re.M)
HeadingIndex = tuple[list[int], list[list[str]]]


def heading_index(text: str) -> HeadingIndex:
    """The heading lines of ``text`` (see ``headings`` in ``data/topics.yaml``): their start offsets in
    order, and the heading classes each names (``["0"]`` for none).  Computed once per text."""
    starts: list[int] = []
    classes: list[list[str]] = []
    if "、" in text or "）" in text or ")" in text:
        for m in _HEADING.finditer(text):
            starts.append(m.start())
            classes.append(named_in(m.group(1), "headings") or ["0"])
    return starts, classes


def heading_classes(index: HeadingIndex, start: int) -> list[str]:
    """The classes of the nearest heading that opens before ``start`` ([] when none does)."""
    starts, classes = index
    k = bisect_right(starts, start - 1)
    return classes[k - 1] if k else []


def list_parent(text: str, start: int, window: int = 300) -> str | None:
    """The parent of a 其中 list the quantity is a part of (flattened), or None when the quantity's
    sentence has no 其中 before it: the sentence's text before its last 其中, or the previous
    sentence (within the paragraph) when the sentence opens with 其中
    ("通过XX网站主动公开信息71条。其中年报1条、…预决算公开2条").  The parts of a list take their
    parent's channel (docs/linking-guide.md), however far back in a long list the parent is."""
    if "其" not in text[max(0, start - window) : start]:
        return None  # flattening only deletes characters, so there is no 其中 to find
    flat_left, cut = _flat_sentence_left(text, start, window)
    sent = flat_left[cut:]
    k = sent.rfind("其中")
    if k < 0:
        return None
    parent = sent[:k]
    if not parent.strip("：:，,；;（( ") and cut and flat_left[cut - 1] != "\n":
        body = flat_left[: cut - 1]
        parent = body[last_end(body, _SENT_END_CHARS) :][-120:]
    return parent


def paragraph_before(text: str, start: int, window: int = 240) -> str:
    """The paragraph's text before the quantity's sentence (flattened, within ``window`` characters):
    where a website named a sentence or two earlier is the channel the paragraph goes on about."""
    flat_left = flat(text[max(0, start - window) : start])
    before_sent = flat_left[: last_end(flat_left, _SENT_END_CHARS)]
    return before_sent[last_end(before_sent, "\n") :]


ChannelContext = tuple[str, str, str | None, str, bool]
"""What the features of a quantity read and the channel step reads again: its clause and the rest of
its sentence before the clause (:func:`context_parts`), its list's parent (:func:`list_parent`), the
previous sentence (:func:`previous_sentence`), and whether the rest of the sentence and the clause
together name a channel."""


def _context_channel_features(text: str, start: int, parent: str | None) -> FeatureGroups:
    """The channel and topics of the 其中 list's parent ``parent`` (:func:`list_parent`; ``pch``, ``pt``;
    ``pch:0`` when the parent names no channel) and the channels the paragraph names before the
    sentence (``chp``)."""
    out: FeatureGroups = []
    if parent is not None:
        out.append(("pch", channels_named(parent) or ["0"]))
        out.append(("pt", named_in(parent, "topics")))
    out.append(("chp", channels_named(paragraph_before(text, start))))
    return out


@lru_cache(maxsize=1)
def _channel_decision_table() -> tuple[dict[str, str], dict[str, str], tuple[dict[str, str], ...]]:
    """The ``channel_decision`` block of ``data/topics.yaml``: ({short name: label} of ``classes``, the
    model labels the step may change; the same for every label a rule may give, ``classes`` and
    ``outputs`` (new media, which the step gives but never changes); rules)."""
    from pipeline.data import load_yaml

    block = load_yaml("topics.yaml").get("channel_decision") or {}
    classes = dict(block.get("classes") or {})
    return classes, {**dict(block.get("outputs") or {}), **classes}, tuple(dict(r) for r in block.get("rules") or ())


def _split_last_phrase(s: str) -> tuple[str, str]:
    """``s`` without trailing marks and an opening bracket, cut before its last comma phrase: (the text
    before it, the phrase)."""
    s = s.rstrip("：:，,；;（(、 ")
    cut = last_end(s, _PHRASE_END_CHARS + "（(）)")
    return s[:cut], s[cut:]


def _last_phrase(s: str) -> str:
    """The last comma phrase of ``s`` (trailing marks and an opening bracket dropped): the count a
    其中 list's parent states ("…，通过政府网站公开信息数16条，（其中" -> "通过政府网站公开信息数16条")."""
    return _split_last_phrase(s)[1]


def _list_ancestors(parent: str) -> list[str]:
    """The parents of the enclosing lists of a nested 其中 list whose parent is ``parent`` (nearest
    first): the text before each earlier 其中 of the parent ("其中机构类信息20条；工作类信息11条，" has
    none before its 其中, so its list's parent is the previous sentence, which :func:`list_parent`
    already put in front when the sentence opened with 其中)."""
    out = []
    k = parent.rfind("其中")
    while k >= 0:
        out.append(parent[:k])
        k = parent.rfind("其中", 0, k)
    return out


_PARENT_PLACES = ("parent", "grandparent", "parent_whole")


def channel_places(
    text: str, start: int, end: int, wanted: Collection[str] | None = None, context: ChannelContext | None = None
) -> list[tuple[str, str, list[str]]]:
    """The places :func:`channel_decision` reads, nearest first, with their text and the channels
    each names: ``phrase`` (the quantity's comma phrase up to the number) and, for a part of a 其中
    list, ``parent`` (the last comma phrase of the list's parent, :func:`list_parent`), ``grandparent``
    (the last comma phrase of an enclosing list's parent, for a nested list: "网站上共公开信息50条。
    其中…；工作类信息11条，其中镇街动态3条"), then the whole parent (``parent_whole``: the website may be
    named in an earlier phrase of it, "在门户网站信息公开专栏上主动公开各类信息共6条，全文电子化达100%。其中…");
    ``near`` is the nearest earlier phrase of the sentence naming a channel (:func:`_nearest_channel_phrase`);
    ``sentence`` is the quantity's sentence before its comma phrase.  The parent of a 包括/具体为
    enumeration (:func:`_enumeration_parent`) stands in for the 其中 parent when it names a channel or
    there is none; a parent whose count phrase names no channel is read back to the nearest phrase that
    does (:func:`_parent_channel`).  ``phrase`` and ``sentence`` are always given; the other places only
    when in ``wanted`` (default: all).  ``context``: the quantity's :data:`ChannelContext`, when the
    caller already holds it (read from the text otherwise)."""
    if context is None:
        clause, before, _, _ = context_parts(text, start, end)
        any_named = True  # not known: look
    else:
        clause, before, _, _, any_named = context
    left = before + clause
    cut = last_end(left, _PHRASE_END_CHARS)
    # the phrase and the sentence before it are parts of ``left``: no channel when it names none
    out = [("phrase", left[cut:], channels_named(left[cut:]) if any_named else [])]
    wants = (lambda where: True) if wanted is None else wanted.__contains__
    if not any(map(wants, _PARENT_PLACES)):
        parent = None
    elif context is None:
        parent = list_parent(text, start)
    else:
        parent = context[2]
    flat_sentence: list[tuple[str, int]] = []  # flattened once, for enum and near

    def sentence_left() -> tuple[str, int]:
        if not flat_sentence:
            flat_sentence.append(_flat_sentence_left(text, start))
        return flat_sentence[0]

    enum = _enumeration_parent(text, start, sentence_left) if wants("parent") else None
    enum_place = _parent_channel(enum, enumeration=True) if enum is not None else None
    if enum_place is not None and (enum_place[1] or parent is None):
        out.append(("parent", *enum_place))  # a 包括 list's parent naming a channel is the nearer parent
    elif parent is not None and wants("parent"):
        out.append(("parent", *_parent_channel(parent)))
    if parent is not None:
        if wants("grandparent"):
            for up in _list_ancestors(parent):
                if not up.strip("：:，,；;（( "):
                    up = previous_sentence(text, start) if context is None else context[3]  # the outer list opens the sentence
                up_last = _last_phrase(up)
                if up_last:
                    out.append(("grandparent", up_last, channels_named(up_last)))
                    break
        if wants("parent_whole"):
            out.append(("parent_whole", parent, channels_named(parent)))
    if wants("near"):
        out.append(("near", *_nearest_channel_phrase(text, start, sentence_left)))
    out.append(("sentence", left[:cut], channels_named(left[:cut]) if any_named else []))
    return out


def _parent_channel(parent: str, enumeration: bool = False) -> tuple[str, list[str]]:
    """The count phrase a list's ``parent`` ends with and the channels it names; when it names none,
    the nearest earlier phrase of the parent's sentence that does.  A 其中 list's parent holding a
    其中 of its own (a nested list) is not searched; an enumeration's parent is searched from its
    last 其中 on, that 其中 phrase included ("其中向区政府网站报送信息91条，包括：统计分析54条…；工作信息37条，包括…")."""
    head, last = _split_last_phrase(parent)
    named = channels_named(last)
    k = parent.rfind("其中")
    if not named and (enumeration or k < 0):
        near, named = _nearest_channel_in(head[k:] if k >= 0 else head)
        last = near or last
    return last, named


_ENUMERATION = re.compile(r"包括|具体为|具体包括|分别为|分别是")
_FIRST_PHRASE = re.compile(r"[：:\s]*[^。；;，,：:]*[。；;，,]")  # the enumeration's first item, when a phrase end follows it
_DIGIT = re.compile(r"[0-9０-９]")


_SENTENCE_WINDOW = 300  # characters before a quantity read for its sentence (list heads, enumerations)


def _flat_sentence_left(text: str, start: int, window: int = _SENTENCE_WINDOW) -> tuple[str, int]:
    """The ``window`` characters before ``start``, flattened, and the offset in them where the
    quantity's sentence begins."""
    flat_left = flat(text[max(0, start - window) : start])
    return flat_left, last_end(flat_left, _SENT_END_CHARS)


def _enumeration_parent(text: str, start: int, sentence_left: Callable[[], tuple[str, int]]) -> str | None:
    """The parent of an enumeration the quantity is part of, opened by 包括/具体为/分别为 in its sentence
    after any 其中 ("…报送信息91条，包括：统计分析54条，工作信息37条"): the sentence's text before the
    marker (flattened); None when the sentence has no such marker after its last 其中.
    ``sentence_left``: :func:`_flat_sentence_left` of the quantity, computed once by the caller."""
    if not _ENUMERATION.search(text, max(0, start - _SENTENCE_WINDOW), start):
        return None
    flat_left, cut = sentence_left()
    sent = flat_left[cut:]
    marks = list(_ENUMERATION.finditer(sent))
    if not marks or marks[-1].start() < sent.rfind("其中"):
        return None
    items = sent[marks[-1].end() :]
    first = _FIRST_PHRASE.match(items)
    if first is not None and not _DIGIT.search(first.group()):
        return None  # 包括指南、年报等，…共发布N条: not an enumeration of counts
    parent = sent[: marks[-1].start()]
    return parent if parent.strip("：:，,；;（( ") else None


def _nearest_channel_phrase(text: str, start: int, sentence_left: Callable[[], tuple[str, int]]) -> tuple[str, list[str]]:
    """The nearest comma phrase before the quantity's own one, in its sentence, that names a
    channel, with the channels it names (("", []) when none does): the head of a list that goes on
    without 其中 ("通过XX政府网累计公开政策文件51条，计划规划40条，部门事项196条" — the parts follow the
    channel their list opened with, however long the list).  ``sentence_left``: as for
    :func:`_enumeration_parent`."""
    flat_left, cut = sentence_left()
    sent = flat_left[cut:]
    if "其中" in sent:
        return "", []  # a part of a 其中 list follows its parent (the parent places), not a sibling
    found = _nearest_channel_in(sent[: last_end(sent, _PHRASE_END_CHARS)])
    if found[1] or not cut or flat_left[cut - 1] != "\n":
        return found
    return _list_intro_channel(text, start, bool(_LIST_ITEM.match(sent)))


_LIST_ITEM = re.compile(r"[（(]?(?:\d{1,2}|[一二三四五六七八九十]{1,2})[)）.、．]|[一二三四五六七八九十]是")


def _list_intro_channel(text: str, start: int, numbered: bool, window: int = 900) -> tuple[str, list[str]]:
    """For a quantity in a paragraph that opens a list: the nearest channel-naming phrase of the line
    that introduces the list, a line ending with a colon ("我局网站主动公开信息如下：" then "（1）公示公告类：…15条，…";
    "网站主动公开各类信息4611条。具体为：" then "1.…" … "5.…24条、…"), found over the numbered items
    before this one when the paragraph itself is one (("", []) when there is no such line)."""
    lines = flat(text[max(0, start - window) : start]).split("\n")[:-1]
    while lines:
        line = lines.pop().strip()
        if not line:
            continue
        if line.endswith(("：", ":")):
            return ("", []) if "其中" in line else _nearest_channel_in(line)
        if not (numbered and _LIST_ITEM.match(line)):
            break
    return "", []


def _nearest_channel_in(sent: str) -> tuple[str, list[str]]:
    """The last comma phrase of ``sent`` (a sentence's text up to a phrase end) that names a channel,
    with the channels it names; ("", []) when none does."""
    end = len(sent)
    while end > 0:
        cut = last_end(sent, _PHRASE_END_CHARS, 0, end - 1) if end > 1 else 0
        phrase = sent[cut:end]
        named = channels_named(phrase)
        if named:
            return phrase, named
        end = cut
    return "", []


@lru_cache(maxsize=64)
def _decision_rules(model_none: bool, unit: str | None) -> tuple[tuple[dict[str, str], ...], frozenset[str]]:
    """The ``channel_decision`` rules for a label in ``classes`` (``model_none`` false: the rules not
    marked ``model: none``) or for a count in ``unit`` the model calls none (the rules marked
    ``model: none`` whose ``units`` hold ``unit``), in file order, and the places they read."""
    rules = _channel_decision_table()[2]
    if model_none:
        rules = tuple(r for r in rules if r.get("model") == "none" and unit in (r.get("units") or ()))
    else:
        rules = tuple(r for r in rules if r.get("model") != "none")
    return rules, frozenset(r["where"] for r in rules)


def channel_decision(text: str, start: int, end: int, label: str | None, context: ChannelContext | None = None) -> tuple[str, str] | None:
    """(label, rule name) when the publication-channel rules of ``data/topics.yaml``
    (``channel_decision``) decide between website and 主动公开 (or new media, an ``outputs`` label) for a
    quantity the model labeled ``label``; None when no rule applies (the model's label stays).  A
    ``label`` in ``classes`` is read by the ordinary rules; ``None`` (the model says none) only by the
    rules marked ``model: none``, and only for a quantity in their ``units``; any other label is kept.

    Only the places some rule reads count.  The first of them (:func:`channel_places`) that names
    any channel decides: the guide's "ask through which channel the sentence says the items went
    out" — one website named → web, two or more channels → pub; the parts of a website count take
    its channel.  A place naming no channel decides only by a ``channels: none`` rule whose
    ``words`` it contains (a 主动公开 total's breakdown is pub); with ``sentence_quiet``, only when
    the quantity's sentence up to the number (its ``sentence`` and ``phrase`` places, which a
    channel word cannot straddle: the cut is a phrase-end mark) names no channel.  ``context``: as
    for :func:`channel_places`."""
    classes, labels, _ = _channel_decision_table()
    if label is None:  # only rules for a count the model calls none, and only for their units
        rules, wheres = _decision_rules(True, mention_unit(text[start:end]))
    elif label in classes.values():
        rules, wheres = _decision_rules(False, None)
    else:
        return None
    if not rules:
        return None
    places = channel_places(text, start, end, wheres, context)
    sentence_named = bool(places[0][2] or places[-1][2])  # phrase, sentence
    for where, place, named in places:
        if where not in wheres:
            continue
        for r in rules:
            if r["where"] != where:
                continue
            want = r["channels"]
            if not named:
                if want == "none" and any(w in place for w in r.get("words") or ()) and not (r.get("sentence_quiet") and sentence_named):
                    return labels[r["label"]], r["name"]
            elif (want == "multi" and len(named) >= 2) or named == [want]:
                return labels[r["label"]], r["name"]
        if named:
            return None
    return None


def channel_override(
    text: str, start: int, end: int, label: str | None, p: float, top: list[tuple[str, float]], context: ChannelContext | None = None
) -> tuple[str, float, str] | None:
    """(label, confidence, rule name) when :func:`channel_decision` changes the model's ``label``
    (probability ``p``, top three ``top``), or confirms it and is surer than the model; None
    otherwise.  The confidence is :func:`channel_confidence` (of the publication labels alone when the
    model said none): the model's doubt between website and 主动公开 is what the rule settles, so a
    label the rule confirms takes it too ("共公布政府信息N条" at p=0.51 between the two, confirmed by
    ``phrase_pub``, is no longer a weak link).  ``context``: as for :func:`channel_places`."""
    decided = channel_decision(text, start, end, label, context)
    if decided is None:
        return None
    confidence = channel_confidence(top, p if label is not None else 0.0)
    if decided[0] == label and confidence <= p:
        return None  # confirmed, and the model was as sure
    return decided[0], confidence, decided[1]


def feature_groups(
    text: str,
    start: int,
    end: int,
    seg: Any = None,
    topics_of: dict[str, list[str]] | None = None,
    contexts: list[ChannelContext] | None = None,
    headings: HeadingIndex | None = None,
) -> FeatureGroups:
    """The features of the quantity at ``text[start:end]`` as (kind, values) groups in a fixed order;
    each feature string is ``kind + ":" + value`` (:func:`features`).  ``seg``: the segmenter, when
    the caller already holds it.  ``topics_of``: previous sentence -> the topics it names, filled
    and read by a caller that takes the features of several quantities of one text (quantities of
    one sentence mostly share the previous sentence); the lists in it are shared, not copied.
    ``contexts``: when given, the quantity's :data:`ChannelContext` is appended to it (the channel
    step reads the same pieces).  ``headings``: :func:`heading_index` of ``text``, when the caller
    already holds it."""
    clause, before, right, qtext = context_parts(text, start, end)
    clause_m, before_m, right_m = _mask(clause), _mask(before), _mask(right)
    seg = seg or _segmenter()
    groups: FeatureGroups = [
        ("c", _ngrams("^" + clause_m + "$", 1, 3)),
        ("cw", _tokens(clause_m, seg)),
        ("near", [clause_m[-4:]]),
        ("near2", [clause_m[-2:]]),
        ("b", _ngrams(before_m, 2, 2)),
        ("bw", _tokens(before_m, seg)),
        ("r", _ngrams("^" + right_m[:8], 1, 2)),
        ("rw", _tokens(right_m, seg)),
    ]
    tail = right_tail(text, end)
    if tail:
        groups.append(("re", _tokens(_mask(tail), seg)))
    um = _UNIT.search(qtext)
    groups.append(("u", [um.group(1) if um else "-"]))
    am = _APPROX.search(qtext)
    groups.append(("a", [am.group(1) if am else "-"]))
    if "万" in qtext:
        groups.append(("mult", ["万"]))
    sentence_left = before + clause
    named = channels_named(sentence_left)
    groups += _channel_features(sentence_left, clause, named)
    prev = previous_sentence(text, start)
    if topics_of is None:
        topics = named_in(prev, "topics")
    elif (topics := topics_of.get(prev)) is None:
        topics = topics_of[prev] = named_in(prev, "topics")
    groups.append(("pk", topics))
    parent = list_parent(text, start)
    groups += _context_channel_features(text, start, parent)
    groups.append(("hd", heading_classes(headings if headings is not None else heading_index(text), start)))
    if contexts is not None:
        contexts.append((clause, before, parent, prev, bool(named)))
    return groups


def features(text: str, start: int, end: int, seg: Any = None) -> list[str]:
    """Feature strings for the quantity at ``text[start:end]`` (same function at training and run time)."""
    return [kind + ":" + v for kind, values in feature_groups(text, start, end, seg) for v in values]


# ---------------------------------------------------------------- data


@dataclass
class Example:
    doc: str  # document id (the split unit)
    text: str
    start: int  # quantity span
    end: int
    label: str  # indicator id, topic key or 'none'
    source: str = "contexts"


_MARK = re.compile(r"\{([^{}|]+)\|([^{}|]+)\}")


def parse_marked(raw: str, aliases: dict[str, str | None]) -> tuple[str, list[tuple[int, int, str]]]:
    """``...{58件|new}...`` -> plain text and (start, end, label) spans."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(raw):
        out.append(raw[pos : m.start()])
        length += m.start() - pos
        mention, lab = m.group(1), m.group(2).strip()
        label = aliases.get(lab, lab) if lab in aliases else lab
        spans.append((length, length + len(mention), label or NONE_LABEL))
        out.append(mention)
        length += len(mention)
        pos = m.end()
    out.append(raw[pos:])
    return "".join(out), spans


def load_contexts(path: Path = CONTEXTS) -> list[Example]:
    import yaml

    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    aliases = data.get("aliases", {})
    exs: list[Example] = []
    for d in data["docs"]:
        text, spans = parse_marked(d["text"], aliases)
        for s, e, lab in spans:
            exs.append(Example(doc=str(d["id"]), text=text, start=s, end=e, label=lab))
    for i, raw in enumerate(data.get("lines") or [], 1):
        text, spans = parse_marked(raw, aliases)
        for s, e, lab in spans:
            exs.append(Example(doc=f"line-{i}", text=text, start=s, end=e, label=lab, source="lines"))
    return exs


_QEND = re.compile(r"[0-9０-９零一二两三四五六七八九十百千万亿.．]+[^0-9，。；、\s]{0,3}$")


def quantity_span(text: str, start: int, end: int, gold_quantities: list[dict[str, Any]] | None = None) -> tuple[int, int]:
    """The quantity inside a gold claim span: a gold quantity ending where the claim ends, else the trailing number."""
    for q in gold_quantities or []:
        if q["end"] == end and q["start"] >= start:
            return q["start"], q["end"]
    m = _QEND.search(text, start, end)
    if m:
        return m.start(), m.end()
    return start, end


def gold_examples(gold_root: Path, exclude_origins: tuple[str, ...] = ("real",)) -> list[Example]:
    """Training examples from gold files' ``claims`` whose documents are in the project."""
    from pipeline.evaluate.gold import iter_gold

    exs: list[Example] = []
    if not gold_root.exists():
        return exs
    for g in iter_gold(gold_root):
        doc = g.data.get("document", {})
        if g.data.get("origin") in exclude_origins or doc.get("shared") or doc.get("external"):
            continue
        claims = g.data.get("claims") or []
        if not claims:
            continue
        p = g.document_path()
        if p is None:
            continue
        text = _document_text(p)
        if text is None:
            continue
        for c in claims:
            if c.get("polarity") == "zero":
                continue
            s, e = quantity_span(text, c["start"], c["end"], g.data.get("quantities"))
            exs.append(Example(doc=g.name, text=text, start=s, end=e, label=c.get("indicator") or NONE_LABEL, source="gold"))
    return exs


def _document_text(path: Path) -> str | None:
    try:
        from pipeline.ingest import load_bytes

        return load_bytes(path.read_bytes(), str(path)).text
    except Exception:  # noqa: BLE001 - a document that does not load gives no examples
        return None


def is_heldout(doc: str, source: str = "contexts") -> bool:
    """The documented split: a doc is held out when the last digit of its id is 7, 8 or 9
    (ids without a digit: by a stable hash).  One-line snippets are training only."""
    if source == "lines":
        return False
    digits = [ch for ch in doc if ch.isdigit()]
    if digits:
        return digits[-1] in "789"
    import hashlib

    return int(hashlib.sha256(doc.encode()).hexdigest(), 16) % 10 >= 7


# ---------------------------------------------------------------- model

# The default column of an unknown feature, for ``map(index.get, values, _UNKNOWN)``: ``map`` stops
# at the end of ``values`` without drawing from it, so one endless iterator serves every call.
_UNKNOWN = repeat(-1)


@dataclass
class LinkerModel:
    classes: list[str]
    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray
    temperature: float
    meta: dict[str, Any]

    def __post_init__(self) -> None:
        self._prepare()

    def _prepare(self) -> None:
        """Run-time layout: feature kind (the text before the first ":") -> value -> column, so grouped
        features are looked up without building strings; weights as (features, classes) in their
        stored type (float32: half the memory to gather from; the product with the float64 feature
        weights is float64, each float32 weight widened exactly, so the logits are the same bits)."""
        self._col_by_kind: dict[str, dict[str, int]] = {}
        for f, i in self.vocab.items():
            kind, _, value = f.partition(":")
            self._col_by_kind.setdefault(kind, {})[value] = i
        self._idf64 = np.asarray(self.idf, dtype=np.float64)
        self._coef_t = np.ascontiguousarray(self.coef.T)
        self._intercept = self.intercept.astype(np.float64)

    def _columns(self, feats: list[str] | FeatureGroups) -> list[int]:
        """The column of each feature (feature strings, or groups from :func:`feature_groups`) in
        feature order, -1 for an unknown one."""
        out: list[int] = []
        if feats and isinstance(feats[0], tuple):
            for kind, values in feats:
                index = self._col_by_kind.get(kind)
                if index is not None:
                    out += map(index.get, values, _UNKNOWN)
        else:
            out += map(self.vocab.get, feats, _UNKNOWN)  # type: ignore[arg-type]
        return out

    def logits_many(self, feats: list[list[str]] | list[FeatureGroups]) -> np.ndarray:
        """Logits of several feature lists as rows, with one gather and one reduction: each row's
        known features in first-seen order with their sublinear tf-idf weights (``idf``, times
        ``1 + math.log(n)`` for a feature seen ``n > 1`` times) divided by the row's l2 norm, found
        for all rows at once.

        ``np.unique`` of (row, column) keys gives each distinct feature of a row, its count and its
        first position; ordered by first position, they come row by row in first-seen order.  Each
        row's norm is the sequential sum of squares in Python (``tests/test_fast_paths_linker.py``
        compares the logits bit for bit with a row-by-row form)."""
        cols: list[int] = []
        lengths: list[int] = []
        for f in feats:
            c = self._columns(f)
            cols += c
            lengths.append(len(c))
        z = np.tile(self._intercept, (len(feats), 1))
        col = np.fromiter(cols, np.int64, len(cols))
        known = col >= 0
        if not known.any():
            return z
        n_cols = len(self._idf64)
        keys = (np.repeat(np.arange(len(feats), dtype=np.int64), lengths) * n_cols + col)[known]
        uniq, first, count = np.unique(keys, return_index=True, return_counts=True)
        # ordered by first position: the positions are distinct, so marking them in place of a sort
        in_order = np.zeros(len(keys), dtype=bool)
        in_order[first] = True
        uniq = keys[in_order]
        count_at = np.empty(len(keys), dtype=count.dtype)
        count_at[first] = count
        count = count_at[in_order]
        rows, idx = np.divmod(uniq, n_cols)
        w = self._idf64[idx]
        repeated = np.flatnonzero(count > 1)
        if len(repeated):
            w[repeated] = np.array([1.0 + math.log(n) for n in count[repeated].tolist()], dtype=np.float64) * w[repeated]
        nonempty, starts, per_row = np.unique(rows, return_index=True, return_counts=True)
        sq = (w * w).tolist()
        bounds = starts.tolist() + [len(sq)]
        norms = [math.sqrt(sum(sq[a:b])) or 1.0 for a, b in pairwise(bounds)]
        w = w / np.repeat(np.array(norms, dtype=np.float64), per_row)
        contrib = np.take(self._coef_t, idx, axis=0) * w[:, None]  # take: the rows, faster than indexing
        z[nonempty] += np.add.reduceat(contrib, starts, axis=0)
        return z

    def _softmax(self, z: np.ndarray) -> np.ndarray:
        z = z / self.temperature
        z -= z.max(axis=-1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=-1, keepdims=True)

    def predict(self, text: str, start: int, end: int) -> tuple[str | None, float, list[tuple[str, float]]]:
        """(label or None for 'none', probability, top-3 alternatives)."""
        return self.predict_many(text, [(start, end)])[0]

    def predict_many(
        self, text: str, spans: list[tuple[int, int]], contexts: list[ChannelContext] | None = None
    ) -> list[tuple[str | None, float, list[tuple[str, float]]]]:
        """(label or None for 'none', probability, top-3 alternatives) of several quantities of one
        text, with one softmax over all of them.  ``contexts``: when given, each quantity's
        :data:`ChannelContext` is appended to it, in order (for :func:`channel_override`)."""
        if not spans:
            return []
        seg = _segmenter()
        topics_of: dict[str, list[str]] = {}
        headings = heading_index(text)
        probs = self._softmax(self.logits_many([feature_groups(text, s, e, seg, topics_of, contexts, headings) for s, e in spans]))
        orders = _top3(probs)
        out: list[tuple[str | None, float, list[tuple[str, float]]]] = []
        for p, order in zip(probs.tolist(), orders, strict=True):
            top = [(self.classes[i], p[i]) for i in order]
            lab = top[0][0]
            out.append(((None if lab == NONE_LABEL else lab), top[0][1], top))
        return out


def _top3(probs: np.ndarray) -> list[list[int]]:
    """Each row's ``np.argsort(-row, kind="stable")[:3]``: the columns of the three highest
    values, ties in column order.  Taken by three ``argmax`` passes (the first of equal maxima,
    as the stable sort puts it first), each blanking the column it took; probabilities are
    never NaN, and -inf is below every probability."""
    p = probs.copy()
    rows = np.arange(len(p))
    cols = []
    for _ in range(min(3, p.shape[1])):
        best = p.argmax(axis=1)
        p[rows, best] = -np.inf
        cols.append(best)
    return np.stack(cols, axis=1).tolist() if cols else [[] for _ in rows]


def _design(examples: list[Example], vocab: dict[str, int] | None = None, idf: np.ndarray | None = None):  # noqa: ANN202
    from scipy.sparse import csr_matrix

    feats = [features(e.text, e.start, e.end) for e in examples]
    if vocab is None:
        df: Counter[str] = Counter()
        for f in feats:
            df.update(set(f))
        kept = sorted(k for k, n in df.items() if n >= 2)
        vocab = {k: i for i, k in enumerate(kept)}
        n = len(feats)
        idf = np.array([math.log((1 + n) / (1 + df[k])) + 1.0 for k in kept], dtype=np.float64)
    assert idf is not None
    rows, cols, vals = [], [], []
    for r, f in enumerate(feats):
        counts = Counter(x for x in f if x in vocab)
        vec = {vocab[k]: (1.0 + math.log(c)) * idf[vocab[k]] for k, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        for k in sorted(vec):
            rows.append(r)
            cols.append(k)
            vals.append(vec[k] / norm)
    X = csr_matrix((vals, (rows, cols)), shape=(len(feats), len(vocab)))
    return X, vocab, idf


def _fit(X, y: list[str], c: float):  # noqa: ANN001, ANN202
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=2000, random_state=SEED, tol=1e-5)
    clf.fit(X, y)
    return clf


def _fit_temperature(logits: np.ndarray, y_idx: np.ndarray) -> float:
    best_t, best_nll = 1.0, float("inf")
    for t in np.round(np.arange(0.2, 8.01, 0.05), 2):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -float(logp[np.arange(len(y_idx)), y_idx].mean())
        if nll < best_nll - 1e-12:
            best_t, best_nll = float(t), nll
    return best_t


def train(out_dir: Path = MODEL_DIR, contexts: Path = CONTEXTS, gold_root: Path | None = None, c: float = 30.0, holdout: bool = True) -> dict[str, Any]:
    """Train the linker and write it to ``out_dir``; return metrics.

    Training data: ``contexts`` (always in the project) plus the ``claims`` of project gold
    files under ``gold_root`` (real-report gold is never trained on).  With ``holdout`` the
    docs :func:`is_heldout` selects are kept out of training and evaluated; the written model
    is the one trained without them, so the reported held-out accuracy is the model's.
    """
    gold_root = gold_root if gold_root is not None else REPO / "corpora" / "gold"
    examples = load_contexts(contexts) + gold_examples(gold_root)
    train_ex = [e for e in examples if not (holdout and is_heldout(e.doc, e.source))]
    test_ex = [e for e in examples if holdout and is_heldout(e.doc, e.source)]
    X, vocab, idf = _design(train_ex)
    y = [e.label for e in train_ex]
    clf = _fit(X, y, c)
    classes = [str(k) for k in clf.classes_]
    # temperature from grouped out-of-fold logits
    docs = sorted({e.doc for e in train_ex})
    folds = 5
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    oof_logits = np.zeros((len(train_ex), len(classes)))
    scored: list[int] = []  # rows whose class the fold's model knows
    for k in range(folds):
        tr = [i for i, e in enumerate(train_ex) if fold_of[e.doc] != k]
        te = [i for i, e in enumerate(train_ex) if fold_of[e.doc] == k]
        if not te or len({y[i] for i in tr}) < 3:
            continue
        sub = _fit(X[tr], [y[i] for i in tr], c)
        dec = sub.decision_function(X[te])
        full = np.full((len(te), len(classes)), float(dec.min()) - 10.0)
        for j, cls in enumerate(sub.classes_):
            full[:, classes.index(str(cls))] = dec[:, j]
        oof_logits[te] = full
        known = {str(x) for x in sub.classes_}
        scored += [i for i in te if y[i] in known]
    scored.sort()
    temperature = _fit_temperature(oof_logits[scored], np.array([classes.index(y[i]) for i in scored]))
    model = LinkerModel(
        classes=classes,
        vocab=vocab,
        idf=idf,
        coef=clf.coef_.astype(np.float32),
        intercept=clf.intercept_.astype(np.float32),
        temperature=temperature,
        meta={},
    )
    metrics: dict[str, Any] = {
        "train_examples": len(train_ex),
        "train_docs": len(docs),
        "heldout_examples": len(test_ex),
        "heldout_docs": len({e.doc for e in test_ex}),
        "classes": len(classes),
        "features": len(vocab),
        "temperature": temperature,
        "C": c,
    }
    if test_ex:
        metrics.update(evaluate_examples(model, test_ex))
    model.meta = {"feature_version": FEATURE_VERSION, "seed": SEED, "metrics": metrics, "split": "held out: docs whose id ends in 7, 8 or 9"}
    save_model(model, out_dir)
    load_model.cache_clear()
    return metrics


def channel_confidence(top: list[tuple[str, float]], p: float) -> float:
    """The confidence of a label :func:`channel_decision` changed or confirmed: the model's probability of the
    website and 主动公开 labels together (among its top three), at least ``p``, at most 0.95."""
    classes, _, _ = _channel_decision_table()
    both = sum(q for k, q in top if k in classes.values())
    return round(min(max(both, p), 0.95), 4)


def mention_unit(mention: str) -> str | None:
    """The normalized unit of a quantity mention (万元/亿元 -> 元)."""
    m = _UNIT.search(mention)
    if not m:
        return None
    u = m.group(1)
    return "元" if u.endswith("元") else ("%" if u in ("%", "％") else u)


def link_example(model: LinkerModel | None, text: str, start: int, end: int, use_rules: bool = True) -> tuple[str | None, float, str]:
    """(label, confidence, method) the full linker gives: rules first, then ``model``."""
    if use_rules:
        from pipeline.nlp.link import RULE_CONFIDENCE, rule_link

        hit = rule_link(text, start, end, mention_unit(text[start:end]))
        if hit is not None:
            return hit[0]["indicator"], float(hit[0].get("confidence", RULE_CONFIDENCE)), "rule"
    if model is None:
        return None, 0.0, "none"
    contexts: list[ChannelContext] = []
    lab, p, top = model.predict_many(text, [(start, end)], contexts)[0]
    changed = channel_override(text, start, end, lab, p, top, contexts[0])
    if changed is not None:
        return changed[0], changed[1], "model"
    return lab, p, "model"


def evaluate_examples(model: LinkerModel | None, examples: list[Example], use_rules: bool = True) -> dict[str, Any]:
    """Accuracy (rules + model, and model alone), expected calibration error and the confusions."""
    correct = model_correct = 0
    conf_bins: list[tuple[float, bool]] = []
    errors: Counter[tuple[str, str]] = Counter()
    by_method: Counter[str] = Counter()
    for e in examples:
        lab, p, method = link_example(model, e.text, e.start, e.end, use_rules)
        by_method[method] += 1
        got = lab or NONE_LABEL
        ok = got == e.label
        correct += ok
        if model is not None:
            mlab, mp, _ = model.predict(e.text, e.start, e.end)
            model_correct += (mlab or NONE_LABEL) == e.label
            conf_bins.append((mp, (mlab or NONE_LABEL) == e.label))
        if not ok:
            errors[(e.label, got)] += 1
    n = len(examples)
    ece = 0.0
    for lo in np.arange(0, 1, 0.1):
        b = [(p, ok) for p, ok in conf_bins if lo <= p < lo + 0.1 or (lo >= 0.9 and p == 1.0)]
        if b:
            ece += len(b) / n * abs(sum(p for p, _ in b) / len(b) - sum(ok for _, ok in b) / len(b))
    return {
        "heldout_accuracy": round(correct / n, 4) if n else None,
        "heldout_model_only_accuracy": round(model_correct / n, 4) if n and model is not None else None,
        "heldout_model_ece": round(ece, 4),
        "heldout_by_method": dict(sorted(by_method.items())),
        "heldout_errors": [{"gold": g, "predicted": p, "n": k} for (g, p), k in sorted(errors.items())],
    }


def save_model(model: LinkerModel, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab_list = sorted(model.vocab, key=model.vocab.__getitem__)
    meta = {"classes": model.classes, "vocab": vocab_list, "temperature": model.temperature, **model.meta}
    (out_dir / "linker.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    np.save(out_dir / "coef.npy", np.round(model.coef, 5).astype(np.float32), allow_pickle=False)
    np.save(out_dir / "intercept.npy", np.round(model.intercept, 5).astype(np.float32), allow_pickle=False)
    np.save(out_dir / "idf.npy", np.round(model.idf, 6).astype(np.float32), allow_pickle=False)


@lru_cache(maxsize=1)
def load_model(model_dir: str | None = None) -> LinkerModel | None:
    """The trained linker (cached per process), or None when no model has been trained."""
    d = Path(model_dir) if model_dir else MODEL_DIR
    try:
        meta = json.loads((d / "linker.json").read_text(encoding="utf-8"))
        coef = np.load(d / "coef.npy", allow_pickle=False)
        intercept = np.load(d / "intercept.npy", allow_pickle=False)
        idf = np.load(d / "idf.npy", allow_pickle=False)
    except (OSError, ValueError):
        return None
    if meta.get("feature_version") != FEATURE_VERSION:
        return None
    vocab = {k: i for i, k in enumerate(meta["vocab"])}
    return LinkerModel(
        classes=list(meta["classes"]),
        vocab=vocab,
        idf=idf.astype(np.float64),
        coef=coef,
        intercept=intercept,
        temperature=float(meta["temperature"]),
        meta={k: v for k, v in meta.items() if k not in ("vocab", "classes")},
    )


def train_cli(out_dir: str | None = None, contexts: str | None = None, gold_root: str | None = None, as_json: bool = False) -> str:
    """``nianbao train``: train, write the model and return a printable summary."""
    m = train(
        Path(out_dir) if out_dir else MODEL_DIR,
        Path(contexts) if contexts else CONTEXTS,
        Path(gold_root) if gold_root else None,
    )
    if as_json:
        return json.dumps(m, ensure_ascii=False, indent=2, sort_keys=True)
    lines = [
        f"linker written to {out_dir or MODEL_DIR}",
        f"  training: {m['train_examples']} claims from {m['train_docs']} docs; {m['classes']} classes; {m['features']} features; temperature {m['temperature']}",
        f"  held out: {m['heldout_examples']} claims from {m['heldout_docs']} docs",
        f"  held-out linking accuracy (rules + model): {m.get('heldout_accuracy')}; model alone: {m.get('heldout_model_only_accuracy')}; ECE {m.get('heldout_model_ece')}",
    ]
    for e in m.get("heldout_errors", []):
        lines.append(f"    {e['gold']} -> {e['predicted']}: {e['n']}")
    return "\n".join(lines)
