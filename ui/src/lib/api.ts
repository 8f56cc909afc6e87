import { invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { BacklogFacets } from "./bindings/BacklogFacets";
import type { BacklogPage } from "./bindings/BacklogPage";
import type { BacklogQuery } from "./bindings/BacklogQuery";
import type { BulkOutcome } from "./bindings/BulkOutcome";
import type { Community } from "./bindings/Community";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { NewTicket } from "./bindings/NewTicket";
import type { PolicyForm } from "./bindings/PolicyForm";
import type { Profile } from "./bindings/Profile";
import type { RevealedCaller } from "./bindings/RevealedCaller";
import type { Settings } from "./bindings/Settings";
import type { TicketDetail } from "./bindings/TicketDetail";
import type { TicketEvent } from "./bindings/TicketEvent";
import { hasMessage, t } from "./i18n.svelte";

/** An error from a command, as `{code, message}`; anything else becomes `internal`. */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }

  /** The form field the code is about (`ticket.<field>.<problem>`), if any. */
  get field(): string | null {
    const parts = this.code.split(".");
    return parts.length === 3 ? parts[1] : null;
  }

  /** The message in the current language. */
  translated(): string {
    const key = `error.${this.code}`;
    return hasMessage(key) ? t(key) : this.detail;
  }
}

function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    if (isApiError(e)) throw new CommandError(e.code, e.message);
    throw new CommandError("internal", String(e));
  }
}

/** The commands of the Rust shell, typed from the generated bindings. */
export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  communities: () => call<Community[]>("list_communities"),
  backlog: (query: BacklogQuery) => call<BacklogPage>("backlog", { query }),
  backlogFacets: (query: BacklogQuery) => call<BacklogFacets>("backlog_facets", { query }),
  ticketDetail: (id: string) => call<TicketDetail>("ticket_detail", { id }),
  registerTicket: (input: NewTicket) => call<TicketDetail>("register_ticket", { input }),
  revealCaller: (id: string) => call<RevealedCaller>("reveal_caller", { id }),
  settings: () => call<Settings>("get_settings"),
  savePolicies: (form: PolicyForm) => call<Settings>("save_policies", { form }),
  saveCalendarNotice: (year: number, text: string) =>
    call<Settings>("save_calendar_notice", { year, text }),
  recordAction: (id: string, action: TicketEvent) =>
    call<TicketDetail>("record_action", { id, action }),
  recordBulk: (ids: string[], action: TicketEvent) =>
    call<BulkOutcome>("record_bulk", { ids, action }),
  backlogCount: (query: BacklogQuery) => call<number>("backlog_count", { query }),
  profile: () => call<Profile>("get_profile"),
  saveProfile: (profile: Profile) => call<Profile>("save_profile", { profile }),
};

/** The backlog's filters: a query without its order and page position. */
export type BacklogFilter = Omit<BacklogQuery, "after" | "limit" | "sort">;
