#!/usr/bin/env python3
"""Applies every batch of a FundSync demo network from the specification alone, and compares with the hub.

Written from Protocol/PROTOCOL.md (§6 tables, §7 receiver, §8 streams, §13 encryption), not from the Swift code.
It reads a folder made by `Scripts/demo DIR`:

    DIR/hub/                the hub's data folder (public.key, encryption.key, ...)
    DIR/<org>/              each node's data folder (public.key, hub.key, encryption.key, ...)
    DIR/outgoing/<office>/  every batch file that office ever exported

and then

  1. opens every batch (PROTOCOL.md §7, with check_vectors.py beside this file): the hub's batches with the hub key
     each node was given at `node init` (and hub keys the hub sent in `node_key`), the nodes' batches with the keys
     the hub enrolled (`node_key` records of the hub's streams); version 2 batches are decrypted with the
     recipient's `encryption.key`. A batch that cannot be opened is a failure, never skipped;
  2. checks the streams (§8): one change per position of each link, one change per id (origin, counter) whatever
     the number of copies (a different change under a known id is a fork), a node's stream to the hub carrying its
     own changes in counter order without gaps;
  3. replays the hub (§6.24, §8.7): the hub's own changes in counter order, and each node change the hub answered
     (its counter is at most the hub's last acknowledgement) as accepted or rejected, as the hub's `rejection`
     records say; every node change is also judged by this program with the rules of §6.24 against the registry
     the hub had then (known exactly for a rejection from its deps, within bounds from acknowledgements and
     counterpart vouchers otherwise), and a verdict the rules cannot give is a difference;
  4. computes what the hub must hold: account balances from the posted vouchers (the hub's and the accepted
     node vouchers), voucher counts, rejections, version vector entries, the documents and their states;
  5. asks the hub binary (`fundsync balances/status/documents --data DIR/hub --json`, `fundsync hub account
     inspections` for the accounts' `inspected_on`, and `fundsync hub contracts` when the hub wrote contracts) and
     compares, with a read-only look at the hub's SQLite as a cross-check of the voucher count per org; it also
     checks that every `paid` allocation order names its allocation slip (§6.20).

A node's `confirmation` (§6.22a) is judged like any node document, with the hub's books as the replay has them at
the hub counter of the judgement. Whether the units below had confirmed first depends on the order in which the hub
took other nodes' batches, which the files show only within windows of hub counters: where the windows overlap, the
hub's verdict is taken (counted "within a window").

The internal slips of release 2 (§6.14): a node's `expense_on_behalf` and `slip_returned` slips are judged by §6.24
like a `sweep_up`, with their own checks. An `expense_on_behalf` names an expense subject of the hub, an account that
never travels (§6 routing), so the replay cannot see it: if the hub's account list (`fundsync balances`, asked
before the replay) does not have it, the slip is `malformed`; otherwise the hub's verdict is taken (apply, `malformed` or
`not-an-expense-subject`; counted "taken from the hub"). The hub's vouchers of these slips are not derived: they come
with the hub's batches (each names a branch's `2242.02`), and the comparison checks them against the slips: the
counterpart of an accepted `expense_on_behalf` books its `receiver_entries`, a `cost_allocation` its
`issuer_entries`, a re-issue reverses the returned slip's (`slip:<old>:withdrawn`), and a paid `transfer` order
(§6.20) has Dr 2242.02.B / Cr 2242.02.A and a `transfer_out` slip to A. A voucher of a budget unit (§6.1, §6.4) is
judged as its county's.

Prints a summary and exits 1 on any difference, naming each (2 on a usage error).

Usage:  python3 Protocol/tools/apply_batches.py DIR [--bin PATH/TO/fundsync] [--quiet]

Needs Python 3.8+ and the `cryptography` package (Ed25519, X25519, HKDF, AES-GCM). SM2 is not in `cryptography`:
a network with SM2 keys cannot be checked here (the demo uses Ed25519), and the program says so and fails.
"""

import argparse
import bisect
import glob
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the repository
import check_vectors as cv  # noqa: E402  (the §2-§5, §7 and §13 receiver, written from the same text)


OFFICE_VOLUME_MAX = 10_000_000_000_000_000  # fen one office may book in all (§6.24 step 5a)


class Failure(Exception):
    """Something this program cannot do or accept: stops the run."""


# --------------------------------------------------------------------------------------------------------------
# Tables (PROTOCOL.md §6)

HUB_OWNED = {"org_unit", "account", "node_key", "staff", "approval_rule", "sweep_plan", "rate", "parameter",
             "period_lock", "calendar_day", "rejection", "allocation", "difference_notice", "resync", "contract"}
REGISTRY = {"org_unit", "account", "node_key", "staff", "approval_rule", "sweep_plan", "rate", "parameter",
            "period_lock", "calendar_day"}
NODE_DOCUMENTS = {"voucher", "bank_journal", "balance_report", "slip", "forecast", "application", "account_request",
                  "payment", "transition", "explanation", "audit", "confirmation", "office_release"}
KNOWN_TABLES = HUB_OWNED | NODE_DOCUMENTS
DATED = {"voucher", "bank_journal", "balance_report", "slip", "forecast", "application", "account_request",
         "payment", "explanation", "allocation"}
FACT_SOURCES = ("slip:", "bank:", "receipt:", "payment:")
# Tables whose latest applied change of a key replaces the row (§6 "Upsert"; the registry is kept in `Registry`).
UPSERT = {"allocation", "difference_notice", "rejection", "contract"}
STATEFUL = {"application", "account_request", "payment"}
TRANSITIONS = {
    "application": {("submitted", "approved", 1), ("submitted", "rejected", 1), ("submitted", "withdrawn", 0),
                    ("approved", "allocated", 1)},
    "account_request": {("pending", "approved", 1), ("pending", "refused", 1), ("pending", "withdrawn", 0)},
    "payment": {("entered", "released", 1), ("entered", "refused", 1), ("entered", "withdrawn", 0),
                ("released", "returned", 1),   # release 2 (§6.18): the bank rejected the instruction
                ("released", "paid", 1)},      # release 2 (§6.18): the bank booked it
}
# Columns a materialised row needs (§6.12-6.23, §6.20a, §6.22a; a missing one is `conflicting-record`), and the generic
# tables. `confirmation` is insert-only (a second change of a key is `conflicting-record`) and owned by its node.
REQUIRED = {
    "bank_journal": ["org", "account", "date", "direction", "amount", "advice", "preparer"],
    "balance_report": ["org", "account", "date", "balance", "preparer"],
    "slip": ["kind", "issuer", "receiver", "date", "amount", "currency", "preparer"],
    "forecast": ["org", "period", "date", "amounts", "total", "preparer"],
    "application": ["org", "category", "amount", "reason", "date", "preparer", "state"],
    "account_request": ["org", "action", "account", "details", "date", "preparer", "state"],
    "payment": ["org", "account", "payee", "payee_account", "amount", "date", "purpose", "expense_account", "preparer",
                "state"],
    "explanation": ["org", "notice", "date", "text", "preparer"],
    "audit": ["org", "at_ms", "actor", "action", "detail"],
    "confirmation": ["org", "through", "date", "intercompany", "bank_total", "preparer", "reviewer", "approver"],
    "office_release": ["org", "number", "version", "formats"],
    "contract": ["kind", "branch", "principal", "currency", "term_months", "rate_kind", "rate_ppm", "day_count",
                 "start_date", "maturity_date", "chain_start", "chain_paid", "interest_from", "state", "preparer"],
}
POSITIVE = {"bank_journal": ["amount"], "slip": ["amount"], "payment": ["amount"], "contract": ["principal"]}
AMOUNT_MAX = 1_000_000_000_000_000  # amountMinorUnitsMax, §6 conventions
INT64_MAX = 2 ** 63 - 1
LINE_COUNT_MAX = 1000
ROLE_RANK = {"board": 5, "deputy_general_manager": 4, "fund_centre_manager": 3, "unit_head": 2, "finance_manager": 1,
             "cashier": 0, "fund_manager": 0, "fund_centre_cashier": 0, "fund_centre_supervisor": 0}
TIER_BOUNDS = [10_000_000, 50_000_000, 100_000_000, 1_000_000_000]  # §6.7
# Slip kinds a node may send the hub (§6.24): `sweep_up`; release 2: `expense_on_behalf`, `slip_returned` (§6.14).
NODE_SLIP_KINDS = ("sweep_up", "expense_on_behalf", "slip_returned")
FACT_SLIP_KINDS = ("sweep_up", "expense_on_behalf")
# Verdicts the files cannot decide (the hub's is taken): the rejection codes each still allows (None: any).
UNDECIDED = {"?order": None, "?hub-account": {"malformed", "not-an-expense-subject"}}


def is_expense_code(code):
    """§6.18: a subject code whose leading ASCII digits (at least four) start with 5, 64, 66, 67 or 68."""
    digits = "".join(itertools.takewhile(lambda c: c.isascii() and c.isdigit(), code or ""))
    return len(digits) >= 4 and (digits.startswith("5") or digits[:2] in ("64", "66", "67", "68"))


def entry_lines(value):
    """A slip's `issuer_entries` / `receiver_entries` (§6.14) as (account, side, amount), or None when the field is
    not a list of records with a text `account`, a `side` debit or credit and an integer `amount` > 0."""
    if value is None or value[0] != "list":
        return None
    lines = []
    for item in value[1]:
        if item[0] != "record":
            return None
        account, side, amount = item[1].get("account"), item[1].get("side"), item[1].get("amount")
        if not account or account[0] != "text" or not side or side[0] != "text" or side[1] not in ("debit", "credit") \
                or not amount or amount[0] != "integer" or amount[1] <= 0:
            return None
        lines.append((account[1], side[1], amount[1]))
    return lines


