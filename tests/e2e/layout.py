"""Page checks for browser tests: nothing overflows its box, no chart label leaves its canvas."""

from __future__ import annotations

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
    const style = getComputedStyle(el);
    if (style.display === "inline" || style.display === "none" || el.clientWidth === 0) continue;
    if (["auto", "scroll"].includes(style.overflowX) || style.textOverflow === "ellipsis") continue;
    if (el.scrollWidth > el.clientWidth + 1) {
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
