/// The rules a person's signature on a document must pass at the hub (PROTOCOL.md §14.5), each a stable code that
/// travels in the rejection notice. A refused document names the rule it broke, so a clerk, an auditor and a program
/// all read the same reason.
public enum SignatureRule: String, Hashable, Sendable, CaseIterable {
    /// The `signatures` field is not a list of well-formed signature records (§14.2).
    case malformed = "signature-malformed"
    /// A person the document names (preparer, reviewer, approver, actor) has not signed it in that role.
    case missing = "signature-missing"
    /// A signature for a role the document names nobody in, or for another person than the one it names.
    case unexpected = "signature-unexpected"
    /// The office has signed documents before (it announced personal keys, §14.6), or the hub has closed the
    /// compatibility window (`unsigned_documents` = `refused`): an unsigned document is refused.
    case unsignedAfterUpgrade = "unsigned-after-upgrade"
    /// No certificate with this key id binds this staff id in the registry.
    case signerUnknown = "signer-unknown"
    /// The certificate was issued in a registry version after the one the signature names: the signer's office
    /// could not have known the key.
    case keyNotYetCertified = "key-not-yet-certified"
    /// The key was revoked in a registry version the signer's office had already applied.
    case keyRevoked = "key-revoked"
    /// The document is dated after the certificate's last valid day.
    case keyExpired = "key-expired"
    /// The signature does not verify with the certified public key over the document's canonical bytes (§14.3).
    case invalid = "signature-invalid"
    /// The signer is certified at a unit whose documents the origin office does not write.
    case signerOfOtherUnit = "signer-of-other-unit"
    /// The signer's certified posts do not allow the role (an approver needs an approving post, §6.6).
    case signerLacksPost = "signer-lacks-post"
    /// The registry version named is older than one the office had already acknowledged to the hub.
    case registryVersionStale = "registry-version-stale"
    /// The registry version named is newer than any the hub has written.
    case registryVersionAhead = "registry-version-ahead"
}
