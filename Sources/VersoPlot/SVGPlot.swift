// Small SVG line and scatter plots for the HTML reports: axes, nice ticks, log scale, legend, escaping.
import Foundation

/// Escapes text for SVG/HTML: corpus words can contain `<`, `&` or quotes.
public func escapeXML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}

public struct Series: Sendable {
    public enum Style: Sendable { case line, points }
    public var name: String
    public var points: [(x: Double, y: Double)]
    public var style: Style
    public var labels: [String]?  // one per point (scatter labels)
    public init(name: String, points: [(x: Double, y: Double)], style: Style = .line, labels: [String]? = nil) {
        self.name = name
        self.points = points
        self.style = style
        self.labels = labels
    }
}

public struct Axis: Sendable {
    public var label: String
    public var log: Bool
    public init(_ label: String, log: Bool = false) {
        self.label = label
        self.log = log
    }

    /// Maps a data value into [0, 1] of the axis range (log10 on a log axis).
    func transform(_ v: Double) -> Double { log ? log10(max(v, 1e-300)) : v }
}

public enum Ticks {
    /// "Nice" tick values (1, 2 or 5 × 10^k steps) covering [lo, hi], about `count` of them.
    public static func linear(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [lo] : [] }
        let raw = (hi - lo) / Double(max(count, 1))
        let e = Int(floor(log10(raw)))
        let mantissa = [1.0, 2, 5, 10].first { $0 * pow10(e) >= raw } ?? 10
        // Tick k is k·mantissa·10^e, computed from integers so 0.1 + 0.2 noise never shows.
        let step = mantissa * pow10(e)
        let first = Int((lo / step).rounded(.up)), last = Int((hi / step + 1e-9).rounded(.down))
        guard first <= last else { return [] }
        return (first...last).map { k in e < 0 ? Double(k) * mantissa / pow10(-e) : Double(k) * mantissa * pow10(e) }
    }

    /// Powers of ten within [lo, hi] (positive values); 2× and 5× them too when a range spans
    /// less than two decades, so a narrow log axis still gets labels.
    public static func logarithmic(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo > 0, hi >= lo else { return [] }
        let decades = (Int(floor(log10(lo)))...Int(ceil(log10(hi)))).map { $0 < 0 ? 1 / pow10(-$0) : pow10($0) }
        let inRange = { (v: Double) in v >= lo * 0.999 && v <= hi * 1.001 }
        let ticks = decades.filter(inRange)
        if ticks.count >= 2 { return ticks }
        return decades.flatMap { [$0, 2 * $0, 5 * $0] }.filter(inRange)
    }

    /// 10^e exactly for the integer exponents ticks use.
    static func pow10(_ e: Int) -> Double { pow(10, Double(e)) }

    public static func format(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 {
            let e = Int(floor(log10(a)))
            let m = v / pow(10, Double(e))
            return abs(m - 1) < 1e-9 ? "1e\(e)" : "\(trim(m))e\(e)"
        }
        return trim(v)
    }

    static func trim(_ v: Double) -> String {
        var s = String(Double((v * 1e6).rounded() / 1e6))
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}

