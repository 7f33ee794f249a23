import HubCore
import LedgerCore
import SyncTesting
import Testing

/// A parameter's value is checked where a person types it (`hub param`), not where an office later reads it: a count of
/// days is a number, a set of days of the month a list of 1…31, a limit a non-negative amount in yuan.
@Suite struct ParameterValueTests {
    @Test func valuesAreCheckedByKind() throws {
        let province = try TestProvince(counties: ["340121"])
        defer { province.remove() }
        let hub = province.hub, day = BusinessDate("2026-11-02")!
        for (name, value) in [("forecast_days", "5,20"), ("allocation_days", "1, 15"), ("in_transit_aging_days", "2"),
                              ("overdraft_term_days.340121", "30"), ("cashier_release_limit", "100000.00"), ("cashier_release_limit.340121", "0.00")] {
            try hub.putParameter(name, value: value, effectiveFrom: day)
        }
        for (name, value) in [("forecast_days", "5;20"), ("forecast_days", "0,32"), ("allocation_days", ""), ("in_transit_aging_days", "two"),
                              ("receipt_chase_days", "-1"), ("overdraft_term_days", "99999"), ("cashier_release_limit", "-5.00"),
                              ("cashier_release_limit", "10万")] {
            #expect(throws: RegistryError.self, "\(name)=\(value)") { try hub.putParameter(name, value: value, effectiveFrom: day) }
        }
    }
}
