"""Writes of the triage app: the first reading of a case (worker), the handlers' decisions on it,
retraining, and 舆情 imports turned into events, leads or dismissals."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.analytics.text.amounts import amounts, largest_amount
from lianqing.analytics.text.classifier import train
from lianqing.analytics.text.corpus import generate_corpus
from lianqing.analytics.text.duplicates import CONTAINMENT, shingles
from lianqing.analytics.text.facts import dates, mentions, places, priority_points
from lianqing.analytics.text.normalize import clean
from lianqing.analytics.text.persons import add_words
from lianqing.analytics.text.posts import cluster_posts, read_posts
from lianqing.analytics.text.triage import Reader
from lianqing.cases.access import commission_of
from lianqing.cases.errors import CaseError
from lianqing.cases.models import Case, Category, Kind, Source
from lianqing.cases.services import case_attachment_add, case_category_correct, case_register
from lianqing.core.models import Org, OrgKind, User
from lianqing.dossiers.selectors import registry_names
from lianqing.dossiers.services import text_mentions_suggest
from lianqing.intake.selectors import reporter_message_texts

from . import events
from .errors import TriageError
from .models import (
    EventStatus,
    Feedback,
    Field,
    ModelStatus,
    ModelVersion,
    PostEvent,
    PostImport,
    PublicPost,
    Reading,
)
from .models_store import model_cache_clear, model_current, models_dir
from .quality import category_quality

RECENT_DAYS = 365
RECENT_LIMIT = 2000
MAX_DUPLICATES = 10
# Posts that put a cadre above the county's own jurisdiction (干部管理权限: the level above).
ABOVE_LEVEL_TITLES = (
    "县委书记",
    "县长",
    "县委副书记",
    "县委常委",
    "副县长",
    "县人大常委会主任",
    "县政协主席",
)


# --- the first reading of a case ----------------------------------------------------------------


def case_text(case: Case) -> str:
    return "\n".join([case.summary, *reporter_message_texts(case_id=case.pk)])


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def reading_queue(case_id: int, *, links: bool = False) -> None:
    """After the transaction commits, read the case in the worker (`links`: and suggest cadres
    for its reported persons first, in the same task)."""
    from .tasks import reading_task

    if links:
        transaction.on_commit(lambda: reading_task.enqueue(case_id, links=True))
    else:
        transaction.on_commit(lambda: reading_task.enqueue(case_id))


def _names(persons: list[dict[str, Any]]) -> set[str]:
    return {
        str(p["name"]) for p in persons if not p.get("position_text") or p["name"] != p.get("position_text")
    }


def _cadre_ids(persons: list[dict[str, Any]]) -> set[int]:
    return {int(p["cadre"]["cadre_id"]) for p in persons if p.get("cadre")}


def _duplicates(
    case: Case, text: str, persons: list[dict[str, Any]], amount: float | None
) -> list[dict[str, Any]]:
    """Earlier cases of the commission: copies of this text, and other texts about the same people."""
    commission = commission_of(case.org)
    since = case.received_at - dt.timedelta(days=RECENT_DAYS)
    earlier = (
        Reading.objects.filter(
            case__home_org__path__startswith=commission.path,
            case__received_at__gte=since,
            case__received_at__lte=case.received_at,
        )
        .exclude(case_id=case.pk)
        .select_related("case")
        .order_by("-case__received_at", "-case_id")[:RECENT_LIMIT]
    )
    mine = shingles(text)
    my_names, my_cadres = _names(persons), _cadre_ids(persons)
    found: list[dict[str, Any]] = []
    for other in earlier:
        theirs = shingles(clean(other.case.summary))
        shorter, longer = sorted((len(mine), len(theirs)))
        is_copy = (
            shorter > 0
            and longer <= 2 * shorter
            and len(mine & theirs) >= CONTAINMENT * shorter
            and _names(other.persons) == my_names
            and other.largest_amount == amount
        )
        shared = (my_cadres & _cadre_ids(other.persons)) or (my_names & _names(other.persons))
        if not is_copy and not shared:
            continue
        names = sorted(
            str(p["cadre"]["name"])
            for p in other.persons
            if p.get("cadre") and p["cadre"]["cadre_id"] in my_cadres
        )
        found.append(
            {
                "case_id": other.case_id,
                "number": other.case.number,
                "kind": "copy" if is_copy else "same_person",
                "name": "、".join(names or sorted(my_names & _names(other.persons))),
            }
        )
    found.sort(key=lambda d: (d["kind"] != "copy",))
    return found[:MAX_DUPLICATES]


def _jurisdiction(case: Case, persons: list[dict[str, Any]], where: list[str]) -> dict[str, Any]:
    """Who should handle it: by the named cadre's jurisdiction and post, else by the place."""
    commission = commission_of(case.org)
    cadres = sorted((p for p in persons if p.get("cadre")), key=lambda p: -float(p["cadre"]["score"]))
    if cadres:
        cadre = cadres[0]["cadre"]
        described = f"{cadre['name']}（{cadre['unit']} {cadre['position']}）"
        if any(title in str(cadre["position"]) for title in ABOVE_LEVEL_TITLES):
            return {"level": "above", "org_id": None, "org_name": "", "action": "send_up", "basis": described}
        home = Org.objects.filter(pk=cadre["org_id"]).first()
        target = commission_of(home) if home else commission
        if target.pk != commission.pk and target.is_within(commission):
            return {
                "level": "lower",
                "org_id": target.pk,
                "org_name": target.name,
                "action": "assign",
                "basis": described,
            }
        return {
            "level": "own",
            "org_id": commission.pk,
            "org_name": commission.name,
            "action": "",
            "basis": described,
        }
    for place in where:
        township = (
            Org.objects.filter(
                path__startswith=commission.path, kind=OrgKind.TOWNSHIP, name__startswith=place[:2]
            )
            .exclude(pk=commission.pk)
            .first()
        )
        if township is not None:
            return {
                "level": "lower",
                "org_id": township.pk,
                "org_name": township.name,
                "action": "assign",
                "basis": place,
            }
    return {"level": "own", "org_id": commission.pk, "org_name": commission.name, "action": "", "basis": ""}


