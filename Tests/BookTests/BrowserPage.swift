#if canImport(Glibc)
import Foundation

/// The browser's one tab, attached over the DevTools protocol (a flat session): open a page and
/// wait for its load event, run JavaScript in it, click and type as a person does (real mouse and
/// key events at the element's place on screen, so a hidden or covered control cannot be
/// clicked), size the window, and take screenshots.
final class BrowserPage {
    let browser: Chromium
    /// The protocol session of the tab.
    let session: String

    /// Attaches to the tab the browser opened (about:blank) and turns on the events that report
    /// problems (Runtime, Log) and loads (Page).
    init(_ browser: Chromium) throws {
        self.browser = browser
        let targets = try browser.send("Target.getTargets")["targetInfos"] as? [[String: Any]] ?? []
        guard let tab = targets.first(where: { $0["type"] as? String == "page" }), let id = tab["targetId"] as? String else {
            throw Chromium.Failure(description: "the browser has no page to attach to: \(targets.map { $0["type"] ?? "?" })")
        }
        guard let session = try browser.send("Target.attachToTarget", ["targetId": id, "flatten": true])["sessionId"] as? String else {
            throw Chromium.Failure(description: "Target.attachToTarget gave no session")
        }
        self.session = session
        for domain in ["Runtime", "Log", "Page"] { try send("\(domain).enable") }
    }

    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:]) throws -> [String: Any] {
        try browser.send(method, params, session: session)
    }

    /// Opens `url` and returns once its load event fired (its deferred scripts have run).
    func open(_ url: URL) throws {
        let before = browser.events.count
        let result = try send("Page.navigate", ["url": url.absoluteString])
        if let error = result["errorText"] as? String { throw Chromium.Failure(description: "cannot open \(url.path): \(error)") }
        try browser.waitForEvent("Page.loadEventFired", session: session, after: before)
    }

    /// The value of a JavaScript expression (JSON-like: numbers, strings, arrays, objects); a
    /// thrown exception fails with its message.
    @discardableResult
    func evaluate(_ expression: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        if let details = result["exceptionDetails"] as? [String: Any] {
            let exception = details["exception"] as? [String: Any]
            throw Chromium.Failure(description: "the page's script failed: \(exception?["description"] as? String ?? details["text"] as? String ?? "?")\nin: \(expression)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Lays the page out as a screen `width` × `height` CSS pixels would (`mobile`: as a phone,
    /// honouring the page's viewport meta tag).
    func setViewport(width: Int, height: Int, mobile: Bool) throws {
        try send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile])
    }

    /// Clicks the middle of the first element matching `selector` with the mouse, after scrolling
    /// it into view; fails if it is not shown or something else is on top of it.
    func click(_ selector: String) throws {
        let quoted = try jsString(selector)
        let point = try evaluate("""
            (() => {
              const e = document.querySelector(\(quoted));
              if (!e) { return "no element matches"; }
              e.scrollIntoView({block: "center"});
              const r = e.getBoundingClientRect();
              if (r.width <= 0 || r.height <= 0) { return "it is not shown (empty box)"; }
              const x = r.left + r.width / 2, y = r.top + r.height / 2;
              const top = document.elementFromPoint(x, y);
              if (!top || (top !== e && !e.contains(top))) { return "it is not what is under the mouse there (" + (top ? top.outerHTML.slice(0, 80) : "nothing") + ")"; }
              return [x, y];
            })()
            """)
        guard let xy = (point as? [Any])?.compactMap(Chromium.number), xy.count == 2 else {
            throw Chromium.Failure(description: "cannot click \(selector): \(point.map { "\($0)" } ?? "?")")
        }
        for type in ["mousePressed", "mouseReleased"] {
            try send("Input.dispatchMouseEvent", ["type": type, "x": xy[0], "y": xy[1], "button": "left", "clickCount": 1])
        }
    }

    /// Clicks a link (as `click`) and returns once the page it leads to has loaded.
    func follow(_ selector: String) throws {
        let before = browser.events.count
        try click(selector)
        try browser.waitForEvent("Page.loadEventFired", session: session, after: before)
    }

    /// Types `text` into the focused element, replacing what it holds, as a keyboard would.
    func type(_ text: String) throws {
        try evaluate("document.activeElement && document.activeElement.select ? document.activeElement.select() : null")
        try send("Input.insertText", ["text": text])
    }

    /// Presses and releases a key (`Enter`, `Tab`…) in the focused element.
    func press(_ key: String) throws {
        let codes = ["Enter": 13, "Tab": 9, "Escape": 27]
        var down: [String: Any] = ["type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": codes[key] ?? 0]
        if key == "Enter" { down["text"] = "\r" }
        try send("Input.dispatchKeyEvent", down)
        try send("Input.dispatchKeyEvent", ["type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": codes[key] ?? 0])
    }

    /// A PNG of the whole page (not only the window: up to `maxHeight` CSS pixels of it) written to
    /// `file`; returns the page's size in CSS pixels.
    @discardableResult
    func screenshot(to file: URL, maxHeight: Double = 12_000) throws -> (width: Double, height: Double) {
        let metrics = try send("Page.getLayoutMetrics")
        let size = metrics["cssContentSize"] as? [String: Any] ?? [:]
        let width = Chromium.number(size["width"]) ?? 0, height = min(Chromium.number(size["height"]) ?? 0, maxHeight)
        guard width > 0, height > 0 else { throw Chromium.Failure(description: "the page has no size to take a picture of: \(size)") }
        let shot = try send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true,
                                                       "clip": ["x": 0, "y": 0, "width": width, "height": height, "scale": 1]])
        guard let text = shot["data"] as? String, let png = Data(base64Encoded: text), png.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            throw Chromium.Failure(description: "Page.captureScreenshot gave no PNG")
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try png.write(to: file)
        return (width, height)
    }

    /// `text` as a JavaScript string literal.
    func jsString(_ text: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }
}
#endif
