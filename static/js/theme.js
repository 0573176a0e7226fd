// Applied before first paint: the user's choice, or the system's when they chose "system".
(function () {
  var root = document.documentElement;
  var choice = root.getAttribute("data-theme-choice") || "system";
  function apply() {
    var dark = choice === "dark" || (choice === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    root.setAttribute("data-bs-theme", dark ? "dark" : "light");
  }
  apply();
  if (choice === "system" && window.matchMedia) {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", apply);
  }
})();
