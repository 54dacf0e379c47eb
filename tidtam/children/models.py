"""พาน้องกลับมาเรียน: one case per child out of school, from a list to their return.

A *case* is one child, whichever lists they appear on: lists are matched by
a keyed hash of the 13-digit national ID (HMAC with the secret key), so a
second list never creates a second case and matching never scans the IDs
themselves. The full ID and the child's names are personal data of a minor:
they are read only through ``tidtam.children.privacy`` (a handler of the
case's unit or above sees them, every read is audited; everyone else sees a
masked ID and no name).

A case moves through steps — verify the list → find the child and pin the
home → help → returned to school / referred to another agency / not found —
each a ``Step`` row with its date and who recorded it; the case keeps its
current state so lists and counts read one column. A child whose list names
another affiliation (moved to a private school, a local authority's…) is
closed as moved (002 L931). What the forms offer (kinds of help, agencies to
refer to, how long a state may last) is data: ``fixtures/children.yaml``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from tidtam.children.crypto import EncryptedCharField
from tidtam.orgs.models import OrgUnit


class State(models.TextChoices):
    LISTED = "listed", "รอตรวจสอบรายชื่อ"
    VERIFIED = "verified", "ตรวจสอบรายชื่อแล้ว รอค้นหา"
    FOUND = "found", "พบตัวแล้ว รอช่วยเหลือ"
    HELPED = "helped", "ช่วยเหลือแล้ว รอผล"
    RETURNED = "returned", "กลับเข้าสู่ระบบการศึกษา"
    REFERRED = "referred", "ส่งต่อหน่วยงานอื่น"
    NOT_FOUND = "not_found", "ค้นหาไม่พบ"
    MOVED = "moved", "ย้ายไปต่างสังกัด (ปิดเรื่อง)"


class StepKind(models.TextChoices):
    VERIFY = "verify", "ตรวจสอบรายชื่อ"
    FIND = "find", "พบตัวและปักหมุดบ้าน"
    HELP = "help", "ให้ความช่วยเหลือ"
    RETURN = "return", "กลับเข้าเรียน"
    REFER = "refer", "ส่งต่อหน่วยงานอื่น"
    NOT_FOUND = "not_found", "ค้นหาไม่พบ"
    MOVE = "move", "ย้ายไปต่างสังกัด"


#: step → (the states it may be taken from, the state it leads to). The order of work
#: is the policy's own (000 L74–78), not a setting; a child not found may be found later.
STEPS: dict[str, tuple[frozenset[str], str]] = {
    StepKind.VERIFY: (frozenset({State.LISTED}), State.VERIFIED),
    StepKind.FIND: (frozenset({State.VERIFIED, State.NOT_FOUND}), State.FOUND),
    StepKind.NOT_FOUND: (frozenset({State.VERIFIED}), State.NOT_FOUND),
    StepKind.HELP: (frozenset({State.FOUND}), State.HELPED),
    StepKind.RETURN: (frozenset({State.HELPED}), State.RETURNED),
    StepKind.REFER: (frozenset({State.HELPED}), State.REFERRED),
}
CLOSED = frozenset({State.RETURNED, State.REFERRED, State.MOVED})


class OptionGroup(models.TextChoices):
    HELP = "help", "ประเภทการช่วยเหลือ"
    REFERRAL = "referral", "หน่วยงานที่ส่งต่อ"
    OWN_AFFILIATION = "own_affiliation", "สังกัดของหน่วยงานเอง"
    # the observations the register writes: measure code → "step,state,state…"
    INDICATOR = "indicator", "ตัวชี้วัดที่คำนวณจากทะเบียน"
    PERIOD = "period", "ช่วงเวลารายงานที่คำนวณ"


class Option(models.Model):
    """A choice the forms offer (data: ``fixtures/children.yaml``)."""

    group = models.CharField("กลุ่ม", max_length=24, choices=OptionGroup.choices)
    code = models.CharField("รหัส", max_length=64)
    name_th = models.CharField("ชื่อ", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ตัวเลือกของทะเบียนเด็ก"
        verbose_name_plural = "ตัวเลือกของทะเบียนเด็ก"
        ordering = ["group", "position"]
        constraints = [models.UniqueConstraint(fields=["group", "code"],
                                               name="child_option_unique")]

    def __str__(self) -> str:
        return self.name_th


class Deadline(models.Model):
    """How many days a case may stay in a state before it is overdue (data)."""

    state = models.CharField("สถานะ", max_length=16, choices=State.choices, unique=True)
    days = models.PositiveSmallIntegerField("จำนวนวัน")

    class Meta:
        verbose_name = "กำหนดเวลาของแต่ละสถานะ"
        verbose_name_plural = "กำหนดเวลาของแต่ละสถานะ"

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.days} วัน"


class ImportBatch(models.Model):
    """One list brought in (a file or an API push) and what it did."""

    name = models.CharField("ชื่อรายการ", max_length=255)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, verbose_name="นำเข้าโดย")
    at = models.DateTimeField("นำเข้าเมื่อ", auto_now_add=True)
    rows = models.PositiveIntegerField("จำนวนแถว", default=0)
    # Counts and case ids only: the summary is shown to whoever imported and kept for audit.
    summary = models.JSONField("สรุปผล", default=dict)

    class Meta:
        verbose_name = "การนำเข้ารายชื่อ"
        verbose_name_plural = "การนำเข้ารายชื่อ"
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="child_cases",
                            verbose_name="สถานศึกษา/หน่วยงานที่รับผิดชอบ")
    # HMAC-SHA256 of the ID under the secret key: matches a child across lists.
    id_hash = models.CharField("รหัสอ้างอิงเลขประจำตัว", max_length=64, unique=True,
                               editable=False)
    # Encrypted at rest (tidtam.children.crypto); matched by ``id_hash``, never by this column.
    national_id = EncryptedCharField("เลขประจำตัวประชาชน", max_length=200, editable=False)
    # The last four digits, for a handler looking a child up by the tail of the ID.
    id_tail = models.CharField(max_length=4, db_index=True, editable=False)
    first_name = models.CharField("ชื่อ", max_length=100)
    last_name = models.CharField("นามสกุล", max_length=100, blank=True)
    birth_date = models.DateField("วันเกิด", null=True, blank=True)
    grade = models.CharField("ชั้นเรียนล่าสุด", max_length=40, blank=True)
    address = models.CharField("ที่อยู่", max_length=500, blank=True)
    affiliation = models.CharField("สังกัด", max_length=120, blank=True)
    source_agency = models.CharField("แหล่งที่มาของรายชื่อ", max_length=120, blank=True)
    state = models.CharField("สถานะ", max_length=16, choices=State.choices,
                             default=State.LISTED, db_index=True)
    state_since = models.DateField("อยู่ในสถานะนี้ตั้งแต่")
    latitude = models.DecimalField("ละติจูด", max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField("ลองจิจูด", max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "เด็กนอกระบบการศึกษา"
        verbose_name_plural = "เด็กนอกระบบการศึกษา"
        ordering = ["org__path", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__isnull=True)
                                   | Q(latitude__gte=-90, latitude__lte=90),
                                   name="child_case_latitude"),
            models.CheckConstraint(condition=Q(longitude__isnull=True)
                                   | Q(longitude__gte=-180, longitude__lte=180),
                                   name="child_case_longitude"),
        ]

    def __str__(self) -> str:
        # Never the name nor the full ID: this is what logs and the admin's lists show.
        return f"เด็กรายที่ {self.pk} ({self.masked_id})"

    @property
    def masked_id(self) -> str:
        from tidtam.children.nationalid import mask

        return mask(self.national_id)

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED

    def overdue_on(self, days: int | None) -> dt.date | None:
        if days is None or self.is_closed:
            return None
        return self.state_since + dt.timedelta(days=days)


class Listing(models.Model):
    """A child's row on one list: where the case's data came from."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="listings")
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="listings")
    row = models.PositiveIntegerField("แถวที่")
    affiliation = models.CharField("สังกัด", max_length=120, blank=True)
    source_agency = models.CharField("แหล่งที่มา", max_length=120, blank=True)

    class Meta:
        verbose_name = "รายชื่อในบัญชีที่นำเข้า"
        verbose_name_plural = "รายชื่อในบัญชีที่นำเข้า"
        ordering = ["batch", "row"]

    def __str__(self) -> str:
        return f"{self.batch} แถวที่ {self.row}"


class Step(models.Model):
    """One step of a case, as recorded: what, on which day, by whom, with what."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("ขั้นตอน", max_length=16, choices=StepKind.choices)
    on = models.DateField("วันที่")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, verbose_name="บันทึกโดย")
    at = models.DateTimeField("บันทึกเมื่อ", auto_now_add=True)
    state_before = models.CharField(max_length=16, choices=State.choices)
    state_after = models.CharField(max_length=16, choices=State.choices)
    help_kind = models.CharField("ประเภทการช่วยเหลือ", max_length=64, blank=True)
    agency = models.CharField("หน่วยงานที่ส่งต่อ", max_length=64, blank=True)
    school = models.CharField("สถานศึกษาที่กลับเข้าเรียน", max_length=200, blank=True)
    note = models.TextField("บันทึก", blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = "ขั้นตอนการติดตาม"
        verbose_name_plural = "ขั้นตอนการติดตาม"
        ordering = ["case", "on", "pk"]
        indexes = [models.Index(fields=["kind", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on.isoformat()}"
