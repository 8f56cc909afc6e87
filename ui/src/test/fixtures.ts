import type { SummonsRow } from "../lib/bindings/SummonsRow";
import type { WhistleRow } from "../lib/bindings/WhistleRow";

/** A department summoned at 09:00 with 30 minutes to report in, not yet reported. */
export function summonsRow(departmentId: string, departmentName: string, over: Partial<SummonsRow> = {}): SummonsRow {
  return {
    departmentId,
    departmentName,
    stage: "summoned",
    summonedAt: "2026-11-27T09:00:00+08:00",
    reportDue: "2026-11-27T09:30:00+08:00",
    reportedAt: null,
    onSiteAt: null,
    finishedAt: null,
    releaseReason: null,
    escalatedAt: null,
    late: false,
    effectiveness: null,
    comment: null,
    ...over,
  };
}

/** An open whistle blown at 09:00 with a 30-minute limit, summoning no one until given. */
export function whistleRow(over: Partial<WhistleRow> = {}): WhistleRow {
  return {
    id: "w1",
    reason: "complaint",
    matter: "积水",
    place: "槐荫胡同",
    community: null,
    status: "open",
    blownAt: "2026-11-27T09:00:00+08:00",
    closedAt: null,
    reportLimitMin: 30,
    tickets: [],
    summons: [],
    conflicts: 0,
    ...over,
  };
}
