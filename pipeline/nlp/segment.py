"""Word segmentation behind one interface: jieba, or rjieba (jieba-rs bindings) when installed.

Both implementations load jieba's main dictionary plus the domain user dictionary
(``models/jieba_userdict.txt``, word by word: rjieba has no ``load_userdict``) and cut with the
same HMM setting, so they return the same words (tests/test_nlp_segment_parity.py compares them
on the corpora).  rjieba builds its dictionary in ~0.1 s and segments ~20x faster than
pure-Python jieba, whose prefix dictionary takes ~0.9 s to build.

This module never imports spaCy; :mod:`pipeline.nlp.spacy_pipeline` builds its tokenizer on it.
``NIANBAO_SEGMENTER=jieba`` (or ``rjieba``) forces an implementation; the default is rjieba when
importable, jieba otherwise.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
USERDICT_NAME = "jieba_userdict.txt"
KINDS = ("jieba", "rjieba")

UserWords = Iterable[tuple[str, int | None, str | None]]

_LOCK = threading.Lock()
_BASE_FREQ: tuple[dict[str, int], int] | None = None
_DEFAULT: dict[str, Segmenter] = {}
_RJIEBA_LOCK = threading.Lock()


def models_dir() -> Path:
    """``$NIANBAO_MODELS``, else ``models/`` of the repository, else the installed copy
    (``<prefix>/share/nianbao/models``), else ``models/`` of the working directory."""
    env = os.environ.get("NIANBAO_MODELS")
    if env:
        return Path(env)
    # a checkout (editable install), then the copy a regular install puts under <prefix>/share
    for cand in (REPO / "models", Path(sys.prefix) / "share" / "nianbao" / "models", Path.cwd() / "models"):
        if cand.is_dir():
            return cand
    return REPO / "models"


def default_userdict() -> Path:
    return models_dir() / USERDICT_NAME


def read_userdict(path: str | Path) -> list[tuple[str, int | None, str | None]]:
    """Entries of a jieba user dictionary file: (word, freq or None, tag or None)."""
    out: list[tuple[str, int | None, str | None]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.strip().split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
            out.append((parts[0], freq, tag))
    return out


def _base_freq() -> tuple[dict[str, int], int]:
    """jieba's main dictionary as a prefix dict, built once per process without the disk cache."""
    global _BASE_FREQ
    import jieba

    with _LOCK:
        if _BASE_FREQ is None:
            tk = jieba.Tokenizer()
            _BASE_FREQ = tk.gen_pfdict(tk.get_dict_file())
        return _BASE_FREQ


def make_jieba(user_words: UserWords) -> Any:
    """A ``jieba.Tokenizer`` of its own (main dictionary + ``user_words``): no cache file, no log lines."""
    import jieba

    freq, total = _base_freq()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total = dict(freq), total
    tk.initialized = True  # skip jieba's initialize(): no cache file, no log lines
    for word, f, tag in user_words:
        tk.add_word(word, f, tag)
    return tk


class Segmenter:
    """Cuts text into words; subclasses implement :meth:`words`."""

    kind = ""

    def __init__(self, user_words: UserWords = (), hmm: bool = False) -> None:
        self.user_words = list(user_words)
        self.hmm = hmm

    def words(self, text: str) -> list[str]:
        """Every word of ``text`` in order (their concatenation is ``text``)."""
        raise NotImplementedError

    def lcut(self, text: str, HMM: bool | None = None) -> list[str]:  # noqa: N803 - jieba's spelling
        """jieba-compatible alias of :meth:`words` (``HMM`` must match the segmenter's setting)."""
        if HMM is not None and HMM != self.hmm:
            raise ValueError(f"this segmenter cuts with HMM={self.hmm}")
        return self.words(text)

    def word_spans(self, text: str, offset: int = 0) -> list[tuple[int, int]]:
        """(start, end) of every non-blank word of ``text`` (plus ``offset``)."""
        out: list[tuple[int, int]] = []
        pos = offset
        for w in self.words(text):
            if w.strip():
                out.append((pos, pos + len(w)))
            pos += len(w)
        return out

    def __reduce__(self) -> tuple[Any, ...]:  # rebuilt in the receiving process
        return (make_segmenter, (self.user_words, self.hmm, self.kind))


