// Relais search page. Runs before Pagefind's component UI (the template lists it first; deferred and module
// scripts run in document order):
// 1. Make the bundle path absolute. Pagefind imports `<bundle-path>pagefind.js` from its own module, so a relative
//    path resolves against /pagefind/, not against the page: "../../pagefind/" on /relais/en/recherche/ would load
//    /pagefind/pagefind.js, outside the site. Resolved against the page, it works at any mount point.
// 2. Start the search from ?q= so the header form and shared links land on results.
(function () {
  "use strict";
  var config = document.querySelector("[data-relais-search] pagefind-config[bundle-path]");
  if (config) {
    config.setAttribute("bundle-path", new URL(config.getAttribute("bundle-path"), document.baseURI).pathname);
  }
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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fill);
  } else {
    fill();
  }
})();
