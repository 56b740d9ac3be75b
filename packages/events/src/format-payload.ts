import type { ProcessStateEvent, SupervisorEvent } from './events.ts';
import { formatTokenLine } from './token-line.ts';

/**
 * The payload supervisord sends to listeners for `event`, character for character:
 *
 * | type | payload |
 * | --- | --- |
 * | PROCESS_STATE_STARTING, _BACKOFF | `processname:P groupname:G from_state:S tries:N` |
 * | PROCESS_STATE_RUNNING, _STOPPING, _STOPPED | `processname:P groupname:G from_state:S pid:PID` |
 * | PROCESS_STATE_EXITED | `processname:P groupname:G from_state:S expected:0\|1 pid:PID` |
 * | PROCESS_STATE_FATAL, _UNKNOWN | `processname:P groupname:G from_state:S` |
 * | PROCESS_LOG_* | `processname:P groupname:G pid:PID channel:stdout\|stderr\n<data>` |
 * | PROCESS_COMMUNICATION_* | `processname:P groupname:G pid:PID\n<data>` |
 * | REMOTE_COMMUNICATION | `type:<type>\n<data>` |
 * | SUPERVISOR_STATE_CHANGE_* | empty |
 * | TICK_* | `when:<T>` |
 * | PROCESS_GROUP_* | `groupname:G\n` |
 *
 * Nothing is added: state and tick payloads have no trailing newline. Names and data are inserted
 * verbatim, as Supervisor does.
 *
 * @example
 * formatEventPayload({ type: 'TICK_5', when: 1795497550 }); // 'when:1795497550'
 * formatEventPayload({ type: 'PROCESS_GROUP_ADDED', groupName: 'web' }); // 'groupname:web\n'
 */
export function formatEventPayload(event: SupervisorEvent): string {
  switch (event.type) {
    case 'PROCESS_STATE_STARTING':
    case 'PROCESS_STATE_BACKOFF':
      return formatStatePayload(event, [['tries', event.tries]]);
    case 'PROCESS_STATE_RUNNING':
    case 'PROCESS_STATE_STOPPING':
    case 'PROCESS_STATE_STOPPED':
      return formatStatePayload(event, [['pid', event.pid]]);
    case 'PROCESS_STATE_EXITED':
      return formatStatePayload(event, [
        ['expected', event.expected ? 1 : 0],
        ['pid', event.pid],
      ]);
    case 'PROCESS_STATE_FATAL':
    case 'PROCESS_STATE_UNKNOWN':
      return formatStatePayload(event, []);
    case 'PROCESS_LOG_STDOUT':
    case 'PROCESS_LOG_STDERR': {
      const channel = event.type === 'PROCESS_LOG_STDOUT' ? 'stdout' : 'stderr';
      const header = formatTokenLine([
        ['processname', event.processName],
        ['groupname', event.groupName],
        ['pid', event.pid],
        ['channel', channel],
      ]);
      return `${header}\n${event.data}`;
    }
    case 'PROCESS_COMMUNICATION_STDOUT':
    case 'PROCESS_COMMUNICATION_STDERR': {
      const header = formatTokenLine([
        ['processname', event.processName],
        ['groupname', event.groupName],
        ['pid', event.pid],
      ]);
      return `${header}\n${event.data}`;
    }
    case 'REMOTE_COMMUNICATION':
      return `type:${event.commType}\n${event.data}`;
    case 'SUPERVISOR_STATE_CHANGE_RUNNING':
    case 'SUPERVISOR_STATE_CHANGE_STOPPING':
      return '';
    case 'TICK_5':
    case 'TICK_60':
    case 'TICK_3600':
      return `when:${event.when}`;
    case 'PROCESS_GROUP_ADDED':
    case 'PROCESS_GROUP_REMOVED':
      return `groupname:${event.groupName}\n`;
    default:
      return assertNever(event);
  }
}

function formatStatePayload(
  event: ProcessStateEvent,
  extra: readonly (readonly [string, string | number])[],
): string {
  return formatTokenLine([
    ['processname', event.processName],
    ['groupname', event.groupName],
    ['from_state', event.fromState],
    ...extra,
  ]);
}

function assertNever(event: never): never {
  throw new TypeError(`Unknown event type: ${JSON.stringify((event as { type?: unknown }).type)}`);
}
