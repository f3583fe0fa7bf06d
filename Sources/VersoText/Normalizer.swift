// Unicode normalization for every model: NFC/NFKC, case folding and optional accent stripping (ICU).
@_implementationOnly import CICU

public struct Normalizer: @unchecked Sendable {  // ICU's normalizer instances are immutable singletons
    public enum Form: String, Sendable, CaseIterable { case nfc, nfkc }

    public struct Options: Sendable, Equatable {
        public var form: Form
        public var caseFold: Bool
        public var stripAccents: Bool
        public init(form: Form = .nfc, caseFold: Bool = false, stripAccents: Bool = false) {
            self.form = form
            self.caseFold = caseFold
            self.stripAccents = stripAccents
        }
    }

    public let options: Options
    private let composer: OpaquePointer  // NFC or NFKC
    private let decomposer: OpaquePointer  // NFD, for accent stripping

    public init(_ options: Options = Options()) throws {
        self.options = options
        var status = U_ZERO_ERROR
        let composer =
            options.form == .nfc
            ? verso_unorm2_getNFCInstance(&status)
            : verso_unorm2_getNFKCInstance(&status)
        try checkICU(status, "loading the \(options.form.rawValue.uppercased()) normalizer")
        let decomposer = verso_unorm2_getNFDInstance(&status)
        try checkICU(status, "loading the NFD normalizer")
        self.composer = composer!
        self.decomposer = decomposer!
    }

    // MARK: Strings

    public func normalize(_ text: String) throws -> String {
        if isASCII(text) {  // fast path: ASCII is already NFC/NFKC and has no marks
            return options.caseFold ? asciiLowercased(text) : text
        }
        let units = Array(text.utf16)
        let out = try normalize(utf16: units)
        return out == units ? text : String(decoding: out, as: UTF16.self)  // most text is already NFC
    }

    // MARK: UTF-16 pipeline: [NFD, drop marks] → [fold case] → NFC|NFKC

    public func normalize(utf16 input: [UInt16]) throws -> [UInt16] {
        var text = input
        if options.stripAccents { text = try dropNonspacingMarks(try run(decomposer, text, "NFD")) }
        if options.caseFold {
            let source = text
            text = try withICUBuffer(capacity: source.count + source.count / 4 + 8, "case folding") { out, cap, st in
                source.withUnsafeBufferPointer {
                    verso_u_strFoldCase(out, cap, $0.baseAddress, Int32($0.count), 0, &st)
                }
            }
        }
        return try run(composer, text, options.form.rawValue.uppercased())
    }

    private func run(_ normalizer: OpaquePointer, _ text: [UInt16], _ name: String) throws -> [UInt16] {
        if text.isEmpty { return text }
        let n = normalizer
        var status = U_ZERO_ERROR
        let already = text.withUnsafeBufferPointer {
            verso_unorm2_isNormalized(n, $0.baseAddress, Int32($0.count), &status)
        }
        if status.rawValue <= 0 && already != 0 { return text }
        return try withICUBuffer(capacity: text.count * 2 + 8, "\(name) normalization") { out, cap, st in
            text.withUnsafeBufferPointer { verso_unorm2_normalize(n, $0.baseAddress, Int32($0.count), out, cap, &st) }
        }
    }

    /// Accent stripping: after NFD an accent is a separate nonspacing mark (general category Mn).
    private func dropNonspacingMarks(_ text: [UInt16]) throws -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(text.count)
        for scalar in String(decoding: text, as: UTF16.self).unicodeScalars
        where verso_u_charType(UChar32(bitPattern: scalar.value)) != Int8(U_NON_SPACING_MARK.rawValue) {
            out.append(contentsOf: scalar.utf16)
        }
        return out
    }
}

// MARK: ASCII helpers

@inline(__always) func isASCII(_ s: String) -> Bool {
    var s = s
    return s.withUTF8 { buf in !buf.contains { $0 >= 0x80 } }
}

@inline(__always) func asciiLowercased(_ s: String) -> String {
    var s = s
    return s.withUTF8 { buf in
        String(unsafeUninitializedCapacity: buf.count) { out in
            for i in 0..<buf.count {
                let b = buf[i]
                out[i] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
            }
            return buf.count
        }
    }
}
