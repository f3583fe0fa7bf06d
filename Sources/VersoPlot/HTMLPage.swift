// The scaffolding of Verso's self-contained HTML reports: no scripts, no external resources.
import Foundation

public enum HTMLPage {
    /// A model's JSON configuration as a section, one key a line (a one-line JSON has nowhere to
    /// wrap and runs off the page).
    public static func configuration(json: String) -> String {
        var pretty = json
        if let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        {
            pretty = String(decoding: data, as: UTF8.self)
        }
        return "<h2>Configuration</h2><pre>\(escapeXML(pretty))</pre>"
    }

    /// Plots side by side, as many as the window fits (one on a phone), each scaled to its column.
    public static func plots(_ plots: [Plot]) -> String {
        "<div class=\"plots\">" + plots.map { $0.svg() }.joined(separator: "\n") + "</div>"
    }

    public static func header(title: String) -> String {
        """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(escapeXML(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font-family:sans-serif;max-width:1340px;margin:1em auto;padding:0 12px}
        svg{display:block;border:1px solid #eee;box-sizing:border-box}
        .plots{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr));gap:12px}
        pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}table{border-collapse:collapse}
        .wide{overflow-x:auto}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}</style></head>
        <body><h1>\(escapeXML(title))</h1>
        """
    }
}
