// Writes one service worker per language with Workbox's generateSW, from the plan relais.site.offline writes.
// Usage: node build-sw.mjs PLAN.json  ->  prints {"<language>": {"warnings": [...]}}.
// All caching behaviour is Workbox's; the only code of ours is the offline fallback below, a Workbox plugin.
import { readFileSync } from "node:fs";
import { generateSW } from "workbox-build";

const plan = JSON.parse(readFileSync(process.argv[2], "utf-8"));

// When the network fails: a copy the reader saved (a city, in a cache of its own), else for a page the offline
// page of the language the address belongs to. Built as source text because Workbox copies the plugin's source.
function offlineFallback(offlinePages) {
  const source = `return {
    handlerDidError: async ({ request }) => {
      const saved = await caches.match(request, { ignoreSearch: true });
      if (saved || request.mode !== "navigate") return saved;
      const pages = ${JSON.stringify(offlinePages)};
      const path = new URL(request.url).pathname;
      const prefix = Object.keys(pages).sort((a, b) => b.length - a.length).find((p) => path.startsWith(p));
      return caches.match(pages[prefix], { ignoreSearch: true });
    },
  };`;
  return new Function(source)();
}

const results = {};
for (const worker of plan.workers) {
  // The precache list comes with its revisions (content hashes) from relais.site.offline: no glob over the site,
  // whose size grows with the directory while the precache does not.
  const { warnings } = await generateSW({
    mode: "production",
    sourcemap: false,
    // Workbox adds additionalManifestEntries only when it has a globDirectory; it globs nothing here.
    globDirectory: plan.site_dir,
    globPatterns: [],
    additionalManifestEntries: worker.entries,
    swDest: worker.sw_dest,
    cacheId: `relais-${worker.language}`,
    // Versioned caches: a new build's worker precaches the new files, then removes the old ones.
    cleanupOutdatedCaches: true,
    skipWaiting: true,
    clientsClaim: true,
    inlineWorkboxRuntime: false,
    // Pagefind adds ?ts= to its entry file; the header search form adds ?q= to the search page.
    ignoreURLParametersMatching: [/^ts$/, /^q$/, /^utm_/],
    directoryIndex: "index.html",
    runtimeCaching: [
      {
        urlPattern: ({ sameOrigin }) => sameOrigin,
        handler: "NetworkOnly",
        options: { plugins: [offlineFallback(plan.offline_pages)] },
      },
    ],
  });
  results[worker.language] = { warnings };
}
process.stdout.write(JSON.stringify(results));
