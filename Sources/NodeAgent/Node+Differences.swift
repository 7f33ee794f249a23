import Foundation
import LedgerCore
import ReplicaStore

extension Node {
    /// Explains a difference notice from the hub; the explanation travels up and marks the hub's finding explained.
    /// The notice shows as explained because its explanation exists (`ReplicaStore.documents`), not by rewriting it.
    @discardableResult
    public func explain(notice: String, text: String, date: BusinessDate, signatures: DocumentSignatures) throws -> String {
        try write { transaction, books in
            guard try transaction.document(.differenceNotice, notice)?["org"]?.textValue == org.rawValue else {
                throw NodeError(.notFound, "difference notice \(notice) is not addressed to \(org)")
            }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw NodeError(.invalidValue, "the explanation is empty") }
            let id = try books.nextID("X")
            try books.write(.explanation, id: id, date: date, fields: [
                "org": .text(org.rawValue), "notice": .text(notice), "text": .text(text),
            ], signatures: signatures, requireReviewer: false)
            return id
        }
    }
}
