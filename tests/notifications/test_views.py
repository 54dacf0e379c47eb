"""One's own notifications: the unread count in the navigation, the list, marking read, choices."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import make_user
from tidtam.notifications.deliver import deliver
from tidtam.notifications.models import Kind, Notification, Preference


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_unread_count_list_and_mark_read(db: None) -> None:
    me, other = make_user("me", "reporter", "SPM-52-51"), make_user("you", "reporter", "SPP-52-1")
    a = deliver(me, Kind.RETURNED, "k1", "รายงานถูกส่งกลับ", "แก้ไขตัวเลข", "/tasks/")
    deliver(me, Kind.RATED, "k2", "รายงานได้รับการประเมินแล้ว", "รอผู้อนุมัติ")
    theirs = deliver(other, Kind.RATED, "k3", "ของคนอื่น", "ลับ")
    assert a is not None and theirs is not None
    c = _client(me)
    home = c.get("/notifications/").content.decode()
    assert 'aria-label="ยังไม่ได้อ่าน 2 รายการ">2</span>' in home
    assert "รายงานถูกส่งกลับ" in home and "ของคนอื่น" not in home
    resp = c.post(f"/notifications/{a.pk}/read/", {"go": "1"})
    assert resp.status_code == 302 and resp["Location"] == "/tasks/"
    assert Notification.objects.get(pk=a.pk).read_at is not None
    assert ">1</span>" in c.get("/notifications/").content.decode()
    assert c.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert c.get(f"/notifications/{a.pk}/read/").status_code == 405
    c.post("/notifications/read-all/")
    assert 'class="badge"' not in c.get("/notifications/").content.decode()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_are_saved_per_kind(db: None) -> None:
    me = make_user("me", "reporter", "SPM-52-51")
    c = _client(me)
    page = c.get("/notifications/preferences/").content.decode()
    assert "เตือนกำหนดส่งรายงาน" in page and "ยังไม่มีอีเมล" in page
    form = {f"{k}-{w}": "on" for k in Kind.values for w in ("email", "in_app")}
    del form["deadline-email"], form["digest-email"], form["digest-in_app"]
    assert c.post("/notifications/preferences/", form).status_code == 302
    assert (Preference.of(me, Kind.DEADLINE).email, Preference.of(me, Kind.DEADLINE).in_app) == \
        (False, True)
    assert deliver(me, Kind.DIGEST, "d", "สรุป", "ไม่มี") is None
    assert Preference.of(me, Kind.RETURNED).email is True
    assert Client().get("/notifications/").status_code == 302  # signed in only
