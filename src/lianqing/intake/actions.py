"""One function per public intake action, from request data to the service call.

The web pages and the JSON API both call these, so the API refuses exactly what the form
refuses: the same form validates, the same service runs, and a refusal from the service lands
on the same form. A view or API endpoint only turns the outcome into HTML or JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.files.uploadedfile import UploadedFile

from lianqing.intake.errors import IntakeError
from lianqing.intake.forms import BootstrapForm, ReplyForm, ReportForm
from lianqing.intake.models import Channel, Message, Report
from lianqing.intake.services import SubmitResult, report_submit, reporter_message_post

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """The bound form (errors on it when refused) and the service's result when accepted."""

    form: BootstrapForm
    result: T | None = None
    refusal: IntakeError | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None and not self.form.errors

    @property
    def rate_limited(self) -> bool:
        return self.refusal is not None and self.refusal.field == "rate"

    def errors(self) -> dict[str, list[str]]:
        """Field name (or "__all__") → messages; a service refusal under the field it names."""
        errors = {
            field: [str(message) for message in messages] for field, messages in self.form.errors.items()
        }
        if self.refusal is not None and self.refusal.field and self.refusal.field not in self.form.fields:
            errors.pop("__all__", None)
            errors.setdefault(self.refusal.field, []).append(self.refusal.message)
        return errors


def _refused(form: BootstrapForm, error: IntakeError) -> Outcome[Any]:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    return Outcome(form=form, refusal=error)


def report_submit_from_input(
    *,
    data: Mapping[str, Any],
    uploads: Sequence[UploadedFile],
    token: str,
    proof: str,
    client: str,
    channel: Channel = Channel.WEB,
    captcha: str = "",
) -> Outcome[SubmitResult]:
    """A citizen's report: validate as the web form does, then submit (`captcha`: the no-script answer)."""
    form = ReportForm(data)
    if not form.is_valid():
        return Outcome(form=form)
    try:
        result = report_submit(
            draft=form.to_draft(),
            uploads=list(uploads),
            token=token,
            proof=proof,
            client=client,
            channel=channel,
            captcha=captcha,
        )
    except IntakeError as error:
        return _refused(form, error)
    return Outcome(form=form, result=result)


def reporter_reply_from_input(
    *, report: Report, data: Mapping[str, Any], uploads: Sequence[UploadedFile], client: str
) -> Outcome[Message]:
    """The reporter's answer and/or more evidence: validate as the web form does, then post."""
    form = ReplyForm(data)
    if not form.is_valid():
        return Outcome(form=form)
    try:
        message = reporter_message_post(
            report=report, body=form.cleaned_data["body"], uploads=list(uploads), client=client
        )
    except IntakeError as error:
        return _refused(form, error)
    return Outcome(form=form, result=message)
