// Ad accounts: the Meta, Google Ads and TikTok accounts whose spend, impressions and clicks are synced daily, each
// with its last sync (status, rows, the platform's message) and, for admins, Sync now, an add form and removal.
// Tokens never come back from the server: admins see their hints (…f3a9), analysts nothing of them.
import { get, post, del } from './api.js';
import { h, clear, field, select, panel, empty, errorBox, loading, toast, time, badge, num, armed, noWorkspace } from './ui.js';

/** Per platform: what the account id is, and its settings in the order the platform's screens give them. */
const PLATFORMS = {
  meta: {
    name: 'Meta', accountId: ['Ad account id', 'act_1234567890'], fields: [
      { key: 'access_token', label: 'Access token', secret: true, hint: 'A system user’s token with ads_read on the ad account.' },
      { key: 'conversion_action', label: 'Conversion actions', optional: true, placeholder: 'purchase',
        hint: 'Optional: Meta action types counted as its conversions, comma-separated (default purchase).' },
    ],
  },
  google: {
    name: 'Google Ads', accountId: ['Customer id', '123-456-7890'], fields: [
      { key: 'developer_token', label: 'Developer token', secret: true, hint: 'API Center of the manager account.' },
      { key: 'client_id', label: 'OAuth client id', placeholder: '…apps.googleusercontent.com' },
      { key: 'client_secret', label: 'OAuth client secret', secret: true },
      { key: 'refresh_token', label: 'OAuth refresh token', secret: true, hint: 'Granted the adwords scope.' },
      { key: 'login_customer_id', label: 'Login customer id', optional: true, placeholder: '123-456-7890',
        hint: 'Optional: the manager account’s id, when access goes through one.' },
    ],
  },
  tiktok: {
    name: 'TikTok', accountId: ['Advertiser id', '7000000000000000000'], fields: [
      { key: 'access_token', label: 'Access token', secret: true, hint: 'The developer app’s long-term token, with the Reporting scope.' },
    ],
  },
};

const STATUS_KIND = { ok: 'accepted', partial: 'duplicate', rate_limited: 'duplicate', never: 'off', running: 'status-pending' };

export async function render(ctx) {
  const { main, workspace, can } = ctx;
  if (!workspace) {
    main.append(noWorkspace());
    return;
  }
  const settings = workspace.settings || {};
  const base = '/admin/v1/workspaces/' + encodeURIComponent(workspace.id) + '/ad-accounts';
  const list = h('div', { id: 'ad-accounts', class: 'dest-list' }, loading());
  const formSlot = h('div', { id: 'ad-account-form-slot' });
  const addButton = can.admin ? h('button', { type: 'button', id: 'add-ad-account' }, 'Connect an ad account') : null;
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Ad accounts'), addButton),
    h('p', { class: 'lead' }, 'Spend, impressions, clicks and the platforms’ own conversions per campaign, ad set and ad, '
      + 'synced every day' + (settings.currency ? ' in ' + settings.currency : '') + ', recent days again as the platforms restate them.'),
    formSlot, list);
  if (addButton) addButton.addEventListener('click', () => clear(formSlot, form(base, () => { clear(formSlot); load(); })));

  async function load() {
    try {
      const accounts = (await get(base)).data;
      clear(list, accounts.length ? accounts.map((a) => card(a)) : empty('No ad account connected',
        'Connect one to see cost, cost per conversion and ROAS down to the ad.'));
    } catch (e) {
      clear(list, errorBox(e, load));
    }
  }

  function card(a) {
    const s = a.last_sync;
    const syncButton = can.admin ? h('button', { type: 'button', class: 'secondary small sync-now' }, 'Sync now') : null;
    const removeButton = can.admin ? h('button', { type: 'button', class: 'danger small remove' }, 'Remove') : null;
    const el = h('section', { class: 'panel ad-account', dataset: { id: a.id } },
      h('div', { class: 'dest-head' }, h('h2', {}, a.name), badge(PLATFORMS[a.platform].name, 'plain'),
        a.enabled ? null : badge('disabled', 'off')),
      h('p', { class: 'hint' }, PLATFORMS[a.platform].accountId[0] + ' ' + a.account_id),
      h('p', { class: 'last-sync' }, 'Last sync: ', badge(s.status.replace('_', ' '), STATUS_KIND[s.status] || 'rejected'),
        s.finished_at ? ' · ' + time(s.finished_at, settings.time_zone || 'UTC') : '',
        s.status === 'never' ? '' : ' · ' + num(s.rows) + ' rows' + (s.from ? ' (' + s.from + ' to ' + s.to + ')' : '')),
      s.message ? h('p', { class: 'sync-message', role: s.status === 'ok' ? null : 'status' }, s.message) : null,
      h('div', { class: 'actions' }, syncButton, removeButton));
    if (syncButton) syncButton.addEventListener('click', async () => {
      syncButton.disabled = true;
      syncButton.textContent = 'Syncing…';
      try {
        const r = await post(base + '/' + a.id + '/sync', {});
        toast(r.status === 'ok' ? `Synced: ${num(r.rows)} rows` : `Sync ended: ${r.status.replace('_', ' ')}`, r.status === 'ok' ? 'ok' : 'error');
      } catch (e) {
        toast(e.message, 'error');
      }
      load();
    });
    if (removeButton) removeButton.addEventListener('click', async () => {
      if (!armed(removeButton, 'Click again to remove it and its synced rows')) return;
      try {
        await del(base + '/' + a.id);
        toast('Removed');
      } catch (e) {
        toast(e.message, 'error');
      }
      load();
    });
    return el;
  }

  load();
}

