'use strict';
// The installer's page: plain JavaScript, no build step, nothing from the internet. It talks only
// to the web service's API (same origin) and its live WebSocket. Every text from the device is
// put in the page as text (textContent), never as HTML.

const page = {
  csrf: '',
  settings: null,
  live: { inputs: {}, outputs: {}, services: {}, doors: {}, call: null, registration: null, audio: null, modem: null,
          fired: [], alerts: [], codes: [], deliveries: [], errors: [], revisions: {} },
  outputEnds: {},   // output name -> time (ms, performance clock) its pulse ends
  socket: null,
  dirty: new Set(), // forms edited and not saved: settings are not reloaded under the installer's hands
  notes: new Map(), // form id -> what its last save said: kept when the form is drawn anew (a live update)
  historyNext: null, // the cursor of the history's next (older) page
  users: { list: [], next: null, readers: [], profiles: [], editing: null },
};

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/// An element with attributes and children (strings become text).
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/// A port's or reader's name, with its label after it when it has one: "in1 (Door contact)".
function nameAndLabel(item) { return item.name + (item.label ? ' (' + item.label + ')' : ''); }

async function api(method, path, body, raw = false) {
  const options = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET') {
    options.headers['X-CSRF-Token'] = page.csrf;
    options.headers['Content-Type'] = 'application/json';
    options.body = raw ? body : JSON.stringify(body ?? {});
  }
  const response = await fetch(path, options);
  let data = {};
  try { data = await response.json(); } catch (_) { /* an empty or non-JSON answer */ }
  if (response.status === 401 && !path.endsWith('/login') && !path.endsWith('/setup') && !path.endsWith('/password')) {
    showLogin();
  }
  return { status: response.status, ok: response.ok, data };
}

// --- words -------------------------------------------------------------------------------------

/// Seconds as a person reads them: "5 s", "1.5 s", "10 min".
function seconds(ms) {
  if (ms >= 120000) return Math.round(ms / 60000) + ' min';
  return (Math.round(ms / 100) / 10) + ' s';
}

/// What a rule of the page is, in the guide's words ("the DTMF code"); another rule by its id.
function ruleInWords(id) {
  const output = (prefix) => id.slice(prefix.length).replace(/-reset$/, '');
  const settingsOf = (name) => (page.settings ? page.settings.outputs.find((o) => o.name === name) : null);
  if (id.startsWith('alarm-report-')) return 'the alarm report of ' + id.slice('alarm-report-'.length);
  if (id.startsWith('message-')) {
    const out = settingsOf(output('message-'));
    const text = out ? (id.endsWith('-reset') ? out.message.reset : out.message.trigger) : '';
    return (id.endsWith('-reset') ? 'the reset message' : 'the message') + (text ? ' ALERT=' + text : '');
  }
  if (id.startsWith('input-link-')) {
    const out = settingsOf(output('input-link-'));
    return (out && out.input.input ? out.input.input : 'an input') + ' (input trigger)';
  }
  if (id.startsWith('dtmf-')) return id.endsWith('-reset') ? 'the DTMF reset code' : 'the DTMF code';
  if (id.startsWith('call-state-')) {
    const out = settingsOf(output('call-state-'));
    return 'the call state' + (out ? ' (' + out.call_state.states.join(', ') + ')' : '');
  }
  if (id.startsWith('after-hangup-')) return 'the end of an answered call';
  return 'rule ' + id;
}

/// Why an output moved, from the cause its command carried.
function causeInWords(cause) {
  if (!cause) return '';
  if (cause.startsWith('rule:')) return ruleInWords(cause.slice(5));
  const known = {
    'web:test': 'the test button on this page', 'home-assistant': 'Home Assistant', intercomctl: 'intercomctl',
    config: 'a configuration change', shutdown: 'gpio stopping (safe state)', 'rules offline': 'the rules service going away',
    'safety-cap': 'its safety cap', timer: 'its pulse ending',
  };
  if (known[cause]) return known[cause];
  if (cause.startsWith('sparkplug')) return 'SCADA (' + cause.replace(/^sparkplug /, '') + ')';
  return cause;
}

/// What a rule firing's command did: "out2 pulse", "report sent".
function actionInWords(action) {
  const parts = (action.topic || '').split('/');
  const what = parts.slice(2);
  if (what[0] === 'output' && what.length === 3) return what[1] + ' ' + (action.action || 'switched');
  if (what[0] === 'message' && what[1] === 'send') return 'message sent';
  if (what[0] === 'call') return 'call ' + (action.action || '');
  return 'published on ' + what.join('/');
}

// --- logging in --------------------------------------------------------------------------------

// --- on the LAN ---------------------------------------------------------------------------------

async function loadLan() {
  const { ok, data } = await api('GET', '/api/lan');
  if (!ok) return;
  const form = $('#lan-form');
  form.mqtt_enabled.checked = data.mqtt_enabled;
  form.mqtt_port.value = data.mqtt_port;
  form.user_homeassistant.checked = data.mqtt_users.includes('homeassistant');
  form.user_scada.checked = data.mqtt_users.includes('scada');
  form.bridge_enabled.checked = data.bridge_enabled;
  form.bridge_address.value = data.bridge_address;
  form.bridge_username.value = data.bridge_username;
  form.bridge_password.value = '';
  form.bridge_password.placeholder = data.bridge_password_set ? 'set (type to change)' : '';
  form.bridge_tls.checked = data.bridge_tls;
  form.bridge_ca_pem.value = '';
  form.bridge_ca_pem.placeholder = data.bridge_ca_set ? 'set (paste to change)' : '-----BEGIN CERTIFICATE-----';
  $('#lan-fingerprint').textContent = data.certificate_fingerprint || 'none (plain HTTP)';
}

