import { api } from "./api";
import type { AppView } from "./bindings/AppView";

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
