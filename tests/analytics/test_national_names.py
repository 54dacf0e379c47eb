"""The national demo names its schools from a neutral vocabulary, never a dictionary's."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tidtam.analytics.national import phrases, school_names
from tidtam.orgs.models import OrgType, OrgUnit

# Words no generated name may contain: the three the old generator produced
# ("โรงเรียนวัดนางโลม", "…บ้านจวนตาย", "…วัดผีกระสือ") and their like.
NEVER = ("นางโลม", "จวนตาย", "ผีกระสือ", "ตาย", "ผี", "ศพ", "โสเภณี", "กะหรี่", "เหี้ย",
         "ควาย", "ระยำ", "ชั่ว", "ขี้", "ส้วม", "เย็ด", "หี", "ควย", "สัตว์นรก", "ฆ่า", "ปีศาจ",
         "เปรต", "นรก", "ขโมย", "โจร", "โง่")


def test_the_vocabulary_holds_none_of_the_words() -> None:
    names = school_names()
    assert len(names) > 1000  # enough for the largest office's schools, all distinct
    bad = [n for n in names for w in NEVER if w in n]
    assert bad == []
    words = [w for part in phrases()["school_names"].values()
             for key in ("places", "qualifiers") for w in part[key]]
    assert [w for w in words for bad_word in NEVER if bad_word in w] == []


def test_every_generated_school_is_named_from_it(country: Any) -> None:
    allowed = set(school_names())
    by_office: dict[int, list[str]] = defaultdict(list)
    for parent, name in OrgUnit.objects.filter(type=OrgType.SCHOOL, code__contains="-S") \
            .values_list("parent_id", "name_th"):
        by_office[parent].append(name)
    names = [n for ns in by_office.values() for n in ns]
    assert names and set(names) <= allowed
    assert all(len(ns) == len(set(ns)) for ns in by_office.values())  # distinct in an office
