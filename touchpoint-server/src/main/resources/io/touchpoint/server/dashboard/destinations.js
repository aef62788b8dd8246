// Destinations: the ad platforms and webhooks a workspace's conversions are sent to. Each with its delivery counts
// and last error, a test event to the platform's test mode, its recent deliveries with the platform's answers, and
// its dead letters to replay. Secrets never come back from the server: the page shows their hints (…f3a9).
import { get, post, patch, del, qs } from './api.js';
import { h, clear, field, select, panel, empty, errorBox, loading, toast, time, badge, num, copyButton, drawer, armed, noWorkspace } from './ui.js';
import { label as modelLabel } from './events.js';
import { TYPE_NAMES, typeName, statusBadge, reasonText, answer, enrichedView } from './deliveries.js';

const POLL_MS = 3000;
const RULE_BASED = ['last_touch', 'first_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based'];
const STATUSES = ['pending', 'retrying', 'sent', 'skipped', 'dead'];
const ACTION_SOURCES = ['website', 'email', 'app', 'phone_call', 'chat', 'physical_store', 'business_messaging', 'other'];
const TEST_CODE_HINT = 'Optional. While set, events show in the platform’s test view and are not counted: clear it to go live.';

/**
 * Per type: its settings in the order the platform's own screens give them (kind: text, secret, select or
 * checkbox), whether "attributed" mode applies (an ad platform whose credit can be read), and whether the test
 * event takes a test event code.
 */
const TYPES = {
  meta: {
    attributed: true, testCode: true, fields: [
      { key: 'pixel_id', label: 'Pixel (dataset) id', placeholder: '123456789012345', hint: 'Digits, from Events Manager → Data sources.' },
      { key: 'access_token', label: 'Access token', kind: 'secret', hint: 'Events Manager → the pixel’s Settings → Conversions API → Generate access token.' },
      { key: 'test_event_code', label: 'Test event code', optional: true, placeholder: 'TEST12345', hint: TEST_CODE_HINT },
      { key: 'action_source', label: 'Action source', kind: 'select', optional: true,
        options: [['', 'system_generated (default)'], ...ACTION_SOURCES.map((s) => [s, s])],
        hint: 'Where server events happened, as Meta asks; pixel events always say website.' },
    ],
  },
  google_ads: {
    attributed: true, testCode: false, fields: [
      { key: 'customer_id', label: 'Customer id', placeholder: '123-456-7890', hint: 'The Google Ads account the conversions belong to.' },
      { key: 'conversion_action', label: 'Conversion action', placeholder: '987654321', hint: 'Its id, or its resource name customers/…/conversionActions/….' },
      { key: 'developer_token', label: 'Developer token', kind: 'secret', hint: 'API Center of the manager account.' },
      { key: 'client_id', label: 'OAuth client id', placeholder: '…apps.googleusercontent.com' },
      { key: 'client_secret', label: 'OAuth client secret', kind: 'secret' },
      { key: 'refresh_token', label: 'OAuth refresh token', kind: 'secret' },
      { key: 'login_customer_id', label: 'Login customer id', optional: true, placeholder: '123-456-7890', hint: 'Optional: the manager account’s id, when access goes through one.' },
    ],
  },
  tiktok: {
    attributed: true, testCode: true, fields: [
      { key: 'pixel_code', label: 'Pixel code', placeholder: 'C1A2B3C4D5E6F7', hint: 'Events Manager → the pixel’s settings.' },
      { key: 'access_token', label: 'Access token', kind: 'secret', hint: 'Events Manager → Settings → Generate access token.' },
      { key: 'test_event_code', label: 'Test event code', optional: true, placeholder: 'TEST12345', hint: TEST_CODE_HINT },
    ],
  },
  ga4: {
    attributed: false, testCode: false, fields: [
      { key: 'measurement_id', label: 'Measurement id', placeholder: 'G-XXXXXXXXXX', hint: 'Admin → Data streams → the web stream.' },
      { key: 'api_secret', label: 'Measurement Protocol API secret', kind: 'secret', hint: 'Same data stream → Measurement Protocol API secrets → Create.' },
      { key: 'send_user_id', label: 'Send the Touchpoint profile id as user_id', kind: 'checkbox', optional: true },
    ],
  },
  webhook: {
    attributed: false, testCode: false, fields: [
      { key: 'url', label: 'URL', placeholder: 'https://hooks.example.com/touchpoint', inputmode: 'url',
        hint: 'HTTPS (plain HTTP only to localhost). Each conversion is POSTed there as JSON.' },
      { key: 'secret', label: 'Signing secret', kind: 'secret', optional: true, generate: true,
        hint: 'Optional: leave it blank and the page makes one and shows it once. Requests carry Touchpoint-Signature: an HMAC-SHA256 with it.' },
    ],
  },
};

