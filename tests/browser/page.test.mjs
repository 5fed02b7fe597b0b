// Drives the installer's page in Debian's headless Chromium, as an installer would: on a desktop,
// changing an output's triggers, a refusal next to its field, the test button and the live state;
// then on a phone at the door, the whole guide: input 1 on a high-level trigger with an alarm
// report (warned that it fires at once), output 2 linked to input 2 with its own pulse, the code
// of output 1 changed, an ALERT= trigger typed in lower case, output 2 on while ringing or
// talking, bad values, the test button, the live view's words and lists, the line's registration
// a backup, the history (who pulsed out1, on a phone, as a CSV file), a user with a PIN, users from
// a CSV file and back, the door's settings and the time profiles. Screenshots go to the folder given. Exits non-zero, saying what went wrong, at the
// first failed check; the C++ side (tests/integration/web_page_test.cpp) then checks on the bus and
// on the simulated line that what the page saved really works.
//
//   node tests/browser/page.test.mjs --url http://127.0.0.1:8080/ --password '...' --screenshots build/screenshots
import { mkdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: options } = parseArgs({
  options: { url: { type: 'string' }, password: { type: 'string' }, screenshots: { type: 'string' },
             chromium: { type: 'string', default: '/usr/bin/chromium' } },
});
mkdirSync(options.screenshots, { recursive: true });

function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
  console.log('ok - ' + what);
}

async function textOf(locator) { return (await locator.first().textContent()) ?? ''; }

/// A new browser page, logged in, with every script error and unexpected console error collected.
async function loggedIn(browser, name, viewport) {
  const context = await browser.newContext({ viewport, isMobile: name !== 'desktop', hasTouch: name !== 'desktop', acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push('page error: ' + error.message));
  // A refused save is an HTTP 4xx the browser reports on its console; that one is expected.
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()))
      problems.push('console: ' + message.text());
  });
  const shot = (what) => page.screenshot({ path: `${options.screenshots}/${name}-${what}.png`, fullPage: true });
  await page.goto(options.url);
  await page.locator('#login-form input[name=password]').fill(options.password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#live-outputs li[data-output=out1]').waitFor({ timeout: 10000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `${name}: nothing is wider than the screen (${overflow} px over)`);
  return { context, page, problems, shot };
}

async function saveAndWait(form, what) {
  await form.locator('button[type=submit]').click();
  await form.locator('.saved', { hasText: 'in force' }).waitFor({ timeout: 10000 });
  check(true, what);
}

async function desktop(browser) {
  const { context, page, problems, shot } = await loggedIn(browser, 'desktop', { width: 1280, height: 900 });
  check(await page.locator('#services li.online').count() >= 4, 'desktop: every service shows online');
  await shot('live');

  // The guide's remote DTMF trigger on output 2, code 4321.
  await page.locator('#tabs button[data-tab=outputs]').click();
  const out2 = page.locator('#output-out2');
  await out2.locator('input[name="dtmf.enabled"]').check();
  await out2.locator('input[name="dtmf.code"]').fill('4321');
  await saveAndWait(out2, 'desktop: the DTMF trigger of out2 is saved and in force');
  await shot('outputs-saved');

  // The test button, then the live view shows the output on, with its time left, and off again.
  await page.locator('#output-out1 button[data-test=out1]').click();
  await page.locator('#tabs button[data-tab=live]').click();
  const badge = page.locator('#live-outputs li[data-output=out1] .badge');
  await badge.filter({ hasText: 'pulse' }).waitFor({ timeout: 5000 });
  check(/s left/.test(await textOf(page.locator('#live-outputs [data-remaining=out1]'))), 'desktop: out1 pulses, with its remaining time');
  check((await textOf(page.locator('#live-outputs [data-why=out1]'))).includes('test button'), 'desktop: and why: the test button');
  await shot('live-test-pulse');
  await badge.filter({ hasText: 'off' }).waitFor({ timeout: 10000 });
  check(true, 'desktop: out1 is off again when its pulse ends');

  // The doors and time profiles as the shipped configuration has them, and the door's state in the Live view.
  await page.locator('#tabs button[data-tab=doors]').click();
  await page.locator('#door-out1 select[name=contact]').waitFor({ timeout: 10000 });
  check(await page.locator('#door-out1 select[name=contact]').inputValue() === 'in1' && await page.locator('#door-out1 select[name=exit]').inputValue() === 'in3',
        'desktop: the front door\'s contact is in1, its exit button in3');
  check(await page.locator('#schedule-form fieldset.profile[data-profile=office-hours]').count() === 1, 'desktop: the office hours are shown');
  await shot('doors');
  await page.locator('#tabs button[data-tab=live]').click();
  check(await page.locator('#live-doors li[data-door=out1]').count() === 1, 'desktop: the Live view lists the front door');

  const html = await page.content();
  check(!html.includes('4321') && !html.includes('1234'), 'desktop: no DTMF code anywhere in the page');
  check(problems.length === 0, `desktop: no script errors (${problems.join('; ')})`);
  await context.close();
}

