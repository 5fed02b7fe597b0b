// The installer at the door with a phone, on the LAN: the page over HTTPS at the device's LAN
// address, from another host (a network namespace; tests/integration/lan_test.cpp starts this
// there). Chromium trusts exactly the device's certificate (its public key's SHA-256, as a browser
// that was told to accept it once), the login screen shows the certificate's fingerprint before
// the password is typed, the whole login goes through, the test button pulses the lock and the live view shows it, and the
// Device tab shows the LAN settings with the same fingerprint. Exits non-zero at the first failed check.
//
//   node tests/browser/lan.test.mjs --url https://198.18.0.1:8443/ --password '...' --spki BASE64 --fingerprint AB:CD:... --screenshots DIR
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: options } = parseArgs({
  options: { url: { type: 'string' }, password: { type: 'string' }, spki: { type: 'string' }, fingerprint: { type: 'string' },
             screenshots: { type: 'string' }, chromium: { type: 'string', default: '/usr/bin/chromium' } },
});
mkdirSync(options.screenshots, { recursive: true });

function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
  console.log('ok - ' + what);
}

// Only this certificate is accepted: another one (a man in the middle) fails the TLS handshake.
const browser = await chromium.launch({
  executablePath: options.chromium,
  args: ['--no-sandbox', `--ignore-certificate-errors-spki-list=${options.spki}`],
});
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push('page error: ' + error.message));
  const shot = (what) => page.screenshot({ path: `${options.screenshots}/lan-phone-${what}.png`, fullPage: true });

  const response = await page.goto(options.url);
  check(response.ok() && page.url().startsWith('https://'), `the page opens over HTTPS at ${options.url}`);
  await page.locator('#login-form input[name=password]').waitFor({ timeout: 10000 });
  const shown = await page.locator('#certificate-fingerprint').textContent();
  check(shown === options.fingerprint, `the login screen shows the certificate's fingerprint before the password (${shown})`);
  await shot('login');
  await page.locator('#login-form input[name=password]').fill(options.password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#live-outputs li[data-output=out1]').waitFor({ timeout: 10000 });
  check(true, 'logged in from the LAN');
  const secure = await context.cookies();
  check(secure.length > 0 && secure.every((cookie) => cookie.secure && cookie.httpOnly), 'the session cookie is Secure and HttpOnly');

  // The test button pulses the lock; the live view (wss:// on the LAN) shows it open.
  await page.locator('#live-outputs button[data-test=out1]').click();
  await page.locator('#live-outputs li[data-output=out1] .badge.on').waitFor({ timeout: 15000 });
  check(true, 'the test button pulses the lock, and the live view shows it (over wss://)');

  await page.locator('#tabs button[data-tab=device]').click();
  const form = page.locator('#lan-form');
  await form.waitFor({ state: 'visible', timeout: 5000 });
  check((await page.locator('#lan-fingerprint').textContent()) === options.fingerprint, 'the Device tab shows the same fingerprint');
  check(await form.locator('input[name=mqtt_enabled]').isChecked(), 'the LAN form shows the listener on');
  await shot('device');
  check(problems.length === 0, 'no script error: ' + problems.join('; '));
  await context.close();
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
