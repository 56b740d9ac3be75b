import { CONCRETE_EVENT_TYPE_NAMES, isConcreteEventType, isEventType } from './event-types.ts';
import type { ProcessStateEvent, SupervisorEvent } from './events.ts';
import { isProcessStateName } from './process-states.ts';
import { EventProtocolError } from './protocol-error.ts';
import { parseTokenLine } from './token-line.ts';

/**
 * Rebuilds the typed event from an envelope's `eventname` and payload: the inverse of
 * `formatEventPayload`, for listeners written in TypeScript and for tests. Throws
 * {@link EventProtocolError} when the payload does not have the shape its event type prescribes, or
 * when `eventName` is not a built-in concrete event type.
 *
 * @example
 * parseEventPayload('PROCESS_STATE_EXITED', 'processname:a groupname:a from_state:RUNNING expected:0 pid:7');
 * // { type: 'PROCESS_STATE_EXITED', processName: 'a', groupName: 'a', fromState: 'RUNNING',
 * //   expected: false, pid: 7 }
 */
export function parseEventPayload(eventName: string, payload: string): SupervisorEvent {
  if (!isConcreteEventType(eventName)) {
    throw new EventProtocolError(unknownTypeMessage(eventName), eventName);
  }
  const p = new PayloadReader(eventName, payload);
  switch (eventName) {
    case 'PROCESS_STATE_STARTING':
    case 'PROCESS_STATE_BACKOFF': {
      const tokens = p.tokens(payload);
      return { type: eventName, ...p.stateFacts(tokens), tries: p.int(tokens, 'tries') };
    }
    case 'PROCESS_STATE_RUNNING':
    case 'PROCESS_STATE_STOPPING':
    case 'PROCESS_STATE_STOPPED': {
      const tokens = p.tokens(payload);
      return { type: eventName, ...p.stateFacts(tokens), pid: p.int(tokens, 'pid') };
    }
    case 'PROCESS_STATE_EXITED': {
      const tokens = p.tokens(payload);
      const expected = p.string(tokens, 'expected');
      if (expected !== '0' && expected !== '1') p.fail(`has expected:${expected} (expected 0 or 1)`);
      return {
        type: eventName,
        ...p.stateFacts(tokens),
        expected: expected === '1',
        pid: p.int(tokens, 'pid'),
      };
    }
    case 'PROCESS_STATE_FATAL':
    case 'PROCESS_STATE_UNKNOWN':
      return { type: eventName, ...p.stateFacts(p.tokens(payload)) };
    case 'PROCESS_LOG_STDOUT':
    case 'PROCESS_LOG_STDERR': {
      const { tokens, data } = p.headerAndData();
      const channel = eventName === 'PROCESS_LOG_STDOUT' ? 'stdout' : 'stderr';
      const actual = p.string(tokens, 'channel');
      if (actual !== channel) p.fail(`has channel:${actual} (expected ${channel})`);
      return { type: eventName, ...p.outputFacts(tokens), data };
    }
    case 'PROCESS_COMMUNICATION_STDOUT':
    case 'PROCESS_COMMUNICATION_STDERR': {
      const { tokens, data } = p.headerAndData();
      return { type: eventName, ...p.outputFacts(tokens), data };
    }
    case 'REMOTE_COMMUNICATION': {
      // The type is taken verbatim up to the first newline, even if it holds spaces or ':'.
      const newline = payload.indexOf('\n');
      if (!payload.startsWith('type:') || newline === -1) p.fail(`is not 'type:<type>\\n<data>'`);
      return { type: eventName, commType: payload.slice(5, newline), data: payload.slice(newline + 1) };
    }
    case 'SUPERVISOR_STATE_CHANGE_RUNNING':
    case 'SUPERVISOR_STATE_CHANGE_STOPPING':
      if (payload !== '') p.fail('is not empty');
      return { type: eventName };
    case 'TICK_5':
    case 'TICK_60':
    case 'TICK_3600':
      return { type: eventName, when: p.int(p.tokens(payload), 'when') };
    case 'PROCESS_GROUP_ADDED':
    case 'PROCESS_GROUP_REMOVED': {
      const match = /^groupname:([^\n]*)\n$/.exec(payload);
      if (match === null) return p.fail(`is not 'groupname:<group>\\n'`);
      return { type: eventName, groupName: match[1]! };
    }
  }
}

function unknownTypeMessage(eventName: string): string {
  const upper = eventName.toUpperCase();
  if (isConcreteEventType(upper)) return `unknown event type '${eventName}'; did you mean '${upper}'?`;
  if (isEventType(upper)) {
    return `'${eventName}' is an abstract event type; an envelope always names a concrete one`;
  }
  return `unknown event type '${eventName}' (expected one of ${CONCRETE_EVENT_TYPE_NAMES.join(', ')})`;
}

type Tokens = Record<string, string>;

// Reads the pieces of one payload; every failure names the event type.
class PayloadReader {
  readonly #eventName: string;
  readonly #payload: string;

  constructor(eventName: string, payload: string) {
    this.#eventName = eventName;
    this.#payload = payload;
  }

  fail(detail: string): never {
    throw new EventProtocolError(`${this.#eventName} payload ${detail}`, this.#payload);
  }

  tokens(line: string): Tokens {
    try {
      return parseTokenLine(line);
    } catch (error) {
      if (!(error instanceof EventProtocolError)) throw error;
      throw new EventProtocolError(`${this.#eventName} payload: ${error.message}`, this.#payload);
    }
  }

  // PROCESS_LOG and PROCESS_COMMUNICATION: a token line, '\n', then the data verbatim.
  headerAndData(): { tokens: Tokens; data: string } {
    const newline = this.#payload.indexOf('\n');
    if (newline === -1) this.fail('has no newline after its header tokens');
    return { tokens: this.tokens(this.#payload.slice(0, newline)), data: this.#payload.slice(newline + 1) };
  }

  string(tokens: Tokens, key: string): string {
    return tokens[key] ?? this.fail(`has no ${key}`);
  }

  int(tokens: Tokens, key: string): number {
    const value = this.string(tokens, key);
    if (!/^\d+$/.test(value)) this.fail(`has ${key}:${value} (expected a non-negative integer)`);
    return Number(value);
  }

  stateFacts(tokens: Tokens): Pick<ProcessStateEvent, 'processName' | 'groupName' | 'fromState'> {
    const processName = this.string(tokens, 'processname');
    const groupName = this.string(tokens, 'groupname');
    const fromState = this.string(tokens, 'from_state');
    if (!isProcessStateName(fromState))
      return this.fail(`has from_state:${fromState} (expected a process state)`);
    return { processName, groupName, fromState };
  }

  outputFacts(tokens: Tokens): { processName: string; groupName: string; pid: number } {
    return {
      processName: this.string(tokens, 'processname'),
      groupName: this.string(tokens, 'groupname'),
      pid: this.int(tokens, 'pid'),
    };
  }
}
