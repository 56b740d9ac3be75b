import { describe, expect, test } from 'vitest';
import { ctime } from '../../src/dashboard/actions.ts';
import { escapeHtml } from '../../src/dashboard/html.ts';
import { renderProcessRow, renderStatusPage, renderSummary } from '../../src/dashboard/render-status.ts';
import { renderTailPage } from '../../src/dashboard/render-tail.ts';
import { info } from './process-info.ts';

const EVIL = `<script>alert("x")</script>"'><img src=x onerror=alert(1)>&`;
const frame = { identification: 'supervisor', version: '4.2.5', now: 1_800_000_000 };

/** Every tag the markup opens, by name. */
function tags(markup: string): string[] {
  return [...markup.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
}

describe('status page', () => {
  test('every process with its state, description and uptime, grouped', () => {
    const page = renderStatusPage({
      ...frame,
      processes: [
        info({ group: 'web', name: 'web_1', statename: 'STOPPED', description: 'Not started', start: 0 }),
        info({
          group: 'web',
          name: 'web_0',
          pid: 7,
          description: 'pid 7, uptime 1 day, 0:00:05',
          start: 1_800_000_000 - 86405,
        }),
        info({ name: 'cat' }),
        info({
          name: 'crash',
          statename: 'FATAL',
          description: 'Exited too quickly (process log may have details)',
        }),
      ],
    });
    expect(page).toContain('<title>Supervisor Status</title>');
    // Groups sorted by name, processes by name inside; a lone program gets no group heading.
    const order = [...page.matchAll(/data-ns="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['cat', 'crash', 'web:web_0', 'web:web_1']);
    expect(page).toContain('<th colspan="5" scope="rowgroup">web</th>');
    expect(page).not.toContain('scope="rowgroup">cat<');
    expect(page).toContain('<span class="badge statusrunning state-running">running</span>');
    expect(page).toContain('<span class="badge statuserror state-fatal">fatal</span>');
    expect(page).toContain('<td class="desc">pid 7, uptime 1 day, 0:00:05</td>');
    expect(page).toContain('<td class="uptime">1 day, 0:00:05</td>');
    expect(page).toContain('<td class="uptime">0:01:05</td>');
    expect(page).toContain('<p id="summary" class="summary">2 running · 1 fatal · 1 stopped</p>');
    expect(page).toContain('Supervisor 4.2.5 · © 2027');
  });

  test('per-process forms post to index.html with the namespec and one button per action', () => {
    const row = renderProcessRow(info({ group: 'web', name: 'web_0' })).value;
    expect(row).toContain(
      '<form method="post" action="index.html"><input type="hidden" name="processname" value="web:web_0">',
    );
    expect(row).toContain('<button type="submit" name="action" value="restart"');
    expect(row).toContain('<button type="submit" name="action" value="stop"');
    expect(row).toContain('<button type="submit" name="action" value="clearlog"');
    expect(row).not.toContain('value="start"');
    expect(row).toContain('href="tail.html?processname=web%3Aweb_0"');
  });

  test('all-process actions, and the banner only when there is a message', () => {
    const page = renderStatusPage({ ...frame, processes: [info()] });
    for (const action of ['refresh', 'startall', 'restartall', 'stopall', 'clearall']) {
      expect(page).toContain(`name="action" value="${action}"`);
    }
    expect(page).toContain('<p id="message" class="message" role="status" hidden></p>');
    const failed = renderStatusPage({ ...frame, processes: [], message: 'ERROR: Process x: spawn error' });
    expect(failed).toContain(
      '<p id="message" class="message error" role="status">ERROR: Process x: spawn error</p>',
    );
    expect(failed).toContain('No programs to manage');
  });

  test('names, descriptions and messages are escaped', () => {
    const page = renderStatusPage({
      ...frame,
      identification: EVIL,
      message: EVIL,
      processes: [info({ group: EVIL, name: EVIL, description: EVIL }), info({ group: EVIL, name: 'b' })],
    });
    expect(tags(page).filter((t) => t === 'script')).toHaveLength(1); // our own app.js
    expect(tags(page)).not.toContain('img');
    expect(page).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;',
    );
    expect(page).toContain(`href="tail.html?processname=${escapeHtml(encodeURIComponent(EVIL))}"`);
  });

  test('summary counts, most common first', () => {
    expect(
      renderSummary([info(), info({ statename: 'STOPPED' }), info(), info({ statename: 'BACKOFF' })]),
    ).toBe('2 running · 1 backoff · 1 stopped');
  });
});

describe('tail page', () => {
  test('the log text, escaped, and where to resume', () => {
    const page = renderTailPage({
      ...frame,
      processName: 'web:web_0',
      channel: 'stdout',
      text: `hello\n${EVIL}\n`,
      offset: 123,
      limit: 1024,
    });
    expect(page).toContain('<title>Supervisor tail of process web:web_0</title>');
    expect(page).toContain('data-processname="web:web_0" data-channel="stdout" data-offset="123"');
    expect(page).toContain('<pre id="log" class="log">hello\n&lt;script&gt;');
    expect(tags(page)).not.toContain('img');
    expect(page).toContain(
      '<a class="btn" href="tail.html?processname=web%3Aweb_0&amp;limit=1024">Refresh</a>',
    );
    expect(page).toContain('aria-current="page">stdout</a>');
  });

  test('no process name: Supervisor title and text, no live attributes', () => {
    const page = renderTailPage({
      ...frame,
      processName: undefined,
      channel: 'stdout',
      text: 'No process name found',
      limit: 1024,
    });
    expect(page).toContain('<title>Supervisor tail of process None</title>');
    expect(page).toContain('<pre id="log" class="log log-error">No process name found</pre>');
    expect(page).not.toContain('data-offset');
    expect(page).not.toContain('Refresh');
  });
});

test('ctime is Python time.ctime()', () => {
  expect(ctime(new Date(2026, 10, 4, 5, 12, 30))).toBe('Wed Nov  4 05:12:30 2026');
  expect(ctime(new Date(2026, 10, 24, 15, 2, 3))).toBe('Tue Nov 24 15:02:03 2026');
});
