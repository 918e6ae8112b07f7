// Character counters of long texts: counted as the server counts (characters, a newline as one),
// and nothing is ever cut: over the limit the field is marked and the server refuses it by name.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-max-chars]").forEach(function (area) {
    var counter = document.getElementById(area.id + "-counter");
    if (!counter) { return; }
    var max = parseInt(area.getAttribute("data-max-chars"), 10);
    function update() {
      var count = Array.from(area.value.trim().replace(/\r\n?/g, "\n")).length;
      var over = count > max;
      var template = counter.getAttribute(over ? "data-over-template" : "data-template");
      counter.textContent = template.replace("{count}", count).replace("{max}", max).replace("{over}", count - max);
      counter.classList.toggle("text-danger", over);
      area.classList.toggle("is-invalid", over);
    }
    area.addEventListener("input", update);
    update();
  });
})();
