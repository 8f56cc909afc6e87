import { api } from "./api";
import type { AppView } from "./bindings/AppView";
import type { BacklogPage } from "./bindings/BacklogPage";
import type { BacklogQuery } from "./bindings/BacklogQuery";

let told = false;
// When this script began to run, in ms since the page began to load.
const scriptMs = Math.round(globalThis.performance?.now() ?? 0);

/**
 * How long secondary work waits, from its first wait, for a first view that never reports
 * its paint (its load failed): the watchers must start in the end whatever the view did.
 */
const PAINT_WAIT_MS = 3000;
let paintedNow: () => void = () => {};
const painted = new Promise<void>((resolve) => (paintedNow = resolve));
let waiting = false;

/**
 * Resolves once the first view is on screen. Work the first screen does not show (the
 * backlog's counts, the sync and overdue watchers) waits for it: each answer that arrives
 * before the first frame is handled on the web view's one thread and holds that frame back.
 */
export function afterFirstPaint(): Promise<void> {
  if (!waiting) {
    waiting = true;
    setTimeout(paintedNow, PAINT_WAIT_MS);
  }
  return painted;
}

/**
 * Tells the shell, once per run, that the first view is on screen (the backlog and the
 * workbench: with the street's tickets), so the log records the start-up time (`.ci/budgets`
 * measures it), and lets the work that waits for it begin. Two animation frames:
 * the first runs before the browser paints the new rows, the second after.
 */
export function markPainted(view: AppView): void {
  if (told) return;
  told = true;
  const frame = globalThis.requestAnimationFrame ?? ((f: () => void) => setTimeout(f, 0));
  frame(() =>
    frame(() => {
      const pageMs = Math.round(globalThis.performance?.now() ?? 0);
      void api.startupPainted(view, pageMs, scriptMs).catch(() => {});
      paintedNow();
    }),
  );
}

let firstPage: { query: string; page: BacklogPage } | null = null;

/** Keeps the backlog page that came with the start (`app_start`) for the view's first load. */
export function keepFirstPage(query: BacklogQuery, page: BacklogPage): void {
  firstPage = { query: JSON.stringify(query), page };
}

/**
 * The page kept at start if `query` is the one it answers, once: any later load (a filter,
 * a refresh, the view opened again) asks the store, since the tickets may have changed.
 */
export function takeFirstPage(query: BacklogQuery): BacklogPage | null {
  const kept = firstPage;
  firstPage = null;
  return kept && kept.query === JSON.stringify(query) ? kept.page : null;
}