def office_release(change, f, origin):
    """§6.28: an office's own announcement of its release, keyed `<org>:<number>`."""
    org = f.text("org")
    if org != origin:
        raise Verdict("wrong-origin")
    number = f.integer("number")
    if not 2 <= number <= 9999:
        raise Verdict("malformed", "release out of range")
    if change["key"] != f"{org}:{number}":
        raise Verdict("malformed", "the key must be <org>:<number>")
    version = f.text("version")
    if not 1 <= len(version.encode()) <= 64 or any(not 0x21 <= ord(c) <= 0x7E for c in version):
        raise Verdict("malformed", "the version must be printable ASCII")
    formats = f.text("formats").split(",")
    if not all(p.isdigit() and p == str(int(p)) and int(p) <= 255 for p in formats):
        raise Verdict("malformed", "formats must be format versions")
    numbers = [int(p) for p in formats]
    if 1 not in numbers or numbers != sorted(set(numbers)):
        raise Verdict("malformed", "formats must ascend and include 1")


class Verdict(Exception):
    """A rejection: `code` is the rule's name (§6.5)."""

    def __init__(self, code, reason=""):
        super().__init__(f"{code}: {reason}" if reason else code)
        self.code = code


# --------------------------------------------------------------------------------------------------------------
# Reading fields (§6 conventions)

class Fields:
    def __init__(self, fields, context):
        self.fields = fields
        self.context = context

    def raw(self, name):
        return self.fields.get(name)

    def text(self, name):
        value = self.fields.get(name)
        if value is None or value[0] != "text":
            raise Verdict("malformed", f"{self.context} has no text field '{name}'")
        return value[1]

    def optional_text(self, name):
        value = self.fields.get(name)
        if value is None or value[0] == "null":
            return None
        if value[0] != "text":
            raise Verdict("malformed", f"{self.context} field '{name}' is not text")
        return value[1]

    def integer(self, name):
        value = self.fields.get(name)
        if value is None or value[0] != "integer":
            raise Verdict("malformed", f"{self.context} has no integer field '{name}'")
        return value[1]

    def org_code(self, name):
        text = self.text(name)
        if not cv.is_org_code(text):
            raise Verdict("malformed", f"{self.context} field '{name}' is not an org code")
        return text


def read_recipients(value):
    """§6.18 `recipients` of a batch payment: None when absent or null; else [(name, account, amount)], checked as
    §6.18 says (1–2,000 people; a name not blank, at most 70 characters; an account of 6–34 ASCII letters and digits,
    none twice; amounts above zero; memo text or null), or Verdict malformed."""
    if value is None or value[0] == "null":
        return None
    if value[0] != "list" or not 1 <= len(value[1]) <= 2000:
        raise Verdict("malformed", "recipients is a list of 1 to 2000 records")
    people, seen = [], set()
    for item in value[1]:
        if item[0] != "record":
            raise Verdict("malformed", "a recipient is a record")
        fields = item[1]
        name, account, amount = fields.get("name"), fields.get("account"), fields.get("amount")
        memo = fields.get("memo", ("null",))
        if name is None or name[0] != "text" or not name[1].strip() or len(name[1].strip()) > 70:
            raise Verdict("malformed", "a recipient's name is text of 1 to 70 characters")
        if account is None or account[0] != "text" or not (6 <= len(account[1]) <= 34) \
                or not all(c.isascii() and c.isalnum() for c in account[1]) or account[1] in seen:
            raise Verdict("malformed", "a recipient's account is 6-34 letters and digits, each once")
        if amount is None or amount[0] != "integer" or amount[1] <= 0:
            raise Verdict("malformed", "a recipient's amount is an integer above zero")
        if memo[0] not in ("text", "null"):
            raise Verdict("malformed", "a recipient's memo is text or null")
        seen.add(account[1])
        people.append((name[1], account[1], amount[1]))
    return people


def plain(fields, name):
    """The Python value of a text or integer field, else None (absent, null, another kind)."""
    value = fields.get(name)
    return value[1] if value is not None and value[0] in ("text", "integer") else None


def parse_date(text):
    """`YYYY-MM-DD`, proleptic Gregorian, year 0001-9999 (§6.4). Returns the text or None."""
    if text is None or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    parts = text[:4], text[5:7], text[8:]
    if not all(p.isascii() and p.isdigit() for p in parts):
        return None
    year, month, day = (int(p) for p in parts)
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return text if 1 <= day <= days else None


def is_currency(text):
    return isinstance(text, str) and len(text) == 3 and all("A" <= c <= "Z" for c in text)


def trimmed(text):
    return text.strip(" \t")


def check_signatures(preparer, reviewer, approver, require_reviewer):
    """§6 conventions, "Signatures"."""
    if not trimmed(preparer or ""):
        raise Verdict("malformed", "the preparer is missing")
    if require_reviewer and not trimmed(reviewer or ""):
        raise Verdict("malformed", "the reviewer is missing")
    names = [n for n in (preparer, reviewer, approver) if n]
    for name in names:
        if names.count(name) > 1:
            raise Verdict("segregation-of-duties", name)


def document_signatures(f, require_reviewer):
    check_signatures(f.optional_text("preparer") or "", f.optional_text("reviewer"), f.optional_text("approver"),
                     require_reviewer)


def checked_amount(value):
    if value <= 0:
        raise Verdict("non-positive-amount")
    if value > AMOUNT_MAX:
        raise Verdict("amount-over-cap")
    return value


def add64(a, b):
    total = a + b
    if not -2 ** 63 <= total <= INT64_MAX:
        raise Verdict("amount-overflow")
    return total


def read_voucher(key, fields):
    """§6.4 "Reading a voucher", in its order."""
    f = Fields(fields, f"voucher {key}")
    date = f.text("date")
    if parse_date(date) is None:
        raise Verdict("invalid-date", date)
    currency = f.text("currency")
    if not is_currency(currency):
        raise Verdict("malformed", f"voucher {key} has currency {currency!r}")
    items = f.raw("lines")
    if items is None or items[0] != "list":
        raise Verdict("malformed", f"voucher {key} has no list field 'lines'")
    lines = []
    for index, item in enumerate(items[1], start=1):
        if item[0] != "record":
            raise Verdict("malformed", f"voucher {key} line {index} is not a record")
        line = Fields(item[1], f"voucher {key} line {index}")
        side = line.text("side")
        if side not in ("debit", "credit"):
            raise Verdict("malformed", f"voucher {key} line {index} has side {side!r}")
        lines.append((line.text("account"), side, line.integer("amount")))
    return {"id": key, "org": f.org_code("org"), "date": date, "currency": currency,
            "memo": f.optional_text("memo") or "", "preparer": f.optional_text("preparer") or "",
            "reverses": f.optional_text("reverses"), "reviewer": f.optional_text("reviewer"),
            "approver": f.optional_text("approver"), "source": f.optional_text("source"), "lines": lines}


# --------------------------------------------------------------------------------------------------------------
# The hub's registry, versioned by the hub's counter (a hub change with counter c is in force from c on)

class Registry:
    def __init__(self):
        self.versions = {}      # (table, key) -> ([counters], [fields or None for a delete])
        self.history = {}       # account id -> [(counter, effective_from, status)]
        self.change_counters = []  # counters of every registry change, sorted

    def put(self, change):
        table, key, counter = change["table"], change["key"], change["counter"]
        counters, values = self.versions.setdefault((table, key), ([], []))
        counters.append(counter)
        values.append(None if change["operation"] == "delete" else change["fields"])
        bisect.insort(self.change_counters, counter)
        if table == "account" and change["operation"] != "delete":
            f = Fields(change["fields"], f"account {key}")
            try:
                start = f.optional_text("status_from") or "0000-01-01"
                status = f.text("status")
            except Verdict:
                return
            self.history.setdefault(key, []).append((counter, start, status))

    def get(self, table, key, t):
        entry = self.versions.get((table, key))
        if not entry:
            return None
        index = bisect.bisect_right(entry[0], t)
        return entry[1][index - 1] if index else None

    def keys(self, table):
        return [key for (name, key) in self.versions if name == table]

    def period_lock(self, t):
        fields = self.get("period_lock", "global", t)
        if fields is None:
            return None
        value = fields.get("locked_through")
        return parse_date(value[1]) if value and value[0] == "text" else None

    def account(self, account_id, date, t):
        """The account in the registry at hub counter t, with its status on `date` (§6.2); None if unknown."""
        fields = self.get("account", account_id, t)
        if fields is None:
            return None
        values = {name: (v[1] if v[0] == "text" else None) for name, v in fields.items() if v[0] in ("text", "null")}
        if not cv.is_org_code(values.get("org") or "") or values.get("kind") not in ("bank", "internal", "subject") \
                or not is_currency(values.get("currency")) or values.get("status") not in ("active", "frozen", "closed"):
            return None
        status = values["status"]
        entries = sorted((start, counter, s) for counter, start, s in self.history.get(account_id, []) if counter <= t
                         and s in ("active", "frozen", "closed"))
        for start, _, s in entries:
            if start <= date:
                status = s
        return {"id": account_id, "org": values["org"], "currency": values["currency"], "status": status,
                "kind": values["kind"], "code": values.get("code") or "", "purpose": values.get("purpose")}

    def staff(self, staff_id, t):
        fields = self.get("staff", staff_id, t)
        if fields is None:
            return None
        org, roles = fields.get("org"), fields.get("roles")
        if not org or org[0] != "text" or not cv.is_org_code(org[1]) or not roles or roles[0] != "text":
            return None
        posts = [r for r in roles[1].split(",") if r in ROLE_RANK]
        return {"org": org[1], "rank": max([ROLE_RANK[r] for r in posts] or [0]), "roles": set(posts)}

    def rows(self, table, t):
        """(key, fields) of every row of a registry table at hub counter t."""
        for key in sorted(self.keys(table)):
            fields = self.get(table, key, t)
            if fields is not None:
                yield key, fields

    def approval_rules(self, date, t):
        """The cells in force on `date` (§6.7): per (category, tier, basis) the greatest effective_from <= date."""
        best = {}
        for key in self.keys("approval_rule"):
            fields = self.get("approval_rule", key, t)
            if fields is None:
                continue
            values = {name: v[1] for name, v in fields.items() if v[0] in ("text", "integer")}
            start = values.get("effective_from")
            if not isinstance(start, str) or start > date or values.get("approver_role") not in ROLE_RANK \
                    or values.get("basis") not in ("single", "cumulative") or values.get("tier") not in (1, 2, 3, 4, 5):
                continue
            cell = (values.get("category"), values["tier"], values["basis"])
            if cell not in best or best[cell][0] < start:
                best[cell] = (start, values["approver_role"])
        return {cell: role for cell, (_, role) in best.items()}


