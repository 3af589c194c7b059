/* Reading aids (font size, 关怀 mode, 朗读), the phone header's 搜索 and 菜单, and the feedback filter. Small,
   dependency-free; every page works without it. */
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

  /* 朗读: the notice read aloud by the browser's own speech synthesis (Web Speech API; nothing leaves the browser),
     in a Chinese voice, block by block in document order, the block being read marked on the page. Only the parts
     marked data-xc-read are read: the title, corrections and the notice's own text (not the site's summaries,
     marked data-xc-noread).
     The control shows only where the browser has a Chinese voice on the device. Hand-written: no library does this in a few lines
     without a server or another host. */
  var speech = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;
  var readers = document.querySelectorAll("[data-xc-reader]");
  var reading = null; /* {queue, index, generation, paused} while reading */
  var generation = 0;
  var CHUNK = 120; /* characters an utterance holds at most: some engines stop long ones part way */

  function chineseVoice() {
    var voices = speech.getVoices() || [];
    var rank = function (voice) {
      var lang = String(voice.lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn" || lang.indexOf("zh-hans") === 0) { return 3; }
      if (lang === "zh" || lang === "cmn-cn" || lang.indexOf("cmn") === 0) { return 2; }
      return lang.indexOf("zh") === 0 ? 1 : 0;
    };
    var best = null;
    for (var i = 0; i < voices.length; i += 1) {
      /* Only a voice of the device itself: a network voice would send the text to another host. */
      if (voices[i].localService !== false && rank(voices[i]) > (best ? rank(best) : 0)) { best = voices[i]; }
    }
    return best;
  }

  function isBlock(element) {
    return getComputedStyle(element).display.indexOf("inline") !== 0;
  }

  /* The text of the marked parts as [block element, text] in document order: text nodes grouped by their nearest
     block ancestor, so that a heading is read with its status word, and a paragraph as one piece. */
  function textBlocks() {
    var blocks = [];
    each("[data-xc-read]", function (part) {
      var walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
      var last = null;
      while (walker.nextNode()) {
        var node = walker.currentNode;
        var element = node.parentElement;
        if (!node.textContent.trim() || element.closest("[data-xc-noread], [aria-hidden=true], button, script, style") ||
            !element.getClientRects().length) { continue; }
        var block = element;
        while (block !== part && !isBlock(block)) { block = block.parentElement; }
        if (last && last[0] === block) { last[1] += node.textContent; }
        else { last = [block, node.textContent]; blocks.push(last); }
      }
    });
    var pieces = [];
    blocks.forEach(function (entry) {
      var text = entry[1].replace(/\s+/g, " ").trim();
      while (text.length > CHUNK) {
        var cut = Math.max(text.lastIndexOf("。", CHUNK), text.lastIndexOf("；", CHUNK), text.lastIndexOf("，", CHUNK));
        cut = cut > 0 ? cut + 1 : CHUNK;
        pieces.push([entry[0], text.slice(0, cut)]);
        text = text.slice(cut).trim();
      }
      if (text) { pieces.push([entry[0], text]); }
    });
    return pieces;
  }

  function mark(element) {
    each(".xc-reading", function (old) { old.classList.remove("xc-reading"); });
    if (!element) { return; }
    element.classList.add("xc-reading");
    var box = element.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) { element.scrollIntoView({block: "center"}); }
  }

  function showReader(state) {
    Array.prototype.forEach.call(readers, function (group) {
      var main = group.querySelector("[data-xc-read-main]");
      main.textContent = state === "reading" ? "暂停" : state === "paused" ? "继续" : "朗读";
      group.querySelector("[data-xc-read-stop]").hidden = state === "idle";
    });
  }

  function speakNext() {
    var current = reading;
    if (!current) { return; }
    if (current.index >= current.queue.length) { stopReading(); return; }
    var piece = current.queue[current.index];
    var utterance = new Utterance(piece[1]);
    var voice = chineseVoice();
    utterance.lang = voice ? voice.lang : "zh-CN";
    if (voice) { utterance.voice = voice; }
    utterance.onend = function () {
      if (reading !== current || current.generation !== generation) { return; }
      current.index += 1;
      speakNext();
    };
    utterance.onerror = function (event) {
      if (reading === current && current.generation === generation && event.error !== "interrupted" &&
          event.error !== "canceled") { stopReading(); }
    };
    mark(piece[0]);
    speech.speak(utterance);
  }

  function startReading() {
    generation += 1;
    speech.cancel();
    reading = {queue: textBlocks(), index: 0, generation: generation, paused: false};
    showReader("reading");
    speakNext();
  }

  function stopReading() {
    generation += 1;
    reading = null;
    speech.cancel();
    mark(null);
    showReader("idle");
  }

  function readButton() {
    if (!reading) { startReading(); }
    else if (reading.paused) { reading.paused = false; speech.resume(); showReader("reading"); }
    else { reading.paused = true; speech.pause(); showReader("paused"); }
  }

  function offerReader() {
    var available = Boolean(chineseVoice());
    Array.prototype.forEach.call(readers, function (group) { group.hidden = !available; });
    if (!available && reading) { stopReading(); }
  }

  if (readers.length && speech && Utterance) {
    offerReader();
    if (speech.addEventListener) { speech.addEventListener("voiceschanged", offerReader); }
    /* Speech outlives the page in some browsers: stop it when the reader leaves. */
    window.addEventListener("pagehide", function () { if (reading) { stopReading(); } });
  }

  /* Feedback page: hide entries that do not contain every word typed; groups with no match hide too, folded groups
     with a match open (and fold back as they were when the box is emptied). */
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
      var fold = group.querySelector("[data-xc-filter-fold]");
      if (fold) {
        if (!fold.hasAttribute("data-xc-was-open")) { fold.setAttribute("data-xc-was-open", String(fold.open)); }
        fold.open = words.length ? groupShown > 0 : fold.getAttribute("data-xc-was-open") === "true";
      }
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
    else if (target.hasAttribute("data-xc-read-main")) { readButton(); }
    else if (target.hasAttribute("data-xc-read-stop")) { stopReading(); }
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
