import BankStatements
import Foundation
import LedgerCore

/// Reads a pain.001 (001.001.03 to .09 and later) back into a ``PaymentMessage``: what a bank (the simulated one, 7/7
/// item 3) takes in, and what an auditor's check of a sent message reads. The same guarded XML reader as every bank
/// file; amounts exactly, in their currency's digits; control sums checked.
public enum Pain001Reader {
    /// - Throws: ``PaymentMessageError`` with the element and line.
    public static func read(_ data: Data) throws(PaymentMessageError) -> (message: PaymentMessage, version: String) {
        guard !data.isEmpty, data.count <= Pain002Reader.fileBytesMax else {
            throw PaymentMessageError(.unreadable("a payment message is 1 byte to \(Pain002Reader.fileBytesMax) bytes; this one is \(data.count)"))
        }
        let root: XMLElementNode
        do {
            root = try XMLElementTree.parse(data)
        } catch {
            throw PaymentMessageError(.unreadable(error.reason), line: error.line)
        }
        let prefix = "urn:iso:std:iso:20022:tech:xsd:"
        guard root.name == "Document", root.namespace.hasPrefix(prefix + "pain.001.001."), let initiation = root.child("CstmrCdtTrfInitn") else {
            throw PaymentMessageError(.unreadable("this is not a pain.001 credit transfer initiation"), line: root.line)
        }
        func text(_ node: XMLElementNode, _ path: String...) throws(PaymentMessageError) -> String {
            var current = node
            for name in path {
                guard let next = current.child(name) else {
                    throw PaymentMessageError(.unreadable("\(path.joined(separator: "/")) is missing"), line: current.line)
                }
                current = next
            }
            return current.trimmedText
        }
        func party(_ holder: XMLElementNode, _ name: String, _ accountName: String, _ agentName: String) throws(PaymentMessageError) -> PaymentParty {
            let partyName = try text(holder, name, "Nm")
            guard let id = holder.child(accountName)?.child("Id") else {
                throw PaymentMessageError(.unreadable("\(accountName)/Id is missing"), line: holder.line)
            }
            let account: PaymentAccount
            if let iban = id.child("IBAN") { account = .iban(iban.trimmedText) } else { account = .other(try text(id, "Othr", "Id")) }
            var agent = PaymentAgent.notProvided
            if let institution = holder.child(agentName)?.child("FinInstnId") {
                if let bic = institution.child("BIC") ?? institution.child("BICFI") {
                    agent = .bic(bic.trimmedText)
                } else if let member = institution.child("ClrSysMmbId")?.child("MmbId") {
                    agent = .cnaps(member.trimmedText)
                }
            }
            return PaymentParty(name: partyName, account: account, agent: agent)
        }
        let header = initiation.child("GrpHdr")
        guard let header else { throw PaymentMessageError(.unreadable("GrpHdr is missing"), line: initiation.line) }
        var groups: [PaymentGroup] = []
        for info in initiation.children where info.name == "PmtInf" {
            let dateNode = info.child("ReqdExctnDt")
            let dateText = dateNode?.child("Dt")?.trimmedText ?? dateNode?.trimmedText ?? ""
            guard let date = BusinessDate(String(dateText.prefix(10))) else {
                throw PaymentMessageError(.unreadable("ReqdExctnDt '\(dateText)' is not a date"), line: info.line)
            }
            var instructions: [PaymentInstruction] = []
            for transaction in info.children where transaction.name == "CdtTrfTxInf" {
                guard let amountNode = transaction.child("Amt")?.child("InstdAmt"), let currency = CurrencyCode(amountNode.attributes["Ccy"] ?? "") else {
                    throw PaymentMessageError(.unreadable("Amt/InstdAmt with its Ccy is missing"), line: transaction.line)
                }
                guard let amount = Self.minorUnits(amountNode.trimmedText, digits: currency.minorUnitDigits) else {
                    throw PaymentMessageError(.invalidAmount(field: "InstdAmt", reason: "'\(amountNode.trimmedText)' is not an amount in \(currency)"),
                                              line: amountNode.line)
                }
                instructions.append(PaymentInstruction(
                    endToEndID: try text(transaction, "PmtId", "EndToEndId"), amount: AmountMinorUnits(amount), currency: currency,
                    creditor: try party(transaction, "Cdtr", "CdtrAcct", "CdtrAgt"),
                    remittance: transaction.child("RmtInf")?.child("Ustrd")?.trimmedText ?? ""))
            }
            groups.append(PaymentGroup(id: try text(info, "PmtInfId"), debtor: try party(info, "Dbtr", "DbtrAcct", "DbtrAgt"),
                                       requestedExecutionDate: date, instructions: instructions))
        }
        let message = PaymentMessage(id: try text(header, "MsgId"), createdAtMilliseconds: 0,
                                     initiatingParty: header.child("InitgPty")?.child("Nm")?.trimmedText ?? "", groups: groups)
        let count = try text(header, "NbOfTxs")
        guard Int(count) == message.instructions.count else {
            throw PaymentMessageError(.invalidMessage("NbOfTxs says \(count) but the message holds \(message.instructions.count) instructions"))
        }
        if let stated = header.child("CtrlSum")?.trimmedText {
            let computed = try AmountSums.total(message.instructions)
            guard Self.sameDecimal(stated, computed) else {
                throw PaymentMessageError(.invalidMessage("CtrlSum says \(stated) but the instructions add up to \(computed)"))
            }
        }
        return (message, String(root.namespace.dropFirst(prefix.count)))
    }

    /// `1234.5` at 2 digits → 123450; more decimals than the currency has (unless zeros) or any other text → `nil`.
    static func minorUnits(_ text: String, digits: Int) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 18, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else { return nil }
        while fraction.count > digits, fraction.last == "0" { fraction.removeLast() }
        guard fraction.count <= digits else { return nil }
        fraction += String(repeating: "0", count: digits - fraction.count)
        return Int64(whole + fraction)
    }

    static func sameDecimal(_ a: String, _ b: String) -> Bool {
        func normal(_ text: String) -> String {
            var value = text
            if value.contains(".") {
                while value.hasSuffix("0") { value.removeLast() }
                if value.hasSuffix(".") { value.removeLast() }
            }
            return value
        }
        return normal(a) == normal(b)
    }
}
