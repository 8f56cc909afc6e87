/** The desktop a web view runs on, as far as fonts are concerned. */
export type Platform = "linux" | "windows" | "mac";

/** Reads the platform from a user agent: WebKitGTK's says X11 or Linux, WebView2's Windows. */
export function platformOf(userAgent: string): Platform {
  if (/Windows/.test(userAgent)) return "windows";
  if (/Mac OS X|Macintosh/.test(userAgent)) return "mac";
  return "linux";
}

// The system Chinese fonts of DESIGN.md, each platform's own first. Every family named that is
// not installed costs WebKitGTK a fontconfig search at each font size on the page.
const WINDOWS_MAC = ["Microsoft YaHei", "PingFang SC"];
const LINUX = ["Noto Sans CJK SC", "WenQuanYi Micro Hei"];

/**
 * The UI's font stack: the platform's Chinese families in its order, only those installed when
 * the shell said which are (`AppStart.chineseFonts`), then the system's own.
 */
export function fontStack(platform: Platform, installed: string[] | null = null): string {
  const preferred = platform === "linux" ? [...LINUX, ...WINDOWS_MAC] : [...WINDOWS_MAC, ...LINUX];
  const named = installed ? preferred.filter((family) => installed.includes(family)) : preferred;
  return [...named.map((family) => `"${family}"`), "system-ui", "sans-serif"].join(", ");
}

/**
 * Sets the document's platform and font stack (`--ui-font`, app.css) before anything is
 * rendered; again with the installed fonts once the start has answered.
 */
export function markPlatform(doc: Document = document, installed: string[] | null = null): void {
  const platform = platformOf(globalThis.navigator?.userAgent ?? "");
  doc.documentElement.dataset.platform = platform;
  doc.documentElement.style.setProperty("--ui-font", fontStack(platform, installed));
}
