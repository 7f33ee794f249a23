/// Who prepared (填制), reviewed (复核) and approved (审批) a document. Segregation of duties (DOMAIN.md §6):
/// the same person may not fill two of these roles on one document.
public struct DocumentSignatures: Hashable, Sendable {
    public var preparer: String
    public var reviewer: String?
    public var approver: String?

    public init(preparer: String, reviewer: String? = nil, approver: String? = nil) {
        self.preparer = preparer
        self.reviewer = reviewer
        self.approver = approver
    }

    /// Checks that the preparer is named and nobody signs twice.
    /// - Parameter requireReviewer: documents that need an independent review before they count.
    public func validate(requireReviewer: Bool) throws(LedgerRuleViolation) {
        guard !preparer.trimmingSpaces().isEmpty else { throw .malformed("the preparer is missing") }
        if requireReviewer, (reviewer ?? "").trimmingSpaces().isEmpty {
            throw .malformed("the reviewer is missing: this document needs an independent review")
        }
        let names = [preparer, reviewer, approver].compactMap { $0 }.filter { !$0.isEmpty }
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw LedgerRuleViolation(.segregationOfDuties(person: repeated))
        }
    }

    public var fields: [String: FieldValue] {
        ["preparer": .text(preparer), "reviewer": reviewer.map(FieldValue.text) ?? .null,
         "approver": approver.map(FieldValue.text) ?? .null]
    }

    public init(fields reader: FieldReader) throws(LedgerRuleViolation) {
        self.init(preparer: try reader.optionalText("preparer") ?? "", reviewer: try reader.optionalText("reviewer"),
                  approver: try reader.optionalText("approver"))
    }
}
