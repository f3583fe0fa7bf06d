// Errors raised by the text layer, each a one-line message fit for a command-line error.
@_implementationOnly import CICU

public struct TextError: AdvisingError, Equatable, Sendable {
    public let message: String
    public let advice: SettingAdvice?
    public init(_ message: String, advice: SettingAdvice? = nil) {
        self.message = message
        self.advice = advice
    }
}

/// ICU reports failure as a positive `UErrorCode` (warnings are negative, success is zero);
/// `U_SUCCESS` is a macro Swift cannot import, hence the raw comparison.
@inline(__always)
func checkICU(_ status: UErrorCode, _ what: String) throws {
    if status.rawValue > 0 {
        throw TextError("\(what) failed: \(String(cString: verso_u_errorName(status)))")
    }
}

/// Calls an ICU "preflighting" function (one that writes into a caller buffer and reports the
/// length it needed), growing the buffer once when the first guess was too small.
func withICUBuffer(
    capacity guess: Int, _ what: String,
    _ body: (UnsafeMutablePointer<UInt16>, Int32, inout UErrorCode) -> Int32
) throws -> [UInt16] {
    var capacity = max(guess, 16)
    while true {
        var status = U_ZERO_ERROR
        var needed: Int32 = 0
        let out = [UInt16](unsafeUninitializedCapacity: capacity) { buf, count in
            needed = body(buf.baseAddress!, Int32(capacity), &status)
            count = status == U_BUFFER_OVERFLOW_ERROR ? 0 : Int(min(needed, Int32(capacity)))
        }
        if status == U_BUFFER_OVERFLOW_ERROR {
            capacity = Int(needed) + 1
            continue
        }
        try checkICU(status, what)
        return out
    }
}
