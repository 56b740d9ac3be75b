import { describe, expect, test } from 'vitest';
import { CONCRETE_EVENT_TYPE_NAMES, formatEventPayload, type SupervisorEvent } from '../src/index.ts';
import { PAYLOAD_CASES } from './fixtures/payload-cases.ts';

describe('formatEventPayload', () => {
  test.each(PAYLOAD_CASES)('%s', (_name, event, payload) => {
    expect(formatEventPayload(event)).toBe(payload);
  });

  test('covers every concrete event type', () => {
    expect(new Set(PAYLOAD_CASES.map(([, event]) => event.type))).toEqual(new Set(CONCRETE_EVENT_TYPE_NAMES));
  });

  test('state and tick payloads never end in a newline; group payloads always do', () => {
    for (const [, event, payload] of PAYLOAD_CASES) {
      if (event.type.startsWith('PROCESS_STATE_') || event.type.startsWith('TICK_')) {
        expect(payload).not.toContain('\n');
      }
      if (event.type.startsWith('PROCESS_GROUP_')) expect(payload.endsWith('\n')).toBe(true);
    }
  });

  test('rejects a value that is not an event', () => {
    expect(() => formatEventPayload({ type: 'TICK' } as unknown as SupervisorEvent)).toThrow(
      'Unknown event type: "TICK"',
    );
  });
});
