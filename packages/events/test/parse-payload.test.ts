import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  EventProtocolError,
  formatEventPayload,
  isConcreteEventType,
  parseEventPayload,
} from '../src/index.ts';
import { eventArb } from './fixtures/arbitraries.ts';
import { catchError } from './fixtures/catch-error.ts';
import { PAYLOAD_CASES } from './fixtures/payload-cases.ts';

describe('parseEventPayload', () => {
  test.each(PAYLOAD_CASES)('%s', (_name, event, payload) => {
    expect(parseEventPayload(event.type, payload)).toEqual(event);
  });

  test('inverts formatEventPayload for any event', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        expect(parseEventPayload(event.type, formatEventPayload(event))).toEqual(event);
      }),
      { numRuns: 2000 },
    );
  });

  test('accepts the payload a Python listener would see after extra whitespace', () => {
    expect(
      parseEventPayload('PROCESS_STATE_FATAL', ' processname:a  groupname:b\tfrom_state:BACKOFF '),
    ).toEqual({
      type: 'PROCESS_STATE_FATAL',
      processName: 'a',
      groupName: 'b',
      fromState: 'BACKOFF',
    });
  });

  const ALL =
    'PROCESS_STATE_STOPPED, PROCESS_STATE_EXITED, PROCESS_STATE_STARTING, PROCESS_STATE_STOPPING, PROCESS_STATE_BACKOFF, PROCESS_STATE_FATAL, PROCESS_STATE_RUNNING, PROCESS_STATE_UNKNOWN, PROCESS_COMMUNICATION_STDOUT, PROCESS_COMMUNICATION_STDERR, PROCESS_LOG_STDOUT, PROCESS_LOG_STDERR, REMOTE_COMMUNICATION, SUPERVISOR_STATE_CHANGE_RUNNING, SUPERVISOR_STATE_CHANGE_STOPPING, TICK_5, TICK_60, TICK_3600, PROCESS_GROUP_ADDED, PROCESS_GROUP_REMOVED';

  test.each([
    ['TICK', 'when:5', "'TICK' is an abstract event type; an envelope always names a concrete one"],
    ['tick_5', 'when:5', "unknown event type 'tick_5'; did you mean 'TICK_5'?"],
    ['PLUGIN_EVENT', '', `unknown event type 'PLUGIN_EVENT' (expected one of ${ALL})`],
    [
      'PROCESS_STATE_RUNNING',
      'processname:a groupname:a from_state:STARTING',
      'PROCESS_STATE_RUNNING payload has no pid',
    ],
    [
      'PROCESS_STATE_RUNNING',
      'processname:a groupname:a from_state:STARTING pid:-1',
      'PROCESS_STATE_RUNNING payload has pid:-1 (expected a non-negative integer)',
    ],
    [
      'PROCESS_STATE_RUNNING',
      'processname:a groupname:a from_state:starting pid:1',
      'PROCESS_STATE_RUNNING payload has from_state:starting (expected a process state)',
    ],
    [
      'PROCESS_STATE_RUNNING',
      'groupname:a from_state:STARTING pid:1',
      'PROCESS_STATE_RUNNING payload has no processname',
    ],
    [
      'PROCESS_STATE_STARTING',
      'processname:a groupname:a from_state:STOPPED tries:x',
      'PROCESS_STATE_STARTING payload has tries:x (expected a non-negative integer)',
    ],
    [
      'PROCESS_STATE_EXITED',
      'processname:a groupname:a from_state:RUNNING expected:2 pid:1',
      'PROCESS_STATE_EXITED payload has expected:2 (expected 0 or 1)',
    ],
    [
      'PROCESS_STATE_EXITED',
      'processname:a groupname:a from_state:RUNNING pid:1',
      'PROCESS_STATE_EXITED payload has no expected',
    ],
    [
      'PROCESS_STATE_FATAL',
      'processname:a groupname:a from_state BACKOFF',
      "PROCESS_STATE_FATAL payload: token 'from_state' has no ':' (expected key:value)",
    ],
    [
      'PROCESS_LOG_STDOUT',
      'processname:a groupname:a pid:1 channel:stdout',
      'PROCESS_LOG_STDOUT payload has no newline after its header tokens',
    ],
    [
      'PROCESS_LOG_STDOUT',
      'processname:a groupname:a pid:1 channel:stderr\nx',
      'PROCESS_LOG_STDOUT payload has channel:stderr (expected stdout)',
    ],
    [
      'PROCESS_COMMUNICATION_STDERR',
      'processname:a groupname:a\nx',
      'PROCESS_COMMUNICATION_STDERR payload has no pid',
    ],
    ['REMOTE_COMMUNICATION', 'type:x', "REMOTE_COMMUNICATION payload is not 'type:<type>\\n<data>'"],
    ['REMOTE_COMMUNICATION', 'kind:x\ny', "REMOTE_COMMUNICATION payload is not 'type:<type>\\n<data>'"],
    ['SUPERVISOR_STATE_CHANGE_RUNNING', '\n', 'SUPERVISOR_STATE_CHANGE_RUNNING payload is not empty'],
    ['TICK_60', 'when:', 'TICK_60 payload has when: (expected a non-negative integer)'],
    ['TICK_60', 'when:1.5', 'TICK_60 payload has when:1.5 (expected a non-negative integer)'],
    ['PROCESS_GROUP_ADDED', 'groupname:a', "PROCESS_GROUP_ADDED payload is not 'groupname:<group>\\n'"],
    ['PROCESS_GROUP_ADDED', 'groupname:a\n\n', "PROCESS_GROUP_ADDED payload is not 'groupname:<group>\\n'"],
  ])('%s %j is rejected', (eventName, payload, message) => {
    const error = catchError(() => parseEventPayload(eventName, payload));
    expect(error).toBeInstanceOf(EventProtocolError);
    expect(error).toMatchObject({ name: 'EventProtocolError', message });
    // The error carries the text that failed: the payload, or the event name if that is unknown.
    expect((error as EventProtocolError).input).toBe(isConcreteEventType(eventName) ? payload : eventName);
  });
});
