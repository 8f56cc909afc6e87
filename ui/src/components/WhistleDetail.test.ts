import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import WhistleDetail from "./WhistleDetail.svelte";
import { setLocale } from "../lib/i18n.svelte";
import { summonsRow, whistleRow } from "../test/fixtures";
import type { WhistleDetail as Detail } from "../lib/bindings/WhistleDetail";

const NOW = Date.parse("2026-11-27T10:00:00+08:00");


const detail: Detail = {
  row: whistleRow({
    matter: "雨水井堵塞",
    community: "槐荫社区",
    tickets: ["t1"],
    summons: [
      summonsRow("d09", "区排水集团", { stage: "reported_in", reportedAt: "2026-11-27T09:10:00+08:00" }),
      summonsRow("d02", "和乐派出所"),
    ],
  }),
  timeline: [],
};

function mock(onRecord?: () => never) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "whistle_detail") return detail;
    if (cmd === "list_departments") return [];
    if (cmd === "record_whistle" && onRecord) onRecord();
    return detail;
  });
  return calls;
}

describe("WhistleDetail", () => {
  it("offers each department the steps its stage allows, and escalation once overdue", async () => {
    setLocale("zh-CN");
    mock();
    render(WhistleDetail, { id: "w1", now: NOW });
    const police = await screen.findByTestId("summons-d02");
    expect(police.textContent).toContain("超时 30:00");
    expect(police.querySelector("[data-testid=step-escalated]")).not.toBeNull();
    const drainage = screen.getByTestId("summons-d09");
    expect(drainage.querySelector("[data-testid=step-reported_in]")).toBeNull();
    expect(drainage.querySelector("[data-testid=step-done]")).not.toBeNull();
  });

  it("names who is still out when the engine refuses to close", async () => {
    setLocale("zh-CN");
    mock(() => {
      throw { code: "whistle.close.still_out", message: "still out" };
    });
    render(WhistleDetail, { id: "w1", now: NOW });
    await fireEvent.click(await screen.findByTestId("close-whistle"));
    const error = await screen.findByTestId("whistle-error");
    expect(error.textContent).toContain("区排水集团、和乐派出所");
  });

  it("shows a liaison only their department, without release, escalation or closing", async () => {
    setLocale("zh-CN");
    const calls = mock();
    render(WhistleDetail, { id: "w1", now: NOW, liaison: "d02" });
    const row = await screen.findByTestId("summons-d02");
    expect(screen.queryByTestId("summons-d09")).toBeNull();
    expect(row.querySelector("[data-testid=step-released]")).toBeNull();
    expect(row.querySelector("[data-testid=step-escalated]")).toBeNull();
    expect(screen.queryByTestId("close-whistle")).toBeNull();
    await fireEvent.click(row.querySelector("[data-testid=step-reported_in]") as HTMLElement);
    await waitFor(() => expect(calls.some((c) => c.cmd === "record_whistle")).toBe(true));
    const step = calls.find((c) => c.cmd === "record_whistle")?.args as { step: { type: string; department: string } };
    expect(step.step).toMatchObject({ type: "reported_in", department: "d02" });
  });
});
