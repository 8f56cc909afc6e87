/** The desktop a web view runs on, as far as the stylesheet cares (`:root[data-platform]`). */
export type Platform = "linux" | "windows" | "mac";

/** Reads the platform from a user agent: WebKitGTK's says X11 or Linux, WebView2's Windows. */
export function platformOf(userAgent: string): Platform {
  if (/Windows/.test(userAgent)) return "windows";
  if (/Mac OS X|Macintosh/.test(userAgent)) return "mac";
  return "linux";
}

/** Marks the document with its platform before anything is rendered. */
export function markPlatform(doc: Document = document): void {
  doc.documentElement.dataset.platform = platformOf(globalThis.navigator?.userAgent ?? "");
}