_VOCABULARY_LOADED: set[str] = set()


def vocabulary_load(*, org_path: str) -> None:
    """jieba's user dictionary for one commission, once a day per process: its org tree and its
    registry's units (nt), its cadres' names (nr) and the category names (n), so that
    "县卫生健康局" and "王建国" are read as one word each (registry imports show up the next day)."""
    key = f"{org_path}@{timezone.localdate().isoformat()}"
    if key in _VOCABULARY_LOADED:
        return
    from lianqing.core.selectors import org_names_under
    from lianqing.dossiers.selectors import registry_vocabulary

    units, cadres = registry_vocabulary(org_path=org_path)
    add_words([*org_names_under(path=org_path), *units], tag="nt")
    add_words(cadres, tag="nr")
    add_words([str(label) for _code, label in Category.choices], tag="n")
    _VOCABULARY_LOADED.add(key)


def reading_compute(*, case_id: int) -> Reading | None:
    """Read the case's text (summary and the reporter's messages) and store the suggestions."""
    case = Case.objects.select_related("org", "home_org").filter(pk=case_id).first()
    if case is None:
        return None
    vocabulary_load(org_path=commission_of(case.home_org or case.org).path)
    raw = case_text(case)
    text = clean(raw)
    loaded = model_current()
    reading = Reader(loaded.model).read(str(case_id), raw)
    found = [
        {"name": m.name, "org_text": m.org_text, "position_text": m.position_text} for m in mentions(text)
    ][:20]
    persons = text_mentions_suggest(case_id=case_id, mentions=found) if found else []
    amount = largest_amount(text)
    duplicates = _duplicates(case, text, persons, amount)
    where = places(text)
    points = priority_points(
        text,
        is_reporter_named=case.is_reporter_named,
        amount=amount,
        titles=[str(p["position_text"]) for p in found if p["position_text"]],
        repeats=len(duplicates),
    )
    stored, _created = Reading.objects.update_or_create(
        case=case,
        defaults={
            "text_hash": text_hash(raw),
            "category": reading.category,
            "confidence": round(reading.confidence, 3),
            "model_version": loaded.version,
            "persons": persons,
            "amounts": sorted({value for value in amounts(text) if value > 0}, reverse=True)[:10],
            "largest_amount": amount,
            "dates": dates(text)[:10],
            "places": where[:10],
            "duplicates": duplicates,
            "jurisdiction": _jurisdiction(case, persons, where),
            "priority": [{"code": p.code, "points": p.points, "detail": p.detail} for p in points],
            "priority_total": sum(p.points for p in points),
            "note": reading.note[:200],
        },
    )
    return stored


# --- decisions: the training data ---------------------------------------------------------------


def _predicted(reading: Reading, field: str, item: str) -> str:
    if field == Field.CATEGORY:
        return reading.category
    if field == Field.AMOUNT:
        return f"{reading.largest_amount:.2f}" if reading.largest_amount is not None else ""
    if field == Field.JURISDICTION:
        return str(reading.jurisdiction.get("org_name") or reading.jurisdiction.get("level", ""))
    if field == Field.PERSON:
        row = next((p for p in reading.persons if p["name"] == item), None)
        if row is None:
            raise TriageError(_("没有这项建议，请刷新页面"))
        return str(row["cadre"]["cadre_id"]) if row.get("cadre") else ""
    if field == Field.DUPLICATE:
        row = next((d for d in reading.duplicates if str(d["case_id"]) == item), None)
        if row is None:
            raise TriageError(_("没有这项建议，请刷新页面"))
        return str(row["kind"])
    if field == Field.PRIORITY:
        return str(reading.priority_total)
    raise TriageError(_("没有这项建议，请刷新页面"))


