"""The JSON API of the same intake (a WeChat mini-program or the 12388 system feeds it).

The rules are the web form's (`ReportForm`) and the work is the same service; the OpenAPI
schema is served at /api/openapi.json (no hosted documentation page: it would load a CDN).
Flow: GET /api/reports/challenge → solve the proof of work → POST /api/reports (multipart).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, NinjaAPI, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile
from pydantic import ConfigDict

from lianqing.cases.models import Category
from lianqing.intake.abuse import challenge_issue, client_key
from lianqing.intake.actions import Outcome, report_submit_from_input, reporter_reply_from_input
from lianqing.intake.errors import IntakeError
from lianqing.intake.forms import MAX_PERSONS, region_code_parts
from lianqing.intake.models import Channel
from lianqing.intake.receipts import receipt_grouped
from lianqing.intake.regions import region_name
from lianqing.intake.selectors import files_pending, report_messages, report_public_status
from lianqing.intake.services import report_find_by_receipt

api = NinjaAPI(
    title="廉情 网络举报接口",
    version="1",
    urls_namespace="intake:intake_api",  # nested in the intake app's URL namespace
    docs_url=None,
    description="受理网络举报：获取校验题、提交举报、凭回执码查询和回复。",
)


class ChallengeOut(Schema):
    token: str
    bits: int


class ReportIn(Schema):
    category: Category
    province: str = Field(pattern=r"^\d{6}$")
    city: str = Field("", pattern=r"^(\d{6})?$")
    county: str = Field("", pattern=r"^(\d{6})?$")
    occurred_on: str = ""
    description: str
    # JSON list of {"name", "org_name", "position", "level", "region"}; level: a PersonLevel code,
    # region: the person's 6-digit GB/T 2260 code (both optional)
    persons: str = "[]"
    addressed_level: str = ""  # an AddressedLevel code, or "" to leave it to the commission
    is_anonymous: bool = True
    reporter_name: str = ""
    reporter_id_number: str = ""
    reporter_phone: str = ""
    consent: bool = False
    token: str
    proof: str


class ReceiptOut(Schema):
    receipt: str
    receipt_grouped: str
    status: str
    repeated: bool
    # Attachments received and kept but not yet filed (the server finishes this by itself).
    attachments_pending: int = 0


class ErrorOut(Schema):
    message: str
    errors: dict[str, list[str]] = {}


class TrackIn(Schema):
    model_config = ConfigDict(strict=True)  # a number or an object is refused, never stringified

    code: str


class MessageOut(Schema):
    direction: str
    body: str
    created_at: datetime
    attachments: int


class TrackOut(Schema):
    status: str
    reply: str
    category: str
    region: str
    received_at: datetime
    messages: list[MessageOut]


class ReplyIn(Schema):
    code: str
    body: str = ""


class ReplyOut(Schema):
    accepted: bool
    attachments_pending: int = 0


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Every other refusal keeps the documented shape; an unparsable body is a 422 like any
    other unreadable input (ninja itself would answer 400 {"detail": ...})."""
    if exc.status_code == 400:
        return api.create_response(
            request, {"message": _(INVALID), "errors": {"__all__": [_(UNPARSABLE)]}}, status=422
        )
    return api.create_response(
        request, {"message": str(exc), "errors": {"__all__": [str(exc)]}}, status=exc.status_code
    )


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Malformed requests get the same Chinese error shape as refused reports."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = ".".join(
            str(part) for part in error.get("loc", ()) if part not in {"body", "form", "payload"}
        )
        errors.setdefault(location or "__all__", []).append(f"{_(INVALID_FIELD)}: {error.get('msg', '')}")
    return api.create_response(request, {"message": _(INVALID), "errors": errors}, status=422)


INVALID_FIELD = "缺少或无法识别的字段"
UNPARSABLE = "请求内容无法解析，应为 JSON 或表单"
UNKNOWN_RECEIPT = "回执码不正确或不存在"
INVALID = "提交的内容有误"


