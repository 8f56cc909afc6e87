import type { BacklogFilter } from "./api";
import type { BacklogCursor } from "./bindings/BacklogCursor";
import type { BacklogQuery } from "./bindings/BacklogQuery";
import type { BacklogSort } from "./bindings/BacklogSort";

/** Rows per request: a screen at 1366×768 shows about 20. */
export const PAGE = 200;

/** The backlog's orders, by the name its sort menu shows. */
export const SORTS: Record<string, BacklogSort> = {
  received_desc: { key: "received", descending: true },
  received_asc: { key: "received", descending: false },
  deadline_asc: { key: "deadline", descending: false },
  deadline_desc: { key: "deadline", descending: true },
  updated_desc: { key: "updated", descending: true },
};

/** The order the backlog opens with: newest received first. */
export const DEFAULT_SORT = "received_desc";

/** The query for one page of the backlog under `filter`, in the order named `sort`. */
export function backlogQuery(
  filter: BacklogFilter,
  sort: string,
  after: BacklogCursor | null = null,
): BacklogQuery {
  return { ...filter, sort: SORTS[sort], after: after ?? undefined, limit: PAGE };
}
