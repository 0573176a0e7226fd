// fincoach front-end glue: live notifications over WebSocket (with HTMX polling as the fallback), toasts.
(function () {
  "use strict";

  function toast(title, body, level) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "toast show align-items-center border-0 text-bg-" + (level || "primary");
    el.setAttribute("role", "status");
    var inner = document.createElement("div");
    inner.className = "d-flex";
    var text = document.createElement("div");
    text.className = "toast-body";
    var strong = document.createElement("strong");
    strong.textContent = title;
    text.appendChild(strong);
    if (body) { text.appendChild(document.createElement("br")); text.appendChild(document.createTextNode(body)); }
    var close = document.createElement("button");
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { el.remove(); });
    inner.appendChild(text); inner.appendChild(close); el.appendChild(inner);
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, 8000);
  }
  window.fincoachToast = toast;

  function setCount(n) {
    var badge = document.getElementById("bell-count");
    if (!badge) return;
    badge.textContent = n;
    badge.setAttribute("data-count", n);
    badge.classList.toggle("d-none", !n);
  }

  function onEvent(event) {
    if (typeof event.unread === "number") setCount(event.unread);
    if (event.kind === "notification") {
      var list = document.getElementById("bell-list");
      if (list && event.html) {
        var empty = list.querySelector(".bell-empty");
        if (empty) empty.remove();
        list.insertAdjacentHTML("afterbegin", event.html);
        if (window.htmx) window.htmx.process(list.firstElementChild);
      }
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
    socket.onmessage = function (msg) { try { onEvent(JSON.parse(msg.data)); } catch (e) { /* ignore malformed */ } };
    socket.onclose = function () {
      window.fincoachSocketOpen = false;
      document.body.setAttribute("data-live", "off");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 60000);
    };
  }
  window.fincoachSocketOpen = false;
  document.addEventListener("DOMContentLoaded", connect);

  // Amounts hidden in privacy mode are revealed on demand.
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest(".privacy-mode .amount");
    if (el) el.classList.toggle("revealed");
  });
})();
