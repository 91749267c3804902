/* The public forms, enhanced: the page works without this file (CSP: no inline script).
 * - The error summary takes the focus, and its links put the cursor in the field.
 * - A field with data-pd-count shows how many characters are left, or how many too many;
 *   screen readers hear it once typing pauses, not at every key.
 */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (!summary) { return; }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      (legend || label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  function format(template, count) {
    return template.replace("%(count)s", count.toLocaleString(document.documentElement.lang));
  }

  function counter(field) {
    var limit = parseInt(field.getAttribute("data-pd-count"), 10);
    var shown = document.getElementById(field.id + "_count");
    if (!shown || !limit) { return; }
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    shown.after(spoken);
    var timer = null;

    function update(announce) {
      var left = limit - field.value.length;
      var text = left < 0 ? format(shown.dataset.over, -left) : format(shown.dataset.left, left);
      shown.textContent = text;
      shown.classList.toggle("text-danger", left < 0);
      shown.classList.toggle("fw-semibold", left < 0);
      if (announce) {
        clearTimeout(timer);
        timer = setTimeout(function () { spoken.textContent = text; }, 1000);
      }
    }

    field.addEventListener("input", function () { update(true); });
    update(false);
  }

  function start() {
    focusSummary();
    document.querySelectorAll("[data-pd-count]").forEach(counter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