def tier_of(amount):
    for index, bound in enumerate(TIER_BOUNDS):
        if amount <= bound:
            return index + 1
    return 5


# --------------------------------------------------------------------------------------------------------------
# The hub's tables, as this program replays them

class HubState:
    def __init__(self, hub, registry):
        self.hub = hub
        self.registry = registry
        self.docs = {table: {} for table in KNOWN_TABLES - REGISTRY}
        self.vouchers = {}       # id -> voucher dict with "status" and "origin"
        self.reversed = set()    # ids some posted voucher reverses
        self.volume = {}         # origin -> what it has booked in all its applied documents (§6.24 step 5a)
        self.hub_vouchers = []   # (counter, voucher) of every hub voucher, for balances at a hub counter (§6.22a)
        self.bounds = {}         # (origin, counter) -> (low, high): the hub counters within which it judged a node change
        self.confirmations = {}  # org -> [(through, (origin, counter))]: the node confirmations the hub did not reject
        self.returned = set()    # cost_allocation slips a node returned (their status at the hub is `rejected`, §6.14)
        self.hub_accounts = None  # account id -> (org, code) as the hub lists them now (`fundsync balances`), or None

    # -- §6.24: the hub's checks of a node's change, at hub counter t ---------------------------------------
    def judge(self, change, t):
        origin, table, key = change["origin"], change["table"], change["key"]
        if table not in KNOWN_TABLES or table in HUB_OWNED:
            raise Verdict("not-owner", f"{origin} may not write {table}")
        if change["operation"] != "insert":
            raise Verdict("malformed", f"{change['operation']} of a document")
        f = Fields(change["fields"], f"{table} {key}")
        date = None
        undecided = None
        if table in DATED:
            date = f.text("date")
            if parse_date(date) is None:
                raise Verdict("invalid-date", date)
            lock = self.registry.period_lock(t)
            if lock is not None and date <= lock and not self.is_fact(table, f):
                raise Verdict("period-closed", f"{date} <= {lock}")
        if table == "voucher":
            voucher = read_voucher(key, change["fields"])
            if not key.startswith(origin + "-"):
                raise Verdict("malformed", f"voucher id {key} does not start with {origin}-")
            check_signatures(voucher["preparer"], voucher["reviewer"], voucher["approver"], False)
            self.ledger_rules(voucher, origin, t)
        elif table in ("bank_journal", "balance_report", "forecast", "account_request", "explanation"):
            self.own_document(f, origin, table, t)
        elif table == "audit":
            if f.org_code("org") != origin:
                raise Verdict("wrong-origin")
        elif table == "slip":
            undecided = self.node_slip(f, origin, t)
        elif table == "application":
            self.own_document(f, origin, table, t)
            document_signatures(f, True)
            state = f.text("state")
            if state not in ("submitted", "approved"):
                raise Verdict("malformed", "a new application must be submitted or approved")
            if state == "approved":
                self.approval(change, f, origin, t)
        elif table == "payment":
            self.own_document(f, origin, table, t)
            document_signatures(f, True)
            if f.text("state") != "entered":
                raise Verdict("malformed", "a new payment must be entered")
            checked_amount(f.integer("amount"))
            self.check_account(f.text("account"), origin, f.text("date"), True, t)
            self.check_account(f.text("expense_account"), origin, f.text("date"), True, t)
            self.cash_controls(f, origin, t)
        elif table == "confirmation":
            undecided = "?order" if self.confirmation(change, f, origin, t) else None
        elif table == "office_release":
            office_release(change, f, origin)
        elif table == "transition":
            if f.integer("by_hub") != 0:
                raise Verdict("malformed", "a node may not write a transition as the hub")
            kind = f.text("doc_table")
            if kind not in STATEFUL:
                raise Verdict("malformed", "transition of a document kind without states")
            document = self.docs[kind].get(f.text("doc_id"))
            if document is None or document["fields"].get("org") != ("text", origin):
                raise Verdict("malformed", "the document does not exist or is not the origin's")
            if (f.text("from_state"), f.text("to_state"), 0) not in TRANSITIONS[kind]:
                raise Verdict("not-permitted")
        added = self.volume_of(change)
        if added and self.volume.get(origin, 0) + added > OFFICE_VOLUME_MAX:
            raise Verdict("office-volume-over-cap", f"{origin} would book more than {OFFICE_VOLUME_MAX} fen in all")
        self.materialise(change, dry_run=True)
        if undecided == "?order":
            raise Verdict("?order", "a unit below confirmed within the same window of hub counters")
        if undecided:
            raise Verdict(undecided, "the hub's expense subject never travels: the hub's verdict is taken")

    def node_slip(self, f, origin, t):
        """§6.24 `slip`: a node's `sweep_up`, and since release 2 its `expense_on_behalf` and `slip_returned` (§6.14).
        Returns "?hub-account" when the verdict rests on a hub account the files do not show."""
        if f.org_code("issuer") != origin:
            raise Verdict("wrong-origin")
        kind = f.text("kind") if f.org_code("receiver") == self.hub else None
        if kind not in NODE_SLIP_KINDS:
            raise Verdict("malformed", "a node issues sweep-up, expense-on-behalf and returned slips to the hub only")
        amount = checked_amount(f.integer("amount"))
        document_signatures(f, True)
        if kind == "slip_returned":
            returned = f.optional_text("related")
            slip = self.docs["slip"].get(returned) if returned is not None else None
            values = slip["fields"] if slip is not None else {}
            if slip is None or plain(values, "kind") != "cost_allocation" or plain(values, "receiver") != origin \
                    or plain(values, "issuer") != self.hub or plain(values, "amount") != amount:
                raise Verdict("malformed", "a returned slip names a cost allocation the hub sent to the origin, with its amount")
            if returned in self.returned or any(v["source"] == f"slip:{returned}" and v["org"] == origin
                                                for v in self.vouchers.values() if v["status"] == "posted"):
                raise Verdict("malformed", f"slip {returned} was already returned or booked by {origin}")
            reason = f.optional_text("memo")
            if reason is None or all(c.isspace() for c in reason):
                raise Verdict("malformed", "a returned slip says why (memo)")
            return None
        self.check_account(f.text("bank_account"), origin, f.text("date"), True, t)
        if kind == "sweep_up":
            return None
        # expense_on_behalf: the hub books receiver_entries as they stand, so they must be exactly
        # Dr an expense subject of the hub / Cr <hub>:2242.02.<origin>, each for the slip's amount.
        lines = entry_lines(f.raw("receiver_entries"))
        debit = next((line for line in lines or [] if line[1] == "debit"), None)
        credit = next((line for line in lines or [] if line[1] == "credit"), None)
        if lines is None or len(lines) != 2 or debit is None or credit is None or debit[2] != amount \
                or credit[2] != amount or credit[0] != f"{self.hub}:2242.02.{origin}":
            raise Verdict("malformed", "an expense paid on the centre's behalf proposes Dr a hub expense subject / "
                                       f"Cr 2242.02.{origin}, for its amount")
        expense = self.registry.account(debit[0], f.text("date"), t)
        if expense is None:
            if self.hub_accounts is not None and debit[0] not in self.hub_accounts:
                raise Verdict("malformed", f"{debit[0]} is no account of the hub")  # release 2 deletes no account
            return "?hub-account"  # a hub account that never travels (§6 routing): its kind is not in the files
        if expense["kind"] != "subject" or expense["org"] != self.hub or not is_expense_code(expense["code"]):
            raise Verdict("not-an-expense-subject", expense["id"])
        return None

    def book_balance(self, account, through, t):
        """Debits − credits of the posted vouchers dated through `through` that the hub held at hub counter t: the
        accepted node vouchers replayed so far (a node's accounts take only its own vouchers, which precede its later
        changes in its stream) and the hub's own vouchers with a counter up to t."""
        total = 0
        for voucher in self.vouchers.values():
            if voucher["origin"] != self.hub and voucher["status"] == "posted" and voucher["date"] <= through:
                total += sum(n if s == "debit" else -n for a, s, n in voucher["lines"] if a == account)
        for counter, voucher in self.hub_vouchers:
            if counter <= t and voucher["date"] <= through:
                total += sum(n if s == "debit" else -n for a, s, n in voucher["lines"] if a == account)
        return total

    def confirmation(self, change, f, origin, t):
        """§6.22a "What the hub checks", in its order."""
        if f.org_code("org") != origin:
            raise Verdict("wrong-origin")
        preparer, reviewer, approver = f.optional_text("preparer") or "", f.optional_text("reviewer"), f.optional_text("approver")
        check_signatures(preparer, reviewer, approver, True)
        through, date = f.text("through"), f.text("date")
        if parse_date(through) is None or parse_date(date) is None or through > date:
            raise Verdict("malformed", "a confirmation confirms a day on or before its own date")
        for signer in (preparer, reviewer, approver):
            if signer is None:
                continue
            member = self.registry.staff(signer, t)
            if member is None or member["org"] != origin:
                raise Verdict("confirmation-refused", f"{signer} is not registered staff of {origin}")
        head = self.registry.staff(approver, t) if approver is not None else None
        if head is None or "unit_head" not in head["roles"]:
            raise Verdict("confirmation-refused", f"the approver of a confirmation is the head of {origin} (unit_head)")
        intercompany = self.book_balance(f"{origin}:3001.01", through, t)
        banks = 0
        for key, _ in self.registry.rows("account", t):
            account = self.registry.account(key, through, t)
            if account is not None and account["org"] == origin and account["kind"] == "bank":
                banks = add64(banks, self.book_balance(key, through, t))
        if (f.integer("intercompany"), f.integer("bank_total")) != (intercompany, banks):
            raise Verdict("confirmation-refused", f"the hub's books give {intercompany} and {banks} through {through}")
        centre = self.book_balance(f"{self.hub}:2242.02.{origin}", through, t)
        if centre != -intercompany:
            raise Verdict("confirmation-refused", f"{self.hub}:2242.02.{origin} is {centre}, not {-intercompany}")
        # The units directly below with a node must have confirmed through the same day first. Which confirmations the
        # hub held when it judged this one is known from the files only within the hub counters each was judged in:
        # a child's confirmation judged surely before counts (its window ends where this one's starts or earlier: at
        # equal counters the child came first, since a hub batch that acknowledged it was sealed before this one was
        # judged, or this one's rejection would have taken the next counter); one whose window overlaps this one's
        # leaves the verdict to the hub (`?order`, never a difference).
        low, high = self.bounds.get((origin, change["counter"]), (t, t))
        nodes = {plain(fields, "org") for _, fields in self.registry.rows("node_key", t) if plain(fields, "status") == "active"}
        undecided = False
        for code, fields in self.registry.rows("org_unit", t):
            if plain(fields, "parent") != origin or code not in nodes:
                continue
            held = [(self.bounds.get(target, (0, 0)), when) for when, target in self.confirmations.get(code, [])
                    if when >= through]
            if any(h <= low for (_, h), _ in held):
                continue
            if any(l <= high for (l, _), _ in held):
                undecided = True
                continue
            raise Verdict("confirmation-refused", f"{code} below {origin} has not confirmed through {through}")
        return undecided

    def volume_of(self, change):
        """§6.24 step 5a: a voucher's debit total; the amount of a bank_journal, slip, payment or application."""
        table, fields = change["table"], change["fields"]
        if table == "voucher":
            return sum(amount for _, side, amount in read_voucher(change["key"], fields)["lines"] if side == "debit")
        if table in ("bank_journal", "slip", "payment", "application"):
            value = fields.get("amount", ("null",))
            return max(0, value[1]) if value[0] == "integer" else 0
        return 0

    def cash_controls(self, f, origin, t):
        """§6.18, cash controls that do not depend on balances (release 2)."""
        paying = self.registry.account(f.text("account"), f.text("date"), t)
        if paying["purpose"] is not None and paying["purpose"] not in ("expense", "basic", "general", "special"):
            raise Verdict("account-may-not-pay", f"{paying['id']} is a {paying['purpose']} account")
        expense = self.registry.account(f.text("expense_account"), f.text("date"), t)
        if expense["kind"] != "subject" or expense["org"] != origin or not is_expense_code(expense["code"]):
            raise Verdict("not-an-expense-subject", expense["id"])
        kind = f.optional_text("payee_kind") or "organisation"
        if kind not in ("organisation", "individual"):
            raise Verdict("malformed", f"payee_kind {kind}")
        basis = f.optional_text("basis")
        recipients = read_recipients(f.raw("recipients"))
        if recipients is None:
            if kind == "individual" and f.integer("amount") > 5_000_000 and not (basis or "").strip():
                raise Verdict("payment-basis-required")
            return
        # Release 2, a batch payment (代发, §6.18): the list checked whole, adding up to the amount, the basis rule per person.
        if kind != "individual" or sum(amount for _, _, amount in recipients) != f.integer("amount"):
            raise Verdict("malformed", "a batch payment pays individuals the amount it states")
        if any(amount > 5_000_000 for _, _, amount in recipients) and not (basis or "").strip():
            raise Verdict("payment-basis-required")

    def is_fact(self, table, f):
        if table == "bank_journal":
            return True
        if table == "slip":
            return f.text("kind") in FACT_SLIP_KINDS
        if table == "voucher":
            source = f.optional_text("source")
            return source is not None and source.startswith(FACT_SOURCES)
        return False

    def own_document(self, f, origin, table, t):
        if f.org_code("org") != origin:
            raise Verdict("wrong-origin")
        document_signatures(f, False)
        if table in ("bank_journal", "balance_report"):
            self.check_account(f.text("account"), origin, f.text("date"), table == "bank_journal", t)

    def check_account(self, account_id, org, date, must_be_active, t):
        if parse_date(date) is None:
            raise Verdict("invalid-date", date)
        account = self.registry.account(account_id, date, t)
        if account is None:
            raise Verdict("unknown-account", account_id)
        if account["org"] != org:
            raise Verdict("account-of-other-org", account_id)
        if must_be_active and account["status"] != "active":
            raise Verdict("account-not-active", f"{account_id} is {account['status']}")

    def ledger_rules(self, voucher, origin, t):
        """§6.4 "The ledger rules"."""
        if voucher["org"] != origin and not self.keeps_books(voucher["org"], origin, t):
            raise Verdict("wrong-origin")
        if not 2 <= len(voucher["lines"]) <= LINE_COUNT_MAX:
            raise Verdict("line-count", str(len(voucher["lines"])))
        for account_id, _, amount in voucher["lines"]:
            checked_amount(amount)
            account = self.registry.account(account_id, voucher["date"], t)
            if account is None:
                raise Verdict("unknown-account", account_id)
            if account["org"] != voucher["org"]:
                raise Verdict("account-of-other-org", account_id)
            if account["status"] != "active":
                raise Verdict("account-not-active", f"{account_id} is {account['status']}")
            if account["currency"] != voucher["currency"]:
                raise Verdict("currency-mismatch", account_id)
        debits = credits = 0
        for _, side, amount in voucher["lines"]:
            if side == "debit":
                debits = add64(debits, amount)
            else:
                credits = add64(credits, amount)
        if debits > AMOUNT_MAX:
            raise Verdict("amount-over-cap")
        if debits != credits:
            raise Verdict("unbalanced", f"{debits} != {credits}")
        target = voucher["reverses"]
        if target is not None:
            original = self.vouchers.get(target)
            if original is None or original["status"] != "posted" or original["org"] != voucher["org"]:
                raise Verdict("reversal-target-missing", target)
            if target in self.reversed:
                raise Verdict("already-reversed", target)
            swapped = [(a, "credit" if s == "debit" else "debit", n) for a, s, n in original["lines"]]
            if original["currency"] != voucher["currency"] or swapped != voucher["lines"]:
                raise Verdict("reversal-mismatch", target)

    def keeps_books(self, org, origin, t):
        """§6.1, §6.4 (release 2): `org` is a budget unit whose parent is `origin`, in the registry at hub counter t."""
        fields = self.registry.get("org_unit", org, t)
        return fields is not None and plain(fields, "level") == "budget_unit" and plain(fields, "parent") == origin

    def approval(self, change, f, origin, t):
        """§6.24 `application` approved locally: the approver's post against the approval table."""
        amount = checked_amount(f.integer("amount"))
        date = f.text("date")
        if parse_date(date) is None:
            raise Verdict("invalid-date", date)
        category = f.text("category")
        approver_id = f.optional_text("approver") or ""
        approver = self.registry.staff(approver_id, t)
        if approver is None or approver["org"] != origin:
            raise Verdict("malformed", f"approver {approver_id!r} is not registered staff of {origin}")
        rules = self.registry.approval_rules(date, t)
        before = 0
        for key, document in self.docs["application"].items():
            values = document["fields"]
            if key != change["key"] and plain(values, "org") == origin and plain(values, "category") == category \
                    and str(plain(values, "date"))[:7] == date[:7] and document["state"] in ("approved", "allocated") \
                    and isinstance(plain(values, "amount"), int):
                before += plain(values, "amount")
        total = add64(before, amount)
        single = rules.get((category, tier_of(amount), "single"))
        cumulative = rules.get((category, tier_of(total), "cumulative"))
        if single is None or cumulative is None:
            raise Verdict("malformed", "the approval table has no cell for this amount")
        if approver["rank"] < max(ROLE_RANK[single], ROLE_RANK[cumulative]):
            raise Verdict("approver-below-tier")

    # -- materialising (§6, §6.19) --------------------------------------------------------------------------
    def materialise(self, change, dry_run=False):
        table, key, fields = change["table"], change["key"], change["fields"]
        if not dry_run and change["origin"] != self.hub:
            self.volume[change["origin"]] = self.volume.get(change["origin"], 0) + self.volume_of(change)
        if table == "voucher":
            voucher = read_voucher(key, fields)
            if key in self.vouchers:
                raise Verdict("conflicting-record", f"voucher {key} exists")
            if dry_run:
                return
            voucher.update(status="posted", origin=change["origin"], counter=change["counter"])
            self.vouchers[key] = voucher
            if voucher["reverses"]:
                self.reversed.add(voucher["reverses"])
            return
        if table == "transition":
            return self.apply_transition(change, dry_run)
        if change["operation"] == "delete":
            if table not in REGISTRY:
                raise Verdict("invalid-record", f"{table} records cannot be deleted")
            return
        rows = self.docs.setdefault(table, {})
        upsert = table in UPSERT
        if key in rows and not upsert:
            raise Verdict("conflicting-record", f"{table} {key} exists")
        for column in REQUIRED.get(table, []):
            if fields.get(column, ("null",))[0] == "null":
                raise Verdict("conflicting-record", f"{table} {key} has no {column}")
        for column in POSITIVE.get(table, []):
            value = fields.get(column)
            if value and value[0] == "integer" and value[1] <= 0:
                raise Verdict("conflicting-record", f"{table} {key}: {column} <= 0")
        if table == "bank_journal" and fields.get("direction") not in (("text", "receipt"), ("text", "payment")):
            raise Verdict("conflicting-record", f"bank_journal {key}: direction")
        if dry_run:
            return
        if table == "slip" and change["origin"] != self.hub and fields.get("kind") == ("text", "slip_returned"):
            related = plain(fields, "related")
            if isinstance(related, str):
                self.returned.add(related)  # §6.14: the hub marks the returned slip `rejected`
        state = fields.get("state", ("null",))
        rows[key] = {"fields": fields, "state": state[1] if state[0] == "text" else None, "vector": {}, "by_hub": 0,
                     "origin": change["origin"]}

    def apply_transition(self, change, dry_run):
        f = Fields(change["fields"], f"transition {change['key']}")
        kind = f.text("doc_table")
        if kind not in STATEFUL:
            raise Verdict("malformed", "a document kind that has no states")
        doc_id, old, new = f.text("doc_id"), f.text("from_state"), f.text("to_state")
        by_hub = f.integer("by_hub") == 1
        based = f.raw("based_on")
        if based is None or based[0] != "record":
            raise Verdict("malformed", "a transition needs its based_on vector")
        based_on = {}
        for origin, counter in based[1].items():
            if not cv.is_org_code(origin) or counter[0] != "integer":
                raise Verdict("malformed", "based_on is not a vector")
            if counter[1] > 0:
                based_on[origin] = max(based_on.get(origin, 0), counter[1])
        f.text("actor")
        f.optional_text("reason")
        document = self.docs[kind].get(doc_id)
        if document is None:
            raise Verdict("malformed", f"{kind} {doc_id} does not exist here")
        if change["key"] in self.docs["transition"]:
            raise Verdict("conflicting-record", f"transition {change['key']} exists")
        vector = dict(document["vector"])
        for origin, counter in list(based_on.items()) + [(change["origin"], change["counter"])]:
            vector[origin] = max(vector.get(origin, 0), counter)
        dominates = all(based_on.get(origin, 0) >= counter for origin, counter in document["vector"].items())
        state, state_by_hub = document["state"], document["by_hub"]
        if dominates:
            if old != document["state"] or (old, new, int(by_hub)) not in TRANSITIONS[kind]:
                raise Verdict("not-permitted", f"{kind} {doc_id} is {document['state']}, not {old}")
            state, state_by_hub = new, int(by_hub)
        elif by_hub and not document["by_hub"]:
            if (old, new, 1) not in TRANSITIONS[kind]:
                raise Verdict("not-permitted")
            state, state_by_hub = new, 1
        if dry_run:
            return
        document.update(state=state, by_hub=state_by_hub, vector=vector)
        self.docs["transition"][change["key"]] = {"fields": change["fields"], "state": None, "vector": {}, "by_hub": 0,
                                                  "origin": change["origin"]}


