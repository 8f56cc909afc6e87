import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import SettingsView from "./Settings.svelte";
import { setLocale } from "../lib/i18n.svelte";
import type { Settings } from "../lib/bindings/Settings";
import type { WhistleSettings } from "../lib/bindings/WhistleSettings";

const settings: Settings = {
  policies: { emergency: "2h", utility: "24h", general: "7d", complex: "15d", yellowPercent: 75 },
  years: [
    { year: 2025, holidays: ["2025-01-01"], makeupWorkdays: ["2025-01-26"] },
    { year: 2026, holidays: ["2026-01-01", "2026-01-02"], makeupWorkdays: ["2026-01-04"] },
  ],
  builtinYears: [2025, 2026],
};

const whistleSettings: WhistleSettings = {
  reportLimitMin: 30,
  weights: { onSite: 50, partyBuilding: 20, massSatisfaction: 30, timelinessShare: 0.5, basicallySatisfied: 0.9 },
};

const governance = {
  hotspotWindowDays: 7,
  hotspotMinTickets: 3,
  hotspotRadiusM: 200,
  hotspotCategoryLevel: 2,
  repeatWindowDays: 30,
};

/** What the engine answers to each command the view sends on opening. */
function answer(cmd: string): unknown {
  if (cmd === "get_whistle_settings") return whistleSettings;
  if (cmd === "list_departments") return [];
  if (cmd === "sync_refusals") return [];
  if (cmd === "get_rate_formula" || cmd === "save_rate_formula")
    return { partlyResolved: 0.5, basicallySatisfied: 0.9, weightResponse: 0.1, weightResolution: 0.5, weightSatisfaction: 0.4 };
  if (cmd === "get_profile") return { actor: "值班员", unit: "", liaisonDepartment: null };
  if (cmd === "get_governance_settings" || cmd === "save_governance_settings") return governance;
  return settings;
}

describe("Settings", () => {
  it("shows the policies and years and saves edited policies", async () => {
    setLocale("zh-CN");
    const calls: any[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return answer(cmd);
    });
    const { container } = render(SettingsView, {});
    await waitFor(() => expect(container.querySelector('[name="general"]')).not.toBeNull());
    const general = container.querySelector('[name="general"]') as HTMLInputElement;
    expect(general.value).toBe("7d");
    expect(screen.getByTestId("calendar-years").textContent).toContain("放假 2 天");
    await fireEvent.input(general, { target: { value: "5wd" } });
    await fireEvent.click(screen.getByTestId("save-policies"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_policies")).toBe(true));
    const sent = calls.find((c) => c.cmd === "save_policies").args.form;
    expect(sent).toEqual({ ...settings.policies, general: "5wd" });
  });

  it("sends a notice for a year and shows a refusal with its line", async () => {
    setLocale("zh-CN");
    const calls: any[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "save_calendar_notice")
        throw { code: "calendar.notice.invalid", message: 'line 2: expected 休/off or 班/work: "调休"' };
      return answer(cmd);
    });
    const { container } = render(SettingsView, {});
    await waitFor(() => expect(container.querySelector('[name="notice"]')).not.toBeNull());
    const year = container.querySelector('[name="year"]') as HTMLInputElement;
    await fireEvent.input(year, { target: { value: "2027" } });
    const notice = container.querySelector('[name="notice"]') as HTMLTextAreaElement;
    await fireEvent.input(notice, { target: { value: "休 2027-01-01\n调休" } });
    await fireEvent.click(screen.getByTestId("save-notice"));
    const err = await screen.findByTestId("notice-error");
    expect(err.textContent).toContain("节假日安排无法识别");
    expect(err.textContent).toContain("line 2");
    expect(calls.find((c) => c.cmd === "save_calendar_notice").args).toEqual({
      year: 2027,
      text: "休 2027-01-01\n调休",
    });
  });

  it("saves the rate formula as numbers and shows a refusal of weights that do not add up", async () => {
    setLocale("zh-CN");
    const calls: any[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "save_rate_formula" && (args as any).formula.weightResponse > 0.1)
        throw { code: "settings.weights.invalid", message: "weights add up to 1" };
      return answer(cmd);
    });
    const { container } = render(SettingsView, {});
    await waitFor(() => expect(container.querySelector('[name="partlyResolved"]')).not.toBeNull());
    const partly = container.querySelector('[name="partlyResolved"]') as HTMLInputElement;
    expect(partly.value).toBe("0.5");
    await fireEvent.input(partly, { target: { value: "0.6" } });
    await fireEvent.click(screen.getByTestId("save-rates"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_rate_formula")).toBe(true));
    expect(calls.find((c) => c.cmd === "save_rate_formula").args.formula).toEqual({
      partlyResolved: 0.6,
      basicallySatisfied: 0.9,
      weightResponse: 0.1,
      weightResolution: 0.5,
      weightSatisfaction: 0.4,
    });
    const response = container.querySelector('[name="weightResponse"]') as HTMLInputElement;
    await fireEvent.input(response, { target: { value: "0.3" } });
    await fireEvent.click(screen.getByTestId("save-rates"));
    const err = await screen.findByTestId("rates-error");
    expect(err.textContent).toContain("weights add up to 1");
  });

  it("saves the governance thresholds as numbers and shows a refusal translated", async () => {
    setLocale("zh-CN");
    const calls: any[] = [];
    let refuse = false;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "save_governance_settings" && refuse)
        throw { code: "settings.governance.invalid", message: "radius 20–5000 m" };
      return answer(cmd);
    });
    const saves = () => calls.filter((c) => c.cmd === "save_governance_settings");
    const { container } = render(SettingsView, {});
    await waitFor(() => expect(container.querySelector('[name="hotspotRadiusM"]')).not.toBeNull());
    const radius = container.querySelector('[name="hotspotRadiusM"]') as HTMLInputElement;
    expect(radius.value).toBe("200");
    await fireEvent.input(radius, { target: { value: "300" } });
    await fireEvent.click(screen.getByTestId("save-governance"));
    await waitFor(() => expect(saves().length).toBe(1));
    expect(saves()[0].args.settings).toEqual({ ...governance, hotspotRadiusM: 300 });
    await waitFor(() => expect(screen.getByText(/^已保存/)).toBeTruthy());

    // Out of the field's range, the form itself stops it; the engine's refusal is translated.
    await fireEvent.input(radius, { target: { value: "5" } });
    await fireEvent.click(screen.getByTestId("save-governance"));
    expect(saves().length).toBe(1);
    refuse = true;
    await fireEvent.input(radius, { target: { value: "400" } });
    await fireEvent.click(screen.getByTestId("save-governance"));
    const err = await screen.findByTestId("governance-error");
    expect(err.textContent).toContain("阈值超出范围");
  });
});
