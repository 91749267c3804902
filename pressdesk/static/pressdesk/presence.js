/* The enquiry page's heartbeat: tells the desk this officer still has the enquiry open, and
 * shows who else has (enquiries.handling.presence). Names are set with textContent only. */
(function () {
  "use strict";
  var notice = document.getElementById("also-open");
  if (!notice) { return; }
  var url = notice.getAttribute("data-presence-url");
  var seconds = parseInt(notice.getAttribute("data-presence-seconds"), 10) || 30;
  var names = document.getElementById("also-open-names");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var token = tokenInput ? tokenInput.value : "";

  function body(extra) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    if (extra) { data.append("leaving", "1"); }
    return data;
  }

  function beat() {
    fetch(url, {method: "POST", body: body(false), credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) { return; }
        names.textContent = answer.others.join(", ");
        notice.hidden = answer.others.length === 0;
      })
      .catch(function () { /* offline for a moment: the next beat tries again */ });
  }

  window.setInterval(beat, seconds * 1000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { beat(); }
  });
  window.addEventListener("pagehide", function () {
    navigator.sendBeacon(url, body(true));
  });
})();