$('#lan-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const users = ['homeassistant', 'scada'].filter((user) => form['user_' + user].checked);
  const body = {
    mqtt_enabled: form.mqtt_enabled.checked, mqtt_port: Number(form.mqtt_port.value), mqtt_users: users,
    bridge_enabled: form.bridge_enabled.checked, bridge_address: form.bridge_address.value.trim(),
    bridge_username: form.bridge_username.value.trim(), bridge_tls: form.bridge_tls.checked,
  };
  if (form.bridge_password.value) body.bridge_password = form.bridge_password.value;
  if (form.bridge_ca_pem.value.trim()) body.bridge_ca_pem = form.bridge_ca_pem.value.trim();
  const button = $('button[type=submit]', form);
  button.disabled = true;
  showErrors(form, {});
  $('.saved', form).textContent = '';
  try {
    const { ok, data } = await api('POST', '/api/lan', body);
    if (!ok) {
      showErrors(form, data.errors || { [data.field || '']: data.error || 'refused' });
      $('.saved', form).textContent = 'not saved';
      return;
    }
    await loadLan();
    $('.saved', form).textContent = data.message || 'saved';
  } finally {
    button.disabled = false;
  }
});

async function start() {
  const { data } = await api('GET', '/api/session');
  $('#device').textContent = data.device ? '· ' + data.device : '';
  $('#certificate').hidden = !data.certificate_fingerprint;
  $('#certificate-fingerprint').textContent = data.certificate_fingerprint || '';
  if (data.authenticated) {
    page.csrf = data.csrf;
    return showMain();
  }
  showLogin(data.setup_required);
}

function showLogin(setupRequired) {
  page.csrf = '';
  if (page.socket) { page.socket.onclose = null; page.socket.close(); page.socket = null; }
  $('#main-view').hidden = true;
  $('#logout').hidden = true;
  $('#login-view').hidden = false;
  if (setupRequired !== undefined) {
    $('#setup-form').hidden = !setupRequired;
    $('#login-form').hidden = setupRequired;
  }
}

function showErrors(form, errors) {
  for (const node of $$('.error', form)) node.textContent = '';
  for (const node of $$('.invalid', form)) node.classList.remove('invalid');
  for (const [field, message] of Object.entries(errors)) {
    const slot = $$('.error', form).find((node) => node.dataset.field === field) ||
                 $$('.error', form).find((node) => field.startsWith(node.dataset.field + '.') && node.dataset.field) ||
                 $$('.error', form).find((node) => node.dataset.field === '');
    if (slot) slot.textContent = message;
    const input = $$('[data-input]', form).find((node) => node.dataset.input === field);
    if (input) { input.classList.add('invalid'); input.focus(); }
  }
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const { ok, data } = await api('POST', '/api/login', { password: form.password.value });
  if (!ok) return showErrors(form, { password: data.error || 'refused' });
  form.reset();
  page.csrf = data.csrf;
  showMain();
});

$('#setup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  if (form.password.value !== form.again.value) return showErrors(form, { password: 'the two passwords differ' });
  const { ok, data } = await api('POST', '/api/setup', { token: form.token.value.trim(), password: form.password.value });
  if (!ok) return showErrors(form, { [data.field || 'password']: data.error || 'refused' });
  form.reset();
  page.csrf = data.csrf;
  showMain();
});

$('#logout').addEventListener('click', async () => {
  await api('POST', '/api/logout', {});
  showLogin(false);
});

// --- the history -------------------------------------------------------------------------------------

/// The history's filters as the API's URL parameters (times from the browser's zone to UTC).
function historyParameters() {
  const form = $('#history-form');
  const parameters = new URLSearchParams();
  for (const name of ['from', 'to']) {
    const value = form.elements[name].value;
    if (value) parameters.set(name, new Date(value).toISOString());
  }
  if (form.elements.kind.value) parameters.append('kind', form.elements.kind.value);
  const port = form.elements.port.value;  // "input:in1" or "output:out1"
  if (port) parameters.set(port.split(':')[0], port.split(':')[1]);
  if (form.elements.text.value.trim()) parameters.set('text', form.elements.text.value.trim());
  return parameters;
}

/// The ports the filter offers: the device's inputs and outputs as the settings have them.
function renderHistoryPorts() {
  const select = $('#history-form').elements.port;
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, 'every port'));
  for (const section of ['inputs', 'outputs']) {
    for (const port of (page.settings ? page.settings[section] : [])) {
      const value = section.slice(0, -1) + ':' + port.name;
      select.append(el('option', { value }, nameAndLabel(port)));
    }
  }
  select.value = chosen;
}

/// Shows the newest page of the filters, or (older) the next page below what is shown.
async function loadHistory(older) {
  const form = $('#history-form');
  showErrors(form, {});
  const parameters = historyParameters();
  $('#history-csv').href = '/api/history.csv?' + parameters.toString();
  parameters.set('limit', '50');
  if (older && page.historyNext) parameters.set('after', String(page.historyNext));
  const { ok, data } = await api('GET', '/api/history?' + parameters.toString());
  const body = $('#history tbody');
  if (!older) body.replaceChildren();
  if (!ok) {
    showErrors(form, { [data.path && data.path !== '/' ? data.path.slice(1) : '']: data.error || 'the history did not answer' });
    $('#history-older').hidden = true;
    return;
  }
  for (const event of data.events) {
    const when = new Date(event.at);
    body.append(el('tr', { 'data-kind': event.kind },
      el('td', { class: 'when', title: event.at }, when.toLocaleDateString() + ' ' + when.toLocaleTimeString()),
      el('td', { class: 'kind' }, event.kind + (event.port ? ' ' + event.port : '')),
      el('td', { class: 'line' }, event.summary, event.cause ? el('span', { class: 'why' }, ' — ' + causeInWords(event.cause)) : null)));
  }
  page.historyNext = data.next || null;
  // What the table shows now (a test waits for its own filters, not the page before).
  $('#history').dataset.shown = historyParameters().toString();
  $('#history-older').hidden = !data.next;
  $('#history-empty').hidden = body.children.length > 0;
}
$('#history-form').addEventListener('submit', (event) => { event.preventDefault(); loadHistory(false); });
$('#history-older').addEventListener('click', () => loadHistory(true));

// --- the users -------------------------------------------------------------------------------------

/// The error slot of a form for a refusal's JSON pointer: the longest data-field that the path
/// starts with ("/user/doors/1" goes next to "/user/doors"), or the form's own.
function slotFor(form, path) {
  let best = '';
  for (const node of $$('.error', form)) {
    const field = node.dataset.field || '';
    if (field && (path === field || path.startsWith(field + '/')) && field.length > best.length) best = field;
  }
  return best;
}

