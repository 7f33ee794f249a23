/// Which FundSync release this code is, for `fundsync --version`, the compatibility rule of PROTOCOL.md and the
/// frozen fixtures under `Protocol/vectors/compat/<release>/`.
///
/// Release 1 is the first version (commit c2c87b4, batch format versions 1 and 2). Release 2 is this round's work:
/// the wire and the schema change, so an office at release 2 must still read what an office at release 1 writes.
public enum FundSyncRelease {
    /// The release number: increased whenever the wire or the schema changes.
    public static let number = 2
    /// The release as people read it.
    public static let version = "2.0.0-dev"
    /// The oldest release whose batch files and data folders this release still reads.
    public static let oldestReadable = 1
}
