import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import RegisterTicket from "./RegisterTicket.svelte";
import { setLocale } from "../lib/i18n.svelte";

const communities = [
  { id: "c01", name: "和平里社区", gridCount: 6 },
  { id: "c02", name: "槐荫社区", gridCount: 5 },
];

function fill(container: HTMLElement, name: string, value: string) {
  const el = container.querySelector(`[name="${name}"]`) as HTMLInputElement;
  return fireEvent.input(el, { target: { value } });
}

function renderForm(onsaved: (id: string) => void = () => {}) {
  return render(RegisterTicket, { communities, categories: [], oncancel: () => {}, onsaved });
}

async function fillValidForm(container: HTMLElement) {
  await fill(container, "hotlineNo", "2026112600123");
  await fill(container, "category", "城市管理/停车管理/胡同停车");
  const community = container.querySelector('[name="communityId"]') as HTMLSelectElement;
  await fireEvent.change(community, { target: { value: "c02" } });
  await fill(container, "address", "槐荫胡同 3 号");
  await fill(container, "content", "胡同口僵尸车占道");
  await fill(container, "callerName", "孙女士");
  await fill(container, "callerPhone", "13800001111");
}

describe("RegisterTicket", () => {
  it("sends the form to register_ticket and reports the new id", async () => {
    setLocale("zh-CN");
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "register_ticket") return { row: { id: "t-1" } };
    });
    const onsaved = vi.fn();
    const { container } = renderForm(onsaved);
    await fillValidForm(container);
    await fireEvent.click(screen.getByTestId("submit"));
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith("t-1"));
    const sent = calls.find((c) => c.cmd === "register_ticket")!.args as { input: any };
    expect(sent.input).toMatchObject({
      hotlineNo: "2026112600123",
      kind: "complaint",
      source: "hotline",
      communityId: "c02",
      callerPhone: "13800001111",
      content: "胡同口僵尸车占道",
      urgency: "general",
      deadline: null,
    });
    expect(sent.input.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  });

  it("shows the engine's error translated and marks the field", async () => {
    setLocale("en");
    mockIPC(() => {
      throw { code: "ticket.caller_phone.invalid", message: "caller phone is not valid" };
    });
    const onsaved = vi.fn();
    const { container } = renderForm(onsaved);
    await fillValidForm(container);
    await fireEvent.click(screen.getByTestId("submit"));
    const msg = await screen.findByTestId("form-error");
    expect(msg.textContent).toBe("The phone is not a valid mobile or landline number");
    const phoneLabel = container.querySelector('[name="callerPhone"]')!.closest("label")!;
    expect(phoneLabel.classList.contains("invalid")).toBe(true);
    expect(onsaved).not.toHaveBeenCalled();
    setLocale("zh-CN");
  });

  it("sends an empty hotline number as null", async () => {
    const calls: any[] = [];
    mockIPC((cmd, args) => {
      calls.push(args);
      if (cmd === "register_ticket") return { row: { id: "t-2" } };
    });
    const { container } = renderForm();
    await fillValidForm(container);
    await fill(container, "hotlineNo", "  ");
    await fireEvent.click(screen.getByTestId("submit"));
    await waitFor(() => expect(calls.length).toBe(1));
    expect(calls[0].input.hotlineNo).toBeNull();
  });
});