/// A date and time from a datetime-local field (the browser's zone) as the bus's ISO 8601, or none.
function isoOf(value) { return value ? new Date(value).toISOString() : undefined; }
/// ISO 8601 as a datetime-local field's value, in the browser's zone.
function localOf(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function userWhen(user) {
  const parts = [user.profile ? 'profile ' + user.profile : 'at any time'];
  if (user.valid_from) parts.push('from ' + new Date(user.valid_from).toLocaleString());
  if (user.valid_until) parts.push('until ' + new Date(user.valid_until).toLocaleString());
  if (!user.enabled) parts.push('switched off');
  return parts.join(', ');
}

/// One user: who, which doors, when, their cards and PINs by label, and the small forms to add a
/// PIN, enrol a card at a reader, edit or remove.
function renderUser(user) {
  const credentials = el('ul', { class: 'credentials' },
    user.credentials.length ? user.credentials.map((credential) => el('li', { 'data-credential': credential.id },
      (credential.kind === 'pin' ? 'PIN' : 'card') + (credential.label ? ' (' + credential.label + ')' : ' #' + credential.id) + ' ',
      el('button', { type: 'button', class: 'link', title: 'remove this ' + credential.kind, 'aria-label': 'remove',
                     onclick: () => changeUsers({ action: 'remove_credential', credential_id: credential.id }) }, '×')))
      : el('li', {}, 'no card or PIN'));
  const pinForm = el('form', { class: 'pin', novalidate: true },
    el('label', {}, 'PIN ', el('input', { name: 'value', type: 'password', inputmode: 'numeric', autocomplete: 'new-password', maxlength: 12, 'data-input': '/value' })),
    el('label', {}, 'Label ', el('input', { name: 'label', maxlength: 100, autocomplete: 'off', placeholder: 'keypad' })),
    el('button', { type: 'submit' }, 'Add PIN'),
    el('p', { class: 'error', 'data-field': '' }));
  pinForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { action: 'add_credential', user_id: user.id, kind: 'pin', value: pinForm.elements.value.value };
    if (pinForm.elements.label.value.trim()) body.label = pinForm.elements.label.value.trim();
    pinForm.elements.value.value = '';  // never kept in the page
    await changeUsers(body, pinForm);
  });
  const enrolForm = el('form', { class: 'enrol', novalidate: true },
    el('label', {}, 'Reader ', el('select', { name: 'reader' }, page.users.readers.map((reader) =>
      el('option', { value: reader.name }, nameAndLabel(reader))))),
    el('label', {}, 'Label ', el('input', { name: 'label', maxlength: 100, autocomplete: 'off', placeholder: 'blue fob' })),
    el('button', { type: 'submit', disabled: page.users.readers.length === 0 }, 'Enrol a card'),
    el('p', { class: 'error', 'data-field': '' }));
  enrolForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { action: 'enrol', user_id: user.id, reader: enrolForm.elements.reader.value, timeout_s: 60 };
    if (enrolForm.elements.label.value.trim()) body.label = enrolForm.elements.label.value.trim();
    $('.error', enrolForm).textContent = 'Present the card at ' + body.reader + ' within 60 s…';
    await changeUsers(body, enrolForm);
  });
  return el('li', { 'data-user': user.id },
    el('div', {}, el('span', { class: 'who' }, user.name), ' ', el('span', { class: 'muted' }, user.id)),
    el('div', {}, 'Doors: ' + (user.doors.length ? user.doors.join(', ') : 'none') + ' · ' + userWhen(user)),
    user.callers.length ? el('div', { class: 'muted' }, 'Callers: ' + user.callers.join(', ')) : null,
    credentials, pinForm, enrolForm,
    el('div', { class: 'actions' },
      el('button', { type: 'button', onclick: () => editUser(user) }, 'Edit'), ' ',
      el('button', { type: 'button', onclick: () => { if (confirm('Remove ' + user.name + ' and their cards and PINs?')) changeUsers({ action: 'remove_user', user_id: user.id }); } }, 'Remove')));
}

/// The users, the first page (or the next one below those shown).
async function loadUsers(more) {
  const parameters = new URLSearchParams();
  if (more && page.users.next) parameters.set('after', page.users.next);
  const { ok, data } = await api('GET', '/api/users?' + parameters.toString());
  $('#users-error').textContent = ok ? '' : (data.error || 'the access service did not answer');
  if (!ok) return;
  page.users.list = more ? page.users.list.concat(data.users) : data.users;
  page.users.next = data.next || null;
  page.users.readers = data.readers || [];
  page.users.profiles = data.profiles || [];
  $('#users').replaceChildren(...page.users.list.map(renderUser));
  $('#users-empty').hidden = page.users.list.length > 0;
  $('#users-more').hidden = !page.users.next;
  renderUserForm();
}
$('#users-more').addEventListener('click', () => loadUsers(true));

/// A CSV cut at the ends of its lines (never inside a quoted field) into parts of at most `max`
/// characters: a bus message holds 64 KiB, and a character may take 3 bytes.
function csvParts(text, max) {
  const ends = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted) ends.push(i + 1);
  }
  if (ends.length === 0 || ends[ends.length - 1] !== text.length) ends.push(text.length);
  const parts = [];
  let start = 0, lastEnd = 0;
  for (const end of ends) {
    if (end === lastEnd) continue;
    if (end - lastEnd > max) throw new Error('a line of the file is longer than ' + max + ' characters');
    if (end - start > max) { parts.push(text.slice(start, lastEnd)); start = lastEnd; }
    lastEnd = end;
  }
  if (lastEnd > start) parts.push(text.slice(start, lastEnd));
  return parts;
}

$('#users-import').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  $('#users-import-result').textContent = '';
  $('#users-import-error').textContent = '';
  const file = form.file.files[0];
  if (!file) return;
  let text;
  try {
    // file.text() would put U+FFFD for each byte of a legacy code page: "Müller" imported as "M�ller".
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch (_) {
    $('#users-import-error').textContent = 'Nothing was imported: the file is not UTF-8 text; save it as "CSV UTF-8"';
    return;
  }
  let parts;
  try { parts = csvParts(text, 16000); } catch (error) { $('#users-import-error').textContent = error.message; return; }
  if (parts.length === 0) { $('#users-import-error').textContent = 'the file is empty'; return; }
  const importId = 'web-' + Date.now();
  for (let i = 0; i < parts.length; i += 1) {
    $('#users-import-result').textContent = 'sending part ' + (i + 1) + ' of ' + parts.length;
    const { ok, data } = await api('POST', '/api/users', { action: 'import', import_id: importId, part: i + 1, parts: parts.length, csv: parts[i] });
    if (!ok) {
      $('#users-import-result').textContent = '';
      $('#users-import-error').textContent = 'Nothing was imported: ' + (data.error || 'refused');
      return;
    }
    if (data.imported) {
      $('#users-import-result').textContent = 'Imported: ' + data.imported.users_added + ' users added, ' + data.imported.users_changed +
        ' changed, ' + data.imported.credentials_added + ' PINs and cards added.';
    }
  }
  form.reset();
  await loadUsers(false);
});

