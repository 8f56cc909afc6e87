import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import type { AppStart } from "./lib/bindings/AppStart";
import { setLocale } from "./lib/i18n.svelte";
import { backlogFacets, ticketRow } from "./test/fixtures";

const start: AppStart = {
  info: {
    streetName: "槐荫街道",
    dataDir: "/tmp/street",
    deviceId: "dev-0001",
    actor: "值班员",
    ticketCount: 1,
    categories: [],
  },
  profile: { actor: "值班员", unit: "", liaisonDepartment: null },
  communities: [{ id: "c02", name: "槐荫社区", gridCount: 5 }],
  view: "backlog",
  backlog: null,
  chineseFonts: null,
};

// What the first screen does not show: the facet counts, the sync status, the overdue poll.
const SECONDARY = ["backlog_facets", "watch_sync", "list_whistles"];

describe("App start", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for what the first screen does not show only once its rows have painted", async () => {
    setLocale("zh-CN");
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => frames.push(f));
    const calls: string[] = [];
    const page = Array.from({ length: 40 }, (_, i) => ticketRow({ id: `t${i}` }));
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "backlog") return { rows: page, next: null };
      if (cmd === "backlog_facets") return backlogFacets;
      if (cmd === "list_whistles") return [];
      return null;
    });
    render(App, { start });

    await screen.findAllByText("胡同口僵尸车占道");
    // Answers the page could have had by now, had anything asked.
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.filter((c) => SECONDARY.includes(c))).toEqual([]);
    // The first frame renders the rows in sight and one more (a 640 px list holds 20).
    expect(screen.getAllByTestId("ticket-row")).toHaveLength(21);

    // The browser's next two frames: the rows are painted.
    while (frames.length > 0) frames.shift()!(performance.now());
    await waitFor(() => expect(calls).toEqual(expect.arrayContaining(["startup_painted", ...SECONDARY])));
    await waitFor(() => expect(screen.getByTestId("backlog-total").textContent).toBe("共 1 件"));
    // Once painted, a margin for scrolling.
    expect(screen.getAllByTestId("ticket-row")).toHaveLength(25);
  });
});
