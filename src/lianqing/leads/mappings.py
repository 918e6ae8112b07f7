"""The mapping wizard's services: keep an export while the analyst maps it, save the mapping under
the department's name, and import next month's export with it in one step.

A saved mapping is `DATA_DIR/mappings/<department>.yaml`, the very file `lianqing import
--mapping` reads (lianqing.analytics.mapping writes it). Detection, proposals and the preview are
the library's; this module only keeps files and calls it.
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from lianqing.analytics.contract import DATASETS, Dataset
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.mapping import (
    Preview,
    Proposal,
    Sample,
    mapping_choices,
    mapping_document,
    preview,
    propose,
    read_sample,
)
from lianqing.core.models import User
from lianqing.leads import storage
from lianqing.leads.errors import LeadsError
from lianqing.leads.models import DataPackage, PackageSource

MAPPINGS_DIR_NAME = "mappings"
WIZARD_PREFIX = "wizard-"
MAX_EXPORT_BYTES = 200 * 1024**2
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff-]+")


@dataclass(frozen=True)
class SavedMapping:
    slug: str
    department: str
    dataset: str
    columns: dict[str, str]  # source header -> contract column


def mappings_root() -> Path:
    root = Path(settings.DATA_DIR) / MAPPINGS_DIR_NAME
    root.mkdir(parents=True, exist_ok=True)
    return root


def _slug(department: str) -> str:
    slug = _UNSAFE.sub("_", department.strip()).strip("_")[:80]
    if not slug:
        raise LeadsError(_("请填写部门名称"))
    return slug


def _dataset(name: str) -> Dataset:
    if name not in DATASETS:
        raise LeadsError(_("未知的数据集 %(name)s") % {"name": name})
    return DATASETS[name]


def _wizard_folder(token: str) -> Path:
    if not _TOKEN.match(token):
        raise LeadsError(_("映射向导已过期，请重新上传文件"))
    folder = storage.scratch_root() / f"{WIZARD_PREFIX}{token}"
    if not folder.is_dir():
        raise LeadsError(_("映射向导已过期，请重新上传文件"))
    return folder


def _safe_name(filename: str) -> str:
    name = Path(filename).name
    return _UNSAFE.sub("_", Path(name).stem)[:80] + Path(name).suffix.lower()[:8] or "export"


def wizard_start(*, upload: IO[bytes], filename: str, dataset: str) -> str:
    """Keep an export for the wizard; the token names it. An unreadable file is refused at once."""
    data = _dataset(dataset)
    token = uuid.uuid4().hex
    folder = storage.scratch_root() / f"{WIZARD_PREFIX}{token}"
    folder.mkdir(parents=True)
    target = folder / _safe_name(filename)
    try:
        with target.open("wb") as sink:
            shutil.copyfileobj(upload, sink)
        (folder / "dataset").write_text(data.name, encoding="utf-8")
        read_sample(target, data, shown_name=Path(filename).name)
    except AnalyticsError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise LeadsError(error.message) from error
    return token


@dataclass(frozen=True)
class Wizard:
    token: str
    filename: str
    dataset: Dataset
    sample: Sample
    proposals: list[Proposal]


def wizard_state(token: str) -> Wizard:
    folder = _wizard_folder(token)
    dataset = _dataset((folder / "dataset").read_text(encoding="utf-8").strip())
    export = next(path for path in folder.iterdir() if path.name != "dataset")
    try:
        sample = read_sample(export, dataset)
    except AnalyticsError as error:
        raise LeadsError(error.message) from error
    return Wizard(token, export.name, dataset, sample, propose(sample, dataset))


def wizard_preview(token: str, choices: dict[str, str]) -> Preview:
    wizard = wizard_state(token)
    return preview(_export_of(token), wizard.dataset, mapping_document(wizard.dataset, choices))


def _export_of(token: str) -> Path:
    return next(path for path in _wizard_folder(token).iterdir() if path.name != "dataset")


def wizard_save(*, token: str, department: str, choices: dict[str, str]) -> SavedMapping:
    """Save the mapping under the department's name (replacing its earlier one) and end the wizard.

    Refused, with nothing saved, when the export would not import with it."""
    wizard = wizard_state(token)
    try:
        document = mapping_document(wizard.dataset, choices, department=department.strip())
    except AnalyticsError as error:
        raise LeadsError(error.message) from error
    result = preview(_export_of(token), wizard.dataset, document)
    if result.problems:
        raise LeadsError(_("按此映射无法导入，映射未保存"), details=result.problems)
    slug = _slug(department)
    (mappings_root() / f"{slug}.yaml").write_text(document, encoding="utf-8")
    shutil.rmtree(_wizard_folder(token), ignore_errors=True)
    return SavedMapping(
        slug, department.strip(), wizard.dataset.name, mapping_choices(document, wizard.dataset)
    )


def saved_mappings() -> list[SavedMapping]:
    found = []
    for path in sorted(mappings_root().glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            (dataset, columns), *_rest = (data.get("datasets") or {}).items()
        except (yaml.YAMLError, ValueError, AttributeError):
            continue
        if dataset in DATASETS and isinstance(columns, dict):
            choices = mapping_choices(path.read_text(encoding="utf-8"), DATASETS[dataset])
            found.append(SavedMapping(path.stem, path.stem, dataset, choices))
    return found


def saved_mapping_file(slug: str) -> Path:
    path = mappings_root() / f"{slug}.yaml"
    if _UNSAFE.search(slug) or not path.is_file():
        raise LeadsError(_("没有名为 %(name)s 的映射") % {"name": slug})
    return path


def import_with_mapping(*, user: User, slug: str, upload: IO[bytes], filename: str) -> DataPackage:
    """Import one export with a saved mapping into a new package, at once: all of it or nothing."""
    from lianqing.leads.packages import _package_create

    mapping_file = saved_mapping_file(slug)
    mapping = next(m for m in saved_mappings() if m.slug == slug)
    out = storage.new_package_folder()
    with storage.scratch_folder() as folder:
        export = folder / _safe_name(filename)
        with export.open("wb") as sink:
            shutil.copyfileobj(upload, sink)
        imported = storage.import_sources([(mapping.dataset, export)], out, mapping_file=mapping_file)
    return _package_create(
        user=user,
        name=f"{mapping.department} {Path(filename).stem}",
        source=PackageSource.UPLOAD,
        source_name=Path(filename).name,
        imported=imported,
    )
