"""Demo data: a small generated package for the demo district, imported and scanned.

The package is generated for the demo district itself (core.demo's REGION and DISTRICT_NAME):
its orgs are 示范县民政局 and the other offices of 370124, its townships those of the demo's
org tree, so the hits and the cases they become are about the same place as the rest of the demo.

Idempotent: the package is generated once under DATA_DIR/demo/, registered once (by name) for
the data analyst `shuju`, and scanned once; a second `lianqing demo` finds it all there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from django.conf import settings

from lianqing.analytics.generate import generate
from lianqing.core.demo import DISTRICT_NAME, REGION
from lianqing.core.models import User
from lianqing.leads.models import DataPackage, PackageSource, ScanStatus
from lianqing.leads.services import package_register_folder, scan_run_sync

DEMO_FOLDER = "demo/2025-12"
DEMO_NAME = "演示数据包 2025年12月"
DEMO_PERSONS = 3_000
DEMO_SEED = 20251231
DEMO_ANALYST = "shuju"


def _generated_county(folder: Path) -> object:
    manifest = folder / "_manifest.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("county")


def load(stdout: TextIO) -> None:
    analyst = User.objects.filter(username=DEMO_ANALYST).select_related("org").first()
    if analyst is None or analyst.org is None:
        stdout.write("数据碰撞演示：没有演示数据分析账号，跳过\n")
        return
    folder = Path(settings.DATA_DIR) / DEMO_FOLDER
    if _generated_county(folder) != [REGION, DISTRICT_NAME]:  # none yet, or one of another place
        generate(folder, persons=DEMO_PERSONS, seed=DEMO_SEED, county=(REGION, DISTRICT_NAME))
    package = DataPackage.objects.filter(name=DEMO_NAME, org=analyst.org).first()
    if package is None:
        package = package_register_folder(
            user=analyst, folder=DEMO_FOLDER, name=DEMO_NAME, source=PackageSource.DEMO
        )
    run = package.runs.filter(status=ScanStatus.SUCCEEDED).first()
    if run is None:
        run = scan_run_sync(package=package, user=analyst)
    stdout.write(
        f"数据碰撞演示：数据包「{package.name}」，扫描 #{run.pk} {run.get_status_display()}，{run.hits_count} 个疑点\n"
    )
