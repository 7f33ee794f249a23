import Foundation

/// A page made of parts — forms, charts and tables — rendered by one template (`screen.mustache`), so a new page is
/// a description of what it shows, not a new template. Every part turns into plain values for Mustache with each key
/// present (a missing key would be looked up in the enclosing context).
struct ConsoleScreen {
    var title: String
    var message: String? = nil
    var error: String? = nil
    var intro: String? = nil
    /// Links above the title: where this page sits (province › city › county).
    var breadcrumbs: [(text: String, href: String)] = []
    var forms: [ConsoleForm] = []
    var charts: [ConsoleChart] = []
    var tables: [ConsoleTable] = []
    /// Download links under the tables (xlsx, CSV).
    var downloads: [(text: String, href: String)] = []

    var context: [String: Any] {
        ["title": title, "message": message ?? false, "error": error ?? false, "intro": intro ?? false,
         "hasBreadcrumbs": !breadcrumbs.isEmpty, "breadcrumbs": breadcrumbs.map { ["text": $0.text, "href": $0.href] },
         "forms": forms.map(\.context), "charts": charts.map { ["id": $0.id, "caption": $0.caption, "svg": $0.svg] },
         "tables": tables.map(\.context), "hasDownloads": !downloads.isEmpty,
         "downloads": downloads.map { ["text": $0.text, "href": $0.href] }]
    }
}

/// An HTML form: GET for filters, POST (with the session's CSRF token) for actions.
struct ConsoleForm {
    var id: String
    var action: String
    var post = true
    var heading: String? = nil
    var fields: [ConsoleField] = []
    var submit: String
    /// A form for a file (`multipart/form-data`).
    var multipart = false
    /// A one-button form inside a table cell.
    var inline = false

    var context: [String: Any] {
        ["id": id, "action": action, "post": post, "method": post ? "post" : "get", "heading": heading ?? false,
         "fields": fields.map { $0.context(form: id) }, "submit": submit, "multipart": multipart, "inline": inline]
    }
}

/// One field of a form.
struct ConsoleField {
    enum Kind {
        case text, password, date, hidden, textarea, file
        case select([(value: String, text: String)])
    }

    var name: String
    var label: String
    var kind: Kind = .text
    var value: String = ""
    var required = true

    static func hidden(_ name: String, _ value: String) -> ConsoleField { ConsoleField(name: name, label: "", kind: .hidden, value: value) }

    func context(form: String) -> [String: Any] {
        var context: [String: Any] = ["name": name, "label": label, "value": value, "required": required, "fieldId": name,
                                      "isHidden": false, "isSelect": false, "isTextarea": false, "isInput": false,
                                      "type": "text", "options": [[String: Any]]()]
        switch kind {
        case .hidden: context["isHidden"] = true
        case .textarea: context["isTextarea"] = true
        case .select(let options):
            context["isSelect"] = true
            context["options"] = options.map { ["value": $0.value, "text": $0.text, "selected": $0.value == value] }
        case .text, .password, .date, .file:
            context["isInput"] = true
            context["type"] = switch kind { case .password: "password"; case .date: "date"; case .file: "file"; default: "text" }
        }
        return context
    }
}

/// A table: columns, rows of cells; a cell may link somewhere or hold one-button forms.
struct ConsoleTable {
    struct Column {
        var label: String
        var amount = false
    }

    struct Cell {
        var text: String
        var href: String? = nil
        var amount = false
        var forms: [ConsoleForm] = []

        static func amount(_ text: String) -> Cell { Cell(text: text, amount: true) }
    }

    struct Row {
        var id: String? = nil
        var highlight = false
        var cells: [Cell]
    }

    var id: String
    var caption: String? = nil
    var columns: [Column]
    var rows: [Row]
    var empty: String

    var context: [String: Any] {
        ["tableId": id, "caption": caption ?? false, "empty": empty, "hasRows": !rows.isEmpty,
         "columns": columns.map { ["label": $0.label, "amount": $0.amount] },
         "rows": rows.map { row -> [String: Any] in
             ["rowId": row.id ?? false, "highlight": row.highlight, "cells": row.cells.map { cell -> [String: Any] in
                 ["text": cell.text, "link": cell.href != nil, "href": cell.href ?? "", "amount": cell.amount, "cellForms": cell.forms.map(\.context)]
             }]
         }]
    }
}
