/* Small behaviours on top of htmx and DSFR. No inline handlers: everything is delegated here. */
(function () {
  "use strict";

  var liveRegion = function () {
    return document.getElementById("annonces");
  };

  var announce = function (text) {
    var region = liveRegion();
    if (!region || !text) {
      return;
    }
    // Clear first so that the same message is announced again.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 100);
  };

  var focusElement = function (el) {
    if (!el) {
      return;
    }
    if (!el.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  };

  var showAlert = function (kind, text) {
    var box = document.getElementById("messages");
    if (!box) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "fr-alert fr-alert--" + kind + " fr-alert--sm fr-mb-3w";
    alert.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "fr-btn--close fr-btn";
    close.title = "Masquer le message";
    close.textContent = "Masquer le message";
    close.setAttribute("data-dismiss-alert", "");
    alert.appendChild(p);
    alert.appendChild(close);
    box.appendChild(alert);
  };

  // Selects (or other fields) marked data-autosubmit submit their form on change; with
  // hx-get/hx-post on the form, htmx handles the submit event. Without JavaScript the
  // fallback button marked data-autosubmit-fallback stays visible.
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (!field || !field.form) {
      return;
    }
    if (typeof field.form.requestSubmit === "function") {
      field.form.requestSubmit();
    } else {
      field.form.submit();
    }
  });

  // The contact form words its questions for a parent or for a pupil: elements carrying
  // data-wording-parent / data-wording-eleve change their label when "Vous êtes" changes.
  function setWording(form, kind) {
    var pupil = kind === "eleve";
    form.querySelectorAll("[data-wording-parent]").forEach(function (holder) {
      var text = holder.getAttribute(pupil ? "data-wording-eleve" : "data-wording-parent");
      if (!text) {
        return;
      }
      var name = holder.getAttribute("data-wording-for");
      var target = name
        ? form.querySelector('label[for="' + name + '"], #' + name + "-legend")
        : holder;
      if (target && target.firstChild && target.firstChild.nodeType === 3) {
        target.firstChild.nodeValue = text;
      }
    });
    form.querySelectorAll("[data-parent-only]").forEach(function (element) {
      element.hidden = pupil;
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name === "requester_kind" && input.form && input.checked) {
      setWording(input.form, input.value);
    }
  });

  // Dismiss buttons of flash messages.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss-alert]");
    if (!button) {
      return;
    }
    var alert = button.closest(".fr-alert");
    if (alert) {
      alert.parentNode.removeChild(alert);
      focusElement(document.getElementById("contenu"));
    }
  });

  var hideFallbacks = function (root) {
    var buttons = (root || document).querySelectorAll("[data-autosubmit-fallback]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = true;
    });
  };

  document.addEventListener("DOMContentLoaded", function () {
    hideFallbacks(document);
    // E.g. the error summary of a form sent back with errors.
    focusElement(document.querySelector("[data-focus-on-load]"));
  });

  // After an htmx swap: move focus where the new content asks for it and announce
  // what the partial describes (e.g. <p data-announce="12 demandes trouvées">).
  document.addEventListener("htmx:afterSettle", function (event) {
    // Fired on each settled element: the target itself (innerHTML) or the new nodes.
    var scope = event.target && event.target.isConnected ? event.target : document;
    if (!scope.querySelector) {
      return;
    }
    hideFallbacks(scope);
    var focusTarget = scope.matches && scope.matches("[data-focus-after-swap]")
      ? scope
      : scope.querySelector("[data-focus-after-swap]");
    focusElement(focusTarget);
    var announcer = scope.matches && scope.matches("[data-announce]")
      ? scope
      : scope.querySelector("[data-announce]");
    if (announcer) {
      announce(announcer.getAttribute("data-announce") || announcer.textContent.trim());
    }
  });

  // Forms re-rendered with their errors come back as 422: swap them like a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The server may answer a failed htmx request with errors/_htmx_error.html: show that
  // alert; otherwise show a generic one.
  var serverAlert = function (xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") !== 0 || xhr.responseText.indexOf("data-htmx-error") === -1) {
      return null;
    }
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    return doc.querySelector("[data-htmx-error]");
  };

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var box = document.getElementById("messages");
    var alert = xhr ? serverAlert(xhr) : null;
    if (alert && box) {
      box.appendChild(document.importNode(alert, true));
      return;
    }
    var status = xhr ? xhr.status : 0;
    var text = status === 403
      ? "Action refusée : vos droits ne permettent pas cette opération, ou la session a expiré."
      : "La requête n’a pas abouti (erreur " + status + "). Rechargez la page puis réessayez.";
    showAlert("error", text);
  });

  // Canned replies and article links on a ticket: an element with data-insert-into (the id
  // of a textarea) and data-insert-text puts that text at the textarea's cursor, or after
  // its text when the agent has not placed the cursor yet. Such elements are links whose
  // href pre-fills the reply on the server when JavaScript is off.
  document.addEventListener("focusin", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      event.target.setAttribute("data-cursor-placed", "");
    }
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-insert-into]");
    if (!trigger) {
      return;
    }
    var field = document.getElementById(trigger.getAttribute("data-insert-into"));
    if (!field) {
      return;
    }
    event.preventDefault();
    var text = trigger.getAttribute("data-insert-text") || "";
    var value = field.value;
    var start = value.length;
    var end = value.length;
    if (field.hasAttribute("data-cursor-placed")) {
      start = field.selectionStart;
      end = field.selectionEnd;
    } else if (value.trim()) {
      text = (/\n$/.test(value) ? "\n" : "\n\n") + text;
    }
    field.setRangeText(text, start, end, "end");
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
    announce("Texte inséré dans la réponse.");
  });

  // The header's search preview closes with Escape or a click elsewhere.
  var closePreviews = function () {
    var inputs = document.querySelectorAll("[data-search-preview]");
    Array.prototype.forEach.call(inputs, function (input) {
      var preview = document.getElementById(input.getAttribute("data-search-preview"));
      if (preview) {
        preview.textContent = "";
      }
    });
  };

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Escape" && target.hasAttribute && target.hasAttribute("data-search-preview")) {
      closePreviews();
    }
  });

  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest(".app-search"))) {
      closePreviews();
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showAlert("error", "Le serveur ne répond pas. Vérifiez la connexion puis réessayez.");
  });
})();
