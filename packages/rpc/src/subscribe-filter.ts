import { isEventType, isSubtypeOf, type SupervisorEvent } from '@supctl/events';
import type { SubscribeFilter } from './contract.ts';

/**
 * Whether `event` passes `filter` (`supctl.subscribe`'s semantics, for API implementations):
 * `types` match an event's type or any ancestor; `processes` match its process by name or by
 * namespec (`web`, `site:web`, `site:*`), `groups` by group name; every given criterion must match.
 *
 * @example
 * matchesSubscribeFilter({ type: 'TICK_5', when: 0 }, { types: ['TICK'] }); // true
 */
export function matchesSubscribeFilter(event: SupervisorEvent, filter: SubscribeFilter): boolean {
  if (filter.types && !filter.types.some((type) => isSubtypeOf(event.type, type))) return false;
  if (filter.processes) {
    const processName = 'processName' in event ? event.processName : undefined;
    const groupName = 'groupName' in event ? event.groupName : undefined;
    if (processName === undefined) return false;
    if (!filter.processes.some((spec) => namesProcess(spec, groupName, processName))) return false;
  }
  if (filter.groups) {
    const groupName = 'groupName' in event ? event.groupName : undefined;
    if (groupName === undefined || !filter.groups.includes(groupName)) return false;
  }
  return true;
}

// Whether `spec` is `name`, `group:name` or `group:*`; compared in place, as this runs for every
// event and subscriber (PROCESS_LOG events can come thousands a second).
function namesProcess(spec: string, group: string | undefined, name: string): boolean {
  if (spec === name) return true;
  if (group === undefined || spec.charCodeAt(group.length) !== 0x3a || !spec.startsWith(group)) return false;
  const rest = spec.length - group.length - 1; // after the colon
  // Both can hold for a one-character name: `site:*` names `site:a`.
  return (rest === name.length && spec.endsWith(name)) || (rest === 1 && spec.endsWith('*'));
}

/** Checks a filter from the wire; returns a problem description, or `undefined` when it is valid. */
export function checkSubscribeFilter(filter: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(filter)) {
    if (key !== 'types' && key !== 'processes' && key !== 'groups') {
      return `filter: unknown key '${key}'; expected types, processes or groups`;
    }
  }
  for (const key of ['types', 'processes', 'groups'] as const) {
    const value = filter[key];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      return `filter.${key}: expected an array of strings`;
    }
    if (key === 'types') {
      const bad = value.find((type: string) => !isEventType(type));
      if (bad !== undefined) {
        const hint = isEventType(bad.toUpperCase()) ? `; did you mean '${bad.toUpperCase()}'?` : '';
        return `filter.types: unknown event type '${bad}'${hint}`;
      }
    }
  }
  return undefined;
}
