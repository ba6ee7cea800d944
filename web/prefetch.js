// Lookout's head script: while the wasm downloads and compiles, start config.json and each
// configured source's first API calls (its organization and its projects, which every route
// asks for first), with the token from the same storage the app uses. The app adopts these
// responses (`src/boot.rs`) and asks again itself when one is missing or failed. External and
// hashed, so a Content-Security-Policy without 'unsafe-inline' allows it; it does nothing once
// the app has started.
(function () {
  var w = window;
  if (w.__lookoutStarted || w.__lookoutBoot) return;
  var boot = (w.__lookoutBoot = { config: null, api: {}, ctl: {}, tok: {}, sent: [] });
  var read = function (store, key) {
    try {
      return w[store].getItem(key);
    } catch (e) {
      return null;
    }
  };
  boot.config = fetch(new URL("config.json", document.baseURI).href, { cache: "no-cache" });
  boot.config.catch(function () {});
  // Sources edited in the settings replace config.json's, and a link's token (#token=) is the
  // app's to take: both are left to the app.
  if (read("localStorage", "lookout.sources") || /[#&]token=/.test(location.hash)) return;
  // Settles once the API requests are on their way: the app waits for it before asking for
  // anything, so it never asks for what the script is about to ask for.
  boot.ready = boot.config
    .then(function (r) {
      return r.ok ? r.clone().json() : null;
    })
    .then(function (cfg) {
      var sources = cfg && Array.isArray(cfg.sources) ? cfg.sources.slice(0, 4) : [];
      sources.forEach(function (s) {
        if (!s || typeof s.url !== "string" || typeof s.org !== "string") return;
        // As the app normalises a source (SourceConfig::normalise, ::origin, tokens::key).
        var url = s.url.trim().replace(/\/+$/, "").replace(/\/api\/0$/, "");
        var m = /^(https?):\/\/([^\/?#]*)/i.exec(url.toLowerCase());
        var org = s.org.trim();
        if (!m || !org) return;
        var origin = m[1] + "://" + m[2].replace(/^.*@/, "");
        var key = "lookout.token." + String(s.name || "").trim() + "|" + origin;
        var token =
          read("sessionStorage", key) ||
          read("localStorage", key) ||
          (typeof s.token === "string" ? s.token : "");
        var headers = token.trim() ? { Authorization: "Bearer " + token } : {};
        var base = url + "/api/0/organizations/" + org + "/";
        [base, base + "projects/?per_page=100"].forEach(function (u) {
          if (boot.api[u]) return;
          var ctl = new AbortController();
          boot.ctl[u] = ctl;
          // The app adopts the answer only if it would have sent the same token.
          boot.tok[u] = token.trim() ? token : "";
          boot.api[u] = fetch(u, { headers: headers, credentials: "omit", signal: ctl.signal });
          boot.sent.push(u);
          boot.api[u].catch(function () {});
        });
      });
    })
    .catch(function () {});
})();