/// A change to the users; its refusal goes next to its field in `form` (or the list's own line).
async function changeUsers(body, form) {
  const { ok, data } = await api('POST', '/api/users', body);
  if (!ok) {
    const message = data.error || 'refused';
    if (form) showErrors(form, { [slotFor(form, data.path || '')]: message });
    else $('#users-error').textContent = message;
    return false;
  }
  await loadUsers(false);
  return true;
}

/// The form's doors (gpio's outputs) and profiles (access's), keeping what is ticked.
function renderUserForm() {
  const form = $('#user-form');
  const ticked = new Set($$('input[name=door]:checked', form).map((box) => box.value));
  const doors = $('#user-doors');
  doors.replaceChildren(el('legend', {}, 'Doors they may open'),
    ...(page.settings ? page.settings.outputs : []).map((output) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', name: 'door', value: output.name, checked: ticked.has(output.name) }),
      ' ' + nameAndLabel(output))));
  const select = form.elements.profile;
  const chosen = select.value;
  // The profiles in force (the Doors tab changes them), else those the users' list came with.
  const profiles = page.settings && page.settings.access ? page.settings.access.profiles.map((profile) => profile.name) : page.users.profiles;
  select.replaceChildren(el('option', { value: '' }, 'at any time'), ...profiles.map((name) => el('option', { value: name }, name)));
  select.value = chosen;
}

function editUser(user) {
  const form = $('#user-form');
  page.users.editing = user ? user.id : null;
  $('#user-form-title').textContent = user ? 'Edit ' + user.name : 'Add a user';
  form.reset();
  showErrors(form, {});
  $('.saved', form).textContent = '';
  form.elements.id.readOnly = !!user;
  if (!user) return;
  form.elements.id.value = user.id;
  form.elements.name.value = user.name;
  for (const box of $$('input[name=door]', form)) box.checked = user.doors.includes(box.value);
  form.elements.profile.value = user.profile || '';
  form.elements.valid_from.value = localOf(user.valid_from);
  form.elements.valid_until.value = localOf(user.valid_until);
  form.elements.callers.value = user.callers.join(', ');
  form.elements.enabled.checked = user.enabled;
  form.scrollIntoView({ block: 'start' });
}
$('#user-new').addEventListener('click', () => editUser(null));

$('#user-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  showErrors(form, {});
  const user = {
    id: form.elements.id.value.trim(), name: form.elements.name.value.trim(),
    doors: $$('input[name=door]:checked', form).map((box) => box.value),
    callers: form.elements.callers.value.split(',').map((text) => text.trim()).filter((text) => text),
    enabled: form.elements.enabled.checked,
  };
  if (form.elements.profile.value) user.profile = form.elements.profile.value;
  const from = isoOf(form.elements.valid_from.value), until = isoOf(form.elements.valid_until.value);
  if (from) user.valid_from = from;
  if (until) user.valid_until = until;
  if (await changeUsers({ action: 'put_user', user }, form)) {
    $('.saved', form).textContent = 'Saved.';
    editUser(null);
    $('.saved', form).textContent = 'Saved ' + user.name + '.';
  }
});

// --- the main view ---------------------------------------------------------------------------------

function showTab(name) {
  for (const button of $$('#tabs button')) button.classList.toggle('active', button.dataset.tab === name);
  for (const panel of $$('[data-panel]')) panel.hidden = panel.dataset.panel !== name;
  if (name === 'history') loadHistory(false);
  if (name === 'users') loadUsers(false);
}
for (const button of $$('#tabs button')) button.addEventListener('click', () => showTab(button.dataset.tab));

async function showMain() {
  $('#login-view').hidden = true;
  $('#main-view').hidden = false;
  $('#logout').hidden = false;
  connectLive();
  await loadSettings();
  await loadLan();
}

function notice(text) {
  const node = $('#notice');
  node.textContent = text || '';
  node.hidden = !text;
}

async function loadSettings(force = false) {
  const { ok, data } = await api('GET', '/api/settings');
  if (!ok) {
    notice(data.error || 'the settings cannot be read');
    return;
  }
  notice('');
  page.settings = data;
  if (force) page.dirty.clear();
  renderInputs();
  renderOutputs();
  renderLine();
  renderOtherRules();
  renderHistoryPorts();
  renderUserForm();
  renderDoors();
  renderSchedule();
  renderLive();  // the live view shows the ports' labels, and which forms can be saved
}

/// A form's save: the answer's refusal goes next to its field; nothing changed then.
async function save(form, path, body) {
  const button = $('button[type=submit]', form);
  const saved = $('.saved', form);
  button.disabled = true;
  if (saved) saved.textContent = '';
  page.notes.delete(form.id);
  showErrors(form, {});
  try {
    const { ok, data } = await api('POST', path, body);
    if (!ok) {
      // A field's error is said next to it, in the form's words; the service and the path only
      // when no field of the form is meant.
      const where = !data.field && data.service ? ` (${data.service} at ${data.path || 'the document'})` : '';
      showErrors(form, { [data.field || '']: (data.error || 'refused') + where });
      if (saved) saved.textContent = 'not saved';
      return false;
    }
    page.dirty.delete(form.id);
    // Kept for the form drawn anew: with the settings now in force, and again at each live update of
    // them (the note was lost when one came right after, and a test waited for it in vain).
    page.notes.set(form.id, data.changed && data.changed.length === 0 ? 'nothing to change' : 'saved, in force now');
    await loadSettings();
    const shown = $('.saved', document.getElementById(form.id) || form);
    if (shown) shown.textContent = page.notes.get(form.id);
    return true;
  } finally {
    button.disabled = false;
    renderLive();  // a service that went away meanwhile keeps its forms' buttons off
  }
}

