// A text cut into the documents that document vectors are trained on: the whole text, its paragraphs, its lines.

/// What one document is: a whole file, a paragraph (lines up to a blank line), or a line.
public enum DocumentUnit: String, Sendable, CaseIterable, Codable {
    case file, paragraph, line

    /// The units of `text` that hold something other than white space, in order, each with the
    /// byte offset and length (UTF-8) of its text in `text`. A paragraph ends at a line holding
    /// only white space; its own lines keep their line ends inside it.
    public func split(_ text: String) -> [(offset: Int, length: Int)] {
        let bytes = Array(text.utf8)
        var units: [(offset: Int, length: Int)] = []
        func add(_ start: Int, _ end: Int) {
            var s = start, e = end
            while s < e && Self.isSpace(bytes[s]) { s += 1 }
            while e > s && Self.isSpace(bytes[e - 1]) { e -= 1 }
            if e > s { units.append((s, e - s)) }
        }
        switch self {
        case .file:
            add(0, bytes.count)
        case .line, .paragraph:
            var start = 0, lineStart = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
                let blank = (lineStart..<i).allSatisfy { Self.isSpace(bytes[$0]) }
                if self == .line {
                    add(lineStart, i)
                } else if blank {
                    add(start, lineStart)
                    start = i + 1
                }
                lineStart = i + 1
            }
            if self == .paragraph { add(start, bytes.count) }
        }
        return units
    }

    /// ASCII white space and the line ends: what a blank line may hold.
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
