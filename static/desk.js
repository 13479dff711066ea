/* Agents' desk: ticked rows for bulk changes, keyboard shortcuts (with their help on "?"),
   moving from ticket to ticket, and the "is writing" signal of the presence poll.

   Shortcuts are single keys, so they never act while focus is in a field, never with Ctrl,
   Alt or Meta, and an agent can turn them off (kept in this browser's localStorage). */
(function () {
  "use strict";

  var SETTING = "helpdesk.shortcuts";
  var QUEUE = "helpdesk.queue";

  var announce = function (text) {
    var region = document.getElementById("annonces");
    if (!region) {
      return;
    }
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 100);
  };

  var each = function (selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  };

  /* ---- Ticked rows and the bulk bar ---- */

  var updateBulk = function () {
    var form = document.querySelector("[data-bulk-form]");
    if (!form) {
      return;
    }
    var boxes = document.querySelectorAll("[data-select-row]");
    var ticked = 0;
    each("[data-select-row]", function (box) {
      if (box.checked) {
        ticked += 1;
      }
    });
    var all = document.querySelector("[data-select-all]");
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    form.hidden = ticked === 0;
    form.classList.toggle("app-bulk--active", ticked > 0);
    var count = form.querySelector("[data-bulk-count]");
    if (count) {
      count.textContent = ticked === 0
        ? "Modifier les demandes cochées"
        : ticked + (ticked > 1 ? " demandes cochées" : " demande cochée");
    }
    return ticked;
  };

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches) {
      return;
    }
    if (target.matches("[data-select-all]")) {
      each("[data-select-row]", function (box) {
        box.checked = target.checked;
      });
    }
    if (target.matches("[data-select-row], [data-select-all]")) {
      var ticked = updateBulk();
      announce(ticked + (ticked > 1 ? " demandes cochées" : " demande cochée"));
    }
  });

  /* ---- The queue's rows: where j/k are, and what the ticket page moves through ---- */

  var rows = function () {
    return Array.prototype.slice.call(document.querySelectorAll("[data-ticket-row]"));
  };

  var rememberQueue = function () {
    var refs = rows().map(function (row) {
      return row.getAttribute("data-reference");
    });
    if (refs.length) {
      try {
        window.sessionStorage.setItem(QUEUE, JSON.stringify({ refs: refs, url: window.location.href }));
      } catch (e) {
        /* Storage may be disabled: moving between tickets then stays unavailable. */
      }
    }
  };

  var queueMemory = function () {
    try {
      return JSON.parse(window.sessionStorage.getItem(QUEUE) || "null");
    } catch (e) {
      return null;
    }
  };

  var currentRow = -1;

  var moveInQueue = function (step) {
    var list = rows();
    if (!list.length) {
      return;
    }
    currentRow = Math.max(0, Math.min(list.length - 1, currentRow + step));
    list.forEach(function (row, index) {
      row.classList.toggle("app-queue__row--current", index === currentRow);
    });
    var link = list[currentRow].querySelector("[data-ticket-link]");
    if (link) {
      link.focus();
    }
  };

  var moveBetweenTickets = function (step) {
    var page = document.querySelector("[data-ticket-reference]");
    var memory = queueMemory();
    if (!page || !memory) {
      announce("Ouvrez d’abord la file des demandes pour passer d’une demande à l’autre.");
      return;
    }
    var index = memory.refs.indexOf(page.getAttribute("data-ticket-reference"));
    var next = index === -1 ? -1 : index + step;
    if (next < 0 || next >= memory.refs.length) {
      announce(step > 0 ? "Dernière demande de la page de la file." : "Première demande de la page de la file.");
      return;
    }
    window.location.href = "/tickets/" + encodeURIComponent(memory.refs[next]);
  };

  document.addEventListener("DOMContentLoaded", function () {
    updateBulk();
    rememberQueue();
    syncToggle();
  });

  document.addEventListener("htmx:afterSettle", function () {
    currentRow = -1;
    updateBulk();
    rememberQueue();
  });

  /* ---- Keyboard shortcuts ---- */

  var enabled = function () {
    try {
      return window.localStorage.getItem(SETTING) !== "off";
    } catch (e) {
      return true;
    }
  };

  var syncToggle = function () {
    var toggle = document.getElementById("raccourcis-actifs");
    if (toggle) {
      toggle.checked = enabled();
    }
  };

  document.addEventListener("change", function (event) {
    if (event.target.id !== "raccourcis-actifs") {
      return;
    }
    try {
      window.localStorage.setItem(SETTING, event.target.checked ? "on" : "off");
    } catch (e) {
      /* Without storage the setting lasts until the page changes. */
    }
    announce(event.target.checked ? "Raccourcis clavier activés." : "Raccourcis clavier désactivés.");
  });

  var isTyping = function (element) {
    if (!element || !element.tagName) {
      return false;
    }
    return /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName) || element.isContentEditable;
  };

  var openHelp = function () {
    var opener = document.querySelector("[aria-controls='raccourcis'][data-fr-opened]");
    if (opener) {
      opener.click();
    }
  };

  var focusReply = function (asNote) {
    var body = document.querySelector("[data-shortcut-target='reply']");
    var note = document.querySelector("[data-shortcut-target='note']");
    if (!body) {
      return false;
    }
    if (note) {
      note.checked = asNote;
    }
    body.focus();
    announce(asNote ? "Note interne : écrivez votre note." : "Réponse au demandeur : écrivez votre message.");
    return true;
  };

  var focusSearch = function () {
    var field = document.getElementById("q") || document.getElementById("recherche-globale-q");
    if (!field) {
      return false;
    }
    if (field.id === "recherche-globale-q") {
      var opener = document.getElementById("bouton-recherche");
      if (opener && window.getComputedStyle(opener).display !== "none") {
        opener.click();
      }
    }
    field.focus();
    if (field.select) {
      field.select();
    }
    return true;
  };

  var actions = {
    "?": function () {
      openHelp();
      return true;
    },
    "/": focusSearch,
    j: function () {
      if (document.querySelector("[data-queue-table]")) {
        moveInQueue(1);
      } else {
        moveBetweenTickets(1);
      }
      return true;
    },
    k: function () {
      if (document.querySelector("[data-queue-table]")) {
        moveInQueue(-1);
      } else {
        moveBetweenTickets(-1);
      }
      return true;
    },
    x: function () {
      var row = rows()[currentRow];
      var box = row && row.querySelector("[data-select-row]");
      if (!box) {
        return false;
      }
      box.click();
      return true;
    },
    r: function () {
      return focusReply(false);
    },
    n: function () {
      return focusReply(true);
    },
    t: function () {
      var take = document.querySelector("[data-shortcut-target='take']");
      if (!take) {
        announce("Cette demande vous est déjà attribuée.");
        return true;
      }
      take.click();
      return true;
    },
    s: function () {
      var status = document.querySelector("[data-shortcut-target='status']");
      if (!status) {
        return false;
      }
      status.focus();
      return true;
    },
    u: function () {
      var memory = queueMemory();
      if (!document.querySelector("[data-ticket-reference]")) {
        return false;
      }
      window.location.href = memory ? memory.url : "/tickets";
      return true;
    }
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (isTyping(event.target) || document.querySelector("dialog[open]:not(#raccourcis)")) {
      return;
    }
    var action = actions[event.key];
    if (!action || !enabled()) {
      return;
    }
    if (action()) {
      event.preventDefault();
    }
  });

  /* ---- Presence: tell the others when the reply box holds a draft ---- */

  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("[data-shortcut-target='reply']")) {
      return;
    }
    var flag = document.getElementById("presence-redige");
    if (flag) {
      flag.value = event.target.value.trim() ? "1" : "0";
    }
  });
})();