function markDirty(form) { form.addEventListener('input', () => page.dirty.add(form.id)); }

function field(label, input, errorField, hint) {
  return [el('label', {}, label, input), hint ? el('p', { class: 'hint', text: hint }) : null,
          el('p', { class: 'error', 'data-field': errorField })];
}

function triggerSet(legend, name, enabled, ...content) {
  const box = el('input', { type: 'checkbox', name: name + '.enabled', checked: enabled });
  const set = el('fieldset', { class: enabled ? '' : 'off', 'data-section': name },
                 el('legend', {}, el('label', { class: 'check' }, box, legend)), ...content,
                 el('p', { class: 'error', 'data-field': name }));
  box.addEventListener('change', () => set.classList.toggle('off', !box.checked));
  return set;
}

/// An ALERT= field: letters a-z become capitals as they are typed, as received alerts are compared.
function alertInput(name, value, placeholder) {
  const input = el('input', { name, value, 'data-input': name, placeholder, autocapitalize: 'characters', spellcheck: 'false' });
  input.addEventListener('input', () => {
    const upper = input.value.replace(/[a-z]/g, (c) => c.toUpperCase());
    if (upper === input.value) return;
    const [start, end] = [input.selectionStart, input.selectionEnd];
    input.value = upper;
    input.setSelectionRange(start, end);
  });
  return input;
}

/// The forms being edited: drawn again as they are, not with the settings in force.
function keptForms(holder) {
  const kept = {};
  for (const form of $$('form', holder)) if (page.dirty.has(form.id)) kept[form.id] = form;
  return kept;
}

/// An input's line and state now, in the guide's words.
function inputNow(name) {
  const state = page.live.inputs[name];
  if (!state || offline('gpio')) return 'unknown (gpio is not online)';
  const line = state.level === 'high' ? 'high: open circuit' : 'low: closed circuit';
  return (state.active ? 'active' : 'inactive') + ' (line ' + line + ')';
}

/// Switching the trigger mode may make an input active at once, with its alarm report: the first
/// Save says so, the second does it.
function triggerWarning(form, input) {
  const state = page.live.inputs[input.name];
  const trigger = form.trigger.value;
  if (!state || trigger === input.trigger || state.level !== trigger || form.dataset.confirmed === trigger) return '';
  const report = form['report.enabled'].checked
    ? ' and reports ALERT=' + form['report.message'].value.toUpperCase() + ' to ' + form['report.to'].value : '';
  return `${input.name}'s line is ${state.level} now: with this trigger mode it becomes active as soon as it is saved${report}. ` +
         'Press Save again to do it.';
}

function renderInputs() {
  const holder = $('#inputs');
  const kept = keptForms(holder);
  holder.replaceChildren();
  for (const input of page.settings.inputs) {
    const id = 'input-' + input.name;
    if (kept[id]) { holder.append(kept[id]); continue; }
    const form = el('form', { id, class: 'card', novalidate: true, 'data-owners': 'gpio rules' },
      el('h2', {}, input.name, el('span', { class: 'muted', text: ' ' + input.label })),
      el('p', { class: 'now' }, 'Now: ', el('b', { 'data-now': input.name, text: inputNow(input.name) })),
      field('Label', el('input', { name: 'label', value: input.label, 'data-input': 'label', maxlength: 200 }), 'label'),
      field('Trigger mode', el('select', { name: 'trigger', 'data-input': 'trigger' },
        el('option', { value: 'high', selected: input.trigger === 'high', text: 'High level: open-circuit trigger' }),
        el('option', { value: 'low', selected: input.trigger === 'low', text: 'Low level: closed-circuit trigger' })), 'trigger'),
      field('Debounce (ms)', el('input', { name: 'debounce_ms', type: 'number', min: 0, max: 10000, value: input.debounce_ms, 'data-input': 'debounce_ms' }), 'debounce_ms'),
      triggerSet('Report the alarm to the server', 'report', input.report.enabled,
        field('Message: ALERT=', alertInput('report.message', input.report.message), 'report.message'),
        field('To', el('input', { name: 'report.to', value: input.report.to, 'data-input': 'report.to' }), 'report.to',
              'an alias of the messages settings (alarm-server), a SIP URI or a +number')),
      el('p', { class: 'error', 'data-field': '' }),
      el('p', { class: 'warning', 'data-warning': input.name }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Save ' + input.name }),
        el('span', { class: 'saved', text: page.notes.get(id) || '' })),
      el('p', { class: 'hint offline-note' }));
    const submit = $('button[type=submit]', form);
    form.trigger.addEventListener('change', () => {
      delete form.dataset.confirmed;
      $('.warning', form).textContent = '';
      submit.textContent = 'Save ' + input.name;
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const warning = triggerWarning(form, input);
      $('.warning', form).textContent = warning;
      if (warning) {
        form.dataset.confirmed = form.trigger.value;
        submit.textContent = 'Save ' + input.name + ' anyway';
        return;
      }
      save(form, '/api/inputs/' + encodeURIComponent(input.name), {
        label: form.label.value,
        trigger: form.trigger.value,
        debounce_ms: Number(form.debounce_ms.value),
        report: { enabled: form['report.enabled'].checked, message: form['report.message'].value, to: form['report.to'].value },
      });
    });
    markDirty(form);
    holder.append(form);
  }
}

function codeInput(name, isSet) {
  return el('input', { name, type: 'password', inputmode: 'numeric', autocomplete: 'off', 'data-input': name,
                       placeholder: isSet ? 'set: leave empty to keep it' : 'not set', pattern: '[0-9A-D]{4,32}' });
}

/// A linkage's own pulse length (empty: the output's duration).
function pulseField(section, output) {
  const own = output.pulses ? output.pulses[section] : 0;
  return field('Pulse (s)', el('input', { name: 'pulses.' + section, type: 'number', min: 0.001, step: 0.001, 'data-input': 'pulses.' + section,
                                          value: own ? own / 1000 : '', placeholder: 'the output\'s ' + seconds(output.pulse_ms) }),
               'pulses.' + section, own ? 'this linkage pulses for its own time, not the output\'s duration' : 'empty: the output\'s duration');
}

