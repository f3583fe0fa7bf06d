// Contiguous float32 storage, the flat parameter set every optimiser works on, and element-wise kernels.
import Foundation

/// A zero-initialised, fixed-size Float buffer owned by a class, so hot loops use raw pointers.
public final class FloatBuffer: @unchecked Sendable {
    public let p: UnsafeMutablePointer<Float>
    public let count: Int
    public init(_ count: Int) {
        self.count = count
        p = .allocate(capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
    }
    deinit { p.deallocate() }
    public func zero() { p.update(repeating: 0, count: count) }
    public var array: [Float] { Array(UnsafeBufferPointer(start: p, count: count)) }
    public func load(_ values: [Float]) {
        precondition(values.count == count, "expected \(count) values, got \(values.count)")
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: count) }
    }
}

/// Every parameter of a network in one flat buffer (and its gradient in another of the same
/// layout), so optimisers, clipping and checkpoints treat the model as one vector.
public final class ParameterSet: @unchecked Sendable {
    public struct Slice: Sendable {
        public let name: String
        public let offset: Int
        public let shape: [Int]
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var slices: [Slice] = []
    public private(set) var values = FloatBuffer(0)
    public private(set) var grads = FloatBuffer(0)
    public var count: Int { values.count }

    public init() {}

    /// Reserves a named tensor; call `allocate()` once all are declared.
    public func declare(_ name: String, _ shape: [Int]) -> Int {
        let offset = slices.last.map { $0.offset + $0.count } ?? 0
        slices.append(Slice(name: name, offset: offset, shape: shape))
        return offset
    }

    /// Allocates the values (or shares `sharedValues`, for data-parallel replicas that read the
    /// same weights and write their own gradients) and the gradients.
    public func allocate(sharing sharedValues: FloatBuffer? = nil) {
        let total = slices.last.map { $0.offset + $0.count } ?? 0
        precondition(sharedValues.map { $0.count == total } ?? true, "shared values have the wrong size")
        values = sharedValues ?? FloatBuffer(total)
        grads = FloatBuffer(total)
    }

    public func slice(_ name: String) -> Slice? { slices.first { $0.name == name } }
    public func value(_ offset: Int) -> UnsafeMutablePointer<Float> { values.p + offset }
    public func grad(_ offset: Int) -> UnsafeMutablePointer<Float> { grads.p + offset }
}

// MARK: Element-wise kernels

public enum Kernels {
    /// y += x over n floats.
    @inline(__always) public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] += x[i] }
    }
    /// x *= s over n floats.
    @inline(__always) public static func scale(_ x: UnsafeMutablePointer<Float>, _ n: Int, by s: Float) {
        for i in 0..<n { x[i] *= s }
    }
    /// dst (columns × rows) = srcᵀ, src row-major rows × columns; in 32 × 32 tiles, so both sides
    /// are read and written a cache line at a time.
    public static func transpose(
        _ src: UnsafePointer<Float>, rows: Int, columns: Int, into dst: UnsafeMutablePointer<Float>
    ) {
        let tile = 32
        for r0 in stride(from: 0, to: rows, by: tile) {
            for c0 in stride(from: 0, to: columns, by: tile) {
                for r in r0..<min(r0 + tile, rows) {
                    for c in c0..<min(c0 + tile, columns) { dst[c * rows + r] = src[r * columns + c] }
                }
            }
        }
    }
    /// Adds row vector `v` (n) to each of `rows` rows of `m` (rows × n).
    @inline(__always) public static func addRow(
        _ v: UnsafePointer<Float>, to m: UnsafeMutablePointer<Float>, rows: Int, _ n: Int
    ) {
        for r in 0..<rows {
            let row = m + r * n
            for j in 0..<n { row[j] += v[j] }
        }
    }
    /// acc (n) += sum of the rows of m (rows × n).
    @inline(__always) public static func sumRows(
        _ m: UnsafePointer<Float>, rows: Int, _ n: Int, into acc: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = m + r * n
            for j in 0..<n { acc[j] += row[j] }
        }
    }
}
