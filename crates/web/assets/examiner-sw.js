// grille's service worker for the examiner's pages: a page opened once
// (the list of candidates, a scoring form with its rubric, the scripts and
// stylesheets) can be opened again without a connection, e.g. a reload
// during an oral exam when the network drops. Network first: a page is
// always fetched fresh when the server answers, and the copy is only a
// fallback. Nothing is cached for the API (marks travel through the
// form's journal in localStorage, never through this cache) and nothing
// but GET. The copy is deleted at logout (see session-end.js).
"use strict";
var CACHE = "grille-examiner-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function cacheable(request) {
  if (request.method !== "GET") {
    return false;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return false;
  }
  return url.pathname === "/examiner" || url.pathname.indexOf("/examiner/") === 0 || url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!cacheable(request)) {
    return;
  }
  event.respondWith(
    fetch(request).then(function (response) {
      // Only whole pages and files: never a redirect to the login page.
      if (response.ok && response.type === "basic") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (found) {
        return found || Promise.reject(new TypeError("offline and not kept"));
      });
    })
  );
});
