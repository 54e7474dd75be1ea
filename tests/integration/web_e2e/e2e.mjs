// Browser walk-through of the web UI with Playwright (playwright-core) on Debian's chromium.
// Run by web_e2e_test.sh, which starts the hub and passes BASE_URL, PASSWORD, DEAD_ID,
// SCREENSHOT_DIR and CHROMIUM. Exits non-zero on the first failed step.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import path from 'node:path';

const { BASE_URL, PASSWORD, DEAD_ID, SCREENSHOT_DIR, CHROMIUM } = process.env;
let passed = 0;
const step = async (name, fn) => {
  process.stdout.write(`- ${name} ... `);
  await fn();
  passed++;
  console.log('ok');
};

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(20000);
const shot = (name) => page.screenshot({ path: path.join(SCREENSHOT_DIR, name + '.png'), fullPage: true });
const flash = () => page.locator('#flash');
// The API as the signed-in browser sees it (for finding test data, not for the steps under test).
const apiGet = (p) => page.evaluate(async (u) => (await fetch(u)).json(), p);

async function signIn(user) {
  await page.goto(BASE_URL + '/');
  await page.fill('#signin-form [name=username]', user);
  await page.fill('#signin-form [name=password]', PASSWORD);
  await page.click('#signin-form button[type=submit]');
  await page.locator('#who').filter({ hasText: user }).waitFor();
}
async function signOut() {
  await page.click('#signout');
  await page.locator('#page-signin').waitFor({ state: 'visible' });
}
async function showPtl(filters) {
  await page.goto(BASE_URL + '/#/ptl');
  for (const [name, value] of Object.entries(filters)) {
    await page.selectOption(`#ptl-form [name=${name}]`, value);
  }
  await page.click('#ptl-form button[type=submit]');
  await page.locator('#ptl-summary').filter({ hasText: 'pathways' }).waitFor();
}

