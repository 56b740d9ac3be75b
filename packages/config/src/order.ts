/** Supervisor orders groups and processes by (priority, name), names by code point. */
export function byPriorityThenName(
  a: { priority: number; name: string },
  b: { priority: number; name: string },
) {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
