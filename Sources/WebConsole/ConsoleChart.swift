import Foundation

/// A chart drawn on the server as SVG (no JavaScript): bars for counts or amounts by bucket (funds in transit by age),
/// lines for a series over days (daily balances by level). Amounts stay integers of fen until they are placed on
/// the axis; only the drawing coordinates are fractional.
struct ConsoleChart {
    var id: String
    var caption: String
    var svg: String

    static let width = 760, height = 260, left = 110, bottom = 40, top = 16, right = 16

    /// Vertical bars, one per `(label, value)`, each with its value written above it (`valueText`).
    static func bars(id: String, caption: String, _ bars: [(label: String, value: Int64, valueText: String)]) -> ConsoleChart {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = max(1, bars.map { max(0, $0.value) }.max() ?? 1)
        var parts = [axes(maximum: maximum)]
        let slot = bars.isEmpty ? plotWidth : plotWidth / bars.count
        for (index, bar) in bars.enumerated() {
            let barHeight = Int(Double(max(0, bar.value)) / Double(maximum) * Double(plotHeight))
            let x = left + index * slot + slot / 6, y = top + plotHeight - barHeight
            parts.append("<rect class=\"bar\" x=\"\(x)\" y=\"\(y)\" width=\"\(slot * 2 / 3)\" height=\"\(barHeight)\" fill=\"#8b1a1a\"><title>\(escape(bar.label)): \(escape(bar.valueText))</title></rect>")
            parts.append(text(x + slot / 3, y - 4, bar.valueText, anchor: "middle"))
            parts.append(text(x + slot / 3, height - bottom + 16, bar.label, anchor: "middle"))
        }
        return ConsoleChart(id: id, caption: caption, svg: wrap(parts, label: caption))
    }

    /// One line per series over the same days; values may be negative (a credit balance).
    static func lines(id: String, caption: String, days: [String], series: [(name: String, values: [Int64])],
                      axisText: (Int64) -> String) -> ConsoleChart {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = series.flatMap(\.values)
        let high = max(1, all.max() ?? 1), low = min(0, all.min() ?? 0)
        let span = Double(high) - Double(low)
        func y(_ value: Int64) -> Int { top + plotHeight - Int((Double(value) - Double(low)) / span * Double(plotHeight)) }
        func x(_ index: Int) -> Int { left + (days.count <= 1 ? plotWidth / 2 : index * plotWidth / (days.count - 1)) }
        var parts = ["<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#52606d\"/>",
                     "<line x1=\"\(left)\" y1=\"\(y(0))\" x2=\"\(left + plotWidth)\" y2=\"\(y(0))\" stroke=\"#52606d\"/>",
                     text(left - 6, top + 10, axisText(high), anchor: "end"), text(left - 6, y(0) + 4, axisText(0), anchor: "end")]
        if low < 0 { parts.append(text(left - 6, top + plotHeight, axisText(low), anchor: "end")) }
        let colours = ["#8b1a1a", "#1f6feb", "#2f855a", "#b7791f", "#6b46c1", "#c05621"]
        for (number, line) in series.enumerated() {
            let colour = colours[number % colours.count]
            let points = line.values.enumerated().map { "\(x($0.offset)),\(y($0.element))" }.joined(separator: " ")
            parts.append("<polyline class=\"series\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"><title>\(escape(line.name))</title></polyline>")
            parts.append("<rect x=\"\(left + 8 + number * 150)\" y=\"\(height - 14)\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>")
            parts.append(text(left + 22 + number * 150, height - 5, line.name, anchor: "start"))
        }
        for (index, day) in days.enumerated() where days.count <= 8 || index % max(1, days.count / 6) == 0 || index == days.count - 1 {
            parts.append(text(x(index), top + plotHeight + 16, day, anchor: "middle"))
        }
        return ConsoleChart(id: id, caption: caption, svg: wrap(parts, label: caption))
    }

    static func axes(maximum: Int64) -> String {
        let plotHeight = height - top - bottom
        return "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\" stroke=\"#52606d\"/>"
    }

    static func text(_ x: Int, _ y: Int, _ content: String, anchor: String) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" font-size=\"11\" text-anchor=\"\(anchor)\">\(escape(content))</text>"
    }

    static func wrap(_ parts: [String], label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(label))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">"
            + parts.joined() + "</svg>"
    }

    /// Text placed inside SVG markup (the template inserts the chart unescaped).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
