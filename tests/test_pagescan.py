"""The page scanner finds what it is meant to find, and nothing in tidtam's own phrasing."""

from __future__ import annotations

import pytest

from tests.pagescan import problems


@pytest.mark.parametrize("html", [
    "<p>นำเข้าเมื่อ 15 ต.ค. 2026 10:42</p>",
    "<td>1 ตุลาคม 2023</td>",
    "<p>ปีงบประมาณ 2023</p>",
    "<p>พ.ศ. 2026</p>",
    "<p>กำหนดส่ง 2023-10-15</p>",
    "<p>ส่งเมื่อ 15/10/2023</p>",
    "<td><small>{'level': 4, 'status': 'rated'}</small></td>",
    "<td>['6m', '12m']</td>",
    "<td>None</td>",
    "<td>True</td>",
    "<td>Decimal('3.50')</td>",
    "<li>&lt;OrgUnit: OBEC&gt;</li>",
    "<p>&lt;tidtam.x.Y object at 0x7f00&gt;</p>",
])
def test_finds(html: str) -> None:
    assert problems(html), html


@pytest.mark.parametrize("html", [
    "<p>นำเข้าเมื่อ 15 ต.ค. 2569 10:42 น.</p>",
    "<p>ปีงบประมาณ พ.ศ. 2566</p>",
    "<td>2,045 แห่ง</td><td>2023</td>",  # a count is not a year
    '<input type="date" value="2023-10-15"><a href="/x?year=2023">x</a>',
    "<script>var d = '2023-10-15'; var x = {'a': None};</script>",
    "<p>O-NET 2566 · ร้อยละ 93.12 · Nonetheless</p>",
])
def test_leaves_alone(html: str) -> None:
    assert problems(html) == [], html
