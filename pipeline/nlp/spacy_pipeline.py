"""spaCy integration: a jieba tokenizer that owns its dictionary, and the quantity component.

The product path (:func:`pipeline.nlp.analyze`) does not use this module (it segments with
:func:`pipeline.nlp.segment.get_segmenter` and never imports spaCy); it is for spaCy users.

- ``nianbao.JiebaTokenizer.v1`` (registered tokenizer): segments with its *own*
  segmenter (:mod:`pipeline.nlp.segment`; rjieba when installed, else a ``jieba.Tokenizer``
  that is not the module-global one), loads the user dictionary named in its config
  (default ``models/jieba_userdict.txt``), saves the user words with ``to_disk``/``to_bytes`` and
  rebuilds itself on unpickle, so a pipeline works with ``nlp.pipe(n_process=2)`` under the spawn
  start method.  jieba's prefix dictionary is built in memory (no ``/tmp/jieba.cache``, no log
  noise) and shared between tokenizers of one process.
- ``nianbao_quantities`` (``@Language.factory``): writes ``doc.spans["quantities"]``; each span
  has the extension attributes ``value``, ``unit``, ``approx``, ``kind`` (and ``value_max``,
  ``raw_unit``, ``explanation``, ``char_start``, ``char_end`` — the mention's exact characters,
  since a span must be token-aligned).  Numbers are read from ``doc.text``, not from tokens.
  Exposed through the ``spacy_factories`` entry point, so after ``pip install``
  ``spacy.blank("zh").add_pipe("nianbao_quantities")`` works without importing nianbao.

:func:`get_nlp` returns the default pipeline (user dictionary, quantity component), built once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab

from pipeline.nlp.quantities import recognize
from pipeline.nlp.segment import (  # noqa: F401 - re-exported for existing callers
    REPO,
    USERDICT_NAME,
    Segmenter,
    default_userdict,
    make_jieba,
    make_segmenter,
    models_dir,
    read_userdict,
)

TOKENIZER_NAME = "nianbao.JiebaTokenizer.v1"
QUANTITIES_FACTORY = "nianbao_quantities"
SPANS_KEY = "quantities"


class JiebaTokenizer:
    """A spaCy tokenizer segmenting with its own segmenter (:mod:`pipeline.nlp.segment`: jieba's
    dictionary and the user words, cut by rjieba when installed, else by jieba)."""

    def __init__(self, vocab: Vocab, userdict: str | Path | None = None, hmm: bool = False) -> None:
        self.vocab = vocab
        self.hmm = hmm
        self.userdict = str(userdict) if userdict else ""
        path = Path(self.userdict) if self.userdict else default_userdict()
        self.user_words: list[tuple[str, int | None, str | None]] = read_userdict(path) if path.is_file() else []
        self.segmenter: Segmenter = make_segmenter(self.user_words, self.hmm)

    @property
    def _jieba(self) -> Segmenter:  # the attribute's former name
        return self.segmenter

    def __call__(self, text: str) -> Doc:
        words = self.segmenter.words(text)
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def word_spans(self, text: str, offset: int = 0) -> list[tuple[int, int]]:
        """(start, end) of every word of ``text`` (plus ``offset``), without building a Doc."""
        return self.segmenter.word_spans(text, offset)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for t in texts:
            yield self(t)

    # -- pickling: rebuild the jieba tokenizer in the receiving process
    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_tokenizer, (self.vocab, self.user_words, self.hmm, self.userdict))

    # -- serialization: the user words travel with the pipeline
    def _state(self) -> dict[str, Any]:
        return {"hmm": self.hmm, "user_words": [list(w) for w in self.user_words]}

    def _set_state(self, state: dict[str, Any]) -> None:
        self.hmm = bool(state.get("hmm", False))
        self.user_words = [(w[0], w[1], w[2]) for w in state.get("user_words", [])]
        self.segmenter = make_segmenter(self.user_words, self.hmm)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        import srsly

        return srsly.msgpack_dumps(self._state())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> JiebaTokenizer:
        import srsly

        self._set_state(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / USERDICT_NAME, "w", encoding="utf-8") as fh:
            for w, f, t in self.user_words:
                fh.write(" ".join(str(x) for x in (w, f, t) if x is not None) + "\n")
        (path / "cfg").write_text(f'{{"hmm": {str(self.hmm).lower()}}}', encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> JiebaTokenizer:
        import json

        path = Path(path)
        cfg = json.loads((path / "cfg").read_text(encoding="utf-8")) if (path / "cfg").exists() else {}
        words = read_userdict(path / USERDICT_NAME) if (path / USERDICT_NAME).exists() else []
        self._set_state({"hmm": cfg.get("hmm", False), "user_words": [list(w) for w in words]})
        return self


def _rebuild_tokenizer(vocab: Vocab, user_words: list[tuple[str, int | None, str | None]], hmm: bool, userdict: str) -> JiebaTokenizer:
    tok = JiebaTokenizer.__new__(JiebaTokenizer)
    tok.vocab = vocab
    tok.userdict = userdict
    tok._set_state({"hmm": hmm, "user_words": [list(w) for w in user_words]})
    return tok


@registry.tokenizers(TOKENIZER_NAME)
def create_jieba_tokenizer(userdict: str = "", hmm: bool = False, segmenter: str = "jieba") -> Any:
    """Config entry ``[nlp.tokenizer] @tokenizers = "nianbao.JiebaTokenizer.v1"``.

    ``userdict``: path of a jieba user dictionary ("" = ``models/jieba_userdict.txt``).
    ``segmenter`` is accepted (and ignored) so the block can replace spaCy's zh tokenizer block.
    """

    def make(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, userdict or None, hmm)

    return make


# ------------------------------------------------------------------ quantity component

SPAN_ATTRS = ("value", "unit", "approx", "kind", "value_max", "raw_unit", "explanation", "char_start", "char_end")


def _ensure_extensions() -> None:
    for name in SPAN_ATTRS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


_ensure_extensions()  # at import, so an unpickled component in a spawned worker finds them


class QuantityRecognizer:
    """Writes every quantity mention of ``doc.text`` to ``doc.spans[spans_key]``."""

    def __init__(self, spans_key: str = SPANS_KEY) -> None:
        self.spans_key = spans_key
        _ensure_extensions()

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for m in recognize(doc.text):
            span = doc.char_span(m.start, m.end, label=m.parsed.kind, alignment_mode="expand")
            if span is None:
                continue
            p = m.parsed
            for name, val in (
                ("value", p.value),
                ("unit", p.unit),
                ("approx", p.approx),
                ("kind", p.kind),
                ("value_max", p.value_max),
                ("raw_unit", p.raw_unit),
                ("explanation", p.explanation),
                ("char_start", m.start),
                ("char_end", m.end),
            ):
                span._.set(name, val)
            spans.append(span)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / "cfg").write_text(f'{{"spans_key": "{self.spans_key}"}}', encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> QuantityRecognizer:
        return self


@Language.factory(QUANTITIES_FACTORY, default_config={"spans_key": SPANS_KEY})
def make_quantity_recognizer(nlp: Language, name: str, spans_key: str) -> QuantityRecognizer:
    """``nlp.add_pipe("nianbao_quantities")``: the nianbao quantity recognizer."""
    return QuantityRecognizer(spans_key)


def build_nlp(userdict: str | Path | None = None, hmm: bool = False) -> Language:
    """``spacy.blank("zh")`` with the jieba tokenizer and the quantity component."""
    tok_cfg: dict[str, Any] = {"@tokenizers": TOKENIZER_NAME, "userdict": str(userdict) if userdict else "", "hmm": hmm}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": tok_cfg}})
    nlp.add_pipe(QUANTITIES_FACTORY)
    return nlp


_NLP: Language | None = None
_NLP_LOCK = threading.Lock()


def get_nlp() -> Language:
    """The default pipeline, built once per process (workers build their own on first use)."""
    global _NLP
    with _NLP_LOCK:
        if _NLP is None:
            _NLP = build_nlp()
        return _NLP
