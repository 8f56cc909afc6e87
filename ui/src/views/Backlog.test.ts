import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import Backlog from "./Backlog.svelte";
import { setLocale } from "../lib/i18n.svelte";
import { backlogFacets as facets, ticketRow } from "../test/fixtures";
import { backlogQuery, DEFAULT_SORT } from "../lib/backlogQuery";
import { keepFirstPage } from "../lib/startup";

const row = ticketRow();

describe("Backlog", () => {
  it("lists masked rows and filters by status through the engine", async () => {
    setLocale("zh-CN");
    const queries: any[] = [];
    mockIPC((cmd, args: any) => {
      if (cmd === "backlog") {
        queries.push(args.query);
        return { rows: [row], next: null };
      }
      if (cmd === "backlog_facets") return facets;
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
    await waitFor(() => expect(screen.getByTestId("backlog-total").textContent).toBe("共 1 件"));

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
    // The grid facet appears once a community is chosen; the category tree sums its levels.
    await fireEvent.click(screen.getByTestId("filter-grid-c02-03"));
    await waitFor(() => expect(queries[queries.length - 1]).toMatchObject({ grid: "c02-03" }));
    expect(screen.getByTestId("filter-category-城市管理").textContent).toContain("3");
    await fireEvent.click(screen.getByTestId("filter-category-城市管理"));
    await waitFor(() => expect(queries[queries.length - 1]).toMatchObject({ category: "城市管理" }));
    await fireEvent.click(screen.getByTestId("filter-category-城市管理/停车管理"));
    await waitFor(() =>
      expect(queries[queries.length - 1]).toMatchObject({ category: "城市管理/停车管理" }),
    );
    await fireEvent.change(screen.getByTestId("sort"), { target: { value: "deadline_asc" } });
    await waitFor(() =>
      expect(queries[queries.length - 1]).toMatchObject({
        sort: { key: "deadline", descending: false },
        grid: "c02-03",
      }),
    );
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

  it("signs for the checked tickets in bulk and says what it did", async () => {
    setLocale("zh-CN");
    const bulk: any[] = [];
    mockIPC((cmd, args: any) => {
      if (cmd === "backlog")
        return { rows: [row, { ...row, id: "t-2", content: "楼道堆物" }], next: null };
      if (cmd === "backlog_facets") return { ...facets, total: 2 };
      if (cmd === "record_bulk") {
        bulk.push(args);
        return {
          done: ["t-1"],
          skipped: [{ id: "t-2", error: { code: "ticket.action.not_allowed", message: "x" } }],
        };
      }
    });
    render(Backlog, {
      communities: [{ id: "c02", name: "槐荫社区", gridCount: 5 }],
      categories: [],
      onchanged: () => {},
    });
    await screen.findByText("楼道堆物");
    expect(screen.queryByTestId("bulk-bar")).toBeNull();
    await fireEvent.click(screen.getByTestId("check-all"));
    expect(screen.getByTestId("bulk-bar").textContent).toContain("已选 2 件");
    await fireEvent.click(screen.getByTestId("bulk-sign"));
    await waitFor(() => expect(bulk).toHaveLength(1));
    expect(bulk[0]).toEqual({ ids: ["t-1", "t-2"], action: { type: "signed_for" } });
    expect((await screen.findByRole("status")).textContent).toContain(
      "签收：已处理 1 件，1 件因当前状态不允许未处理",
    );
  });

  /** Keeps `row` as the start's first page; the store answers one row of `content`. */
  function startWithKeptPage(content: string): any[] {
    setLocale("zh-CN");
    const queries: any[] = [];
    mockIPC((cmd, args: any) => {
      if (cmd === "backlog") {
        queries.push(args.query);
        return { rows: [{ ...row, id: "t-2", content }], next: null };
      }
      if (cmd === "backlog_facets") return facets;
    });
    keepFirstPage(backlogQuery({}, DEFAULT_SORT), { rows: [row], next: null });
    return queries;
  }

  it("shows the page that came with the start once, then asks the store", async () => {
    const queries = startWithKeptPage("新的工单");
    const props = {
      communities: [{ id: "c02", name: "槐荫社区", gridCount: 5 }],
      categories: [],
      onchanged: () => {},
    };
    const first = render(Backlog, props);
    expect(await screen.findByText("胡同口僵尸车占道")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("backlog-total").textContent).toBe("共 1 件"));
    expect(queries).toEqual([]);
    first.unmount();

    // The view opened again: the kept page is spent, the store answers.
    render(Backlog, props);
    expect(await screen.findByText("新的工单")).toBeTruthy();
    expect(queries).toHaveLength(1);
  });

  it("keeps a start's page only for the query it answers", async () => {
    const queries = startWithKeptPage("按状态筛选的工单");
    render(Backlog, {
      communities: [],
      categories: [],
      onchanged: () => {},
      initial: { status: "received" },
    });
    expect(await screen.findByText("按状态筛选的工单")).toBeTruthy();
    expect(screen.queryByText("胡同口僵尸车占道")).toBeNull();
    expect(queries[0]).toMatchObject({ status: "received" });
  });
});
