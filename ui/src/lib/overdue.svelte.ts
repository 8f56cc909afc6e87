import {
  isPermissionGranted,
  requestPermission,
  sendNotification,
} from "@tauri-apps/plugin-notification";
import { api } from "./api";
import { t } from "./i18n.svelte";
import { formatClock, overdueSummons } from "./whistle";

/** How often open whistles are re-read for overdue report-ins. */
const POLL_MS = 15_000;

const state = $state({ overdue: 0 });
const notified = new Set<string>();

/** Departments overdue to report in across open whistles (the whistle tab's badge). */
export function overdueCount(): number {
  return state.overdue;
}

async function notify(title: string, body: string) {
  try {
    let granted = await isPermissionGranted();
    if (!granted) granted = (await requestPermission()) === "granted";
    if (granted) sendNotification({ title, body });
  } catch {
    // No notification service (a bare X server, a locked-down desktop): the red board and the
    // tab badge still show it.
  }
}

/** Checks open whistles now; raises one desktop notification per newly overdue department. */
export async function checkOverdue(liaison: string | null = null): Promise<void> {
  try {
    const open = await api.whistles({ status: "open", departmentId: liaison ?? undefined, limit: 2000 });
    const now = Date.now();
    const overdue = overdueSummons(open, now).filter(
      (o) => !liaison || o.summons.departmentId === liaison,
    );
    state.overdue = overdue.length;
    for (const { whistle, summons } of overdue) {
      const key = `${whistle.id}/${summons.departmentId}`;
      if (notified.has(key)) continue;
      notified.add(key);
      const late = now - Date.parse(summons.reportDue);
      // Department and time only: the matter may quote a caller, and notification centres
      // keep what they are shown.
      await notify(
        t("whistle.notifyTitle"),
        t("whistle.notifyBody", { department: summons.departmentName, clock: formatClock(late) }),
      );
    }
  } catch {
    // The next poll tries again; the board shows its own errors.
  }
}

/** Starts polling; returns the function that stops it. */
export function watchOverdue(liaison: () => string | null): () => void {
  void checkOverdue(liaison());
  const timer = setInterval(() => void checkOverdue(liaison()), POLL_MS);
  return () => clearInterval(timer);
}
