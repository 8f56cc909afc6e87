import type { SummonsRow } from "./bindings/SummonsRow";
import type { WhistleRow } from "./bindings/WhistleRow";

/** What a ticket pre-fills when a whistle is blown from it. */
export type WhistleSeed = {
  /** The tickets the whistle is blown about (one ticket, or a hotspot's). */
  ticketIds: string[];
  matter: string;
  place: string;
  communityId: string | null;
};

/** The current time as RFC 3339 in Beijing time (+08:00), whatever the PC's time zone. */
export function nowBeijing(now: Date = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

/** `75_000` → `1:15`, `3_725_000` → `1:02:05`: a countdown as a wall clock shows it. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** How a department's clock reads at `now`: its tone, and the countdown where one runs. */
export type SummonsClock =
  | { tone: "waiting"; remainingMs: number }
  | { tone: "overdue"; overdueMs: number }
  | { tone: "in" | "site" | "done" | "released"; late: boolean };

/** Reads a summons at `now` (ms since the epoch). */
export function summonsClock(s: SummonsRow, now: number): SummonsClock {
  switch (s.stage) {
    case "summoned": {
      const left = Date.parse(s.reportDue) - now;
      return left >= 0 ? { tone: "waiting", remainingMs: left } : { tone: "overdue", overdueMs: -left };
    }
    case "reported_in":
      return { tone: "in", late: s.late };
    case "on_site":
      return { tone: "site", late: s.late };
    case "done":
      return { tone: "done", late: s.late };
    case "released":
      return { tone: "released", late: s.late };
  }
}

/** Departments past their report-in limit, not yet reported in, across open whistles. */
export function overdueSummons(whistles: WhistleRow[], now: number): { whistle: WhistleRow; summons: SummonsRow }[] {
  return whistles
    .filter((w) => w.status === "open")
    .flatMap((w) =>
      w.summons
        .filter((s) => summonsClock(s, now).tone === "overdue")
        .map((s) => ({ whistle: w, summons: s })),
    );
}

/** Minutes from summons to report-in, when it reported in. */
export function reportMinutes(s: SummonsRow): number | null {
  if (!s.reportedAt) return null;
  return Math.round((Date.parse(s.reportedAt) - Date.parse(s.summonedAt)) / 60_000);
}
