// The SVG plot module: tick placement, log-scale mapping, escaping, empty series.
import Testing
@testable import VersoPlot

@Suite struct SVGPlotTests {
    @Test func linearTicksAreNiceAndCoverTheRange() {
        #expect(Ticks.linear(0, 10) == [0, 2, 4, 6, 8, 10])
        #expect(Ticks.linear(0.13, 0.96) == [0.2, 0.4, 0.6, 0.8])
        #expect(Ticks.linear(-3, 3, count: 6) == [-3, -2, -1, 0, 1, 2, 3])
        #expect(Ticks.linear(5, 5) == [5])
    }

    @Test func logTicksArePowersOfTen() {
        #expect(Ticks.logarithmic(0.003, 250) == [0.01, 0.1, 1, 10, 100])
        #expect(Ticks.logarithmic(-1, 10) == [])
        #expect(Ticks.logarithmic(0.0006, 0.004) == [0.001, 0.002])  // one decade: 2× and 5× ticks join in
        #expect(Ticks.format(1e-6) == "1e-6")
        #expect(Ticks.format(0.25) == "0.25")
    }

    @Test func logAxisMapsDecadesEvenly() {
        var plot = Plot(
            title: "t", x: Axis("x"), y: Axis("y", log: true),
            series: [Series(name: "s", points: [(0, 1), (1, 10), (2, 100)], style: .points)])
        plot.width = 100 + 80
        plot.height = 100 + 72  // a 100×100 plotting area
        let svg = plot.svg()
        // y = 1, 10, 100 land at the bottom, middle and top of the area: 128, 78, 28.
        #expect(svg.contains("cy=\"128.0\"") && svg.contains("cy=\"78.0\"") && svg.contains("cy=\"28.0\""))
    }

    @Test func labelsAreEscaped() {
        let plot = Plot(
            title: "a < b & c", x: Axis("\"x\""), y: Axis("y"),
            series: [Series(name: "<script>", points: [(0, 0), (1, 1)], style: .points, labels: ["&amp", "'q'"])])
        let svg = plot.svg()
        #expect(svg.contains("a &lt; b &amp; c"))
        #expect(svg.contains("&lt;script&gt;"))
        #expect(svg.contains("&amp;amp") && svg.contains("&#39;q&#39;") && svg.contains("&quot;x&quot;"))
        #expect(!svg.contains("<script>"))
    }

    @Test func emptySeriesSaysNoData() {
        let svg = Plot(
            title: "empty", x: Axis("x"), y: Axis("y", log: true),
            series: [Series(name: "s", points: []), Series(name: "neg", points: [(1, -5)])]
        ).svg()
        #expect(svg.contains("no data"))
        #expect(!svg.contains("polyline"))
    }

    /// A plot scales to its column (viewBox, width 100%), and scatter labels stay inside it.
    @Test func plotsScaleAndKeepLabelsInside() throws {
        var plot = Plot(
            title: "map", x: Axis("x"), y: Axis("y"),
            series: [Series(name: "words", points: [(0, 0), (1, 1)], style: .points, labels: ["left", "rightmost"])])
        plot.width = 400
        plot.height = 300
        let svg = plot.svg()
        #expect(svg.contains("viewBox=\"0 0 400 300\"") && svg.contains("width=\"100%\""))
        let rightmost = try #require(svg.range(of: "text-anchor=\"end\">rightmost"))
        #expect(!svg[..<rightmost.lowerBound].contains("text-anchor=\"end\">left<"))
    }
}
