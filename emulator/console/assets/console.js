// Switchboard emulator console: a person acts as an emulated user (dials the bot, answers it, presses keys, says
// sentences, hears its prompts) through the documented control API only (/emulator/people, /emulator/calls, /emulator/events, /emulator/requests).
'use strict';

(() => {
  const API = '/emulator';
  const LOG_LIMIT = 500;
  const REQUEST_POLL_MS = 1500;
  const STORAGE_KEY = 'switchboard.console.person';
  const TONES = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#']);

  const $ = (id) => document.getElementById(id);
  const els = {
    connection: $('connection'),
    person: $('person'),
    personHint: $('person-hint'),
    byHand: $('by-hand'),
    incomingEmpty: $('incoming-empty'),
    ringingList: $('ringing-list'),
    dial: $('dial'),
    callState: $('call-state'),
    callDetail: $('call-detail'),
    keypad: $('keypad'),
    speak: $('speak'),
    sayForm: $('say-form'),
    sayText: $('say-text'),
    saySend: $('say-send'),
    sayMumble: $('say-mumble'),
    hold: $('hold'),
    hangup: $('hangup'),
    error: $('error'),
    audio: $('prompt-audio'),
    promptNow: $('prompt-now'),
    callsEmpty: $('calls-empty'),
    callList: $('call-list'),
    logEmpty: $('log-empty'),
    logList: $('log-list'),
    showEvents: $('show-events'),
    showRequests: $('show-requests'),
    onlyMine: $('only-mine'),
    clearLog: $('clear-log'),
  };

  const state = {
    names: new Map(), // person id -> display name
    phones: new Set(), // the phone network's numbers (they act like people: id = the E.164 number)
    person: '', // the selected person's id
    calls: new Map(), // call id -> the emulator's view of the call
    mine: new Set(), // ids of calls the selected person is (or was) in or rung for, oldest first
    eventsSeq: 0,
    requestsSeq: 0,
    playingCallId: '',
    refreshing: new Map(), // call id -> { running, again }
    saying: false, // a sentence is on its way to the emulator
    promptTexts: new Map(), // prompt uri -> what it says (when the app told the emulator)
  };

  // ---- control API -----------------------------------------------------------------------------------------------

  async function api(method, path, body) {
    const init = { method, cache: 'no-store', headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(API + path, init);
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = new Error((json && json.error && json.error.message) || `${method} ${API}${path} answered ${res.status}.`);
      err.code = json && json.error && json.error.code;
      throw err;
    }
    return json;
  }

  const enc = encodeURIComponent;

  function showError(err) {
    els.error.textContent = err ? String(err.message || err) : '';
  }

  async function act(fn) {
    try {
      showError(null);
      await fn();
    } catch (err) {
      showError(err);
    }
  }

  // ---- people ----------------------------------------------------------------------------------------------------

  async function loadPeople() {
    let people;
    try {
      people = (await api('GET', '/people')).value;
    } catch {
      people = (await api('GET', '/users')).value;
    }
    els.person.replaceChildren(new Option('Choose a person…', ''));
    for (const p of people) {
      state.names.set(p.id, p.displayName);
      const option = new Option(p.displayName, p.id);
      option.title = p.userPrincipalName || '';
      els.person.append(option);
    }
    // The emulated phone network: a phone calls the bot's number (its application instance) and answers PSTN calls.
    let phones = [];
    try {
      phones = (await api('GET', '/phones')).value;
    } catch {
      phones = [];
    }
    if (phones.length > 0) {
      const group = document.createElement('optgroup');
      group.label = 'Phones (PSTN)';
      for (const p of phones) {
        state.phones.add(p.number);
        state.names.set(p.number, p.displayName || p.number);
        group.append(new Option(p.displayName ? `${p.displayName} (${p.number})` : p.number, p.number));
      }
      els.person.append(group);
    }
    els.person.disabled = people.length === 0;
    if (people.length === 0) els.personHint.textContent = 'The emulator has no people in its directory.';
    const wanted = new URLSearchParams(location.search).get('person') || safeStorage('get');
    const found = people.find((p) => p.id === wanted || p.userPrincipalName === wanted)?.id ?? (state.phones.has(wanted) ? wanted : undefined);
    if (found) {
      els.person.value = found;
      await selectPerson(found);
    }
  }

  function safeStorage(op, value) {
    try {
      if (op === 'get') return localStorage.getItem(STORAGE_KEY) || '';
      localStorage.setItem(STORAGE_KEY, value);
    } catch {
      // storage unavailable: the choice is simply not remembered
    }
    return '';
  }

  async function selectPerson(id) {
    state.person = id;
    state.mine.clear();
    safeStorage('set', id);
    stopAudio('');
    els.byHand.disabled = !id;
    if (!id) {
      els.byHand.checked = false;
      els.personHint.textContent = 'Pick a person: the bot\'s calls to them ring here.';
      render();
      return;
    }
    await act(async () => {
      // Choosing a person keeps how they answer (the emulator remembers it); the checkbox changes it.
      const person = state.phones.has(id)
        ? (await api('GET', '/phones')).value.find((p) => p.number === id)
        : (await api('GET', '/people')).value.find((p) => p.id === id);
      showAnswering(id, person ? person.behavior.onCall : 'manual');
      const calls = (await api('GET', '/calls')).value;
      for (const call of calls) {
        state.calls.set(call.id, call);
        if (involvesMe(call)) state.mine.add(call.id);
      }
    });
    render();
  }

  function nameOf(id) {
    return state.names.get(id) || id || 'someone';
  }

  /** The checkbox and hint for how the chosen person answers: by hand here (manual), or by themselves (auto…). */
  function showAnswering(id, onCall) {
    const name = nameOf(id);
    els.byHand.checked = onCall === 'manual';
    if (onCall === 'manual') els.personHint.textContent = `You are ${name}. The bot's calls to ${name} ring here until you answer or decline.`;
    else if (onCall === 'auto') els.personHint.textContent = `You are ${name}. ${name} answers the bot's calls after a couple of rings and presses 1 when a reminder asks; answer here first to take a call yourself.`;
    else els.personHint.textContent = `You are ${name}. When the bot calls, ${name} does "${onCall}" (set through the control API).`;
  }

  els.byHand.addEventListener('change', () => act(async () => {
    if (!state.person) return;
    const onCall = els.byHand.checked ? 'manual' : 'auto';
    const person = await api('PUT', `/${state.phones.has(state.person) ? 'phones' : 'people'}/${enc(state.person)}/behavior`, { onCall });
    showAnswering(state.person, person.behavior.onCall);
  }));

  // ---- calls -----------------------------------------------------------------------------------------------------

  function meIn(call) {
    return call && call.participants.find((p) => p.personId === state.person);
  }

  function ringingMe(call) {
    return call && call.ringing.find((r) => r.person === state.person);
  }

  function involvesMe(call) {
    return Boolean(state.person && call && (meIn(call) || ringingMe(call)));
  }

  /** Fetches the emulator's view of a call; concurrent requests for the same call collapse into one more fetch. */
  async function refreshCall(id) {
    const entry = state.refreshing.get(id);
    if (entry) {
      entry.again = true;
      return entry.running;
    }
    const job = { again: false, running: undefined };
    state.refreshing.set(id, job);
    job.running = (async () => {
      try {
        do {
          job.again = false;
          try {
            const call = await api('GET', `/calls/${enc(id)}`);
            state.calls.set(id, call);
            if (involvesMe(call)) state.mine.add(id);
          } catch {
            // an unknown call (another emulator instance, or forgotten): nothing to show
          }
        } while (job.again);
      } finally {
        state.refreshing.delete(id);
      }
      render();
    })();
    return job.running;
  }

  /** The call the phone panel shows: the newest live call the person is in, else the newest one that ended. */
  function currentCall() {
    const mine = [...state.mine].map((id) => state.calls.get(id)).filter(Boolean);
    const live = mine.filter((c) => c.state !== 'terminated' && meIn(c));
    if (live.length > 0) return live[live.length - 1];
    const ended = mine.filter((c) => c.state === 'terminated' && !c.ringing.length);
    return ended[ended.length - 1];
  }

  function describeState(call) {
    const me = meIn(call);
    switch (call.state) {
      case 'incoming': return { key: 'ringing', text: 'Ringing the bot…' };
      case 'establishing': return { key: 'establishing', text: 'Connecting…' };
      case 'established': return me && me.onHold ? { key: 'hold', text: 'On hold (you)' } : { key: 'established', text: 'Connected to the bot' };
      case 'hold': return { key: 'hold', text: 'On hold' };
      case 'transferring':
      case 'transferAccepted': return { key: 'establishing', text: 'Being transferred…' };
      case 'redirecting': return { key: 'establishing', text: 'Being redirected…' };
      case 'terminating': return { key: 'establishing', text: 'Hanging up…' };
      case 'terminated': return { key: 'terminated', text: `Call ended${endReason(call)}` };
      default: return { key: call.state, text: call.state };
    }
  }

  function endReason(call) {
    const parts = [];
    if (call.endReason) parts.push(call.endReason);
    if (call.resultInfo) parts.push(`${call.resultInfo.code}/${call.resultInfo.subcode}`);
    return parts.length ? ` — ${parts.join(', ')}` : '';
  }

  function direction(call) {
    if (call.kind === 'meeting') return 'meeting';
    if (call.kind === 'groupCall') return 'group call';
    return call.direction === 'incoming' ? 'you called the bot' : 'the bot called you';
  }

  // ---- rendering -------------------------------------------------------------------------------------------------

  function render() {
    renderIncoming();
    renderPhone();
    renderCallList();
    applyLogFilters();
  }

  function renderIncoming() {
    const rings = [];
    for (const id of state.mine) {
      const call = state.calls.get(id);
      const ring = ringingMe(call);
      if (ring) rings.push({ call, ring });
    }
    const keep = new Set(rings.map((r) => r.call.id));
    for (const li of [...els.ringingList.children]) if (!keep.has(li.dataset.callId)) li.remove();
    for (const { call, ring } of rings) {
      if (els.ringingList.querySelector(`li[data-call-id="${CSS.escape(call.id)}"]`)) continue;
      const li = document.createElement('li');
      li.dataset.callId = call.id;
      const text = document.createElement('span');
      text.className = 'who-calls';
      text.id = `ring-${call.id}`;
      const why = { call: 'is calling you', invite: 'invites you to a call', transfer: 'is transferring a call to you', redirect: 'is forwarding a call to you' }[ring.reason] || 'is calling you';
      text.textContent = `The bot ${why}${call.subject ? ` — “${call.subject}”` : ''}`;
      const answer = button('Answer', 'answer', () => act(async () => {
        await api('POST', `/calls/${enc(call.id)}/answer`, { person: state.person });
        await refreshCall(call.id);
      }));
      const decline = button('Decline', 'decline', () => act(async () => {
        await api('POST', `/calls/${enc(call.id)}/decline`, { person: state.person });
        await refreshCall(call.id);
      }));
      answer.setAttribute('aria-describedby', text.id);
      decline.setAttribute('aria-describedby', text.id);
      li.append(text, answer, decline);
      els.ringingList.append(li);
    }
    els.incomingEmpty.hidden = rings.length > 0;
    els.incomingEmpty.textContent = state.person ? 'Nobody is calling you.' : 'Pick a person to receive the bot\'s calls.';
  }

  function button(label, className, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }

  function renderPhone() {
    const call = currentCall();
    const live = Boolean(call && call.state !== 'terminated');
    const connected = Boolean(call && (call.state === 'established' || call.state === 'hold'));
    const me = call && meIn(call);

    els.dial.disabled = !state.person || live;
    for (const key of els.keypad.querySelectorAll('button')) key.disabled = !connected;
    els.speak.disabled = !connected;
    els.sayText.disabled = !connected;
    els.saySend.disabled = !connected || state.saying;
    els.sayMumble.disabled = !connected;
    els.hold.disabled = !connected || !me;
    els.hold.textContent = me && me.onHold ? 'Resume' : 'Hold';
    els.hangup.disabled = !live;

    let text;
    let key = 'none';
    let detail = '';
    if (!state.person) text = 'Pick a person, then press Call the bot.';
    else if (!call) text = 'No calls yet — press Call the bot.';
    else {
      const d = describeState(call);
      text = d.text;
      key = d.key;
      // What the bot plays to this caller now (its clientContext names it: queue:music, queue:announcement…).
      detail = `${direction(call)} · call ${call.id}${call.hearing ? ` · hearing: ${call.hearing.what}` : ''}`;
    }
    if (els.callState.textContent !== text) els.callState.textContent = text;
    els.callState.dataset.state = key;
    els.callState.dataset.callId = call ? call.id : '';
    els.callDetail.textContent = detail;
  }

  function renderCallList() {
    const calls = [...state.mine].map((id) => state.calls.get(id)).filter(Boolean).reverse();
    els.callsEmpty.hidden = calls.length > 0;
    els.callsEmpty.textContent = state.person ? 'No calls yet — press Call the bot.' : 'Pick a person to see their calls.';
    els.callList.replaceChildren(...calls.map((call) => {
      const li = document.createElement('li');
      const what = document.createElement('span');
      const s = describeState(call);
      const strong = document.createElement('span');
      strong.className = 'state';
      strong.textContent = ringingMe(call) ? 'Ringing you' : s.text;
      what.append(strong, document.createTextNode(` · ${direction(call)}`));
      const id = document.createElement('span');
      id.className = 'id';
      id.textContent = call.id.slice(0, 8);
      id.title = call.id;
      li.append(what, id);
      return li;
    }));
  }

  // ---- phone actions ---------------------------------------------------------------------------------------------

  els.person.addEventListener('change', () => void selectPerson(els.person.value));

  els.dial.addEventListener('click', () => act(async () => {
    els.dial.disabled = true;
    try {
      // A phone dials the bot's phone number (the application instance); a person calls the bot in Teams.
      const { callId } = state.phones.has(state.person)
        ? await api('POST', `/phones/${enc(state.person)}/dial`, {})
        : await api('POST', `/people/${enc(state.person)}/dial`, {});
      state.mine.add(callId);
      await refreshCall(callId);
    } finally {
      renderPhone();
    }
  }));

  function pressKey(tone) {
    const call = currentCall();
    if (!call) return;
    return act(() => api('POST', `/calls/${enc(call.id)}/tones`, { person: state.person, tones: tone }));
  }

  for (const key of els.keypad.querySelectorAll('button[data-tone]')) {
    key.addEventListener('click', () => void pressKey(key.dataset.tone));
  }

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const target = e.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    if (!TONES.has(e.key) || els.speak.disabled) return;
    e.preventDefault();
    void pressKey(e.key);
  });

  els.speak.addEventListener('click', () => act(async () => {
    const call = currentCall();
    if (call) await api('POST', `/calls/${enc(call.id)}/speak`, { person: state.person, seconds: 2 });
  }));

  // Say…: the sentence is spoken to the bot's running recordResponse (409 when nothing listens: shown as the error).
  els.sayForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const call = currentCall();
    const text = els.sayText.value.trim();
    if (!call || !text || state.saying) return;
    void act(async () => {
      state.saying = true;
      renderPhone();
      try {
        await api('POST', `/calls/${enc(call.id)}/speak`, { person: state.person, text, ...(els.sayMumble.checked ? { mumble: true } : {}) });
        els.sayText.value = '';
      } finally {
        state.saying = false;
        renderPhone();
      }
    });
  });

  els.hold.addEventListener('click', () => act(async () => {
    const call = currentCall();
    if (!call) return;
    const me = meIn(call);
    await api('POST', `/calls/${enc(call.id)}/${me && me.onHold ? 'resume' : 'hold'}`, { person: state.person });
    await refreshCall(call.id);
  }));

  els.hangup.addEventListener('click', () => act(async () => {
    const call = currentCall();
    if (!call) return;
    await api('POST', `/calls/${enc(call.id)}/hangup`, { person: state.person });
    await refreshCall(call.id);
  }));

  // ---- prompts ---------------------------------------------------------------------------------------------------

  function promptName(uri) {
    try {
      const url = new URL(uri);
      const name = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() || url.host);
      // The app names prompts by their content hash: the first characters tell them apart.
      const hashed = /^([0-9a-f]{8})[0-9a-f]{24,}(\.\w+)$/i.exec(name);
      return hashed ? `${hashed[1]}…${hashed[2]}` : name;
    } catch {
      return uri;
    }
  }

  /** What a prompt says, when the app told the emulator (local mode), else its short file name. */
  function promptLabel(event) {
    if (event.text && event.uri) {
      state.promptTexts.delete(event.uri);
      state.promptTexts.set(event.uri, event.text);
      if (state.promptTexts.size > 200) state.promptTexts.delete(state.promptTexts.keys().next().value);
    }
    const text = event.text || state.promptTexts.get(event.uri);
    return text ? `“${text}”` : promptName(event.uri);
  }

  async function maybePlay(event) {
    if (!state.mine.has(event.callId)) await refreshCall(event.callId);
    if (!state.mine.has(event.callId)) return;
    const call = state.calls.get(event.callId);
    if (!call || call.state === 'terminated') return;
    let url;
    try {
      url = new URL(event.uri);
    } catch {
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    state.playingCallId = event.callId;
    els.audio.src = url.href;
    els.audio.dataset.uri = url.href;
    els.audio.dataset.label = promptLabel(event);
    els.promptNow.title = url.href;
    els.promptNow.textContent = `Playing the bot's prompt ${promptLabel(event)}${event.clientContext ? ` (${event.clientContext})` : ''}`;
    try {
      await els.audio.play();
    } catch (err) {
      const why = err && err.name === 'NotAllowedError' ? 'the browser blocked autoplay' : String((err && err.message) || err);
      els.promptNow.textContent = `The bot played ${promptLabel(event)}: press play to hear it (${why}).`;
    }
  }

  function stopAudio(why) {
    if (!els.audio.paused) els.audio.pause();
    if (why && state.playingCallId) els.promptNow.textContent = `Prompt stopped: ${why}.`;
    state.playingCallId = '';
  }

  els.audio.addEventListener('ended', () => {
    if (els.audio.dataset.uri) els.promptNow.textContent = `Played ${els.audio.dataset.label || promptName(els.audio.dataset.uri)}.`;
  });
  els.audio.addEventListener('error', () => {
    if (els.audio.dataset.uri) els.promptNow.textContent = `Could not load the prompt ${els.audio.dataset.uri} (is the app still running?).`;
  });

  // ---- log -------------------------------------------------------------------------------------------------------

  function clock(iso) {
    const d = iso ? new Date(iso) : new Date();
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  function short(id) {
    return id ? String(id).slice(0, 8) : '';
  }

  function describeEvent(e) {
    const who = nameOf(e.person);
    const call = `call ${short(e.callId)}`;
    if (e.operationId && (e.type.startsWith('operation.') || !e.type.includes('.'))) {
      // Operation events: the operation's own type may be in `type` (the emulator's fields) or in `operationType`.
      const opType = e.type.startsWith('operation.') ? (e.operationType || 'operation') : e.type;
      const result = e.code !== undefined ? ` (${e.code}/${e.subcode})` : '';
      return `${opType} ${short(e.operationId)} ${e.status || ''}${result} on ${call}`;
    }
    switch (e.type) {
      case 'call.created': return `${call} created (${e.direction || ''} ${e.kind || ''})`;
      case 'call.answered': return `the bot answered ${call}`;
      case 'call.established': return `${call} connected${e.answeredBy ? ` (${nameOf(e.answeredBy)} answered)` : ''}`;
      case 'call.ended': return `${call} ended: ${e.reason || ''}${e.code !== undefined ? ` (${e.code}/${e.subcode})` : ''}`;
      case 'notification': return `notification ${e.changeType || ''} ${resourceName(e.resourceUrl)}${e.state ? ` [${e.state}]` : ''} → app: ${e.outcome || ''}${e.httpStatus ? ` ${e.httpStatus}` : ''}`;
      case 'prompt.started': return `the bot ${e.text ? 'says' : 'plays'} ${promptLabel(e)} on ${call}`;
      case 'prompt.played': return `prompt ${promptLabel(e)} played (${Math.round(e.durationSeconds * 10) / 10} s)`;
      case 'prompt.failed': return `prompt ${promptLabel(e)} failed: ${e.problem || ''}`;
      case 'person.tone': return `${who} pressed ${keyName(e.tone)}${e.notified ? '' : ' (the bot is not listening for tones)'}`;
      // Only how long: the words are not in the event (the console shows what you typed only in the box).
      case 'person.spoke': return `${who} ${e.mumbled ? 'mumbled' : 'spoke'} (${e.seconds} s${e.words ? '' : ', no words'})${e.heardByRecording ? ' — recorded' : ' — nobody was recording'}`;
      case 'person.dialled': return `${who} calls the bot (${call})`;
      case 'person.ringing': return `${who}'s phone rings (${e.reason || 'call'}, ${call})`;
      case 'person.ring-ended': return `${who}'s phone stops ringing: ${e.auto ? 'answered by themselves' : e.outcome || e.reason || ''}`;
      case 'person.answered': return `${who} answered ${call}`;
      case 'person.declined': return `${who} declined ${call}${e.as ? ` (${e.as})` : ''}`;
      case 'person.hung-up': return `${who} hung up ${call}${e.before ? ' before the bot answered' : ''}`;
      case 'person.hold': return `${who} put ${call} on hold`;
      case 'person.resume': return `${who} resumed ${call}`;
      case 'person.behavior': return `${who} now ${e.onCall === 'manual' ? 'answers by hand' : e.onCall === 'auto' ? 'answers by themselves' : `does "${e.onCall}" when called`}`;
      case 'tones.subscribed': return `the bot listens for keys on ${call}`;
      case 'dtmf.sent': return `the bot sent tones ${e.tones} on ${call}`;
      case 'media.cancelled': return `the bot cancelled media on ${call}`;
      default: {
        const rest = {};
        for (const [k, v] of Object.entries(e)) if (!['seq', 'time', 'type', 'callId'].includes(k)) rest[k] = v;
        const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
        return `${e.type}${e.callId ? ` ${call}` : ''}${extra}`;
      }
    }
  }

  /** Graph names tones tone0…tone9, star, pound, a…d. */
  function keyName(tone) {
    const t = String(tone || '');
    if (/^tone\d$/i.test(t)) return t.slice(4);
    return { star: '*', pound: '#' }[t.toLowerCase()] || t;
  }

  /** `/communications/calls/{id}/operations/{opId}` → `operation 1a2b3c4d`; the call itself → `call`. */
  function resourceName(url) {
    const rest = String(url || '').replace(/^\/communications\/calls\/[^/]+/i, '');
    if (!rest) return 'call';
    const op = /^\/operations\/([^/]+)/i.exec(rest);
    if (op) return `operation ${short(op[1])}`;
    return rest.replace(/^\//, '');
  }

  function addLog(kind, time, text, callId, bad) {
    const li = document.createElement('li');
    li.dataset.kind = kind === 'event' ? 'event' : 'request';
    li.dataset.callId = callId || '';
    if (bad) li.className = 'bad';
    const t = document.createElement('span');
    t.className = 'time';
    t.textContent = clock(time);
    const k = document.createElement('span');
    k.className = `kind ${kind}`;
    k.textContent = kind;
    const x = document.createElement('span');
    x.className = 'text';
    x.textContent = text;
    li.append(t, k, x);
    li.hidden = !visible(li);
    // Newest first, by the time each thing happened (Graph requests are polled, so they arrive a little late).
    const at = time ? Date.parse(time) : Date.now();
    li.dataset.at = String(at);
    let next = els.logList.firstElementChild;
    while (next && Number(next.dataset.at) > at) next = next.nextElementSibling;
    els.logList.insertBefore(li, next);
    while (els.logList.children.length > LOG_LIMIT) els.logList.lastElementChild.remove();
    els.logEmpty.hidden = true;
  }

  function visible(li) {
    if (li.dataset.kind === 'event' && !els.showEvents.checked) return false;
    if (li.dataset.kind === 'request' && !els.showRequests.checked) return false;
    if (els.onlyMine.checked && !state.mine.has(li.dataset.callId)) return false;
    return true;
  }

  function applyLogFilters() {
    for (const li of els.logList.children) li.hidden = !visible(li);
  }

  for (const box of [els.showEvents, els.showRequests, els.onlyMine]) box.addEventListener('change', applyLogFilters);
  els.clearLog.addEventListener('click', () => {
    els.logList.replaceChildren();
    els.logEmpty.hidden = false;
  });

  // ---- calling events (server-sent events over fetch: every event type, one parser) ------------------------------

  function onEvent(e) {
    // Notification events carry the notification's own number in `seq`, so they are never deduplicated by it.
    if (e.type !== 'notification') {
      if (e.seq <= state.eventsSeq) return;
      state.eventsSeq = e.seq;
    }
    addLog('event', e.time, describeEvent(e), e.callId, e.type === 'prompt.failed' || (e.type === 'notification' && /failed|refused/.test(e.outcome || '')));
    if (e.type === 'person.behavior' && e.person === state.person) showAnswering(e.person, e.onCall);
    if (!e.callId) return;
    const mentionsMe = state.person && (e.person === state.person || e.answeredBy === state.person);
    if (e.type === 'prompt.started') void maybePlay(e);
    else if (state.mine.has(e.callId) || mentionsMe) void refreshCall(e.callId);
    if ((e.type === 'media.cancelled' || e.type === 'call.ended') && e.callId === state.playingCallId) stopAudio(e.type === 'call.ended' ? 'the call ended' : 'the bot cancelled it');
  }

  function handleBlock(block) {
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    try {
      onEvent(JSON.parse(data.join('\n')));
    } catch {
      // a malformed event is skipped
    }
  }

  function setConnection(live, text) {
    els.connection.classList.toggle('live', live);
    els.connection.textContent = text;
  }

  async function streamEvents() {
    for (;;) {
      try {
        const res = await fetch(`${API}/events?since=${state.eventsSeq}`, { cache: 'no-store', headers: { accept: 'text/event-stream' } });
        if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
        setConnection(true, 'Live: connected to the emulator');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            handleBlock(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
          }
        }
      } catch {
        // reconnect below
      }
      setConnection(false, 'Disconnected from the emulator: retrying…');
      await new Promise((r) => setTimeout(r, 2000));
    }
  }

  // ---- Graph requests (polled from the request log) --------------------------------------------------------------

  const CALL_IN_PATH = /\/communications\/calls\/([^/?]+)/i;

  async function pollRequests() {
    try {
      const { value, lastSeq } = await api('GET', `/requests?since=${state.requestsSeq}&limit=200`);
      for (const r of value) {
        state.requestsSeq = Math.max(state.requestsSeq, r.seq);
        const graph = /^\/v1\.0\//i.test(r.path) || /^\/beta\//i.test(r.path);
        const match = CALL_IN_PATH.exec(r.path);
        addLog(graph ? 'graph' : 'http', r.time, `${r.method} ${r.path} → ${r.status === 0 ? 'connection reset' : r.status} (${r.durationMs} ms)${r.faultId ? ' [injected fault]' : ''}`, match ? match[1] : '', r.status === 0 || r.status >= 400);
      }
      if (value.length === 0 && lastSeq > state.requestsSeq) state.requestsSeq = lastSeq;
    } catch {
      // the emulator is away: the events stream reports it
    }
    setTimeout(pollRequests, REQUEST_POLL_MS);
  }

  // ---- start -----------------------------------------------------------------------------------------------------

  async function start() {
    render();
    // People first, so the log names them (not their ids) from its first line.
    try {
      await loadPeople();
    } catch (err) {
      els.personHint.textContent = 'The emulated people could not be loaded.';
      showError(err);
    }
    try {
      const recent = await api('GET', '/events/recent');
      for (const e of recent.value.slice(-40)) onEvent(e);
      state.eventsSeq = Math.max(state.eventsSeq, recent.lastSeq);
      const requests = await api('GET', '/requests?limit=1');
      state.requestsSeq = Math.max(0, requests.lastSeq - 40);
    } catch (err) {
      showError(err);
    }
    void streamEvents();
    void pollRequests();
  }

  void start();
})();
