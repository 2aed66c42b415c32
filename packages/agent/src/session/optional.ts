/**
 * @module
 * Internal: building objects whose optional properties stay absent rather than `undefined`.
 */

/** `{ [key]: value }`, or nothing when `value` is undefined (optional properties stay absent). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
