import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import Lazy from "./Lazy.svelte";
import StatusBadge from "./StatusBadge.svelte";
import { setLocale } from "../lib/i18n.svelte";

// Says whether the snippet was handed the loaded component itself.
const named = createRawSnippet((component: () => unknown) => ({
  render: () => `<span data-testid="loaded">${component() === StatusBadge ? "view" : "other"}</span>`,
}));

describe("Lazy", () => {
  it("shows the view once its code has loaded, and says when it has", async () => {
    let loaded = 0;
    render(Lazy, {
      load: () => Promise.resolve({ default: StatusBadge }),
      children: named,
      onloaded: () => loaded++,
    });
    expect((await screen.findByTestId("loaded")).textContent).toBe("view");
    expect(loaded).toBe(1);
    expect(screen.queryByTestId("view-load-failed")).toBeNull();
  });

  it("says so, translated, when the view's code cannot be loaded", async () => {
    setLocale("zh-CN");
    let loaded = 0;
    render(Lazy, {
      load: () => Promise.reject(new Error("chunk missing")),
      children: named,
      onloaded: () => loaded++,
    });
    const alert = await screen.findByTestId("view-load-failed");
    expect(alert.textContent?.trim()).toBe("此页面未能载入，请重新启动本应用。chunk missing");
    expect(loaded).toBe(0);
    expect(screen.queryByTestId("loaded")).toBeNull();
  });
});
