import { expect, test } from 'vitest';
import { CaptureParser } from '../src/index.ts';

function run(chunks: string[], maxBytes = 1000) {
  const log: string[] = [];
  const comms: string[] = [];
  const parser = new CaptureParser(maxBytes, {
    log: (d) => log.push(d.toString()),
    communicate: (d) => comms.push(d.toString()),
  });
  for (const chunk of chunks) parser.feed(Buffer.from(chunk));
  return { log: log.join(''), comms };
}

test('text between the tokens becomes a message; before and after are logged', () => {
  expect(
    run(['before<!--XSUPERVISOR:BEGIN-->hello comm\nline2<!--XSUPERVISOR:END-->after\n', 'and more text\n']),
  ).toEqual({ log: 'before', comms: ['hello comm\nline2'] });
  // supervisord's quirk: a fragment no longer than the token searched for is held back.
  expect(
    run(['before<!--XSUPERVISOR:BEGIN-->x<!--XSUPERVISOR:END-->after\n', 'then a longer line of output\n']),
  ).toEqual({ log: 'beforeafter\nthen a longer line of output\n', comms: ['x'] });
});

test('tokens split across reads are found; the buffer is bounded the way supervisord bounds it', () => {
  // BoundIO drops as many bytes from the front as a write adds, only when the total exceeds the cap.
  expect(
    run(
      [
        'text before the token <!--XSUPER',
        'VISOR:BEGIN-->0123456789abcdefghijklmnopqrstuvwxyz',
        'ABCDEFGHIJKLMNOPQRSTUVWXYZ<!--XSUPERVISOR:E',
        'ND-->tail that is long enough\n',
      ],
      10,
    ),
  ).toEqual({
    log: 'text before the token tail that is long enough\n',
    comms: ['qrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  });
});
