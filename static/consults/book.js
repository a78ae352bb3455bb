/*
 * The booking page in the visitor's own time zone. Without this script the page shows the
 * practice's zone and a select to change it (a plain GET form). With it, a first visit
 * (a GET without tz in the address: data-zone-auto) switches to the zone the browser reports, if the list has it.
 * No inline script: strict CSP.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-zone-form]");
  var select = document.querySelector("[data-zone-select]");
  if (!form || !select || !window.Intl || !form.hasAttribute("data-zone-auto")) return;
  var params = new URLSearchParams(window.location.search);
  if (params.has("tz")) return;
  var detected;
  try {
    detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!detected || detected === select.value) return;
  var known = Array.prototype.some.call(select.options, function (option) {
    return option.value === detected;
  });
  if (!known) return;
  params.set("tz", detected);
  window.location.replace(form.getAttribute("action") + "?" + params.toString());
})();
