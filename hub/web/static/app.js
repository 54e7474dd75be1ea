// Booking Hub web UI: plain JavaScript, no build step. Talks only to the JSON API (docs/api.md).
// Every change sends the session's CSRF token in X-CSRF-Token; the server enforces roles, this
// file only hides what a role cannot use. All text goes in with textContent (no HTML injection).
'use strict';

const state = { user: null, role: null, csrf: null, permissions: [], clinics: [], entry: null, reschedule: null,
                throughput: [], lastReplied: null, timer: null };

// ---- helpers
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
const $ = (sel) => document.querySelector(sel);
function svg(tag, attrs, ...children) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children.flat()) if (c) e.append(c instanceof Node ? c : String(c));
  return e;
}
function flash(text, kind) {
  const f = $('#flash');
  f.textContent = text || '';
  f.className = text ? (kind || 'info') : '';
}
function can(permission) { return state.permissions.includes(permission); }

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET') opts.headers['X-CSRF-Token'] = state.csrf || '';
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  let data = null;
  try { data = await res.json(); } catch (e) { data = { message: 'unexpected reply from the server' }; }
  if (res.status === 401 && path !== '/api/session') {
    showSignIn(data.message || 'sign in first');
  }
  if (!res.ok) {
    const err = new Error((data && data.message) || res.statusText);
    err.status = res.status;
    err.field = data && data.field;
    throw err;
  }
  return data;
}
function report(err) {
  flash(err.message + (err.field ? ` (${err.field})` : ''), 'error');
}
function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== null && v !== false) p.set(k, v);
  return p.toString();
}

// ---- sign-in and navigation
function showSignIn(message) {
  state.user = null;
  $('#nav').hidden = true;
  $('#signout').hidden = true;
  $('#who').textContent = '';
  show('signin');
  if (message) flash(message, 'error');
}

async function afterSignIn(session) {
  state.user = session.user;
  state.role = session.role;
  state.csrf = session.csrf;
  const me = await api('GET', '/api/session');
  state.permissions = me.permissions;
  $('#who').textContent = `${state.user} (${state.role.replace('_', ' ')})`;
  $('#nav').hidden = false;
  $('#signout').hidden = false;
  const clinics = await api('GET', '/api/clinics');
  state.clinics = clinics.clinics;
  fillClinicSelects();
  if (!location.hash || location.hash === '#/signin') location.hash = can('view patient data') ? '#/ptl' : '#/integration';
  route();
}

function show(page) {
  document.querySelectorAll('.page').forEach((p) => { p.hidden = p.id !== 'page-' + page; });
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === page));
}

