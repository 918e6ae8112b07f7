// The 行政区划 cascade (GB/T 2260) of every form that carries data-regions-url: the public portal's
// report form (its 发生地区 and each reported person's 所在地区, a group marked data-regions-prefix)
// and the staff 登记 form. Choosing a province loads its cities, a city its counties; each list keeps
// its first option ("请选择…" or "—") as the blank choice.
(function () {
  "use strict";

  function fill(select, regions) {
    var placeholder = select.options.length ? select.options[0].textContent : "";
    var kept = select.value;
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
    // The same list again (the province chosen twice) keeps the choice already made in it.
    select.value = kept;
    if (select.value !== kept) { select.value = ""; }
  }

  function load(url, parent, select) {
    // Only the newest request of a list fills it: a slow answer for an earlier choice is dropped.
    var ticket = (select.lqTicket || 0) + 1;
    select.lqTicket = ticket;
    if (!parent) { fill(select, []); return; }
    fetch(url + "?parent=" + encodeURIComponent(parent), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { if (select.lqTicket === ticket) { fill(select, data.regions); } });
  }

  function wire(url, group, prefix) {
    var province = group.querySelector("select[name=" + prefix + "province]");
    var city = group.querySelector("select[name=" + prefix + "city]");
    var county = group.querySelector("select[name=" + prefix + "county]");
    if (!province || !city || !county) { return; }
    province.addEventListener("change", function () {
      load(url, province.value, city);
      if (!province.value || city.value.slice(0, 2) !== province.value.slice(0, 2)) { load(url, "", county); }
    });
    city.addEventListener("change", function () { load(url, city.value, county); });
  }

  document.querySelectorAll("form[data-regions-url]").forEach(function (form) {
    var url = form.getAttribute("data-regions-url");
    wire(url, form, "");
    form.querySelectorAll("[data-regions-prefix]").forEach(function (group) {
      wire(url, group, group.getAttribute("data-regions-prefix"));
    });
  });
})();