async function phoneDoingTheGuide(browser) {
  const width = 390;
  const height = 844;
  const { context, page, problems, shot } = await loggedIn(browser, 'phone', { width, height });

  // The layout a thumb meets: a header that leaves the screen to the page, every tab in sight.
  const header = await page.locator('header').boundingBox();
  check(header.height <= 0.12 * height, `phone: the header takes ${Math.round(header.height)} of ${height} px`);
  check((await textOf(page.locator('#services-summary'))).includes('services online'), 'phone: the header says every service is online');
  for (const tab of await page.locator('#tabs button').all()) {
    const box = await tab.boundingBox();
    check(box.x >= 0 && box.x + box.width <= width && box.y + box.height <= height / 3, `phone: the tab "${await tab.textContent()}" is in sight`);
  }
  await shot('live');

  // Event lists: newest first, each line with its time, no numbers (the 10th item lost its "1").
  const fired = page.locator('#live-fired li');
  check(await page.locator('ol').count() === 0, 'phone: no numbered lists');
  check(await fired.count() >= 12, `phone: the rule firings before the page was opened are listed (${await fired.count()})`);
  const times = await page.locator('#live-fired li time').allTextContents();
  check(times.length === await fired.count() && times.every((text) => /\d/.test(text)), 'phone: every firing has its time');
  const linkage = fired.filter({ hasText: 'in2 (input trigger) → out2 pulse' });
  check(await linkage.count() >= 1, `phone: a firing in words: "${await textOf(linkage)}"`);

  // 1. Input 1 on a high-level trigger, with an alarm report: its line is high now, so it fires at
  // once; the page says so before it does it.
  await page.locator('#tabs button[data-tab=inputs]').click();
  const in1 = page.locator('#input-in1');
  check((await textOf(in1.locator('[data-now=in1]'))).startsWith('inactive (line high'), 'phone: input 1 shows its state now: inactive, line high');
  const box = await in1.locator('input[name="report.enabled"]').boundingBox();
  check(box.width >= 20 && box.height >= 20, `phone: a checkbox is ${Math.round(box.width)} px, big enough for a thumb`);
  await in1.locator('select[name=trigger]').selectOption('high');
  await in1.locator('input[name="report.message"]').fill('door_open');
  check(await in1.locator('input[name="report.message"]').inputValue() === 'DOOR_OPEN', 'phone: the ALERT= message is written in capitals as it is typed');
  await in1.locator('button[type=submit]').click();
  const warning = in1.locator('.warning');
  await warning.filter({ hasText: /./ }).waitFor({ timeout: 5000 });
  check((await textOf(warning)).includes('becomes active as soon as it is saved') && (await textOf(warning)).includes('ALERT=DOOR_OPEN'),
        `phone: warned before an alarm goes out: "${await textOf(warning)}"`);
  await shot('input-warning');
  await saveAndWait(in1, 'phone: the second Save puts input 1 on a high-level trigger');
  await page.locator('#input-in1 [data-now=in1]', { hasText: 'active (line high' }).waitFor({ timeout: 5000 });
  check((await textOf(page.locator('#input-in1 [data-now=in1]'))).startsWith('active'), 'phone: input 1 is active now');
  await page.locator('#tabs button[data-tab=live]').click();
  const delivery = page.locator('#live-deliveries li', { hasText: 'alarm-server' });
  await delivery.first().waitFor({ timeout: 10000 });
  check(true, `phone: the live view shows what became of the report: "${await textOf(delivery)}"`);

  // A report to nowhere is refused when it is saved, next to its field.
  await page.locator('#tabs button[data-tab=inputs]').click();
  const in2 = page.locator('#input-in2');
  await in2.locator('input[name="report.to"]').fill('nobody');
  await in2.locator('button[type=submit]').click();
  const toError = in2.locator('.error[data-field="report.to"]');
  await toError.filter({ hasText: /./ }).waitFor({ timeout: 5000 });
  check((await textOf(toError)).includes('not an alias'), `phone: a report to "nobody" is refused: "${await textOf(toError)}"`);
  await in2.locator('input[name="report.to"]').fill('alarm-server');

  // 2. Output 2 linked to input 2, pulsing 3 s of its own (its own pulse is shown: it was 10 s).
  await page.locator('#tabs button[data-tab=outputs]').click();
  const out2 = page.locator('#output-out2');
  check(await out2.locator('input[name="pulses.input"]').inputValue() === '10', 'phone: the input linkage shows its own 10 s pulse');
  await out2.locator('input[name="input.enabled"]').check();
  await out2.locator('select[name="input.input"]').selectOption('in2');
  await out2.locator('input[name="pulses.input"]').fill('3');
  // 5. ... and on while ringing or talking.
  await out2.locator('input[name="call_state.enabled"]').check();
  await out2.locator('input[name="call_state.ringing"]').check();
  await out2.locator('input[name="call_state.talking"]').check();
  await out2.locator('select[name="call_state.action"]').selectOption('on');
  await saveAndWait(out2, 'phone: output 2 follows input 2 (3 s) and is on while ringing or talking');

  // 3. Output 1's code 1234 becomes 2580; 4. its message trigger typed in lower case.
  const out1 = page.locator('#output-out1');
  await out1.locator('input[name="dtmf.code"]').fill('2580');
  await out1.locator('input[name="message.trigger"]').fill('gate_open');
  check(await out1.locator('input[name="message.trigger"]').inputValue() === 'GATE_OPEN', 'phone: the trigger message is in capitals');
  await saveAndWait(out1, 'phone: output 1 opens with 2580 and with ALERT=GATE_OPEN');
  check(await out1.locator('input[name="dtmf.code"]').inputValue() === '', 'phone: the code field is empty again (the code is never shown)');

  // A reset code equal to the trigger code would never let the door open: refused.
  await out1.locator('input[name="dtmf.reset_enabled"]').check();
  await out1.locator('input[name="dtmf.reset_code"]').fill('2580');
  await out1.locator('button[type=submit]').click();
  const dtmfError = out1.locator('fieldset[data-section=dtmf] .error').filter({ hasText: /./ });
  await dtmfError.first().waitFor({ timeout: 10000 });
  check((await textOf(dtmfError)).includes('same code'), `phone: a reset code equal to the trigger code is refused: "${await textOf(dtmfError)}"`);
  await out1.locator('input[name="dtmf.reset_code"]').fill('');

  // A duration of 0 s: refused next to the field, in seconds, with no JSON path.
  await out1.locator('input[name=pulse_s]').fill('0');
  await out1.locator('button[type=submit]').click();
  const durationError = out1.locator('.error[data-field=pulse_ms]');
  await durationError.filter({ hasText: /./ }).waitFor({ timeout: 10000 });
  const durationText = await textOf(durationError);
  check(durationText.includes('0.001 s') && !durationText.includes('/outputs'), `phone: the duration's refusal is in seconds: "${durationText}"`);
  await shot('outputs-refused');
  await out1.locator('input[name=pulse_s]').fill('5');

  // The test button; the live view says it pulses, for how long, and why.
  await out1.locator('button[data-test=out1]').click();
  await page.locator('#tabs button[data-tab=live]').click();
  const badge = page.locator('#live-outputs li[data-output=out1] .badge');
  await badge.filter({ hasText: 'pulse' }).waitFor({ timeout: 5000 });
  check(/s left/.test(await textOf(page.locator('#live-outputs [data-remaining=out1]'))), 'phone: out1 pulses, with its remaining time');
  check((await textOf(page.locator('#live-outputs [data-why=out1]'))).includes('test button'), 'phone: and why: the test button');
  await shot('live-test-pulse');

  // The history: who switched out1, and why, on a phone; older pages; a CSV file of the same.
  await badge.filter({ hasText: 'off' }).waitFor({ timeout: 10000 });
  await page.locator('#tabs button[data-tab=history]').click();
  const history = page.locator('#history-form');
  await history.locator('select[name=port]').selectOption('output:out1');
  await history.locator('button[type=submit]').click();
  const rows = page.locator('#history tbody tr');
  // The table of these filters, not the one the tab showed first.
  await page.locator('#history[data-shown="output=out1"]').waitFor({ timeout: 10000 });
  await rows.first().waitFor({ timeout: 10000 });
  const lines = await page.locator('#history tbody td.line').allTextContents();
  check(lines.some((line) => line.includes('the test button on this page')), `phone: the history says who pulsed out1: "${lines[0]}"`);
  check((await page.locator('#history tbody tr[data-kind=output]').count()) === (await rows.count()), 'phone: only out1\'s events');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(wide <= 0, `phone: the history fits the screen (${wide} px over)`);
  await shot('history');
  // The page's own logins are there; a text no event holds finds nothing, and says so.
  await history.locator('select[name=port]').selectOption('');
  await history.locator('select[name=kind]').selectOption('login');
  await history.locator('button[type=submit]').click();
  await page.locator('#history[data-shown="kind=login"]').waitFor({ timeout: 10000 });
  await rows.first().waitFor({ timeout: 10000 });
  check((await textOf(page.locator('#history tbody td.line'))).includes('page login ok from'), 'phone: the history keeps the logins that got in');
  await history.locator('input[name=text]').fill('no event says this');
  await history.locator('button[type=submit]').click();
  await page.locator('#history-empty').waitFor({ state: 'visible', timeout: 5000 });
  check(true, 'phone: a filter that finds nothing says so');
  await history.locator('input[name=text]').fill('');
  await history.locator('select[name=kind]').selectOption('output');
  await history.locator('button[type=submit]').click();
  await rows.first().waitFor({ timeout: 10000 });
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#history-csv').click()]);
  const csv = readFileSync(await csvDownload.path(), 'utf8');
  check(csv.startsWith('time,kind,port,cause,event,source,id') && csv.includes('web:test'), 'phone: the CSV holds the outputs\' events with their cause');

  // The users: Anna may open the lock in office hours, with a PIN; a PIN too short is refused next
  // to its field; the PIN is never shown again (the list says "PIN (keypad)").
  await page.locator('#tabs button[data-tab=users]').click();
  await page.locator('#users-empty').waitFor({ state: 'visible', timeout: 10000 });
  const userForm = page.locator('#user-form');
  await userForm.locator('input[name=id]').fill('anna');
  await userForm.locator('input[name=name]').fill('Anna Berg');
  await userForm.locator('input[name=door][value=out1]').check();
  await userForm.locator('select[name=profile]').selectOption('office-hours');
  await userForm.locator('input[name=callers]').fill('sip:anna@pbx.local');
  await userForm.locator('button[type=submit]').click();
  const anna = page.locator('#users li[data-user=anna]');
  await anna.waitFor({ timeout: 10000 });
  check((await textOf(anna)).includes('Doors: out1') && (await textOf(anna)).includes('profile office-hours'), `phone: a user added: "${await textOf(anna.locator('div').nth(1))}"`);
  const pin = anna.locator('form.pin');
  await pin.locator('input[name=value]').fill('47');
  await pin.locator('button[type=submit]').click();
  await pin.locator('.error', { hasText: 'a PIN is 4 to 12 digits' }).waitFor({ timeout: 10000 });
  check(true, 'phone: a PIN too short is refused next to its field');
  await pin.locator('input[name=value]').fill('4711');
  await pin.locator('input[name=label]').fill('keypad');
  await pin.locator('button[type=submit]').click();
  await page.locator('#users li[data-user=anna] .credentials li', { hasText: 'PIN (keypad)' }).waitFor({ timeout: 10000 });
  check(true, 'phone: the PIN is listed by its label');
  const usersWide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(usersWide <= 0, `phone: the users fit the screen (${usersWide} px over)`);
  check(!(await page.content()).includes('4711'), 'phone: the PIN is nowhere in the page once added');
  await shot('users');

  // A spreadsheet's CSV: Ben with a PIN, imported; a file in a legacy code page refused before it
  // is sent; the export holds both users and no PIN.
  const importForm = page.locator('#users-import');
  await importForm.locator('input[name=file]').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv',
    buffer: Buffer.from('\uFEFFid,name,doors,pins\r\nben,"Cole, Ben",out1,2468\r\n', 'utf8') });
  await importForm.locator('button[type=submit]').click();
  await page.locator('#users-import-result', { hasText: 'Imported: 1 users added, 0 changed, 1 PINs and cards added.' }).waitFor({ timeout: 15000 });
  await page.locator('#users li[data-user=ben]').waitFor({ timeout: 10000 });
  check((await textOf(page.locator('#users li[data-user=ben]'))).includes('Cole, Ben'), 'phone: a CSV file imports Ben, his name with its comma');
  await importForm.locator('input[name=file]').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv',
    buffer: Buffer.from('id,name\r\nmm,M\xfcller\r\n', 'latin1') });
  await importForm.locator('button[type=submit]').click();
  await page.locator('#users-import-error', { hasText: 'not UTF-8' }).waitFor({ timeout: 10000 });
  check(await page.locator('#users li[data-user=mm]').count() === 0, `phone: a Latin-1 file is refused: "${await textOf(page.locator('#users-import-error'))}"`);
  const [usersDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#users-csv').click()]);
  const usersCsv = readFileSync(await usersDownload.path(), 'utf8');
  check(usersCsv.startsWith('id,name,enabled,doors,profile') && usersCsv.includes('anna,Anna Berg') && usersCsv.includes('"Cole, Ben"'),
        'phone: the users\' CSV holds Anna and Ben');
  check(!usersCsv.includes('4711') && !usersCsv.includes('2468'), 'phone: and no PIN');

  // The doors: out1's door held open after 45 s, without its exit button; a fraction refused next to
  // its field. The time profiles: office hours cannot go while Anna holds them; two intervals that
  // overlap are refused next to the second; cleaners on Saturday mornings and Christmas Eve saved.
  page.on('dialog', (dialog) => dialog.accept());
  await page.locator('#tabs button[data-tab=doors]').click();
  const door = page.locator('#door-out1');
  await door.waitFor({ timeout: 10000 });
  const doorNowText = await textOf(door.locator('[data-door-now=out1]'));
  check(doorNowText === 'shut' || doorNowText === 'open', `phone: the front door's state now: "${doorNowText}"`);
  await door.locator('input[name=held_open_s]').fill('1.5');
  await door.locator('button[type=submit]').click();
  const heldError = door.locator('.error[data-field=held_open_s]');
  await heldError.filter({ hasText: /./ }).waitFor({ timeout: 10000 });
  check((await textOf(heldError)).includes('whole number'), `phone: 1.5 s is refused next to its field: "${await textOf(heldError)}"`);
  await door.locator('input[name=held_open_s]').fill('45');
  await door.locator('select[name=exit]').selectOption('');
  await saveAndWait(door, 'phone: the front door is held open after 45 s, with no exit button');
  check(await page.locator('#door-out1 select[name=exit]').inputValue() === '', 'phone: the exit button shows none');

  const schedule = page.locator('#schedule-form');
  await schedule.locator('fieldset.profile[data-profile=office-hours] button', { hasText: 'Remove this profile' }).click();
  await schedule.locator('button[type=submit]').click();
  const scheduleError = schedule.locator('.error[data-field=""]').last();
  await scheduleError.filter({ hasText: /./ }).waitFor({ timeout: 10000 });
  check((await textOf(scheduleError)).includes('office-hours is the time profile of 1 user (anna)'),
        `phone: a profile Anna holds is not removed: "${await textOf(scheduleError)}"`);
  await page.locator('#profile-add').click();
  await page.locator('#profile-add').click();
  const office = schedule.locator('fieldset.profile').nth(0);
  await office.locator('input[name=name]').fill('office-hours');
  await office.locator('.interval input[name=from]').fill('07:00');
  await office.locator('.interval input[name=to]').fill('19:00');
  await office.locator('button', { hasText: 'Add an interval' }).click();
  const second = schedule.locator('fieldset.profile').nth(0).locator('.interval').nth(1);
  await second.locator('input[name=from]').fill('18:00');
  await second.locator('input[name=to]').fill('20:00');
  const cleaners = schedule.locator('fieldset.profile').nth(1);
  await cleaners.locator('input[name=name]').fill('cleaners');
  const weekdays = cleaners.locator('.interval input[type=checkbox]');
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri']) await cleaners.locator(`.interval input[value=${day}]`).uncheck();
  await cleaners.locator('.interval input[value=sat]').check();
  check(await weekdays.count() === 8, 'phone: an interval offers the seven days and holidays');
  await cleaners.locator('.interval input[name=from]').fill('06:00');
  await cleaners.locator('.interval input[name=to]').fill('09:00');
  await schedule.locator('textarea[name=holidays]').fill('01-01\n12-24\n12-25\n12-26');
  await schedule.locator('button[type=submit]').click();
  const overlapError = schedule.locator('.error[data-field="profiles.0.intervals.1"]');
  await overlapError.filter({ hasText: /./ }).waitFor({ timeout: 10000 });
  check((await textOf(overlapError)).includes('overlap'), `phone: overlapping intervals are refused next to the second: "${await textOf(overlapError)}"`);
  await schedule.locator('fieldset.profile').nth(0).locator('.interval').nth(1).locator('button', { hasText: 'Remove' }).click();
  await saveAndWait(schedule, 'phone: office hours, cleaners on Saturday mornings and four holidays are saved');
  check(await schedule.locator('fieldset.profile[data-profile=cleaners]').count() === 1, 'phone: the cleaners\' profile is shown as in force');
  const doorsWide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(doorsWide <= 0, `phone: the doors and profiles fit the screen (${doorsWide} px over)`);
  await shot('doors');
  await page.locator('#tabs button[data-tab=users]').click();
  check(await page.locator('#user-form select[name=profile] option[value=cleaners]').count() === 1, 'phone: a user can be given the new profile');

  // The line: its registration next to the form.
  await page.locator('#tabs button[data-tab=line]').click();
  check((await textOf(page.locator('#line-registration'))).startsWith('Registration: '), `phone: ${await textOf(page.locator('#line-registration'))}`);

  // A backup: the whole configuration, no code in it.
  await page.locator('#tabs button[data-tab=device]').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-backup').click()]);
  const backup = JSON.parse(readFileSync(await download.path(), 'utf8'));
  check(backup.intercom_io_backup === 1 && backup.configs.gpio && backup.configs.rules, 'phone: a backup downloads with every configuration');
  const text = JSON.stringify(backup);
  check(!text.includes('2580') && !text.includes('1234') && text.includes('GATE_OPEN'), 'phone: the backup holds no code');
  await shot('device');

  const html = await page.content();
  check(!html.includes('2580') && !html.includes('1234'), 'phone: no DTMF code anywhere in the page');
  check(problems.length === 0, `phone: no script errors (${problems.join('; ')})`);
  await context.close();
}

const browser = await chromium.launch({ executablePath: options.chromium, args: ['--no-sandbox'] });
try {
  await desktop(browser);
  await phoneDoingTheGuide(browser);
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
