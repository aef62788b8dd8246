// Deliveries to destinations as the Destinations page and the events-log drawer show them: where an event went,
// how many tries it took, the platform's own answer, and which fields the identity graph added.
import { h, badge, time } from './ui.js';

export const TYPE_NAMES = { meta: 'Meta', google_ads: 'Google Ads', tiktok: 'TikTok', ga4: 'Google Analytics 4', webhook: 'Webhook' };

export function typeName(type) {
  return TYPE_NAMES[type] || type || '—';
}

const REASONS = {
  do_not_forward: 'not forwarded: the event carries do_not_capi',
  test_event: 'not sent: a test event',
  not_attributed: 'not sent: not credited to this platform (attributed mode)',
  too_old: 'not sent: older than the platform accepts',
  no_click_id: 'not sent: no gclid, gbraid or wbraid',
};

/** A skip or failure reason in words; an unknown code as it came. */
export function reasonText(reason) {
  return reason ? REASONS[reason] || reason : null;
}

/** pending, retrying, sent, skipped or dead, coloured by what it means for the person reading. */
export function statusBadge(status) {
  return badge(status, 'status-' + status);
}

/** The platform's answer: short ones inline, long ones folded with the whole (pretty when JSON) inside. */
export function answer(text, limit = 100) {
  if (text === null || text === undefined || text === '') return h('span', { class: 'muted' }, '—');
  const raw = String(text);
  const flat = raw.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return h('code', { class: 'answer' }, flat);
  let whole = raw;
  try {
    whole = JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    // not JSON: shown as it came
  }
  return h('details', { class: 'answer' }, h('summary', {}, h('code', {}, flat.slice(0, limit) + '…')),
    h('pre', { class: 'json', tabindex: '0' }, h('code', {}, whole)));
}

/** Which fields came from the event itself and which the profile's earlier visits and forms added. */
export function enrichedView(fields) {
  const entries = Object.entries(fields || {});
  if (!entries.length) return h('span', { class: 'muted' }, '—');
  const of = (origin) => entries.filter(([, o]) => (origin === 'profile') === (o === 'profile')).map(([k]) => k).sort();
  const added = of('profile');
  const own = of('event');
  return h('div', { class: 'enriched' },
    added.length ? h('div', {}, h('span', { class: 'muted' }, 'added from the profile: '), h('span', { class: 'added' }, added.join(', ')))
      : h('div', { class: 'muted' }, 'nothing added from the profile'),
    own.length ? h('div', { class: 'muted' }, 'from the event: ', own.join(', ')) : null);
}

/** "2 attempts · last HTTP 200 · sent 5 Dec 2026, 20:52:46" */
export function attemptsLine(d) {
  const parts = [`${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`];
  if (d.last_status_code) parts.push(`last HTTP ${d.last_status_code}`);
  if (d.sent_at) parts.push('sent ' + time(d.sent_at));
  else if (d.next_attempt_at) parts.push('next try ' + time(d.next_attempt_at));
  return parts.join(' · ');
}

/** An event's deliveries, one per destination, for the events-log drawer ("delivered where"). */
export function deliveryList(ws, deliveries) {
  return h('ul', { class: 'rows deliveries' }, deliveries.map((d) => h('li', { dataset: { destinationId: d.destination_id, status: d.status } },
    h('div', { class: 'delivery' },
      h('div', {}, h('a', { href: '/dashboard/destinations?ws=' + encodeURIComponent(ws) + '&destination=' + encodeURIComponent(d.destination_id) },
        d.destination_name || d.destination_id), ' ', badge(typeName(d.type), 'plain'), ' ', statusBadge(d.status)),
      h('div', { class: 'muted small' }, attemptsLine(d)),
      d.reason ? h('div', { class: 'small' }, reasonText(d.reason)) : null,
      h('div', { class: 'small' }, enrichedView(d.enriched_fields)),
      d.response ? h('div', { class: 'small' }, 'The platform answered: ', answer(d.response, 60)) : null))));
}
