// Setup: install the pixel, tokens, funnel marks, settings, and a test event that shows the path end to end.
import { get, post, put, del, qs } from './api.js';
import { h, clear, field, select, panel, empty, errorBox, loading, codeBlock, copyButton, toast, time, badge, armed, formErrors } from './ui.js';

export async function render(ctx) {
  const { main, workspace } = ctx;
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Setup'),
    workspace ? h('p', { class: 'muted' }, 'Workspace ', h('strong', {}, workspace.name)) : null));
  if (!workspace) {
    main.append(panel('Create your first workspace',
      h('p', {}, 'A workspace holds one business’s pixel, tokens, events and reports. Nothing crosses workspaces.'),
      newWorkspaceForm(ctx)));
    return;
  }
  const ws = encodeURIComponent(workspace.id);
  const grid = h('div', { class: 'grid' });
  main.append(grid);
  grid.append(...[
    section('Install the pixel', (body) => pixel(body, ws)),
    section('Send a test event', (body) => testEvent(body, ws)),
    section('API tokens', (body) => tokens(body, ws)),
    section('Funnel marks', (body) => funnels(body, ws)),
    section('Serve it from your own site', (body) => firstParty(body, ws)),
    section('Visitor recognition', (body) => recognition(body, ws)),
    section('Workspace settings', (body) => settings(body, ws, workspace)),
    section('Attribution settings', (body) => attribution(body, ws)),
    ctx.can.everything ? panel('Another workspace', newWorkspaceForm(ctx)) : null].filter(Boolean));
}

/** A panel that loads its own content, with its own loading and error states. */
function section(title, fill) {
  const body = h('div', {}, loading());
  const load = async () => {
    clear(body, loading());
    const inner = h('div', {});
    try {
      await fill(inner);
      clear(body, inner);
    } catch (e) {
      clear(body, errorBox(e, load));
    }
  };
  load();
  return panel(title, body);
}

async function pixel(body, ws) {
  const p = await get(`/admin/v1/workspaces/${ws}/pixel`);
  body.append(
    h('p', {}, 'Paste this just above ', h('code', {}, '</head>'), ' on every page of your sites.'),
    codeBlock(p.snippet_head, 'Copy snippet', 'pixel-snippet'),
    h('p', {}, 'Using Google Tag Manager? Add a Custom HTML tag that fires on all pages with:'),
    codeBlock(p.snippet_gtm, 'Copy GTM tag', 'gtm-snippet'),
    h('p', { class: 'hint' }, 'Pixel key ', h('code', {}, p.pixel_key), ' is public: it can only record page views and form identities.'));
  body.querySelectorAll('.code button')[0].id = 'copy-pixel';
  body.querySelectorAll('.code button')[1].id = 'copy-gtm';
}

/** First-party serving: the snippet for sites that route the prefix to this server, and how to route it. */
async function firstParty(body, ws) {
  const p = await get(`/admin/v1/workspaces/${ws}/pixel`);
  const fp = p.first_party;
  const recipes = [['nginx', 'nginx'], ['caddy', 'Caddy'], ['cloudflare_worker', 'Cloudflare Worker'], ['nextjs', 'Next.js rewrite']];
  body.append(
    h('p', {}, 'Safari and every iOS browser delete cookies that scripts write after 7 days (24 hours after an ad click), ',
      'and ad blockers drop requests to tracker hosts. Route ', h('code', {}, fp.path_prefix + '*'),
      ' of your site to this server and the visitor keeps one token for as long as they come back: the ',
      h('code', {}, p.server_cookie.name), ' cookie is then set by your own site, for 400 days.'),
    h('p', {}, 'Then install this snippet instead of the one in Install the pixel:'),
    codeBlock(fp.snippet_head, 'Copy snippet', 'first-party-snippet'),
    h('details', { class: 'advanced' }, h('summary', {}, 'Google Tag Manager variant'),
      codeBlock(fp.snippet_gtm, 'Copy GTM tag', 'first-party-gtm')),
    h('p', {}, 'Send ', h('code', {}, fp.path_prefix + '*'), ' to ', h('code', {}, fp.upstream),
      ' with one of these, and list the proxy in ', h('code', {}, 'proxies.trusted'), ':'),
    ...recipes.map(([key, label]) => h('details', { class: 'advanced recipe', dataset: { recipe: key } },
      h('summary', {}, label), codeBlock(fp.recipes[key], 'Copy', 'recipe-' + key))),
    h('p', { class: 'hint' }, p.server_cookie.enabled
      ? 'Check it in the browser: the answer to ' + fp.collect_path + ' sets ' + p.server_cookie.name
        + ' (Network tab), and Visitor recognition shows page views whose token came from it.'
      : 'The server cookie is off on this server (pixel.server-cookie = false).'));
}

