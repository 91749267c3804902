/* The desk's suggestions as you type: the ARIA 1.2 combobox pattern (list autocomplete).
 *
 * Each `.combobox` wraps an input[role=combobox] and a ul[role=listbox]. What is typed is
 * POSTed (never put in a URL) to the element's data-suggest-url; the answer is JSON
 * {results: [{id, label, detail}]}, rendered with textContent only. Arrow keys move through
 * the options, Enter picks, Escape closes. Nothing is highlighted until an arrow key says so:
 * in the journalist field Enter searches (now, without waiting for the typing pause) and
 * never saves the call, so a fresh list cannot be saved with its first name by accident.
 * Without JavaScript the form's "Find" button does the same job on the server.
 *
 * After a page comes back with errors, the first field marked aria-invalid takes the focus.
 */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setup(box) {
    var input = box.querySelector("[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var form = box.closest("form");
    var kind = box.getAttribute("data-suggest-kind");
    var url = box.getAttribute("data-suggest-url");
    var hidden = kind === "journalist" ? form.querySelector("input[type=hidden][name=journalist]") : null;
    var chosen = document.getElementById("chosen-journalist");
    var noneText = box.getAttribute("data-none-text") || "";
    var chooseText = box.getAttribute("data-choose-text") || "";
    var outletInput = form.querySelector("input[name=outlet_name]");
    var options = [];
    var active = -1;
    var timer = null;
    var sequence = 0;
    // The text the options shown were found for: a list for "nord" is not an answer to "nordm".
    var shownFor = null;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      shownFor = null;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        var on = i === index;
        option.element.setAttribute("aria-selected", on ? "true" : "false");
        option.element.classList.toggle("active", on);
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      var result = options[index].result;
      input.value = result.label;
      if (hidden) {
        hidden.value = String(result.id);
        if (chosen) {
          chosen.textContent = "";
          var strong = document.createElement("strong");
          strong.textContent = result.label;
          chosen.append(strong);
          if (result.detail) {
            chosen.append(" · " + result.detail);
          }
        }
        if (outletInput && !outletInput.value && result.outlet) {
          outletInput.value = result.outlet;
        }
      }
      close();
    }

    function render(results, text) {
      list.replaceChildren();
      shownFor = text;
      options = results.map(function (result, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.className = "list-group-item list-group-item-action";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.textContent = result.label;
        li.append(label);
        if (result.detail) {
          var detail = document.createElement("small");
          detail.className = "text-body-secondary ms-2";
          detail.textContent = result.detail;
          li.append(detail);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.append(li);
        return {element: li, result: result};
      });
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      active = -1;
      if (hidden && chosen && !hidden.value) {
        chosen.textContent = options.length ? "" : noneText;
      }
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < (kind === "journalist" ? 2 : 1)) {
        close();
        return;
      }
      var mine = ++sequence;
      var body = new FormData();
      body.append("q", text);
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken(form), "Accept": "application/json"}
      })
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) {
          if (mine === sequence && document.activeElement === input) {
            render(data.results || [], text);
          }
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      if (hidden) {
        hidden.value = "";
        if (chosen) { chosen.textContent = ""; }
      }
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { fetchSuggestions(); return; }
        highlight(Math.min(active + 1, options.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          pick(active);
        } else if (kind === "journalist") {
          // Enter here searches; it never saves the call nor takes a match nobody chose.
          event.preventDefault();
          // A search still waiting for the typing pause is done now, or it would replace
          // the list (and clear the hint below) after the officer had read it.
          clearTimeout(timer);
          var stale = list.hidden || shownFor !== input.value.trim();
          if (stale && !(hidden && hidden.value)) {
            fetchSuggestions();
          } else if (chosen) {
            chosen.textContent = chooseText;
          }
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll(".combobox").forEach(setup);

  var invalid = document.querySelector("form [aria-invalid=true]");
  if (invalid) {
    invalid.focus();
  }
})();
