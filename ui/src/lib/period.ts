/** A statistics period: a month (YYYY-MM) or a year (YYYY), in Beijing time. */
export type Period = { kind: "month"; month: string } | { kind: "year"; year: number };

/** The current month in Beijing, whatever the PC's time zone. */
export function thisMonth(now = Date.now()): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first and last day of the period, YYYY-MM-DD. */
export function days(p: Period): { from: string; to: string } {
  if (p.kind === "year") return { from: `${p.year}-01-01`, to: `${p.year}-12-31` };
  const [y, m] = p.month.split("-").map(Number);
  const mm = String(m).padStart(2, "0");
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(lastDay(y, m)).padStart(2, "0")}` };
}

/** The period `step` months or years away. */
export function shift(p: Period, step: number): Period {
  if (p.kind === "year") return { kind: "year", year: p.year + step };
  const [y, m] = p.month.split("-").map(Number);
  const index = y * 12 + (m - 1) + step;
  const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  return { kind: "month", month };
}