export async function render(ctx) {
  const { main, workspace } = ctx;
  if (!workspace) {
    main.append(noWorkspace());
    return;
  }
  const ws = workspace.id;
  const url = new URLSearchParams(location.search);
  const addButton = h('button', { type: 'button', id: 'add-destination' }, 'Add destination');
  const state = h('span', { class: 'live-state', id: 'destinations-state' });
  const formSlot = h('div', { id: 'destination-form-slot' });
  const reveal = h('div', { id: 'new-secret', 'aria-live': 'polite' });
  const list = h('div', { id: 'destinations', class: 'dest-list' }, loading());
  main.append(
    h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Destinations'), h('p', { class: 'muted' },
        'Where this workspace’s conversions are sent, with what Touchpoint knows about the person added.')),
      h('div', { class: 'head-actions' }, state, addButton)),
    formSlot, reveal, list);

  const cards = new Map(); // destination id -> card
  let drawn = false;
  let busy = false;

  const page = {
    ws,
    edit: (d) => showForm(d),
    refresh: () => refresh(),
  };

  const draw = (items) => {
    cards.clear();
    drawn = true;
    if (!items.length) {
      clear(list, panel(null, empty('No destinations yet',
        'Connect Meta, Google Ads, TikTok, Google Analytics 4 or your own webhook: each conversion is then sent there once, '
        + 'with the click ids, cookies and contact details of the person’s earlier visits added.',
        h('button', { type: 'button', class: 'secondary', onclick: () => showForm(null) }, 'Add your first destination'))));
      return;
    }
    clear(list, items.map((d) => {
      const c = destinationCard(d, page);
      cards.set(d.id, c);
      return c.el;
    }));
  };

  /** Reads the list again: new counts go into the cards in place, so open sections and typed codes stay. */
  const refresh = async () => {
    const items = (await get(`/admin/v1/workspaces/${encodeURIComponent(ws)}/destinations`)).data;
    const same = drawn && items.length === cards.size && items.every((d) => cards.has(d.id));
    if (same) items.forEach((d) => cards.get(d.id).update(d));
    else draw(items);
    state.textContent = 'counts updated ' + new Date().toLocaleTimeString('en-GB');
    state.classList.remove('bad');
  };

  const showForm = (existing) => {
    clear(reveal);
    clear(formSlot, destinationForm(ws, existing, async (saved, generated) => {
      clear(formSlot);
      toast(existing ? 'Destination saved' : 'Destination added');
      if (generated) clear(reveal, secretReveal(saved, generated));
      await refresh();
      const c = cards.get(saved.id);
      if (c) c.update(saved);
      if (!generated && c) c.el.querySelector('[data-action=edit]').focus();
    }, () => {
      clear(formSlot);
      (existing && cards.get(existing.id) ? cards.get(existing.id).el.querySelector('[data-action=edit]') : addButton).focus();
    }));
    formSlot.scrollIntoView({ block: 'start' });
    formSlot.querySelector(existing ? '#destination-name' : '#destination-type')?.focus();
  };
  addButton.addEventListener('click', () => showForm(null));

  try {
    await refresh();
  } catch (e) {
    clear(list, errorBox(e, () => location.reload()));
    return;
  }
  const asked = url.get('destination') && cards.get(url.get('destination'));
  if (asked) {
    asked.el.scrollIntoView({ block: 'start' });
    asked.openDeliveries();
  }
  setInterval(async () => {
    if (busy || document.visibilityState !== 'visible') return;
    busy = true;
    try {
      await refresh();
    } catch (e) {
      state.textContent = 'counts paused: ' + e.message;
      state.classList.add('bad');
    } finally {
      busy = false;
    }
  }, POLL_MS);
}

