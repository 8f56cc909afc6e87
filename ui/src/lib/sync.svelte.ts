import { untrack } from "svelte";
import { api } from "./api";
import type { SyncStatus } from "./bindings/SyncStatus";

/** Beyond this the device's clock is called out (DESIGN.md "Sync": warn, never reject). */
export const SKEW_WARN_MS = 2 * 60 * 1000;

const state = $state<{ status: SyncStatus | null }>({ status: null });

/** The background sync loop's status, as last heard; null before the first word. */
export function syncStatus(): SyncStatus | null {
  return state.status;
}

/** Events received from the hub since start; views reload when it grows. */
export function received(): number {
  return state.status?.received ?? 0;
}

/** Starts hearing the loop's status (once, from the app shell). */
export async function watchSync(): Promise<void> {
  await api.watchSync((s) => (state.status = s));
}

/** Sets the status by hand: for the settings panel's answers, and for tests. */
export function setSyncStatus(s: SyncStatus | null): void {
  state.status = s;
}

/** The clock skew worth warning about, in whole minutes (signed), or null. */
export function skewMinutes(s: SyncStatus | null): number | null {
  const skew = s?.clockSkewMs;
  if (skew == null || Math.abs(skew) <= SKEW_WARN_MS) return null;
  return Math.round(skew / 60_000);
}

/**
 * Runs `reload` whenever events arrive from the hub, but not at first: a view loads itself
 * on mount. Call from a component's script.
 */
export function reloadOnReceived(reload: () => void): void {
  let seen = received();
  $effect(() => {
    const now = received();
    if (now !== seen) {
      seen = now;
      // Whatever `reload` reads is its own business, not a reason to run this again.
      untrack(reload);
    }
  });
}
