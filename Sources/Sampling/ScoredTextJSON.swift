// A scored text as compact JSON written by hand: 2,000 characters' scores are 600 KB of JSON, and
// Foundation's encoder took three times as long to write them as the model took to compute them.

extension ScoredText {
    /// The document `JSONEncoder` writes with sorted keys, byte for byte in structure: the same
    /// keys, strings and numbers (a non-finite number as null, which the encoder would refuse).
    public var compactJSON: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + symbols.count * 320)
        out.append(contentsOf: #"{"bits_per_char":"#.utf8)
        Self.number(bitsPerChar, into: &out)
        out.append(contentsOf: #","chars":"#.utf8)
        out.append(contentsOf: String(chars).utf8)
        out.append(contentsOf: #","model":"#.utf8)
        Self.string(model, into: &out)
        out.append(contentsOf: #","symbols":["#.utf8)
        for (k, s) in symbols.enumerated() {
            out.append(contentsOf: (k == 0 ? #"{"bits":"# : #",{"bits":"#).utf8)
            Self.number(s.bits, into: &out)
            out.append(contentsOf: #","expected":["#.utf8)
            for (j, e) in s.expected.enumerated() {
                out.append(contentsOf: (j == 0 ? #"{"probability":"# : #",{"probability":"#).utf8)
                Self.number(e.probability, into: &out)
                out.append(contentsOf: #","symbol":"#.utf8)
                Self.string(e.symbol, into: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: #"],"symbol":"#.utf8)
            Self.string(s.symbol, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// Swift's shortest round-tripping form ("0.25", "1e-05"), which JSON reads back exactly.
    static func number(_ x: Double, into out: inout [UInt8]) {
        guard x.isFinite else { return out.append(contentsOf: "null".utf8) }
        if x == x.rounded(), abs(x) < 1e15 { return out.append(contentsOf: String(Int64(x)).utf8) }
        out.append(contentsOf: x.description.utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
