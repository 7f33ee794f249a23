#!/usr/bin/env python3
"""Converts the neighbour files of the vendored statements folder (Fixtures/statements) into statement-testdata-expected.json.

Run once by hand when the test data changes (needs PyYAML); the Swift tests read only the JSON, never Python.

    python3 Tests/BankStatementsTests/Fixtures/make_expected_fixture.py [SHARED_STATEMENTS_DIR]

- mt940/**/*.yml: the `mt940` Python library's pickled-object dump of its parse. Loaded with a SafeLoader that
  turns python/object tags into plain dicts (no library import, no code execution). Dates are pickled
  `datetime.date` bytes (year high, year low, month, day). Amounts are Decimal strings, converted exactly.
- camt053/*.expected.json: the genkgo/camt PHP library's serialisation. Amounts are already minor units
  (Money\\Money), dates ISO 8601 at midnight UTC. Records referenced only as "__RECURSIVITY__" are not described
  by the file, so only the count of records is kept for them.
"""
import glob
import json
import os
import sys
from decimal import Decimal

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW"}  # mirrors LedgerCore.CurrencyCode.minorUnitDigits


class PickleFreeLoader(yaml.SafeLoader):
    pass


def _object(loader, suffix, node):
    data = {"__class__": suffix}
    yield data
    if isinstance(node, yaml.MappingNode):
        data.update(loader.construct_mapping(node, deep=True))


def _apply(loader, suffix, node):
    args = loader.construct_sequence(node, deep=True) if isinstance(node, yaml.SequenceNode) else []
    if suffix == "decimal.Decimal":
        return Decimal(args[0])
    if suffix == "mt940.models.Date":
        raw = args[0]
        return "%04d-%02d-%02d" % (raw[0] * 256 + raw[1], raw[2], raw[3])
    return None  # compiled regular expressions of the tag table: not data


PickleFreeLoader.add_multi_constructor("tag:yaml.org,2002:python/object:", _object)
PickleFreeLoader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", _apply)


def minor_units(amount, currency):
    digits = 0 if currency in ZERO_DECIMAL_CURRENCIES else 2
    scaled = amount.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValueError("amount %s is not whole in minor units of %s" % (amount, currency))
    return int(scaled)


def mt940_balance(balance):
    if not isinstance(balance, dict):
        return None
    amount = balance["amount"]
    return {"status": balance["status"], "amountMinorUnits": minor_units(amount["amount"], amount["currency"]),
            "currency": amount["currency"], "date": balance["date"]}


def mt940_entry(transaction):
    data = transaction["data"]
    currency = data["amount"].get("currency")
    return {"status": data["status"],
            "amountMinorUnits": minor_units(data["amount"]["amount"], currency or "EUR"),
            "currency": currency, "valueDate": data["date"], "entryDate": data.get("entry_date"),
            "transactionType": data.get("id"), "customerReference": data.get("customer_reference"),
            "bankReference": data.get("bank_reference"), "extraDetails": data.get("extra_details")}


def mt940_expected(path):
    with open(path, encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=PickleFreeLoader)
    data = document.get("data", {})
    return {"finalOpeningBalance": mt940_balance(data.get("final_opening_balance")),
            "intermediateOpeningBalance": mt940_balance(data.get("intermediate_opening_balance")),
            "finalClosingBalance": mt940_balance(data.get("final_closing_balance")),
            "intermediateClosingBalance": mt940_balance(data.get("intermediate_closing_balance")),
            "availableBalance": mt940_balance(data.get("available_balance")),
            "accountIdentification": data.get("account_identification"),
            "transactionReference": data.get("transaction_reference"),
            "statementNumber": data.get("statement_number"),
            "sequenceNumber": data.get("sequence_number"),
            "entries": [mt940_entry(t) for t in document.get("transactions", [])]}


def iso_date(value):
    return value["0"][:10] if isinstance(value, dict) else None


def camt_money(money):
    return {"amountMinorUnits": int(money["getAmount"]), "currency": money["getCurrency"]["getCode"]}


def camt_records(document):
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("__CLASS__", "").endswith("Camt053\\DTO\\Statement"):
                found[node["getId"]] = node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(document)
    return list(found.values())


def camt_expected(path):
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    statements = []
    for record in camt_records(document):
        statements.append({
            "id": record["getId"], "account": record["getAccount"]["getIdentification"],
            "legalSequenceNumber": record.get("getLegalSequenceNumber"),
            "electronicSequenceNumber": record.get("getElectronicSequenceNumber"),
            "balances": [dict(type=b["getType"], date=iso_date(b["getDate"]), **camt_money(b["getAmount"]))
                         for b in record["getBalances"]]})
    entries = []
    for entry in document.get("getEntries", []):
        if not isinstance(entry, dict):
            continue
        record = entry.get("getRecord")
        entries.append(dict(statementId=record.get("getId") if isinstance(record, dict) else None,
                            creditDebitIndicator=entry["getCreditDebitIndicator"],
                            bookingDate=iso_date(entry.get("getBookingDate")),
                            valueDate=iso_date(entry.get("getValueDate")),
                            reversal=entry.get("getReversalIndicator"), status=entry.get("getStatus"),
                            **camt_money(entry["getAmount"])))
    return {"statementCount": len(document.get("getRecords", [])), "statements": statements, "entries": entries}


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "statements")
    fixture = {"source": "Fixtures/statements (vendored statement test data), converted by make_expected_fixture.py",
               "mt940": {}, "camt053": {}}
    for path in sorted(glob.glob(os.path.join(folder, "mt940", "*", "*.yml"))):
        name = os.path.relpath(path, folder)[: -len(".yml")] + ".sta"
        fixture["mt940"][name] = mt940_expected(path)
    for path in sorted(glob.glob(os.path.join(folder, "camt053", "*.expected.json"))):
        name = os.path.relpath(path, folder)[: -len(".expected.json")] + ".xml"
        fixture["camt053"][name] = camt_expected(path)
    target = os.path.join(HERE, "statement-testdata-expected.json")
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(fixture, handle, indent=1, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
    print("wrote", target)


if __name__ == "__main__":
    main()
