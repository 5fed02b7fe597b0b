// Drives the installer's page in Debian's headless Chromium, as an installer would with a desktop
// browser and with a phone: log in, change an output's trigger settings, save, see a refusal next
// to its field, press the test button, see the live state change. Screenshots go to the folder
// given. Exits non-zero, saying what went wrong, at the first failed check.
//
//   node tests/browser/page.test.mjs --url http://127.0.0.1:8080/ --password '...' --screenshots build/screenshots
import { mkdirSync } from 'node:fs';
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

async function textOf(page, selector) { return (await page.locator(selector).first().textContent()) ?? ''; }

async function run(browser, name, viewport, changes) {
  const context = await browser.newContext({ viewport, isMobile: name === 'phone', hasTouch: name === 'phone' });
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
  check(await page.locator('#services li.online').count() >= 4, `${name}: every service shows online`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `${name}: nothing is wider than the screen (${overflow} px over)`);
  await shot('live');

  // An output's triggers: change them and save.
  await page.locator('#tabs button[data-tab=outputs]').click();
  const out2 = page.locator('#output-out2');
  await out2.waitFor();
  await changes(out2);
  await out2.locator('button[type=submit]').click();
  await out2.locator('.saved', { hasText: 'in force' }).waitFor({ timeout: 10000 });
  check(true, `${name}: the changed triggers of out2 are saved and in force`);
  await shot('outputs-saved');

  // A wrong value: refused next to its field, nothing changed.
  const out1 = page.locator('#output-out1');
  await out1.locator('input[name=pulse_s]').fill('0');
  await out1.locator('button[type=submit]').click();
  const fieldError = out1.locator('.error[data-field=pulse_ms]');
  await fieldError.filter({ hasText: /./ }).waitFor({ timeout: 10000 });
  check((await fieldError.textContent()).includes('pulse_ms'), `${name}: the refusal is shown next to the duration: "${await fieldError.textContent()}"`);
  await shot('outputs-refused');

  // The test button, then the live view shows the output on, with its time left, and off again.
  await out1.locator('button[data-test=out1]').click();
  await page.locator('#tabs button[data-tab=live]').click();
  const badge = page.locator('#live-outputs li[data-output=out1] .badge');
  await badge.filter({ hasText: 'on' }).waitFor({ timeout: 5000 });
  check(/s left/.test(await textOf(page, '#live-outputs [data-remaining=out1]')), `${name}: out1 is on, with its remaining time`);
  await shot('live-test-pulse');
  await badge.filter({ hasText: 'off' }).waitFor({ timeout: 10000 });
  check(true, `${name}: out1 is off again when its pulse ends`);

  const html = await page.content();
  check(!html.includes('4321') && !html.includes('1234'), `${name}: no DTMF code anywhere in the page`);
  check(problems.length === 0, `${name}: no script errors (${problems.join('; ')})`);
  await context.close();
}

const browser = await chromium.launch({ executablePath: options.chromium, args: ['--no-sandbox'] });
try {
  await run(browser, 'desktop', { width: 1280, height: 900 }, async (out2) => {
    // The guide's remote DTMF trigger on output 2, code 4321.
    await out2.locator('input[name="dtmf.enabled"]').check();
    await out2.locator('input[name="dtmf.code"]').fill('4321');
  });
  await run(browser, 'phone', { width: 390, height: 844 }, async (out2) => {
    // The call-state trigger also while talking, and the light on rather than blinking.
    await out2.locator('input[name="call_state.talking"]').check();
    await out2.locator('select[name="call_state.action"]').selectOption('on');
  });
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
