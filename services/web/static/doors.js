'use strict';
// The Doors tab: the doors access control watches, by their lock's output, and when users may open
// (time profiles, holidays, the lockout). Both are the access service's configuration, saved through
// the web service (POST /api/access/doors/<lock>, /api/access/schedule), which maps a refusal back
// onto its field. Uses app.js's helpers (el, $, $$, save, field, keptForms, markDirty, nameAndLabel).

const kDays = [['mon', 'Mon'], ['tue', 'Tue'], ['wed', 'Wed'], ['thu', 'Thu'], ['fri', 'Fri'], ['sat', 'Sat'], ['sun', 'Sun'],
               ['holiday', 'Holiday']];

/// A number typed in, or the text itself for the service to refuse by its field (never a silent 0).
function wholeNumber(text) {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/// A door's state now (access's retained state), in words.
function doorNow(lock) {
  const state = page.live.doors[lock];
  if (!state || offline('access')) return 'unknown (access is not online)';
  if (state.forced) return 'FORCED OPEN';
  if (state.held_open) return 'held open';
  if (state.open === undefined) return 'unknown (its contact has not reported)';
  return state.open ? 'open' : 'shut';
}

/// The doors' states in the Live view and next to each door's form.
function renderDoorStates() {
  const doors = page.settings && page.settings.access ? page.settings.access.doors : [];
  $('#live-doors-card').hidden = doors.length === 0;
  $('#live-doors').replaceChildren(...doors.map((door) => {
    const now = doorNow(door.lock);
    const alarm = now === 'FORCED OPEN' || now === 'held open';
    return el('li', { 'data-door': door.lock },
      el('span', {}, el('b', { text: door.lock }), el('span', { class: 'muted', text: ' ' + door.label })),
      el('span', { class: 'badge ' + (alarm ? 'on' : now.startsWith('unknown') ? 'unknown' : 'off'), text: now }));
  }));
  for (const node of $$('[data-door-now]')) node.textContent = doorNow(node.dataset.doorNow);
}

function inputChoices(chosen) {
  return [el('option', { value: '', text: 'none' }),
          ...page.settings.inputs.map((input) => el('option', { value: input.name, selected: input.name === chosen, text: nameAndLabel(input) }))];
}

function doorForm(door) {
  const id = 'door-' + door.lock;
  const form = el('form', { id, class: 'door', novalidate: true, 'data-owners': 'access' },
    el('h3', {}, door.lock, el('span', { class: 'muted', text: ' ' + door.label })),
    el('p', { class: 'now' }, 'Now: ', el('b', { 'data-door-now': door.lock, text: doorNow(door.lock) })),
    field('Name', el('input', { name: 'label', value: door.label, maxlength: 200, 'data-input': 'label' }), 'label'),
    field('Door contact (active while the door is open)', el('select', { name: 'contact', 'data-input': 'contact' }, inputChoices(door.contact)),
          'contact', 'without one, no forced-open or held-open alarm'),
    field('Exit button (request to exit)', el('select', { name: 'exit', 'data-input': 'exit' }, inputChoices(door.exit)), 'exit'),
    field('Held open after (s; 0: never)', el('input', { name: 'held_open_s', type: 'number', min: 0, max: 86400, inputmode: 'numeric',
                                                         value: door.held_open_s, 'data-input': 'held_open_s' }), 'held_open_s'),
    field('Not forced if it opens within (s) of the lock shutting or the exit button', el('input', {
      name: 'grace_s', type: 'number', min: 0, max: 60, inputmode: 'numeric', value: door.grace_s, 'data-input': 'grace_s' }), 'grace_s'),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'relock_on_close', checked: door.relock_on_close }),
       ' Lock again as soon as the door has opened and closed'),
    el('p', { class: 'error', 'data-field': 'relock_on_close' }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Save ' + door.lock }),
       el('button', { type: 'button', class: 'secondary', text: 'Stop watching', onclick: () => {
         if (confirm('Stop watching ' + door.lock + '? Its forced-open and held-open alarms end.')) {
           save(form, '/api/access/doors/' + encodeURIComponent(door.lock), { remove: true });
         }
       } }),
       el('span', { class: 'saved', text: page.notes.get(id) || '' })),
    el('p', { class: 'error', 'data-field': '' }),
    el('p', { class: 'hint offline-note' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save(form, '/api/access/doors/' + encodeURIComponent(door.lock), {
      label: form.label.value.trim(), contact: form.contact.value, exit: form.exit.value,
      held_open_s: wholeNumber(form.held_open_s.value), grace_s: wholeNumber(form.grace_s.value),
      relock_on_close: form.relock_on_close.checked,
    });
  });
  markDirty(form);
  return form;
}