function route() {
  if (!state.user) return showSignIn();
  clearInterval(state.timer);
  const [page, arg] = location.hash.replace(/^#\//, '').split('/');
  flash('');
  show(page || 'ptl');
  const pages = { ptl: loadPtlPage, patient: () => arg && loadPatient(decodeURIComponent(arg)), booking: loadBookingPage,
                  clinics: loadClinicsPage, integration: loadIntegration };
  if (pages[page]) pages[page](arg);
  if (document.getElementById('page-' + page)?.classList.contains('hook')) loadHooks('#page-' + page);
}

async function loadHooks(scope) {
  for (const p of document.querySelectorAll(scope + ' .hook-text')) {
    try {
      await api('GET', p.dataset.api);
      p.textContent = '';
    } catch (err) {
      p.textContent = err.message;
    }
  }
}

// ---- PTL
function fillClinicSelects() {
  const specialties = [...new Set(state.clinics.map((c) => c.specialty))].sort();
  const s = $('#ptl-form [name=specialty]');
  s.replaceChildren(...specialties.map((x) => el('option', { value: x }, x)));
  const cc = $('#change-form [name=clinic_code]');
  cc.replaceChildren(...state.clinics.map((c) => el('option', { value: c.clinic_code }, `${c.clinic_code} — ${c.consultant}`)));
  fillConsultants();
}
function fillConsultants() {
  const specialty = $('#ptl-form [name=specialty]').value;
  const names = [...new Set(state.clinics.filter((c) => c.specialty === specialty).map((c) => c.consultant))].sort();
  $('#ptl-form [name=consultant]').replaceChildren(el('option', { value: '' }, 'any'), ...names.map((n) => el('option', { value: n }, n)));
}

function ptlQuery() {
  const f = new FormData($('#ptl-form'));
  const [min, max] = (f.get('band') || '').split('-');
  return qs({ specialty: f.get('specialty'), consultant: f.get('consultant'), priority: f.get('priority'),
              status: f.get('status'), breach: f.get('breach'), min_weeks: min, max_weeks: max,
              include_booked: f.get('include_booked') ? 'true' : '', limit: 500 });
}

async function loadPtlPage() {
  if (!can('view patient data')) return flash('your role cannot see patient data', 'error');
  const q = ptlQuery();
  $('#ptl-csv').href = '/api/ptl.csv?' + q;
  $('#ptl-summary').textContent = 'Loading…';
  $('#ptl-table tbody').replaceChildren();
  try {
    const data = await api('GET', '/api/ptl?' + q);
    renderPtl(data);
  } catch (err) { report(err); }
}

function renderPtl(data) {
  const breached = data.rows.filter((r) => r.breached).length;
  const potential = data.rows.filter((r) => r.potential_breach).length;
  $('#ptl-summary').textContent = `${data.count} pathways on ${data.census_date}: ${breached} breached, ${potential} potential breaches`;
  const rows = data.rows.map((r) => {
    const e = r.entry;
    const canBook = can('book, cancel or reschedule appointments') && ['WAITING', 'REBOOKING'].includes(e.status);
    return el('tr', { class: r.breached ? 'breached' : r.potential_breach ? 'potential' : '', 'data-entry': e.entry_id },
      el('td', {}, el('a', { href: '#/patient/' + encodeURIComponent(e.nhs_number) }, e.nhs_number)),
      el('td', {}, r.patient_name), el('td', {}, e.priority), el('td', {}, e.clinic_type), el('td', {}, e.status),
      el('td', {}, e.clock_start), el('td', { class: 'num' }, r.wait ? r.wait.weeks : ''),
      el('td', {}, r.breach_date || ''), el('td', {}, r.appointment_date || ''),
      el('td', {}, canBook ? el('button', { class: 'small', onclick: () => startBooking(e) }, 'Book') : ''));
  });
  $('#ptl-table tbody').replaceChildren(...rows);
  drawHistogram(data.rows);
}

// Week-band histogram: how many pathways in each 4-week band, breaches in red.
function drawHistogram(rows) {
  const width = 720, height = 140, bands = 14;
  const counts = Array(bands).fill(0), over = Array(bands).fill(0);
  for (const r of rows) {
    if (!r.wait) continue;
    const b = Math.min(bands - 1, Math.floor(r.wait.weeks / 4));
    counts[b]++;
    if (r.breached) over[b]++;
  }
  const max = Math.max(1, ...counts), bw = width / bands;
  const bars = counts.map((c, i) => {
    const h = (c / max) * (height - 30), ho = (over[i] / max) * (height - 30);
    return [svg('rect', { x: i * bw + 2, y: height - 20 - h, width: bw - 4, height: h, class: 'bar' }),
            svg('rect', { x: i * bw + 2, y: height - 20 - ho, width: bw - 4, height: ho, class: 'bar-breach' }),
            svg('text', { x: i * bw + bw / 2, y: height - 5, 'text-anchor': 'middle', class: 'axis' }, i === bands - 1 ? `${i * 4}+` : `${i * 4}`),
            c ? svg('text', { x: i * bw + bw / 2, y: height - 24 - h, 'text-anchor': 'middle', class: 'axis' }, String(c)) : null];
  });
  $('#ptl-chart').replaceChildren(svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' },
    svg('title', {}, 'pathways by weeks waited'), bars.flat()));
}

