import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import ImportDialog from "./ImportDialog.svelte";
import { setLocale } from "../lib/i18n.svelte";
import type { ImportPreview } from "../lib/bindings/ImportPreview";

const HEADERS = ["单据号", "登记日期", "工单类型", "问题分类", "情况说明", "社区", "状态"];

function preview(over: Partial<ImportPreview> = {}): ImportPreview {
  return {
    fileName: "区网格化平台导出.xlsx",
    headerRow: 2,
    headers: HEADERS,
    columns: [
      { field: "kind", header: "工单类型" },
      { field: "category", header: "问题分类" },
      { field: "community", header: "社区" },
      { field: "status", header: "状态" },
    ],
    source: null,
    missing: ["hotline_no", "received_at", "content"],
    counts: { rows: 0, new: 0, updated: 0, unchanged: 0, duplicate: 0, rejected: 0 },
    issues: [],
    rows: [],
    ...over,
  };
}

const checked = preview({
  columns: [
    { field: "hotline_no", header: "单据号" },
    { field: "received_at", header: "登记日期" },
    { field: "kind", header: "工单类型" },
    { field: "category", header: "问题分类" },
    { field: "content", header: "情况说明" },
    { field: "community", header: "社区" },
    { field: "status", header: "状态" },
  ],
  missing: [],
  counts: { rows: 4, new: 2, updated: 1, unchanged: 0, duplicate: 0, rejected: 1 },
  issues: [
    {
      code: "import.word.unknown",
      message: "row 5, column 工单类型: “抱怨” is not a ticket kind",
      at: { row: 5, column: "工单类型", value: "抱怨" },
    },
  ],
  rows: [
    {
      row: 3,
      hotlineNo: "2026112000001",
      receivedAt: "2026-11-20T09:30:00+08:00",
      kind: "complaint",
      category: "城市管理/停车管理/胡同停车",
      community: "和平里社区",
      status: "in_progress",
      verdict: "new",
      issue: null,
    },
    {
      row: 5,
      hotlineNo: "2026112000003",
      receivedAt: null,
      kind: null,
      category: "城市管理/市容环境/私搭乱建",
      community: "和平里社区",
      status: null,
      verdict: "rejected",
      issue: {
        code: "import.word.unknown",
        message: "row 5, column 工单类型: “抱怨” is not a ticket kind",
        at: { row: 5, column: "工单类型", value: "抱怨" },
      },
    },
  ],
});

describe("ImportDialog", () => {
  it("asks for the missing columns, previews row by row, and imports only when told to leave bad rows out", async () => {
    setLocale("zh-CN");
    const calls: { cmd: string; args: any }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "import_open") return preview();
      if (cmd === "import_remap") return checked;
      if (cmd === "import_commit")
        return { counts: { rows: 4, new: 2, updated: 1, unchanged: 0, duplicate: 0, rejected: 1 }, events: 9 };
      return null;
    });
    let imported = 0;
    render(ImportDialog, { onclose: () => {}, onimported: () => (imported += 1) });

    // The required fields without a column are named, and the mapping step is shown.
    const mapping = await screen.findByTestId("column-mapping");
    expect(mapping.textContent).toContain("工单编号、受理时间、诉求内容");
    const apply = screen.getByTestId("apply-mapping") as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    for (const [field, header] of [
      ["hotline_no", "单据号"],
      ["received_at", "登记日期"],
      ["content", "情况说明"],
    ]) {
      await fireEvent.change(screen.getByTestId(`map-${field}`), { target: { value: header } });
    }
    expect(apply.disabled).toBe(false);
    await fireEvent.click(apply);
    const sent = calls.find((c) => c.cmd === "import_remap")!.args.columns;
    expect(sent).toContainEqual({ field: "hotline_no", header: "单据号" });
    expect(sent).toContainEqual({ field: "status", header: "状态" });

    // The preview: counts, the bad row with its row, column and cell, each row's verdict.
    await screen.findByTestId("import-counts");
    expect(screen.getByTestId("count-new").textContent).toContain("2");
    expect(screen.getByTestId("count-rejected").textContent).toContain("1");
    expect(screen.getByTestId("import-issue").textContent).toBe("第 5 行“工单类型”列“抱怨”：不是此列可用的取值");
    const rows = screen.getAllByTestId("preview-row");
    expect(rows[0].textContent).toContain("新建");
    expect(rows[1].textContent).toContain("有误");

    // A rejected row blocks the import until the officer leaves it out.
    const commit = screen.getByTestId("import-commit") as HTMLButtonElement;
    expect(commit.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId("skip-rejected"));
    expect(commit.disabled).toBe(false);
    expect(commit.textContent).toContain("导入 3 件");
    await fireEvent.input(screen.getByTestId("remember-as"), { target: { value: "区网格化平台" } });
    await fireEvent.click(commit);
    await screen.findByTestId("import-done");
    expect(screen.getByTestId("import-done").textContent).toContain("新建 2 件 · 更新 1 件");
    const options = calls.find((c) => c.cmd === "import_commit")!.args.options;
    expect(options).toEqual({ skipRejected: true, rememberAs: "区网格化平台" });
    expect(imported).toBe(1);
  });

  it("shows a refused commit translated and keeps the preview", async () => {
    setLocale("en");
    mockIPC((cmd) => {
      if (cmd === "import_open") return { ...checked, counts: { ...checked.counts, rejected: 0 }, issues: [] };
      if (cmd === "import_commit") throw { code: "import.cancelled", message: "the import was cancelled" };
      return null;
    });
    render(ImportDialog, { onclose: () => {}, onimported: () => {} });
    const commit = (await screen.findByTestId("import-commit")) as HTMLButtonElement;
    await fireEvent.click(commit);
    await waitFor(() => expect(screen.getByTestId("import-error").textContent).toBe("Cancelled; nothing was changed"));
    expect(screen.getByTestId("import-counts")).toBeTruthy();
  });

  it("Escape cancels a running import and closes a preview", async () => {
    setLocale("zh-CN");
    const calls: string[] = [];
    let finish: (v: unknown) => void = () => {};
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "import_open") return { ...checked, counts: { ...checked.counts, rejected: 0 }, issues: [] };
      if (cmd === "import_commit") return new Promise((resolve) => (finish = resolve));
      return null;
    });
    let closed = 0;
    render(ImportDialog, { onclose: () => (closed += 1), onimported: () => {} });
    await fireEvent.click(await screen.findByTestId("import-commit"));
    await screen.findByTestId("import-cancel");
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(calls).toContain("import_cancel");
    expect(closed).toBe(0);
    finish({ counts: checked.counts, events: 0 });
    await screen.findByTestId("import-done");
    await fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(closed).toBe(1));
    expect(calls).toContain("import_close");
  });
});
