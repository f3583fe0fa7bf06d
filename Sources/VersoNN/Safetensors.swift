// The safetensors file format: 8 bytes of header length, a JSON header, then every tensor's bytes.
import Foundation

/// A safetensors file that cannot be read, in one line.
public struct SafetensorsError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A safetensors file in memory (https://github.com/huggingface/safetensors): a little-endian
/// UInt64 N, N bytes of a JSON object naming each tensor's dtype, shape and byte range, an optional
/// `__metadata__` object of strings, then the byte buffer the ranges point into. Reading checks
/// what the reference implementation checks: the ranges tile the buffer exactly (no holes, no
/// overlaps) and each matches its shape and dtype.
public struct Safetensors: Sendable {
    public enum DType: String, Sendable {
        case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64", i32 = "I32"
        public var size: Int {
            switch self {
            case .f64, .i64: 8
            case .f32, .i32: 4
            case .f16, .bf16: 2
            }
        }
    }

    public struct Entry: Sendable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        let bytes: Range<Int>  // within the buffer after the header
        public var count: Int { shape.reduce(1, *) }
    }

    /// The reference implementation's limit on the header; a longer one is refused before parsing.
    public static let maxHeaderBytes = 100_000_000

    public var metadata: [String: String]
    /// The tensors in the order of their bytes.
    public let entries: [Entry]
    private let buffer: Data

    // MARK: Reading

    /// Reads a file; errors leave the path to the caller, who names it.
    public init(contentsOf path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw SafetensorsError("no such file")
        }
        guard !isFolder.boolValue else { throw SafetensorsError("is a directory, not a safetensors file") }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw SafetensorsError("cannot be read")
        }
        try self.init(data: data)
    }

    public init(data: Data) throws {
        guard data.count >= 8 else { throw SafetensorsError("too short for a safetensors file (\(data.count) bytes)") }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(Self.maxHeaderBytes) else { throw SafetensorsError("header of \(n) bytes is absurd") }
        guard n <= UInt64(data.count - 8) else {
            throw SafetensorsError("header of \(n) bytes runs past the end of the file (\(data.count) bytes)")
        }
        let header = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + Int(n)))
        guard header.first == UInt8(ascii: "{"),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any]
        else { throw SafetensorsError("the header is not a JSON object") }
        buffer = data.subdata(in: (data.startIndex + 8 + Int(n))..<data.endIndex)
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw SafetensorsError("__metadata__ is not an object of strings")
                }
                metadata = strings
                continue
            }
            entries.append(try Self.entry(name, value, bufferBytes: buffer.count))
        }
        entries.sort { $0.bytes.lowerBound < $1.bytes.lowerBound }
        var end = 0
        for entry in entries {
            guard entry.bytes.lowerBound == end else {
                throw SafetensorsError(
                    "tensor \(entry.name) starts at byte \(entry.bytes.lowerBound) of the data, expected \(end) "
                        + "(the tensors must cover it without holes or overlaps)")
            }
            end = entry.bytes.upperBound
        }
        guard end == buffer.count else {
            throw SafetensorsError("the tensors cover \(end) of the data's \(buffer.count) bytes")
        }
        self.metadata = metadata
        self.entries = entries
    }

    private static func entry(_ name: String, _ value: Any, bufferBytes: Int) throws -> Entry {
        guard let fields = value as? [String: Any], let dtypeName = fields["dtype"] as? String,
            let shapeValues = fields["shape"] as? [Any], let offsetValues = fields["data_offsets"] as? [Any]
        else { throw SafetensorsError("tensor \(name): needs dtype, shape and data_offsets") }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw SafetensorsError("tensor \(name): dtype \(dtypeName) is not one of F64, F32, F16, BF16, I64, I32")
        }
        let shape = shapeValues.compactMap { ($0 as? NSNumber).flatMap(Self.integer) }
        guard shape.count == shapeValues.count, shape.allSatisfy({ $0 >= 0 }), shape.count <= 8 else {
            throw SafetensorsError("tensor \(name): shape is not a list of at most 8 sizes")
        }
        let offsets = offsetValues.compactMap { ($0 as? NSNumber).flatMap(Self.integer) }
        guard offsets.count == 2, offsetValues.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1],
            offsets[1] <= bufferBytes
        else { throw SafetensorsError("tensor \(name): data_offsets are not a range within the data") }
        // The element count cannot overflow: every size is bounded by the data's bytes first.
        var count = 1
        for size in shape {
            guard size == 0 || count <= bufferBytes / size else {
                throw SafetensorsError("tensor \(name): shape \(shape) is larger than the file")
            }
            count *= size
        }
        guard count * dtype.size == offsets[1] - offsets[0] else {
            throw SafetensorsError(
                "tensor \(name): shape \(shape) of \(dtype.rawValue) needs \(count * dtype.size) bytes, "
                    + "data_offsets give \(offsets[1] - offsets[0])")
        }
        return Entry(name: name, dtype: dtype, shape: shape, bytes: offsets[0]..<offsets[1])
    }

    /// An exact non-negative integer (JSON numbers arrive as NSNumber, fractions too).
    private static func integer(_ number: NSNumber) -> Int? {
        let value = number.doubleValue
        guard value >= 0, value < 9e15, value == value.rounded() else { return nil }
        return Int(value)
    }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// The values of a floating-point tensor as Float (F64 rounded, F16 and BF16 widened).
    public func floats(_ entry: Entry) throws -> [Float] {
        switch entry.dtype {
        case .f32: words(entry, UInt32.self).map { Float(bitPattern: $0) }
        case .f64: words(entry, UInt64.self).map { Float(Double(bitPattern: $0)) }
        case .f16: words(entry, UInt16.self).map { Float(Float16(bitPattern: $0)) }
        case .bf16: words(entry, UInt16.self).map { Float(bitPattern: UInt32($0) << 16) }
        case .i64, .i32:
            throw SafetensorsError("tensor \(entry.name) holds integers (\(entry.dtype.rawValue)), not weights")
        }
    }

    /// The values of an integer tensor.
    public func integers(_ entry: Entry) throws -> [Int64] {
        switch entry.dtype {
        case .i64: words(entry, UInt64.self).map { Int64(bitPattern: $0) }
        case .i32: words(entry, UInt32.self).map { Int64(Int32(bitPattern: $0)) }
        default: throw SafetensorsError("tensor \(entry.name) holds \(entry.dtype.rawValue), not integers")
        }
    }

    /// The tensor's elements as little-endian words of `type`'s width, read unaligned.
    private func words<Word: FixedWidthInteger>(_ entry: Entry, _ type: Word.Type) -> [Word] {
        buffer.withUnsafeBytes { raw in
            let base = raw.baseAddress.map { $0 + entry.bytes.lowerBound }
            return (0..<entry.count).map {
                Word(littleEndian: base!.loadUnaligned(fromByteOffset: $0 * MemoryLayout<Word>.size, as: Word.self))
            }
        }
    }

    // MARK: Writing

    /// One tensor to write: F32 values in row-major order.
    public struct Tensor: Sendable {
        public let name: String
        public let shape: [Int]
        public let values: [Float]
        public init(name: String, shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "tensor \(name): shape and values disagree")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The file's bytes: the header lists the metadata (keys sorted) and then the tensors in the
    /// given order, padded with spaces to a multiple of 8 bytes as the reference implementation
    /// does; the same input always gives the same bytes.
    public static func encode(_ tensors: [Tensor], metadata: [String: String]) -> Data {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(json($0)):\(json(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for tensor in tensors {
            let end = offset + 4 * tensor.values.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(
                "\(json(tensor.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for tensor in tensors {
            let words = tensor.values.map { $0.bitPattern.littleEndian }
            words.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// A JSON string literal, escaped by Foundation's encoder (which cannot fail on a string).
    static func json(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(text), as: UTF8.self)
    }
}
