/*
 * Touchpoint pixel (docs/WIRE-FORMATS.md, "The pixel"). Served at /pixel/<pixelKey>.js (and under the first-party prefix); the server writes the
 * workspace's pixel key and domains, the path beacons go to and the visitor's consent until they choose ('granted' or
 * 'denied', the workspace's default) into the placeholders at the end (arguments, so that minification keeps them).
 * Plain JavaScript, no dependencies; minified by the build.
 * Every entry point is wrapped so that nothing ever throws into the host page.
 */
try {
(function (w, d, KEY, DOMAINS, COLLECT, CONSENT) {
  'use strict';
  var TOKEN_NAME = '_tp_vt';
  var SERVER_NAME = '_tp_id'; // set by /collect's answer (VisitorCookie): never written here, so never capped as a script's
  var TOKEN_MAX_AGE = 34186000; // about 13 months, in seconds
  var OVERRIDE = 'comet_token_override';
  var CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id', 'twclid'];
  var SKIP = /pass|card|cc-|ccnum|cvc|cvv|csc|expir|secret|token|csrf|xsrf|nonce|captcha|ssn|iban|pin\b/i;
  var SIGNALS = ['ad_storage', 'analytics_storage', 'ad_user_data', 'ad_personalization'];

  if (w.__touchpoint) return; // installed twice: the first copy wins
  w.__touchpoint = 1;

  function safe(f, fallback) {
    return function () {
      try {
        return f.apply(this, arguments);
      } catch (e) {
        return fallback;
      }
    };
  }

  var script = d.currentScript;
  var endpoint = '';
  try {
    endpoint = new URL(script && script.src ? script.src : '/', location.href).origin;
  } catch (e) { /* keep relative */ }

  // ---- visitor token: cookie on the registrable domain, localStorage as fallback ----
  function readCookie(name) {
    var m = d.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : null;
  }

  function writeCookie(value) {
    var base = TOKEN_NAME + '=' + value + '; path=/; max-age=' + TOKEN_MAX_AGE + '; SameSite=Lax'
      + (location.protocol == 'https:' ? '; Secure' : '');
    var host = location.hostname;
    var parts = host.split('.');
    // the shortest parent domain that accepts the cookie is the registrable domain; IPs and localhost take none
    if (!/^[0-9.]+$/.test(host) && host.indexOf(':') < 0) {
      for (var i = parts.length - 2; i > 0; i--) {
        var domain = parts.slice(i).join('.');
        d.cookie = base + '; domain=' + domain;
        if (readCookie(TOKEN_NAME) == value) return;
      }
    }
    d.cookie = base;
  }

  function storage(value) {
    try {
      if (value) localStorage.setItem(TOKEN_NAME, value);
      return localStorage.getItem(TOKEN_NAME);
    } catch (e) {
      return null;
    }
  }

  function valid(t) {
    return typeof t == 'string' && /^[A-Za-z0-9._-]{8,128}$/.test(t);
  }

  function newToken() {
    var a = new Uint8Array(16);
    (w.crypto || w.msCrypto).getRandomValues(a);
    var s = '';
    for (var i = 0; i < a.length; i++) s += (a[i] + 256).toString(16).slice(1);
    return 'tpv.' + s;
  }

  function deleteCookie(name) {
    var parts = location.hostname.split('.');
    for (var i = 0; i < parts.length; i++) {
      d.cookie = name + '=; path=/; max-age=0; domain=' + parts.slice(i).join('.');
    }
    d.cookie = name + '=; path=/; max-age=0';
  }

  // ---- consent: touchpoint('consent', {...}) and Google Consent Mode v2 in the dataLayer ----
  // what the page chose (touchpoint('consent') and Consent Mode updates) wins over Consent Mode defaults, which win
  // over the workspace's default for this visitor (CONSENT)
  var chosen = {}, defaults = {}, scanned = 0;

  function state(signal) {
    return chosen[signal] || defaults[signal] || (CONSENT == 'denied' ? 'denied' : 'granted');
  }

  function consentState() {
    var out = {};
    for (var i = 0; i < SIGNALS.length; i++) out[SIGNALS[i]] = state(SIGNALS[i]);
    return out;
  }

  function take(into, values) {
    if (!values || typeof values != 'object') return;
    for (var i = 0; i < SIGNALS.length; i++) {
      var v = values[SIGNALS[i]];
      if (v == 'granted' || v == 'denied') into[SIGNALS[i]] = v;
    }
  }

  // gtag('consent', 'default' | 'update', {...}) pushes its arguments object; a default for some regions only is
  // skipped, since the page cannot tell which region its visitor is in
  function readDataLayer() {
    var dl = w.dataLayer;
    if (!dl || typeof dl.length != 'number') return;
    for (; scanned < dl.length; scanned++) {
      var e = dl[scanned];
      if (!e || typeof e != 'object' || e[0] != 'consent' || !e[2] || typeof e[2] != 'object') continue;
      if (e[1] == 'update') take(chosen, e[2]);
      else if (e[1] == 'default' && !e[2].region) take(defaults, e[2]);
    }
  }

  // ---- visitor token: cookie on the registrable domain, localStorage as fallback; only with analytics_storage ----
  var token = null, source;

  // the first valid of: the landing URL's override (u), the server's cookie (s), the script's cookie (c), the
  // localStorage copy (l), a new one (n); where it came from goes with every beacon (ts) for the recognition report
  function startStoring() {
    var params = new URLSearchParams(location.search);
    var found = [[params.get(OVERRIDE), 'u'], [readCookie(SERVER_NAME), 's'], [readCookie(TOKEN_NAME), 'c'], [storage(), 'l']];
    source = 'n';
    for (var f = 0; f < found.length && source == 'n'; f++) {
      if (valid(found[f][0])) {
        token = found[f][0];
        source = found[f][1];
      }
    }
    if (!token) token = newToken();
    try { writeCookie(token); } catch (e) { /* cookies blocked: localStorage still holds it */ }
    storage(token);
  }

  // consent withdrawn: everything this pixel (and /collect's answer) stored goes
  function removeStored() {
    deleteCookie(TOKEN_NAME);
    deleteCookie(SERVER_NAME);
    try { localStorage.removeItem(TOKEN_NAME); } catch (e) { /* no storage */ }
  }

  // without analytics_storage the token is no longer used; what is stored is removed only when the page denied it
  // (a default that denies until a banner restores the visitor's earlier choice must not wipe it on every page)
  var removed = false;

  function applyConsent() {
    readDataLayer();
    if (state('analytics_storage') == 'granted') {
      removed = false;
      if (!token) {
        startStoring();
        announceToken();
      }
    } else {
      token = null;
      if (chosen.analytics_storage == 'denied' && !removed) {
        removed = true;
        removeStored();
      }
    }
  }

  function getToken() {
    return token;
  }

  // ---- fingerprint: stable browser traits, hashed ----
  var fingerprint;

  function traits() {
    var n = navigator, s = w.screen || {};
    var canvas = '';
    try {
      var c = d.createElement('canvas');
      var x = c.getContext('2d');
      x.textBaseline = 'top';
      x.font = '14px Arial';
      x.fillStyle = '#f60';
      x.fillRect(2, 2, 60, 20);
      x.fillStyle = '#069';
      x.fillText('Touchpoint,\ud83d\ude03', 4, 4);
      canvas = c.toDataURL();
    } catch (e) { /* no canvas */ }
    var tz = '';
    try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { /* none */ }
    return [n.userAgent, (n.languages || [n.language]).join(','), n.platform, n.hardwareConcurrency,
      n.deviceMemory, s.width + 'x' + s.height + 'x' + s.colorDepth, tz, n.maxTouchPoints, canvas].join('|');
  }

  function fnv(text) {
    var h1 = 0x811c9dc5, h2 = 0x01000193;
    for (var i = 0; i < text.length; i++) {
      h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619) >>> 0;
      h2 = Math.imul(h2 ^ text.charCodeAt(i), 2246822519) >>> 0;
    }
    return (h1.toString(16) + h2.toString(16)).padStart(16, '0');
  }

  function getFingerprint() {
    if (!fingerprint) {
      fingerprint = new Promise(function (resolve) {
        var text = traits();
        var subtle = w.crypto && w.crypto.subtle;
        if (!subtle) return resolve(fnv(text));
        subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buf) {
          resolve(Array.from(new Uint8Array(buf)).map(function (b) {
            return (b + 256).toString(16).slice(1);
          }).join(''));
        }, function () {
          resolve(fnv(text));
        });
      });
    }
    return fingerprint;
  }

  // ---- beacons ----
  function send(body) {
    var url = endpoint + COLLECT + '?key=' + encodeURIComponent(KEY);
    var text = JSON.stringify(body);
    var sent = false;
    try { sent = navigator.sendBeacon && navigator.sendBeacon(url, text); } catch (e) { sent = false; }
    if (!sent && w.fetch) {
      fetch(url, {method: 'POST', body: text, keepalive: true, mode: 'no-cors', credentials: 'include',
        headers: {'Content-Type': 'text/plain'}}).catch(function () { /* collector down: nothing to do */ });
    }
  }

  function campaignParams() {
    var out = {};
    var p = new URLSearchParams(location.search);
    p.forEach(function (v, k) {
      if (/^(utm_|comet_)/.test(k) && k != OVERRIDE || CLICK_IDS.indexOf(k) >= 0) out[k] = v.slice(0, 500);
    });
    return out;
  }

  function cookies() {
    var out = {}, fbp = readCookie('_fbp'), fbc = readCookie('_fbc'), ga = readCookie('_ga');
    if (fbp) out.fbp = fbp;
    if (fbc) out.fbc = fbc;
    if (ga) out.ga = ga;
    return out;
  }

  // without analytics_storage a beacon is cookieless: no token, no fingerprint, none of the platforms' cookies
  function beacon(type, extra) {
    applyConsent();
    var body = {
      type: type, url: location.href, ref: d.referrer, title: d.title, params: campaignParams(),
      screen: (w.screen ? screen.width + 'x' + screen.height : ''), lang: navigator.language, consent: consentState()
    };
    try { body.tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { /* none */ }
    for (var k in extra) body[k] = extra[k];
    if (!token) return send(body);
    body.token = token;
    body.ts = source;
    body.cookies = cookies();
    getFingerprint().then(function (fp) {
      body.fp = fp;
      send(body);
    }).catch(function () { /* never surfaces */ });
  }

  var lastUrl = location.href, lastRef = d.referrer;
  var pageView = safe(function (ref) {
    beacon('page_view', ref === undefined ? {} : {ref: ref});
  });

  var track = safe(function (name, values) {
    if (name == 'consent') {
      take(chosen, values);
      applyConsent();
    } else if (typeof name == 'string' && name) {
      beacon('event', {name: name});
    }
  });

  // ---- single-page-app navigation ----
  function navigated() {
    if (location.href == lastUrl) return;
    var ref = lastUrl;
    lastUrl = location.href;
    pageView(ref);
  }

  ['pushState', 'replaceState'].forEach(function (m) {
    var original = history[m];
    if (typeof original != 'function') return;
    history[m] = function () {
      var r = original.apply(this, arguments);
      safe(navigated)();
      return r;
    };
  });
  w.addEventListener('popstate', safe(navigated));

  // ---- form capture ----
  function kind(el) {
    var type = (el.type || '').toLowerCase();
    var id = [el.name, el.id, el.getAttribute('autocomplete'), el.getAttribute('placeholder')].join(' ').toLowerCase();
    if (type == 'password' || type == 'hidden' || type == 'file' || SKIP.test(id)) return null;
    if (type == 'email' || /e-?mail/.test(id)) return 'email';
    if (type == 'tel' || /phone|\btel\b|mobile|cell/.test(id)) return 'phone';
    if (/company|business|organi|user|login|account|file|domain|shop|store|product/.test(id)) return null;
    if (/first|fname|given/.test(id)) return 'first_name';
    if (/last|lname|surname|family/.test(id)) return 'last_name';
    if (/(^|[\s_-])name\b|full.?name|your.?name/.test(id)) return 'full_name';
    return null;
  }

  d.addEventListener('submit', safe(function (e) {
    var form = e.target, person = {}, found = false;
    if (!form || !form.elements) return;
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.value || el.tagName == 'BUTTON') continue;
      var k = kind(el);
      if (k && !person[k]) {
        person[k] = String(el.value).slice(0, 200);
        found = true;
      }
    }
    // without analytics_storage there is no visitor token for what was typed to join
    if (found && token) beacon('identify', {person: person});
  }), true);

  // ---- cross-domain decoration ----
  function domains() {
    var o = w.cometlyDomainOverrides;
    if (Array.isArray(o)) return o;
    return DOMAINS ? DOMAINS.split(',') : [];
  }

  function decorate(a) {
    if (!a || !a.href) return;
    var u = new URL(a.href, location.href);
    if (!token || !/^https?:$/.test(u.protocol) || u.hostname == location.hostname) return;
    var list = domains();
    for (var i = 0; i < list.length; i++) {
      var dm = String(list[i]).toLowerCase().replace(/^\.|:\d+$/g, '');
      if (dm && (u.hostname == dm || u.hostname.slice(-dm.length - 1) == '.' + dm)) {
        u.searchParams.set(OVERRIDE, token);
        a.href = u.href;
        return;
      }
    }
  }

  function onLink(e) {
    var a = e.target && e.target.closest ? e.target.closest('a') : null;
    decorate(a);
  }

  d.addEventListener('mousedown', safe(onLink), true);
  d.addEventListener('click', safe(onLink), true);
  d.addEventListener('touchstart', safe(onLink), {capture: true, passive: true});

  // ---- public API ----
  w.cometToken = w.touchpointToken = safe(getToken, null);
  w.cometFingerprint = w.touchpointFingerprint = function () {
    try {
      return getFingerprint();
    } catch (e) {
      return Promise.resolve('');
    }
  };
  w.comet = w.touchpoint = track;

  // ---- Google Tag Manager: the token and fingerprint, once there is a token ----
  function announceToken() {
    var dl = w.dataLayer;
    if (!dl || typeof dl.push != 'function') return;
    dl.push({event: 'touchpoint_token', comet_token: token, touchpoint_token: token});
    getFingerprint().then(function (fp) {
      dl.push({event: 'touchpoint_fingerprint', comet_fingerprint: fp, touchpoint_fingerprint: fp});
    }).catch(function () { /* never surfaces */ });
  }

  // a Consent Mode update pushed later applies at once (so that a withdrawal removes the cookie then), as well as
  // before the next beacon, in case a tag manager replaced push
  safe(function () {
    var dl = w.dataLayer;
    if (!dl || typeof dl.push != 'function') return;
    var push = dl.push;
    dl.push = function () {
      var r = push.apply(dl, arguments);
      safe(applyConsent)();
      return r;
    };
  })();
  safe(applyConsent)();

  pageView();
})(window, document, '__TP_KEY__', '__TP_DOMAINS__', '__TP_COLLECT__', '__TP_CONSENT__');
} catch (e) { /* never into the host page */ }
