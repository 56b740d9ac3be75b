// supctl dashboard: live updates over server-sent events. The pages work without this script;
// it only makes actions stay on the page and keeps states, uptimes and logs current.
(() => {
  const body = document.body;
  const page = body.dataset.page;
  const live = document.getElementById('live');
  const message = document.getElementById('message');
  // Server clock minus ours, in seconds, so uptimes tick from the daemon's clock.
  let skew = Number(body.dataset.now) - Date.now() / 1000;

  function setLive(on) {
    live.hidden = false;
    live.classList.toggle('on', on);
    live.textContent = on ? 'live' : 'reconnecting…';
  }

  function showMessage(text, isError) {
    message.textContent = text;
    message.classList.toggle('error', Boolean(isError));
    message.hidden = text === '';
  }

  function fragment(markup) {
    const template = document.createElement('template');
    template.innerHTML = markup.trim();
    return template.content;
  }

  // Same text as Python's str(timedelta), which Supervisor's descriptions use.
  function formatUptime(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const days = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const clock = h + ':' + m + ':' + String(s % 60).padStart(2, '0');
    return days === 0 ? clock : days + (days === 1 ? ' day, ' : ' days, ') + clock;
  }

  // Actions: submit with fetch, so the page stays; the state changes arrive over the event stream.
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    const submitter = event.submitter;
    if (!(form instanceof HTMLFormElement) || !submitter || submitter.value === 'refresh') return;
    event.preventDefault();
    const data = new URLSearchParams(new FormData(form, submitter));
    // form.action would be the button named "action"; read the attribute.
    const url = new URL(form.getAttribute('action') || '', location.href);
    submitter.disabled = true;
    form.closest('tr')?.classList.add('busy');
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: data,
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const result = await response.json();
      showMessage(result.message, result.error);
      if (page === 'tail' && data.get('action') === 'clearlog' && !result.error) {
        document.getElementById('log').textContent = '';
      }
    } catch (error) {
      showMessage('ERROR: ' + error.message, true);
    } finally {
      submitter.disabled = false;
      form.closest('tr')?.classList.remove('busy');
    }
  });

  // Drop ?message= from the address, so a reload does not show an old banner again.
  if (location.search.includes('message=')) history.replaceState(null, '', location.pathname);

  if (page === 'status') followStates();
  if (page === 'tail' && body.dataset.processname !== undefined) followLog();

  function followStates() {
    const procs = document.getElementById('procs');
    const summary = document.getElementById('summary');

    function rows() {
      return procs.querySelectorAll('tr.proc');
    }

    function tick() {
      const now = Date.now() / 1000 + skew;
      for (const row of rows()) {
        if (row.dataset.start === undefined) continue;
        const cell = row.querySelector('.uptime');
        const text = formatUptime(now - Number(row.dataset.start));
        if (cell.textContent !== text) cell.textContent = text;
      }
    }

    function updateSummary() {
      const counts = new Map();
      for (const row of rows()) {
        const state = row.dataset.state.toLowerCase();
        counts.set(state, (counts.get(state) || 0) + 1);
      }
      summary.textContent = [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([state, n]) => n + ' ' + state)
        .join(' · ');
    }

    let source;
    function connect() {
      source?.close();
      source = new EventSource('dashboard/events');
      source.onopen = () => setLive(true);
      source.onerror = () => setLive(source.readyState === EventSource.OPEN);
      source.addEventListener('snapshot', (event) => {
        const data = JSON.parse(event.data);
        skew = data.now - Date.now() / 1000;
        procs.replaceChildren(fragment(data.html));
        updateSummary();
        tick();
      });
      source.addEventListener('process', (event) => {
        const data = JSON.parse(event.data);
        skew = data.now - Date.now() / 1000;
        const row = [...rows()].find((r) => r.dataset.ns === data.ns);
        // A row we do not have: reconnect, which starts with a full snapshot.
        if (!row) return connect();
        const next = fragment(data.html).firstElementChild;
        next.classList.add('changed');
        row.replaceWith(next);
        updateSummary();
        tick();
      });
      source.addEventListener('failure', (event) => {
        showMessage('ERROR: ' + JSON.parse(event.data).message, true);
      });
    }

    connect();
    setInterval(tick, 1000);
  }

  function followLog() {
    const log = document.getElementById('log');
    const follow = document.getElementById('follow');
    const MAX_CHARS = 512 * 1024;
    follow.closest('label').hidden = false;

    function scrollDown() {
      if (follow.checked) log.scrollTop = log.scrollHeight;
    }

    const query = new URLSearchParams({
      processname: body.dataset.processname,
      channel: body.dataset.channel,
      offset: body.dataset.offset,
    });
    const source = new EventSource('dashboard/tail?' + query);
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(source.readyState === EventSource.OPEN);
    source.addEventListener('chunk', (event) => {
      log.append(JSON.parse(event.data));
      // Keep the page light on a chatty process: drop the oldest half past the cap.
      if (log.textContent.length > MAX_CHARS) log.textContent = log.textContent.slice(-MAX_CHARS / 2);
      scrollDown();
    });
    source.addEventListener('failure', (event) => {
      source.close();
      setLive(false);
      showMessage('ERROR: ' + JSON.parse(event.data).message, true);
    });
    follow.addEventListener('change', scrollDown);
    scrollDown();
  }
})();
