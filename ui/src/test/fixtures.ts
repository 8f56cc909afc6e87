import type { BacklogFacets } from "../lib/bindings/BacklogFacets";
import type { SummonsRow } from "../lib/bindings/SummonsRow";
import type { TicketRow } from "../lib/bindings/TicketRow";
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

/** A general complaint received at 09:30 on 2026-11-26, yellow, masked caller. */
export function ticketRow(over: Partial<TicketRow> = {}): TicketRow {
  return {
    id: "t-1",
    hotlineNo: "2026112600123",
    kind: "complaint",
    source: "hotline",
    category: "城市管理/停车管理/胡同停车",
    content: "胡同口僵尸车占道",
    address: "槐荫胡同 3 号",
    communityId: "c02",
    communityName: "槐荫社区",
    callerNameMasked: "孙**",
    callerPhoneMasked: "138****1111",
    receivedAt: "2026-11-26T09:30:00+08:00",
    updatedAt: "2026-11-26T09:31:00+08:00",
    status: "received",
    assignee: null,
    needsReview: false,
    urgency: "general",
    dueAt: "2026-12-04T00:00:00+08:00",
    warning: "yellow",
    grid: "c02-03",
    supervised: false,
    tags: [],
    ...over,
  };
}

/** Facet counts for a backlog holding that one ticket (two categories known). */
export const backlogFacets: BacklogFacets = {
  total: 1,
  byStatus: [{ key: "received", count: 1 }],
  byKind: [{ key: "complaint", count: 1 }],
  bySource: [{ key: "hotline", count: 1 }],
  byCommunity: [{ key: "c02", count: 1 }],
  byGrid: [{ key: "c02-03", count: 1 }],
  byCategory: [
    { key: "城市管理/停车管理/胡同停车", count: 1 },
    { key: "城市管理/市容环境/占道经营", count: 2 },
  ],
  byAssignee: [],
  byTag: [{ key: "每月一题·停车难", count: 1 }],
  byWarning: [{ key: "yellow", count: 1 }],
  supervised: 0,
};