// ---- patient and pathway
async function loadPatient(nhs) {
  $('#patient-form [name=nhs]').value = nhs;
  $('#pathway-view').replaceChildren();
  try {
    const p = await api('GET', '/api/patients/' + encodeURIComponent(nhs.replace(/\s/g, '')));
    const pt = p.patient;
    const appts = p.appointments.map((a) => el('tr', {},
      el('td', {}, a.date), el('td', {}, a.time), el('td', {}, a.clinic_code), el('td', {}, a.status),
      el('td', {}, a.status === 'BOOKED' && can('book, cancel or reschedule appointments')
        ? [el('button', { class: 'small', onclick: () => cancelAppointment(a, nhs) }, 'Cancel'), ' ',
           el('button', { class: 'small secondary', onclick: () => startReschedule(a, p.entries.find((e) => e.entry_id === a.entry_id)) }, 'Reschedule')]
        : '')));
    const entries = p.entries.map((e) => el('tr', {},
      el('td', {}, e.specialty), el('td', {}, e.clinic_type), el('td', {}, e.priority), el('td', {}, e.status),
      el('td', {}, e.clock_start),
      el('td', {}, el('a', { href: '#', onclick: (ev) => { ev.preventDefault(); loadPathway(e.pathway_id); } }, 'pathway')),
      el('td', {}, ['WAITING', 'REBOOKING'].includes(e.status) && can('book, cancel or reschedule appointments')
        ? el('button', { class: 'small', onclick: () => startBooking(e) }, 'Book') : '')));
    $('#patient-view').replaceChildren(
      el('div', { class: 'card' }, el('h2', {}, `${pt.title || ''} ${pt.given_name} ${pt.family_name}`.trim()),
        el('p', {}, `NHS ${pt.nhs_number} · born ${pt.birth_date} · ${pt.address.lines.join(', ')} ${pt.address.postcode}`),
        pt.phone ? el('p', {}, 'Phone ' + pt.phone) : null),
      el('h3', {}, 'Waiting list entries'),
      el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, ['Specialty', 'Clinic type', 'Priority', 'Status', 'Clock start', '', ''].map((h) => el('th', {}, h)))), el('tbody', {}, entries)),
      el('h3', {}, 'Appointments'),
      el('table', { class: 'grid', id: 'appointments-table' }, el('thead', {}, el('tr', {}, ['Date', 'Time', 'Clinic', 'Status', ''].map((h) => el('th', {}, h)))), el('tbody', {}, appts)));
  } catch (err) {
    $('#patient-view').replaceChildren();
    report(err);
  }
}

async function loadPathway(id) {
  try {
    const p = await api('GET', '/api/pathways/' + encodeURIComponent(id));
    $('#pathway-view').replaceChildren(el('div', { class: 'card' },
      el('h3', {}, `Pathway ${p.pathway_id} — ${p.specialty}`),
      el('p', {}, p.wait ? `${p.wait.weeks} weeks (${p.wait.band})${p.breach_date ? ', breach date ' + p.breach_date : ''}` : 'clock nullified'),
      el('h4', {}, 'Clock history'),
      el('ol', {}, p.events.map((e) => el('li', {}, `${e.date} ${e.kind} (RTT ${e.status})${e.reason ? ' — ' + e.reason : ''}`)))));
  } catch (err) { report(err); }
}

async function cancelAppointment(a, nhs) {
  const reason = prompt('Cancel the appointment on ' + a.date + '. Reason (the patient\'s words):', 'patient request');
  if (reason === null) return;
  try {
    await api('POST', `/api/appointments/${encodeURIComponent(a.appointment_id)}/cancel`, { by: 'PATIENT', reason });
    flash('Appointment cancelled', 'ok');
    loadPatient(nhs);
  } catch (err) { report(err); }
}

// ---- booking
function startBooking(entry) {
  state.entry = entry;
  state.reschedule = null;
  location.hash = '#/booking';
}
function startReschedule(appt, entry) {
  state.entry = entry;
  state.reschedule = appt;
  location.hash = '#/booking';
}

function loadBookingPage() {
  const e = state.entry;
  const box = $('#booking-entry');
  if (!e) {
    box.textContent = 'Choose a patient to book from the PTL or a patient record.';
    $('#slots-table tbody').replaceChildren();
    return;
  }
  box.replaceChildren(el('strong', {}, state.reschedule ? 'Rescheduling ' : 'Booking '),
    `${e.nhs_number} · ${e.specialty} ${e.clinic_type} · ${e.priority} · clock start ${e.clock_start}`,
    state.reschedule ? ` · now ${state.reschedule.date} ${state.reschedule.time}` : '');
  const f = $('#slots-form');
  f.specialty.value = e.specialty;
  f.clinic_type.value = e.clinic_type;
  loadSlots();
}

async function loadSlots() {
  const f = new FormData($('#slots-form'));
  const seq = (state.slotsSeq = (state.slotsSeq || 0) + 1);  // only the latest answer is shown
  try {
    // For a chosen patient, the booking service offers only slots that meet the rules for them.
    const data = await api('GET', '/api/slots?' + qs({ entry_id: state.entry ? state.entry.entry_id : '',
                                                      short_notice_agreed: state.entry && f.get('short_notice') ? 'true' : '',
                                                      specialty: f.get('specialty'), clinic_type: f.get('clinic_type'),
                                                      from: f.get('from'), to: f.get('to'), limit: 50 }));
    if (seq !== state.slotsSeq) return;
    $('#slots-table tbody').replaceChildren(...data.slots.map((s) => el('tr', {},
      el('td', {}, s.date), el('td', {}, s.time), el('td', {}, s.clinic_code), el('td', {}, s.type),
      el('td', {}, s.length_minutes + ' min'), el('td', { class: 'num' }, s.capacity - s.booked),
      el('td', {}, state.entry && can('book, cancel or reschedule appointments')
        ? el('button', { class: 'small', onclick: () => book(s) }, state.reschedule ? 'Move here' : 'Book') : ''))));
  } catch (err) { report(err); }
}

