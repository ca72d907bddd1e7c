// Relais search page: start the search from ?q= so the header form and shared links land on results.
(function () {
  "use strict";
  var query = new URLSearchParams(window.location.search).get("q");
  if (!query) return;
  var attempts = 0;
  function fill() {
    var input = document.querySelector("[data-relais-search] pagefind-input input");
    if (!input) {
      attempts += 1;
      if (attempts < 200) window.requestAnimationFrame(fill); // the custom element renders its input later
      return;
    }
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("DOMContentLoaded", fill);
})();
