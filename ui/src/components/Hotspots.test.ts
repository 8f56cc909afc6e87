import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import Hotspots from "./Hotspots.svelte";
import { setLocale } from "../lib/i18n.svelte";
import type { Hotspot } from "../lib/bindings/Hotspot";

const spot: Hotspot = {
  key: "n:城乡建设/房屋管理:t1",
  basis: "nearby",
  category: "城乡建设/房屋管理",
  communityId: "c02",
  communityName: "槐荫社区",
  address: "槐荫胡同3号院",
  centre: { lat: 39.95, lng: 116.41 },
  caseId: null,
  tickets: ["t3", "t2", "t1"].map((id, i) => ({
    id,
    hotlineNo: `20261125000${i}`,
    category: "城乡建设/房屋管理/房屋漏水",
    communityId: "c02",
    address: "槐荫胡同3号院",
    receivedAt: `2026-11-2${5 - i}T09:00:00+08:00`,
    status: "in_progress",
    location: { lat: 39.95, lng: 116.41 },
  })),
};

const settings = {
  hotspotWindowDays: 7,
  hotspotMinTickets: 3,
  hotspotRadiusM: 200,
  hotspotCategoryLevel: 2,
  repeatWindowDays: 30,
};

describe("Hotspots", () => {
  it("lists a hotspot and raises a proactive case about its tickets", async () => {
    setLocale("zh-CN");
    const registered: any[] = [];
    let raised = false;
    mockIPC((cmd, args: any) => {
      if (cmd === "hotspots") return [{ ...spot, caseId: raised ? "case1" : null }];
      if (cmd === "get_governance_settings") return settings;
      if (cmd === "register_ticket") {
        registered.push(args.input);
        raised = true;
        return { row: { id: "case1" } };
      }
    });
    const onopen = vi.fn();
    render(Hotspots, {
      communities: [{ id: "c02", name: "槐荫社区", gridCount: 5 }],
      categories: [],
      onopen,
      onwhistle: () => {},
    });
    await waitFor(() => expect(screen.getByTestId("hotspot").textContent).toContain("3 件"));
    expect(screen.getByText(/近 7 天同类诉求 ≥ 3 件/)).toBeTruthy();

    await fireEvent.click(screen.getByText("工单"));
    expect(onopen).toHaveBeenCalledWith(
      expect.objectContaining({ category: "城乡建设/房屋管理", receivedFrom: "2026-11-23" }),
    );

    await fireEvent.click(screen.getByTestId("hotspot-raise"));
    expect(screen.getByTestId("register-related").textContent).toContain("3");
    const content = (screen.getByRole("dialog").querySelector("[name=content]") as HTMLTextAreaElement).value;
    expect(content).toContain("槐荫胡同3号院");
    expect(content).toContain("202611250001");
    await fireEvent.submit(screen.getByTestId("register-form"));
    await waitFor(() => expect(registered.length).toBe(1));
    expect(registered[0]).toMatchObject({
      source: "proactive",
      communityId: "c02",
      related: ["t3", "t2", "t1"],
      location: { lat: 39.95, lng: 116.41 },
    });
    await waitFor(() => expect(screen.getByTestId("hotspot-case").textContent).toBe("已立案"));
  });

  it("says so when there is none", async () => {
    setLocale("en");
    mockIPC((cmd) => (cmd === "hotspots" ? [] : cmd === "get_governance_settings" ? settings : null));
    render(Hotspots, { communities: [], categories: [], onopen: () => {}, onwhistle: () => {} });
    await waitFor(() => expect(screen.getByText("No hotspots at present")).toBeTruthy());
  });
});
