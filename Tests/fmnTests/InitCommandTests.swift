import Foundation
import TestSupport
import Testing

@Suite struct InitCommandTests {
    @Test func createsAStoreAndAcceptsItAgain() throws {
        let store = try Fixtures.temporaryDirectory().appendingPathComponent(".fmn").path
        let first = try StoreCLI.run(["init", "--store", store, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let json = try first.json()
        #expect(json["created"] as? Bool == true)
        #expect(json["migrations"] as? [String] == ["v1-initial"])
        for name in ["fmn.sqlite", "checkpoints/HEAD", "objects"] {
            #expect(FileManager.default.fileExists(atPath: store + "/" + name), "\(name)")
        }
        let second = try StoreCLI.run(["init", "--store", store])
        #expect(second.status == 0)
        #expect(second.stdout.contains("already initialised"))
    }

    @Test func refusesAFileThatIsNotAStore() throws {
        let store = try Fixtures.temporaryDirectory().appendingPathComponent(".fmn")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        let database = store.appendingPathComponent("fmn.sqlite")
        let text = Data(String(repeating: "not a database\n", count: 300).utf8)
        try text.write(to: database)
        let output = try StoreCLI.run(["init", "--store", store.path])
        #expect(output.status == 2)
        #expect(output.stderr.contains(database.path))
        #expect(output.stderr.contains("not a readable SQLite database"))
        #expect(try Data(contentsOf: database) == text)
        #expect(
            !FileManager.default.fileExists(
                atPath: store.appendingPathComponent("checkpoints").path))
    }
}
