import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { AppStart } from "./bindings/AppStart";
import type { AppView } from "./bindings/AppView";
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
import type { Department } from "./bindings/Department";
import type { DirectoryImport } from "./bindings/DirectoryImport";
import type { ErrorAt } from "./bindings/ErrorAt";
import type { NewWhistle } from "./bindings/NewWhistle";
import type { Scorecard } from "./bindings/Scorecard";
import type { WhistleDetail } from "./bindings/WhistleDetail";
import type { WhistleEvent } from "./bindings/WhistleEvent";
import type { WhistleQuery } from "./bindings/WhistleQuery";
import type { WhistleRow } from "./bindings/WhistleRow";
import type { WhistleSettings } from "./bindings/WhistleSettings";
import type { SyncLinkForm } from "./bindings/SyncLinkForm";
import type { SyncRefusal } from "./bindings/SyncRefusal";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { RateFormula } from "./bindings/RateFormula";
import type { ChartKind } from "./bindings/ChartKind";
import type { ChartRequest } from "./bindings/ChartRequest";
import type { ImageFormat } from "./bindings/ImageFormat";
import type { Lang } from "./bindings/Lang";
import type { ReportFormat } from "./bindings/ReportFormat";
import type { Statistics } from "./bindings/Statistics";
import type { GovernanceSettings } from "./bindings/GovernanceSettings";
import type { Hotspot } from "./bindings/Hotspot";
import type { ColumnMap } from "./bindings/ColumnMap";
import type { ExportProgress } from "./bindings/ExportProgress";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { ImportOutcome } from "./bindings/ImportOutcome";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportProgress } from "./bindings/ImportProgress";
import { hasMessage, t } from "./i18n.svelte";

/** An error from a command, as `{code, message}`; anything else becomes `internal`. */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly at: ErrorAt | null = null,
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
    return translateError({ code: this.code, message: this.detail, at: this.at ?? undefined });
  }
}

/** An error from the engine in the current language, with its place in an imported file. */
export function translateError(e: ApiError): string {
  const key = `error.${e.code}`;
  const text = hasMessage(key) ? t(key) : e.message;
  const at = e.at;
  if (!at) return text;
  return at.value
    ? t("error.atValue", { row: at.row, column: at.column, value: at.value, text })
    : t("error.at", { row: at.row, column: at.column, text });
}

function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    if (isApiError(e)) throw new CommandError(e.code, e.message, e.at ?? null);
    throw new CommandError("internal", String(e));
  }
}

/** The commands of the Rust shell, typed from the generated bindings. */
export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  appStart: (backlog: BacklogQuery) => call<AppStart>("app_start", { backlog }),
  startupPainted: (view: AppView, pageMs: number, scriptMs: number) =>
    call<void>("startup_painted", { view, pageMs, scriptMs }),
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
  whistles: (query: WhistleQuery) => call<WhistleRow[]>("list_whistles", { query }),
  whistleDetail: (id: string) => call<WhistleDetail>("whistle_detail", { id }),
  blowWhistle: (whistle: NewWhistle) => call<WhistleDetail>("blow_whistle", { whistle }),
  recordWhistle: (id: string, step: WhistleEvent) =>
    call<WhistleDetail>("record_whistle", { id, step }),
  departments: () => call<Department[]>("list_departments"),
  saveDepartment: (department: Department) =>
    call<Department>("save_department", { department }),
  importDepartments: (name: string, bytes: number[]) =>
    call<DirectoryImport>("import_departments", { name, bytes }),
  scorecards: (month: string) => call<Scorecard[]>("scorecards", { month }),
  setPartyBuilding: (department: string, month: string, score: number | null) =>
    call<Scorecard>("set_party_building", { department, month, score }),
  whistleSettings: () => call<WhistleSettings>("get_whistle_settings"),
  saveWhistleSettings: (settings: WhistleSettings) =>
    call<WhistleSettings>("save_whistle_settings", { settings }),
  syncStatus: () => call<SyncStatus>("sync_status"),
  /** Calls `onStatus` with the status now and on every change. */
  watchSync: (onStatus: (s: SyncStatus) => void) => {
    const channel = new Channel<SyncStatus>();
    channel.onmessage = onStatus;
    return call<void>("watch_sync", { channel });
  },
  // The status of these arrives through `watchSync`, never as their answer.
  syncNow: () => call<void>("sync_now"),
  syncLink: (form: SyncLinkForm) => call<void>("sync_link", { form }),
  syncUnlink: () => call<void>("sync_unlink"),
  syncRefusals: () => call<SyncRefusal[]>("sync_refusals"),
  rateFormula: () => call<RateFormula>("get_rate_formula"),
  saveRateFormula: (formula: RateFormula) => call<RateFormula>("save_rate_formula", { formula }),
  statistics: (request: ChartRequest) => call<Statistics>("statistics", { request }),
  // Exports ask where to save in a native dialog; null means the officer cancelled.
  exportChart: (request: ChartRequest, kind: ChartKind, format: ImageFormat) =>
    call<string | null>("export_chart", { request, kind, format }),
  exportReport: (month: string, format: ReportFormat, lang: Lang) =>
    call<string | null>("export_report", { month, format, lang }),
  hotspots: () => call<Hotspot[]>("hotspots"),
  governanceSettings: () => call<GovernanceSettings>("get_governance_settings"),
  saveGovernanceSettings: (settings: GovernanceSettings) =>
    call<GovernanceSettings>("save_governance_settings", { settings }),
  /** Opens a 12345 export chosen in a native dialog; null when the officer cancels it. */
  importOpen: (title: string, progress: (p: ImportProgress) => void) => {
    const onProgress = new Channel<ImportProgress>();
    onProgress.onmessage = progress;
    return call<ImportPreview | null>("import_open", { title, onProgress });
  },
  importRemap: (columns: ColumnMap[], progress: (p: ImportProgress) => void) => {
    const onProgress = new Channel<ImportProgress>();
    onProgress.onmessage = progress;
    return call<ImportPreview>("import_remap", { columns, onProgress });
  },
  importCommit: (options: ImportOptions, progress: (p: ImportProgress) => void) => {
    const onProgress = new Channel<ImportProgress>();
    onProgress.onmessage = progress;
    return call<ImportOutcome>("import_commit", { options, onProgress });
  },
  importCancel: () => call<void>("import_cancel"),
  importClose: () => call<void>("import_close"),
  exportBacklog: (
    query: BacklogQuery,
    title: string,
    fileName: string,
    progress: (p: ExportProgress) => void,
  ) => {
    const onProgress = new Channel<ExportProgress>();
    onProgress.onmessage = progress;
    return call<string | null>("export_backlog", { query, title, fileName, onProgress });
  },
};

/** The backlog's filters: a query without its order and page position. */
export type BacklogFilter = Omit<BacklogQuery, "after" | "limit" | "sort">;