async function book(slot) {
  const shortNotice = $('#slots-form [name=short_notice]').checked;
  try {
    let r;
    if (state.reschedule) {
      r = await api('POST', `/api/appointments/${encodeURIComponent(state.reschedule.appointment_id)}/reschedule`,
                    { new_slot_id: slot.slot_id, by: 'PATIENT', short_notice_agreed: shortNotice });
    } else {
      r = await api('POST', '/api/appointments', { entry_id: state.entry.entry_id, slot_id: slot.slot_id, short_notice_agreed: shortNotice });
    }
    flash(`Booked ${slot.date} ${slot.time} at ${slot.clinic_code} (appointment ${r.appointment_id || '-'}, ${r.letters} letter(s))`, 'ok');
    state.entry = null;
    state.reschedule = null;
    loadBookingPage();
  } catch (err) { report(err); }
}

// ---- clinics
const days = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
async function loadClinicsPage() {
  $('#clinics-table tbody').replaceChildren(...state.clinics.map((c) => el('tr', {},
    el('td', {}, c.clinic_code), el('td', {}, c.consultant), el('td', {}, c.specialty), el('td', {}, c.clinic_type),
    el('td', {}, days[c.weekday]), el('td', {}, `${c.start}–${c.end}`), el('td', { class: 'num' }, c.slots.length))));
  renderChanges();
  // Utilisation heat map: one row per clinic, one cell per week.
  const results = await Promise.all(state.clinics.map((c) =>
    api('GET', `/api/clinics/${encodeURIComponent(c.clinic_code)}/utilisation?weeks=8`).catch(() => null)));
  const cell = 54, label = 160, height = 22;
  const weeks = results.find((r) => r)?.weeks.map((w) => w.week) || [];
  const rows = results.map((r, i) => r && [
    svg('text', { x: 0, y: 20 + i * height + 15, class: 'axis' }, r.clinic_code),
    r.weeks.map((w, j) => [
      svg('rect', { x: label + j * cell, y: 20 + i * height, width: cell - 2, height: height - 2,
                    fill: `hsl(${120 - 120 * w.utilisation}, 70%, ${85 - 30 * w.utilisation}%)` },
          svg('title', {}, `${r.clinic_code} week of ${w.week}: ${Math.round(w.utilisation * 100)}% (${w.capacity - w.free}/${w.capacity})`)),
      svg('text', { x: label + j * cell + cell / 2 - 1, y: 20 + i * height + 15, 'text-anchor': 'middle', class: 'axis' },
          w.capacity ? Math.round(w.utilisation * 100) + '%' : '–')])]);
  const w = label + weeks.length * cell, h = 24 + results.length * height;
  $('#clinic-heat').replaceChildren(svg('svg', { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: 'img' },
    svg('title', {}, 'slot utilisation by clinic and week'),
    weeks.map((wk, j) => svg('text', { x: label + j * cell + cell / 2, y: 12, 'text-anchor': 'middle', class: 'axis' }, wk.slice(5))),
    rows.flat(3).filter(Boolean)));
}

// The booking service has no "pending changes" query yet (docs/api.md "Hooks"): the ids this
// browser requested are kept in localStorage so a team leader on the same desk can pick them.
function changes() { try { return JSON.parse(localStorage.getItem('hub.changes') || '[]'); } catch (e) { return []; } }
function renderChanges() {
  $('#changes-list').replaceChildren(...changes().map((c) => el('li', {},
    el('a', { href: '#', onclick: (ev) => { ev.preventDefault(); $('#approve-form [name=change_id]').value = c.change_id; } }, c.change_id),
    ` ${c.clinic_code} ${c.kind} ${c.date} — ${c.pending ? 'awaiting approval' : 'applied'}`)));
}

async function requestChange(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = { clinic_code: f.get('clinic_code'), kind: f.get('kind'), comment: f.get('comment') || undefined };
  if (body.kind === 'CANCEL_SESSION') body.session_date = f.get('date'); else body.effective_to = f.get('date');
  try {
    const r = await api('POST', '/api/clinic-changes', body);
    const list = changes();
    list.unshift({ change_id: r.change_id, clinic_code: body.clinic_code, kind: body.kind, date: f.get('date'), pending: r.pending_approval });
    localStorage.setItem('hub.changes', JSON.stringify(list.slice(0, 20)));
    $('#approve-form [name=change_id]').value = r.change_id;
    flash(r.pending_approval ? `Change ${r.change_id} requested: a team leader must approve it` : `Change ${r.change_id} applied`, 'ok');
    renderChanges();
  } catch (err) { report(err); }
}

