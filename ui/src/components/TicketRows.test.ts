import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import TicketRows from "./TicketRows.svelte";
import { setLocale } from "../lib/i18n.svelte";
import { ticketRow } from "../test/fixtures";

const rows = Array.from({ length: 200 }, (_, i) => ticketRow({ id: `r${i}` }));

function renderedIds(): string[] {
  return screen.getAllByTestId("ticket-row").map((r) => r.dataset.id!);
}

describe("TicketRows", () => {
  // jsdom has no layout: a scroll only moves `scrollTop`, and the list keeps its 640 px guess.
  const original = HTMLElement.prototype.scrollTo;
  beforeEach(() => {
    HTMLElement.prototype.scrollTo = function (this: HTMLElement, to: ScrollToOptions | number) {
      this.scrollTop = typeof to === "number" ? to : (to.top ?? 0);
    } as typeof original;
  });
  afterEach(() => {
    HTMLElement.prototype.scrollTo = original;
  });

  function renderList(onnearend = () => {}) {
    setLocale("zh-CN");
    return render(TicketRows, {
      rows,
      checked: new Set<string>(),
      selected: null,
      communityName: new Map(),
      ontoggle: () => {},
      ontoggleall: () => {},
      onopen: () => {},
      onnearend,
    });
  }

  it("renders the rows at a place it is sent to, and goes back to the top", async () => {
    const { component } = renderList();
    expect(renderedIds()[0]).toBe("r0");
    // A refresh keeps the officer's place: the rows there render without waiting for an event.
    component.scrollTo(100 * 32);
    await vi.waitFor(() => expect(renderedIds()[0]).toBe("r95"));
    expect(renderedIds()).toContain("r120");
    expect(component.place()).toBe(3200);
    component.toTop();
    await vi.waitFor(() => expect(renderedIds()[0]).toBe("r0"));
    expect(component.place()).toBe(0);
  });

  it("scrolls a row into sight by as little as it takes", () => {
    const { component } = renderList();
    const list = screen.getByTestId("backlog-rows");
    component.reveal(10);
    expect(list.scrollTop).toBe(0);
    // Row 60's bottom at the list's bottom edge (640 px in sight).
    component.reveal(60);
    expect(list.scrollTop).toBe(61 * 32 - 640);
    component.reveal(3);
    expect(list.scrollTop).toBe(3 * 32);
  });

  it("asks for more when scrolled within 20 rows of the end", async () => {
    const nearEnd = vi.fn();
    renderList(nearEnd);
    const list = screen.getByTestId("backlog-rows");
    list.scrollTop = 100 * 32;
    await fireEvent.scroll(list);
    expect(nearEnd).not.toHaveBeenCalled();
    list.scrollTop = 200 * 32 - 640 - 10 * 32;
    await fireEvent.scroll(list);
    expect(nearEnd).toHaveBeenCalled();
  });
});
