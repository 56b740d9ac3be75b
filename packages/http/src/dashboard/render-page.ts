import { type Html, html } from './html.ts';

/** The frame every dashboard page shares: head, top bar, footer. */
export interface PageFrame {
  readonly page: 'status' | 'tail';
  readonly title: string;
  readonly identification: string;
  readonly version: string;
  /** Epoch seconds on the server. */
  readonly now: number;
  readonly body: Html;
  /** Extra `data-*` attributes for `<body>`, already escaped by `html`. */
  readonly bodyData?: Html;
}

/** A complete HTML document; assets are relative, so the dashboard also works behind a path prefix. */
export function renderPage(frame: PageFrame): string {
  const year = new Date(frame.now * 1000).getUTCFullYear();
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${frame.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="dashboard/style.css">
<script src="dashboard/app.js" defer></script>
</head>
<body data-page="${frame.page}" data-now="${frame.now}"${frame.bodyData ?? ''}>
<header class="bar">
<a class="brand" href="./"><span class="logo" aria-hidden="true"></span><span class="product">Supervisor</span></a>
<span class="ident">${frame.identification}</span>
<span id="live" class="live" hidden title="Live updates from the daemon">live</span>
</header>
<main>
${frame.body}
</main>
<footer>supctl${frame.version === '' ? '' : html` · Supervisor ${frame.version}`} · © ${year}</footer>
</body>
</html>
`.value;
}
