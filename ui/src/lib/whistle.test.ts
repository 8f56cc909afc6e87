import { describe, expect, it } from "vitest";
import type { SummonsRow } from "./bindings/SummonsRow";
import type { WhistleRow } from "./bindings/WhistleRow";
import { summonsRow, whistleRow } from "../test/fixtures";
import { formatClock, nowBeijing, overdueSummons, reportMinutes, summonsClock } from "./whistle";

const summons = (over: Partial<SummonsRow> = {}): SummonsRow => summonsRow("d1", "区排水集团", over);

describe("whistle clocks", () => {
  it("count down to the report-in limit, then up past it", () => {
    const at = (hms: string) => Date.parse(`2026-11-27T${hms}+08:00`);
    expect(summonsClock(summons(), at("09:17:30"))).toEqual({ tone: "waiting", remainingMs: 750_000 });
    expect(summonsClock(summons(), at("09:30:00")).tone).toBe("waiting");
    expect(summonsClock(summons(), at("09:31:05"))).toEqual({ tone: "overdue", overdueMs: 65_000 });
    const late = summons({ stage: "reported_in", reportedAt: "2026-11-27T09:41:00+08:00", late: true });
    expect(summonsClock(late, at("10:00:00"))).toEqual({ tone: "in", late: true });
    expect(reportMinutes(late)).toBe(41);
  });

  it("format like a wall clock and stamp Beijing time", () => {
    expect(formatClock(75_000)).toBe("1:15");
    expect(formatClock(3_725_000)).toBe("1:02:05");
    expect(formatClock(-5)).toBe("0:00");
    expect(nowBeijing(new Date("2026-11-27T01:02:03Z"))).toBe("2026-11-27T09:02:03+08:00");
  });

  it("list the overdue departments of open whistles only", () => {
    const row = (status: WhistleRow["status"]): WhistleRow =>
      whistleRow({ id: status, status, summons: [summons(), summons({ departmentId: "d2", stage: "done" })] });
    const now = Date.parse("2026-11-27T10:00:00+08:00");
    const overdue = overdueSummons([row("open"), row("closed")], now);
    expect(overdue.map((o) => `${o.whistle.id}/${o.summons.departmentId}`)).toEqual(["open/d1"]);
  });
});
