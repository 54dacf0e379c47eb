"""Django's password validators with their messages in Thai.

Django's Thai catalogue leaves these untranslated, and the message is what a
person setting a password reads, so each says in Thai what to change.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as pv


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย {self.min_length} ตัวอักษร"

    def get_help_text(self) -> str:
        return f"รหัสผ่านต้องยาวอย่างน้อย {self.min_length} ตัวอักษร"


class UserAttributeSimilarityValidator(pv.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "รหัสผ่านคล้ายกับชื่อผู้ใช้ ชื่อ นามสกุล หรืออีเมลมากเกินไป กรุณาตั้งรหัสที่เดายากกว่านี้"

    def get_help_text(self) -> str:
        return "รหัสผ่านต้องไม่คล้ายกับชื่อผู้ใช้ ชื่อ นามสกุล หรืออีเมลของท่าน"


class CommonPasswordValidator(pv.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "รหัสผ่านนี้เป็นรหัสที่มีผู้ใช้ทั่วไปมาก เดาได้ง่าย กรุณาตั้งรหัสอื่น"

    def get_help_text(self) -> str:
        return "รหัสผ่านต้องไม่ใช่รหัสที่ใช้กันทั่วไป"


class NumericPasswordValidator(pv.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "รหัสผ่านเป็นตัวเลขทั้งหมด กรุณาผสมตัวอักษรหรือเครื่องหมายด้วย"

    def get_help_text(self) -> str:
        return "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด"