/** A signing secret the page made for a webhook: shown once, as the server only keeps it sealed. */
function secretReveal(saved, secret) {
  const b = copyButton(secret, 'Copy secret');
  b.id = 'copy-webhook-secret';
  return h('div', { class: 'secret' },
    h('p', {}, h('strong', {}, `Copy the signing secret of ${saved.name} now. `),
      'Your receiver checks each request’s Touchpoint-Signature with it. It is shown once and stored encrypted.'),
    h('div', { class: 'code' }, h('pre', { tabindex: '0' }, h('code', { id: 'new-webhook-secret' }, secret)), b));
}

/** whsec_ and 32 random characters from the browser's cryptographic generator. */
function newSecret() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return 'whsec_' + [...bytes].map((b) => alphabet[b % 62]).join('');
}

// --- one destination ---

function destinationCard(initial, page) {
  let d = initial;
  let shown = '';
  const id = d.id;
  const path = `/admin/v1/destinations/${encodeURIComponent(id)}`;
  const title = h('div', { class: 'dest-head' });
  const summary = h('div', { class: 'dest-summary' });
  const edit = h('button', { type: 'button', class: 'secondary small', dataset: { action: 'edit' } }, 'Edit');
  const toggle = h('button', { type: 'button', class: 'secondary small', dataset: { action: 'toggle' } });
  const remove = h('button', { type: 'button', class: 'danger small', dataset: { action: 'delete' },
    title: 'Stops sending and removes the destination with its deliveries' }, 'Delete');
  const boxId = 'deliveries-' + id;
  const deliveriesToggle = h('button', { type: 'button', class: 'secondary small', dataset: { action: 'deliveries' },
    'aria-expanded': 'false', 'aria-controls': boxId }, 'Deliveries');
  const box = h('div', { class: 'dest-deliveries', id: boxId, hidden: true });
  const deliveries = deliveriesSection(() => d, box, page);
  const el = h('article', { class: 'panel destination', dataset: { destinationId: id, type: d.type }, 'aria-label': d.name },
    h('div', { class: 'dest-top' }, title, h('div', { class: 'dest-actions' }, deliveriesToggle, edit, toggle, remove)),
    summary, testForm(() => d), box);

  const update = (next) => {
    d = next;
    const view = { ...next };
    delete view.request_id; // an answer to a change carries its request id; the list's entries do not
    const key = JSON.stringify(view);
    if (key === shown) return;
    shown = key;
    el.classList.toggle('off', !d.enabled);
    el.dataset.enabled = String(d.enabled);
    el.setAttribute('aria-label', d.name);
    toggle.textContent = d.enabled ? 'Disable' : 'Enable';
    toggle.title = d.enabled ? 'Stop sending; what is waiting stays in the outbox' : 'Send again, starting with what waited';
    clear(title, h('h2', {}, d.name), badge(typeName(d.type), 'plain'),
      d.enabled ? badge('enabled', 'accepted') : badge('disabled', 'off'));
    clear(summary, summaryView(d));
  };
  update(d);

  edit.addEventListener('click', () => page.edit(d));
  toggle.addEventListener('click', async () => {
    toggle.disabled = true;
    try {
      update(await patch(path, { enabled: !d.enabled }));
      toast(d.enabled ? `${d.name} enabled` : `${d.name} disabled`);
    } catch (e) {
      toast(e.message, 'bad');
    } finally {
      toggle.disabled = false;
    }
  });
  remove.addEventListener('click', async () => {
    if (!armed(remove, 'Confirm delete')) return;
    remove.disabled = true;
    try {
      await del(path);
      toast(`${d.name} deleted`);
      await page.refresh();
    } catch (e) {
      toast(e.message, 'bad');
      remove.disabled = false;
    }
  });
  const openDeliveries = (open = true) => {
    box.hidden = !open;
    deliveriesToggle.setAttribute('aria-expanded', String(open));
    deliveriesToggle.textContent = open ? 'Hide deliveries' : 'Deliveries';
    if (open) deliveries.load();
  };
  deliveriesToggle.addEventListener('click', () => openDeliveries(box.hidden));
  return { el, update, openDeliveries };
}

