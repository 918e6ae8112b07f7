// Reporting portal (the region cascade is core/region-cascade.js): named/anonymous fields, file checks, proof of work on submit.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  // Extra reported persons: empty rows stay folded until asked for.
  var addPerson = document.getElementById("add-person");
  function hiddenRows() { return form.querySelectorAll(".lq-person-extra.lq-hidden"); }
  form.querySelectorAll(".lq-person-extra").forEach(function (row) {
    var filled = Array.prototype.some.call(row.querySelectorAll("input, select"), function (input) { return input.value; });
    if (!filled) { row.classList.add("lq-hidden"); }
  });
  addPerson.classList.toggle("lq-hidden", hiddenRows().length === 0);
  addPerson.addEventListener("click", function () {
    var rows = hiddenRows();
    if (rows.length) { rows[0].classList.remove("lq-hidden"); }
    addPerson.classList.toggle("lq-hidden", hiddenRows().length === 0);
  });

  // Each reported person's 所在地区 is wired by core/region-cascade.js (data-regions-prefix).

  // Named reports show the identity fields; anonymous ones hide them.
  var named = document.getElementById("named-fields");
  function syncAnonymity() {
    var checked = form.querySelector("input[name=is_anonymous]:checked");
    named.classList.toggle("lq-hidden", !checked || checked.value === "1");
  }
  form.querySelectorAll("input[name=is_anonymous]").forEach(function (radio) {
    radio.addEventListener("change", syncAnonymity);
  });
  syncAnonymity();

  // Size and count are checked again on the server; this only saves a wasted upload.
  var files = document.getElementById("id_attachments");
  var fileError = document.getElementById("attachments-error");
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
  var MiB = 1024 * 1024;
  var maxBytes = parseInt(form.getAttribute("data-max-file-mb"), 10) * MiB;
  var maxVideoBytes = parseInt(form.getAttribute("data-max-video-mb"), 10) * MiB;
  var maxTotalBytes = parseInt(form.getAttribute("data-max-total-mb"), 10) * MiB;
  function filesProblem() {
    if (files.files.length > maxFiles) { return form.getAttribute("data-too-many"); }
    var total = 0;
    for (var i = 0; i < files.files.length; i++) {
      var file = files.files[i];
      var limit = file.type.indexOf("video/") === 0 ? maxVideoBytes : maxBytes;
      total += file.size;
      if (file.size > limit) {
        return form.getAttribute("data-too-large").replace("{name}", file.name).replace("{limit}", limit / MiB);
      }
    }
    return total > maxTotalBytes ? form.getAttribute("data-too-large-total") : "";
  }
  files.addEventListener("change", function () { fileError.textContent = filesProblem(); });

  var submit = document.getElementById("report-submit");
  var solved = false;
  form.addEventListener("submit", function (event) {
    if (solved) { return; }
    event.preventDefault();
    var problem = filesProblem();
    if (problem) { fileError.textContent = problem; return; }
    submit.disabled = true;
    submit.textContent = submit.getAttribute("data-busy-label");
    var token = document.getElementById("id_token");
    // Let the button repaint before the work starts.
    window.setTimeout(function () {
      document.getElementById("id_proof").value = window.lianqingProof(token.value, parseInt(token.getAttribute("data-bits"), 10));
      solved = true;
      form.submit();
    }, 30);
  });
})();
