import ArgumentParser
import Foundation
import LedgerCore

/// `--preparer`, `--reviewer`, `--approver`: who signs the document (segregation of duties is checked).
struct SignatureOptions: ParsableArguments {
    @Option(help: "Who prepared the document (填制人).") var preparer: String
    @Option(help: "Who reviewed it (复核人); must differ from the preparer.") var reviewer: String?
    @Option(help: "Who approved it (审批人), where the document needs approval.") var approver: String?

    var signatures: DocumentSignatures { DocumentSignatures(preparer: preparer, reviewer: reviewer, approver: approver) }
}

/// An amount in yuan on the command line (`12500.00`): a plain decimal with at most two decimals and no grouping,
/// parsed with integer math into fen, and within the cap of `Limits.amountMinorUnitsMax`.
struct Money: ExpressibleByArgument, CustomStringConvertible {
    let amount: AmountMinorUnits

    var description: String { amount.description }

    init?(argument: String) {
        guard let amount = try? Money.parse(argument) else { return nil }
        self.amount = amount
    }

    /// The amount, or an error that says what is wrong with the text.
    static func parse(_ text: String) throws -> AmountMinorUnits {
        let amount = try AmountMinorUnits.parsing(text, scale: 2)
        guard amount.isWithinCap else {
            throw LedgerRuleViolation(.amountOverCap(line: 0, amountMinorUnits: amount.value, amountMinorUnitsMax: Limits.amountMinorUnitsMax))
        }
        return amount
    }

    static var defaultValueDescription: String { "yuan, e.g. 12500.00 (no grouping commas)" }
}

extension BusinessDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `NAME=VALUE` pairs for repeated options.
struct Pair: ExpressibleByArgument {
    let name: String
    let value: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }
}

func moneyPairs(_ pairs: [Pair], what: String) throws -> [String: AmountMinorUnits] {
    var result: [String: AmountMinorUnits] = [:]
    for pair in pairs {
        do {
            result[pair.name] = try Money.parse(pair.value)
        } catch {
            throw CLIError("\(what) '\(pair.name)': \(error)")
        }
    }
    return result
}

extension BankAccountNumber.Scheme: ExpressibleByArgument {}
