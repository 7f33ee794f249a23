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

/// An amount in yuan as typed by a person (`12,500.00`), parsed with integer math into fen.
struct Money: ExpressibleByArgument, CustomStringConvertible {
    let amount: AmountMinorUnits

    var description: String { amount.description }

    init?(argument: String) {
        guard let amount = AmountMinorUnits.parse(argument, scale: 2) else { return nil }
        self.amount = amount
    }

    static var defaultValueDescription: String { "yuan, e.g. 12500.00" }
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
        guard let amount = AmountMinorUnits.parse(pair.value, scale: 2) else {
            throw CLIError("\(what) '\(pair.name)=\(pair.value)' does not give an amount in yuan")
        }
        result[pair.name] = amount
    }
    return result
}
