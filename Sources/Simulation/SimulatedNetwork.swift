import SyncTesting

/// One batch on its way: over the network or on a USB stick, it is the same bytes.
struct Message {
    var deliverOnDay: Int
    var recipient: String
    var bytes: [UInt8]
    var label: String
    /// Carried as a file and imported from an inbox folder, rather than uploaded as bytes.
    var carriedOnStick: Bool
}

/// The batches in flight, with each office's partitions.
struct SimulatedNetwork {
    var inFlight: [Message] = []
    /// Office → first day it is reachable again.
    var partitionedUntil: [String: Int] = [:]

    var isEmpty: Bool { inFlight.isEmpty }

    mutating func send(_ message: Message) { inFlight.append(message) }

    /// Removes and returns the messages due by `day`, shuffled with the run's randomness.
    mutating func takeDue(by day: Int, using random: inout SeededGenerator) -> [Message] {
        let due = inFlight.filter { $0.deliverOnDay <= day }
        inFlight.removeAll { $0.deliverOnDay <= day }
        return due.shuffled(using: &random)
    }

    /// Healing: every delayed message becomes due now.
    mutating func releaseAll() {
        for index in inFlight.indices { inFlight[index].deliverOnDay = 0 }
    }

    func isPartitioned(_ office: String, on day: Int) -> Bool { (partitionedUntil[office] ?? 0) > day }
}
