/*
 * Touchpoint pixel (docs/WIRE-FORMATS.md, "The pixel"). Served at /pixel/<pixelKey>.js (and under the first-party prefix); the server writes the
 * workspace's pixel key and domains and the path beacons go to into the placeholders at the end (arguments, so that
 * minification keeps them). Plain JavaScript, no dependencies; minified by the build.
 * Every entry point is wrapped so that nothing ever throws into the host page.
 */
try {
(function (w, d, KEY, DOMAINS, COLLECT) {
  'use strict';
  var TOKEN_NAME = '_tp_vt';
  var SERVER_NAME = '_tp_id'; // set by /collect's answer (VisitorCookie): never written here, so never capped as a script's
  var TOKEN_MAX_AGE = 34186000; // about 13 months, in seconds
  var OVERRIDE = 'comet_token_override';
  var CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id', 'twclid'];
  var SKIP = /pass|card|cc-|ccnum|cvc|cvv|csc|expir|secret|token|csrf|xsrf|nonce|captcha|ssn|iban|pin\b/i;

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

  // the first valid of: the landing URL's override (u), the server's cookie (s), the script's cookie (c), the
  // localStorage copy (l), a new one (n); where it came from goes with every beacon (ts) for the recognition report
  var params = new URLSearchParams(location.search);
  var found = [[params.get(OVERRIDE), 'u'], [readCookie(SERVER_NAME), 's'], [readCookie(TOKEN_NAME), 'c'], [storage(), 'l']];
  var token, source = 'n';
  for (var f = 0; f < found.length && source == 'n'; f++) {
    if (valid(found[f][0])) {
      token = found[f][0];
      source = found[f][1];
    }
  }
  if (!token) token = newToken();
  try { writeCookie(token); } catch (e) { /* cookies blocked: localStorage still holds it */ }
  storage(token);

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

  function beacon(type, extra) {
    var body = {
      type: type, token: token, ts: source, url: location.href, ref: d.referrer, title: d.title,
      params: campaignParams(), cookies: cookies(),
      screen: (w.screen ? screen.width + 'x' + screen.height : ''), lang: navigator.language
    };
    try { body.tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { /* none */ }
    for (var k in extra) body[k] = extra[k];
    getFingerprint().then(function (fp) {
      body.fp = fp;
      send(body);
    }).catch(function () { /* never surfaces */ });
  }

  var lastUrl = location.href, lastRef = d.referrer;
  var pageView = safe(function (ref) {
    beacon('page_view', ref === undefined ? {} : {ref: ref});
  });

  var track = safe(function (name) {
    if (typeof name == 'string' && name) beacon('event', {name: name});
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
    if (found) beacon('identify', {person: person});
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
    if (!/^https?:$/.test(u.protocol) || u.hostname == location.hostname) return;
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
  w.cometToken = w.touchpointToken = safe(getToken, token);
  w.cometFingerprint = w.touchpointFingerprint = function () {
    try {
      return getFingerprint();
    } catch (e) {
      return Promise.resolve('');
    }
  };
  w.comet = w.touchpoint = track;

  // ---- Google Tag Manager ----
  safe(function () {
    var dl = w.dataLayer;
    if (!dl || typeof dl.push != 'function') return;
    dl.push({event: 'touchpoint_token', comet_token: token, touchpoint_token: token});
    getFingerprint().then(function (fp) {
      dl.push({event: 'touchpoint_fingerprint', comet_fingerprint: fp, touchpoint_fingerprint: fp});
    }).catch(function () { /* never surfaces */ });
  })();

  pageView();
})(window, document, '__TP_KEY__', '__TP_DOMAINS__', '__TP_COLLECT__');
} catch (e) { /* never into the host page */ }
