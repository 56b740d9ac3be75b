// Dashboard.preload(): the dashboard's own files are read ahead, then served from memory (supd
// preloads before it drops privileges to a user who may not read the package's directory).
import { readFileSync } from 'node:fs';
import { expect, test, vi } from 'vitest';
import { createDashboard } from '../../src/dashboard/create-dashboard.ts';
import { createFakeSupervisor } from './fake-supervisor.ts';
import { recordResponse, request } from './recorder.ts';

const reads = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    readFile: (path: Parameters<typeof fs.readFile>[0], ...rest: unknown[]) => {
      reads.push(String(path));
      return (fs.readFile as (...args: unknown[]) => Promise<Buffer>)(path, ...rest);
    },
  };
});

test('preload reads the CSS and JS once; requests are then answered from memory', async () => {
  const dashboard = createDashboard({ api: createFakeSupervisor([{ name: 'cat' }]).api });
  await dashboard.preload();
  expect(reads.map((path) => path.replace(/^.*\//, '')).sort()).toEqual(['app.js', 'style.css']);
  for (const [path, file] of [
    ['/dashboard/style.css', 'style.css'],
    ['/dashboard/app.js', 'app.js'],
  ] as const) {
    const response = recordResponse();
    expect(await dashboard.handle(request(path), response)).toBe(true);
    expect(response.status).toBe(200);
    const onDisk = readFileSync(new URL(`../../dashboard-assets/${file}`, import.meta.url), 'utf8');
    expect(response.text()).toBe(onDisk);
  }
  expect(reads).toHaveLength(2);
  await dashboard.close();
});
