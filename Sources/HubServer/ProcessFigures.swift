import Foundation

/// The figures of the standard `process_*` metrics, read from Linux's `/proc/self` (the names and meanings of the
/// Prometheus client libraries, so a stock dashboard reads them).
struct ProcessFigures {
    var cpuSeconds: Double
    var residentBytes: Int64
    var openFiles: Int
    var startTimeSeconds: Int64

    /// `nil` where `/proc` is not there or does not read (not Linux): the metrics are then simply absent.
    static func read() -> ProcessFigures? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let system = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              // The command name (field 2) is in parentheses and may hold spaces: fields are counted after its ")".
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        // After ")": state is field 3, so field n is fields[n - 3]: utime 14, stime 15, starttime 22.
        guard fields.count > 19, ticks > 0, let user = Double(fields[11]), let system_ = Double(fields[12]), let start = Double(fields[19]),
              let residentPages = statm.split(separator: " ").dropFirst().first.flatMap({ Int64($0) }),
              let boot = system.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }).flatMap({ Int64($0.dropFirst(6)) }) else {
            return nil
        }
        let openFiles = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return ProcessFigures(cpuSeconds: (user + system_) / ticks, residentBytes: residentPages * Int64(sysconf(Int32(_SC_PAGESIZE))),
                              openFiles: openFiles, startTimeSeconds: boot + Int64(start / ticks))
    }
}
