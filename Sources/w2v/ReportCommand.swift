// `w2v report NAME --out FILE.html`: vocabulary, training progress, neighbours and a 2-D PCA map.
import ArgumentParser
import Foundation
import VersoCLI
import VersoPlot
import VersoStore
import VersoText
import Word2Vec

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write an HTML report (inline SVG) of a word2vec model.",
        discussion: """
            Examples:
              w2v report biblia-rv1909 --out vectors.html --probe rey --probe mujer
              w2v report novelas --shift biblia-rv1909 --out vectors.html   (adds the words that moved)
            """)
    @Argument(help: "Model name.") var name: String
    @Option(help: "A second model: adds the shared words whose meaning moved most from the first to it.")
    var shift: String?
    @Option(help: "The HTML file to write.") var out: String
    @Option(help: "Probe words: their neighbours are listed and mapped.") var probe: [String] = []
    @Option(help: "How many of the most frequent words to map.") var top = 150
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openForReading()
        let m = try W2VModelStore.load(store: store, name: name)
        let e = m.embeddings
        let words = try QueryWords(config: m.config)
        let probes = try (probe.isEmpty ? Array(e.words.prefix(3)) : probe).map { try words.normalize($0) }
        let metrics = try store.read { try $0.metrics(of: m.record) }
        let progress = (metrics["alpha"] ?? [], metrics["words_per_s"] ?? [])
        // Count histogram: how many words have each count (log-log).
        var histogram: [Int: Int] = [:]
        for c in e.counts { histogram[c, default: 0] += 1 }
        let plots = [
            Plot(
                title: "Word counts (log-log)", x: Axis("count", log: true),
                y: Axis("words with that count", log: true),
                series: [
                    Series(
                        name: "words", points: histogram.keys.sorted().map { (Double($0), Double(histogram[$0]!)) },
                        style: .points)
                ]),
            Plot(
                title: "Learning rate against progress", x: Axis("% of training"), y: Axis("alpha"),
                series: [Series(name: "alpha", points: progress.0.map { (Double($0.step), $0.value) })]),
            Plot(
                title: "Throughput against progress", x: Axis("% of training"), y: Axis("words/s"),
                series: [Series(name: "words/s", points: progress.1.map { (Double($0.step), $0.value) })]),
        ]
        var neighbours = ""
        var mapIDs = Array(0..<min(top, e.count))
        var probeSeries: [(String, [Int])] = []
        for p in probes {
            guard let pid = e.id(p) else {
                neighbours += "<p>‘\(escapeXML(p))’ is not in the vocabulary.</p>"
                continue
            }
            let near = try e.nearest(positive: [p], negative: [], n: 10)
            neighbours +=
                "<h3>\(escapeXML(p))</h3><p>"
                + near.map { "\(escapeXML($0.word)) (\(String(format: "%.3f", $0.score)))" }.joined(separator: ", ")
                + "</p>"
            let ids = [Int(pid)] + near.compactMap { e.id($0.word).map(Int.init) }
            probeSeries.append((p, ids))
            mapIDs += ids
        }
        var seen = Set<Int>()
        let unique = mapIDs.filter { seen.insert($0).inserted }
        let rows = unique.map { i in Array(UnsafeBufferPointer(start: e.normalized.p + i * e.dim, count: e.dim)) }
        let xy = Dictionary(uniqueKeysWithValues: zip(unique, PCA.project2D(rows)))
        var series = [
            Series(
                name: "top \(min(top, e.count)) words", points: (0..<min(top, e.count)).map { xy[$0]! }, style: .points,
                labels: (0..<min(top, e.count)).map { e.words[$0] })
        ]
        for (p, ids) in probeSeries {
            series.append(
                Series(name: "near \(p)", points: ids.map { xy[$0]! }, style: .points, labels: ids.map { e.words[$0] }))
        }
        var map = Plot(title: "PCA of word vectors", x: Axis("PC 1"), y: Axis("PC 2"), series: series)
        map.width = 1300
        map.height = 900
        var html = HTMLPage.header(title: "word2vec \(m.record.name)")
        let corpus = escapeXML(m.record.corpus.path)
        html += "<p>\(e.count) words, \(m.config.dim) dimensions, corpus <code>\(corpus)</code>.</p>"
        html += HTMLPage.plots(plots)
        html += "<h2>Nearest neighbours</h2>" + neighbours + map.svg()
        if let shift {
            var settings = ShiftSettings()
            settings.n = 30
            html += shiftSection(try SemanticShift.compare(store: store, a: name, b: shift, settings: settings))
        }
        html += HTMLPage.configuration(json: m.record.configJSON) + "</body></html>\n"
        try OutputFile.write(html, to: out)
        print("wrote \(out)")
    }
}

/// The words that moved most, as a table: cosine after alignment, neighbour overlap, and both
/// neighbour lists, a neighbour both lists share in bold.
func shiftSection(_ report: ShiftReport) -> String {
    func list(_ words: [Neighbour], other: [Neighbour]) -> String {
        let shared = Set(other.map(\.word))
        return words.map { shared.contains($0.word) ? "<b>\(escapeXML($0.word))</b>" : escapeXML($0.word) }
            .joined(separator: " ")
    }
    let rows = report.words.map { w in
        "<tr><th>\(escapeXML(w.word))</th><td>\(String(format: "%.3f", w.cosine))</td>"
            + "<td>\(String(format: "%.2f", w.overlap))</td>"
            + "<td style=\"text-align:left\">\(list(w.neighboursA, other: w.neighboursB))</td>"
            + "<td style=\"text-align:left\">\(list(w.neighboursB, other: w.neighboursA))</td></tr>"
    }
    let (a, b) = (escapeXML(report.a), escapeXML(report.b))
    return """
        <h2>Words that moved from \(a) to \(b)</h2>
        <p>\(b) rotated onto \(a) (orthogonal Procrustes) on their \(report.anchors) most frequent shared words, \
        whose mean cosine is then \(String(format: "%.3f", report.anchorCosine)); of the \(report.compared) shared \
        words each corpus counted often enough, these have the lowest cosine between their two vectors. A neighbour \
        both lists share is in bold.</p>
        <div class="wide"><table><tr><th>word</th><th>cosine</th><th>overlap</th>\
        <th style="text-align:left">neighbours in \(a)</th><th style="text-align:left">neighbours in \(b)</th></tr>\
        \(rows.joined())</table></div>
        """
}
