// Relais on every page: Quick exit, the service worker (written by Workbox at build time), "Save for offline" on
// city pages, the "Offline content" page and the offline stamp. Strings come from the page (data-relais-*
// attributes written by the templates, in the page's language); nothing here is translated.
(function () {
  "use strict";
  var script = document.currentScript;
  var settings = script ? script.dataset : {};
  var language = document.documentElement.lang || "fr";
  var CITIES_KEY = "relais-offline-cities";
  var PRECACHE_KEY = "relais-offline-precache-" + language;

  // --- Quick exit -----------------------------------------------------------------------------------------
  // location.replace: the sensitive page leaves the history, so Back does not bring it back.
  function quickExit() {
    window.location.replace(settings.relaisQuickExitUrl || "https://www.google.com/");
  }

  function setUpQuickExit() {
    var button = document.querySelector("[data-quick-exit]");
    if (!button) return;
    if (document.querySelector("[data-relais-sensitive]")) button.hidden = false; // service pages mark their body
    if (button.hidden) return;
    button.addEventListener("click", quickExit);
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var now = Date.now();
      presses = presses.filter(function (at) { return now - at < 2000; });
      presses.push(now);
      if (presses.length >= 3) quickExit();
    });
  }

  // --- Small helpers ------------------------------------------------------------------------------------------
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function dateText(iso) {
    try {
      return new Date(iso).toLocaleDateString(language, { year: "numeric", month: "long", day: "numeric" });
    } catch (error) {
      return iso.slice(0, 10);
    }
  }

  function sizeText(bytes) {
    var megabytes = bytes >= 1024 * 1024;
    var value = megabytes ? bytes / (1024 * 1024) : Math.max(1, Math.round(bytes / 1024));
    var format = new Intl.NumberFormat(language, {
      style: "unit",
      unit: megabytes ? "megabyte" : "kilobyte",
      maximumFractionDigits: megabytes ? 1 : 0,
    });
    return format.format(value);
  }

  function readJSON(key, fallback) {
    try {
      return JSON.parse(window.localStorage.getItem(key)) || fallback;
    } catch (error) {
      return fallback;
    }
  }

  function writeJSON(key, value) {
    window.localStorage.setItem(key, JSON.stringify(value));
  }

  var supported = "serviceWorker" in navigator && "caches" in window && !!settings.relaisSw;
  var workerUrl = settings.relaisSw ? new URL(settings.relaisSw, document.baseURI) : null;
  var languageRoot = workerUrl ? new URL("./", workerUrl) : null;

  // The build's version, asked of the network each time (never from a cache): a new build refreshes saved cities.
  function currentBuild() {
    return fetch(new URL("hors-ligne.json", languageRoot), { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("no build version");
      return response.json();
    });
  }

  // --- Saved cities -------------------------------------------------------------------------------------------
  function cacheName(page, version) {
    return "relais-city-" + version + "-" + page.replace(/[^a-z0-9]+/gi, "-");
  }

  function saveCity(listUrl, onProgress) {
    return Promise.all([
      fetch(listUrl, { cache: "no-store" }).then(function (r) {
        if (!r.ok) throw new Error("no save list");
        return r.json();
      }),
      currentBuild(),
    ]).then(function (found) {
      var list = found[0];
      var build = found[1];
      var name = cacheName(list.page, build.version);
      var done = 0;
      onProgress(done, list.urls.length);
      return caches.open(name).then(function (cache) {
        var queue = list.urls.slice();
        function worker() {
          var url = queue.shift();
          if (!url) return Promise.resolve();
          return cache.add(new Request(url, { cache: "no-store" })).then(function () {
            done += 1;
            onProgress(done, list.urls.length);
            return worker();
          });
        }
        return Promise.all([worker(), worker(), worker(), worker()]);
      }).then(function () {
        var previous = readJSON(CITIES_KEY, {})[list.page];
        return previous && previous.cache !== name ? caches.delete(previous.cache) : false;
      }).then(function () {
        var cities = readJSON(CITIES_KEY, {});
        cities[list.page] = {
          name: list.name,
          page: list.page,
          list: new URL(listUrl, document.baseURI).pathname,
          urls: list.urls,
          bytes: list.bytes,
          cache: name,
          version: build.version,
          language: language,
          date: new Date().toISOString(),
        };
        writeJSON(CITIES_KEY, cities);
        return cities[list.page];
      });
    });
  }

  function removeCity(page) {
    var cities = readJSON(CITIES_KEY, {});
    var saved = cities[page];
    delete cities[page];
    writeJSON(CITIES_KEY, cities);
    return saved ? caches.delete(saved.cache) : Promise.resolve(false);
  }

  function setUpSavePanel() {
    var panel = document.querySelector("[data-relais-offline-save]");
    if (!panel || !supported) return;
    var save = panel.querySelector("[data-offline-save]");
    var remove = panel.querySelector("[data-offline-remove]");
    var status = panel.querySelector("[data-relais-offline-status]");
    var listUrl = new URL(panel.dataset.relaisList, document.baseURI).href;
    var page = new URL(".", listUrl).pathname;
    panel.hidden = false;

    function showSaved(record) {
      status.textContent = fill(panel.dataset.relaisSaved, { date: dateText(record.date), size: sizeText(record.bytes) });
      remove.hidden = false;
    }
    var known = readJSON(CITIES_KEY, {})[page];
    if (known) showSaved(known);

    save.addEventListener("click", function () {
      save.disabled = true;
      panel.setAttribute("aria-busy", "true");
      saveCity(listUrl, function (done, total) {
        status.textContent = fill(panel.dataset.relaisSaving, { done: done, total: total });
      })
        .then(showSaved, function () {
          status.textContent = panel.dataset.relaisFailed;
        })
        .then(function () {
          save.disabled = false;
          panel.removeAttribute("aria-busy");
        });
    });
    remove.addEventListener("click", function () {
      removeCity(page).then(function () {
        status.textContent = panel.dataset.relaisRemoved;
        remove.hidden = true;
      });
    });
  }

  // After a new build: saved cities are saved again from the network, into a cache named after the new version,
  // and the old cache is deleted. Workbox does the same for the precache.
  function refreshSavedCities(build) {
    var cities = readJSON(CITIES_KEY, {});
    Object.keys(cities).forEach(function (page) {
      var saved = cities[page];
      if (saved.language !== language || saved.version === build.version) return;
      saveCity(saved.list, function () {}).catch(function () {});
    });
  }

  function recordPrecache(build) {
    var known = readJSON(PRECACHE_KEY, null);
    if (known && known.version === build.version) return;
    writeJSON(PRECACHE_KEY, {
      version: build.version,
      files: build.precache.files,
      bytes: build.precache.bytes,
      date: new Date().toISOString(),
    });
  }

  function setUpWorker() {
    if (!supported) return;
    navigator.serviceWorker.register(workerUrl.href, { scope: languageRoot.pathname }).catch(function () {});
    if (!navigator.onLine) return;
    navigator.serviceWorker.ready
      .then(currentBuild)
      .then(function (build) {
        recordPrecache(build);
        refreshSavedCities(build);
        showOfflineContent();
      })
      .catch(function () {});
  }

  // --- Offline stamp: next to the verification or review stamp ---------------------------------------------
  function savedOn() {
    var path = window.location.pathname;
    var cities = readJSON(CITIES_KEY, {});
    for (var page in cities) {
      if (cities[page].urls.indexOf(path) >= 0) return cities[page].date;
    }
    var precache = readJSON(PRECACHE_KEY, null);
    return precache ? precache.date : null;
  }

  function showOfflineStamp() {
    if (navigator.onLine || document.querySelector("[data-relais-offline-page]")) return;
    var day = savedOn();
    var stamp = document.createElement("p");
    stamp.className = "relais-offline-stamp";
    stamp.setAttribute("role", "status");
    stamp.setAttribute("data-relais-offline-stamp", "");
    var text = settings.relaisOfflineNow || "";
    if (day) text += " — " + fill(settings.relaisSavedOn || "", { date: dateText(day) });
    stamp.textContent = text;
    var next = document.querySelector(".relais-verified, .relais-banner--reviewed, .relais-banner--draft");
    if (next) {
      next.parentNode.insertBefore(stamp, next.nextSibling);
    } else {
      var content = document.querySelector(".md-content__inner") || document.body;
      content.insertBefore(stamp, content.firstChild);
    }
  }

  // --- The "Offline content" page -----------------------------------------------------------------------------
  function showOfflineContent() {
    var box = document.querySelector("[data-relais-offline-content]");
    if (!box) return;
    if (!supported) {
      box.querySelector("[data-relais-offline-unsupported]").hidden = false;
      return;
    }
    var automatic = box.querySelector("[data-relais-offline-automatic]");
    var precache = readJSON(PRECACHE_KEY, null);
    automatic.textContent = precache
      ? fill(automatic.dataset.relaisTemplate, {
          count: precache.files,
          size: sizeText(precache.bytes),
          date: dateText(precache.date),
        })
      : automatic.dataset.relaisPending;
    var list = box.querySelector("[data-relais-offline-cities]");
    var none = box.querySelector("[data-relais-offline-none]");
    var cities = readJSON(CITIES_KEY, {});
    list.textContent = "";
    Object.keys(cities).sort().forEach(function (page) {
      var saved = cities[page];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = saved.page;
      link.textContent = saved.name;
      link.lang = saved.language;
      var detail = document.createElement("span");
      detail.textContent = " — " + fill(list.dataset.relaisTemplate, { date: dateText(saved.date), size: sizeText(saved.bytes) }) + " ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "md-button";
      remove.setAttribute("data-offline-remove", "");
      remove.textContent = list.dataset.relaisRemove;
      remove.addEventListener("click", function () {
        removeCity(page).then(showOfflineContent);
      });
      item.append(link, detail, remove);
      list.appendChild(item);
    });
    none.hidden = Object.keys(cities).length > 0;
    var total = box.querySelector("[data-relais-offline-total]");
    if (navigator.storage && navigator.storage.estimate) {
      navigator.storage.estimate().then(function (estimate) {
        total.textContent = fill(total.dataset.relaisTemplate, { size: sizeText(estimate.usage || 0) });
      });
    }
  }

  function start() {
    setUpQuickExit();
    setUpWorker();
    setUpSavePanel();
    showOfflineStamp();
    showOfflineContent();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
