import Foundation
import GRDB
import LedgerCore

/// Applies a state transition of an application, account request or payment, resolving concurrent transitions
/// with version vectors: the hub's transition wins, and the losing one is kept in `conflict` (DESIGN.md §2).
enum TransitionApplier {
    struct Document {
        var state: String
        var vector: VersionVector
        var stateByHub: Bool
    }

    static func apply(_ change: Change, in transaction: ReplicaTransaction) throws {
        let db = transaction.db
        let fields = FieldReader(change.fields, context: "transition \(change.key)")
        guard let kind = StatefulDocument(rawValue: try fields.text("doc_table")) else {
            throw LedgerRuleViolation.malformed("transition \(change.key) names a document kind that has no states")
        }
        let docID = try fields.text("doc_id"), from = try fields.text("from_state"), to = try fields.text("to_state")
        let byHub = try fields.integer("by_hub") == 1
        let basedOn = try vector(change.fields["based_on"])
        guard let document = try load(kind, docID, in: db) else {
            throw LedgerRuleViolation.malformed("transition \(change.key) is for \(kind.rawValue) \(docID), which does not exist here")
        }
        var newVector = document.vector
        for (origin, counter) in basedOn.counters { newVector.advance(origin, to: counter) }
        newVector.advance(change.id.origin, to: change.id.counter)
        let resolution = TransitionResolution.resolve(documentVector: document.vector, basedOn: basedOn, incomingByHub: byHub,
                                                      currentByHub: document.stateByHub)
        let previous = try String.fetchOne(db, sql: "SELECT id FROM transition WHERE doc_table = ? AND doc_id = ? ORDER BY rowid DESC LIMIT 1",
                                           arguments: [kind.rawValue, docID]) ?? "\(kind.rawValue) \(docID) as written"
        var state = document.state, stateByHub = document.stateByHub
        switch resolution {
        case .apply:
            guard from == document.state else {
                throw LedgerRuleViolation(.notPermitted("\(kind.rawValue) \(docID) is \(document.state), not \(from)"))
            }
            try kind.check(from: from, to: to, byHub: byHub)
            (state, stateByHub) = (to, byHub)
        case .winsConflict:
            try kind.check(from: from, to: to, byHub: byHub)
            try recordConflict(kind, docID, winner: change.id.description, loser: previous, loserState: document.state, kept: to, in: db)
            (state, stateByHub) = (to, byHub)
        case .losesConflict:
            try recordConflict(kind, docID, winner: previous, loser: change.id.description, loserState: to, kept: document.state, in: db)
        }
        try db.execute(sql: "UPDATE \(kind.rawValue) SET state = ?, vector = ?, state_by_hub = ? WHERE id = ?",
                       arguments: [state, FieldJSON.encode(vectorField(newVector)), stateByHub ? 1 : 0, docID])
        try db.execute(sql: """
            INSERT INTO transition (id, doc_table, doc_id, from_state, to_state, actor, reason, based_on, by_hub, signatures)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [change.key, kind.rawValue, docID, from, to, try fields.text("actor"), try fields.optionalText("reason"),
                             FieldJSON.encode(vectorField(basedOn)), byHub ? 1 : 0,
                             change.fields["signatures"].flatMap { $0 == .null ? nil : FieldJSON.encode($0) }])
    }

    static func load(_ kind: StatefulDocument, _ id: String, in db: Database) throws -> Document? {
        guard let row = try Row.fetchOne(db, sql: "SELECT state, vector, state_by_hub FROM \(kind.rawValue) WHERE id = ?",
                                         arguments: [id]) else { return nil }
        return Document(state: row["state"], vector: parseVector(row["vector"]), stateByHub: (row["state_by_hub"] as Int64) == 1)
    }

    static func recordConflict(_ kind: StatefulDocument, _ id: String, winner: String, loser: String, loserState: String,
                               kept: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO conflict (doc_table, doc_id, winner, loser, loser_state, kept_state) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [kind.rawValue, id, winner, loser, loserState, kept])
    }

    static func vector(_ value: FieldValue?) throws(LedgerRuleViolation) -> VersionVector {
        guard let record = value?.recordValue else { throw .malformed("a transition needs its based_on vector") }
        var vector = VersionVector()
        for (origin, counter) in record {
            guard let code = OrgCode(origin), let number = counter.integerValue else { throw .malformed("based_on is not a vector") }
            vector.advance(code, to: number)
        }
        return vector
    }

    static func vectorField(_ vector: VersionVector) -> FieldValue {
        .record(Dictionary(uniqueKeysWithValues: vector.sortedEntries.map { ($0.origin.rawValue, FieldValue.integer($0.counter)) }))
    }

    /// Reads the `{"origin": counter}` JSON the table stores.
    static func parseVector(_ json: String) -> VersionVector {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Int] else { return VersionVector() }
        var vector = VersionVector()
        for (origin, counter) in object { if let code = OrgCode(origin) { vector.advance(code, to: Int64(counter)) } }
        return vector
    }
}