function renderOutputs() {
  const holder = $('#outputs');
  const kept = keptForms(holder);
  holder.replaceChildren();
  const inputs = page.settings.inputs.map((input) => input.name);
  for (const output of page.settings.outputs) {
    const id = 'output-' + output.name;
    if (kept[id]) { holder.append(kept[id]); continue; }
    const states = ['ringing', 'calling', 'talking'];
    const form = el('form', { id, class: 'card', novalidate: true, 'data-owners': 'gpio rules' },
      el('h2', {}, output.name, el('span', { class: 'muted', text: ' ' + output.label })),
      field('Label', el('input', { name: 'label', value: output.label, 'data-input': 'label', maxlength: 200 }), 'label'),
      field('Output level', el('select', { name: 'level', 'data-input': 'level' },
        el('option', { value: 'NO', selected: output.level === 'NO', text: 'NO: normally open' }),
        el('option', { value: 'NC', selected: output.level === 'NC', text: 'NC: normally closed' })), 'level'),
      field('Output duration (s)', el('input', { name: 'pulse_s', type: 'number', min: 0.001, step: 0.001, value: output.pulse_ms / 1000, 'data-input': 'pulse_ms' }), 'pulse_ms'),
      triggerSet('Remote message trigger', 'message', output.message.enabled,
        field('Trigger message: ALERT=', alertInput('message.trigger', output.message.trigger), 'message.trigger'),
        field('Reset message: ALERT=', alertInput('message.reset', output.message.reset, 'none'), 'message.reset'),
        pulseField('message', output)),
      triggerSet('Input trigger', 'input', output.input.enabled,
        field('Input', el('select', { name: 'input.input', 'data-input': 'input.input' },
          inputs.map((name) => el('option', { value: name, selected: output.input.input === name, text: name }))), 'input.input'),
        pulseField('input', output)),
      triggerSet('Remote DTMF trigger (during a call, # submits)', 'dtmf', output.dtmf.enabled,
        field('Trigger code (4 to 32 keys)', codeInput('dtmf.code', output.dtmf.code_set), 'dtmf.code'),
        pulseField('dtmf', output),
        el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'dtmf.reset_enabled', checked: output.dtmf.reset_enabled }),
           'Use a reset code (it switches the output off)'),
        field('Reset code (another than the trigger code)', codeInput('dtmf.reset_code', output.dtmf.reset_code_set), 'dtmf.reset_code')),
      triggerSet('Call-state trigger (reset by state)', 'call_state', output.call_state.enabled,
        el('div', { class: 'states-row' }, states.map((state) => el('label', { class: 'check' },
          el('input', { type: 'checkbox', name: 'call_state.' + state, checked: output.call_state.states.includes(state) }), state))),
        el('p', { class: 'error', 'data-field': 'call_state.states' }),
        field('While in the state the output', el('select', { name: 'call_state.action', 'data-input': 'call_state.action' },
          el('option', { value: 'on', selected: output.call_state.action === 'on', text: 'is on' }),
          el('option', { value: 'blink', selected: output.call_state.action === 'blink', text: 'blinks' })), 'call_state.action')),
      triggerSet('Trigger after hang-up (answered calls)', 'after_hangup', output.after_hangup.enabled,
        field('Delay (s)', el('input', { name: 'after_hangup.delay_s', type: 'number', min: 0, max: 3600, step: 0.1,
                                         value: output.after_hangup.delay_ms / 1000, 'data-input': 'after_hangup.delay_ms' }), 'after_hangup.delay_ms'),
        pulseField('after_hangup', output)),
      el('p', { class: 'error', 'data-field': '' }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', text: 'Save ' + output.name }),
        el('button', { type: 'button', class: 'secondary', 'data-test': output.name, text: 'Test ' + output.name,
                       onclick: () => testOutput(output.name, form) }),
        el('span', { class: 'saved', text: page.notes.get(id) || '' })),
      el('p', { class: 'hint offline-note' }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const checked = (name) => form[name].checked;
      const pulse = (section) => {
        const text = form['pulses.' + section].value.trim();
        return text === '' ? 0 : Math.round(Number(text) * 1000);
      };
      save(form, '/api/outputs/' + encodeURIComponent(output.name), {
        label: form.label.value,
        level: form.level.value,
        pulse_ms: Math.round(Number(form.pulse_s.value) * 1000),
        message: { enabled: checked('message.enabled'), trigger: form['message.trigger'].value, reset: form['message.reset'].value },
        input: { enabled: checked('input.enabled'), input: form['input.input'].value },
        dtmf: { enabled: checked('dtmf.enabled'), code: form['dtmf.code'].value, reset_enabled: checked('dtmf.reset_enabled'),
                reset_code: form['dtmf.reset_code'].value },
        call_state: { enabled: checked('call_state.enabled'), states: states.filter((state) => checked('call_state.' + state)),
                      action: form['call_state.action'].value },
        after_hangup: { enabled: checked('after_hangup.enabled'), delay_ms: Math.round(Number(form['after_hangup.delay_s'].value) * 1000) },
        pulses: { message: pulse('message'), input: pulse('input'), dtmf: pulse('dtmf'), after_hangup: pulse('after_hangup') },
      }).then((done) => { if (done) { form['dtmf.code'].value = ''; form['dtmf.reset_code'].value = ''; } });
    });
    markDirty(form);
    holder.append(form);
  }
}

async function testOutput(name, form) {
  const { ok, data } = await api('POST', '/api/outputs/' + encodeURIComponent(name) + '/pulse', {});
  const saved = form ? $('.saved', form) : null;
  if (saved) saved.textContent = ok ? 'test pulse sent' : (data.error || 'refused');
}

const lines = (text) => text.split('\n').map((line) => line.trim()).filter((line) => line);

function renderLine() {
  const messages = page.settings.messages;
  const form = $('#messages-form');
  if (!page.dirty.has('messages-form')) {
    form.trust_sip.value = messages ? messages.trust_sip.join('\n') : '';
    form.trust_gsm.value = messages ? messages.trust_gsm.join('\n') : '';
    form.alarm_server.value = messages ? messages.alarm_server.join('\n') : '';
  }
  const line = page.settings.line;
  const lineForm = $('#line-form');
  $('#line-backend').textContent = line ? 'SIP stack: ' + line.backend : 'the telephony service is not running';
  const account = line && line.account;
  $('#line-password').textContent = !account || !account.password_set ? 'no password set'
    : account.password_in_file ? 'set, in a file on the device: leave empty to keep it' : 'set: leave empty to keep it';
  if (line && !page.dirty.has('line-form')) {
    lineForm.registrar.value = line.account ? line.account.registrar : '';
    lineForm.user.value = line.account ? line.account.user : '';
    lineForm.domain.value = line.account ? line.account.domain : '';
    lineForm.password.value = '';
    lineForm.auto_answer.checked = !!(line.auto_answer && line.auto_answer.enabled);
    lineForm.allow.value = line.auto_answer && line.auto_answer.allow ? line.auto_answer.allow.join('\n') : '';
  }
}