function summaryView(d) {
  const s = d.stats || {};
  const waiting = (s.pending || 0) + (s.retrying || 0);
  const fixed = s.last_error_at && s.last_sent_at && new Date(s.last_sent_at) > new Date(s.last_error_at);
  return [
    h('div', { class: 'stats' },
      stat('Sent', s.sent, 'sent'),
      stat('Pending or retrying', waiting, 'waiting', s.retrying ? `${num(s.retrying)} retrying` : null),
      stat('Skipped', s.skipped, 'skipped'),
      stat('Dead', s.dead, 'dead')),
    s.last_error ? h('div', { class: fixed ? 'note last-error' : 'error last-error', role: 'note' },
      h('strong', {}, 'Last error'), ` ${time(s.last_error_at)}`, fixed ? ' (sent successfully since)' : '', ': ',
      answer(s.last_error, 160)) : null,
    h('dl', { class: 'facts dest-facts' }, facts(d)),
  ];
}

function stat(label, value, key, note) {
  return h('div', { class: 'stat' + (key === 'dead' && value ? ' bad' : ''), dataset: { stat: key } },
    h('p', { class: 'stat-value' }, num(value || 0)), h('p', { class: 'stat-label' }, label, note ? ` (${note})` : ''));
}

function facts(d) {
  const spec = TYPES[d.type] || { fields: [] };
  const out = [];
  const fact = (term, ...value) => out.push(h('dt', {}, term), h('dd', {}, ...value));
  fact('Sends', d.events && d.events.length ? d.events.join(', ') : 'every conversion');
  if (spec.attributed) {
    fact('Mode', d.mode === 'attributed' ? `attributed: only conversions credited to ${typeName(d.type)} under ${modelLabel(d.model)}`
      : 'all conversions');
  }
  const settings = d.settings || {};
  const secrets = d.secrets || {};
  const known = new Set(spec.fields.map((f) => f.key));
  for (const f of spec.fields) {
    if (f.kind === 'secret') {
      fact(f.label, secrets[f.key] ? h('code', { class: 'secret-hint', dataset: { secret: f.key } }, secrets[f.key])
        : h('span', { class: 'bad-text' }, 'unreadable with the current key: enter it again'));
    } else if (f.kind === 'checkbox') {
      fact(f.label, settings[f.key] === 'true' ? 'yes' : 'no');
    } else if (settings[f.key]) {
      fact(f.label, h('code', {}, settings[f.key]));
    }
  }
  Object.entries(settings).filter(([k]) => !known.has(k)).forEach(([k, v]) => fact(k, h('code', {}, v)));
  const map = Object.entries(d.event_map || {});
  if (map.length) fact('Event names', map.map(([from, to]) => `${from} → ${to}`).join(', '));
  if (d.base_url) fact('Base URL', h('code', {}, d.base_url));
  fact('Last sent', d.stats && d.stats.last_sent_at ? time(d.stats.last_sent_at) : 'never');
  if (d.stats && d.stats.oldest_open_at) fact('Oldest waiting since', time(d.stats.oldest_open_at));
  return out;
}

// --- send a test event ---

