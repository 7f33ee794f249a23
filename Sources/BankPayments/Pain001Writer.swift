import LedgerCore

/// Writes a ``PaymentMessage`` as ISO 20022 pain.001 (CustomerCreditTransferInitiation), version 001.001.03 or
/// 001.001.09: one `PmtInf` per group (one debtor account and execution day), the control sums of the message and
/// of each group, and each instruction's end-to-end id.
///
/// Everything is checked before a byte is written: texts fit their ISO types, accounts and bank codes have their
/// patterns, amounts are positive and within `Limits.amountMinorUnitsMax`, the sums do not overflow, and no
/// end-to-end id appears twice. A message that breaks a rule is refused whole (``PaymentMessageError``): a bank must
/// never receive half a batch. The output validates against the published XSD (the tests run `xmllint --schema`).
public enum Pain001Writer {
    /// Instructions in one message: a bank's host takes a few thousand; a salary run of a large unit fits.
    public static let instructionCountMax = 10_000

    /// The message's bytes (UTF-8 XML).
    /// - Throws: ``PaymentMessageError`` naming the instruction or field that breaks a rule.
    public static func write(_ message: PaymentMessage, version: Pain001Version) throws(PaymentMessageError) -> [UInt8] {
        try check(message)
        let total = try AmountSums.total(message.instructions)
        var groupTotals: [String] = []
        for group in message.groups { groupTotals.append(try AmountSums.total(group.instructions)) }
        var xml = XMLOutput()
        xml.element("Document", [("xmlns", version.namespace)]) { xml in
            xml.element("CstmrCdtTrfInitn") { xml in
                xml.element("GrpHdr") { xml in
                    xml.leaf("MsgId", message.id)
                    xml.leaf("CreDtTm", ISODateTime.text(milliseconds: message.createdAtMilliseconds, offsetMinutes: message.utcOffsetMinutes))
                    xml.leaf("NbOfTxs", String(message.instructions.count))
                    xml.leaf("CtrlSum", total)
                    xml.element("InitgPty") { $0.leaf("Nm", message.initiatingParty) }
                }
                for (group, sum) in zip(message.groups, groupTotals) { write(group, sum: sum, version: version, into: &xml) }
            }
        }
        return Array(xml.text.utf8)
    }

    private static func write(_ group: PaymentGroup, sum: String, version: Pain001Version, into xml: inout XMLOutput) {
        xml.element("PmtInf") { xml in
            xml.leaf("PmtInfId", group.id)
            xml.leaf("PmtMtd", "TRF")
            xml.leaf("BtchBookg", "false")  // each instruction its own booking, so each has its own answer and line
            xml.leaf("NbOfTxs", String(group.instructions.count))
            xml.leaf("CtrlSum", sum)
            switch version {
            case .v03: xml.leaf("ReqdExctnDt", group.requestedExecutionDate.description)
            case .v09: xml.element("ReqdExctnDt") { $0.leaf("Dt", group.requestedExecutionDate.description) }
            }
            xml.element("Dbtr") { $0.leaf("Nm", group.debtor.name) }
            account(group.debtor.account, "DbtrAcct", into: &xml)
            agent(group.debtor.agent, "DbtrAgt", version: version, into: &xml)
            for instruction in group.instructions {
                xml.element("CdtTrfTxInf") { xml in
                    xml.element("PmtId") { $0.leaf("EndToEndId", instruction.endToEndID) }
                    xml.element("Amt") {
                        $0.leaf("InstdAmt", AmountSums.decimal(instruction.amount.value, digits: instruction.currency.minorUnitDigits),
                                [("Ccy", instruction.currency.code)])
                    }
                    xml.leaf("ChrgBr", "SLEV")
                    if instruction.creditor.agent != .notProvided {
                        agent(instruction.creditor.agent, "CdtrAgt", version: version, into: &xml)
                    }
                    xml.element("Cdtr") { $0.leaf("Nm", instruction.creditor.name) }
                    account(instruction.creditor.account, "CdtrAcct", into: &xml)
                    xml.element("RmtInf") { $0.leaf("Ustrd", instruction.remittance) }
                }
            }
        }
    }

    private static func account(_ account: PaymentAccount, _ name: String, into xml: inout XMLOutput) {
        xml.element(name) { xml in
            xml.element("Id") { xml in
                switch account {
                case .iban(let number): xml.leaf("IBAN", number)
                case .other(let number): xml.element("Othr") { $0.leaf("Id", number) }
                }
            }
        }
    }

    private static func agent(_ agent: PaymentAgent, _ name: String, version: Pain001Version, into xml: inout XMLOutput) {
        xml.element(name) { xml in
            xml.element("FinInstnId") { xml in
                switch agent {
                case .bic(let bic): xml.leaf(version == .v03 ? "BIC" : "BICFI", bic)
                case .cnaps(let number):
                    xml.element("ClrSysMmbId") { xml in
                        xml.element("ClrSysId") { $0.leaf("Cd", "CNAPS") }
                        xml.leaf("MmbId", number)
                    }
                case .notProvided: xml.element("Othr") { $0.leaf("Id", "NOTPROVIDED") }
                }
            }
        }
    }

