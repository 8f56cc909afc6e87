import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import Lazy from "./Lazy.svelte";
import StatusBadge from "./StatusBadge.svelte";
import { setLocale } from "../lib/i18n.svelte";

// Renders the loaded component's name, which is enough to see which branch ran.
const named = createRawSnippet((component: () => unknown) => ({
  render: () => `<span data-testid="loaded">${(component() as { name?: string }).name ? "view" : "?"}</span>`,
}));

describe("Lazy", () => {
  it("shows the view once its code has loaded", async () => {
    render(Lazy, { load: () => Promise.resolve({ default: StatusBadge }), children: named });
    expect((await screen.findByTestId("loaded")).textContent).toBe("view");
    expect(screen.queryByTestId("view-load-failed")).toBeNull();
  });

  it("says so, translated, when the view's code cannot be loaded", async () => {
    setLocale("zh-CN");
    render(Lazy, {
      load: () => Promise.reject(new Error("chunk missing")),
      children: named,
    });
    const alert = await screen.findByTestId("view-load-failed");
    expect(alert.textContent?.trim()).toBe("此页面未能载入：chunk missing");
    expect(screen.queryByTestId("loaded")).toBeNull();
  });
});
