import type { ErrorCode } from "./bindings/ErrorCode";

/** Every error code the engine can send. The check below breaks the build if Rust adds one. */
export const ERROR_CODES = [
  "ticket.content.required",
  "ticket.address.required",
  "ticket.category.required",
  "ticket.community.unknown",
  "ticket.caller_name.required",
  "ticket.caller_phone.invalid",
  "ticket.hotline_no.invalid",
  "ticket.hotline_no.duplicate",
  "ticket.received_at.invalid",
  "ticket.received_at.future",
  "ticket.deadline.invalid",
  "ticket.field.too_long",
  "ticket.action.not_allowed",
  "ticket.reason.required",
  "ticket.merge.invalid",
  "ticket.grid.invalid",
  "ticket.tag.invalid",
  "query.date.invalid",
  "profile.name.invalid",
  "ticket.not_found",
  "settings.limit.invalid",
  "settings.yellow.invalid",
  "calendar.notice.invalid",
  "storage.failed",
  "invalid_argument",
  "internal",
] as const satisfies readonly ErrorCode[];

type Missing = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
/** Compile-time proof that `ERROR_CODES` lists every `ErrorCode`. */
export const allCodesListed: [Missing] extends [never] ? true : Missing = true;
