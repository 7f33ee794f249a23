/// SplitMix64: a small deterministic generator for shuffles, workloads and the simulation, which must replay from a
/// seed on every platform (the standard library's generator is not reproducible). One generator for the tests and
/// the simulator.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with the given probability.
    public mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }

    /// 32 random bytes (a key seed).
    public mutating func bytes32() -> [UInt8] {
        (0..<4).flatMap { _ -> [UInt8] in
            let word = next()
            return (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) }
        }
    }
}