markDirty($('#messages-form'));
markDirty($('#line-form'));
$('#messages-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  save(form, '/api/messages', { trust_sip: lines(form.trust_sip.value), trust_gsm: lines(form.trust_gsm.value),
                                alarm_server: lines(form.alarm_server.value) });
});
$('#line-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  const registrar = form.registrar.value.trim();
  save(form, '/api/line', {
    account: registrar ? { registrar, user: form.user.value.trim(), domain: form.domain.value.trim(), password: form.password.value } : null,
    auto_answer: { enabled: form.auto_answer.checked, allow: lines(form.allow.value) },
  });
});

function renderOtherRules() {
  const holder = $('#other-rules');
  holder.replaceChildren();
  for (const rule of page.settings.other_rules) {
    holder.append(el('div', { class: 'card' }, el('h3', {}, rule.id, rule.enabled === false ? el('span', { class: 'muted', text: ' (off)' }) : null),
      el('p', { class: 'hint', text: rule.description || '' }), el('pre', { text: JSON.stringify(rule, null, 2) })));
  }
  if (page.settings.other_rules.length === 0) holder.append(el('p', { class: 'hint', text: 'Every rule is one of the settings above.' }));
}

/// Sends a file a form picked (JSON), and says what became of it.
function fileForm(form, path, done) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = form.file.files[0];
    if (!file) return;
    const text = await file.text();
    const { ok, data } = await api('POST', path, text, true);
    if (!ok) {
      $('.saved', form).textContent = 'not saved';
      return showErrors(form, { '': (data.error || 'refused') + (data.path ? ' (at ' + data.path + ')' : '') });
    }
    showErrors(form, {});
    $('.saved', form).textContent = done(data);
    loadSettings(true);
  });
}
fileForm($('#upload-form'), '/api/rules', () => 'rules in force');
fileForm($('#restore-form'), '/api/backup', (data) =>
  data.restored.length ? 'restored and in force: ' + data.restored.join(', ') : 'the backup is what this device has already');

$('#password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  if (form.password.value !== form.again.value) return showErrors(form, { password: 'the two passwords differ' });
  const { ok, data } = await api('POST', '/api/password', { current: form.current.value, password: form.password.value });
  if (!ok) return showErrors(form, { [data.field || 'password']: data.error || 'refused' });
  form.reset();
  showLogin(false);
});

// --- live ----------------------------------------------------------------------------------------

function connectLive() {
  if (page.socket) return;
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/live');
  page.socket = socket;
  socket.onmessage = (event) => onLive(JSON.parse(event.data));
  socket.onclose = () => {
    page.socket = null;
    if (!page.csrf) return;
    // The service restarted, or the session ended: try again shortly (a 401 shows the login).
    setTimeout(async () => { const { ok } = await api('GET', '/api/session'); if (ok && page.csrf) connectLive(); }, 2000);
  };
}

const kEventLists = ['fired', 'alerts', 'codes', 'deliveries', 'errors'];

function onLive(message) {
  const live = page.live;
  if (message.type === 'snapshot') {
    for (const key of ['inputs', 'outputs', 'services', 'doors']) live[key] = message[key] || {};
    for (const key of ['call', 'registration', 'audio', 'modem']) live[key] = message[key] || null;
    for (const key of kEventLists) live[key] = message[key] || [];
    live.revisions = message.revisions || {};
    for (const [name, state] of Object.entries(live.outputs)) trackPulse(name, state);
  } else if (message.type === 'state') {
    if (message.section === 'configs') {
      const revision = message.payload.revision;
      if (live.revisions[message.name] !== revision) {
        live.revisions[message.name] = revision;
        if (page.settings && page.dirty.size === 0) loadSettings();
        else if (page.settings) notice('The settings were changed elsewhere; save or reload to see them.');
      }
      return;
    }
    if (message.name) { live[message.section] = live[message.section] || {}; live[message.section][message.name] = message.payload; }
    else live[message.section] = message.payload;
    if (message.section === 'outputs') trackPulse(message.name, message.payload);
  } else if (message.type === 'event') {
    if (!Array.isArray(live[message.section])) live[message.section] = [];
    live[message.section].unshift(message.payload);
    live[message.section].splice(20);
  }
  renderLive();
}

function trackPulse(name, state) {
  // A pulse or a blink counts down; an output held on (by a call state, say) shows why instead.
  const timed = state.active && (state.mode === 'pulse' || state.mode === 'blink') && state.remaining_ms > 0;
  page.outputEnds[name] = timed ? performance.now() + state.remaining_ms : 0;
}

function badge(known, active, onText, offText) {
  if (!known) return el('span', { class: 'badge unknown', text: 'unknown' });
  return el('span', { class: 'badge ' + (active ? 'on' : 'off'), text: active ? onText : offText });
}

function labelOf(section, name) {
  const list = page.settings ? page.settings[section] : [];
  const port = (list || []).find((item) => item.name === name);
  return port && port.label ? ' ' + port.label : '';
}

function time(at) { return at ? new Date(at).toLocaleTimeString() : ''; }

function offline(service) {
  const status = page.live.services[service];
  return !status || status.state !== 'online';
}

/// An event list: newest first, each line starting with its time.
function events(list, line) {
  return list.map((item) => el('li', {}, el('time', { text: time(item.at) }), ' ', ...line(item)));
}

/// Why an output is on now, in words.
function outputWhy(state) {
  if (!state.active) return '';
  const why = causeInWords(state.cause);
  const held = state.mode === 'on' && state.remaining_ms > 0 ? ' (safety cap in ' + seconds(state.remaining_ms) + ')' : '';
  return (why ? 'by ' + why : '') + held;
}

