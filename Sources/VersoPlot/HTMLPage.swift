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

    public static func header(title: String) -> String {
        """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(escapeXML(title))</title>
        <style>body{font-family:sans-serif;max-width:1340px;margin:1em auto}svg{margin:6px;border:1px solid #eee}
        pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}table{border-collapse:collapse}
        td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}</style></head>
        <body><h1>\(escapeXML(title))</h1>
        """
    }
}
