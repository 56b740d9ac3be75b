import { describe, expect, test } from 'vitest';
import { escapeHtml, Html, html } from '../../src/dashboard/html.ts';

describe('escapeHtml', () => {
  test.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"onmouseover='x'`, '&quot;onmouseover=&#39;x&#39;'],
    ['a & b', 'a &amp; b'],
    ['&amp;', '&amp;amp;'],
    ['plain', 'plain'],
  ])('%s', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('html', () => {
  test('escapes interpolations, keeps Html, joins arrays and skips empty values', () => {
    const name = '<b>"x"</b>';
    const out = html`<p title="${name}">${name}${new Html('<i>ok</i>')}${[1, '<', null]}${undefined}${false}</p>`;
    expect(out.value).toBe(
      '<p title="&lt;b&gt;&quot;x&quot;&lt;/b&gt;">&lt;b&gt;&quot;x&quot;&lt;/b&gt;<i>ok</i>1&lt;</p>',
    );
  });

  test('nested templates are not escaped twice', () => {
    const inner = html`<span>${'&'}</span>`;
    expect(html`<div>${inner}</div>`.value).toBe('<div><span>&amp;</span></div>');
  });
});
