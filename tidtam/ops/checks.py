"""Deployment checks of tidtam's own, run by ``tidtam check --deploy``.

Django's checks cover the security settings; these cover what makes a
production server fail in ways a settings file does not show: static files
never collected (every page would answer 500) and an SQLite file that could
not switch to WAL (a network file system; the web server would then block on
every write of a command or worker).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.staticfiles, deploy=True)
def static_collected(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
    if manifest.exists():
        return []
    return [Error(
        f"ยังไม่ได้รวบรวมไฟล์ static: ไม่พบ {manifest}",
        hint="สั่ง `tidtam collectstatic --noinput` ทุกครั้งหลังติดตั้งหรือปรับรุ่น"
             " (หน่วย systemd ตัวอย่างสั่งให้ก่อนเริ่ม)",
        id="tidtam.E001",
    )]


@register(Tags.database, deploy=True)
def sqlite_in_wal(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    from django.db import connection

    return journal_mode_warnings(connection)


def journal_mode_warnings(connection: Any) -> list[Warning]:
    """A warning when an existing SQLite file is not in WAL mode after connecting."""
    if connection.vendor != "sqlite":
        return []
    if not Path(connection.settings_dict["NAME"]).exists():
        return []  # not created yet: the first connection creates it in WAL mode
    with connection.cursor() as cur:
        cur.execute("PRAGMA journal_mode")
        mode = cur.fetchone()[0]
    if mode.lower() == "wal":
        return []
    return [Warning(
        f"ฐานข้อมูล SQLite {connection.settings_dict['NAME']} ไม่ได้อยู่ในโหมด WAL"
        f" (เป็น {mode})",
        hint="โหมด WAL ใช้ไม่ได้บนระบบไฟล์เครือข่าย: ย้ายไฟล์ฐานข้อมูลไปไว้บนดิสก์ของเครื่อง"
             " (TIDTAM_DATA_DIR) หรือใช้ PostgreSQL",
        id="tidtam.W001",
    )]
