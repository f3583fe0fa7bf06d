// XCTest half of the suite: every tool's --help names its subcommands and shows examples.
import XCTest

final class HelpXCTests: XCTestCase {
    func testEveryToolDocumentsItsSubcommandsWithExamples() throws {
        let expected = [
            "charnn": ["train", "sample", "eval", "compare", "report", "models"],
            "w2v": [
                "train", "nearest", "analogy", "similarity", "doesnt-match", "eval", "export", "import", "report",
                "models",
            ],
            "markov": ["train", "sample", "eval", "models"],
        ]
        for (tool, subcommands) in expected {
            let r = try runTool(tool, ["--help"])
            XCTAssertEqual(r.status, 0, tool)
            XCTAssertTrue(r.out.contains("Examples:"), "\(tool) --help shows no examples")
            for sub in subcommands { XCTAssertTrue(r.out.contains("  \(sub)"), "\(tool) --help does not list \(sub)") }
        }
    }

    func testSampleHelpDocumentsBothSeedForms() throws {
        let r = try runTool("charnn", ["sample", "--help"])
        XCTAssertTrue(r.out.contains("charnn sample --temp 0.6 --seed \"The sea\""))
        XCTAssertTrue(r.out.contains("charnn sample --temp 0.6 --seed\n"))
    }
}