/** The add form: the platform's own fields; the server checks every rule and names each field it refuses. */
function form(base, done) {
  const platform = select('platform', Object.entries(PLATFORMS).map(([k, p]) => [k, p.name]), 'meta');
  const name = h('input', { name: 'name', required: true, maxlength: '200', autocomplete: 'off' });
  const accountId = h('input', { name: 'account_id', required: true, autocomplete: 'off' });
  const settings = h('div', { class: 'settings' });
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const [accountField] = field('Account id', accountId);
  const inputs = {};
  function drawFields() {
    const p = PLATFORMS[platform.value];
    accountField.querySelector('label').textContent = p.accountId[0];
    accountId.placeholder = p.accountId[1];
    for (const k of Object.keys(inputs)) delete inputs[k];
    clear(settings, p.fields.map((f) => {
      const input = h('input', { name: f.key, type: f.secret ? 'password' : 'text', autocomplete: 'off',
        placeholder: f.placeholder || null, required: !f.optional });
      inputs[f.key] = input;
      return field(f.label, input, f.hint)[0];
    }));
  }
  platform.addEventListener('change', drawFields);
  drawFields();
  const submit = h('button', { type: 'submit' }, 'Connect');
  const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  cancel.addEventListener('click', done);
  const el = h('form', { id: 'ad-account-form', class: 'panel', novalidate: true },
    h('h2', {}, 'Connect an ad account'), field('Platform', platform)[0], field('Name', name)[0], accountField, settings,
    errors, h('div', { class: 'actions' }, submit, cancel));
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { platform: platform.value, name: name.value, account_id: accountId.value, settings: {} };
    for (const [k, input] of Object.entries(inputs)) if (input.value.trim()) body.settings[k] = input.value.trim();
    submit.disabled = true;
    try {
      await post(base, body);
      toast('Connected; Sync now reads its spend');
      done();
    } catch (e) {
      const details = (e.body && e.body.error && e.body.error.details) || [];
      clear(errors, h('p', { class: 'error', role: 'alert' }, e.message),
        details.length > 1 ? h('ul', {}, details.map((d) => h('li', {}, d.message))) : null);
    } finally {
      submit.disabled = false;
    }
  });
  return panel(null, el);
}
