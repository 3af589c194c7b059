/* Reading aids, the phone header's 搜索 and 菜单, and the feedback filter. Small, dependency-free; every page works
   without it. */
(function () {
  "use strict";
  var root = document.documentElement;
  var FONT_KEY = "xuncha.font";
  var CARE_KEY = "xuncha.care";

  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: the choice lasts this page */ }
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  /* Font size: the chosen button is marked pressed in every switch on the page. */
  function showFont(size) {
    each("[data-xc-font]", function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-xc-font") === size));
    });
  }

  function setFont(size) {
    root.setAttribute("data-font", size);
    save(FONT_KEY, size);
    showFont(size);
  }

  /* 关怀 mode: high contrast, underlined links, stronger focus. */
  function showCare(on) {
    each("[data-xc-care]", function (button) {
      button.setAttribute("aria-pressed", String(on));
    });
  }

  function toggleCare() {
    var on = root.getAttribute("data-care") !== "on";
    if (on) { root.setAttribute("data-care", "on"); } else { root.removeAttribute("data-care"); }
    save(CARE_KEY, on ? "on" : "off");
    showCare(on);
  }

  /* Phone header: 搜索 and 菜单 open and close what they control (CSS hides it while closed, on a phone only). */
  function setOpen(button, open) {
    var target = document.getElementById(button.getAttribute("data-xc-toggle"));
    if (!target) { return; }
    button.setAttribute("aria-expanded", String(open));
    target.classList.toggle("xc-fold--open", open);
  }

  function toggle(button) {
    var open = button.getAttribute("aria-expanded") !== "true";
    setOpen(button, open);
    var input = open ? document.getElementById(button.getAttribute("data-xc-toggle")).querySelector("input") : null;
    if (input) { input.focus(); }
  }

  /* Escape closes what is open and gives focus back to its button. */
  function closeFolds() {
    each("[data-xc-toggle][aria-expanded=true]", function (button) {
      var target = document.getElementById(button.getAttribute("data-xc-toggle"));
      var inside = target && target.contains(document.activeElement);
      setOpen(button, false);
      if (inside) { button.focus(); }
    });
  }

  /* Feedback page: hide entries that do not contain every word typed; groups with no match hide too. */
  function filter(input) {
    var list = document.getElementById(input.getAttribute("data-xc-filter"));
    if (!list) { return; }
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(list.querySelectorAll("[data-xc-filter-group]"), function (group) {
      var groupShown = 0;
      Array.prototype.forEach.call(group.querySelectorAll("[data-xc-filter-text]"), function (item) {
        var text = item.getAttribute("data-xc-filter-text").toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) { groupShown += 1; }
      });
      group.hidden = groupShown === 0;
      shown += groupShown;
    });
    var status = input.parentNode.querySelector("[data-xc-filter-status]");
    if (status) {
      status.textContent = words.length ? (shown ? "找到 " + shown + " 个单位" : "没有符合条件的单位") : "";
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-xc-font")) { setFont(target.getAttribute("data-xc-font")); }
    else if (target.hasAttribute("data-xc-care")) { toggleCare(); }
    else if (target.hasAttribute("data-xc-print")) { window.print(); }
    else if (target.hasAttribute("data-xc-toggle")) { toggle(target); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeFolds(); }
  });

  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-xc-filter")) { filter(event.target); }
  });

  showFont(root.getAttribute("data-font") || "m");
  showCare(root.getAttribute("data-care") === "on");
  each("[data-xc-filter]", function (input) { if (input.value) { filter(input); } });
})();
