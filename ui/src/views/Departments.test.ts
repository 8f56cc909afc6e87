import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import Departments from "./Departments.svelte";
import { setLocale } from "../lib/i18n.svelte";

describe("Departments", () => {
  it("imports a picked file through the engine and names the bad row and column", async () => {
    setLocale("zh-CN");
    const calls: { cmd: string; args: any }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "list_departments") return [];
      if (cmd === "import_departments")
        throw {
          code: "department.phone.invalid",
          message: "row 6, column 值班电话: not a number",
          at: { row: 6, column: "值班电话" },
        };
      return null;
    });
    render(Departments, {});
    const input = (await screen.findByTestId("department-import")) as HTMLInputElement;
    const file = new File([new Uint8Array([0x41, 0x42])], "通讯录.csv", { type: "text/csv" });
    Object.defineProperty(input, "files", { value: [file] });
    await fireEvent.change(input);
    const error = await screen.findByTestId("department-error");
    expect(error.textContent).toBe("第 6 行“值班电话”列：电话不是有效的手机、固话或服务号码");
    const sent = calls.find((c) => c.cmd === "import_departments")?.args;
    expect(sent).toEqual({ name: "通讯录.csv", bytes: [0x41, 0x42] });
  });

  it("reports how many departments an import added and updated", async () => {
    setLocale("zh-CN");
    mockIPC((cmd) => {
      if (cmd === "list_departments") return [];
      if (cmd === "import_departments") return { added: 3, updated: 1 };
      return null;
    });
    render(Departments, {});
    const input = (await screen.findByTestId("department-import")) as HTMLInputElement;
    Object.defineProperty(input, "files", { value: [new File(["x"], "a.xlsx")] });
    await fireEvent.change(input);
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("新增 3 个部门，更新 1 个"));
  });
});