def _form_data(payload: ReportIn) -> dict[str, str]:
    data = payload.dict()
    try:
        persons = json.loads(data.pop("persons") or "[]")
    except json.JSONDecodeError:
        persons = None
    if not isinstance(persons, list) or len(persons) > MAX_PERSONS:
        raise IntakeError(
            _("persons 应为最多 %(n)d 项的 JSON 列表") % {"n": MAX_PERSONS},
            field="persons",
        )
    for index, person in enumerate(persons, start=1):
        if not isinstance(person, dict):
            raise IntakeError(_("persons 的每一项应为对象"), field="persons")
        for key, field in (
            ("name", "name"),
            ("org_name", "org"),
            ("position", "position"),
            ("level", "level"),
            ("region", "region"),
        ):
            value = person.get(key, "")
            if not isinstance(value, str):  # never store the repr of an object or a number
                raise IntakeError(
                    _("persons 第 %(index)d 项的 %(key)s 应为文字") % {"index": index, "key": key},
                    field="persons",
                )
            if field == "region":
                for part, code in region_code_parts(value).items():
                    data[f"person{index}_{part}"] = code
            else:
                data[f"person{index}_{field}"] = value
    data["is_anonymous"] = "1" if payload.is_anonymous else "0"
    data["consent"] = "on" if payload.consent else ""
    return {key: value for key, value in data.items() if value is not None}


def _refusal(outcome: Outcome[Any]) -> Status:
    """What the form refused, in the documented shape: 422, or 429 when rate limited."""
    message = outcome.refusal.message if outcome.refusal else _(INVALID)
    return Status(429 if outcome.rate_limited else 422, ErrorOut(message=message, errors=outcome.errors()))


def _error(error: IntakeError) -> Status:
    status = 429 if error.field == "rate" else 422
    return Status(status, ErrorOut(message=error.message, errors={error.field or "__all__": [error.message]}))


@api.get("/reports/challenge", response=ChallengeOut, summary="获取防刷校验题")
def challenge(request: HttpRequest) -> ChallengeOut:
    issued = challenge_issue()
    return ChallengeOut(token=issued.token, bits=issued.bits)


@api.post(
    "/reports",
    response={201: ReceiptOut, 200: ReceiptOut, 422: ErrorOut, 429: ErrorOut},
    summary="提交举报",
)
def report_create(
    request: HttpRequest,
    payload: Form[ReportIn],
    attachments: list[UploadedFile] = File(default=None),  # noqa: B008
) -> Status:
    try:
        data = _form_data(payload)
    except IntakeError as error:
        return _error(error)
    outcome = report_submit_from_input(
        data=data,
        uploads=attachments or [],
        token=payload.token,
        proof=payload.proof,
        client=client_key(request),
        channel=Channel.API,
    )
    if outcome.result is None:
        return _refusal(outcome)
    result = outcome.result
    out = ReceiptOut(
        receipt=result.receipt_code,
        receipt_grouped=receipt_grouped(result.receipt_code),
        status=report_public_status(result.report).label,
        repeated=result.repeated,
        attachments_pending=len(files_pending(result.attachment_rows())),
    )
    return Status(200 if result.repeated else 201, out)


@api.post("/reports/track", response={200: TrackOut, 404: ErrorOut, 429: ErrorOut}, summary="凭回执码查询")
def report_track(request: HttpRequest, payload: TrackIn) -> Status:
    try:
        report = report_find_by_receipt(code_text=payload.code, client=client_key(request))
    except IntakeError as error:
        return _error(error)
    if report is None:
        return Status(404, ErrorOut(message=_(UNKNOWN_RECEIPT)))
    status = report_public_status(report)
    thread = [
        MessageOut(
            direction=m.direction,
            body=m.body,
            created_at=m.created_at,
            attachments=m.attachment_count,  # type: ignore[attr-defined]
        )
        for m in report_messages(report)
    ]
    out = TrackOut(
        status=status.label,
        reply=status.reply,
        category=report.get_category_display(),
        region=region_name(report.region_code),
        received_at=report.received_at,
        messages=thread,
    )
    return Status(200, out)


@api.post(
    "/reports/track/messages",
    response={201: ReplyOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="回复办理人员或补充证据",
)
def report_reply(
    request: HttpRequest,
    payload: Form[ReplyIn],
    attachments: list[UploadedFile] = File(default=None),  # noqa: B008
) -> Status:
    try:
        report = report_find_by_receipt(code_text=payload.code, client=client_key(request))
    except IntakeError as error:
        return _error(error)
    if report is None:
        return Status(404, ErrorOut(message=_(UNKNOWN_RECEIPT)))
    outcome = reporter_reply_from_input(
        report=report, data={"body": payload.body}, uploads=attachments or [], client=client_key(request)
    )
    if not outcome.accepted or outcome.result is None:
        return _refusal(outcome)
    waiting = len(files_pending(outcome.result.attachments.all()))
    return Status(201, ReplyOut(accepted=True, attachments_pending=waiting))
