import { afterEach, describe, expect, it, vi } from "vitest";
import { markPlatform, platformOf } from "./platform";

describe("platform", () => {
  it("tells the three desktops apart by their web views' user agents", () => {
    // WebKitGTK 2.50 on Debian 12, WebView2 on Windows 11, WKWebView on macOS.
    expect(
      platformOf("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)"),
    ).toBe("linux");
    expect(
      platformOf(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      ),
    ).toBe("windows");
    expect(
      platformOf("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"),
    ).toBe("mac");
  });

  afterEach(() => vi.unstubAllGlobals());

  it("marks the document for the stylesheet", () => {
    vi.stubGlobal("navigator", { userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/131.0" });
    markPlatform(document);
    expect(document.documentElement.dataset.platform).toBe("windows");
    vi.stubGlobal("navigator", { userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15" });
    markPlatform(document);
    expect(document.documentElement.dataset.platform).toBe("linux");
  });
});
