"""The category model in use: the newest trained one in the instance folder, or the shipped default.

Models are plain-array .npz files (`lianqing.analytics.text.classifier`), loaded with
`allow_pickle=False`: a model file can carry no code. A file that cannot be loaded falls back to
the shipped default, and every administrator is told once per broken file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from lianqing.analytics.text.classifier import CategoryModel
from lianqing.analytics.text.triage import load_model

from .models import ModelStatus, ModelVersion


@dataclass
class Loaded:
    model: CategoryModel
    version: str
    note: str  # why the default is used instead of the active model; empty when all is well


_cache: dict[str, Loaded] = {}


def models_dir() -> Path:
    folder = Path(settings.HOME) / "models"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _notify_admins(note: str, filename: str) -> None:
    from lianqing.core.models import User
    from lianqing.core.roles import Role
    from lianqing.core.services import notification_send

    for admin in User.objects.filter(groups__name=str(Role.ADMIN), is_active=True):
        notification_send(
            recipient=admin,
            title=_("研判模型无法加载，已改用内置默认模型"),
            body=note,
            dedupe_key=f"triage-model-broken:{filename}",
        )


def model_current() -> Loaded:
    active = ModelVersion.objects.filter(status=ModelStatus.ACTIVE).order_by("-created_at", "-pk").first()
    key = active.filename if active else ""
    cached = _cache.get(key)
    if cached is not None:
        return cached
    if active is None:
        model, note = load_model()
        loaded = Loaded(model, model.version, "")
    else:
        model, note = load_model(models_dir() / active.filename)
        loaded = Loaded(model, model.version, note)
        if note:
            _notify_admins(note, active.filename)
    _cache.clear()
    _cache[key] = loaded
    return loaded


def model_cache_clear() -> None:
    _cache.clear()
