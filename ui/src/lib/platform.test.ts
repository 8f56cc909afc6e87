import { afterEach, describe, expect, it, vi } from "vitest";
import { fontStack, markPlatform, platformOf } from "./platform";

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

  it("puts each platform's own Chinese fonts first", () => {
    expect(fontStack("windows")).toBe(
      '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", system-ui, sans-serif',
    );
    expect(fontStack("linux")).toBe(
      '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", system-ui, sans-serif',
    );
  });

  it("names only the installed fonts once the shell has said which are", () => {
    const installed = ["AR PL UMing CN", "WenQuanYi Micro Hei", "WenQuanYi Micro Hei Mono"];
    expect(fontStack("linux", installed)).toBe('"WenQuanYi Micro Hei", system-ui, sans-serif');
    // None of the stack's families: the system's own sans-serif, never a font it did not choose.
    expect(fontStack("linux", ["AR PL UMing CN"])).toBe("system-ui, sans-serif");

    vi.stubGlobal("navigator", { userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15" });
    markPlatform(document, installed);
    expect(document.documentElement.style.getPropertyValue("--ui-font")).toBe(
      '"WenQuanYi Micro Hei", system-ui, sans-serif',
    );
    markPlatform(document);
    expect(document.documentElement.style.getPropertyValue("--ui-font")).toBe(fontStack("linux"));
  });
});
