import { describe, expect, it } from "vitest";
import { days, shift, thisMonth } from "./period";

describe("statistics periods", () => {
  it("runs a month from its first to its last day, leap years included", () => {
    expect(days({ kind: "month", month: "2026-02" })).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(days({ kind: "month", month: "2024-02" }).to).toBe("2024-02-29");
    expect(days({ kind: "year", year: 2026 })).toEqual({ from: "2026-01-01", to: "2026-12-31" });
  });

  it("steps across the turn of the year", () => {
    expect(shift({ kind: "month", month: "2026-12" }, 1)).toEqual({ kind: "month", month: "2027-01" });
    expect(shift({ kind: "month", month: "2026-01" }, -1)).toEqual({ kind: "month", month: "2025-12" });
    expect(shift({ kind: "year", year: 2026 }, -1)).toEqual({ kind: "year", year: 2025 });
  });

  it("takes the month in Beijing, not in the PC's zone", () => {
    // 2026-11-30 17:00 UTC is already 1 December in Beijing.
    expect(thisMonth(Date.UTC(2026, 10, 30, 17, 0))).toBe("2026-12");
  });
});
