"""Files of data packages on disk: unpacking an upload, finding folders, importing them.

Every package is imported (lianqing.analytics.importer) into its own folder under
`DATA_DIR/packages/`, so a scan always reads contract Parquet whatever the source was. A
refused import leaves nothing behind: the caller gets a LeadsError and the folder is removed.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine import list_rules
from lianqing.analytics.errors import AnalyticsError, Message, Term
from lianqing.analytics.importer import REJECTS, SUFFIXES, import_package
from lianqing.leads.errors import LeadsError

MAX_UNPACKED_BYTES = 4 * 1024**3  # a zip that unpacks to more is refused (zip bomb)
MAX_MEMBERS = 200
MAX_REJECTS_SHOWN = 100
PACKAGES_DIR_NAME = "packages"
SCRATCH_DIR_NAME = "tmp"


@dataclass(frozen=True)
class ImportedPackage:
    path: Path
    datasets: dict[str, int]
    manifest: dict[str, Any]
    report: dict[str, Any]
    as_of: dt.date | None


def packages_root() -> Path:
    return Path(settings.DATA_DIR) / PACKAGES_DIR_NAME


def _scratch_root() -> Path:
    root = Path(settings.DATA_DIR) / SCRATCH_DIR_NAME
    root.mkdir(parents=True, exist_ok=True)
    return root


def scratch_root() -> Path:
    """Where uploads wait (the mapping wizard keeps an export here while it is mapped)."""
    return _scratch_root()


def _is_metadata(name: str) -> bool:
    """Files a package may carry besides datasets (_manifest.json, _truth.csv, README…)."""
    return name.startswith(("_", ".")) or name.lower().startswith("readme")


def _dataset_file(name: str) -> bool:
    path = PurePosixPath(name)
    return path.stem in DATASETS and path.suffix.lower() in SUFFIXES


def _open_zip(upload: IO[bytes] | Path, filename: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError) as error:
        raise LeadsError(_("文件 %(filename)s 不是有效的 zip 压缩包") % {"filename": filename}) from error


def _checked_members(archive: zipfile.ZipFile, filename: str) -> list[zipfile.ZipInfo]:
    """The dataset and metadata files of a package zip; refuses unsafe paths and unknown files."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    members = [info for info in members if not PurePosixPath(info.filename).name.startswith(".")]
    members = [info for info in members if "__MACOSX" not in info.filename]
    if not members:
        raise LeadsError(_("压缩包 %(filename)s 是空的") % {"filename": filename})
    if len(members) > MAX_MEMBERS or sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise LeadsError(_("压缩包 %(filename)s 过大") % {"filename": filename})
    unknown = []
    for info in members:
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or len(path.parts) > 2:
            raise LeadsError(
                _("压缩包 %(filename)s 中的路径 %(filename2)s 不允许")
                % {"filename": filename, "filename2": info.filename}
            )
        if not _dataset_file(path.name) and not _is_metadata(path.name):
            unknown.append(path.name)
    if unknown:
        raise LeadsError(
            f"压缩包 {filename} 中有无法识别的文件: {', '.join(sorted(unknown))}；文件名应为数据集名，如 benefits.xlsx",
            details=[f"可用数据集：{', '.join(DATASETS)}"],
        )
    return members


def check_zip(upload: IO[bytes], filename: str) -> None:
    """Refuse at once a file that is not a package zip (reads only the zip's directory)."""
    with _open_zip(upload, filename) as archive:
        _checked_members(archive, filename)
    upload.seek(0)


def unpack_zip(upload: IO[bytes] | Path, filename: str, into: Path) -> None:
    """Unpack a package zip (files at the top or in one folder) into `into`, checking every name."""
    with _open_zip(upload, filename) as archive:
        for info in _checked_members(archive, filename):
            target = into / PurePosixPath(info.filename).name
            with archive.open(info) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)


def new_package_folder() -> Path:
    """Where a new package will be imported to (created by the import, not here)."""
    return packages_root() / uuid.uuid4().hex


def staged_upload(package_folder: Path) -> Path:
    """Where an uploaded zip waits for the worker's import of the package bound for `package_folder`."""
    return _scratch_root() / f"upload-{package_folder.name}.zip"


def stage_upload(upload: IO[bytes], package_folder: Path) -> Path:
    """Keep an uploaded zip until the worker imports it."""
    target = staged_upload(package_folder)
    with target.open("wb") as sink:
        shutil.copyfileobj(upload, sink)
    return target


