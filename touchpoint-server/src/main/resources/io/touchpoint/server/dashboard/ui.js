// Small DOM helpers. Text always goes in as text nodes, never as HTML, so data from events cannot inject markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let fieldIds = 0;

/** A labelled form field; returns [wrapper, control]. */
export function field(label, control, hint) {
  const id = control.id || 'f' + ++fieldIds;
  control.id = id;
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), control,
    hint ? h('p', { class: 'hint' }, hint) : null);
  return [wrap, control];
}

export function select(name, options, value) {
  return h('select', { name }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export function panel(title, ...children) {
  return h('section', { class: 'panel' }, title ? h('h2', {}, title) : null, ...children);
}

export function empty(title, text, ...actions) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), text ? h('p', {}, text) : null, ...actions);
}

/** What a page shows before the first workspace exists. */
export function noWorkspace() {
  return empty('No workspace yet', 'Create one on the Setup page first.', h('a', { href: '/dashboard/setup' }, 'Go to Setup'));
}

export function errorBox(e, retry) {
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Something went wrong. '), e.message || String(e),
    retry ? h('button', { type: 'button', class: 'link', onclick: retry }, 'Try again') : null);
}

/** What a page shows while a request is in flight: what it waits for, over grey bars in the shape of what comes. */
export function loading(text = 'Loading…', lines = 4) {
  return h('div', { class: 'skeleton', role: 'status', 'aria-busy': 'true' }, h('p', { class: 'loading' }, text),
    Array.from({ length: lines }, () => h('span', { class: 'skeleton-bar', 'aria-hidden': 'true' })));
}

/**
 * Inline errors of a form: each next to its field, found by {@code data-param} or by an id that is the parameter's name
 * with hyphens (time_zone → #time-zone; {@code aliases} for the others), the rest in {@code message}. {@code check()}
 * marks what the browser's own constraints refuse (required, min, max, e-mail…) and {@code extra} finds before
 * sending; {@code server(e)} marks what the API's error names ({@code error.param}, {@code error.details}).
 */
export function formErrors(form, message, aliases = {}) {
  form.noValidate = true; // the browser's bubbles give way to messages next to the fields
  let ids = 0;
  const control = (param) => {
    if (!param) return null;
    const byParam = [...form.querySelectorAll('[data-param]')].find((c) => c.dataset.param === param);
    const id = aliases[param] || param.replace(/_/g, '-');
    return byParam || form.querySelector('#' + CSS.escape(id)) || (param.includes('.') ? control(param.split('.')[0]) : null);
  };
  const clearAll = () => {
    if (message) message.replaceChildren();
    form.querySelectorAll('.field-error').forEach((n) => n.remove());
    form.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
  };
  const mark = (c, text) => {
    const id = 'field-error-' + ++ids;
    const note = h('p', { class: 'field-error', id }, text);
    (c.closest('.field') || c).after(note);
    c.setAttribute('aria-invalid', 'true');
    c.setAttribute('aria-describedby', id);
  };
  /** Marks each error by its field; returns how many found one; the others go to the message. */
  const show = (errors) => {
    const loose = [];
    let first = null;
    for (const e of errors) {
      const c = control(e.param);
      if (c) {
        mark(c, e.message);
        first = first || c;
      } else {
        loose.push(e.message);
      }
    }
    const placed = errors.length - loose.length;
    if (message && (placed || loose.length)) {
      clear(message, placed ? `Fix ${placed === 1 ? 'the field' : `the ${placed} fields`} marked below. ` : '', loose.join(' '));
    }
    if (first) first.focus();
    return errors.length - loose.length;
  };
  return {
    clear: clearAll,
    show,
    /** The browser's constraints and {@code extra()}'s [{param, message}]; true when nothing is wrong. */
    check(extra = () => []) {
      clearAll();
      const errors = [...form.elements].filter((c) => c.willValidate && !c.checkValidity())
        .map((c) => ({ param: c.dataset.param || c.id.replace(/-/g, '_'), message: c.validationMessage }));
      errors.push(...extra());
      show(errors);
      return errors.length === 0;
    },
    /** The API's refusal by the fields it names; false when it names none (the caller says it otherwise). */
    server(e) {
      const error = e && e.body && e.body.error;
      if (!error || (e.status !== 400 && e.status !== 422)) return false;
      const details = error.details && error.details.length ? error.details : [{ param: error.param, message: error.message }];
      return show(details) > 0 || (message ? (clear(message, e.message), true) : false);
    },
  };
}