try {
  await step('a wrong password is refused', async () => {
    await page.goto(BASE_URL + '/');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'signin.png') });
    await page.fill('#signin-form [name=username]', 'clerk');
    await page.fill('#signin-form [name=password]', 'not the password');
    await page.click('#signin-form button[type=submit]');
    await flash().filter({ hasText: 'wrong user name or password' }).waitFor();
  });

  await step('clerk signs in and sees the PTL', async () => {
    await signIn('clerk');
    await page.locator('#page-ptl').waitFor({ state: 'visible' });
    await page.locator('#ptl-summary').filter({ hasText: 'pathways' }).waitFor();
    assert.ok(await page.locator('#ptl-table tbody tr').count() > 0, 'PTL has rows');
    await shot('ptl');
  });

  const clinics = (await apiGet('/api/clinics')).clinics;
  const specialties = [...new Set(clinics.map((c) => c.specialty))];

  await step('the PTL filters by priority and status', async () => {
    await showPtl({ specialty: specialties[0], priority: 'URGENT' });
    const priorities = await page.locator('#ptl-table tbody tr td:nth-child(3)').allTextContents();
    assert.ok(priorities.every((p) => p === 'URGENT'), 'only URGENT rows: ' + priorities.join(','));
    await showPtl({ specialty: specialties[0], priority: '', status: 'BOOKED' });
    const statuses = await page.locator('#ptl-table tbody tr td:nth-child(5)').allTextContents();
    assert.ok(statuses.length > 0 && statuses.every((s) => s === 'BOOKED'), 'only BOOKED rows');
    await shot('ptl-filtered');
  });

  await step('book a patient from the waiting list', async () => {
    // Test data: the demo fills every new-patient slot. A patient cancels next week's appointment
    // (too soon for the automatic booking, which keeps reasonable notice, RULES §2.2), so a
    // waiting patient who agrees to short notice can be offered that slot by the clerk.
    const waitingEntry = await page.evaluate(async (specialties) => {
      const { csrf } = await (await fetch('/api/session')).json();
      const soon = new Date(Date.now() + 18 * 86400e3).toISOString().slice(0, 10);
      const tomorrow = new Date(Date.now() + 86400e3).toISOString().slice(0, 10);
      for (const sp of specialties) {
        const q = `/api/ptl?specialty=${encodeURIComponent(sp)}&limit=1000`;
        const booked = (await (await fetch(q + '&status=BOOKED')).json()).rows
          .filter((r) => r.appointment_date && r.appointment_date > tomorrow && r.appointment_date <= soon);
        const waiting = (await (await fetch(q + '&status=WAITING')).json()).rows;
        for (const b of booked) {
          await fetch(`/api/appointments/${encodeURIComponent(b.entry.appointment_id)}/cancel`, {
            method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
            body: JSON.stringify({ by: 'PATIENT', reason: 'cannot make it' }) });
          for (const w of waiting.slice(0, 40)) {
            const offers = await (await fetch(`/api/slots?short_notice_agreed=true&entry_id=${encodeURIComponent(w.entry.entry_id)}`)).json();
            if (offers.slots && offers.slots.length) return w.entry;
          }
        }
      }
      return null;
    }, specialties);
    assert.ok(waitingEntry, 'a waiting patient with an offer');
    await showPtl({ specialty: waitingEntry.specialty, priority: '', status: 'WAITING' });
    await shot('ptl-waiting');
    const row = page.locator(`#ptl-table tbody tr[data-entry="${waitingEntry.entry_id}"]`);
    await row.locator('button', { hasText: 'Book' }).click();
    await page.locator('#page-booking').waitFor({ state: 'visible' });
    await page.check('#slots-form [name=short_notice]');
    await page.locator('#slots-table tbody tr button').first().waitFor();
    await shot('booking');
    await page.locator('#slots-table tbody tr button').first().click();
    await flash().filter({ hasText: 'Booked' }).waitFor();
    await showPtl({ specialty: waitingEntry.specialty, priority: '', status: 'BOOKED' });
    assert.equal(await page.locator(`#ptl-table tbody tr[data-entry="${waitingEntry.entry_id}"]`).count(), 1,
                 'the patient is now booked');
  });

  // A booked appointment inside the notice period, to cancel its clinic session.
  let target = null;
  const soonest = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 10);
  const noticeEnd = new Date(Date.now() + 40 * 86400e3).toISOString().slice(0, 10);
  for (const s of specialties) {
    const rows = (await apiGet(`/api/ptl?specialty=${encodeURIComponent(s)}&status=BOOKED&limit=1000`)).rows
      .filter((r) => r.appointment_date > soonest && r.appointment_date <= noticeEnd);
    for (const r of rows) {
      const p = await apiGet('/api/patients/' + r.entry.nhs_number);
      // Inside the 6-week notice period, so the cancellation needs a team leader's approval.
      const a = p.appointments.find((x) => x.status === 'BOOKED' && x.entry_id === r.entry.entry_id &&
                                           x.date > soonest && x.date <= noticeEnd);
      if (a) { target = { entry: r.entry, appt: a }; break; }
    }
    if (target) break;
  }
  assert.ok(target, 'a booked appointment to cancel');

  await step('the patient record shows the pathway', async () => {
    await page.goto(BASE_URL + '/#/patient/' + target.entry.nhs_number);
    await page.locator('#appointments-table tbody tr').first().waitFor();
    await page.locator('#patient-view a', { hasText: 'pathway' }).first().click();
    await page.locator('#pathway-view h4', { hasText: 'Clock history' }).waitFor();
    await shot('patient');
  });

  await step('clerk requests a clinic cancellation and may not approve it', async () => {
    await page.goto(BASE_URL + '/#/clinics');
    await page.locator('#clinic-heat svg').waitFor();
    await page.selectOption('#change-form [name=clinic_code]', target.appt.clinic_code);
    await page.selectOption('#change-form [name=kind]', 'CANCEL_SESSION');
    await page.fill('#change-form [name=date]', target.appt.date);
    await page.fill('#change-form [name=comment]', 'consultant on leave');
    await page.click('#change-form button[type=submit]');
    await flash().filter({ hasText: 'requested' }).waitFor();
    await page.click('#approve-form button[value=approve]');
    await flash().filter({ hasText: 'may not approve a clinic change' }).waitFor();
    await shot('clinics-clerk-refused');
  });

  await step('team leader approves: the patient goes on the rebooking list', async () => {
    await signOut();
    await signIn('leader');
    await page.goto(BASE_URL + '/#/clinics');
    await page.locator('#changes-list a').first().click();
    await page.click('#approve-form button[value=approve]');
    await flash().filter({ hasText: 'approved' }).waitFor();
    await shot('clinics-approved');
    const p = await apiGet('/api/patients/' + target.entry.nhs_number);
    const entry = p.entries.find((e) => e.entry_id === target.entry.entry_id);
    assert.ok(['REBOOKING', 'BOOKED'].includes(entry.status), 'entry status ' + entry.status);
    assert.ok(p.appointments.some((a) => a.appointment_id === target.appt.appointment_id && a.status === 'CANCELLED_BY_HOSPITAL'),
              'the appointment was cancelled by the hospital');
    if (entry.status === 'REBOOKING') {
      await showPtl({ specialty: target.entry.specialty, priority: '', status: 'REBOOKING' });
      assert.equal(await page.locator(`#ptl-table tbody tr[data-entry="${entry.entry_id}"]`).count(), 1, 'on the rebooking list');
      await shot('ptl-rebooking');
    }
  });

  await step('integration admin replays a dead letter', async () => {
    await signOut();
    await signIn('integ');
    await page.goto(BASE_URL + '/#/integration');
    const row = page.locator(`#dead-table tbody tr[data-id="${DEAD_ID}"]`);
    await row.waitFor();
    await page.locator('#throughput svg').waitFor();
    await shot('integration');
    await row.locator('button', { hasText: 'Replay' }).click();
    await flash().filter({ hasText: 'replayed' }).waitFor();
    await row.waitFor({ state: 'detached' });
  });

  await step('pages waiting for other branches say so', async () => {
    await page.locator('#page-integration .hook-text').filter({ hasText: 'not available yet' }).waitFor();
    await signOut();
    await signIn('clerk');
    await page.goto(BASE_URL + '/#/tasks');
    await page.locator('#page-tasks .hook-text').filter({ hasText: 'not available yet' }).waitFor();
    await shot('tasks');
  });
  console.log(`${passed} passed, 0 failed`);
} catch (err) {
  console.log('FAILED');
  console.error(err);
  await shot('failure').catch(() => {});
  console.log(`${passed} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
