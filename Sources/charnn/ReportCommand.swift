// `charnn report NAME --out FILE.html`: a self-contained page of a char-RNN's training, drawn from the store.
import ArgumentParser
import CharRNN
import Sampling
import Foundation
import VersoCLI
import VersoPlot
import VersoStore
import VersoText

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write an HTML report (inline SVG plots) of a char-RNN's training.",
        discussion: "Example: charnn report poetry --out poetry.html")
    @Argument(help: "Model name.") var name: String
    @Option(help: "The HTML file to write.") var out: String
    @Option(help: "Seed for the samples.") var seed = "The "
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openForReading()
        let model = try CharModelStore.load(store: store, name: name, label: .best)
        let (metrics, compare) = try store.read { reader in
            (try reader.metrics(of: model.record), try reader.artifact("compare.json", of: model.record))
        }
        let series = metrics.mapValues { points in points.map { (x: Double($0.step), y: $0.value) } }
        func s(_ key: String, _ label: String? = nil) -> Series {
            Series(name: label ?? key, points: series[key] ?? [])
        }
        let layers = Set(
            series.keys.compactMap { $0.split(separator: ".").first.map(String.init) }.filter {
                $0.hasPrefix("layer") || $0 == "decoder"
            }
        ).sorted()

        var loss = Plot(
            title: "Loss (nats/char)", x: Axis("step"), y: Axis("nats/char"),
            series: [s("train_loss", "train"), s("val_loss", "validation")])
        loss.marks = [(Double(model.checkpoint.step), "best (step \(model.checkpoint.step))")]
        let plots = [
            loss,
            Plot(title: "Learning rate", x: Axis("step"), y: Axis("lr"), series: [s("lr")]),
            Plot(title: "Throughput", x: Axis("step"), y: Axis("chars/s"), series: [s("chars_per_s", "chars/s")]),
            Plot(
                title: "Gradient standard deviation per layer (log)", x: Axis("step"), y: Axis("std", log: true),
                series: layers.map { s("\($0).grad_std", $0) }),
            Plot(
                title: "Gradient |mean| per layer (log)", x: Axis("step"), y: Axis("|mean|", log: true),
                series: layers.map { l in
                    Series(name: l, points: (series["\(l).grad_mean"] ?? []).map { ($0.x, abs($0.y)) })
                }),
            Plot(
                title: "Weight standard deviation per layer", x: Axis("step"), y: Axis("std"),
                series: layers.map { s("\($0).weight_std", $0) }),
            Plot(
                title: "Weight mean per layer", x: Axis("step"), y: Axis("mean"),
                series: layers.map { s("\($0).weight_mean", $0) }),
        ]
        var samples = ""
        let pipeline = try CharacterPipeline()
        var settings = SamplingSettings()
        settings.temperatures = [0.2, 0.5, 0.8, 1.0]
        settings.seed = seed
        settings.length = 400
        for r in try SampleLoop.run(model, settings: settings, pipeline: pipeline) {
            samples += "<h3>temperature \(r.temperature)</h3><pre>\(escapeXML(r.text))</pre>"
        }
        var html = HTMLPage.header(title: "char-RNN \(model.record.name)")
        let corpus = escapeXML(model.record.corpus.path)
        html += "<p>Corpus <code>\(corpus)</code>; best checkpoint at step \(model.checkpoint.step)"
        html +=
            model.checkpoint.valLoss.map {
                String(format: ", validation loss %.4f nats/char (%.4f bits/char)", $0, $0 / log(2))
            } ?? ""
        html += ".</p>" + HTMLPage.plots(plots)
        html += HTMLPage.configuration(json: model.record.configJSON)
        html += "<h2>Samples from the best checkpoint (seed “\(escapeXML(seed))”)</h2>" + samples
        if let validation = CharModelStore.validationIDs(of: model), validation.ids.count > 1 {
            html += InsideReport.section(model: model, ids: validation.ids, source: validation.source)
        } else {
            html += "<h2>Surprisal and cells</h2><p>Not drawn: the validation text is no longer where the model"
            html += " trained on it (\(corpus)).</p>"
        }
        if let compare, !compare.isEmpty {
            html += "<h2>charnn compare</h2>" + Report.table(json: compare)
        }
        try OutputFile.write(html + "</body></html>\n", to: out)
        print("wrote \(out)")
    }
}

/// Pieces of the char-RNN report page.
enum Report {
    /// An HTML table from a JSON array of flat objects.
    static func table(json bytes: [UInt8]) -> String {
        guard let rows = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [[String: Any]], !rows.isEmpty
        else { return "" }
        // Every row's keys: JSON leaves a row's missing values out (the reference row has no score).
        let names: Set<String> = Set(rows.flatMap { Array($0.keys) })
        let keys: [String] = ["model"] + names.subtracting(["model"]).sorted()
        func cell(_ v: Any?) -> String {
            switch v {
            case let d as Double: return String(format: "%.4g", d)
            case let s as String: return escapeXML(s)
            case nil, is NSNull: return "-"
            default: return escapeXML("\(v!)")
            }
        }
        let header = keys.map { "<th>\(escapeXML($0))</th>" }.joined()
        let body = rows.map { row in "<tr>" + keys.map { "<td>\(cell(row[$0]))</td>" }.joined() + "</tr>" }
        return "<table><tr>" + header + "</tr>" + body.joined() + "</table>"
    }
}
