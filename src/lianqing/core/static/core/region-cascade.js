// The 行政区划 cascade (GB/T 2260) of every form that carries data-regions-url: the public portal's
// report form and the staff 登记 form. Choosing a province loads its cities, a city its counties;
// each list keeps its first option ("请选择…" or "—") as the blank choice.
(function () {
  "use strict";

  function fill(select, regions) {
    var placeholder = select.options.length ? select.options[0].textContent : "";
    select.innerHTML = "";
    var blank = document.createElement("option");
    blank.value = "";
    blank.textContent = placeholder;
    select.appendChild(blank);
    regions.forEach(function (region) {
      var option = document.createElement("option");
      option.value = region.code;
      option.textContent = region.name;
      select.appendChild(option);
    });
  }

  function load(url, parent, select) {
    if (!parent) { fill(select, []); return; }
    fetch(url + "?parent=" + encodeURIComponent(parent), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { fill(select, data.regions); });
  }

  document.querySelectorAll("form[data-regions-url]").forEach(function (form) {
    var url = form.getAttribute("data-regions-url");
    var province = form.querySelector("select[name=province]");
    var city = form.querySelector("select[name=city]");
    var county = form.querySelector("select[name=county]");
    if (!province || !city || !county) { return; }
    province.addEventListener("change", function () { load(url, province.value, city); fill(county, []); });
    city.addEventListener("change", function () { load(url, city.value, county); });
  });
})();