/** Recognition health: returning tokens and tokens from the server cookie, per browser family. */
async function recognition(body, ws) {
  const days = h('select', { id: 'recognition-days', 'aria-label': 'Period' },
    [[7, 'Last 7 days'], [30, 'Last 30 days'], [90, 'Last 90 days']].map(([v, label]) => h('option', { value: String(v) }, label)));
  const out = h('div', { id: 'recognition', 'aria-live': 'polite' });
  const pct = (x) => (x === null || x === undefined ? '—' : (x * 100).toFixed(1) + '%');
  const load = async () => {
    clear(out, loading());
    try {
      const r = (await get('/api/v1/recognition' + qs({ workspace: ws, days: days.value }))).data;
      if (!r.total.page_views) {
        clear(out, empty('No page views yet', `The pixel has sent no page views in the last ${r.days} days.`));
        return;
      }
      const rows = [{ label: 'All browsers', family: 'all', ...r.total }, ...r.browsers];
      clear(out, h('div', { class: 'table-wrap' }, h('table', { id: 'recognition-table' },
        h('thead', {}, h('tr', {}, ['Browser', 'Page views', 'Returning', 'From server cookie']
          .map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
        h('tbody', {}, rows.map((b) => h('tr', { dataset: { family: b.family } },
          h('td', {}, b.family === 'all' ? h('strong', {}, b.label) : b.label),
          h('td', { class: 'num' }, b.page_views.toLocaleString('en-GB')),
          h('td', { class: 'num', title: `${b.returning} page views` }, pct(b.returning_share)),
          h('td', { class: 'num', title: `${b.server_cookie} page views` }, pct(b.server_cookie_share))))))),
      h('p', { class: 'hint' }, `Returning: the token was first seen at least ${r.returning_after_minutes} minutes earlier, `,
        'on an earlier visit. From server cookie: the pixel found its token in ', h('code', {}, r.server_cookie.name),
        '. Safari and iOS far below Chrome mean visitors are lost after 7 days: serve the pixel from your own site.',
        r.sampled ? ` The newest ${r.sample_limit.toLocaleString('en-GB')} page views are counted.` : ''));
    } catch (e) {
      clear(out, errorBox(e, load));
    }
  };
  days.addEventListener('change', load);
  body.append(h('div', { class: 'inline-form' }, days), out);
  await load();
}

function testEvent(body, ws) {
  const status = h('div', { id: 'test-event-status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', id: 'send-test-event' }, 'Send a test event');
  button.addEventListener('click', async () => {
    button.disabled = true;
    clear(status, loading('Sending…'));
    const started = performance.now();
    try {
      const sent = await post(`/admin/v1/workspaces/${ws}/test-events`);
      const requestId = sent.request_id;
      clear(status, loading(`Sent (request ${requestId}); waiting for it in the events log…`));
      const entry = await arrival(ws, requestId);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      clear(status, h('p', { class: 'ok', id: 'test-event-arrived', dataset: { requestId } },
        badge(entry.outcome, entry.outcome), ` ${entry.event_name || 'event'} arrived in ${seconds} s. `,
        h('a', { href: `/dashboard/events?ws=${ws}&request_id=${encodeURIComponent(requestId)}` }, 'See it in the events log')));
    } catch (e) {
      clear(status, errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  body.append(h('p', {}, 'Posts one real event to this workspace, as your back end would, and watches the events log for it.'),
    button, status);
}

/** Polls the events log for one request until it shows up (it normally does within a second). */
async function arrival(ws, requestId) {
  for (let i = 0; i < 40; i++) {
    const page = await get('/api/v1/events-log' + qs({ workspace: ws, request_id: requestId, limit: 5 }));
    if (page.data.length) return page.data[0];
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('The test event did not show up in the events log within 10 seconds.');
}

async function tokens(body, ws) {
  const list = h('div', {});
  const reveal = h('div', { id: 'new-token', 'aria-live': 'polite' });
  const refresh = async () => {
    const tokens = (await get(`/admin/v1/workspaces/${ws}/tokens`)).data;
    if (!tokens.length) {
      clear(list, empty('No tokens yet', 'Create one for each back end that sends events.'));
      return;
    }
    clear(list, h('div', { class: 'table-wrap' }, h('table', { id: 'tokens' },
      h('thead', {}, h('tr', {}, ['Name', 'Prefix', 'Scopes', 'Last used', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, tokens.map((t) => h('tr', { dataset: { tokenId: t.id } },
        h('td', {}, t.name || '—'), h('td', {}, h('code', {}, t.prefix + '…')), h('td', {}, t.scopes.join(', ')),
        h('td', {}, t.last_used_at ? time(t.last_used_at) : 'never'),
        h('td', {}, t.revoked_at ? badge('revoked', 'rejected') : badge('active', 'accepted')),
        h('td', {}, t.revoked_at ? null : revokeButton(t, refresh))))))));
  };
  const [nameField, name] = field('Name', h('input', { type: 'text', name: 'name', id: 'token-name', maxlength: '100',
    placeholder: 'e.g. checkout back end' }));
  const ingest = h('input', { type: 'checkbox', id: 'scope-ingest', checked: true });
  const read = h('input', { type: 'checkbox', id: 'scope-read', checked: true });
  const create = h('button', { type: 'submit', id: 'create-token' }, 'Create token');
  const form = h('form', { class: 'inline-form' }, nameField,
    h('fieldset', { class: 'scopes' }, h('legend', {}, 'Scopes'),
      h('label', {}, ingest, ' ingest'), h('label', {}, read, ' read')), create);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const scopes = [ingest.checked && 'ingest', read.checked && 'read'].filter(Boolean);
    create.disabled = true;
    try {
      const t = await post(`/admin/v1/workspaces/${ws}/tokens`, { name: name.value.trim() || null, scopes });
      clear(reveal, h('div', { class: 'secret', id: 'new-workspace' },
        h('p', {}, h('strong', {}, 'Copy this token now. '), 'It is shown once and stored only as a hash.'),
        h('div', { class: 'code' }, h('pre', { tabindex: '0' }, h('code', { id: 'new-token-value' }, t.token)),
          copyButton(t.token, 'Copy token'))));
      reveal.querySelector('button').id = 'copy-token';
      name.value = '';
      await refresh();
    } catch (err) {
      clear(reveal, errorBox(err));
    } finally {
      create.disabled = false;
    }
  });
  body.append(form, reveal, list);
  await refresh();
}

function revokeButton(t, refresh) {
  const b = h('button', { type: 'button', class: 'danger small', title: 'Senders using it get 401 from then on' }, 'Revoke');
  b.addEventListener('click', async () => {
    if (!armed(b, 'Confirm revoke')) return;
    b.disabled = true;
    try {
      await del(`/admin/v1/tokens/${encodeURIComponent(t.id)}`);
      toast('Token revoked');
      await refresh();
    } catch (e) {
      toast(e.message, 'bad');
      b.disabled = false;
    }
  });
  return b;
}

async function funnels(body, ws) {
  const list = h('div', {});
  const refresh = async () => {
    const funnels = (await get(`/admin/v1/workspaces/${ws}/funnels`)).data.filter((f) => !f.revoked_at);
    if (!funnels.length) {
      clear(list, empty('No funnels yet', 'Able-style webhooks name their funnel by its mark: create one per funnel.'));
      return;
    }
    clear(list, h('ul', { class: 'rows', id: 'funnels' }, funnels.map((f) => {
      const revoke = h('button', { type: 'button', class: 'danger small', title: 'Webhooks with its mark are refused from then on' }, 'Revoke');
      revoke.addEventListener('click', async () => {
        if (!armed(revoke, 'Confirm revoke')) return;
        await del(`/admin/v1/funnels/${encodeURIComponent(f.id)}`).catch((e) => toast(e.message, 'bad'));
        await refresh();
      });
      return h('li', {}, h('div', {}, h('strong', {}, f.name), h('div', { class: 'mark' }, h('code', {}, f.funnel_mark))),
        h('div', { class: 'row-actions' }, copyButton(f.funnel_mark, 'Copy mark'), revoke));
    })));
  };
  const [nameField, name] = field('Funnel name', h('input', { type: 'text', id: 'funnel-name', required: true, maxlength: '100' }));
  const form = h('form', { class: 'inline-form' }, nameField, h('button', { type: 'submit' }, 'Create funnel'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.value.trim()) return name.focus();
    try {
      await post(`/admin/v1/workspaces/${ws}/funnels`, { name: name.value.trim() });
      name.value = '';
      await refresh();
    } catch (err) {
      toast(err.message, 'bad');
    }
  });
  body.append(form, list);
  await refresh();
}

async function settings(body, ws, workspace) {
  const current = await get(`/admin/v1/workspaces/${ws}/settings`).catch(() => workspace.settings);
  const s = current.settings || current;
  const [tzField, tz] = field('Time zone', h('input', { type: 'text', id: 'time-zone', value: s.time_zone, list: 'zones' }),
    'IANA name, e.g. Europe/Paris: days in reports start at midnight here.');
  const [curField, cur] = field('Currency', h('input', { type: 'text', id: 'currency', value: s.currency, maxlength: '3' }),
    'ISO 4217, e.g. USD: revenue in reports is in this currency.');
  const [regField, reg] = field('Phone region', h('input', { type: 'text', id: 'phone-region', value: s.phone_region, maxlength: '2' }),
    'Where phone numbers without a country code are from.');
  const [rateField, rate] = field('Rate limit per minute', h('input', { type: 'number', id: 'rate-limit', min: '1',
    value: String(s.rate_limit_per_minute) }));
  const zones = h('datalist', { id: 'zones' }, (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : [])
    .map((z) => h('option', { value: z })));
  const mode = s.consent_default || 'granted';
  const modes = select('consent_default', [['granted', 'Granted'], ['denied', 'Denied'],
    ['by_region', 'By region: denied in the regions below']], mode);
  modes.id = 'consent-default';
  const [consentField, consent] = field('Consent for visitors who have not chosen', modes,
    'What the pixel and server events assume until the visitor chooses. Without analytics consent the pixel keeps no cookie.');
  const [deniedField, denied] = field('Regions where consent is denied by default', h('input', { type: 'text',
    id: 'consent-denied-regions', value: (s.consent_denied_regions || []).join(', ') }),
    'ISO 3166 codes, comma-separated: a country (DE) or a subdivision (US-CA). Used when the default is by region.');
  const [lduField, ldu] = field('Limited Data Use regions (Meta, TikTok)', h('input', { type: 'text',
    id: 'consent-ldu-regions', value: (s.consent_limited_data_use_regions || []).join(', '), placeholder: 'none' }),
    'US states whose privacy laws restrict processing, e.g. US-CA, US-CO, US-CT.');
  body.append(form(body, [tzField, curField, regField, rateField, zones, consentField, deniedField, lduField],
    'Save settings', 'save-settings', () =>
      put(`/admin/v1/workspaces/${ws}/settings`, {
        time_zone: tz.value.trim(), currency: cur.value.trim().toUpperCase(), phone_region: reg.value.trim().toUpperCase(),
        rate_limit_per_minute: Number(rate.value), consent_default: consent.value,
        consent_denied_regions: regions(denied.value), consent_limited_data_use_regions: regions(ldu.value),
      })));
}

/** A comma-separated list of region codes as the settings API takes them. */
function regions(text) {
  return text.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
}

async function attribution(body, ws) {
  const s = await get(`/admin/v1/workspaces/${ws}/attribution`);
  const [lbField, lookback] = field('Lookback window (days)', h('input', { type: 'number', id: 'lookback-days', min: '1',
    max: '90', value: String(s.lookback_days) }), 'Touchpoints this long before a conversion get credit (at most 90).');
  const [hlField, halfLife] = field('Time-decay half-life (days)', h('input', { type: 'number', id: 'half-life-days',
    min: '1', value: String(s.half_life_days) }));
  const [ceField, events] = field('Conversion events', h('input', { type: 'text', id: 'conversion-events',
    value: (s.conversion_events || []).join(', '), placeholder: 'every event but page views' }),
    'Comma-separated event names, e.g. purchase, lead_generated. Empty: every server event counts.');
  body.append(form(body, [lbField, hlField, ceField], 'Save attribution settings', 'save-attribution', () => {
    const names = events.value.split(',').map((x) => x.trim()).filter(Boolean);
    return put(`/admin/v1/workspaces/${ws}/attribution`, {
      lookback_days: Number(lookback.value), half_life_days: Number(halfLife.value),
      conversion_events: names.length ? names : null,
    });
  }));
}

/** A settings form: saves, says so, and puts the server's message by the field it names. */
function form(body, fields, label, id, save) {
  const message = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', id }, label);
  const f = h('form', { class: 'stack' }, ...fields, message, button);
  const errors = formErrors(f, message, { rate_limit_per_minute: 'rate-limit', consent_limited_data_use_regions: 'consent-ldu-regions' });
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!errors.check()) return;
    button.disabled = true;
    try {
      await save();
      toast('Saved');
    } catch (err) {
      if (!errors.server(err)) message.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  });
  return f;
}

function newWorkspaceForm(ctx) {
  const [nameField, name] = field('Workspace name', h('input', { type: 'text', id: 'workspace-name', required: true,
    maxlength: '100', placeholder: 'e.g. acme-shop' }));
  const out = h('div', { 'aria-live': 'polite' });
  const f = h('form', { class: 'inline-form' }, nameField, h('button', { type: 'submit', id: 'create-workspace' }, 'Create workspace'));
  const errors = formErrors(f, null, { name: 'workspace-name' });
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!errors.check(() => (name.value && !name.value.trim() ? [{ param: 'name', message: 'Name the workspace.' }] : []))) return;
    try {
      const w = await post('/admin/v1/workspaces', { name: name.value.trim() });
      clear(out, h('div', { class: 'secret', id: 'new-workspace' },
        h('p', {}, h('strong', {}, `Workspace ${w.name} created. `), 'Its first API token is shown once:'),
        h('div', { class: 'code' }, h('pre', {}, h('code', {}, w.token.token)), copyButton(w.token.token, 'Copy token')),
        h('button', { type: 'button', id: 'open-new-workspace', onclick: () => ctx.switchTo(w.id) }, `Open ${w.name}`)));
    } catch (err) {
      if (!errors.server(err)) clear(out, errorBox(err));
    }
  });
  return h('div', {}, f, out);
}
