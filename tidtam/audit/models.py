"""Audit entries, keyed to the object they concern.

An entry names its object by content type and id (a generic key: the
object may be any model, and a deleted object's history stays findable by
the id it had), the org unit it belongs to and, for a report's changes, the
submission. ``target`` is the object's description as it was when the
change was made, so an entry stays readable after its object is renamed or
deleted. Entries are append-only: the model refuses to delete them, and the
admin shows them read-only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tidtam.orgs.models import OrgUnit
from tidtam.thai.dates import thai_datetime


class Action(models.TextChoices):
    # reporting: what an office writes, and its workflow
    CREATE = "create", "สร้างรายงาน"
    VALUE = "value", "แก้ไขข้อมูลตัวเลข"
    NARRATIVE = "narrative", "แก้ไขข้อความ"
    PROBLEM = "problem", "แก้ไขปัญหา/แนวทางแก้ไข"
    PROBLEM_DELETE = "problem_delete", "ลบปัญหา/แนวทางแก้ไข"
    BEST_PRACTICE = "best_practice", "แก้ไขวิธีปฏิบัติที่เป็นเลิศ"
    BEST_PRACTICE_DELETE = "best_practice_delete", "ลบวิธีปฏิบัติที่เป็นเลิศ"
    FILE = "file", "แนบไฟล์"
    FILE_DELETE = "file_delete", "ลบไฟล์"
    ANSWER = "answer", "ระบุเหตุผลต่อคำเตือน"
    RATING = "rating", "ให้ระดับคุณภาพ"
    WORKFLOW = "workflow", "เปลี่ยนสถานะรายงาน"
    # evaluation and organisations written in bulk
    RATING_IMPORT = "rating_import", "นำเข้าผลการประเมิน"
    RECOMMENDATION_IMPORT = "recommendation_import", "นำเข้าข้อเสนอแนะ"
    ORG_IMPORT = "org_import", "นำเข้าหน่วยงาน"
    # imported documents
    IMPORT_DRAFT = "import_draft", "อ่านเอกสารเป็นร่างนำเข้า"
    IMPORT_EDIT = "import_edit", "แก้ไขร่างนำเข้า"
    IMPORT_SOURCE_EDIT = "import_source_edit", "แก้ข้อความต้นฉบับแล้วอ่านใหม่"
    IMPORT_ACCEPT = "import_accept", "รับเข้าเอกสารนำเข้า"
    IMPORT_REJECT = "import_reject", "ไม่รับเอกสารนำเข้า"
    PLAN_IMPORT = "plan_import", "นำเข้าแผนปฏิบัติการ"
    INSPECTION_IMPORT = "inspection.import", "นำเข้ารายงานการตรวจราชการ"
    # plans
    PLAN_PROGRESS = "plan_progress", "บันทึกความก้าวหน้ารายไตรมาส"
    PLAN_PROGRESS_STATE = "plan_progress_state", "เปลี่ยนสถานะความก้าวหน้ารายไตรมาส"
    # inspection
    INSPECTION_ENTRY = "inspection.entry", "บันทึกข้อมูลการตรวจราชการ"
    INSPECTION_ENTRY_DELETE = "inspection.entry.delete", "ลบข้อมูลการตรวจราชการ"
    INSPECTION_GATHER = "inspection.gather", "รวบรวมข้อมูล"
    INSPECTION_MOVE = "inspection.move", "จัดลำดับ"
    INSPECTION_EDIT = "inspection.edit", "เรียบเรียงข้อความ"
    INSPECTION_DUPLICATE = "inspection.duplicate", "รวม/แยกย่อหน้าที่ซ้ำ"
    INSPECTION_SEND = "inspection.send", "ส่งรายงานการตรวจราชการ"
    # the national synthesis
    SYNTHESIS_PICK = "synthesis_pick", "เลือกข้อความลงรายงานสังเคราะห์"
    SYNTHESIS_UNPICK = "synthesis_unpick", "นำข้อความออกจากรายงานสังเคราะห์"
    # the Django admin
    ADMIN_ADD = "admin_add", "เพิ่มผ่านหน้าผู้ดูแลระบบ"
    ADMIN_CHANGE = "admin_change", "แก้ไขผ่านหน้าผู้ดูแลระบบ"
    ADMIN_DELETE = "admin_delete", "ลบผ่านหน้าผู้ดูแลระบบ"
    USER_DEACTIVATE = "user_deactivate", "ระงับการใช้งานผู้ใช้ (แทนการลบ)"
    # the observation store (tidtam.measures): figures written outside a form
    OBSERVATION = "observation", "แก้ไขค่าข้อมูล"
    OBSERVATION_IMPORT = "observation_import", "นำเข้าค่าข้อมูล"
    # accounts, managed in the app by office administrators (tidtam/accounts/actions.py)
    ACCOUNT_CREATE = "account.create", "สร้างบัญชีผู้ใช้"
    ACCOUNT_UPDATE = "account.update", "แก้ไขข้อมูลผู้ใช้"
    ACCOUNT_ROLE_ADD = "account.role_add", "กำหนดบทบาท"
    ACCOUNT_ROLE_REMOVE = "account.role_remove", "ยกเลิกบทบาท"
    ACCOUNT_DEACTIVATE = "account.deactivate", "ระงับการใช้งานบัญชี"
    ACCOUNT_ACTIVATE = "account.activate", "เปิดใช้งานบัญชีอีกครั้ง"
    ACCOUNT_INVITE = "account.invite", "ส่งอีเมลตั้งรหัสผ่าน"
    ACCOUNT_UNLOCK = "account.unlock", "ปลดล็อกบัญชี"
    ACCOUNT_2FA_RESET = "account.2fa_reset", "ยกเลิกการยืนยันตัวตนสองขั้นตอน"
    ACCOUNT_2FA_ENROL = "account.2fa_enrol", "ลงทะเบียนแอปยืนยันตัวตน"
    ACCOUNT_2FA_CODES = "account.2fa_codes", "สร้างรหัสสำรองชุดใหม่"
    ACCOUNT_2FA_REMOVE = "account.2fa_remove", "ปิดการยืนยันตัวตนสองขั้นตอน"
    ACCOUNT_PASSWORD = "account.password", "เปลี่ยนรหัสผ่าน"
    ACCOUNT_PASSWORD_RESET = "account.password_reset", "ตั้งรหัสผ่านใหม่ทางอีเมล"
    # the registers (tidtam.incidents, tidtam.children): every read of personal data too
    INCIDENT_REPORT = "incident.report", "แจ้งเหตุ"
    INCIDENT_STATE = "incident.state", "เปลี่ยนสถานะเหตุ"
    INCIDENT_EDIT = "incident.edit", "แก้ไขข้อมูลเหตุ"
    INCIDENT_FILE = "incident.file", "แนบไฟล์ในเหตุ"
    INCIDENT_READ = "incident.read", "เปิดดูข้อมูลส่วนบุคคลในเหตุ"
    CHILD_IMPORT = "child.import", "นำเข้ารายชื่อเด็กนอกระบบการศึกษา"
    CHILD_STEP = "child.step", "บันทึกขั้นตอนการติดตามเด็ก"
    CHILD_EDIT = "child.edit", "แก้ไขข้อมูลเด็ก"
    CHILD_READ = "child.read", "เปิดดูข้อมูลส่วนบุคคลของเด็ก"
    CHILD_EXPORT = "child.export", "ส่งออกรายชื่อเด็ก"


class AuditDeleteRefused(Exception):
    """Audit entries are never deleted."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def delete(self) -> Any:
        raise AuditDeleteRefused("บันทึกการเปลี่ยนแปลงลบไม่ได้")

    def about(self, obj: models.Model) -> AuditQuerySet:
        """Entries of one object (kept after the object is deleted)."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj),
                           object_id=obj.pk)

    def about_any(self, model: type[models.Model], ids: Any) -> AuditQuerySet:
        """Entries of any of these objects of one model (ids: a list or a subquery)."""
        return self.filter(content_type=ContentType.objects.get_for_model(model),
                           object_id__in=ids)


class AuditEntry(models.Model):
    """Who changed what, when, from what to what. Append-only."""

    at = models.DateTimeField("เมื่อ", default=timezone.now)
    # PROTECT: a user with history is deactivated, never deleted (accounts/admin.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="audit_entries", verbose_name="ผู้ดำเนินการ",
    )
    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="หน่วยงาน", db_index=False,  # leads the (org, at) index
    )
    submission = models.ForeignKey(
        "reporting.Submission", on_delete=models.PROTECT, null=True, blank=True,
        related_name="audit_entries", verbose_name="รายงาน",
        db_index=False,  # leads the (submission, at) index
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="ชนิดของข้อมูล", db_index=False,  # leads the (content type, id, at) index
    )
    object_id = models.PositiveBigIntegerField("เลขที่ของข้อมูล", null=True, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    action = models.CharField("การดำเนินการ", max_length=32, choices=Action.choices)
    target = models.CharField("รายการ", max_length=255)
    before = models.JSONField("ก่อน", null=True, blank=True)
    after = models.JSONField("หลัง", null=True, blank=True)
    comment = models.TextField("หมายเหตุ", blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "บันทึกการเปลี่ยนแปลง"
        verbose_name_plural = "บันทึกการเปลี่ยนแปลง"
        indexes = [
            models.Index(fields=["org", "-at"], name="audit_org_at"),
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_at"),
            models.Index(fields=["submission", "-at"], name="audit_submission_at"),
        ]

    def __str__(self) -> str:
        # The admin and exports show this: Thai date, Bangkok time, as every page does.
        return (f"{thai_datetime(self.at, short=True)} {self.user} "
                f"{self.get_action_display()} {self.target}")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditDeleteRefused("บันทึกการเปลี่ยนแปลงแก้ไขไม่ได้")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditDeleteRefused("บันทึกการเปลี่ยนแปลงลบไม่ได้")