function testForm(current) {
  const d0 = current();
  const spec = TYPES[d0.type] || {};
  const code = h('input', { type: 'text', class: 'test-code', 'aria-label': 'Test event code', spellcheck: 'false',
    maxlength: '100', placeholder: 'Test event code' });
  const button = h('button', { type: 'submit', class: 'secondary small', dataset: { action: 'test' } }, 'Send test event');
  const out = h('div', { class: 'test-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'test-form' }, spec.testCode ? code : null, button,
    h('span', { class: 'hint' }, testHint(d0.type)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = current();
    const given = code.value.trim();
    // without a code (here or in the settings) the server refuses: Meta and TikTok would count the purchase as real
    button.disabled = true;
    clear(out, loading('Sending a test event…'));
    try {
      const r = await post(`/admin/v1/destinations/${encodeURIComponent(d.id)}/test`, given ? { test_event_code: given } : {});
      clear(out, testResult(r));
    } catch (err) {
      clear(out, errorBox(err));
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'dest-test' }, form, out);
}

function testHint(type) {
  return ({
    meta: 'A made-up purchase of 1.00 in test mode: the code from Events Manager → Test events is needed (here or in the settings).',
    tiktok: 'A made-up purchase of 1.00 in test mode: the code from Events Manager → Test events is needed (here or in the settings).',
    google_ads: 'Sent with validateOnly: Google checks the upload and keeps nothing.',
    ga4: 'Sent to GA4’s validation server, which lists what it would drop; nothing is recorded.',
    webhook: 'A signed ping of type test.',
  })[type] || '';
}

function testResult(r) {
  const kind = r.outcome === 'accepted' ? 'accepted' : r.outcome === 'skipped' ? 'duplicate' : 'rejected';
  const why = r.outcome === 'accepted' ? 'The platform took the test event.'
    : r.outcome === 'skipped' ? 'Touchpoint would not send this event.'
      : !r.status_code ? 'No answer came: check the address and that the platform is reachable.'
        : r.outcome === 'error' ? 'Not taken for now (a refused credential, a rate limit or the platform’s fault); its answer says why.'
          : 'The platform refused this event; its answer says why.';
  return h('div', { class: 'test-answer', dataset: { outcome: r.outcome } },
    h('p', {}, badge(r.outcome, kind), ' ', r.status_code ? `HTTP ${r.status_code}` : 'no HTTP answer', ' · ', why,
      r.reason ? ` (${reasonText(r.reason)})` : ''),
    h('div', { class: 'small' }, 'The platform answered: ', answer(r.response, 160)));
}

// --- deliveries and dead letters ---

function deliveriesSection(current, box, page) {
  const dead = h('div', { class: 'dead-letters' });
  const recent = h('div', { class: 'recent-deliveries' });
  const filter = select('status', [['', 'Any status'], ...STATUSES.map((s) => [s, s])], '');
  filter.classList.add('status-filter');
  filter.setAttribute('aria-label', 'Show deliveries with status');
  const refreshButton = h('button', { type: 'button', class: 'secondary small', dataset: { action: 'refresh-deliveries' } }, 'Refresh');
  const base = () => `/admin/v1/destinations/${encodeURIComponent(current().id)}`;

  const loadDead = async () => {
    clear(dead, loading());
    try {
      const list = (await get(base() + '/deliveries' + qs({ status: 'dead', limit: 100 }))).data;
      if (!list.length) {
        clear(dead, h('p', { class: 'muted' }, 'No dead letters: nothing the platform refused or that failed every try.'));
        return;
      }
      const all = h('button', { type: 'button', class: 'small', dataset: { action: 'replay-dead' } },
        `Replay all dead (${num(Math.max(list.length, (current().stats || {}).dead || 0))})`);
      all.addEventListener('click', () => replay(all, { status: 'dead' }));
      clear(dead, h('div', { class: 'section-head' }, h('p', {}, 'Sent again with the same dedup keys, so a platform that did get one counts it once.'), all),
        table(list, (d) => {
          const b = h('button', { type: 'button', class: 'secondary small', dataset: { action: 'replay' } }, 'Replay');
          b.addEventListener('click', () => replay(b, { event_ids: [d.event_id] }));
          return b;
        }));
    } catch (e) {
      clear(dead, errorBox(e, loadDead));
    }
  };

  const loadRecent = async () => {
    clear(recent, loading());
    try {
      const list = (await get(base() + '/deliveries' + qs({ status: filter.value, limit: 50 }))).data;
      clear(recent, list.length ? table(list, null)
        : h('p', { class: 'muted' }, filter.value ? `No ${filter.value} deliveries.` : 'No deliveries yet: conversions show here once the delivery stage routes them.'));
    } catch (e) {
      clear(recent, errorBox(e, loadRecent));
    }
  };

  const load = () => Promise.all([loadDead(), loadRecent()]);

  const replay = async (button, body) => {
    button.disabled = true;
    try {
      const r = await post(base() + '/replay', body);
      toast(`${num(r.replayed)} ${r.replayed === 1 ? 'delivery' : 'deliveries'} put back to pending`);
      await page.refresh();
      await load();
    } catch (e) {
      toast(e.message, 'bad');
      button.disabled = false;
    }
  };

  const table = (list, action) => h('div', { class: 'table-wrap' }, h('table', { class: 'deliveries-table' },
    h('thead', {}, h('tr', {}, ['Event', 'Status', 'Attempts', 'Last HTTP', 'Platform’s answer', 'Enrichment', 'When', '']
      .map((t, i) => h('th', { scope: 'col', class: i === 2 || i === 3 ? 'num' : null }, t)))),
    h('tbody', {}, list.map((d) => {
      const tries = h('button', { type: 'button', class: 'link small', dataset: { action: 'attempts' } }, 'Attempts');
      tries.addEventListener('click', () => attempts(base(), d));
      return h('tr', { dataset: { eventId: d.event_id, status: d.status, outboxId: String(d.outbox_id) } },
        h('td', {}, h('code', { class: 'rid' }, d.event_id)),
        h('td', {}, statusBadge(d.status), d.reason ? h('div', { class: 'small muted' }, reasonText(d.reason)) : null),
        h('td', { class: 'num', dataset: { field: 'attempts' } }, num(d.attempts)),
        h('td', { class: 'num', dataset: { field: 'last-status' } }, d.last_status_code ? String(d.last_status_code) : '—'),
        h('td', { class: 'wrap' }, answer(d.response, 60)),
        h('td', { class: 'small' }, enrichedView(d.enriched_fields)),
        h('td', { class: 'small' }, d.sent_at ? ['sent ', time(d.sent_at)] : d.next_attempt_at ? ['next try ', time(d.next_attempt_at)]
          : ['queued ', time(d.created_at)]),
        h('td', {}, h('div', { class: 'row-actions' }, d.attempts ? tries : null, action ? action(d) : null)));
    }))));

  filter.addEventListener('change', loadRecent);
  refreshButton.addEventListener('click', load);
  box.append(
    h('h3', {}, 'Dead letters'), dead,
    h('div', { class: 'section-head' }, h('h3', {}, 'Recent deliveries'),
      h('div', { class: 'row-actions' }, filter, refreshButton)),
    recent);
  return { load };
}

/** Every try of one delivery, with what the platform said each time, in a drawer. */
async function attempts(base, d) {
  const body = h('div', {}, loading());
  drawer('Attempts · ' + d.event_id, body);
  try {
    const list = (await get(`${base}/deliveries/${encodeURIComponent(d.outbox_id)}/attempts`)).data;
    clear(body, list.length ? h('ol', { class: 'rows attempts' }, list.map((a) => h('li', {},
      h('div', {},
        h('div', {}, statusBadge(a.outcome), ' ', time(a.attempted_at), a.status_code ? ` · HTTP ${a.status_code}` : ' · no HTTP answer'),
        a.reason ? h('div', { class: 'small muted' }, reasonText(a.reason)) : null,
        h('div', { class: 'small' }, 'Answer: ', answer(a.response, 60)),
        a.next_attempt_at ? h('div', { class: 'small muted' }, 'next try ', time(a.next_attempt_at)) : null))))
      : empty('No attempts yet', 'It has not been sent so far.'));
  } catch (e) {
    clear(body, errorBox(e));
  }
}

// --- add and edit ---

/**
 * The form for a new destination (existing null) or a change to one. Its fields follow the type; secrets left
 * blank when editing keep the stored ones. The server's checks are the rules: each message it gives is put by the
 * field it names, and any it cannot be placed goes at the top of the form.
 */
function destinationForm(ws, existing, saved, cancel) {
  const editing = !!existing;
  const targets = new Map(); // error param -> field wrapper
  const controls = new Map(); // setting key -> control
  const type = select('type', Object.entries(TYPE_NAMES), editing ? existing.type : 'meta');
  type.id = 'destination-type';
  type.disabled = editing;
  const name = h('input', { type: 'text', id: 'destination-name', maxlength: '100', autocomplete: 'off',
    value: editing ? existing.name : '', placeholder: 'e.g. Meta – main pixel' });
  const settingsBox = h('div', { class: 'form-grid' });
  const events = h('input', { type: 'text', id: 'destination-events', spellcheck: 'false', autocomplete: 'off',
    value: editing && existing.events ? existing.events.join(', ') : '', placeholder: 'every conversion' });
  const mode = select('mode', [['all', 'All conversions'], ['attributed', 'Only conversions credited to this platform']],
    editing ? existing.mode : 'all');
  mode.id = 'destination-mode';
  const model = select('model', RULE_BASED.map((m) => [m, modelLabel(m)]), editing ? existing.model : 'last_touch');
  model.id = 'destination-model';
  const eventMap = h('input', { type: 'text', id: 'destination-event-map', spellcheck: 'false', autocomplete: 'off',
    value: editing ? Object.entries(existing.event_map || {}).map(([k, v]) => `${k}=${v}`).join(', ') : '',
    placeholder: 'lead_generated=Lead' });
  const baseUrl = h('input', { type: 'text', id: 'destination-base-url', spellcheck: 'false', autocomplete: 'off', inputmode: 'url',
    value: editing && existing.base_url ? existing.base_url : '', placeholder: 'the platform’s own host' });
  const message = h('div', { class: 'form-error', role: 'alert', id: 'destination-form-error', tabindex: '-1' });
  const save = h('button', { type: 'submit', id: 'save-destination' }, editing ? 'Save changes' : 'Add destination');
  const cancelButton = h('button', { type: 'button', class: 'secondary', id: 'cancel-destination', onclick: cancel }, 'Cancel');

  const wrap = (param, label, control, hint) => {
    const [w] = field(label, control, hint);
    targets.set(param, w);
    return w;
  };
  const modeField = wrap('mode', 'Which conversions', mode, 'Attributed: only those whose credit under the model goes at least partly to this platform’s ads.');
  const modelField = wrap('model', 'Attribution model', model, 'Decides “credited” in attributed mode (rule-based models only).');
  const baseUrlField = wrap('base_url', 'Base URL', baseUrl, 'Replaces the platform’s host, for an egress proxy. Leave blank normally.');
  const advanced = h('details', { class: 'advanced' }, h('summary', {}, 'Advanced'),
    h('div', { class: 'form-grid' },
      wrap('event_map', 'Event names on the platform', eventMap,
        'Replaces the defaults (purchase → Purchase, lead_generated → Lead, …), as event=PlatformName, comma-separated.'),
      baseUrlField));

  const renderSettings = () => {
    const spec = TYPES[type.value];
    controls.clear();
    for (const k of [...targets.keys()]) if (k.startsWith('settings.')) targets.delete(k);
    clear(settingsBox, spec.fields.map((f) => settingField(f, existing, controls, targets)));
    const platform = spec.attributed;
    modeField.hidden = !platform;
    modelField.hidden = !platform || mode.value !== 'attributed';
    baseUrlField.hidden = type.value === 'webhook';
  };
  type.addEventListener('change', renderSettings);
  mode.addEventListener('change', () => { modelField.hidden = mode.value !== 'attributed'; });
  renderSettings();
  if (editing && (eventMap.value || baseUrl.value)) advanced.open = true;

  const form = h('form', { class: 'destination-form', novalidate: true },
    message,
    h('div', { class: 'form-grid' }, wrap('type', 'Type', type, editing ? 'A destination’s type cannot change; add a new one instead.' : null),
      wrap('name', 'Name', name, 'To tell it apart from others, e.g. the account or pixel.')),
    h('h3', {}, 'Connection'), settingsBox,
    h('h3', {}, 'What to send'),
    h('div', { class: 'form-grid' },
      wrap('events', 'Events', events, 'Comma-separated, e.g. purchase, lead_generated. Empty: every conversion, as the attribution settings on Setup define them. Listed events are sent even when they are not conversions.'),
      modeField, modelField),
    advanced,
    h('div', { class: 'form-actions' }, save, cancelButton));

  const clearErrors = () => {
    message.replaceChildren();
    form.querySelectorAll('.field-error').forEach((n) => n.remove());
    form.querySelectorAll('[aria-invalid]').forEach((n) => { n.removeAttribute('aria-invalid'); n.removeAttribute('aria-describedby'); });
  };
  let errorIds = 0;
  const showErrors = (details, fallback) => {
    const loose = [];
    let first = null;
    for (const e of details) {
      const param = e.param || '';
      const target = targets.get(param) || targets.get(param.split('.')[0]);
      if (!target || target.hidden) {
        loose.push(e.message);
        continue;
      }
      if (target.closest('details')) target.closest('details').open = true;
      const control = target.querySelector('input, select');
      const id = 'destination-error-' + ++errorIds;
      target.append(h('p', { class: 'field-error', id }, e.message));
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
        first = first || control;
      }
    }
    const placed = details.length - loose.length;
    clear(message, placed ? h('p', {}, `Fix ${placed === 1 ? 'the field' : `the ${placed} fields`} marked below.`) : null,
      loose.length ? h('ul', {}, loose.map((m) => h('li', {}, m))) : null,
      !details.length && fallback ? h('p', {}, fallback) : null);
    (first || message).focus?.();
    if (!first) message.scrollIntoView({ block: 'nearest' });
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const spec = TYPES[type.value];
    const settings = {};
    let generated = null;
    for (const f of spec.fields) {
      const c = controls.get(f.key);
      if (f.kind === 'checkbox') {
        settings[f.key] = c.checked ? 'true' : 'false';
      } else if (f.kind === 'secret') {
        const v = c.value.trim();
        if (v) settings[f.key] = v; // blank keeps the stored secret when editing
        else if (!editing && f.generate) settings[f.key] = generated = newSecret();
      } else {
        const v = c.value.trim();
        if (v || editing) settings[f.key] = v; // an emptied field is removed when editing
      }
    }
    const names = events.value.split(/[\s,]+/).filter(Boolean);
    const map = {};
    const bad = [];
    for (const pair of eventMap.value.split(',').map((x) => x.trim()).filter(Boolean)) {
      const at = pair.indexOf('=');
      if (at < 1 || at === pair.length - 1) bad.push(pair);
      else map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    if (bad.length) {
      showErrors([{ param: 'event_map', message: `Write each as event=PlatformName (e.g. lead_generated=Lead); not “${bad.join('”, “')}”.` }]);
      return;
    }
    const body = { name: name.value.trim(), settings };
    if (!editing) body.type = type.value;
    if (names.length || editing) body.events = names.length ? names : null; // null: every conversion again
    if (spec.attributed) {
      body.mode = mode.value;
      if (mode.value === 'attributed') body.model = model.value;
    }
    if (Object.keys(map).length || editing) body.event_map = map;
    if (type.value !== 'webhook' && (baseUrl.value.trim() || editing)) body.base_url = baseUrl.value.trim() || null;
    save.disabled = true;
    try {
      const d = editing
        ? await patch(`/admin/v1/destinations/${encodeURIComponent(existing.id)}`, body)
        : await post(`/admin/v1/workspaces/${encodeURIComponent(ws)}/destinations`, body);
      await saved(d, generated);
    } catch (err) {
      const error = err.body && err.body.error;
      if (err.status === 422 && error) {
        showErrors(error.details && error.details.length ? error.details : [{ param: error.param, message: error.message }]);
      } else {
        showErrors([], err.message);
      }
    } finally {
      save.disabled = false;
    }
  });
  return panel(editing ? `Edit ${existing.name}` : 'Add a destination', form);
}

/** One setting's control: secrets as password fields that say which secret is stored; a blank one keeps it. */
function settingField(f, existing, controls, targets) {
  const value = existing && existing.settings ? existing.settings[f.key] : undefined;
  const id = 'setting-' + f.key;
  let control;
  let w;
  if (f.kind === 'checkbox') {
    control = h('input', { type: 'checkbox', id, checked: value === 'true' });
    w = h('div', { class: 'field' }, h('label', { class: 'toggle', for: id }, control, ' ', f.label), f.hint ? h('p', { class: 'hint' }, f.hint) : null);
  } else {
    if (f.kind === 'select') {
      control = select(f.key, f.options, value || '');
      control.id = id;
    } else if (f.kind === 'secret') {
      const hint = existing && existing.secrets ? existing.secrets[f.key] : null;
      control = h('input', { type: 'password', id, autocomplete: 'new-password', spellcheck: 'false',
        placeholder: existing ? (hint ? `stored ${hint}; leave blank to keep it` : 'enter it again') : f.generate ? 'leave blank to generate one' : '' });
    } else {
      control = h('input', { type: 'text', id, spellcheck: 'false', autocomplete: 'off', value: value || '',
        placeholder: f.placeholder || '', inputmode: f.inputmode || null });
    }
    [w] = field([f.label, f.optional ? h('span', { class: 'muted optional' }, ' (optional)') : null], control, f.hint);
  }
  controls.set(f.key, control);
  targets.set('settings.' + f.key, w);
  return w;
}
