// Registering a letter or visit: the 行政区划 cascade (the portal's endpoint) — choosing a
// province loads its cities, a city its counties.
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  if (!form) { return; }
  var regionsUrl = form.getAttribute("data-regions-url");
  var province = document.getElementById("id_province");
  var city = document.getElementById("id_city");
  var county = document.getElementById("id_county");

  function fill(select, regions) {
    var placeholder = select.options.length ? select.options[0].textContent : "—";
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

  function load(parent, select) {
    if (!parent) { fill(select, []); return; }
    fetch(regionsUrl + "?parent=" + encodeURIComponent(parent), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { fill(select, data.regions); });
  }

  province.addEventListener("change", function () { load(province.value, city); fill(county, []); });
  city.addEventListener("change", function () { load(city.value, county); });
})();
