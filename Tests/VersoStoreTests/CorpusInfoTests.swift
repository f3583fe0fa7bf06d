// What the store records of a corpus: every member with its SHA-256, skipped ones with the reason.
import Foundation
import Testing
import VersoText
@testable import VersoStore

@Suite struct CorpusInfoTests {
    func scratch(_ files: [String: [UInt8]]) throws -> String {
        let dir = NSTemporaryDirectory() + "verso-corpus-info-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return dir
    }

    /// `sha256sum`'s answer, from the coreutils tool itself.
    func sha256sum(_ path: String) throws -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: out, as: UTF8.self).prefix(64))
    }

    @Test func everyMemberIsRecordedWithItsSHA256AndKeptByTheStore() throws {
        let dir = try scratch([
            "a.txt": Array("uno\n".utf8), "b.txt": Array("dos\n".utf8), "c.txt": [0x61, 0xFF, 0x0A],
        ])
        let corpus = try Corpus(hashing: [dir + "/b.txt", dir], lenient: true)
        try corpus.reader().forEachLine { _ in }
        let info = try CorpusInfo(read: corpus)
        #expect(info.members.map(\.path) == ["b", "a", "b", "c"].map { "\(dir)/\($0).txt" })
        for member in info.members { #expect(member.sha256 == (try sha256sum(member.path))) }
        #expect(info.members.map { $0.skipped != nil } == [false, false, false, true])
        #expect(info.bytes == 12)  // the files read; the skipped one is not part of the text
        let listing = info.members.prefix(3).map { "\($0.sha256)  \($0.path)\n" }.joined()
        let listingFile = try scratch(["listing": Array(listing.utf8)]) + "/listing"
        #expect(info.sha256 == (try sha256sum(listingFile)))
        #expect(info.path == "\(dir)/b.txt + \(dir)")

        let one = try Corpus(hashing: [dir + "/a.txt"])
        try one.reader().forEachLine { _ in }
        #expect(try CorpusInfo(read: one).sha256 == (try sha256sum(dir + "/a.txt")))

        let store = try Store(path: temporaryStorePath())
        var model = try newModel("m", .markov)
        model.corpus = info
        try store.createModel(model, contents: ModelContents(), replacing: false)
        let back = try store.read { try $0.model(named: "m", kind: .markov) }.corpus
        #expect(back == info)
        #expect(back.memberPaths == info.members.prefix(3).map(\.path))
    }

    /// Members read without a digest (a corpus made without one) are hashed from their files.
    @Test func membersReadWithoutADigestAreHashedAfterwards() throws {
        let dir = try scratch(["a.txt": Array("uno\n".utf8)])
        let corpus = try Corpus([dir])
        try corpus.reader().forEachLine { _ in }
        #expect(try CorpusInfo(read: corpus).members.first?.sha256 == (try sha256sum(dir + "/a.txt")))
    }
}
