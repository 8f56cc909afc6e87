import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import Workbench from "./Workbench.svelte";
import { setLocale } from "../lib/i18n.svelte";

describe("Workbench", () => {
  it("shows the engine's counts and opens the tickets behind a number", async () => {
    setLocale("zh-CN");
    mockIPC((cmd) => {
      if (cmd === "backlog_facets")
        return {
          byStatus: [
            { key: "received", count: 26 },
            { key: "awaiting_callback", count: 48 },
          ],
          byCommunity: [],
          byWarning: [
            { key: "red", count: 3 },
            { key: "yellow", count: 7 },
          ],
        };
    });
    const onopen = vi.fn();
    render(Workbench, { onopen });
    await waitFor(() => expect(screen.getByTestId("tile-red").textContent).toContain("3"));
    expect(screen.getByTestId("tile-yellow").textContent).toContain("7");
    expect(screen.getByTestId("tile-received").textContent).toContain("26");
    expect(screen.getByTestId("tile-objecting").textContent).toContain("0");
    await fireEvent.click(screen.getByTestId("tile-red"));
    expect(onopen).toHaveBeenCalledWith({ warning: "red" });
    await fireEvent.click(screen.getByTestId("tile-awaiting_callback"));
    expect(onopen).toHaveBeenCalledWith({ status: "awaiting_callback" });
  });
});
