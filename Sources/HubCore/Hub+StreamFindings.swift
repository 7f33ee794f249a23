import ReplicaStore

extension Hub {
    /// Facts the hub booked against its own controls, so that no office's stream stopped (issue 9), oldest first.
    public func streamFindings() throws -> [StreamFinding] { try storage.streamFindings() }
}