@transaction.atomic
def suggestion_decide(
    *, case: Case, user: User, field: str, accepted: bool, corrected: str = "", item: str = ""
) -> Feedback:
    """Accept a suggestion, or correct it: kept as labelled data (text reference, predicted,
    corrected, who, when). A later decision on the same suggestion supersedes the earlier one."""
    reading = Reading.objects.filter(case=case).first()
    if reading is None:
        raise TriageError(_("尚未完成智能研判，请稍后刷新"))
    if field not in Field.values:
        raise TriageError(_("没有这项建议，请刷新页面"))
    predicted = _predicted(reading, field, item)
    corrected = corrected.strip()[:200]
    if not accepted:
        if field == Field.CATEGORY and corrected not in Category.values:
            raise TriageError(_("请选择正确的问题类别"))
        if field == Field.AMOUNT and corrected:
            try:
                corrected = f"{float(corrected.replace(',', '')):.2f}"
            except ValueError:
                raise TriageError(_("金额“%(value)s”不是数字") % {"value": corrected}) from None
    if field == Field.CATEGORY:  # the handler's answer is the case's category from now on
        case_category_correct(case=case, by=user, category=predicted if accepted else corrected)
    feedback = Feedback.objects.create(
        case=case,
        text_hash=reading.text_hash,
        field=field,
        item=item[:100],
        predicted=predicted,
        corrected="" if accepted else corrected,
        is_accepted=accepted,
        model_version=reading.model_version,
        decided_by=user,
    )
    events.suggestion_decided_event(
        user=user, obj=feedback, field=field, accepted=accepted, corrected=feedback.corrected
    )
    return feedback


# --- retraining ---------------------------------------------------------------------------------

MIN_LABELS = 10
HOLDOUT_SHARE = 0.2
BASE_CORPUS = 3000
LABEL_WEIGHT = 3  # a handler's label counts as this many generated texts


def category_labels() -> list[tuple[int, str, dt.datetime]]:
    """(case id, category, decided at) of each case's latest category decision, oldest first."""
    latest: dict[int, tuple[str, dt.datetime]] = {}
    for row in Feedback.objects.filter(field=Field.CATEGORY).order_by("decided_at", "pk"):
        latest[row.case_id] = (row.label, row.decided_at)
    return sorted(((case_id, label, at) for case_id, (label, at) in latest.items()), key=lambda r: r[2])


def model_retrain(*, now: dt.datetime | None = None) -> ModelVersion | None:
    """Train on the generated corpus plus the handlers' labels, except the most recent handled
    reports, on which the new and the current model are both measured. The new model is used only
    if it reads those reports at least as well as the current one."""
    now = now or timezone.now()
    labels = category_labels()
    if len(labels) < MIN_LABELS:
        return None
    held = max(1, int(len(labels) * HOLDOUT_SHARE))
    training, holdout = labels[:-held], labels[-held:]
    texts = {case.pk: case_text(case) for case in Case.objects.filter(pk__in=[r[0] for r in labels])}
    base = [s for s in generate_corpus(BASE_CORPUS, seed=1) if not s.duplicate_of]
    version = f"{now:%Y%m%d%H%M%S}"
    model = train(
        [s.text for s in base]
        + [texts[c] for c, _label, _at in training for _ in range(LABEL_WEIGHT) if c in texts],
        [s.category for s in base]
        + [label for c, label, _at in training for _ in range(LABEL_WEIGHT) if c in texts],
        version=version,
    )
    truth = [label for c, label, _at in holdout if c in texts]
    held_texts = [texts[c] for c, _label, _at in holdout if c in texts]
    quality = category_quality(truth, [p for p, _conf in model.predict(held_texts)])
    current = model_current()
    baseline = category_quality(truth, [p for p, _conf in current.model.predict(held_texts)])
    better = float(quality["_macro_f1"]) >= float(baseline["_macro_f1"])  # type: ignore[arg-type]
    filename = f"triage-{version}.npz"
    if better:
        model.save(models_dir() / filename)
    with transaction.atomic():
        if better:
            ModelVersion.objects.filter(status=ModelStatus.ACTIVE).update(status=ModelStatus.RETIRED)
        stored = ModelVersion.objects.create(
            version=version,
            filename=filename if better else "",
            status=ModelStatus.ACTIVE if better else ModelStatus.SKIPPED,
            trained_on=len(training),
            held_out=len(truth),
            quality=quality,
            baseline_quality=baseline | {"_version": current.version},
            note="" if better else _("新模型在最近办理的举报上不如现用模型，未启用"),
        )
        events.model_trained_event(obj=stored, trained_on=len(training), held_out=len(truth))
    model_cache_clear()
    return stored