/// Save buttons of forms whose services are away are off, and say why: a save then could not be
/// checked, and would not be in force.
function renderSaveable() {
  for (const form of $$('form[data-owners]')) {
    const away = form.dataset.owners.split(' ').filter(offline);
    const button = $('button[type=submit]', form);
    const note = $('.offline-note', form);
    if (button) button.disabled = away.length > 0;
    if (note) note.textContent = away.length ? `The ${away.join(' and ')} service${away.length > 1 ? 's are' : ' is'} offline: nothing can be saved here until ${away.length > 1 ? 'they are' : 'it is'} back.` : '';
  }
}

function renderServices() {
  const live = page.live;
  const entries = Object.entries(live.services).sort();
  $('#services').replaceChildren(...entries.map(([name, status]) =>
    el('li', { class: status.state === 'online' ? 'online' : 'offline', text: name + ' ' + status.state })));
  const down = entries.filter(([, status]) => status.state !== 'online').map(([name]) => name);
  const summary = $('#services-summary');
  summary.hidden = entries.length === 0;
  summary.className = 'summary ' + (down.length ? 'offline' : 'online');
  summary.textContent = down.length ? down.join(', ') + ' offline' : `all ${entries.length} services online`;
}

function renderLive() {
  const live = page.live;
  renderServices();
  renderSaveable();
  $('#live-inputs').replaceChildren(...Object.entries(live.inputs).sort().map(([name, state]) =>
    el('li', { 'data-input': name }, el('span', {}, el('b', { text: name }), el('span', { class: 'muted', text: labelOf('inputs', name) })),
       el('span', {}, el('span', { class: 'muted', text: state.level === 'high' ? 'open ' : 'closed ' }),
          badge(!offline('gpio'), state.active, 'active', 'inactive')))));
  for (const node of $$('[data-now]')) node.textContent = inputNow(node.dataset.now);
  renderDoorStates();
  $('#live-outputs').replaceChildren(...Object.entries(live.outputs).sort().map(([name, state]) =>
    el('li', { 'data-output': name },
       el('span', {}, el('b', { text: name }), el('span', { class: 'muted', text: labelOf('outputs', name) })),
       el('span', { class: 'output-state' }, badge(!offline('gpio'), state.active, state.mode === 'blink' ? 'blinking' : state.mode === 'pulse' ? 'pulse' : 'on', 'off'), ' ',
          el('span', { class: 'remaining muted', 'data-remaining': name }), ' ',
          el('button', { type: 'button', class: 'secondary', 'data-test': name, text: 'Test', onclick: () => testOutput(name) })),
       el('span', { class: 'why muted', 'data-why': name, text: outputWhy(state) }))));
  const call = live.call;
  const rows = [el('li', {}, 'Call', el('span', { class: 'badge ' + (call && call.state !== 'idle' ? 'on' : 'off'), 'data-call': call ? call.state : 'unknown',
                                                 text: call ? call.state : 'unknown' }))];
  if (call && call.peer) rows.push(el('li', {}, 'Peer', el('span', { text: call.peer })));
  if (live.registration) rows.push(el('li', {}, 'Registration', el('span', { text: registrationInWords(live.registration) })));
  if (live.modem) rows.push(el('li', {}, 'GSM modem', el('span', { text: live.modem.state })));
  $('#live-call').replaceChildren(...rows);
  $('#line-registration').textContent = 'Registration: ' + (offline('telephony') ? 'unknown (telephony is not online)'
    : live.registration ? registrationInWords(live.registration) : 'not reported yet');
  $('#line-registration').className = 'registration ' + (live.registration && live.registration.state === 'failed' ? 'bad' : '');
  $('#line-audio').textContent = live.audio && !offline('telephony') ? audioInWords(live.audio) : '';

  $('#live-fired').replaceChildren(...events(live.fired, (fired) => [
    el('b', { text: ruleInWords(fired.rule) }), ' → ', (fired.actions || []).map(actionInWords).join(', ') || 'nothing yet (a delay)']));
  $('#live-deliveries').replaceChildren(...events(live.deliveries, (result) => [
    el('span', { class: result.delivered ? 'good' : result.state === 'retrying' ? 'muted' : 'bad',
                 text: result.delivered ? 'delivered' : result.state }),
    ` to ${result.alias ? result.alias + ' (' + result.to + ')' : result.to}`,
    result.reason ? el('span', { class: 'muted', text: ': ' + result.reason }) : null]));
  $('#live-alerts').replaceChildren(...events(live.alerts, (alert) => [
    `${alert.from}: ${alert.text} `, el('span', { class: 'muted', text: alert.trusted ? '(trusted)' : '(untrusted: ignored)' })]));
  $('#live-codes').replaceChildren(...events(live.codes, (code) => [
    code.result, code.rule ? ` (${ruleInWords(code.rule)})` : '', code.failures ? `, ${code.failures} wrong in a row` : '']));
  $('#live-errors').replaceChildren(...events(live.errors, (error) => [
    el('b', { text: error.service }), ` refused ${error.topic ? error.topic.split('/').slice(2).join('/') : 'a message'}: `,
    el('span', { class: 'muted', text: error.reason })]));
  tick();
}

/// The line's sound devices: in use, or why not (calls then send silence or the announcement).
function audioInWords(audio) {
  if (audio.capture.state === 'simulated') return 'Sound: none (the simulated line)';
  if (audio.sound_card) return `Sound: microphone ${audio.capture.device}, loudspeaker ${audio.playback.device}`;
  const why = [audio.capture, audio.playback].filter((side) => side.reason).map((side) => side.reason).join('; ');
  return 'Sound: no sound card, calls send silence or the announcement' + (why ? ' (' + why + ')' : '');
}

function registrationInWords(registration) {
  const words = { none: 'none (peer-to-peer, no registrar)', progress: 'in progress', ok: 'registered', cleared: 'cleared', failed: 'failed' };
  return (words[registration.state] || registration.state) + (registration.registrar ? ' at ' + registration.registrar : '') +
         (registration.reason ? ': ' + registration.reason : '');
}

/// The remaining time of running pulses, counted down between the service's updates.
function tick() {
  const now = performance.now();
  for (const node of $$('[data-remaining]')) {
    const end = page.outputEnds[node.dataset.remaining] || 0;
    node.textContent = end > now ? ((end - now) / 1000).toFixed(1) + ' s left' : '';
  }
}
setInterval(tick, 200);

start();