public struct Plot: Sendable {
    public var title: String
    public var x: Axis, y: Axis
    public var series: [Series]
    public var marks: [(x: Double, label: String)] = []  // vertical markers (e.g. the best checkpoint)
    public var width = 640.0, height = 360.0
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    public init(title: String, x: Axis, y: Axis, series: [Series]) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
    }

    /// The plot as an inline `<svg>` element. An empty plot says so instead of drawing axes.
    public func svg() -> String {
        let left = 64.0, right = 16.0, top = 28.0, bottom = 44.0
        let w = width - left - right, h = height - top - bottom
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" "
            + "style=\"max-width:\(Int(width))px;height:auto\" font-family=\"sans-serif\" font-size=\"11\">"
        out +=
            "<text x=\"\(Int(width / 2))\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">\(escapeXML(title))</text>"
        let usable = series.map { s in
            s.points.filter { p in p.x.isFinite && p.y.isFinite && (!x.log || p.x > 0) && (!y.log || p.y > 0) }
        }
        let all = usable.flatMap { $0 }
        guard !all.isEmpty else {
            return out
                + "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\""
                + " text-anchor=\"middle\" fill=\"#888\">no data</text></svg>"
        }
        var (x0, x1) = (all.map { x.transform($0.x) }.min()!, all.map { x.transform($0.x) }.max()!)
        var (y0, y1) = (all.map { y.transform($0.y) }.min()!, all.map { y.transform($0.y) }.max()!)
        if x1 == x0 {
            x0 -= 0.5
            x1 += 0.5
        }
        if y1 == y0 {
            y0 -= 0.5
            y1 += 0.5
        }
        let px = { (v: Double) -> Double in left + (self.x.transform(v) - x0) / (x1 - x0) * w }
        let py = { (v: Double) -> Double in top + h - (self.y.transform(v) - y0) / (y1 - y0) * h }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        out +=
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\""
            + " height=\"\(f(h))\" fill=\"none\" stroke=\"#444\"/>"
        let xt = x.log ? Ticks.logarithmic(pow(10, x0), pow(10, x1)) : Ticks.linear(x0, x1)
        let yt = y.log ? Ticks.logarithmic(pow(10, y0), pow(10, y1)) : Ticks.linear(y0, y1)
        for t in xt {
            out +=
                "<line x1=\"\(f(px(t)))\" y1=\"\(f(top + h))\" x2=\"\(f(px(t)))\""
                + " y2=\"\(f(top + h + 4))\" stroke=\"#444\"/>"
            out += "<text x=\"\(f(px(t)))\" y=\"\(f(top + h + 16))\" text-anchor=\"middle\">\(Ticks.format(t))</text>"
        }
        for t in yt {
            out +=
                "<line x1=\"\(f(left - 4))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + w))\""
                + " y2=\"\(f(py(t)))\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(Ticks.format(t))</text>"
        }
        out +=
            "<text x=\"\(f(left + w / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(escapeXML(x.label))</text>"
        out +=
            "<text transform=\"translate(14 \(f(top + h / 2))) rotate(-90)\""
            + " text-anchor=\"middle\">\(escapeXML(y.label))</text>"
        for m in marks where m.x.isFinite {
            out +=
                "<line x1=\"\(f(px(m.x)))\" y1=\"\(f(top))\" x2=\"\(f(px(m.x)))\""
                + " y2=\"\(f(top + h))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"
            let leftwards = px(m.x) > left + w - 120  // a late mark's label reads leftwards, inside the plot
            out +=
                "<text x=\"\(f(px(m.x) + (leftwards ? -3 : 3)))\" y=\"\(f(top + h - 6))\" fill=\"#666\""
                + (leftwards ? " text-anchor=\"end\">" : ">") + "\(escapeXML(m.label))</text>"
        }
        for (k, s) in series.enumerated() {
            let color = Plot.palette[k % Plot.palette.count], pts = usable[k]
            switch s.style {
            case .line where pts.count > 1:
                out +=
                    "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\""
                    + pts.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ") + "\"/>"
            default:
                for (i, p) in s.points.enumerated() where p.x.isFinite && p.y.isFinite {
                    out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"\(color)\"/>"
                    if let labels = s.labels, i < labels.count {
                        // Labels near the right edge read leftwards, so they stay inside the plot.
                        let leftwards = px(p.x) > left + w - 90
                        let anchor = leftwards ? " text-anchor=\"end\"" : ""
                        out +=
                            "<text x=\"\(f(px(p.x) + (leftwards ? -4 : 4)))\""
                            + " y=\"\(f(py(p.y) - 3))\" font-size=\"10\"\(anchor)>"
                            + "\(escapeXML(labels[i]))</text>"
                    }
                }
            }
            // Legend
            out +=
                "<rect x=\"\(f(left + w - 150))\" y=\"\(f(top + 6 + Double(k) * 14))\""
                + " width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            out += "<text x=\"\(f(left + w - 136))\" y=\"\(f(top + 15 + Double(k) * 14))\">\(escapeXML(s.name))</text>"
        }
        return out + "</svg>"
    }
}
