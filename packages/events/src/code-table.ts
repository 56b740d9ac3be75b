// Reverse lookup shared by the state tables: Supervisor's number → our name.

/** Finds the key of `table` whose value is `code`, or `undefined`. */
export function nameForCode<const T extends Readonly<Record<string, number>>>(
  table: T,
  code: number,
): (keyof T & string) | undefined {
  for (const name of Object.keys(table)) {
    if (table[name] === code) return name as keyof T & string;
  }
  return undefined;
}