# --- 舆情 -----------------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def posts_import(*, user: User, data: bytes, filename: str) -> PostImport:
    """Read an export of public posts, keep them, and cluster the relevant ones into events."""
    if user.org is None:
        raise TriageError(_("您的账号未设置所属机构"))
    if len(data) > MAX_IMPORT_BYTES:
        raise TriageError(_("%(name)s：文件超过 20 MB") % {"name": filename})
    commission = commission_of(user.org)
    posts, errors = read_posts(data, filename)
    if errors and errors[0].row == 0:
        raise TriageError(errors[0].reason)
    run = PostImport.objects.create(
        org=commission,
        filename=filename[:200],
        post_count=len(posts),
        errors=[{"row": e.row, "reason": e.reason} for e in errors][:500],
        created_by=user,
    )
    rows = PublicPost.objects.bulk_create(
        PublicPost(
            post_import=run,
            row=p.row,
            posted_at=p.time,
            platform=p.platform,
            author=p.author,
            text=p.text,
            url=p.url,
        )
        for p in posts
    )
    clusters = cluster_posts(
        posts, names=registry_names(org_path=commission.path), model=model_current().model
    )
    for cluster in clusters:
        members = [rows[i] for i in cluster.posts]
        event = PostEvent.objects.create(
            post_import=run,
            org=commission,
            category=cluster.category,
            targets=cluster.targets,
            first_at=cluster.first_at,
            last_at=cluster.last_at,
            largest_amount=max(
                (a for m in members if (a := largest_amount(m.text)) is not None), default=None
            ),
        )
        PublicPost.objects.filter(pk__in=[m.pk for m in members]).update(event=event)
    events.posts_imported_event(
        user=user, obj=run, posts=len(posts), errors=len(errors), events=len(clusters)
    )
    return run


def _locked_open(event: PostEvent) -> PostEvent:
    locked = PostEvent.objects.select_for_update().get(pk=event.pk)
    if locked.status != EventStatus.OPEN:
        raise TriageError(_("该事件已处理，不能再处理"))
    return locked


def _posts_csv(posts: list[PublicPost]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("时间"), _("平台"), _("作者"), _("正文"), _("链接")])
    for post in posts:
        writer.writerow(
            [
                timezone.localtime(post.posted_at).strftime("%Y-%m-%d %H:%M"),
                post.platform,
                post.author,
                post.text,
                post.url,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


@transaction.atomic
def post_event_convert(*, event: PostEvent, user: User) -> Case:
    """转为问题线索: a lead with the posts as evidence (an attachment, and in the case details)."""
    locked = _locked_open(event)
    posts = list(locked.posts.order_by("posted_at"))
    people = [m for m in mentions(posts[0].text) if m.name != m.position_text] if posts else []
    try:
        case = case_register(
            kind=Kind.LEAD,
            source=Source.OTHER,
            category=locked.category if locked.category in Category.values else Category.OTHER,
            summary=_("【网络舆情】%(targets)s：%(text)s")
            % {"targets": "、".join(locked.targets), "text": posts[0].text[:300] if posts else ""},
            region_code=locked.org.region_code,
            org=locked.org,
            received_at=timezone.now(),
            reported_persons=[
                {"name": p.name, "org_name": p.org_text, "position": p.position_text} for p in people
            ],
            created_by=user,
            details={
                "public_post_event": locked.pk,
                "posts": [
                    {
                        "time": post.posted_at.isoformat(),
                        "platform": post.platform,
                        "author": post.author,
                        "url": post.url,
                        "text": post.text[:500],
                    }
                    for post in posts[:50]
                ],
            },
        )
        case_attachment_add(
            case=case, by=user, uploaded=ContentFile(_posts_csv(posts), name=f"舆情帖子_{locked.pk}.csv")
        )
    except CaseError as error:
        raise TriageError(str(error)) from error
    PostEvent.objects.filter(pk=locked.pk).update(
        status=EventStatus.CONVERTED, case=case, decided_by=user, decided_at=timezone.now()
    )
    events.post_event_decided_event(user=user, obj=locked, decision="convert", case_id=case.pk)
    return case


@transaction.atomic
def post_event_dismiss(*, event: PostEvent, user: User, reason: str) -> PostEvent:
    reason = reason.strip()
    if not reason:
        raise TriageError(_("请填写排除理由"))
    locked = _locked_open(event)
    PostEvent.objects.filter(pk=locked.pk).update(
        status=EventStatus.DISMISSED, reason=reason[:2000], decided_by=user, decided_at=timezone.now()
    )
    locked.refresh_from_db()
    events.post_event_decided_event(user=user, obj=locked, decision="dismiss", case_id=None)
    return locked