# --------------------------------------------------------------------------------------------------------------
# Opening the network's files

class Network:
    def __init__(self, folder):
        self.folder = folder
        self.files = 0
        self.acknowledgement_only = 0
        self.copies = 0
        self.changes = {}        # (origin, counter) -> (change, record bytes)
        self.links = {}          # (sender, recipient) -> {position: record bytes}
        self.headers = {}        # (sender, recipient) -> [header] by batch sequence
        self.differences = []
        self.notes = []

    def difference(self, text):
        self.differences.append(text)

    def offices(self):
        hub_dir = os.path.join(self.folder, "hub")
        if not os.path.exists(os.path.join(hub_dir, "public.key")):
            raise Failure(f"{hub_dir} is not a hub data folder (no public.key)")
        nodes = sorted(name for name in os.listdir(self.folder)
                       if name != "hub" and os.path.exists(os.path.join(self.folder, name, "hub.key")))
        if not nodes:
            raise Failure(f"{self.folder} has no node data folders (folders with hub.key)")
        return hub_dir, nodes

    def batch_files(self):
        found = []
        for path in sorted(glob.glob(os.path.join(self.folder, "outgoing", "*", "*.fsb"))):
            if not os.path.basename(path).startswith("."):
                found.append(path)
        if not found:
            raise Failure(f"no batch files in {os.path.join(self.folder, 'outgoing')}/*/")
        return found

    def open_all(self):
        hub_dir, nodes = self.offices()
        hub_key_pem = read(os.path.join(hub_dir, "public.key"))
        hub_key_id = cv.key_id(hub_key_pem)
        parsed = []
        for path in self.batch_files():
            data = open(path, "rb").read()
            if len(data) > 13 and data[:8] == cv.MAGIC and data[13] != 0:
                # Byte 13 is the flags byte of release 2 (§3.1): bit 0 asks for a resync (§8.8), after which a restored
                # node reuses positions and counters. This program replays no resync, so it says so instead of guessing.
                raise Failure(f"{path}: header flags 0x{data[13]:02x}: "
                              + ("a restored node asks for resync (PROTOCOL.md §8.8), which this checker does not replay"
                                 if data[13] == 1 else "unknown flag bits (malformed-header, §7 step 6)"))
            try:
                header = cv.split_file(data)[0]
            except cv.Refused as error:
                raise Failure(f"{path}: cannot be opened: {error.name} ({error})")
            parsed.append((path, data, header))
        hub_orgs = {h["sender"] for _, _, h in parsed if h["keyID"] == hub_key_id}
        if len(hub_orgs) != 1:
            raise Failure(f"cannot tell the hub's org code from the files signed with its key {hub_key_id}: {sorted(hub_orgs)}")
        self.hub = hub_orgs.pop()
        self.nodes = nodes
        # Pass 1: the hub's batches, with the hub key each node was given at `node init` (and rotated hub keys, §7.1).
        hub_keys = {hub_key_id: hub_key_pem}
        for node in nodes:
            given = read(os.path.join(self.folder, node, "hub.key"))
            if cv.key_id(given) != hub_key_id:
                self.notes.append(f"{node} was given hub key {cv.key_id(given)}, not the hub's current key {hub_key_id}")
            hub_keys[cv.key_id(given)] = given
        pending = [(p, d, h) for p, d, h in parsed if h["sender"] == self.hub]
        from_nodes = [(p, d, h) for p, d, h in parsed if h["sender"] != self.hub]
        while pending:
            opened_any, still = False, []
            for path, data, header in pending:
                if header["keyID"] not in hub_keys:
                    still.append((path, data, header))
                    continue
                self.open_one(path, data, header, {header["keyID"]: (self.hub, hub_keys[header["keyID"]])})
                opened_any = True
                for change, _ in self.last_opened:
                    if change["table"] == "node_key" and change["origin"] == self.hub:
                        org, pem = change["fields"].get("org"), change["fields"].get("public_key_pem")
                        if org == ("text", self.hub) and pem and pem[0] == "text":
                            hub_keys[change["key"]] = pem[1]
            if not opened_any:
                raise Failure(f"{still[0][0]}: signed with key {still[0][2]['keyID']}, which is no key of the hub")
            pending = still
        # Pass 2: the nodes' batches, with the keys the hub enrolled (node_key records it sent, §6.3).
        enrolled = {}
        for (origin, _), (change, _) in self.changes.items():
            if change["table"] == "node_key" and origin == self.hub:
                org, pem = change["fields"].get("org"), change["fields"].get("public_key_pem")
                if org and org[0] == "text" and pem and pem[0] == "text":
                    enrolled[change["key"]] = (org[1], pem[1])
        for node in nodes:
            own = cv.key_id(read(os.path.join(self.folder, node, "public.key")))
            if own not in enrolled or enrolled[own][0] != node:
                self.difference(f"{node}'s public.key ({own}) is not enrolled for {node} in any node_key record the hub sent")
        for path, data, header in from_nodes:
            if header["keyID"] not in enrolled:
                raise Failure(f"{path}: signed with key {header['keyID']}, which the hub never enrolled (§7 step 15)")
            self.open_one(path, data, header, {header["keyID"]: enrolled[header["keyID"]]})

    def open_one(self, path, data, header, keys):
        recipient = header["recipient"]
        registry = cv.KeyRegistry()
        for org, pem in keys.values():
            registry.add(pem, org)
        decryption = None
        if "encryption" in header or data[8] == cv.FORMAT_V2:
            folder = os.path.join(self.folder, "hub" if recipient == self.hub else recipient)
            try:
                decryption = cv.DecryptionKey(read(os.path.join(folder, "encryption.key")),
                                              read(os.path.join(folder, "encryption-public.key")))
            except OSError as error:
                raise Failure(f"{path}: encrypted for {recipient}, whose encryption key cannot be read: {error}")
        try:
            header, _, items, _ = cv.open_batch(data, recipient, registry, decryption)
        except cv.Refused as error:
            raise Failure(f"{path}: refused: {error.name} ({error})")
        except cv.Skipped as error:
            raise Failure(f"{path}: cannot be checked here: {error}")
        expected = f"{header['sender']}-to-{recipient}-"
        if not os.path.basename(path).startswith(expected):
            self.notes.append(f"{path}: the name does not match the header ({expected}…)")
        self.files += 1
        if header["changeCount"] == 0:
            self.acknowledgement_only += 1
        link = (header["sender"], recipient)
        self.headers.setdefault(link, []).append(header)
        positions = self.links.setdefault(link, {})
        self.last_opened = items
        for index, (change, record) in enumerate(items):
            self.copies += 1
            position = header["firstStreamPosition"] + index
            if positions.setdefault(position, record) != record:
                self.difference(f"link {link[0]}→{link[1]}: position {position} carries two different changes")
            change_id = (change["origin"], change["counter"])
            known = self.changes.setdefault(change_id, (change, record))
            if known[1] != record:
                self.difference(f"fork: change {change_id[0]}:{change_id[1]} exists with two different contents (§8.3)")


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


