import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import SyncPanel from "./SyncPanel.svelte";
import StatusBar from "./StatusBar.svelte";
import { setLocale } from "../lib/i18n.svelte";
import { setSyncStatus } from "../lib/sync.svelte";
import type { SyncStatus } from "../lib/bindings/SyncStatus";

function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: "online",
    hubUrl: "https://10.0.0.2:8730",
    department: null,
    pending: 0,
    lastSyncMs: Date.parse("2026-11-27T01:30:00Z"),
    clockSkewMs: 800,
    lastError: null,
    refused: 0,
    received: 0,
    ...over,
  };
}

describe("SyncPanel", () => {
  it("links an unlinked PC and translates a refused code", async () => {
    setLocale("zh-CN");
    setSyncStatus(status({ state: "unlinked", hubUrl: null, lastSyncMs: null, clockSkewMs: null }));
    const calls: any[] = [];
    let attempts = 0;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "sync_refusals") return [];
      if (cmd === "sync_link") {
        attempts += 1;
        if (attempts === 1) throw { code: "sync.code.invalid", message: "used" };
        return null;
      }
      return null;
    });
    let linked = 0;
    render(SyncPanel, { onlinked: () => (linked += 1), departmentName: () => "城管执法队" });
    expect(screen.getByTestId("sync-panel-state").textContent).toBe("未连接服务器");
    const form = screen.getByTestId("sync-link-form");
    await fireEvent.input(form.querySelector('[name="hubUrl"]')!, { target: { value: "https://10.0.0.2:8730" } });
    await fireEvent.input(form.querySelector('[name="code"]')!, { target: { value: "ABCD-1234" } });
    await fireEvent.submit(form);
    await waitFor(() => expect(screen.getByTestId("sync-error").textContent).toContain("登记码"));
    expect(linked).toBe(0);

    await fireEvent.input(form.querySelector('[name="code"]')!, { target: { value: "EFGH-5678" } });
    await fireEvent.submit(form);
    await waitFor(() => expect(linked).toBe(1));
    const sent = calls.filter((c) => c.cmd === "sync_link").map((c) => c.args.form);
    expect(sent[1]).toEqual({
      hubUrl: "https://10.0.0.2:8730",
      code: "EFGH-5678",
      deviceName: "",
      certificatePem: "",
    });
    // Linked: once the loop says so (the command answers nothing), the form goes and the
    // role and the actions show.
    expect(screen.queryByTestId("sync-link-form")).not.toBeNull();
    setSyncStatus(status({ department: "dept-cg" }));
    await waitFor(() => expect(screen.queryByTestId("sync-link-form")).toBeNull());
    expect(screen.getByText("部门联络员：城管执法队")).toBeTruthy();
    expect(screen.getByTestId("sync-now")).toBeTruthy();
  });

  it("warns of a clock five minutes fast, lists refusals and syncs on demand", async () => {
    setLocale("zh-CN");
    setSyncStatus(status({ clockSkewMs: 5 * 60_000 + 4_000, pending: 3, refused: 1 }));
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "sync_refusals")
        return [{ eventId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", reason: "sync.scope.forbidden", atMs: 0 }];
      if (cmd === "sync_now") return null;
      return null;
    });
    render(SyncPanel, {});
    expect(screen.getByTestId("sync-panel-skew").textContent).toContain("快 5 分钟");
    expect(screen.getByTestId("sync-panel-pending").textContent).toBe("3");
    await waitFor(() => expect(screen.getByTestId("sync-refusals").textContent).toContain("2e3f4a5b"));
    // The reason is the translated code, not the code.
    expect(screen.getByTestId("sync-refusals").textContent).not.toContain("sync.scope");
    await fireEvent.click(screen.getByTestId("sync-now"));
    await waitFor(() => expect(calls).toContain("sync_now"));
    setSyncStatus(status({ state: "syncing" }));
    await waitFor(() => expect(screen.getByTestId("sync-panel-state").textContent).toBe("同步中"));
  });

  it("keeps a small skew quiet", () => {
    setLocale("en");
    setSyncStatus(status({ clockSkewMs: -90_000 }));
    mockIPC(() => []);
    render(SyncPanel, {});
    expect(screen.getByTestId("sync-panel-skew").textContent?.trim()).toBe("OK");
  });
});

describe("StatusBar", () => {
  it("shows offline, pending, the skew, and opens the sync settings on click", async () => {
    setLocale("en");
    setSyncStatus(status({ state: "offline", pending: 3, clockSkewMs: -3 * 60_000 }));
    let opened = 0;
    render(StatusBar, { info: null, onsync: () => (opened += 1) });
    const button = screen.getByTestId("sync-state");
    expect(button.textContent).toContain("Offline");
    expect(button.textContent).toContain("3 pending");
    expect(screen.getByTestId("sync-skew").textContent).toBe("Clock off by -3 min");
    await fireEvent.click(button);
    expect(opened).toBe(1);
    setSyncStatus(status({ clockSkewMs: 30_000 }));
    await waitFor(() => expect(screen.queryByTestId("sync-skew")).toBeNull());
    expect(screen.getByTestId("sync-state").textContent).toContain("Online");
  });
});
