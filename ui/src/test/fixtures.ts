import type { SummonsRow } from "../lib/bindings/SummonsRow";

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
