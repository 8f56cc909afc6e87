import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import Workbench from "./Workbench.svelte";
import { setLocale } from "../lib/i18n.svelte";
import { summonsRow, whistleRow } from "../test/fixtures";

/** A whistle blown at 09:00 whose second department has not reported in (overdue since 09:30). */
const openWhistle = whistleRow({
  summons: [summonsRow("d09", "区排水集团", { stage: "done" }), summonsRow("d02", "和乐派出所")],
});

describe("Workbench", () => {
  it("counts each tile with the engine and opens exactly the tickets behind a number", async () => {
    setLocale("zh-CN");
    const queries: any[] = [];
    mockIPC((cmd, args: any) => {
      if (cmd === "get_profile") return { actor: "王芳", unit: "槐荫社区" };
      if (cmd === "list_whistles") return [openWhistle];
      if (cmd === "backlog_count") {
        const q = args.query;
        queries.push(q);
        if (q.warning === "red") return 3;
        if (q.warning === "yellow") return 7;
        if (q.status === "received") return 26;
        if (q.assignee === "槐荫社区") return 5;
        if (q.dueFrom) return 2;
        return 0;
      }
    });
    const onopen = vi.fn();
    const onwhistles = vi.fn();
    render(Workbench, { onopen, onwhistles });
    await waitFor(() => expect(screen.getByTestId("tile-red").textContent).toContain("3"));
    // One whistle running, its police station past the limit (the whistle was blown at 09:00).
    expect(screen.getByTestId("tile-whistles").textContent).toContain("1");
    expect(screen.getByTestId("tile-whistles-overdue").textContent).toContain("1");
    await fireEvent.click(screen.getByTestId("tile-whistles-overdue"));
    expect(onwhistles).toHaveBeenCalled();
    expect(screen.getByTestId("tile-yellow").textContent).toContain("7");
    expect(screen.getByTestId("tile-received").textContent).toContain("26");
    expect(screen.getByTestId("tile-mine").textContent).toContain("5");
    expect(screen.getByTestId("tile-mine").textContent).toContain("槐荫社区");
    expect(screen.getByTestId("tile-due-today").textContent).toContain("2");
    expect(screen.getByTestId("tile-objecting").textContent).toContain("0");
    const today = queries.find((q) => q.dueFrom);
    expect(today.dueTo).toBe(today.dueFrom);
    expect(today.open).toBe(true);
    await fireEvent.click(screen.getByTestId("tile-red"));
    expect(onopen).toHaveBeenCalledWith({ warning: "red" });
    await fireEvent.click(screen.getByTestId("tile-mine"));
    expect(onopen).toHaveBeenCalledWith({ assignee: "槐荫社区", open: true });
  });

  it("asks for a unit before it can show my tickets", async () => {
    setLocale("zh-CN");
    mockIPC((cmd) => {
      if (cmd === "get_profile") return { actor: "值班员", unit: "" };
      if (cmd === "list_whistles") return [];
      if (cmd === "backlog_count") return 1;
    });
    render(Workbench, { onopen: () => {} });
    await waitFor(() => expect(screen.getByTestId("tile-red").textContent).toContain("1"));
    const mine = screen.getByTestId("tile-mine") as HTMLButtonElement;
    expect(mine.disabled).toBe(true);
    expect(mine.textContent).toContain("设置");
  });
});
