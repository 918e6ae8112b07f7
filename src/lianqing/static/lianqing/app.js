// Lianqing front-end glue. Loaded on every page; no inline script exists anywhere.
(function () {
  "use strict";
  // Buttons that ask before acting: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  });
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) { window.print(); }
  });
})();
