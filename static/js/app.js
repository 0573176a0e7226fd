// fincoach front-end glue: live notifications over WebSocket (with HTMX polling as the fallback), toasts.
(function () {
  "use strict";

  var TOAST_MS = 8000;

  function toast(title, body, level) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "toast show align-items-center border-0 text-bg-" + (level || "primary");
    el.setAttribute("role", level === "danger" ? "alert" : "status");
    var inner = document.createElement("div");
    inner.className = "d-flex";
    var text = document.createElement("div");
    text.className = "toast-body";
    var strong = document.createElement("strong");
    strong.textContent = title;
    text.appendChild(strong);
    if (body) { text.appendChild(document.createElement("br")); text.appendChild(document.createTextNode(body)); }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { el.remove(); });
    inner.appendChild(text); inner.appendChild(close); el.appendChild(inner);
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, TOAST_MS);
  }
  window.fincoachToast = toast;

  function setCount(n) {
    var badge = document.getElementById("bell-count");
    if (!badge) return;
    var number = badge.querySelector(".bell-number");
    if (number) number.textContent = n;
    badge.setAttribute("data-count", n);
    badge.classList.toggle("d-none", !n);
  }

  function addToBell(event) {
    var list = document.getElementById("bell-list");
    // The bell may have been re-rendered with this notification already in it.
    if (!list || !event.html || list.querySelector('[data-notification-id="' + event.id + '"]')) return;
    var empty = list.querySelector(".bell-empty");
    if (empty) empty.remove();
    list.insertAdjacentHTML("afterbegin", event.html);
    if (window.htmx) window.htmx.process(list.firstElementChild);
  }

  function onEvent(event) {
    if (typeof event.unread === "number") setCount(event.unread);
    if (event.kind === "notification") {
      addToBell(event);
      toast(event.title, event.body, event.priority >= 30 ? "danger" : "primary");
    }
    document.body.dispatchEvent(new CustomEvent("fincoach:event", { detail: event }));
  }

  var retry = 1000;
  function connect() {
    var bell = document.getElementById("bell");
    if (!bell || !("WebSocket" in window)) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + bell.getAttribute("data-ws-url"));
    socket.onopen = function () { window.fincoachSocketOpen = true; retry = 1000; document.body.setAttribute("data-live", "on"); };
    socket.onmessage = function (msg) {
      var event;
      try { event = JSON.parse(msg.data); } catch (e) { return; }  // not ours: ignore
      onEvent(event);
    };
    socket.onclose = function () {
      window.fincoachSocketOpen = false;
      document.body.setAttribute("data-live", "off");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 60000);
    };
  }
  window.fincoachSocketOpen = false;

  document.addEventListener("DOMContentLoaded", function () {
    connect();
    // Messages rendered by the server fade out like live ones.
    document.querySelectorAll('#toasts [data-autohide="true"]').forEach(function (el) {
      setTimeout(function () { el.remove(); }, TOAST_MS);
    });
  });

  // Server responses to HTMX requests ask for toasts with `HX-Trigger: {"fincoach:toast": {...}}`.
  document.addEventListener("fincoach:toast", function (e) {
    var detail = e.detail || {};
    toast(detail.message || "", "", detail.level || "success");
  });

  // A notification was just sent to us; without a live socket, fetch the bell instead of waiting for the poll.
  document.addEventListener("fincoach:notification-sent", function () {
    if (!window.fincoachSocketOpen) document.body.dispatchEvent(new CustomEvent("fincoach:refresh-bell"));
  });

  // Text copied from a "copy" button (API keys, invitation links, backup codes).
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.value || source.textContent.trim()).then(function () {
      button.textContent = "Copied";
    });
  });

  // Amounts hidden in privacy mode are revealed on demand.
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest(".privacy-mode .amount");
    if (el) el.classList.toggle("revealed");
  });
})();
