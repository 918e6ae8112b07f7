"""Fellegi–Sunter scoring of one mention against one cadre, with term frequencies.

Each comparison (name, unit, title, gender, phone) falls in a level; each level has m (how often
a true match shows it) and u (how often a random cadre shows it). The weight is log2(m/u).
u comes from the registry itself where it varies: how many cadres share the name (王伟 is weak
evidence, 滕韬 strong), the pinyin, the surname, the units the text fits, the title. The m
values are fixed from how reports write names (docs/resolve.md lists them).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from lianqing.analytics.resolve.model import Reason
from lianqing.analytics.resolve.registry import Post, Registry, phone_digits
from lianqing.analytics.resolve.text import (
    PersonName,
    char_pinyin,
    clean,
    is_lookalike,
    surname_pinyin,
    title_fits,
)
from lianqing.analytics.resolve.units import UnitFit, unit_fit

# level -> m: the share of true matches whose mention shows this level
NAME_M = {
    "name_exact": 0.83,
    "name_homophone": 0.05,
    "name_lookalike": 0.03,
    "name_char_dropped": 0.03,
    "name_char_extra": 0.03,
    "name_one_char": 0.01,
    "name_pinyin": 0.9,
    "surname": 0.9,
    "surname_homophone": 0.05,
    "surname_lookalike": 0.03,
    "name_differs": 0.02,
}
UNIT_M = {
    (UnitFit.SAME, True): 0.6,
    (UnitFit.SAME, False): 0.06,
    (UnitFit.PART, True): 0.2,
    (UnitFit.PART, False): 0.02,
    (UnitFit.SIMILAR, True): 0.05,
    (UnitFit.SIMILAR, False): 0.01,
}
UNIT_DIFFERS_M = 0.02
# (the title is the position itself, the post is current) -> m; 局长 for a 局长 weighs more
# than 局长 for a 副局长, so the 局长 ranks first, but not so much that the two stop being close
TITLE_M = {(True, True): 0.5, (False, True): 0.25, (True, False): 0.06, (False, False): 0.03}
TITLE_DIFFERS_M = 0.02
GENDER_M = 0.98
PHONE_M, PHONE_DIFFERS_M = 0.9, 0.3
# prior odds that a mention names someone outside the registry, against a cadre of it: the
# posterior of a cadre is B / (OUTSIDER_ODDS * N * q + sum of B over the candidates), where q is
# OUTSIDER_IN_UNIT when the mention's unit text fits a registry unit (an outsider is seldom
# said to work in one) and 1 otherwise.
OUTSIDER_ODDS = 0.2
OUTSIDER_IN_UNIT = 0.05


@dataclass(frozen=True)
class MentionView:
    """A mention prepared once for scoring against many cadres."""

    name: PersonName
    unit: str  # canonical unit text
    unit_codes: tuple[str, ...]  # registry units the text fits as a whole
    unit_share: float  # share of cadres with a post in one of them (u of a unit agreement)
    title: str
    gender: str
    phone: str


def _weight(m: float, u: float) -> float:
    return math.log2(m / min(max(u, 1e-12), 1.0))


def _chars_alike(a: str, b: str, *, first: bool) -> str:
    """'' when equal, else 'homophone', 'lookalike' or 'differs'."""
    if a == b:
        return ""
    if (surname_pinyin(a) == surname_pinyin(b)) if first else (char_pinyin(a) == char_pinyin(b)):
        return "homophone"
    return "lookalike" if is_lookalike(a, b) else "differs"


def _one_removed(longer: str, shorter: str) -> bool:
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def name_level(mention: PersonName, cadre: PersonName) -> str:
    if mention.is_pinyin:
        alike = mention.text in (cadre.pinyin, "".join(cadre.given_pinyin) + cadre.surname_pinyin)
        return "name_pinyin" if alike else "name_differs"
    if mention.is_surname_only:
        kind = _chars_alike(mention.surname, cadre.surname, first=True)
        return {"": "surname", "homophone": "surname_homophone", "lookalike": "surname_lookalike"}.get(
            kind, "name_differs"
        )
    if mention.text == cadre.text:
        return "name_exact"
    if len(mention.text) == len(cadre.text):
        kinds = [
            _chars_alike(a, b, first=i == 0)
            for i, (a, b) in enumerate(zip(mention.text, cadre.text, strict=True))
        ]
        changed = [k for k in kinds if k]
        if "differs" not in changed:
            return "name_lookalike" if "lookalike" in changed else "name_homophone"
        if len(changed) == 1 and len(cadre.text) >= 3 and kinds[0] == "":
            return "name_one_char"
        return "name_differs"
    if mention.surname == cadre.surname or mention.text[:1] == cadre.text[:1]:
        if len(mention.text) + 1 == len(cadre.text) and _one_removed(cadre.text, mention.text):
            return "name_char_dropped"
        if len(mention.text) == len(cadre.text) + 1 and _one_removed(mention.text, cadre.text):
            return "name_char_extra"
    return "name_differs"


_NAME_TEXT = {
    "name_exact": "姓名相同",
    "name_homophone": "姓名同音（{m}／{c}）",
    "name_lookalike": "姓名形近（{m}／{c}）",
    "name_char_dropped": "姓名少一字（{m}／{c}）",
    "name_char_extra": "姓名多一字（{m}／{c}）",
    "name_one_char": "姓名一字不同（{m}／{c}）",
    "name_pinyin": "拼音相符（{m}／{c}）",
    "surname": "姓氏相同（{m}）",
    "surname_homophone": "姓氏同音（{m}／{c}）",
    "surname_lookalike": "姓氏形近（{m}／{c}）",
    "name_differs": "姓名不符（{m}／{c}）",
}


def _name_u(level: str, cadre: PersonName, registry: Registry, at_level: int) -> float:
    """u of a name level: the share of cadres the mention's name would show this level against.

    Exact, pinyin and surname levels count the whole registry; the fuzzy levels count the
    candidates found at that level (blocking finds every cadre one character away).
    """
    n = max(len(registry), 1)
    if level == "name_exact":
        return registry.name_counts[cadre.text] / n
    if level in ("name_homophone", "name_pinyin"):
        return registry.pinyin_counts[cadre.pinyin] / n
    if level in ("name_lookalike", "name_char_dropped", "name_char_extra", "name_one_char"):
        return max(at_level, 1) / n
    if level == "surname":
        return registry.surname_counts[cadre.surname] / n
    if level in ("surname_homophone", "surname_lookalike"):
        return registry.surname_pinyin_counts[cadre.surname_pinyin] / n
    return 1.0


def _unit_reason(view: MentionView, post: Post, registry: Registry) -> Reason | None:
    if not view.unit:
        return None
    unit = registry.units.get(post.org_code)
    fit = _fit(view, post.org_code, registry)
    if unit is None or fit is UnitFit.NONE:
        return Reason("unit_differs", f"单位不符（{view.unit}）", _weight(UNIT_DIFFERS_M, 0.99), view.unit)
    u = 0.002 if fit is UnitFit.SIMILAR else view.unit_share
    words = {UnitFit.SAME: "单位相符", UnitFit.PART: "单位部分相符", UnitFit.SIMILAR: "单位名称相近"}[fit]
    tense = "" if post.is_current else "（曾任职）"
    code = {UnitFit.SAME: "unit_same", UnitFit.PART: "unit_part", UnitFit.SIMILAR: "unit_similar"}[fit]
    detail = f"{view.unit}／{unit.name or unit.code}"
    return Reason(
        code + ("" if post.is_current else "_former"),
        f"{words}{tense}：{detail}",
        _weight(UNIT_M[(fit, post.is_current)], u),
        detail,
    )


def _fit(view: MentionView, org_code: str, registry: Registry) -> UnitFit:
    key = (view.unit, org_code)
    fit = registry.fit_cache.get(key)
    if fit is None:
        unit = registry.units.get(org_code)
        fit = unit_fit(view.unit, unit.canonical) if unit is not None else UnitFit.NONE
        parent = registry.units.get(unit.parent_code) if unit is not None else None
        if (
            fit < UnitFit.PART
            and parent is not None
            and unit_fit(view.unit, parent.canonical) >= UnitFit.PART
        ):
            fit = UnitFit.PART
        if fit is UnitFit.SIMILAR and view.unit_codes:
            # the text names existing units as a whole: a near name elsewhere (another town's
            # 农业综合服务中心) is another unit, not a typo
            fit = UnitFit.NONE
        registry.fit_cache[key] = fit
    return fit


def _title_reason(view: MentionView, post: Post, registry: Registry) -> Reason | None:
    if not view.title or not post.position:
        return None
    share = registry.title_share(view.title)
    if title_fits(view.title, post.position):
        is_same = view.title == post.position
        return Reason(
            ("title_same" if is_same else "title_fits") + ("" if post.is_current else "_former"),
            f"职务{'相同' if is_same else '相符'}{'' if post.is_current else '（曾任）'}：{view.title}／{post.position}",
            _weight(TITLE_M[(is_same, post.is_current)], share),
            f"{view.title}／{post.position}",
        )
    return Reason(
        "title_differs",
        f"职务不符：{view.title}／{post.position}",
        _weight(TITLE_DIFFERS_M, 1 - share),
        f"{view.title}／{post.position}",
    )


def _post_reasons(
    view: MentionView, slot: int, registry: Registry, memo: dict[Post, tuple[float, list[Reason]]]
) -> list[Reason]:
    """Unit and title judged on the same post: the post that fits the mention best.

    `memo` keeps each post's judgement for this mention: candidates share units and positions.
    """
    best: list[Reason] = []
    best_weight = -math.inf
    for post in registry.posts[slot]:
        judged = memo.get(post)
        if judged is None:
            reasons = [
                r
                for r in (_unit_reason(view, post, registry), _title_reason(view, post, registry))
                if r is not None
            ]
            judged = memo[post] = (sum(r.weight for r in reasons), reasons)
        if judged[0] > best_weight:
            best_weight, best = judged
    return best


def score_candidates(
    view: MentionView, slots: list[int], registry: Registry
) -> list[tuple[float, tuple[Reason, ...]]]:
    """Each candidate's total weight in bits and its reasons, strongest first."""
    levels = [name_level(view.name, registry.names[slot]) for slot in slots]
    at_level = Counter(levels)
    memo: dict[Post, tuple[float, list[Reason]]] = {}
    return [
        _score(view, slot, level, at_level[level], registry, memo)
        for slot, level in zip(slots, levels, strict=True)
    ]


