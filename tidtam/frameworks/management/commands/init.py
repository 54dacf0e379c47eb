"""``tidtam init [--demo]``: create or migrate the database and load the frameworks."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tidtam.frameworks.loader import load_all


class Command(BaseCommand):
    help = "สร้าง/ปรับปรุงฐานข้อมูล และโหลดกรอบการประเมิน (--demo: โหลดข้อมูลตัวอย่างด้วย)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="โหลดหน่วยงานและผลการประเมินตัวอย่าง")

    def handle(self, *args: Any, demo: bool = False, **options: Any) -> None:
        from django.conf import settings

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        fw = load_all()
        from tidtam.validation.loader import load_all_rules

        fw.changed += load_all_rules()
        self.stdout.write(
            f"กรอบการประเมิน: เปลี่ยนแปลง {fw.changed} รายการ ไม่เปลี่ยนแปลง {fw.unchanged}"
        )
        if demo:
            from tidtam.demo.loader import DEMO_PASSWORD, DEMO_USER, load_demo

            changed = load_demo()
            self.stdout.write(f"ข้อมูลตัวอย่าง: เปลี่ยนแปลง {changed} รายการ")
            self.stdout.write(f"บัญชีทดลอง: ชื่อผู้ใช้ {DEMO_USER} รหัสผ่าน {DEMO_PASSWORD}")
            self.stdout.write(
                "บัญชีตามบทบาท (รหัสผ่านเดียวกัน): spm5251 ผู้รายงาน สพม.ลำปาง ลำพูน, "
                "evaluator ผู้ประเมิน, approver ผู้อนุมัติ, reo15 ผู้ดูข้อมูล, "
                "admin5251 ผู้ดูแลผู้ใช้ สพม.ลำปาง ลำพูน, "
                "peo75-rt ผู้รวบรวมรายงานตรวจราชการ ศธจ.สมุทรสงคราม, reo5-rt ผู้รวบรวมระดับ ศธภ.5"
            )
            self.stdout.write(
                "demo, approver และ admin5251 ต้องยืนยันตัวตนสองขั้นตอน: เข้าสู่ระบบครั้งแรก "
                "ให้สแกนคิวอาร์โค้ดด้วยแอปยืนยันตัวตน (หรือ oathtool --totp -b รหัสลับ)"
            )
        self.stdout.write(self.style.SUCCESS("พร้อมใช้งาน"))
