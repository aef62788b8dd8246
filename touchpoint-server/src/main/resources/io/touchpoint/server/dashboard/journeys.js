// Journeys: find one person by an identifier; their devices, touchpoints and events in time order, and receipts.
import { get, qs, ApiError } from './api.js';
import { h, clear, field, select, panel, empty, errorBox, loading, badge, time, money } from './ui.js';
import { receiptView } from './events.js';

const CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'fbc', 'msclkid', 'ttclid', 'li_fat_id', 'twclid'];

export async function render(ctx) {
  const { main, workspace } = ctx;
  if (!workspace) {
    main.append(empty('No workspace yet', 'Create one on the Setup page first.', h('a', { href: '/dashboard/setup' }, 'Go to Setup')));
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
    const v = value.value.trim();
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
  const tokens = ids('visitor_token');
  const deviceOf = (e) => {
    const t = e.identifiers.find((i) => i.type === 'visitor_token');
    const n = t ? tokens.findIndex((x) => x.value === t.value) : -1;
    return n >= 0 ? n + 1 : null;
  };
  const devices = tokens.map((t, i) => {
    const own = events.filter((e) => deviceOf(e) === i + 1);
    const agent = own.map((e) => e.user_agent).find(Boolean);
    return h('li', { class: 'device', dataset: { token: t.value } },
      h('p', { class: 'device-name' }, `Device ${i + 1}`), h('code', { class: 'small' }, t.value),
      h('p', { class: 'muted small' }, `${own.length} event${own.length === 1 ? '' : 's'} · first seen ${time(t.first_seen)}`),
      agent ? h('p', { class: 'muted small' }, agent) : null);
  });
  const touchpoints = events.filter((e) => touch(e));
  return h('div', {},
    h('div', { class: 'grid' },
      panel('Person', h('dl', { class: 'facts' },
        h('dt', {}, 'Profile'), h('dd', {}, h('code', { id: 'profile-id' }, profile.id)),
        h('dt', {}, 'Emails'), h('dd', {}, ids('email').map((i) => i.value).join(', ') || '—'),
        h('dt', {}, 'Phones'), h('dd', {}, ids('phone').map((i) => i.value).join(', ') || '—'),
        h('dt', {}, 'Since'), h('dd', {}, time(profile.created_at)),
        h('dt', {}, 'Merges'), h('dd', {}, String((profile.merges || []).filter((m) => !m.undone_at).length)))),
      panel(`Devices (${tokens.length})`, tokens.length ? h('ul', { class: 'devices', id: 'devices' }, devices)
        : empty('No browser seen', 'This person is known from server events only.'))),
    panel(`Touchpoints (${touchpoints.length})`, touchpoints.length ? h('ul', { class: 'rows', id: 'touchpoints' },
      touchpoints.map((e) => h('li', {}, h('span', {}, h('strong', {}, touch(e)), ' · ', time(e.event_time)),
        deviceOf(e) ? badge(`Device ${deviceOf(e)}`) : null)))
      : empty('No touchpoints', 'No visit of this person carried a campaign, click id or referrer.')),
    panel(`Timeline (${events.length})`, events.length ? h('ol', { class: 'timeline', id: 'timeline' },
      events.map((e) => item(ws, e, deviceOf(e)))) : empty('No events', 'Nothing is stored for this person yet.')));
}

/** The event's own campaign signal, as a short line; null for none. */
function touch(e) {
  const c = e.campaign || {};
  const click = e.identifiers.find((i) => CLICK_IDS.includes(i.type));
  const parts = [c.source, c.medium, c.name || c.campaign].filter(Boolean);
  if (click) parts.push(click.type);
  return parts.length ? parts.join(' / ') : null;
}

function item(ws, e, device) {
  const slot = h('div', {});
  const conversion = e.name !== 'page_view' && e.name !== 'identify';
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
      touch(e) ? h('div', { class: 'small' }, 'Touchpoint: ', touch(e)) : null,
      e.page_url ? h('div', { class: 'muted small wrap' }, e.page_url) : null,
      button, slot));
}