function renderDoors() {
  const access = page.settings.access;
  $('#doors-unknown').hidden = !!access;
  const holder = $('#doors');
  const kept = keptForms(holder);
  holder.replaceChildren(...(access ? access.doors : []).map((door) => kept['door-' + door.lock] || doorForm(door)));
  const add = $('#door-add');
  const watched = new Set((access ? access.doors : []).map((door) => door.lock));
  const free = page.settings.outputs.filter((output) => !watched.has(output.name));
  add.lock.replaceChildren(...free.map((output) => el('option', { value: output.name, text: nameAndLabel(output) })));
  add.hidden = !access || free.length === 0;
  renderDoorStates();
}

$('#door-add').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  const output = page.settings.outputs.find((candidate) => candidate.name === form.lock.value);
  if (output) save(form, '/api/access/doors/' + encodeURIComponent(output.name), { label: output.label || '' });
});

// --- time profiles ---------------------------------------------------------------------------------

/// The profiles as the form holds them now.
function readProfiles() {
  return $$('#profiles fieldset.profile').map((set) => ({
    name: $('input[name=name]', set).value.trim(),
    intervals: $$('.interval', set).map((row) => ({
      days: $$('input[type=checkbox]:checked', row).map((box) => box.value),
      from: $('input[name=from]', row).value.trim(),
      to: $('input[name=to]', row).value.trim(),
    })),
  }));
}

function timeInput(name, value, at) {
  return el('input', { name, value, maxlength: 5, inputmode: 'numeric', placeholder: 'HH:MM', autocomplete: 'off', 'data-input': at + '.' + name });
}

function intervalRow(at, interval, remove) {
  return el('div', { class: 'interval' },
    el('fieldset', { class: 'days', 'data-input': at + '.days' }, el('legend', {}, 'Days'),
       kDays.map(([day, text]) => el('label', { class: 'check' },
         el('input', { type: 'checkbox', value: day, checked: interval.days.includes(day) }), text))),
    el('p', { class: 'error', 'data-field': at + '.days' }),
    el('div', { class: 'times' },
       el('label', {}, 'From', timeInput('from', interval.from, at)),
       el('label', {}, 'To (24:00: midnight)', timeInput('to', interval.to, at)),
       el('button', { type: 'button', class: 'secondary', text: 'Remove', title: 'remove this interval', onclick: remove })),
    el('p', { class: 'error', 'data-field': at + '.from' }),
    el('p', { class: 'error', 'data-field': at + '.to' }),
    el('p', { class: 'error', 'data-field': at }));
}

/// The profiles drawn anew after an edit of the list (indices name the fields a refusal points at).
function editProfiles(change) {
  const profiles = readProfiles();
  change(profiles);
  page.dirty.add('schedule-form');
  drawProfiles(profiles);
}

function drawProfiles(profiles) {
  $('#profiles').replaceChildren(...profiles.map((profile, k) => {
    const at = 'profiles.' + k;
    return el('fieldset', { class: 'profile', 'data-profile': profile.name }, el('legend', {}, 'Profile ' + (k + 1)),
      field('Name (a-z, digits, _ and -)', el('input', { name: 'name', value: profile.name, maxlength: 32, autocomplete: 'off',
                                                        'data-input': at + '.name' }), at + '.name'),
      profile.intervals.map((interval, i) => intervalRow(at + '.intervals.' + i, interval,
                                                         () => editProfiles((list) => list[k].intervals.splice(i, 1)))),
      el('p', { class: 'error', 'data-field': at + '.intervals' }),
      el('p', { class: 'error', 'data-field': at }),
      el('div', { class: 'actions' },
         el('button', { type: 'button', class: 'secondary', text: 'Add an interval', onclick: () => editProfiles((list) => list[k].intervals.push(
           { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' })) }),
         el('button', { type: 'button', class: 'secondary', text: 'Remove this profile', onclick: () => editProfiles((list) => list.splice(k, 1)) })));
  }));
}

function renderSchedule() {
  const form = $('#schedule-form');
  const access = page.settings.access;
  form.hidden = !access;
  if (!access || page.dirty.has(form.id)) return;
  drawProfiles(access.profiles);
  form.holidays.value = access.holidays.join('\n');
  form.max_failures.value = access.lockout.max_failures;
  form.lockout_s.value = access.lockout.lockout_s;
  $('.saved', form).textContent = page.notes.get(form.id) || '';
}

$('#profile-add').addEventListener('click', () => editProfiles((list) => list.push(
  { name: '', intervals: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' }] })));
markDirty($('#schedule-form'));

$('#schedule-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  save(form, '/api/access/schedule', {
    profiles: readProfiles(),
    holidays: form.holidays.value.split(/[\s,]+/).filter((text) => text),
    lockout: { max_failures: wholeNumber(form.max_failures.value), lockout_s: wholeNumber(form.lockout_s.value) },
  });
});