def data_folders() -> list[str]:
    """Folders under DATA_DIR (two levels deep) holding dataset files, relative to DATA_DIR."""
    root = Path(settings.DATA_DIR)
    if not root.is_dir():
        return []
    skip = {PACKAGES_DIR_NAME, SCRATCH_DIR_NAME}
    candidates = [
        folder
        for first in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in skip)
        for folder in [first, *sorted(p for p in first.iterdir() if p.is_dir())]
    ]
    return [
        folder.relative_to(root).as_posix()
        for folder in candidates
        if any(_dataset_file(child.name) for child in folder.iterdir() if child.is_file())
    ]


def resolve_data_folder(relative: str) -> Path:
    """The folder `relative` under DATA_DIR, refusing anything outside it."""
    root = Path(settings.DATA_DIR).resolve()
    folder = (root / relative).resolve()
    if relative not in data_folders() or not folder.is_relative_to(root):
        raise LeadsError(_("数据目录中没有文件夹 %(relative)s") % {"relative": relative})
    return folder


def _source_as_of(folder: Path) -> dt.date | None:
    manifest = folder / "_manifest.json"
    if not manifest.is_file():
        return None
    try:
        text = json.loads(manifest.read_text(encoding="utf-8")).get("as_of")
        return dt.date.fromisoformat(text) if text else None
    except (ValueError, AttributeError, OSError):
        return None


def _first_rejects(path: Path) -> list[dict[str, str]]:
    """The first rows the importer could not take (file, sheet, row, column, value, reason)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(itertools.islice(csv.DictReader(handle), MAX_REJECTS_SHOWN))


def runnable_rules(datasets: dict[str, int]) -> list[str]:
    present = {name for name, rows in datasets.items() if rows}
    return [rule.id for rule in list_rules() if not rule.missing_datasets(present)]


def import_folder(source: Path, out: Path | None = None) -> ImportedPackage:
    """Import the dataset files of `source` into `out` (default: a new package folder).

    Refused (LeadsError) on any problem, with `out` removed.
    """
    return import_sources([str(source)], out, as_of=_source_as_of(source))


def stored(text: str) -> Any:
    """A message as the package's report keeps it: with its template, to be read in any language."""
    return text.as_json() if isinstance(text, Message) else text


def import_sources(
    items: list[str | tuple[str, str | Path]],
    out: Path | None = None,
    *,
    mapping_file: Path | None = None,
    as_of: dt.date | None = None,
) -> ImportedPackage:
    """Import dataset files (a folder, or `(dataset, file)` pairs) into `out`, all or nothing."""
    out = out or new_package_folder()
    try:
        result = import_package(items, out, mapping_file=mapping_file)
    except AnalyticsError as error:
        shutil.rmtree(out, ignore_errors=True)
        raise LeadsError(error.message) from error
    if result.problems:
        shutil.rmtree(out, ignore_errors=True)
        raise LeadsError(
            Message("导入发现 %(count)s 个问题，数据包未保存", count=len(result.problems)),
            details=list(result.problems),
        )
    if not runnable_rules(result.rows):
        shutil.rmtree(out, ignore_errors=True)
        present = [Term(DATASETS[name].title) if name in DATASETS else name for name in sorted(result.rows)]
        raise LeadsError(
            Message("数据包缺少所有规则需要的数据集，没有一条规则可以运行，数据包未保存"),
            details=[Message("已有数据集：%(datasets)s", datasets=present or [Term("无")])],
        )
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    report = {
        "sources": manifest.get("sources", []),
        "notes": [stored(note) for note in result.notes],
        "rejected_rows": sum(source.rows_rejected for source in result.sources),
        "rejects": _first_rejects(out / REJECTS),
    }
    return ImportedPackage(out, dict(result.rows), manifest, report, as_of)


@contextmanager
def scratch_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=_scratch_root()))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def import_zip(upload: IO[bytes] | Path, filename: str, out: Path | None = None) -> ImportedPackage:
    with scratch_folder() as folder:
        unpack_zip(upload, filename, folder)
        return import_folder(folder, out)


def remove_package_folder(path: Path) -> None:
    """Remove a package folder we created (only ever under packages_root)."""
    if path.resolve().is_relative_to(packages_root().resolve()):
        shutil.rmtree(path, ignore_errors=True)