async function decideChange(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const approve = (ev.submitter && ev.submitter.value) !== 'reject';
  try {
    await api('POST', `/api/clinic-changes/${encodeURIComponent(f.get('change_id'))}/decision`,
              { approve, comment: f.get('comment') || undefined });
    flash(approve ? 'Change approved: affected patients are on the rebooking list' : 'Change rejected', 'ok');
  } catch (err) { report(err); }
}

// ---- integration
async function loadIntegration() {
  if (!can('view integration queues')) return flash('your role cannot see the integration pages', 'error');
  await refreshIntegration();
  loadHooks('#page-integration');
  state.timer = setInterval(refreshIntegration, 5000);
}

async function refreshIntegration() {
  try {
    const s = await api('GET', '/api/integration/status');
    $('#services-table tbody').replaceChildren(...s.services.map((x) => el('tr', {},
      el('td', {}, x.name), el('td', { class: 'num' }, x.queued), el('td', { class: 'num' }, x.in_flight),
      el('td', { class: 'num' }, x.workers), el('td', { class: 'num' + (x.dead ? ' alert' : '') }, x.dead),
      el('td', { class: 'num' }, x.replied))));
    const replied = s.services.reduce((a, x) => a + x.replied, 0), now = Date.now();
    if (state.lastReplied) {
      state.throughput.push(Math.max(0, (replied - state.lastReplied.n) / ((now - state.lastReplied.t) / 1000)));
      state.throughput = state.throughput.slice(-60);
    }
    state.lastReplied = { n: replied, t: now };
    drawThroughput();
    const d = await api('GET', '/api/integration/dead-letters?limit=200');
    $('#dead-table tbody').replaceChildren(...d.dead_letters.map((x) => el('tr', { 'data-id': x.msg_id },
      el('td', { class: 'mono' }, x.msg_id), el('td', {}, x.service), el('td', {}, x.type),
      el('td', { class: 'num' }, x.attempts), el('td', {}, x.reason),
      el('td', {}, can('replay a dead letter') ? el('button', { class: 'small', onclick: () => replay(x.msg_id) }, 'Replay') : ''))));
  } catch (err) { report(err); }
}

function drawThroughput() {
  const width = 720, height = 120, pts = state.throughput;
  const max = Math.max(1, ...pts);
  const path = pts.map((v, i) => `${i ? 'L' : 'M'}${(i / 59) * width},${height - 10 - (v / max) * (height - 20)}`).join(' ');
  $('#throughput').replaceChildren(svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' },
    svg('title', {}, 'answered requests per second'),
    svg('path', { d: path || 'M0,0', class: 'line' }),
    svg('text', { x: 4, y: 12, class: 'axis' }, `max ${max.toFixed(1)}/s`)));
}

async function replay(id) {
  try {
    await api('POST', `/api/integration/dead-letters/${encodeURIComponent(id)}/replay`);
    flash(`Dead letter ${id} replayed`, 'ok');
    refreshIntegration();
  } catch (err) { report(err); }
}

// ---- wiring
document.addEventListener('DOMContentLoaded', async () => {
  $('#signin-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    try {
      const s = await api('POST', '/api/session', { username: f.get('username'), password: f.get('password') });
      ev.target.reset();
      flash('');
      await afterSignIn(s);
    } catch (err) { report(err); }
  });
  $('#signout').addEventListener('click', async () => {
    try { await api('DELETE', '/api/session'); } catch (e) { /* already signed out */ }
    location.hash = '';
    showSignIn('signed out');
  });
  $('#ptl-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadPtlPage(); });
  $('#ptl-form [name=specialty]').addEventListener('change', fillConsultants);
  $('#patient-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = '#/patient/' + encodeURIComponent(new FormData(ev.target).get('nhs').replace(/\s/g, ''));
  });
  $('#slots-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadSlots(); });
  $('#slots-form [name=short_notice]').addEventListener('change', loadSlots);
  $('#change-form').addEventListener('submit', requestChange);
  $('#approve-form').addEventListener('submit', decideChange);
  window.addEventListener('hashchange', route);
  try {
    const s = await fetch('/api/session', { credentials: 'same-origin' });
    if (s.ok) return afterSignIn(await s.json());
  } catch (e) { /* not signed in */ }
  showSignIn();
});
