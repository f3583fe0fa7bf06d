// The point-wise part of one time step of the LSTM, GRU and tanh RNN cells, forward and backward side by side.
import Foundation

/// Which recurrent cell a layer uses; `gates` is how many H-wide blocks its pre-activations have.
public enum CellKind: String, Codable, Sendable, CaseIterable {
    case lstm, gru, rnn
    public var gates: Int {
        switch self {
        case .lstm: 4
        case .gru: 3
        case .rnn: 1
        }
    }
}

// Every function here works on B rows at once. `a` holds the input part of the pre-activations,
// x·Wx + b (B×G·H); `hu` holds the recurrent part, h_prev·Wh (B×G·H). The matrix products live
// in RecurrentLayer; only element-wise math is here, so each backward sits next to its forward.

// MARK: - LSTM (gates i, f, o, g; Hochreiter & Schmidhuber 1997, forget gate of Gers et al. 2000)

enum LSTMCell {
    /// z = a + hu; i,f,o = σ(z_i,f,o), g = tanh(z_g); c = f⊙c_prev + i⊙g; h = o⊙tanh(c).
    /// Overwrites `a` with the activations [i, f, o, g] for the backward pass.
    @inline(__always)
    static func forward(
        a: UnsafeMutablePointer<Float>, hu: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, tc: UnsafeMutablePointer<Float>,
        h: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int
    ) {
        Kernels.add(hu, into: a, batch * 4 * H)
        for r in 0..<batch {
            let z = a + r * 4 * H, o = r * H
            FastMath.sigmoid(z, z, 3 * H)  // i, f, o are contiguous
            FastMath.tanh(z + 3 * H, z + 3 * H, H)  // g
            for j in 0..<H { c[o + j] = z[H + j] * cPrev[o + j] + z[j] * z[3 * H + j] }
        }
        FastMath.tanh(c, tc, batch * H)
        for r in 0..<batch {
            let og = a + r * 4 * H + 2 * H, o = r * H
            for j in 0..<H { h[o + j] = og[j] * tc[o + j] }
        }
    }

    /// Given dh (from above and from t+1) and dc (from t+1, updated in place to dc_prev):
    /// dc += dh⊙o⊙(1−tanh²c); do = dh⊙tanh c; di = dc⊙g; dg = dc⊙i; df = dc⊙c_prev; dc_prev = dc⊙f;
    /// dz = [di⊙i(1−i), df⊙f(1−f), do⊙o(1−o), dg⊙(1−g²)] into `dz` (B×4H).
    @inline(__always)
    static func backward(
        dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>, act: UnsafePointer<Float>,
        cPrev: UnsafePointer<Float>, tc: UnsafePointer<Float>, dz: UnsafeMutablePointer<Float>,
        batch: Int, hidden H: Int
    ) {
        for r in 0..<batch {
            let s = act + r * 4 * H, d = dz + r * 4 * H, o = r * H
            for j in 0..<H {
                let i = s[j], f = s[H + j], og = s[2 * H + j], g = s[3 * H + j], t = tc[o + j]
                let dct = dc[o + j] + dh[o + j] * og * (1 - t * t)
                let dO = dh[o + j] * t
                d[j] = dct * g * i * (1 - i)
                d[H + j] = dct * cPrev[o + j] * f * (1 - f)
                d[2 * H + j] = dO * og * (1 - og)
                d[3 * H + j] = dct * i * (1 - g * g)
                dc[o + j] = dct * f
            }
        }
    }
}

// MARK: - GRU (gates r, u, n; Cho et al. 2014)

enum GRUCell {
    /// r = σ(a_r + hu_r); u = σ(a_u + hu_u); n = tanh(a_n + r⊙hu_n); h = (1−u)⊙n + u⊙h_prev.
    /// Overwrites `a` with [r, u, n]; `hu` (whose n part the backward needs) is kept.
    @inline(__always)
    static func forward(
        a: UnsafeMutablePointer<Float>, hu: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
        h: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int
    ) {
        for row in 0..<batch {
            let z = a + row * 3 * H, w = hu + row * 3 * H, o = row * H
            Kernels.add(w, into: z, 2 * H)
            FastMath.sigmoid(z, z, 2 * H)  // r, u
            for j in 0..<H { z[2 * H + j] += z[j] * w[2 * H + j] }
            FastMath.tanh(z + 2 * H, z + 2 * H, H)  // n
            for j in 0..<H {
                let u = z[H + j]
                h[o + j] = (1 - u) * z[2 * H + j] + u * hPrev[o + j]
            }
        }
    }

    /// dn = dh⊙(1−u); du = dh⊙(h_prev − n); dan = dn⊙(1−n²); dr = dan⊙hu_n;
    /// d(a) = [dr⊙r(1−r), du⊙u(1−u), dan]; d(hu) = [same r, same u, dan⊙r];
    /// the direct path dh⊙u into `dhPrev` (the layer adds d(hu)·Whᵀ).
    @inline(__always)
    static func backward(
        dh: UnsafePointer<Float>, act: UnsafePointer<Float>, hu: UnsafePointer<Float>,
        hPrev: UnsafePointer<Float>, da: UnsafeMutablePointer<Float>, dhu: UnsafeMutablePointer<Float>,
        dhPrev: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int
    ) {
        for row in 0..<batch {
            let s = act + row * 3 * H, w = hu + row * 3 * H
            let d = da + row * 3 * H, e = dhu + row * 3 * H, o = row * H
            for j in 0..<H {
                let r = s[j], u = s[H + j], n = s[2 * H + j], g = dh[o + j]
                let dan = g * (1 - u) * (1 - n * n)
                let dar = dan * w[2 * H + j] * r * (1 - r)
                let dau = g * (hPrev[o + j] - n) * u * (1 - u)
                d[j] = dar
                d[H + j] = dau
                d[2 * H + j] = dan
                e[j] = dar
                e[H + j] = dau
                e[2 * H + j] = dan * r
                dhPrev[o + j] = g * u
            }
        }
    }
}

// MARK: - Vanilla tanh RNN (Elman 1990)

enum RNNCell {
    /// h = tanh(a + hu); also written into `a` for the backward pass.
    @inline(__always)
    static func forward(
        a: UnsafeMutablePointer<Float>, hu: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>,
        batch: Int, hidden H: Int
    ) {
        Kernels.add(hu, into: a, batch * H)
        FastMath.tanh(a, a, batch * H)
        h.update(from: a, count: batch * H)
    }

    /// dz = dh⊙(1−h²).
    @inline(__always)
    static func backward(
        dh: UnsafePointer<Float>, act: UnsafePointer<Float>, dz: UnsafeMutablePointer<Float>,
        batch: Int, hidden H: Int
    ) {
        for k in 0..<(batch * H) {
            let h = act[k]
            dz[k] = dh[k] * (1 - h * h)
        }
    }
}
