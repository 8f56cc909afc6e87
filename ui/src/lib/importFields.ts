import type { ImportField } from "./bindings/ImportField";

/** Every field a column can fill, in the order the mapping step lists them (as in Rust). */
export const IMPORT_FIELDS = [
  "hotline_no",
  "received_at",
  "kind",
  "category",
  "content",
  "community",
  "address",
  "caller_name",
  "caller_phone",
  "urgency",
  "deadline",
  "tags",
  "grid",
  "longitude",
  "latitude",
  "status",
  "signed_at",
  "reply",
  "replied_at",
  "contacted",
  "resolved",
  "satisfied",
  "callback_at",
] as const satisfies readonly ImportField[];

type Missing = Exclude<ImportField, (typeof IMPORT_FIELDS)[number]>;
/** Compile-time proof that `IMPORT_FIELDS` lists every `ImportField`. */
export const allFieldsListed: [Missing] extends [never] ? true : Missing = true;

/** The fields a file cannot be imported without (`ImportField::required` in Rust). */
export const REQUIRED_FIELDS: ReadonlySet<ImportField> = new Set([
  "hotline_no",
  "received_at",
  "kind",
  "category",
  "content",
  "community",
]);
