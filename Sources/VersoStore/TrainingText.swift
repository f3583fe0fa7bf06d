// The training text kept with a char-RNN or Markov model (zlib), so copy checks need no corpus file.
import CZlib
import Foundation

public enum TrainingText {
    static let artifactName = "training-text"
    static let mediaType = "text/plain; charset=utf-8; zlib"

    /// The text's UTF-8 length (8 bytes, little-endian), then its zlib stream.
    static func compress(_ text: String) throws -> Blob {
        let input = Array(text.utf8)
        var size = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: 8 + Int(size))
        withUnsafeBytes(of: UInt64(input.count).littleEndian) { output.replaceSubrange(0..<8, with: $0) }
        let status = output.withUnsafeMutableBufferPointer { out in
            compress2(out.baseAddress! + 8, &size, input, uLong(input.count), 6)
        }
        guard status == Z_OK else { throw StoreError("cannot compress the training text (zlib status \(status))") }
        return Blob(name: artifactName, dtype: mediaType, bytes: Array(output.prefix(8 + Int(size))))
    }

    static func decompress(_ bytes: [UInt8]) throws -> String {
        guard bytes.count >= 8 else { throw StoreError("the stored training text is truncated") }
        let length = bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length < 1 << 34 else { throw StoreError("the stored training text is corrupt") }
        var size = uLongf(length)
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = bytes.withUnsafeBufferPointer { b in
            output.withUnsafeMutableBufferPointer {
                uncompress($0.baseAddress, &size, b.baseAddress! + 8, uLong(b.count - 8))
            }
        }
        guard status == Z_OK, size == uLongf(length) else { throw StoreError("the stored training text is corrupt") }
        return String(decoding: output, as: UTF8.self)
    }
}

extension ModelReader {
    /// The text the model was trained on (its training split), or nil for a model trained
    /// before Verso kept it.
    public func trainingText(of model: StoredModel) throws -> String? {
        try artifact(TrainingText.artifactName, of: model).map(TrainingText.decompress)
    }
}
