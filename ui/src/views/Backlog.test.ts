import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import Backlog from "./Backlog.svelte";
import { setLocale } from "../lib/i18n.svelte";
import type { TicketRow } from "../lib/bindings/TicketRow";

const row: TicketRow = {
  id: "t-1",
  hotlineNo: "2026112600123",
  kind: "complaint",
  source: "hotline",
  category: "城市管理/停车管理/胡同停车",
  content: "胡同口僵尸车占道",
  address: "槐荫胡同 3 号",
  communityId: "c02",
  communityName: "槐荫社区",
  callerNameMasked: "孙**",
  callerPhoneMasked: "138****1111",
  receivedAt: "2026-11-26T09:30:00+08:00",
  updatedAt: "2026-11-26T09:31:00+08:00",
  status: "received",
  assignee: null,
  needsReview: false,
  urgency: "general",
  dueAt: "2026-12-04T00:00:00+08:00",
  warning: "yellow",
};

describe("Backlog", () => {
  it("lists masked rows and filters by status through the engine", async () => {
    setLocale("zh-CN");
    const queries: any[] = [];
    mockIPC((cmd, args: any) => {
      if (cmd === "backlog") {
        queries.push(args.query);
        return { rows: [row], next: null, total: 1 };
      }
      if (cmd === "backlog_facets")
        return {
          byStatus: [{ key: "received", count: 1 }],
          byCommunity: [{ key: "c02", count: 1 }],
          byWarning: [{ key: "yellow", count: 1 }],
        };
    });
    render(Backlog, {
      communities: [{ id: "c02", name: "槐荫社区", gridCount: 5 }],
      categories: [],
      onchanged: () => {},
    });
    const rendered = await screen.findByText("胡同口僵尸车占道");
    const rowEl = rendered.closest('[data-testid="ticket-row"]')!;
    expect(rowEl.textContent).toContain("138****1111");
    expect(rowEl.textContent).not.toContain("13800001111");
    expect(rowEl.querySelector(".dot")!.classList.contains("w-yellow")).toBe(true);
    expect(screen.getByTestId("backlog-total").textContent).toBe("共 1 件");

    await fireEvent.click(screen.getByTestId("filter-status-received"));
    await waitFor(() => expect(queries[queries.length - 1]).toMatchObject({ status: "received" }));
    await fireEvent.click(screen.getByTestId("filter-community-c02"));
    await waitFor(() =>
      expect(queries[queries.length - 1]).toMatchObject({ status: "received", communityId: "c02" }),
    );
    await fireEvent.click(screen.getByTestId("filter-warning-yellow"));
    await waitFor(() =>
      expect(queries[queries.length - 1]).toMatchObject({ communityId: "c02", warning: "yellow" }),
    );
    expect(screen.getByTestId("filter-warning-yellow").textContent).toContain("1");
    // Search as you type, applied after a short pause, with the other filters kept.
    await fireEvent.input(screen.getByTestId("search"), { target: { value: " 僵尸车 " } });
    await waitFor(() =>
      expect(queries[queries.length - 1]).toMatchObject({
        status: "received",
        communityId: "c02",
        search: "僵尸车",
      }),
    );
  });
});
