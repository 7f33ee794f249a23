/// The age buckets of funds in transit, in days since the slip's date, shared by the console's aging chart and the
/// hub's metrics: the last is past any normal bank delay.
public enum TransitAging {
    public static let buckets: [(key: String, upToDays: Int)] = [("0-2", 2), ("3-7", 7), ("8-15", 15), ("16-30", 30), ("31+", .max)]

    /// The index in ``buckets`` of an age (a negative age, a slip dated later, counts as the first).
    public static func bucket(ageDays: Int) -> Int {
        buckets.firstIndex { ageDays <= $0.upToDays } ?? buckets.count - 1
    }
}
