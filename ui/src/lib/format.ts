/** `2026-11-26T09:30:00+08:00` → `2026-11-26 09:30` (the backend always sends Beijing time). */
export function shortTime(rfc3339: string): string {
  return rfc3339.slice(0, 16).replace("T", " ");
}

/** The current Beijing time as a `datetime-local` value, whatever the PC's time zone. */
export function nowBeijingLocal(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

/** A table cell's time: `11-26 09:30` in the current year (Beijing), the date alone otherwise. */
export function cellTime(rfc3339: string, now: Date = new Date()): string {
  const thisYear = nowBeijingLocal(now).slice(0, 4);
  return rfc3339.startsWith(thisYear) ? rfc3339.slice(5, 16).replace("T", " ") : rfc3339.slice(0, 10);
}

/** A Unix-millisecond instant as Beijing wall time, `2026-11-26T09:30:00+08:00`. */
export function beijingFromMs(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19) + "+08:00";
}
