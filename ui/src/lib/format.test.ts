import { describe, expect, it } from "vitest";
import { cellTime, nowBeijingLocal, shortTime } from "./format";

describe("format", () => {
  it("shows Beijing times compactly, with the year only when it is not this year's", () => {
    // 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Beijing.
    const now = new Date("2026-12-31T17:00:00Z");
    expect(nowBeijingLocal(now)).toBe("2027-01-01T01:00");
    expect(cellTime("2027-01-01T00:30:00+08:00", now)).toBe("01-01 00:30");
    expect(cellTime("2026-12-31T23:59:00+08:00", now)).toBe("2026-12-31");
    expect(shortTime("2026-11-26T09:30:00+08:00")).toBe("2026-11-26 09:30");
  });
});