class JiebaSegmenter(Segmenter):
    """Pure-Python jieba with its own ``jieba.Tokenizer``."""

    kind = "jieba"

    def __init__(self, user_words: UserWords = (), hmm: bool = False) -> None:
        super().__init__(user_words, hmm)
        self.tokenizer = make_jieba(self.user_words)

    def words(self, text: str) -> list[str]:
        return [w for w in self.tokenizer.cut(text, HMM=self.hmm) if w]


def _load_rjieba_extension() -> Any:
    """rjieba's compiled module (``rjieba.rjieba``) without running the package's ``__init__``, or None."""
    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(loc, "rjieba" + suffix)
            if os.path.isfile(path):
                loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", path)
                ext_spec = importlib.util.spec_from_file_location("rjieba.rjieba", path, loader=loader)
                if ext_spec is None:
                    return None
                mod = importlib.util.module_from_spec(ext_spec)
                loader.exec_module(mod)
                sys.modules["rjieba.rjieba"] = mod  # a later ``import rjieba`` reuses it
                return mod
    return None


def rjieba_class() -> Any:
    """rjieba's ``Jieba`` class.  Raises ImportError when rjieba is not installed.

    ``import rjieba`` builds a default ``Jieba()`` (jieba's whole dictionary, ~0.2 s) that
    nianbao never uses: it builds its own with the user words.  So when rjieba is not imported
    yet, only its compiled module is loaded (the same class; ``import rjieba`` later reuses it).
    """
    with _RJIEBA_LOCK:
        if "rjieba" in sys.modules:
            import rjieba

            return rjieba.Jieba
        mod = sys.modules.get("rjieba.rjieba")
        if mod is None:
            try:
                mod = _load_rjieba_extension()
            except Exception:  # noqa: BLE001 - an unusual installation: import the package normally
                mod = None
        if mod is None:
            import rjieba

            return rjieba.Jieba
        return mod.Jieba


class RjiebaSegmenter(Segmenter):
    """jieba-rs through the ``rjieba`` bindings, with the same dictionary and user words."""

    kind = "rjieba"

    def __init__(self, user_words: UserWords = (), hmm: bool = False) -> None:
        jieba_cls = rjieba_class()
        super().__init__(user_words, hmm)
        self.tokenizer = jieba_cls()
        for word, f, tag in self.user_words:
            self.tokenizer.add_word(word, f, tag)

    def words(self, text: str) -> list[str]:
        return [w for w in self.tokenizer.cut(text, self.hmm) if w]


def rjieba_available() -> bool:
    try:
        rjieba_class()
    except ImportError:
        return False
    return True


def default_kind() -> str:
    """``$NIANBAO_SEGMENTER`` if set, else ``rjieba`` when importable, else ``jieba``."""
    env = os.environ.get("NIANBAO_SEGMENTER", "").strip().lower()
    if env:
        if env not in KINDS:
            raise ValueError(f"NIANBAO_SEGMENTER must be one of {', '.join(KINDS)}, not {env!r}")
        return env
    return "rjieba" if rjieba_available() else "jieba"


def make_segmenter(user_words: UserWords = (), hmm: bool = False, kind: str | None = None) -> Segmenter:
    """A new segmenter of ``kind`` (default: :func:`default_kind`) with ``user_words``."""
    kind = kind or default_kind()
    if kind == "rjieba":
        return RjiebaSegmenter(user_words, hmm)
    if kind == "jieba":
        return JiebaSegmenter(user_words, hmm)
    raise ValueError(f"unknown segmenter {kind!r}; expected one of {', '.join(KINDS)}")


def get_segmenter(kind: str | None = None) -> Segmenter:
    """The product segmenter (domain user dictionary, HMM off), built once per process and kind."""
    kind = kind or default_kind()
    with _LOCK:
        seg = _DEFAULT.get(kind)
    if seg is None:
        path = default_userdict()
        seg = make_segmenter(read_userdict(path) if path.is_file() else [], False, kind)
        with _LOCK:
            seg = _DEFAULT.setdefault(kind, seg)
    return seg
