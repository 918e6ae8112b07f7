"""舆情: public posts exported by a monitoring system, read and clustered into events.

`read_posts(data, filename)` reads a CSV or JSON export (columns `time, platform, author, text,
url`); rows it cannot use come back as `PostError`s with the row number and the reason, never an
exception. `cluster_posts` keeps the posts that name one of the jurisdiction's units or cadres and
describe misconduct (the category model says so, or misconduct words do), and joins them into
events: near-copies (reposts, the same post on several platforms: MinHash on character shingles,
then the shared share of the shorter text) and posts naming the same unit or cadre about the same
category within a few days.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from lianqing.analytics.text.classifier import CategoryModel
from lianqing.analytics.text.duplicates import BANDS, HASHES, _sketch, shingles
from lianqing.analytics.text.normalize import clean, readable, to_simplified

COLUMNS = ("time", "platform", "author", "text", "url")
MAX_ROWS = 50_000
MAX_TEXT = 5_000
NEAR_COPY = 0.6  # shared share of the shorter post's shingles
SAME_EVENT_DAYS = 7
MISCONDUCT_WORDS = (
    "贪污", "受贿", "索贿", "行贿", "红包", "礼金", "回扣", "吃喝", "公款", "公车", "私用", "吃拿卡要", "克扣",
    "冒领", "虚报", "挪用", "侵占", "违规", "违纪", "腐败", "滥用职权", "不作为", "乱作为", "大操大办", "打招呼",
    "优亲厚友", "套取", "截留", "强拆", "欺压", "勒索", "经商", "入股", "旅游",
)  # fmt: skip
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Post:
    row: int
    time: dt.datetime
    platform: str
    author: str
    text: str
    url: str


@dataclass(frozen=True)
class PostError:
    row: int
    reason: str


CHINA_TIME = dt.timezone(dt.timedelta(hours=8))


def _parse_time(value: str) -> dt.datetime | None:
    """An aware time; a time without a zone is China time."""
    value = value.strip().replace("/", "-")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TIME)


def _rows(data: bytes, filename: str) -> tuple[list[dict[str, object]], str]:
    """(rows, error). Rows are numbered from 1: CSV's header is row 1, so its first post is row 2."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], f"{filename}：文件不是 UTF-8 编码"
    if filename.lower().endswith(".json") or text.lstrip()[:1] in "[{":
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as error:
            return [], f"{filename}：JSON 格式错误（第 {error.lineno} 行）"
        if isinstance(parsed, dict):
            parsed = parsed.get("posts") or parsed.get("data") or []
        if not isinstance(parsed, list):
            return [], f"{filename}：JSON 应为帖子列表"
        return [row if isinstance(row, dict) else {"": row} for row in parsed], ""
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        return [], f"{filename}：缺少列 {'、'.join(missing)}"
    return list(reader), ""


def read_posts(data: bytes, filename: str) -> tuple[list[Post], list[PostError]]:
    rows, error = _rows(data, filename)
    if error:
        return [], [PostError(0, error)]
    is_json = not rows or "" in rows[0] or not filename.lower().endswith(".csv")
    first = 1 if is_json else 2
    posts: list[Post] = []
    errors: list[PostError] = []
    for index, raw in enumerate(rows[:MAX_ROWS]):
        number = index + first
        values = {column: str(raw.get(column) or "").strip() for column in COLUMNS}
        if set(raw) - {*COLUMNS} == {""} or not any(values.values()):
            errors.append(PostError(number, "不是一条帖子记录"))
            continue
        when = _parse_time(values["time"])
        text = clean(values["text"])[:MAX_TEXT]
        if when is None:
            errors.append(PostError(number, f"时间“{values['time'][:30]}”无法识别"))
        elif not readable(text):
            errors.append(PostError(number, "正文为空或无法识别"))
        else:
            posts.append(
                Post(number, when, values["platform"][:50], values["author"][:100], text, values["url"][:500])
            )
    if len(rows) > MAX_ROWS:
        errors.append(PostError(MAX_ROWS + first, f"超过 {MAX_ROWS} 条，其余未读取"))
    return posts, errors


@dataclass
class PostEvent:
    posts: list[int]  # indices into the posts given
    targets: list[str]  # the units and cadres the posts name
    category: str
    first_at: dt.datetime
    last_at: dt.datetime


@dataclass
class _Union:
    parent: list[int] = field(default_factory=list)

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def post_targets(text: str, names: Sequence[str]) -> list[str]:
    simplified = to_simplified(text)
    return [name for name in names if name and name in simplified]


def describes_misconduct(text: str, category: str, confidence: float) -> bool:
    simplified = to_simplified(text)
    return (category != "other" and confidence >= MIN_CONFIDENCE) or any(
        w in simplified for w in MISCONDUCT_WORDS
    )


def cluster_posts(posts: Sequence[Post], *, names: Sequence[str], model: CategoryModel) -> list[PostEvent]:
    """Events of the relevant posts, the largest first. `names`: the jurisdiction's units and cadres."""
    names = sorted({to_simplified(n) for n in names if len(n) >= 2}, key=len, reverse=True)
    predictions = model.predict([post.text for post in posts])
    relevant = [
        index
        for index, post in enumerate(posts)
        if post_targets(post.text, names) and describes_misconduct(post.text, *predictions[index])
    ]
    union = _Union(list(range(len(posts))))
    buckets: list[dict[bytes, list[int]]] = [defaultdict(list) for _ in range(BANDS)]
    marks = {index: shingles(posts[index].text) for index in relevant}
    rows = HASHES // BANDS
    for index in relevant:
        mine = marks[index]
        if not mine:
            continue
        sketch = _sketch(mine)
        keys = [sketch[band * rows : (band + 1) * rows].tobytes() for band in range(BANDS)]
        for band, key in enumerate(keys):
            for other in buckets[band][key]:
                shorter = min(len(mine), len(marks[other]))
                if len(mine & marks[other]) >= NEAR_COPY * shorter:
                    union.join(index, other)
            buckets[band][key].append(index)
    by_target: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index in relevant:
        for target in post_targets(posts[index].text, names):
            by_target[(target, predictions[index][0])].append(index)
    window = dt.timedelta(days=SAME_EVENT_DAYS)
    for members in by_target.values():
        members.sort(key=lambda i: posts[i].time)
        for earlier, later in itertools.pairwise(members):
            if posts[later].time - posts[earlier].time <= window:
                union.join(earlier, later)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in relevant:
        groups[union.find(index)].append(index)
    events = []
    for members in groups.values():
        members.sort(key=lambda i: posts[i].time)
        votes: dict[str, int] = defaultdict(int)
        for index in members:
            votes[predictions[index][0]] += 1
        targets = list(dict.fromkeys(t for i in members for t in post_targets(posts[i].text, names)))
        events.append(
            PostEvent(
                posts=members,
                targets=targets,
                category=max(votes, key=lambda c: (votes[c], c != "other")),
                first_at=posts[members[0]].time,
                last_at=posts[members[-1]].time,
            )
        )
    events.sort(key=lambda e: (-len(e.posts), e.first_at))
    return events
