import LedgerCore
import Testing

@Suite struct VersionVectorTests {
    let a = OrgCode("340121")!, b = OrgCode("340122")!

    @Test func advanceOnlyRaises() {
        var vector = VersionVector()
        vector.advance(a, to: 5)
        vector.advance(a, to: 3)
        #expect(vector[a] == 5)
        #expect(vector[b] == 0)
    }

    @Test func dominanceAndConcurrency() {
        let older = VersionVector([a: 1, b: 1])
        let newer = VersionVector([a: 2, b: 1])
        let sideways = VersionVector([a: 1, b: 2])
        #expect(newer.dominates(older))
        #expect(!older.dominates(newer))
        #expect(newer.isConcurrent(with: sideways))
        #expect(!newer.isConcurrent(with: older))
        #expect(VersionVector([a: 0]) == VersionVector())
    }
}
