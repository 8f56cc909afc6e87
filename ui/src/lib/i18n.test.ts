import { describe, expect, it } from "vitest";
import { en } from "./messages/en";
import { zhCN } from "./messages/zh-CN";
import { ERROR_CODES } from "./errorCodes";
import { setLocale, t } from "./i18n.svelte";
import { CommandError } from "./api";

describe("message catalogues", () => {
  it("have the same keys and no empty text", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [k, v] of [...Object.entries(zhCN), ...Object.entries(en)]) {
      expect(v.trim(), k).not.toBe("");
    }
  });

  it("translate every error code the engine can send", () => {
    for (const code of ERROR_CODES) {
      expect(Object.keys(zhCN), code).toContain(`error.${code}`);
    }
  });

  it("fill placeholders and switch language", () => {
    setLocale("zh-CN");
    expect(t("backlog.count", { n: 12 })).toBe("共 12 件");
    setLocale("en");
    expect(t("backlog.count", { n: 12 })).toBe("12 tickets");
    setLocale("zh-CN");
  });
});

describe("CommandError", () => {
  it("names the field and translates, falling back to the engine's message", () => {
    setLocale("zh-CN");
    const e = new CommandError("ticket.caller_phone.invalid", "caller phone is not valid");
    expect(e.field).toBe("caller_phone");
    expect(e.translated()).toBe("联系电话不是有效的手机号或固定电话");
    expect(new CommandError("storage.failed", "x").field).toBeNull();
    const unknown = new CommandError("not.a.code" as never, "engine says so");
    expect(unknown.translated()).toBe("engine says so");
  });
});
