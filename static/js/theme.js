// Applied before first paint: the user's choice (Settings → theme), or the system's when they chose "system".
(function () {
  var root = document.documentElement;
  var choice = root.getAttribute("data-theme-choice") || "system";
  var query = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function apply() {
    var dark = choice === "dark" || (choice === "system" && query !== null && query.matches);
    root.setAttribute("data-bs-theme", dark ? "dark" : "light");
  }
  apply();
  if (choice === "system" && query !== null) query.addEventListener("change", apply);
})();
