import { afterEach, describe, expect, it, vi } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";

// The module keeps one run's state (told once, painted once): each test loads it afresh.
async function freshStartup() {
  vi.resetModules();
  return import("./startup");
}

function settled(p: Promise<void>): () => boolean {
  let done = false;
  void p.then(() => (done = true));
  return () => done;
}

describe("start-up", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("holds secondary work until the first view's frames have run, then tells the shell once", async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => frames.push(f));
    const told: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "startup_painted") told.push(args);
    });
    const { afterFirstPaint, markPainted } = await freshStartup();
    const painted = settled(afterFirstPaint());

    markPainted("backlog");
    markPainted("workbench");
    await Promise.resolve();
    expect(painted()).toBe(false);
    frames.shift()!(0);
    await Promise.resolve();
    expect(painted()).toBe(false);
    // The second frame runs after the browser painted the rows.
    frames.shift()!(0);
    await vi.waitFor(() => expect(painted()).toBe(true));
    await vi.waitFor(() => expect(told).toHaveLength(1));
    expect(told[0]).toMatchObject({ view: "backlog" });
    expect(frames).toHaveLength(0);
  });

  it("lets secondary work start in the end when the first view never paints", async () => {
    vi.useFakeTimers();
    const { afterFirstPaint } = await freshStartup();
    const painted = settled(afterFirstPaint());
    await vi.advanceTimersByTimeAsync(2900);
    expect(painted()).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(painted()).toBe(true);
  });
});