/** Copies text; the button says so. Falls back to a selected textarea where the Clipboard API is refused. */
export async function copy(text, button) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const t = h('textarea', { class: 'offscreen', readonly: true });
    t.value = text;
    document.body.append(t);
    t.select();
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    t.remove();
  }
  if (button) {
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = ok ? 'Copied' : 'Copy failed';
    button.dataset.copied = ok ? 'true' : 'false';
    setTimeout(() => { button.textContent = label; }, 2000);
  }
  return ok;
}

export function copyButton(getText, label = 'Copy') {
  const b = h('button', { type: 'button', class: 'secondary small' }, label);
  b.addEventListener('click', () => copy(typeof getText === 'function' ? getText() : getText, b));
  return b;
}

/** A snippet of code with its copy button. */
export function codeBlock(text, label, id) {
  return h('div', { class: 'code' }, h('pre', { id, tabindex: '0' }, h('code', {}, text)),
    copyButton(text, label || 'Copy'));
}

const region = () => document.getElementById('toasts') || document.body.appendChild(
  h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' }));

export function toast(text, kind = 'ok') {
  const t = h('div', { class: 'toast ' + kind }, text);
  region().append(t);
  setTimeout(() => t.remove(), 4000);
}

/** Date and time ("5 Dec 2026, 14:03:12"), in an IANA time zone when one is given (else the browser's). */
export function time(iso, timeZone) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d)) return String(iso);
  try {
    return d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) });
  } catch {
    return d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
  }
}

/** The wall clock minus UTC, in milliseconds, in an IANA time zone at an instant (epoch milliseconds). */
function zoneOffset(at, timeZone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(at / 1000) * 1000;
}

/** A wall-clock time as a datetime-local field gives it (YYYY-MM-DDTHH:MM[:SS]) in an IANA time zone, as an ISO instant. */
export function zonedToIso(local, timeZone) {
  if (!local) return '';
  const [day, clock = '00:00'] = local.split('T');
  const [y, mo, d] = day.split('-').map(Number);
  const [hh, mi, ss = 0] = clock.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, hh, mi, Math.floor(ss));
  let at = wall - zoneOffset(wall, timeZone);
  at = wall - zoneOffset(at, timeZone); // the offset at the instant itself, across a change of offset
  return new Date(at).toISOString();
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function num(v) {
  return v === null || v === undefined ? '—' : numberFormat.format(v);
}

export function money(v, currency) {
  if (v === null || v === undefined) return '—';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' }).format(v);
  } catch {
    return numberFormat.format(v) + ' ' + (currency || '');
  }
}

/** A side drawer for details; Escape or the close button closes it and focus goes back where it was. */
export function drawer(title, ...content) {
  const back = document.activeElement;
  document.querySelector('.drawer')?.remove();
  const close = () => {
    d.remove();
    document.removeEventListener('keydown', onKey);
    if (back && back.focus) back.focus();
  };
  const onKey = (e) => { if (e.key === 'Escape') close(); };
  const closeButton = h('button', { type: 'button', class: 'secondary small', onclick: close }, 'Close');
  const d = h('aside', { class: 'drawer', role: 'dialog', 'aria-modal': 'false', 'aria-label': title },
    h('div', { class: 'drawer-head' }, h('h2', {}, title), closeButton), h('div', { class: 'drawer-body' }, ...content));
  document.addEventListener('keydown', onKey);
  document.body.append(d);
  closeButton.focus();
  return d;
}

/** Two-step confirmation on the button itself: the first press arms it for a few seconds. */
export function armed(button, text) {
  if (button.dataset.armed === 'true') return true;
  const label = button.textContent;
  button.dataset.armed = 'true';
  button.textContent = text;
  setTimeout(() => { button.dataset.armed = 'false'; button.textContent = label; }, 4000);
  return false;
}

export function badge(text, kind) {
  return h('span', { class: 'badge ' + (kind || '') }, text);
}

export function json(value) {
  return h('pre', { class: 'json', tabindex: '0' }, h('code', {}, JSON.stringify(value, null, 2)));
}
