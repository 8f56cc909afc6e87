import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import Statistics from "./Statistics.svelte";
import { setLocale } from "../lib/i18n.svelte";
import type { Figures } from "../lib/bindings/Figures";
import type { Statistics as Stats } from "../lib/bindings/Statistics";
import { thisMonth } from "../lib/period";

function figures(key: string, tickets: number, composite: number | null): Figures {
  const none = { n: 0, medianH: null, p90H: null };
  return {
    key,
    tickets,
    rates: { rated: tickets, satisfactionRated: tickets, response: 96.5, resolution: 80, satisfaction: 88.25, composite },
    onTime: { onTime: tickets, late: 0, openOverdue: 0, rate: 100 },
    toSign: { n: tickets, medianH: 0.5, p90H: 2 },
    toContact: none,
    toReply: { n: tickets, medianH: 30.25, p90H: 100 },
    toClose: none,
  };
}

function stats(from: string, to: string): Stats {
  return {
    dashboard: {
      from,
      to,
      street: figures("", 120, 85.3),
      months: [],
      communities: [
        { label: "和平里社区", rank: 1, figures: figures("c01", 70, 90.1) },
        { label: "安华里社区", rank: 2, figures: figures("c02", 50, 78.4) },
      ],
      categories: [{ label: "城乡建设", rank: null, figures: figures("城乡建设", 120, 85.3) }],
      departments: [],
      sources: [],
      kinds: [],
      response: { boundsH: [], toSign: [], toContact: [] },
      heat: { categories: [], communities: [], communityLabels: [], counts: [] },
    },
    charts: [{ kind: "trend", svg: "<svg><text>三率</text></svg>", width: 640, height: 280 }],
  };
}

describe("Statistics", () => {
  it("shows the month's figures, steps periods with the arrows and opens the tickets behind a row", async () => {
    setLocale("zh-CN");
    const requests: any[] = [];
    const exports: any[] = [];
    mockIPC((cmd, args: any) => {
      if (cmd === "statistics") {
        requests.push(args.request);
        return stats(args.request.from, args.request.to);
      }
      if (cmd === "export_report") {
        exports.push(args);
        return "/home/officer/月报.xlsx";
      }
    });
    const onopen = vi.fn();
    render(Statistics, { onopen });
    await waitFor(() => expect(screen.getByTestId("stats-composite").textContent).toContain("85.3"));
    const month = thisMonth();
    expect(requests[0]).toMatchObject({ from: `${month}-01`, lang: "zh-CN", height: 280 });
    expect(screen.getByTestId("stats-toReply").textContent).toContain("30.3 小时");
    expect(screen.getByTestId("chart-trend").innerHTML).toContain("三率");

    await fireEvent.click(screen.getByText("安华里社区"));
    expect(onopen).toHaveBeenCalledWith(
      expect.objectContaining({ communityId: "c02", receivedFrom: `${month}-01` }),
    );

    // Once loaded, the view stays put: no request follows the first by itself.
    await new Promise((r) => setTimeout(r, 400));
    expect(requests.length).toBe(1);

    await fireEvent.keyDown(window, { key: "ArrowLeft" });
    await waitFor(() => expect(requests.length).toBe(2));
    await new Promise((r) => setTimeout(r, 400));
    expect(requests.length).toBe(2);
    expect(requests[1].from < requests[0].from).toBe(true);

    await fireEvent.keyDown(window, { key: "e", ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId("stats-notice").textContent).toContain("月报.xlsx"));
    expect(exports[0]).toMatchObject({ format: "xlsx", lang: "zh-CN", month: requests[1].from.slice(0, 7) });
  });

  it("exports the report only for a month and shows the engine's refusal translated", async () => {
    setLocale("en");
    mockIPC((cmd, args: any) => {
      if (cmd === "statistics") return stats(args.request.from, args.request.to);
      if (cmd === "export_report") throw { code: "export.write_failed", message: "denied" };
    });
    render(Statistics, { onopen: () => {} });
    await waitFor(() => expect(screen.getByTestId("stats-tickets").textContent).toContain("120"));
    await fireEvent.click(screen.getByTestId("export-csv"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("could not be saved"));
    const kind = screen.getByTestId("stats-kind") as HTMLSelectElement;
    kind.value = "year";
    await fireEvent.change(kind);
    expect((screen.getByTestId("export-xlsx") as HTMLButtonElement).disabled).toBe(true);
  });
});
