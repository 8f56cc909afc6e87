import { beforeEach, describe, expect, it, vi } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import { summonsRow, whistleRow } from "../test/fixtures";
import type { WhistleRow } from "./bindings/WhistleRow";
import { setLocale } from "./i18n.svelte";

const sent: { title: string; body?: string }[] = [];
vi.mock("@tauri-apps/plugin-notification", () => ({
  isPermissionGranted: async () => true,
  requestPermission: async () => "granted",
  sendNotification: (n: { title: string; body?: string }) => sent.push(n),
}));

const { checkOverdue, overdueCount } = await import("./overdue.svelte");

// The matter may quote a caller: it must never reach a notification.
const whistle = (id: string, summons: WhistleRow["summons"]): WhistleRow =>
  whistleRow({ id, matter: "周女士家门口污水外溢", summons });

describe("overdue report-ins", () => {
  beforeEach(() => {
    sent.length = 0;
    setLocale("zh-CN");
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-27T10:00:00+08:00"));
  });

  it("notify once per overdue department, without the matter, and count them", async () => {
    const queries: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "list_whistles") return null;
      queries.push(args);
      return [
        whistle("w1", [
          summonsRow("d02", "和乐派出所"),
          summonsRow("d09", "区排水集团", { stage: "reported_in", reportedAt: "2026-11-27T09:10:00+08:00" }),
        ]),
      ];
    });
    await checkOverdue();
    await checkOverdue();
    expect(overdueCount()).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0].title).toBe("部门报到超时");
    expect(sent[0].body).toContain("和乐派出所");
    expect(sent[0].body).toContain("30:00");
    expect(sent[0].body).not.toContain("污水");
    expect(queries[0]).toMatchObject({ query: { status: "open" } });
    vi.useRealTimers();
  });

  it("in liaison mode, look only at the liaison's department", async () => {
    mockIPC((cmd) =>
      cmd === "list_whistles"
        ? [whistle("w2", [summonsRow("d05", "区市场监管局和乐所"), summonsRow("d01", "城管执法队")])]
        : null,
    );
    await checkOverdue("d01");
    expect(overdueCount()).toBe(1);
    expect(sent.map((n) => n.body)).toEqual([expect.stringContaining("城管执法队")]);
    vi.useRealTimers();
  });
});
