import BankStatements
import Foundation

/// Reads a bank's pain.002 (CustomerPaymentStatusReport), versions 001.001.03 to 001.001.12: the message it answers,
/// the status of the whole message and of each group, and each instruction's status by its end-to-end id, with the
/// bank's reasons.
///
/// The file is outside data: it is read with the same guarded XML reader as the statements (no DOCTYPE or entities,
/// bounded depth and element count, valid UTF-8, at most ``fileBytesMax``), every instruction must name its
/// end-to-end id and a status it or its group gives, and an unknown status code is refused rather than guessed.
public enum Pain002Reader {
    /// Bytes of a status report: a few thousand instructions' statuses.
    public static let fileBytesMax = 32 * 1024 * 1024

    /// - Throws: ``PaymentMessageError`` (`unreadable`) with the element and line.
    public static func read(_ data: Data) throws(PaymentMessageError) -> PaymentStatusReport {
        guard !data.isEmpty, data.count <= fileBytesMax else {
            throw PaymentMessageError(.unreadable("a status report is 1 byte to \(fileBytesMax) bytes; this one is \(data.count)"))
        }
        let root: XMLElementNode
        do {
            root = try XMLElementTree.parse(data)
        } catch {
            throw PaymentMessageError(.unreadable(error.reason), line: error.line)
        }
        guard root.name == "Document", root.namespace.hasPrefix("urn:iso:std:iso:20022:tech:xsd:pain.002.001."),
              let report = root.child("CstmrPmtStsRpt") else {
            throw PaymentMessageError(.unreadable("this is not a pain.002 payment status report (root \(root.name) in \(root.namespace.isEmpty ? "no namespace" : root.namespace))"),
                                      line: root.line)
        }
        func required(_ node: XMLElementNode, _ path: [String], at place: String) throws(PaymentMessageError) -> XMLElementNode {
            var current = node
            for name in path {
                guard let next = current.child(name) else {
                    throw PaymentMessageError(.unreadable("\(place)/\(path.joined(separator: "/")) is missing"), line: current.line)
                }
                current = next
            }
            return current
        }
        func status(_ node: XMLElementNode?, _ name: String, at place: String) throws(PaymentMessageError) -> (PaymentStatus, String)? {
            guard let element = node?.child(name) else { return nil }
            let code = element.trimmedText
            guard let status = PaymentStatus(isoCode: code) else {
                throw PaymentMessageError(.unreadable("\(place)/\(name) '\(code)' is not a payment status this reader knows"), line: element.line)
            }
            return (status, code)
        }
        let messageID = try required(report, ["GrpHdr", "MsgId"], at: "CstmrPmtStsRpt").trimmedText
        let original = try required(report, ["OrgnlGrpInfAndSts"], at: "CstmrPmtStsRpt")
        let originalMessageID = try required(original, ["OrgnlMsgId"], at: "OrgnlGrpInfAndSts").trimmedText
        let group = try status(original, "GrpSts", at: "OrgnlGrpInfAndSts")
        var groups: [String: PaymentStatus] = [:]
        var instructions: [InstructionStatus] = []
        var seen = Set<String>()
        for paymentGroup in report.children where paymentGroup.name == "OrgnlPmtInfAndSts" {
            let groupID = try required(paymentGroup, ["OrgnlPmtInfId"], at: "OrgnlPmtInfAndSts").trimmedText
            let groupStatus = try status(paymentGroup, "PmtInfSts", at: "OrgnlPmtInfAndSts")
            if let groupStatus { groups[groupID] = groupStatus.0 }
            for transaction in paymentGroup.children where transaction.name == "TxInfAndSts" {
                guard let endToEnd = transaction.child("OrgnlEndToEndId")?.trimmedText, !endToEnd.isEmpty, endToEnd != "NOTPROVIDED" else {
                    throw PaymentMessageError(.unreadable("TxInfAndSts names no OrgnlEndToEndId: FundSync matches answers by it, never by amount"),
                                              line: transaction.line)
                }
                guard let (code, isoCode) = try status(transaction, "TxSts", at: "TxInfAndSts") ?? groupStatus ?? group else {
                    throw PaymentMessageError(.unreadable("TxInfAndSts of \(endToEnd) has no status, nor has its group or message"),
                                              line: transaction.line)
                }
                guard seen.insert(endToEnd).inserted else {
                    throw PaymentMessageError(.unreadable("the report gives \(endToEnd) twice"), line: transaction.line)
                }
                instructions.append(InstructionStatus(endToEndID: endToEnd, status: code, isoCode: isoCode,
                                                      reasons: reasons(transaction), line: transaction.line))
            }
        }
        return PaymentStatusReport(messageID: messageID, originalMessageID: originalMessageID, groupStatus: group?.0,
                                   groupReasons: reasons(original), paymentGroupStatus: groups, instructions: instructions)
    }

    /// `StsRsnInf/Rsn/Cd` (or `Prtry`) and its `AddtlInf` lines.
    static func reasons(_ node: XMLElementNode) -> [PaymentStatusReason] {
        node.children.filter { $0.name == "StsRsnInf" }.map { info in
            let reason = info.child("Rsn")
            let code = reason?.child("Cd")?.trimmedText ?? reason?.child("Prtry")?.trimmedText ?? ""
            let text = info.children.filter { $0.name == "AddtlInf" }.map(\.trimmedText).joined(separator: " ")
            return PaymentStatusReason(code: code, text: text)
        }
    }
}