    /// Every rule of the type's description, before anything is written.
    static func check(_ message: PaymentMessage) throws(PaymentMessageError) {
        try ISOText.check(message.id, max: 35, field: "the message id", place: nil)
        try ISOText.check(message.initiatingParty, max: 140, field: "the initiating party's name", place: nil)
        guard !message.groups.isEmpty, message.groups.allSatisfy({ !$0.instructions.isEmpty }) else {
            throw PaymentMessageError(.invalidMessage("a payment message needs at least one instruction in each group"))
        }
        guard message.instructions.count <= instructionCountMax else {
            throw PaymentMessageError(.invalidMessage("\(message.instructions.count) instructions are more than \(instructionCountMax) in one message"))
        }
        guard abs(message.utcOffsetMinutes) <= 14 * 60 else {
            throw PaymentMessageError(.invalidMessage("the UTC offset \(message.utcOffsetMinutes) minutes is beyond ±14 hours"))
        }
        var seenGroups = Set<String>()
        var seenIDs = Set<String>()
        for group in message.groups {
            try ISOText.check(group.id, max: 35, field: "the group id", place: nil)
            guard seenGroups.insert(group.id).inserted else {
                throw PaymentMessageError(.invalidMessage("the group id \(group.id) appears twice"))
            }
            try check(group.debtor, role: "debtor", place: "group \(group.id)")
            for instruction in group.instructions {
                let place = "instruction \(instruction.endToEndID)"
                try ISOText.checkASCII(instruction.endToEndID, field: "the end-to-end id", place: nil, lengths: 1...35,
                                       allowed: isReferenceByte, what: "an end-to-end id (1–35 of A–Z a–z 0–9 - . / : ( ) + , and space)")
                guard seenIDs.insert(instruction.endToEndID).inserted else {
                    throw PaymentMessageError(.invalidMessage("the end-to-end id \(instruction.endToEndID) appears twice: the bank would pay it twice or refuse both"))
                }
                guard instruction.amount.value > 0, instruction.amount.isWithinCap else {
                    throw PaymentMessageError(.invalidAmount(field: "the amount", reason: "\(instruction.amount.value) minor units is not positive or beyond the cap"),
                                              place: place)
                }
                try check(instruction.creditor, role: "creditor", place: place)
                try ISOText.check(instruction.remittance, max: 140, field: "the remittance text", place: place)
            }
            _ = try AmountSums.total(group.instructions)
        }
    }

    private static func check(_ party: PaymentParty, role: String, place: String) throws(PaymentMessageError) {
        try ISOText.check(party.name, max: 140, field: "the \(role)'s name", place: place)
        switch party.account {
        case .iban(let number):
            try ISOText.checkASCII(number, field: "the \(role)'s IBAN", place: place, lengths: 5...34, allowed: isUpperAlphanumeric,
                                   what: "an IBAN (upper-case letters and digits)")
        case .other(let number):
            try ISOText.check(number, max: 34, field: "the \(role)'s account number", place: place)
        }
        switch party.agent {
        case .bic(let bic):
            try ISOText.checkASCII(bic, field: "the \(role)'s bank BIC", place: place, lengths: 8...11, allowed: isUpperAlphanumeric,
                                   what: "a BIC (8 or 11 upper-case letters and digits)")
            guard bic.utf8.count == 8 || bic.utf8.count == 11 else {
                throw PaymentMessageError(.invalidText(field: "the \(role)'s bank BIC", reason: "'\(bic)' is not 8 or 11 characters"), place: place)
            }
        case .cnaps(let number):
            try ISOText.checkASCII(number, field: "the \(role)'s bank CNAPS number", place: place, lengths: 12...12,
                                   allowed: { $0 >= 48 && $0 <= 57 }, what: "a CNAPS bank number (12 digits)")
        case .notProvided: break
        }
    }

    static func isUpperAlphanumeric(_ byte: UInt8) -> Bool { (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) }

    static func isReferenceByte(_ byte: UInt8) -> Bool {
        isUpperAlphanumeric(byte) || (byte >= 97 && byte <= 122) || Array("-./:()+, ".utf8).contains(byte)
    }
}

/// Sums and decimal texts of amounts, with overflow checks (a message's amounts come from documents, which are
/// checked, but a sum over many is checked again here).
package enum AmountSums {
    /// The sum of `instructions`' amounts as a decimal text, with the most decimals any of their currencies has.
    static func total(_ instructions: [PaymentInstruction]) throws(PaymentMessageError) -> String {
        let digits = instructions.map(\.currency.minorUnitDigits).max() ?? 2
        var sum: Int64 = 0
        for instruction in instructions {
            // Scale each amount to the widest currency's digits (CNY and JPY in one message: 2).
            var scaled = instruction.amount.value
            for _ in instruction.currency.minorUnitDigits..<max(digits, instruction.currency.minorUnitDigits) {
                let (next, overflow) = scaled.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw PaymentMessageError(.invalidAmount(field: "the control sum", reason: "overflows")) }
                scaled = next
            }
            let (next, overflow) = sum.addingReportingOverflow(scaled)
            guard !overflow else { throw PaymentMessageError(.invalidAmount(field: "the control sum", reason: "overflows")) }
            sum = next
        }
        return decimal(sum, digits: digits)
    }

    /// `123450` at 2 digits as `1234.50`; integer arithmetic only.
    package static func decimal(_ minorUnits: Int64, digits: Int) -> String {
        let magnitude = String(minorUnits.magnitude)
        guard digits > 0 else { return (minorUnits < 0 ? "-" : "") + magnitude }
        let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
        return (minorUnits < 0 ? "-" : "") + padded.dropLast(digits) + "." + padded.suffix(digits)
    }
}
