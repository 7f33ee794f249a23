import BankPayments
import LedgerCore

/// The messages the simulated bank writes: pain.002.001.03 status reports, camt.054.001.02 debit notifications and
/// camt.053.001.02 statements, in the shape their XSDs require (the tests validate each with xmllint).
enum SimulatedBankMessages {
    static func statusReport(id: String, originalMessageID: String, answers: [(SimulatedBankLedger.HeldAnswer, String, SimulatedBankReason?)],
                             at milliseconds: Int64) -> String {
        var xml = XMLOutput()
        let codes = Set(answers.map(\.1))
        xml.element("Document", [("xmlns", "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03")]) { xml in
            xml.element("CstmrPmtStsRpt") { xml in
                xml.element("GrpHdr") { xml in
                    xml.leaf("MsgId", id)
                    xml.leaf("CreDtTm", ISODateTime.text(milliseconds: milliseconds, offsetMinutes: 480))
                }
                xml.element("OrgnlGrpInfAndSts") { xml in
                    xml.leaf("OrgnlMsgId", originalMessageID)
                    xml.leaf("OrgnlMsgNmId", "pain.001.001.03")
                    xml.leaf("GrpSts", codes.count == 1 ? codes.first! : "PART")
                }
                for groupID in Array(Set(answers.map(\.0.groupID))).sorted() {
                    xml.element("OrgnlPmtInfAndSts") { xml in
                        xml.leaf("OrgnlPmtInfId", groupID)
                        for (answer, code, reason) in answers where answer.groupID == groupID {
                            xml.element("TxInfAndSts") { xml in
                                xml.leaf("OrgnlEndToEndId", answer.endToEndID)
                                xml.leaf("TxSts", code)
                                if let reason {
                                    xml.element("StsRsnInf") { xml in
                                        xml.element("Rsn") { $0.leaf("Cd", reason.code) }
                                        xml.leaf("AddtlInf", String(reason.text.unicodeScalars.prefix(105)))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return xml.text
    }

    static func debitNotification(id: String, account: String, entries: [SimulatedBankLedger.HeldAnswer], bookingDate: BusinessDate,
                                  at milliseconds: Int64) -> String {
        var xml = XMLOutput()
        xml.element("Document", [("xmlns", "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02")]) { xml in
            xml.element("BkToCstmrDbtCdtNtfctn") { xml in
                xml.element("GrpHdr") { xml in
                    xml.leaf("MsgId", id)
                    xml.leaf("CreDtTm", ISODateTime.text(milliseconds: milliseconds, offsetMinutes: 480))
                }
                xml.element("Ntfctn") { xml in
                    xml.leaf("Id", id)
                    xml.leaf("CreDtTm", ISODateTime.text(milliseconds: milliseconds, offsetMinutes: 480))
                    accountElement(account, currency: entries.first?.currency, into: &xml)
                    for entry in entries {
                        self.entry(amount: -entry.amountMinorUnits, currency: entry.currency, date: bookingDate, reference: "SIM-\(entry.endToEndID)",
                                   endToEndID: entry.endToEndID, creditor: entry.creditor, remittance: entry.remittance, into: &xml)
                    }
                }
            }
        }
        return xml.text
    }

    static func statement(id: String, account: String, opening: Int64, bookings: [SimulatedBankLedger.Booking], date: BusinessDate,
                          at milliseconds: Int64) -> String {
        let currency = bookings.first?.currency ?? "CNY"
        let closing = bookings.reduce(opening) { $0 - $1.amountMinorUnits }
        var xml = XMLOutput()
        xml.element("Document", [("xmlns", "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02")]) { xml in
            xml.element("BkToCstmrStmt") { xml in
                xml.element("GrpHdr") { xml in
                    xml.leaf("MsgId", id)
                    xml.leaf("CreDtTm", ISODateTime.text(milliseconds: milliseconds, offsetMinutes: 480))
                }
                xml.element("Stmt") { xml in
                    xml.leaf("Id", id)
                    xml.leaf("CreDtTm", ISODateTime.text(milliseconds: milliseconds, offsetMinutes: 480))
                    accountElement(account, currency: currency, into: &xml)
                    for (code, amount) in [("OPBD", opening), ("CLBD", closing)] {
                        xml.element("Bal") { xml in
                            xml.element("Tp") { $0.element("CdOrPrtry") { $0.leaf("Cd", code) } }
                            xml.leaf("Amt", AmountSums.decimal(abs(amount), digits: 2), [("Ccy", currency)])
                            xml.leaf("CdtDbtInd", amount < 0 ? "DBIT" : "CRDT")
                            xml.element("Dt") { $0.leaf("Dt", date.description) }
                        }
                    }
                    for booking in bookings {
                        entry(amount: -booking.amountMinorUnits, currency: booking.currency, date: date, reference: booking.reference,
                              endToEndID: booking.endToEndID, creditor: booking.creditor, remittance: nil, into: &xml)
                    }
                }
            }
        }
        return xml.text
    }

    private static func accountElement(_ account: String, currency: String?, into xml: inout XMLOutput) {
        xml.element("Acct") { xml in
            xml.element("Id") { xml in
                if case .iban(let iban) = PaymentAccount(account) { xml.leaf("IBAN", iban) } else { xml.element("Othr") { $0.leaf("Id", account) } }
            }
            if let currency { xml.leaf("Ccy", currency) }
        }
    }

    private static func entry(amount: Int64, currency: String, date: BusinessDate, reference: String, endToEndID: String, creditor: String,
                              remittance: String?, into xml: inout XMLOutput) {
        xml.element("Ntry") { xml in
            xml.leaf("Amt", AmountSums.decimal(abs(amount), digits: 2), [("Ccy", currency)])
            xml.leaf("CdtDbtInd", amount < 0 ? "DBIT" : "CRDT")
            xml.leaf("Sts", "BOOK")
            xml.element("BookgDt") { $0.leaf("Dt", date.description) }
            xml.element("ValDt") { $0.leaf("Dt", date.description) }
            xml.leaf("AcctSvcrRef", reference)
            xml.element("BkTxCd") { xml in
                xml.element("Domn") { xml in
                    xml.leaf("Cd", "PMNT")
                    xml.element("Fmly") { xml in
                        xml.leaf("Cd", "ICDT")
                        xml.leaf("SubFmlyCd", "DMCT")
                    }
                }
            }
            xml.element("NtryDtls") { xml in
                xml.element("TxDtls") { xml in
                    xml.element("Refs") { $0.leaf("EndToEndId", endToEndID) }
                    xml.element("RltdPties") { $0.element("Cdtr") { $0.leaf("Nm", creditor) } }
                    if let remittance, !remittance.isEmpty { xml.element("RmtInf") { $0.leaf("Ustrd", remittance) } }
                }
            }
        }
    }
}
