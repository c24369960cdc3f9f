"""The subsection-heading feature of the linker (``headings`` in data/topics.yaml, ``hd:`` features)."""

from __future__ import annotations

from pipeline.data import load_yaml
from pipeline.nlp.linker import feature_groups, features, heading_classes, heading_index

TEXT = "一、总体情况\n（一）主动公开情况\n全年主动公开政府信息120条。\n(二)依申请公开情况。本年度收到申请5件,办理5件。\n三、政府信息管理\n1.开展培训2次。\n"


def _at(mention: str, nth: int = 0) -> tuple[int, int]:
    s = -1
    for _ in range(nth + 1):
        s = TEXT.index(mention, s + 1)
    return s, s + len(mention)


def test_heading_lines_and_their_classes() -> None:
    starts, classes = heading_index(TEXT)
    assert [TEXT[s : s + 4] for s in starts] == ["一、总体", "（一）主", "(二)依", "三、政府"]
    assert classes == [["0"], ["active"], ["apply"], ["manage"]]


def test_nearest_heading_before_the_quantity() -> None:
    index = heading_index(TEXT)
    assert heading_classes(index, _at("120条")[0]) == ["active"]
    assert heading_classes(index, _at("5件")[0]) == ["apply"]  # an inline heading ends at its 。
    assert heading_classes(index, _at("2次")[0]) == ["manage"]  # a numbered item is not a heading
    assert heading_classes(index, 0) == []


def test_numbered_items_and_mid_line_markers_are_not_headings() -> None:
    assert heading_index("全年发布信息10条、（一）类5条。\n1.公开文件3件。") == ([], [])


def test_feature_is_the_same_with_and_without_a_precomputed_index() -> None:
    s, e = _at("5件", 1)
    with_index = feature_groups(TEXT, s, e, headings=heading_index(TEXT))
    assert with_index == feature_groups(TEXT, s, e)
    assert ("hd", ["apply"]) in with_index
    assert "hd:apply" in features(TEXT, s, e)


def test_heading_classes_are_data() -> None:
    classes = load_yaml("topics.yaml")["headings"]
    assert {"apply", "active"} <= set(classes)
    assert all(isinstance(w, str) and w for words in classes.values() for w in words)
