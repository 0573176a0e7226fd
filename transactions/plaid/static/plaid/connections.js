// Plaid Link on the Connections page: "Connect a bank", and "Fix connection" / "Add accounts" (Link update mode).
// The server creates the Link token; the public token goes back to the server, which exchanges it.
(function () {
  "use strict";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function toast(title, body, level) {
    if (window.fincoachToast) window.fincoachToast(title, body, level);
  }

  function postJson(url) {
    return fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "The server refused the request.");
          return body;
        });
      });
  }

  function openLink(button, onSuccess) {
    if (!window.Plaid) { toast("Plaid Link could not be loaded", "Check your connection and reload the page.", "danger"); return; }
    button.disabled = true;
    postJson(button.dataset.linkTokenUrl).then(function (body) {
      var handler = window.Plaid.create({
        token: body.link_token,
        onSuccess: function (publicToken, metadata) { onSuccess(publicToken, metadata); handler.destroy(); },
        onExit: function (error) {
          if (error) toast("Plaid Link closed", error.display_message || error.error_message || "", "warning");
          handler.destroy();
        }
      });
      handler.open();
    }).catch(function (error) {
      toast("Could not start Plaid Link", error.message, "danger");
    }).finally(function () { button.disabled = false; });
  }

  function send(url, target, swap, values) {
    window.htmx.ajax("POST", url, { target: target, swap: swap, values: values || {}, headers: { "X-CSRFToken": csrfToken() } });
  }

  document.addEventListener("click", function (event) {
    var connect = event.target.closest("[data-plaid-connect]");
    if (connect) {
      openLink(connect, function (publicToken) {
        send(connect.dataset.exchangeUrl, "#connections", "innerHTML", { public_token: publicToken });
      });
      return;
    }
    var fix = event.target.closest("[data-plaid-fix]");
    if (fix) {
      openLink(fix, function () { send(fix.dataset.repairedUrl, fix.dataset.target, "outerHTML"); });
    }
  });
})();