def _score(
    view: MentionView,
    slot: int,
    level: str,
    at_level: int,
    registry: Registry,
    memo: dict[Post, tuple[float, list[Reason]]],
) -> tuple[float, tuple[Reason, ...]]:
    cadre = registry.names[slot]
    reasons: list[Reason] = []
    if view.name.text:
        said = view.name.raw.strip() or view.name.text
        text = _NAME_TEXT[level].format(m=said, c=cadre.raw)
        code, detail = level, ("" if level == "name_exact" else f"{said}／{cadre.raw}")
        if level == "name_exact" and view.name.raw.strip() != cadre.raw.strip():
            text += "（繁简、全角或空格已统一）"
            detail = f"{said}／{cadre.raw}"
        elif level == "surname":
            detail = said
        weight = _weight(NAME_M[level], _name_u(level, cadre, registry, at_level))
        reasons.append(Reason(code, text, weight, detail))
    reasons.extend(_post_reasons(view, slot, registry, memo))
    if view.gender in ("男", "女"):
        same = view.gender == registry.genders[slot]
        reasons.append(
            Reason(
                "gender_same" if same else "gender_differs",
                "性别相符" if same else "性别不符",
                _weight(GENDER_M if same else 1 - GENDER_M, 0.5),
            )
        )
    if view.phone and registry.phones[slot]:
        same = view.phone == registry.phones[slot]
        reasons.append(
            Reason(
                "phone_same" if same else "phone_differs",
                "电话相同" if same else "电话不同",
                _weight(PHONE_M, 1 / max(len(registry), 1)) if same else _weight(PHONE_DIFFERS_M, 1.0),
            )
        )
    total = sum(r.weight for r in reasons)
    return total, tuple(sorted(reasons, key=lambda r: -abs(r.weight)))


def mention_gender(value: str | None) -> str:
    text = clean(value)
    if text in ("男", "m", "male"):
        return "男"
    if text in ("女", "f", "female"):
        return "女"
    return ""


__all__ = ["MentionView", "mention_gender", "name_level", "phone_digits", "score_candidates"]
