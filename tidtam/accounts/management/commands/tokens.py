"""``tidtam tokens create USERNAME NAME`` / ``tidtam tokens revoke PREFIX``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.accounts.models import ApiToken


class Command(BaseCommand):
    help = "จัดการโทเคนสำหรับ REST API"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="ออกโทเคนใหม่ (แสดงครั้งเดียว)")
        create.add_argument("username")
        create.add_argument("name")
        revoke = sub.add_parser("revoke", help="ยกเลิกโทเคนตามรหัสนำหน้า 8 ตัว")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"ไม่พบผู้ใช้ '{options['username']}'")
            _token, key = ApiToken.issue(user, options["name"])
            self.stdout.write(key)
            self.stderr.write("เก็บโทเคนนี้ไว้ให้ดี ระบบจะไม่แสดงอีก")
            return
        n = ApiToken.objects.filter(prefix=options["prefix"]).update(revoked=True)
        if not n:
            raise CommandError(f"ไม่พบโทเคน '{options['prefix']}'")
        self.stdout.write(f"ยกเลิกแล้ว {n} โทเคน")
