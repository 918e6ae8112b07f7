"""Page checks for browser tests: nothing overflows its box, no chart label leaves its canvas."""

from __future__ import annotations

import re

# Every element of <main> whose content is wider than itself and that neither scrolls nor ends in an
# ellipsis on purpose; and the page itself scrolling sideways.
OVERFLOWS_JS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + [...el.classList].join(".") : "");
  for (const el of document.querySelectorAll("main *")) {
    if (el.closest("[_echarts_instance_]")) continue;  // the canvas is checked by CHART_LABELS_JS
    if (el.closest(".visually-hidden")) continue;  // for screen readers: 1px on purpose
    const style = getComputedStyle(el);
    if (style.display === "inline" || style.display === "none" || el.clientWidth === 0) continue;
    if (["auto", "scroll"].includes(style.overflowX) || style.textOverflow === "ellipsis") continue;
    // Rows' gutters (Bootstrap's negative margins, 8px at most) spill into their parents on
    // purpose and show nothing cut; more than that is content the box cannot hold.
    if (el.scrollWidth > el.clientWidth + 8) {
      problems.push(`${name(el)}: content ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
  }
  return problems;
}"""

# Every visible text of every ECharts chart: inside its canvas, not cut short with an ellipsis, and
# not on top of another text.
CHART_LABELS_JS = """() => {
  const problems = [];
  for (const dom of document.querySelectorAll("[_echarts_instance_]")) {
    const chart = echarts.getInstanceByDom(dom);
    if (!chart) continue;
    const width = chart.getWidth(), height = chart.getHeight();
    const rects = [];
    for (const el of chart.getZr().storage.getDisplayList(true)) {
      if (!["text", "tspan"].includes(el.type) || el.ignore || el.invisible || !el.style || !el.style.text) continue;
      const text = String(el.style.text);
      const rect = el.getBoundingRect().clone();
      if (el.transform) rect.applyTransform(el.transform);
      if (rect.width === 0) continue;
      if (rect.x < -1 || rect.y < -1 || rect.x + rect.width > width + 1 || rect.y + rect.height > height + 1) {
        problems.push(`${dom.id}: "${text}" leaves the ${width}x${height} canvas`);
      }
      if (/(…|\\.\\.\\.)$/.test(text)) problems.push(`${dom.id}: "${text}" is cut short`);
      rects.push([text, rect, el.parent || el]);  // the lines of one label share a parent
    }
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        if (rects[i][2] !== rects[j][2] && rects[i][1].intersect(rects[j][1])) {
          problems.push(`${dom.id}: "${rects[i][0]}" overlaps "${rects[j][0]}"`);
        }
      }
    }
  }
  return problems;
}"""


def layout_problems(page: object) -> list[str]:
    problems: list[str] = page.evaluate(OVERFLOWS_JS)  # type: ignore[attr-defined]
    if page.evaluate("() => typeof echarts !== 'undefined'"):  # type: ignore[attr-defined]
        problems += page.evaluate(CHART_LABELS_JS)  # type: ignore[attr-defined]
    return problems


# The page's visible text, without what the data says: tables' cells, inputs, the language switch.
PAGE_WORDS_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(n => (n.offsetParent !== null || n.getClientRects().length) && !n.closest(".visually-hidden"))
  .map(n => n.innerText)"""
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# Words that stay Latin in Chinese: names of products, formats and standards.
LATIN_IN_CHINESE = {
    "Lianqing",
    "TOTP",
    "Excel",
    "xlsx",
    "PDF",
    "DuckDB",
    "Spark",
    "CSV",
    "JSON",
    "GB/T",
    "QR",
}
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
REGION_CODE = re.compile(r"(?<![\w*-])[1-8]\d{5}(?:\d{3})?(?![\w*-])")  # not a masked ID


def language_problems(page: object, language: str, data: list[str], selector: str) -> list[str]:
    """The screen's own words in the other language: CJK on an English page, Latin words on a
    Chinese one. `data` (names of people, orgs, places) is taken out first."""
    problems = []
    for text in page.evaluate(PAGE_WORDS_JS, selector):  # type: ignore[attr-defined]
        for value in data:
            text = text.replace(value, " ")
        if language == "en" and CJK.search(text):
            problems.append(f"Chinese on an English page: {text.strip()[:60]!r}")
        if language != "en":
            words = [w for w in LATIN_WORD.findall(text) if w not in LATIN_IN_CHINESE]
            if words:
                problems.append(
                    f"Latin words on a Chinese page: {' '.join(words)[:60]!r} in {text.strip()[:40]!r}"
                )
    return problems


def code_problems(page: object) -> list[str]:
    """Raw column names (snake_case) and GB/T 2260 region codes shown where a name exists."""
    from lianqing.intake.regions import region_name

    text = page.evaluate(
        "() => document.querySelector('main') ? document.querySelector('main').innerText : document.body.innerText"
    )  # type: ignore[attr-defined]
    problems = [f"raw name {word!r}" for word in sorted(set(SNAKE_CASE.findall(text)))]
    codes = sorted(set(REGION_CODE.findall(text)))
    return problems + [f"region code {c} instead of {region_name(c)}" for c in codes if region_name(c)]
