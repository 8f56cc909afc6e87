import { api } from "./api";
import type { AppView } from "./bindings/AppView";
import type { BacklogPage } from "./bindings/BacklogPage";
import type { BacklogQuery } from "./bindings/BacklogQuery";

let told = false;
// When this script began to run, in ms since the page began to load.
const scriptMs = Math.round(globalThis.performance?.now() ?? 0);

/**
 * Tells the shell, once per run, that the first view with the street's tickets is on screen,
 * so the log records the start-up time (`.ci/budgets` measures it). Two animation frames:
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
