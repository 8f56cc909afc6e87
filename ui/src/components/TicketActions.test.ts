import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import TicketActions from "./TicketActions.svelte";
import { setLocale } from "../lib/i18n.svelte";
import type { TicketDetail } from "../lib/bindings/TicketDetail";

const detail = {
  row: { id: "t-1" },
  allowedActions: ["signed_for", "objection_raised", "extension_requested"],
} as unknown as TicketDetail;

describe("TicketActions", () => {
  it("offers exactly the engine's allowed actions and records one in a click", async () => {
    setLocale("zh-CN");
    const calls: any[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return { row: { id: "t-1" }, allowedActions: [] };
    });
    const onrecorded = vi.fn();
    render(TicketActions, { detail, onrecorded });
    const buttons = screen.getByTestId("actions").querySelectorAll("button");
    expect([...buttons].map((b) => b.textContent)).toEqual(["签收", "提出派单异议", "申请延期"]);
    await fireEvent.click(screen.getByTestId("action-signed_for"));
    await waitFor(() => expect(onrecorded).toHaveBeenCalled());
    expect(calls[0]).toEqual({
      cmd: "record_action",
      args: { id: "t-1", action: { type: "signed_for" } },
    });
  });

  it("names actions as commands in English, not as past events", () => {
    setLocale("en");
    render(TicketActions, { detail, onrecorded: vi.fn() });
    const buttons = screen.getByTestId("actions").querySelectorAll("button");
    expect([...buttons].map((b) => b.textContent)).toEqual([
      "Sign for",
      "Raise objection",
      "Request extension",
    ]);
    setLocale("zh-CN");
  });

  it("asks for a reason and shows the engine's refusal translated", async () => {
    setLocale("zh-CN");
    const sent: any[] = [];
    mockIPC((_cmd, args) => {
      sent.push(args);
      throw { code: "ticket.reason.required", message: "objection_raised needs a reason" };
    });
    const onrecorded = vi.fn();
    const { container } = render(TicketActions, { detail, onrecorded });
    await fireEvent.click(screen.getByTestId("action-objection_raised"));
    const reason = container.querySelector('[name="reason"]') as HTMLTextAreaElement;
    await fireEvent.input(reason, { target: { value: "" } });
    await fireEvent.click(screen.getByTestId("action-submit"));
    expect((await screen.findByTestId("action-error")).textContent).toBe("此操作必须填写理由");
    expect(sent[0].action).toEqual({ type: "objection_raised", reason: "" });
    expect(onrecorded).not.toHaveBeenCalled();
  });

  it("sends an extension in Beijing time and refuses one without a date", async () => {
    setLocale("zh-CN");
    const sent: any[] = [];
    mockIPC((_cmd, args) => {
      sent.push(args);
      return { row: { id: "t-1" }, allowedActions: [] };
    });
    const { container } = render(TicketActions, { detail, onrecorded: () => {} });
    await fireEvent.click(screen.getByTestId("action-extension_requested"));
    await fireEvent.click(screen.getByTestId("action-submit"));
    expect((await screen.findByTestId("action-error")).textContent).toBe("请选择申请延期到的时间");
    expect(sent).toHaveLength(0);
    const until = container.querySelector('[name="until"]') as HTMLInputElement;
    await fireEvent.input(until, { target: { value: "2026-12-01T18:00" } });
    const reason = container.querySelector('[name="reason"]') as HTMLTextAreaElement;
    await fireEvent.input(reason, { target: { value: "需协调管线单位" } });
    await fireEvent.click(screen.getByTestId("action-submit"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].action).toEqual({
      type: "extension_requested",
      until: "2026-12-01T18:00:00+08:00",
      reason: "需协调管线单位",
    });
  });

  it("names the state and the action when the state refuses it", async () => {
    setLocale("zh-CN");
    mockIPC(() => {
      throw { code: "ticket.action.not_allowed", message: "cannot objection_raised a ticket that is replied" };
    });
    const replied = { ...detail, row: { id: "t-1", status: "replied" } } as unknown as TicketDetail;
    const { container } = render(TicketActions, { detail: replied, onrecorded: () => {} });
    await fireEvent.click(screen.getByTestId("action-objection_raised"));
    const reason = container.querySelector('[name="reason"]') as HTMLTextAreaElement;
    await fireEvent.input(reason, { target: { value: "不属本街道管辖" } });
    await fireEvent.click(screen.getByTestId("action-submit"));
    expect((await screen.findByTestId("action-error")).textContent).toBe(
      "工单处于“已反馈”状态，不能“提出派单异议”",
    );
  });
});
