import { expect, test } from 'vitest';
import { parseServerUrl } from '../src/index.ts';

test.each([
  ['unix:///run/supd.sock', { path: '/run/supd.sock' }],
  ['unix://relative.sock', { path: 'relative.sock' }],
  ['tcp://127.0.0.1:9001', { host: '127.0.0.1', port: 9001 }],
  ['http://localhost:9001', { host: 'localhost', port: 9001 }],
  ['http://localhost:9001/', { host: 'localhost', port: 9001 }],
  ['tcp://[::1]:9001', { host: '::1', port: 9001 }],
])('%s', (url, address) => {
  expect(parseServerUrl(url)).toEqual(address);
});

test.each([
  ['unix://', "server URL 'unix://' has no socket path; expected 'unix:///path/to/supd.sock'"],
  ['tcp://host', "server URL 'tcp://host' needs a port between 1 and 65535, e.g. 'tcp://host:9001'"],
  [
    'tcp://host:70000',
    "server URL 'tcp://host:70000' needs a port between 1 and 65535, e.g. 'tcp://host:9001'",
  ],
  [
    '/run/supd.sock',
    "server URL '/run/supd.sock' is not supported; expected 'unix:///path/to/supd.sock' or 'tcp://host:port'",
  ],
])('%s is refused', (url, message) => {
  expect(() => parseServerUrl(url)).toThrow(new TypeError(message));
});
