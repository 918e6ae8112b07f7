"""Two deliveries of one import task: only the delivery that claimed the package imports into its folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from lianqing.leads import storage
from lianqing.leads.models import DataPackage, ImportStatus
from lianqing.leads.services import package_import_claim, package_import_execute, package_import_upload
from tests.leads.packages import january_package, zip_folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(analyst, tmp_path) -> DataPackage:
    archive = zip_folder(january_package(tmp_path / "jan"))
    return package_import_upload(user=analyst, upload=io.BytesIO(archive), filename="jan.zip")


def test_of_two_claims_only_the_first_gets_the_package(queued):
    first = package_import_claim(queued.pk)
    second = package_import_claim(queued.pk)
    assert first is not None
    assert first.import_started_at is not None
    assert second is None


def test_a_delivery_arriving_while_another_imports_leaves_the_folder_alone(queued):
    # Given the first delivery has claimed the import and not yet finished
    assert package_import_claim(queued.pk) is not None
    out = Path(queued.path)
    staged = storage.staged_upload(out)
    # When a second delivery of the same task runs
    package_import_execute(queued.pk)
    # Then it neither imports nor removes anything: the first delivery's upload is still there
    assert staged.is_file()
    assert not out.exists()
    queued.refresh_from_db()
    assert queued.import_status == ImportStatus.IMPORTING


def test_one_delivery_imports_and_a_repeat_does_nothing(queued):
    package_import_execute(queued.pk)
    queued.refresh_from_db()
    assert queued.import_status == ImportStatus.READY, queued.import_error
    parquet = sorted(Path(queued.path).glob("*.parquet"))
    assert parquet
    package_import_execute(queued.pk)
    assert sorted(Path(queued.path).glob("*.parquet")) == parquet
