// How much memory the machine gives this process, and refusing work that could not fit in it.
import Foundation

public struct MemoryError: Error, CustomStringConvertible {
    public let description: String
}

public enum SystemMemory {
    /// Physical memory, or the cgroup's limit when a container sets a lower one.
    public static var bytes: Double {
        let physical = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        let limit = (try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8))
            .flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return min(physical, limit ?? .infinity)
    }

    /// Throws, before anything is allocated, when `needed` bytes exceed what the machine has:
    /// an allocation that size would abort the process instead of failing.
    public static func require(_ needed: Double, for what: String) throws {
        let available = bytes
        guard needed <= available else {
            throw MemoryError(
                description: "\(what) needs about \(format(needed)) of memory; "
                    + "this machine has \(format(available))")
        }
    }

    /// 1.9e12 → "1.9 TB"; sizes as people read them.
    public static func format(_ bytes: Double) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f %@", value, units[unit])
    }
}

extension NetworkConfig {
    /// Floats in the weights, computed without allocating them.
    public var parameterCount: Double {
        let gates = Double(cell.gates * hidden)
        var count = Double(hidden + 1) * Double(vocabSize)  // decoder W and b
        for layer in 0..<layers {
            let input = Double(layer == 0 ? vocabSize : hidden)
            count += (input + Double(hidden) + 1) * gates
        }
        return count
    }

    /// Bytes training needs: weights, their gradients and two optimiser moments, one more set of
    /// gradients per extra replica, and the T·B-row workspace of activations and their gradients.
    public func trainingBytes(steps: Int, batch: Int, replicas: Int) -> Double {
        let rows = Double(steps) * Double(batch)
        let gates = Double(cell.gates * hidden)
        let perLayer = rows * (4 * gates + 6 * Double(hidden))
        let workspace = Double(layers) * perLayer + rows * Double(vocabSize + hidden + vocabSize)
        return 4 * (parameterCount * Double(3 + max(replicas, 1)) + workspace)
    }
}