# --------------------------------------------------------------------------------------------------------------
# Replaying the hub

def replay(net, hub_accounts=None):
    hub = net.hub
    registry = Registry()
    state = HubState(hub, registry)
    state.hub_accounts = hub_accounts
    hub_changes = sorted((c for (o, _), (c, _) in net.changes.items() if o == hub), key=lambda c: c["counter"])
    for change in hub_changes:
        if change["table"] == "resync":
            raise Failure(f"the hub answered a resync ({change['key']}, PROTOCOL.md §8.8), which this checker does not replay")
    for change in hub_changes:
        if change["table"] in REGISTRY:
            registry.put(change)
    hub_counters = [c["counter"] for c in hub_changes]

    # The node streams (§8.1, §8.3): position = counter, gap-free, the node's own changes only.
    streams = {}
    for node in net.nodes:
        positions = net.links.get((node, hub), {})
        changes = []
        for position in range(1, max(positions, default=0) + 1):
            if position not in positions:
                net.difference(f"{node}→{hub}: position {position} is in no file")
                break
            change = cv.decode_record(positions[position])
            if change["origin"] != node or change["counter"] != position:
                net.difference(f"{node}→{hub}: position {position} carries {change['origin']}:{change['counter']}")
            changes.append(change)
        streams[node] = changes

    # What the hub answered: its acknowledgements (§8.5) and its rejections (§6.5).
    answered, seals = {}, {}
    for node in net.nodes:
        headers = sorted(net.headers.get((hub, node), []), key=lambda h: h["batchSequence"])
        seals[node] = [(h["ackVector"].get(node, 0), h["ackVector"].get(hub, 0)) for h in headers]
        answered[node] = max([a for a, _ in seals[node]], default=0)
    rejections = {}
    for change in hub_changes:
        if change["table"] != "rejection":
            continue
        f = Fields(change["fields"], "rejection")
        try:
            target = (f.text("origin"), f.integer("counter"))
            rejected = net.changes.get(target)
            if rejected is None:
                net.difference(f"rejection {change['key']} names a change in no file")
                continue
            r = rejected[0]
            if change["key"] != f"{target[0]}:{target[1]}" or f.text("table") != r["table"] or f.text("key") != r["key"] \
                    or change["deps"].get(target[0]) != target[1]:
                net.difference(f"rejection {change['key']} does not describe change {target[0]}:{target[1]} (§6.5)")
            rejections[target] = {"code": f.optional_text("code"), "reason": f.text("reason"),
                                  "at": change["deps"].get(hub, change["counter"] - 1)}
        except Verdict as error:
            net.difference(f"rejection {change['key']} does not read: {error}")

    # Exact moments (the hub's counter when it judged a change): a rejection's deps, the counterpart of a sweep slip or
    # of an expense paid on the centre's behalf (§6.24: booked in the same transaction, the hub's next change).
    exact = {target: info["at"] for target, info in rejections.items()}
    sweeps = {c["key"]: (c["origin"], c["counter"]) for changes in streams.values() for c in changes
              if c["table"] == "slip" and c["fields"].get("kind") in (("text", k) for k in FACT_SLIP_KINDS)}
    for change in hub_changes:
        source = plain(change["fields"], "source") if change["table"] == "voucher" else None
        if source and source.startswith("slip:") and source[5:] in sweeps:
            exact.setdefault(sweeps[source[5:]], change["counter"] - 1)

    last_hub = max(hub_counters + [v for node in net.nodes for _, v in seals[node]] + [0])
    events = [(c["counter"], 0, "", c["counter"], c) for c in hub_changes]
    bounds = {}
    unanswered = 0
    for node, changes in streams.items():
        lows, highs = [], []
        for change in changes:
            counter = change["counter"]
            low = max([change["deps"].get(hub, 0)] + [v for a, v in seals[node] if a < counter])
            high = min([v for a, v in seals[node] if a >= counter] + [last_hub])
            if (node, counter) in exact:
                low = high = exact[(node, counter)]
            lows.append(low)
            highs.append(high)
        for i in range(1, len(changes)):           # the hub judges a stream in counter order
            lows[i] = max(lows[i], lows[i - 1])
        for i in range(len(changes) - 2, -1, -1):
            highs[i] = min(highs[i], highs[i + 1])
        for change, low, high in zip(changes, lows, highs):
            if change["counter"] > answered[node]:
                unanswered += 1
                continue
            bounds[(node, change["counter"])] = (low, max(low, high))
            events.append((low, 1, node, change["counter"], change))
    events.sort(key=lambda e: e[:4])
    # What §6.22a needs beyond the registry: the hub's vouchers by counter, the windows, the confirmations it kept.
    for change in hub_changes:
        if change["table"] == "voucher":
            try:
                state.hub_vouchers.append((change["counter"], read_voucher(change["key"], change["fields"])))
            except Verdict:
                pass  # reported when the replay materialises it
    state.bounds = bounds
    for node, changes in streams.items():
        for change in changes:
            target = (change["origin"], change["counter"])
            if change["table"] == "confirmation" and target in bounds and target not in rejections:
                org, through = plain(change["fields"], "org"), plain(change["fields"], "through")
                if isinstance(org, str) and isinstance(through, str):
                    state.confirmations.setdefault(org, []).append((through, target))

    counts = {"judged": 0, "accepted": 0, "rejected": 0, "agree": 0, "window": 0, "hub accounts": 0,
              "unanswered": unanswered}
    tables = {}
    for _, kind, _, _, change in events:
        if kind == 0:
            if change["table"] in REGISTRY or change["table"] == "rejection":
                continue
            try:
                state.materialise(change)
            except Verdict as error:
                net.difference(f"the hub's own change {hub}:{change['counter']} ({change['table']} {change['key']}) "
                               f"does not apply: {error}")
            continue
        target = (change["origin"], change["counter"])
        low, high = bounds[target]
        moments = [low] + [c for c in registry.change_counters if low < c <= high]
        verdicts = []
        for t in sorted(set(moments)):
            try:
                state.judge(change, t)
                verdicts.append((t, None))
            except Verdict as error:
                verdicts.append((t, error.code))
        counts["judged"] += 1
        tally = tables.setdefault(change["table"], [0, 0])
        if any(v == "?hub-account" for _, v in verdicts):
            counts["hub accounts"] += 1
        elif len({v for _, v in verdicts}) > 1 or any(v == "?order" for _, v in verdicts):
            counts["window"] += 1
        label = f"{change['origin']}:{change['counter']} ({change['table']} {change['key']})"
        if target in rejections:
            counts["rejected"] += 1
            tally[1] += 1
            wanted = rejections[target]["code"]
            mine = dict(verdicts).get(rejections[target]["at"])
            taken = mine in UNDECIDED and (UNDECIDED[mine] is None or wanted in UNDECIDED[mine])
            if wanted is not None and mine != wanted and not taken:
                net.difference(f"{label}: the hub rejected it as {wanted}; §6.24 gives "
                               f"{mine or 'apply'} at hub counter {rejections[target]['at']}")
            else:
                counts["agree"] += 1
        else:
            counts["accepted"] += 1
            tally[0] += 1
            if any(v is None or v in UNDECIDED for _, v in verdicts):
                counts["agree"] += 1
            else:
                net.difference(f"{label}: the hub accepted it; §6.24 rejects it at every hub counter {low}…{high}: "
                               + ", ".join(sorted({v for _, v in verdicts})))
            try:
                state.materialise(change)
            except Verdict as error:
                net.difference(f"{label}: accepted by the hub but cannot be materialised here: {error}")
    return state, counts, tables, hub_changes, streams, rejections, answered


