"""Which bodies can make 规章 (pipeline/data/plausibility.yaml)."""

from __future__ import annotations

import pytest

from pipeline.reconcile.plausibility import can_make_rules


@pytest.mark.parametrize(
    "agency,expected",
    [
        ("淮安市人民政府", True),
        ("上海市人民政府办公厅", True),
        ("测试市", True),  # a bare city name: the whole city's report, i.e. its government
        ("江苏省", True),
        ("岢岚县人民政府", False),
        ("北河区人民政府办公室", False),
        ("江澄市生态环境局", False),
    ],
)
def test_can_make_rules(agency: str, expected: bool) -> None:
    assert can_make_rules(agency) is expected
