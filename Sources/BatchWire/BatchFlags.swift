/// The flags of a batch header (byte 13; PROTOCOL.md §3.1 and §8.8).
///
/// Release 1 called the byte "reserved" and refused anything but 0 there; release 2 gives bit 0 a meaning. Every
/// other bit stays refused, so a flag a later release adds is never silently ignored by this one.
public struct BatchFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The sender was restored from a backup (or rebuilt) and asks the recipient, the hub, to send back what it
    /// holds of the sender beyond the sender's restored state (PROTOCOL.md §8.8). The sender posts nothing until
    /// the answer has been applied.
    public static let resyncRequested = BatchFlags(rawValue: 1)

    /// Every flag this release knows.
    public static let known: BatchFlags = [.resyncRequested]

    /// The flags of `byte`, or `nil` when it has a bit this release does not know.
    public init?(known byte: UInt8) {
        guard byte & ~Self.known.rawValue == 0 else { return nil }
        self.rawValue = byte
    }
}