# --------------------------------------------------------------------------------------------------------------
# Comparing with the hub

def run_json(binary, *args):
    command = [binary, *args, "--json"]
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise Failure(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    return json.loads(result.stdout)


def compare(net, state, hub_changes, streams, rejections, answered, binary):
    hub_dir = os.path.join(net.folder, "hub")
    compared = {}

    # Balances (§6.4): debits and credits of the posted vouchers, per account.
    totals = {}
    per_org = {}
    for voucher in state.vouchers.values():
        if voucher["status"] != "posted":
            continue
        per_org[voucher["org"]] = per_org.get(voucher["org"], 0) + 1
        for account, side, amount in voucher["lines"]:
            debit, credit = totals.get(account, (0, 0))
            totals[account] = (debit + amount, credit) if side == "debit" else (debit, credit + amount)
    report = run_json(binary, "balances", "--data", hub_dir)["accounts"]
    theirs = {a["account"]: a for a in report}
    for account in sorted(set(theirs) | set(totals)):
        debit, credit = totals.get(account, (0, 0))
        row = theirs.get(account)
        if row is None:
            net.difference(f"account {account}: postings here (debit {debit}, credit {credit}) but the hub lists no such account")
            continue
        if (row["debitMinorUnits"], row["creditMinorUnits"], row["balanceMinorUnits"]) != (debit, credit, debit - credit):
            net.difference(f"account {account}: the hub has debit {row['debitMinorUnits']} credit {row['creditMinorUnits']} "
                           f"balance {row['balanceMinorUnits']}; the batches give {debit} {credit} {debit - credit}")
    registry_seen = 0
    for account, row in theirs.items():
        fields = state.registry.get("account", account, float("inf"))
        if fields is None:
            continue  # a hub account that never travels (§6: hub accounts without a branch stay at the hub)
        registry_seen += 1
        values = {name: v[1] for name, v in fields.items() if v[0] == "text"}
        mine = (values.get("org"), values.get("code"), values.get("currency"), values.get("status"))
        if mine != (row["org"], row["code"], row["currency"], row["status"]):
            net.difference(f"account {account}: the hub has {(row['org'], row['code'], row['currency'], row['status'])}, "
                           f"the registry records give {mine}")
    compared["accounts"] = (len(theirs), registry_seen, sum(1 for a in totals))

    # Counts and vectors.
    status = run_json(binary, "status", "--data", hub_dir)
    posted = sum(per_org.values())
    if status.get("vouchers") != posted:
        net.difference(f"posted vouchers: the hub has {status.get('vouchers')}, the batches give {posted}")
    if status.get("rejected") != len(rejections):
        net.difference(f"rejected changes: the hub has {status.get('rejected')}, its rejection records {len(rejections)}")
    vector = status.get("versionVector", {})
    for node in net.nodes:
        mine = max([c["counter"] for c in streams[node]], default=0)
        if vector.get(node, 0) != answered[node]:
            net.difference(f"version vector: the hub has {node}:{vector.get(node, 0)} but acknowledged {answered[node]} "
                           "in its last batch (it applied changes after its last export)")
        elif mine > answered[node]:
            net.notes.append(f"{node}: changes {answered[node] + 1}…{mine} are in files the hub has not answered yet")
    top = max([c["counter"] for c in hub_changes], default=0)
    if vector.get(net.hub, 0) < top:
        net.difference(f"version vector: the hub's own entry {vector.get(net.hub, 0)} is below {top}, a counter it sent")

    # Cross-check with the hub's SQLite (read only): posted vouchers per org.
    try:
        db = sqlite3.connect(f"file:{os.path.join(hub_dir, 'replica.sqlite')}?mode=ro", uri=True)
        rows = dict(db.execute("SELECT org, COUNT(*) FROM voucher WHERE status = 'posted' GROUP BY org").fetchall())
        db.close()
        for org in sorted(set(rows) | set(per_org)):
            if rows.get(org, 0) != per_org.get(org, 0):
                net.difference(f"posted vouchers of {org}: the hub's replica has {rows.get(org, 0)}, the batches give "
                               f"{per_org.get(org, 0)}")
        compared["sqlite"] = len(rows)
    except sqlite3.Error as error:
        net.notes.append(f"the SQLite cross-check was skipped: {error}")

    # Documents (§6.12-6.20): the ids the hub holds, and their states and vectors.
    derivable = {
        "slip": lambda d: True, "allocation": lambda d: True, "forecast": lambda d: True,
        "application": lambda d: True, "account_request": lambda d: True, "payment": lambda d: True,
        "balance_report": lambda d: True, "bank_journal": lambda d: d.get("org") != net.hub,
        "confirmation": lambda d: True,
    }
    documents = 0
    for kind, keep in derivable.items():
        rows = {d["id"]: d for d in run_json(binary, "documents", "--data", hub_dir, "--kind", kind) if keep(d)}
        mine = {key: doc for key, doc in state.docs[kind].items() if keep({"org": plain(doc["fields"], "org")})}
        for key in sorted(set(rows) ^ set(mine)):
            net.difference(f"{kind} {key}: " + ("held by the hub but not derived from the batches" if key in rows
                                                 else "derived from the batches but not held by the hub"))
        for key in sorted(set(rows) & set(mine)):
            documents += 1
            row, doc = rows[key], mine[key]
            names = ("amount", "total", "balance", "kind", "issuer", "receiver", "branch", "org", "date")
            if kind == "confirmation":
                names += ("through", "intercompany", "bank_total", "preparer", "reviewer", "approver")
            for name in names:
                value = plain(doc["fields"], name)
                if str(row.get(name)) != str(value):
                    net.difference(f"{kind} {key}: {name} is {row.get(name)} at the hub, {value} in the batches")
            if kind in STATEFUL:
                vector = json.loads(row.get("vector") or "{}")
                if (row.get("state"), vector, int(row.get("state_by_hub") or 0)) != (doc["state"], doc["vector"], doc["by_hub"]):
                    net.difference(f"{kind} {key}: the hub has state {row.get('state')} {vector} (by hub "
                                   f"{row.get('state_by_hub')}); the batches give {doc['state']} {doc['vector']} "
                                   f"(by hub {doc['by_hub']})")
            elif kind == "allocation":
                state_text, slip = plain(doc["fields"], "state"), plain(doc["fields"], "slip")
                if (row.get("state"), row.get("slip")) != (state_text, slip):
                    net.difference(f"allocation {key}: the hub has {row.get('state')} {row.get('slip')}; "
                                   f"the batches give {state_text} {slip}")
    compared["documents"] = documents
    compared["confirmations"] = len(state.docs["confirmation"])

    # Allocation orders (§6.20): a `paid` order names the hub's allocation slip to its branch for its amount, from its
    # source account; `prepared` and `approved` orders have none, except release 1's, which paid at approval.
    slips = state.docs["slip"]
    by_source = {}
    for voucher in state.vouchers.values():
        if voucher["origin"] == net.hub and voucher["status"] == "posted" and voucher["source"]:
            by_source.setdefault(voucher["source"], []).append(voucher)

    def hub_lines(source):
        """The lines of the hub's vouchers with this `source`, sorted, or None when the batches carry none."""
        found = by_source.get(source)
        return sorted(line for voucher in found for line in voucher["lines"]) if found else None

    paid = 0
    for key, doc in sorted(state.docs["allocation"].items()):
        fields = doc["fields"]
        order_state, slip_id = plain(fields, "state"), plain(fields, "slip")
        if order_state == "paid":
            slip = slips.get(slip_id) if isinstance(slip_id, str) else None
            wanted = {"kind": "allocation", "issuer": net.hub, "receiver": plain(fields, "branch"),
                      "amount": plain(fields, "amount"), "bank_account": plain(fields, "source_account")}
            if slip is None:
                net.difference(f"allocation {key} is paid but its slip {slip_id} is in no batch (§6.20)")
                continue
            got = {name: plain(slip["fields"], name) for name in wanted}
            if got != wanted:
                net.difference(f"allocation {key} is paid with slip {slip_id}, which has {got}; §6.20 wants {wanted}")
            if plain(fields, "kind") == "transfer":
                # §6.20 (release 2): paid from a branch A's account; the hub books Dr 2242.02.B / Cr 2242.02.A and sends
                # A a transfer_out slip naming the allocation slip; no bank journal line of the hub.
                source = state.registry.get("account", plain(fields, "source_account"), float("inf"))
                origin = plain(source, "org") if source is not None else \
                    (state.hub_accounts or {}).get(plain(fields, "source_account"), (None, None))[0]
                amount, branch = plain(fields, "amount"), plain(fields, "branch")
                booked = [(f"{net.hub}:2242.02.{origin}", "credit", amount), (f"{net.hub}:2242.02.{branch}", "debit", amount)]
                if hub_lines(f"slip:{slip_id}") != sorted(booked):
                    net.difference(f"transfer {key}: the hub's voucher of slip {slip_id} is {hub_lines(f'slip:{slip_id}')}, "
                                   f"§6.20 wants {sorted(booked)}")
                outs = [k for k, d in slips.items() if plain(d["fields"], "kind") == "transfer_out"
                        and plain(d["fields"], "related") == slip_id]
                out = slips[outs[0]]["fields"] if len(outs) == 1 else {}
                if len(outs) != 1 or (plain(out, "receiver"), plain(out, "amount"), plain(out, "bank_account")) \
                        != (origin, amount, plain(fields, "source_account")):
                    net.difference(f"transfer {key}: {len(outs)} transfer_out slip(s) name {slip_id}; §6.20 wants one to "
                                   f"{origin} for {amount} from {plain(fields, 'source_account')}")
            paid += 1
        elif order_state in ("prepared", "approved"):
            if slip_id is not None:
                if order_state == "approved":
                    net.notes.append(f"allocation {key} is approved with slip {slip_id}: a release-1 order, paid (§6.20)")
                else:
                    net.difference(f"allocation {key} is prepared but names slip {slip_id} (§6.20)")
        else:
            net.difference(f"allocation {key} has state {order_state!r}, not prepared, approved or paid (§6.20)")
    compared["paid allocations"] = paid

    # Internal slips (§6.14, release 2): the hub's vouchers of a cost allocation (its issuer_entries, `slip:<id>`), of a
    # re-issue (the returned slip's entries reversed, `slip:<old>:withdrawn`) and of an expense paid on its behalf that it
    # accepted (the slip's receiver_entries, `slip:<id>`). They reach the branch (they name its 2242.02), so they are
    # in the batches; a rejected slip has no row here and no voucher.
    internal = 0
    for key, doc in sorted(slips.items()):
        fields = doc["fields"]
        kind = plain(fields, "kind")
        if kind == "cost_allocation" and doc["origin"] == net.hub:
            internal += 1
            wanted = sorted(entry_lines(fields.get("issuer_entries")) or [])
            if hub_lines(f"slip:{key}") != wanted or len(wanted) != 2:
                net.difference(f"cost_allocation {key}: the hub's voucher has {hub_lines(f'slip:{key}')}; its issuer_entries "
                               f"are {wanted} (§6.14)")
            old = plain(fields, "related")
            if isinstance(old, str):
                before = slips.get(old)
                lines = entry_lines(before["fields"].get("issuer_entries")) if before is not None else None
                swapped = sorted((a, "credit" if s == "debit" else "debit", n) for a, s, n in lines or [])
                if before is None or old not in state.returned or hub_lines(f"slip:{old}:withdrawn") != swapped:
                    net.difference(f"cost_allocation {key} re-issues {old}, which was "
                                   + ("not returned" if old not in state.returned else
                                      f"reversed with {hub_lines(f'slip:{old}:withdrawn')}, not {swapped}") + " (§6.14)")
        elif kind == "expense_on_behalf" and doc["origin"] != net.hub:
            internal += 1
            wanted = sorted(entry_lines(fields.get("receiver_entries")) or [])
            if hub_lines(f"slip:{key}") != wanted:
                net.difference(f"expense_on_behalf {key}: the hub's counterpart has {hub_lines(f'slip:{key}')}; the slip's "
                               f"receiver_entries are {wanted} (§6.14)")
    compared["internal slips"] = internal

    # Annual inspections (§6.2): `inspected_on` of every open bank account of a unit, as the registry records give it.
    # The list does not depend on the day asked (only the due dates do): the latest voucher date will do.
    day = max([v["date"] for v in state.vouchers.values()], default="2000-01-01")
    try:
        listed = run_json(binary, "hub", "account", "inspections", "--data", hub_dir, "--date", day)
    except Failure as error:
        net.notes.append(f"annual inspections were not compared: {error}")
        listed = []
    inspected = 0
    for item in listed:
        fields = state.registry.get("account", item["account"], float("inf"))
        if fields is None:
            continue  # an account of a unit no node receives (§6 routing)
        mine = fields.get("inspected_on", ("null",))
        mine = mine[1] if mine[0] == "text" else None
        if item.get("inspectedOn") != mine:
            net.difference(f"account {item['account']}: inspected on {item.get('inspectedOn')} at the hub, "
                           f"{mine} in the registry records (§6.2)")
        inspected += 1 if mine else 0
    compared["inspections"] = (len(listed), inspected)

    # Contracts (§6.20a): the hub's own rows as its last change of each key left them. `hub contracts` prices accrued
    # interest on the day asked; only the stored fields are compared, on the latest day the contracts name.
    contracts = state.docs["contract"]
    if contracts:
        day = max(str(plain(c["fields"], name) or "") for c in contracts.values() for name in ("start_date", "closed_date"))
        try:
            rows = {c["contract"]: c for c in run_json(binary, "hub", "contracts", "--data", hub_dir, "--date", day)}
        except Failure as error:  # e.g. a loan overdue on that day with no overdue_penalty rate to price it
            net.notes.append(f"contracts were not compared: {error}")
            rows = {key: None for key in contracts}
        for key in sorted(set(rows) ^ set(contracts)):
            net.difference(f"contract {key}: " + ("held by the hub but not derived from the batches" if key in rows
                                                   else "derived from the batches but not held by the hub"))
        compared["contracts"] = 0
        for key in sorted(set(rows) & set(contracts)):
            row, fields = rows[key], contracts[key]["fields"]
            if row is None:
                continue
            compared["contracts"] += 1
            theirs = (row["branch"], row["kind"], row["principalMinorUnits"], row["start"], row["maturity"], row["state"])
            mine = tuple(plain(fields, name) for name in ("branch", "kind", "principal", "start_date", "maturity_date", "state"))
            if theirs != mine:
                net.difference(f"contract {key}: the hub has {theirs}; the batches give {mine}")
    return compared, totals, per_org


# --------------------------------------------------------------------------------------------------------------

def main(argv):
    parser = argparse.ArgumentParser(description="Apply a demo network's batches from PROTOCOL.md and compare with the hub.")
    parser.add_argument("folder", help="a folder made by Scripts/demo DIR")
    parser.add_argument("--bin", default=os.environ.get("FUNDSYNC_BIN", "fundsync"), help="the fundsync binary")
    parser.add_argument("--quiet", action="store_true", help="print only the summary and the differences")
    args = parser.parse_args(argv[1:])
    if cv.ed25519 is None:
        print("apply_batches: the `cryptography` package is required (pip install cryptography)")
        return 2
    started = time.monotonic()
    net = Network(os.path.abspath(args.folder))
    try:
        net.open_all()
        # The hub's accounts, those that never travel included (§6.24 `expense_on_behalf`, see above).
        accounts = run_json(args.bin, "balances", "--data", os.path.join(net.folder, "hub"))["accounts"]
        hub_accounts = {a["account"]: (a.get("org"), a.get("code")) for a in accounts}
        state, counts, tables, hub_changes, streams, rejections, answered = replay(net, hub_accounts)
        compared, totals, per_org = compare(net, state, hub_changes, streams, rejections, answered, args.bin)
    except Failure as error:
        print(f"apply_batches: FAILED: {error}")
        return 1
    except FileNotFoundError as error:
        print(f"apply_batches: FAILED: {error}")
        return 1

    unique = len(net.changes)
    by_origin = {}
    for (origin, _) in net.changes:
        by_origin[origin] = by_origin.get(origin, 0) + 1
    print(f"apply_batches: {net.folder}")
    print(f"  files: {net.files} batches opened ({net.acknowledgement_only} acknowledgement-only), hub {net.hub}, "
          f"{len(net.nodes)} nodes")
    print(f"  changes: {net.copies} carried, {unique} distinct by (origin, counter): {by_origin.get(net.hub, 0)} of the hub, "
          f"{unique - by_origin.get(net.hub, 0)} of the nodes")
    print(f"  node changes judged by the hub: {counts['judged']} ({counts['accepted']} accepted, {counts['rejected']} rejected); "
          f"§6.24 agrees with {counts['agree']}" + (f" ({counts['window']} decided within a window of hub counters)"
                                                 if counts["window"] else "")
          + (f" ({counts['hub accounts']} taken from the hub: a hub account that never travels)"
             if counts["hub accounts"] else "")
          + (f"; {counts['unanswered']} not answered yet" if counts["unanswered"] else ""))
    if not args.quiet:
        print("  by table (accepted/rejected): " + ", ".join(f"{t} {a}/{r}" for t, (a, r) in sorted(tables.items())))
    vouchers = sum(per_org.values())
    node_vouchers = vouchers - per_org.get(net.hub, 0)
    print(f"  vouchers posted: {vouchers} ({per_org.get(net.hub, 0)} of the hub, {node_vouchers} of the nodes; "
          f"{sum(1 for t in rejections if net.changes[t][0]['table'] == 'voucher')} node vouchers rejected)")
    accounts, registry_seen, posted_to = compared["accounts"]
    print(f"  accounts compared with `fundsync balances --json`: {accounts} ({posted_to} with postings, "
          f"{registry_seen} also by org/code/currency/status); documents compared: {compared['documents']}"
          + (f"; posted vouchers per org cross-checked in the hub's SQLite ({compared['sqlite']} orgs)"
             if "sqlite" in compared else "")
          + (f"; contracts compared with `fundsync hub contracts --json`: {compared['contracts']}" if "contracts" in compared else ""))
    listed, inspected = compared["inspections"]
    print(f"  allocation orders paid with their slip: {compared['paid allocations']}; bank accounts compared with "
          f"`fundsync hub account inspections --json`: {listed} ({inspected} inspected); confirmations held by the hub "
          f"(§6.22a): {compared['confirmations']}; cost allocations and expenses paid on the centre's behalf with the "
          f"hub's vouchers (§6.14): {compared['internal slips']}")
    for note in net.notes:
        print(f"  note: {note}")
    print(f"  took {time.monotonic() - started:.1f} s")
    if net.differences:
        print(f"DIFFERENT: {len(net.differences)} difference(s):")
        for difference in net.differences[:50]:
            print(f"  - {difference}")
        if len(net.differences) > 50:
            print(f"  … and {len(net.differences) - 50} more")
        return 1
    print("same: every balance, count, vector and document derived from the batches equals the hub's")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
