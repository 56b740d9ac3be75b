import { html } from './html.ts';
import { renderPage } from './render-page.ts';
import { tailHref } from './render-status.ts';

/** What the tail page shows. */
export interface TailPageData {
  /** The namespec, or `undefined` when the request named none. */
  readonly processName: string | undefined;
  readonly channel: 'stdout' | 'stderr';
  /** The end of the log, or an error text (Supervisor's `No file for web`, …). */
  readonly text: string;
  /** Byte offset just after `text`, where live streaming resumes; absent after an error. */
  readonly offset?: number;
  /** Bytes the page shows (Supervisor's `limit`, at least 1024). */
  readonly limit: number;
  readonly identification: string;
  readonly version: string;
  readonly now: number;
}

/** The tail page: the end of one log, streamed on by the script, with a plain Refresh link. */
export function renderTailPage(data: TailPageData): string {
  const ns = data.processName;
  const live = ns !== undefined && data.offset !== undefined;
  const refresh = ns === undefined ? '' : `${tailHref(ns, data.channel)}&limit=${data.limit}`;
  const tab = (channel: 'stdout' | 'stderr') =>
    ns === undefined
      ? ''
      : html`<a class="tab" href="${tailHref(ns, channel)}"${channel === data.channel ? html` aria-current="page"` : ''}>${channel}</a>`;
  const body = html`<nav class="crumbs"><a href="./">&larr; All processes</a></nav>
<h1 class="tail-title">${ns ?? 'No process'}</h1>
<div class="tail-bar">
<div class="tabs">${tab('stdout')}${tab('stderr')}</div>
${
  ns === undefined
    ? ''
    : html`<form class="toolbar" method="post" action="index.html"><input type="hidden" name="processname" value="${ns}">
<a class="btn" href="${refresh}">Refresh</a>
<button type="submit" name="action" value="clearlog" class="btn btn-clearlog">Clear log</button>
<label class="follow" hidden><input type="checkbox" id="follow" checked> Follow</label>
</form>`
}
</div>
<p id="message" class="message" role="status" hidden></p>
<pre id="log" class="log${live ? '' : ' log-error'}">${data.text}</pre>`;
  return renderPage({
    page: 'tail',
    title: `Supervisor tail of process ${ns ?? 'None'}`,
    identification: data.identification,
    version: data.version,
    now: data.now,
    body,
    bodyData: live
      ? html` data-processname="${ns}" data-channel="${data.channel}" data-offset="${data.offset}"`
      : undefined,
  });
}
