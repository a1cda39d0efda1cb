import Foundation
import Testing

@testable import Tracking

@Suite struct LFSPointerTests {
    // The example of Git LFS's spec.md, byte for byte.
    static let specExample =
        "version https://git-lfs.github.com/spec/v1\n"
        + "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        + "size 12345\n"

    @Test func writesAndParsesTheSpecificationExample() {
        let pointer = LFSPointer(
            sha256: "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393", size: 12345)
        #expect(pointer.text == Self.specExample)
        #expect(LFSPointer(bytes: Array(Self.specExample.utf8)) == pointer)
    }

    @Test(arguments: [
        "",
        "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1\n",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize -1\n",
        "{\"model_type\": \"llama\"}\n",
    ])
    func ordinaryFilesAreNotPointers(text: String) {
        #expect(LFSPointer(bytes: Array(text.utf8)) == nil)
    }

    @Test func sha256OfKnownBytes() throws {
        // sha256("abc"), FIPS 180-2 appendix B.1.
        #expect(
            FileHashing.sha256(of: Data("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
