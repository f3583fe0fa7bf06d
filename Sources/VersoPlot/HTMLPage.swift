// The scaffolding of Verso's self-contained HTML reports: no scripts, no external resources.
public enum HTMLPage {
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
