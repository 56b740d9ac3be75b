import type { ProcessInfo } from '@supctl/rpc';
import { actionsFor, formatUptime, groupProcesses, namespec, stateClass, uptimeSeconds } from './format.ts';
import { type Html, html } from './html.ts';
import { renderPage } from './render-page.ts';

const BUTTON_LABELS = { start: 'Start', restart: 'Restart', stop: 'Stop', clearlog: 'Clear log' } as const;

/** What the status page shows. */
export interface StatusPageData {
  readonly processes: readonly ProcessInfo[];
  readonly identification: string;
  readonly version: string;
  /** Epoch seconds on the server, so the page can keep uptimes ticking. */
  readonly now: number;
  /** The banner text (`?message=`), if any. */
  readonly message?: string;
  /** Set when the process list could not be read. */
  readonly error?: string;
}

/** Whether a Supervisor action message reports a failure. */
export function isErrorMessage(message: string): boolean {
  return /^(ERROR|unexpected rpc fault|No such process)/.test(message);
}

/** `tail.html?processname=<ns>` (plus the channel when it is stderr). */
export function tailHref(ns: string, channel: 'stdout' | 'stderr' = 'stdout'): string {
  const query = `processname=${encodeURIComponent(ns)}`;
  return `tail.html?${query}${channel === 'stderr' ? '&channel=stderr' : ''}`;
}

/** One process row; also sent alone over the event stream when the process changes. */
export function renderProcessRow(info: ProcessInfo): Html {
  const ns = namespec(info);
  const state = info.statename;
  const uptime = uptimeSeconds(info);
  const buttons = actionsFor(state).map(
    (action) =>
      html`<button type="submit" name="action" value="${action}" class="btn btn-${action}">${BUTTON_LABELS[action]}</button>`,
  );
  return html`<tr class="proc" data-ns="${ns}" data-state="${state}"${uptime === undefined ? '' : html` data-start="${info.start}"`}>
<td class="state"><span class="badge ${stateClass(state)} state-${state.toLowerCase()}">${state.toLowerCase()}</span></td>
<td class="name"><a href="${tailHref(ns)}" title="Tail the log of ${ns}">${ns}</a></td>
<td class="desc">${info.description}</td>
<td class="uptime">${uptime === undefined ? '' : formatUptime(uptime)}</td>
<td class="actions"><form method="post" action="index.html"><input type="hidden" name="processname" value="${ns}">${buttons}<a class="btn btn-tail" href="${tailHref(ns)}">Tail</a></form></td>
</tr>
`;
}

/** The process table (or the "no programs" note): the part the event stream replaces whole. */
export function renderProcessTable(processes: readonly ProcessInfo[]): Html {
  if (processes.length === 0) return html`<p class="empty">No programs to manage</p>`;
  const groups = groupProcesses(processes).map(([group, infos]) => {
    const solo = infos.length === 1 && infos[0]!.name === group;
    return html`<tbody class="group${solo ? ' solo' : ''}" data-group="${group}">
${solo ? '' : html`<tr class="group-row"><th colspan="5" scope="rowgroup">${group}</th></tr>\n`}${infos.map(renderProcessRow)}</tbody>
`;
  });
  return html`<table class="procs">
<thead><tr><th scope="col">State</th><th scope="col">Name</th><th scope="col">Description</th><th scope="col">Uptime</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
${groups}</table>`;
}

/** `2 running · 1 stopped`: counts per state, most common first. */
export function renderSummary(processes: readonly ProcessInfo[]): string {
  const counts = new Map<string, number>();
  for (const p of processes) counts.set(p.statename, (counts.get(p.statename) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([state, n]) => `${n} ${state.toLowerCase()}`)
    .join(' · ');
}

/** The whole status page at `/`, complete without JavaScript. */
export function renderStatusPage(data: StatusPageData): string {
  const message = data.error ?? data.message ?? '';
  const isError = data.error !== undefined || isErrorMessage(message);
  const body = html`<form class="toolbar" method="post" action="index.html">
<button type="submit" name="action" value="refresh" class="btn">Refresh</button>
<button type="submit" name="action" value="startall" class="btn btn-start">Start all</button>
<button type="submit" name="action" value="restartall" class="btn btn-restart">Restart all</button>
<button type="submit" name="action" value="stopall" class="btn btn-stop">Stop all</button>
<button type="submit" name="action" value="clearall" class="btn btn-clearlog">Clear all logs</button>
</form>
<p id="message" class="message${isError ? ' error' : ''}" role="status"${message === '' ? html` hidden` : ''}>${message}</p>
<p id="summary" class="summary">${renderSummary(data.processes)}</p>
<div id="procs">${renderProcessTable(data.processes)}</div>`;
  return renderPage({
    page: 'status',
    title: 'Supervisor Status',
    identification: data.identification,
    version: data.version,
    now: data.now,
    body,
  });
}
