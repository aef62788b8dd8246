// Journeys: find one person by an identifier; their devices, touchpoints and events in time order, and receipts.
import { get, qs, ApiError } from './api.js';
import { h, clear, field, select, panel, empty, errorBox, loading, badge, time, money, noWorkspace } from './ui.js';
import { receiptView } from './events.js';

export async function render(ctx) {
  const { main, workspace } = ctx;
  if (!workspace) {
    main.append(noWorkspace());
    return;
  }
  const ws = workspace.id;
  const url = new URLSearchParams(location.search);
  const type = select('type', [['email', 'Email'], ['phone', 'Phone'], ['visitor_token', 'Visitor token'],
    ['client_id', 'Client id']], url.get('type') || 'email');
  type.id = 'identifier-type';
  const value = h('input', { type: 'search', id: 'identifier-value', value: url.get('value') || '', required: true,
    placeholder: 'jane@example.com', spellcheck: 'false' });
  const form = h('form', { class: 'filters', role: 'search' }, field('Find by', type)[0], field('Value', value)[0],
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', id: 'find-profile' }, 'Find')));
  const out = h('div', { id: 'journey' });
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Journeys'),
    h('p', { class: 'muted' }, 'One person across their devices: every visit, touchpoint and conversion in time order.')),
  panel(null, form), out);

  const show = async (profilePath) => {
    clear(out, loading('Looking up the profile…'));
    try {
      const profile = await get(profilePath);
      const journey = await get(`/api/v1/profiles/${encodeURIComponent(profile.id)}/journey` + qs({ workspace: ws }));
      clear(out, view(ws, profile, journey.data));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        clear(out, panel(null, empty('No one found', 'No profile carries that identifier in this workspace. Check the spelling, or try another identifier: events may not have been processed yet.')));
      } else {
        clear(out, errorBox(e, () => show(profilePath)));
      }
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // phones are stored as digits with the country code: "+1 (415) 555-2671" is 14155552671
    const v = type.value === 'phone' ? value.value.replace(/\D/g, '').replace(/^0+/, '') : value.value.trim();
    if (!v) return value.focus();
    history.replaceState(null, '', location.pathname + qs({ ws, type: type.value, value: v }));
    show('/api/v1/profiles' + qs({ workspace: ws, identifier: `${type.value}:${v}` }));
  });
  if (url.get('profile')) show(`/api/v1/profiles/${encodeURIComponent(url.get('profile'))}` + qs({ workspace: ws }));
  else if (url.get('value')) form.requestSubmit();
  else out.append(panel(null, empty('Find a person', 'Search by the email, phone or visitor token they used; the events log links here from every resolved event.')));
}

function view(ws, profile, events) {
  const ids = (t) => profile.identifiers.filter((i) => i.type === t);
  // devices in the order they first appear; each event's device comes with the journey
  const devices = [];
  const number = new Map();
  for (const e of events) {
    const k = e.device && e.device.key;
    if (!k) continue;
    if (!number.has(k)) {
      number.set(k, devices.length + 1);
      devices.push({ ...e.device, first: e.event_time, events: 0 });
    }
    const d = devices[number.get(k) - 1];
    d.events++;
    d.last = e.event_time;
    d.user_agent = d.user_agent || e.device.user_agent;
  }
  const deviceOf = (e) => (e.device && e.device.key ? number.get(e.device.key) : null);
  const touchpoints = events.filter((e) => e.touchpoint && e.touchpoint.signal);
  return h('div', {},
    h('div', { class: 'grid' },
      panel('Person', h('dl', { class: 'facts' },
        h('dt', {}, 'Profile'), h('dd', {}, h('code', { id: 'profile-id' }, profile.id)),
        h('dt', {}, 'Emails'), h('dd', {}, ids('email').map((i) => i.value).join(', ') || '—'),
        h('dt', {}, 'Phones'), h('dd', {}, ids('phone').map((i) => i.value).join(', ') || '—'),
        h('dt', {}, 'Since'), h('dd', {}, time(profile.created_at)),
        h('dt', {}, 'Merges'), h('dd', {}, String((profile.merges || []).filter((m) => !m.undone_at).length)))),
      panel(`Devices (${devices.length})`, devices.length ? h('ul', { class: 'devices', id: 'devices' },
        devices.map((d, i) => h('li', { class: 'device', dataset: { token: d.visitor_token || '', key: d.key } },
          h('p', { class: 'device-name' }, `Device ${i + 1}`, d.user_agent ? ` · ${browser(d.user_agent)}` : ''),
          h('code', { class: 'small' }, d.visitor_token || d.fingerprint),
          h('p', { class: 'muted small' }, `${d.events} event${d.events === 1 ? '' : 's'} · ${time(d.first)} – ${time(d.last)}`))))
        : empty('No browser seen', 'This person is known from server events only.'))),
    panel(`Touchpoints (${touchpoints.length})`, touchpoints.length ? h('ul', { class: 'rows', id: 'touchpoints' },
      touchpoints.map((e) => h('li', {}, h('span', {}, h('strong', {}, e.touchpoint.channel), ' · ', touch(e), ' · ', time(e.event_time)),
        deviceOf(e) ? badge(`Device ${deviceOf(e)}`) : null)))
      : empty('No touchpoints', 'No visit of this person carried a campaign, click id or referrer.')),
    panel(`Timeline (${events.length})`, events.length ? h('ol', { class: 'timeline', id: 'timeline' },
      events.map((e) => item(ws, e, deviceOf(e)))) : empty('No events', 'Nothing is stored for this person yet.')));
}

/** The touchpoint an event makes, as a short line: source / medium / campaign and the click id's kind. */
function touch(e) {
  const t = e.touchpoint || {};
  const parts = [t.source, t.medium, t.campaign].filter(Boolean);
  if (t.click_id_type) parts.push(t.click_id_type);
  return parts.join(' / ') || t.platform || '';
}

/** "Chrome on Linux", "Safari on iPhone": enough to tell a person's devices apart. */
function browser(ua) {
  const name = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /iPhone/.test(ua) ? 'iPhone' : /iPad/.test(ua) ? 'iPad' : /Android/.test(ua) ? 'Android'
    : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'Mac' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${name} on ${os}` : name;
}

function item(ws, e, device) {
  const slot = h('div', {});
  const conversion = !!e.attribution;
  let button = null;
  if (conversion) {
    button = h('button', { type: 'button', class: 'link small' }, 'Receipt');
    button.addEventListener('click', async () => {
      clear(slot, loading());
      try {
        clear(slot, receiptView((await get(`/api/v1/conversions/${encodeURIComponent(e.event_id)}/attribution` + qs({ workspace: ws }))).data));
      } catch (err) {
        clear(slot, err.status === 404 ? h('p', { class: 'muted' }, 'Not a credited conversion (or not processed yet).') : errorBox(err));
      }
    });
  }
  return h('li', { class: conversion ? 'conversion' : null, dataset: { eventId: e.event_id, name: e.name } },
    h('div', { class: 'when' }, time(e.event_time)),
    h('div', { class: 'what' },
      h('strong', {}, e.name), device ? [' ', badge(`Device ${device}`)] : null, ' ', badge(e.source, 'plain'),
      e.value != null ? [' ', money(e.value, e.currency)] : null,
      e.touchpoint && e.touchpoint.signal ? h('div', { class: 'small' }, 'Touchpoint: ', e.touchpoint.channel, ' · ', touch(e)) : null,
      e.page_url ? h('div', { class: 'muted small wrap' }, e.page_url) : null,
      button, slot));
}
