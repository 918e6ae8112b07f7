"""Stuck imports are swept: an import whose worker died (claimed long ago, never finished) is ended
as 导入失败 with a reason the analyst reads; a recent claim and finished packages are left alone."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from lianqing.core.schedule import DAILY_JOBS
from lianqing.leads.models import DataPackage, ImportStatus
from lianqing.leads.services import (
    package_import_claim,
    package_import_execute,
    package_import_upload,
    package_imports_sweep,
)
from tests.leads.packages import january_package, zip_folder

pytestmark = pytest.mark.django_db


def _queued(analyst, folder: Path, name: str) -> DataPackage:
    archive = zip_folder(january_package(folder))
    return package_import_upload(user=analyst, upload=io.BytesIO(archive), filename=name)


def test_a_claim_older_than_the_limit_is_ended_with_a_reason(analyst, tmp_path, settings, client_for):
    # Given two claimed imports: one whose worker died seven hours ago, one claimed an hour ago
    settings.LEADS_IMPORT_STUCK_AFTER = dt.timedelta(hours=6)
    dead = _queued(analyst, tmp_path / "a", "a.zip")
    alive = _queued(analyst, tmp_path / "b", "b.zip")
    for package, hours in ((dead, 7), (alive, 1)):
        assert package_import_claim(package.pk) is not None
        DataPackage.objects.filter(pk=package.pk).update(
            import_started_at=timezone.now() - dt.timedelta(hours=hours)
        )
    Path(dead.path).mkdir(parents=True, exist_ok=True)  # what the dead worker half-wrote
    (Path(dead.path) / "half.parquet").write_bytes(b"partial")

    # When the daily sweep runs
    assert package_imports_sweep() == 1

    # Then the dead one has failed with a reason that says what happened and what to do
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.import_status == ImportStatus.FAILED
    assert "6 小时仍未完成" in dead.import_error
    assert "重新登记或上传" in dead.import_error
    assert not Path(dead.path).exists()
    assert alive.import_status == ImportStatus.IMPORTING
    # ... the analyst sees it on the package page
    page = client_for(analyst).get(reverse("leads:package_detail", args=[dead.pk])).content.decode()
    assert "导入失败" in page
    assert "6 小时仍未完成" in page
    # ... a second sweep finds nothing more, and the dead worker waking up keeps nothing
    assert package_imports_sweep() == 0
    package_import_execute(dead.pk)
    dead.refresh_from_db()
    assert dead.import_status == ImportStatus.FAILED


def test_the_sweep_is_a_daily_job():
    assert "lianqing.leads.tasks.package_imports_sweep_task" in {path for path, _ in DAILY_JOBS}
