import FenghuoStore
import Foundation
import Testing

@Suite("Private files") struct PrivateFileTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-private-\(UUID())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int ?? -1) & 0o777
    }

    @Test func a_replaced_file_is_the_owners_alone_even_over_a_leftover_world_readable_temporary() throws {
        let path = folder + "/history"
        // A crash left a temporary another user may read; the umask would also leave one.
        FileManager.default.createFile(atPath: path + ".tmp", contents: Data("old".utf8), attributes: [.posixPermissions: 0o644])
        try PrivateFile.replace(path, with: Data("e1 42\n".utf8))
        #expect(mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "e1 42\n")
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        try PrivateFile.replace(path, with: Data("e1 43\n".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "e1 43\n")
    }

    @Test func the_temporary_is_private_from_its_first_byte() throws {
        // A folder where the file should be: the rename fails and leaves the temporary to look at.
        let path = folder + "/mark"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        #expect(throws: PrivateFile.Failure.self) { try PrivateFile.replace(path, with: Data("x".utf8)) }
        #expect(mode(path + ".tmp") == 0o600)
    }
}
