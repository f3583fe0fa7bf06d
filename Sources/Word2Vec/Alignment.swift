// Two trainings in one space: model B rotated onto model A by orthogonal Procrustes on their shared words.
import Foundation
import VersoNN
import VersoStore

/// B's rotation into A's space (Hamilton, Leskovec & Jurafsky 2016, "Diachronic word embeddings"):
/// the orthogonal R minimising Σ |b_w R − a_w|² over the anchor words w, unit rows of both models.
/// A rotation keeps every cosine inside B, so B's own neighbours do not change; only its
/// coordinates become comparable with A's.
public struct Alignment: Sendable {
    /// How many of the most frequent shared words fit the rotation, unless told otherwise.
    public static let defaultAnchors = 10_000

    public let dim: Int
    public let rotation: [Float]  // d × d, row-major: a row vector of B times R lies in A's space
    public let anchors: Int
    /// The anchors' mean cosine between A's row and B's, before and after the rotation.
    public let meanCosineBefore: Double
    public let meanCosineAfter: Double

    /// The words both models know, as (id in A, id in B), most frequent first: by the larger of the
    /// word's two frequency ranks (a vocabulary is stored most frequent first).
    /// (A word → id table of its own: `Embeddings.index` is built lazily, and a server shares them.)
    public static func sharedWords(_ a: Embeddings, _ b: Embeddings) -> [(a: Int32, b: Int32)] {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(a.count)
        for (i, word) in a.words.enumerated() where ids[word] == nil { ids[word] = Int32(i) }
        var pairs: [(a: Int32, b: Int32)] = []
        for (i, word) in b.words.enumerated() {
            if let j = ids[word] { pairs.append((j, Int32(i))) }
        }
        return pairs.sorted { max($0.a, $0.b) != max($1.a, $1.b) ? max($0.a, $0.b) < max($1.a, $1.b) : $0.a < $1.a }
    }

    /// Fits B's rotation onto A on their `anchors` most frequent shared words (`shared`, when the
    /// caller has them already: `sharedWords(a, b)`).
    public static func fit(
        _ b: Embeddings, onto a: Embeddings, anchors: Int = defaultAnchors, shared: [(a: Int32, b: Int32)]? = nil
    ) throws -> Alignment {
        guard a.dim == b.dim else {
            throw QueryError(description: "the models have \(a.dim) and \(b.dim) dimensions: only equal ones align")
        }
        guard anchors >= 2 else { throw QueryError(description: "the anchor count (\(anchors)) must be at least 2") }
        let pairs = Array((shared ?? sharedWords(a, b)).prefix(anchors))
        guard pairs.count >= 2 else {
            throw QueryError(description: "the models share \(pairs.count) word(s): alignment needs at least 2")
        }
        let d = a.dim, k = pairs.count
        var x = [Float](repeating: 0, count: k * d), y = x  // B's anchor rows, A's
        for (i, pair) in pairs.enumerated() {
            for j in 0..<d {
                x[i * d + j] = b.row(pair.b)[j]
                y[i * d + j] = a.row(pair.a)[j]
            }
        }
        var cross = [Float](repeating: 0, count: d * d)  // Xᵀ Y, d × d
        BLAS.sgemm(transA: true, m: d, n: d, k: k, a: x, lda: d, b: y, ldb: d, c: &cross, ldc: d)
        let rotation = LinearAlgebra.procrustes(cross: cross.map(Double.init), n: d).map(Float.init)
        let rotated = rotate(x, rows: k, dim: d, by: rotation)
        func meanCosine(_ rows: [Float]) -> Double {
            var sum = 0.0
            rows.withUnsafeBufferPointer { r in
                y.withUnsafeBufferPointer { t in
                    for i in 0..<k { sum += Double(dot(r.baseAddress! + i * d, t.baseAddress! + i * d, d)) }
                }
            }
            return sum / Double(k)
        }
        return Alignment(
            dim: d, rotation: rotation, anchors: k, meanCosineBefore: meanCosine(x),
            meanCosineAfter: meanCosine(rotated))
    }

    /// rows (count × d) · R.
    public func rotate(_ rows: [Float], count: Int) -> [Float] {
        Alignment.rotate(rows, rows: count, dim: dim, by: rotation)
    }

    static func rotate(_ rows: [Float], rows count: Int, dim d: Int, by rotation: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: count * d)
        BLAS.sgemm(m: count, n: d, k: d, a: rows, lda: d, b: rotation, ldb: d, c: &out, ldc: d)
        return out
    }
}

extension Embeddings {
    /// These embeddings with every row rotated by `alignment` (still unit length: R is orthogonal).
    public func rotated(by alignment: Alignment) -> Embeddings {
        let unit = alignment.rotate(Array(UnsafeBufferPointer(start: normalized.p, count: count * dim)), count: count)
        let buffer = FloatBuffer(unit.count)
        buffer.load(unit)
        return Embeddings(words: words, counts: counts, dim: dim, normalized: buffer)
    }
}
