import Foundation
import Testing

@testable import Tracking

@Suite struct JSONValueTests {
    @Test func roundTripsEveryKindOfValue() throws {
        let text = #"{"a":[1,2.5,-3e-05],"b":true,"c":null,"d":"x/y","e":{"f":false,"g":[]}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(
            value
                == .object([
                    "a": .array([.number(1), .number(2.5), .number(-3e-05)]), "b": .bool(true),
                    "c": .null, "d": .string("x/y"),
                    "e": .object(["f": .bool(false), "g": .array([])]),
                ]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let again = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(value))
        #expect(again == value)
    }

    @Test func manifestBytesAreStable() throws {
        let manifest = CheckpointManifest(
            kind: .lora, parent: String(repeating: "1", count: 40), method: "lora",
            trainingConfiguration: .object(["loraRank": .number(8), "useDoRA": .bool(false)]),
            dataFileHashes: ["train.jsonl": "ab"], toolVersion: "0.1.0")
        let expected = """
            {
              "dataFileHashes" : {
                "train.jsonl" : "ab"
              },
              "formatVersion" : 1,
              "kind" : "lora",
              "method" : "lora",
              "parent" : "1111111111111111111111111111111111111111",
              "toolVersion" : "0.1.0",
              "trainingConfiguration" : {
                "loraRank" : 8,
                "useDoRA" : false
              }
            }

            """
        #expect(String(decoding: try manifest.encoded(), as: UTF8.self) == expected)
        #expect(
            try JSONDecoder().decode(CheckpointManifest.self, from: manifest.encoded()) == manifest)
    }
}
