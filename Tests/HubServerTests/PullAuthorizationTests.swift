import BatchWire
import HubServer
import Testing
import SyncAPI

/// The pull-authorization header: its exact shape, and refusal of anything else before any key is looked up.
@Suite struct PullAuthorizationTests {
    @Test func signsAndParsesBack() throws {
        let key = try SigningKey.generate(.ed25519)
        let proof = try PullAuthorization.sign(path: "/v1/nodes/340121/batches/next", key: key, timeMilliseconds: 1_793_577_600_000,
                                               nonce: Array(0..<16))
        #expect(proof.headerValue.hasPrefix("v1 key=\(key.publicKey.keyID) time=1793577600000 nonce=000102030405060708090a0b0c0d0e0f sig="))
        #expect(try PullAuthorization.parse(proof.headerValue) == proof)
        let message = PullAuthorization.message(path: "/v1/nodes/340121/batches/next", keyID: proof.keyID,
                                                timeMilliseconds: proof.timeMilliseconds, nonce: proof.nonce)
        #expect(key.publicKey.verify(signature: proof.signature[...], message: message[...]))
        #expect(String(decoding: message, as: UTF8.self).hasPrefix("FundSync pull v1\nGET /v1/nodes/340121/batches/next\n"))
    }

    @Test(arguments: ["", "v2 key=a time=1 nonce=000102030405060708090a0b0c0d0e0f sig=AAAA", "v1 key=a time=x nonce=00 sig=AAAA",
                      "v1 key=a time=1 nonce=000102030405060708090a0b0c0d0e0f", "v1 key=a time=1 nonce=zz02030405060708090a0b0c0d0e0f00 sig=AAAA",
                      "v1 key=a time=1 nonce=000102030405060708090a0b0c0d0e0f sig=!!!", String(repeating: "v1 ", count: 500)])
    func refusesMalformedHeaders(_ value: String) {
        #expect(throws: PullAuthorizationError.self) { try PullAuthorization.parse(value) }
    }
}
