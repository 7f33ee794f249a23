import Foundation
import Testing
import ZIPFoundation
@testable import ReportWriters

/// The ZIP layer of the xlsx reader (`ZIPArchiveReader`, over zlib), against the files that broke or could break
/// ZIPFoundation: a deflate stream cut short (the one that spins ZIPFoundation 0.9.20 forever on Linux), stored
/// entries, lying checksums and sizes, ZIP64 and encryption markers, damaged directories, and archives made by an
/// independent tool, Info-ZIP's `zip`, with its data descriptors and local extra fields.
@Suite struct ZIPArchiveReaderTests {
    static let sheet = "xl/worksheets/sheet1.xml"

    // MARK: The hang of ZIPFoundation#389

    /// The sheet's deflate stream cut in half, both headers saying so: ZIPFoundation would inflate it forever.
    @Test func refusesADeflateStreamCutShortPromptly() throws {
        let honest = try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(200)))
        let entry = try #require(try ZIPArchiveReader([UInt8](honest)).entries.first { $0.name == Self.sheet })
        #expect(entry.method == 8)
        #expect(entry.compressedSize > 1000)  // a real stream of many blocks' worth, not a few bytes
        #expect(try XLSXReader.firstSheet(of: honest).rows.count == 200)

        let cut = try ZIPSurgery.setting(.compressedSize, to: UInt32(entry.compressedSize / 2), for: Self.sheet,
                                         in: honest)
        let started = ContinuousClock.now
        let outcome = try #require(ReadWithDeadline.firstSheet(of: cut), "the reader did not return in 10 seconds")
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(outcome == .failure(.truncatedPart(part: Self.sheet)))
        #expect(outcome.error?.name == "truncated-part")
        #expect(outcome.error?.description.contains(Self.sheet) == true)
    }

    /// Every prefix of a deflate stream ends in `truncated`: none loops, none passes for a whole part.
    @Test func everyPrefixOfADeflateStreamIsTruncated() throws {
        let data = try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(60)))
        let archive = try ZIPArchiveReader([UInt8](data))
        let entry = try #require(archive.entries.first { $0.name == Self.sheet })
        let whole = try archive.contents(of: entry, sizeMax: 1 << 20)
        #expect(whole == Data(HandMadeXLSX.worksheet(InfoZIPFixture.rows(60)).utf8))
        for length in 0..<entry.compressedSize {
            var shortened = entry
            shortened.compressedSize = length
            let cut = shortened
            #expect(throws: ZIPArchiveReader.Failure.truncated, "cut at \(length)") {
                try archive.contents(of: cut, sizeMax: 1 << 20)
            }
        }
    }

    /// Compressed data said to run past the end of the file is truncated too, stored or deflated.
    @Test func refusesDataRunningPastTheEndOfTheFile() throws {
        for method in [CompressionMethodChoice.deflate, .stored] {
            let data = try method.workbook(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(5)))
            var sizes = try ZIPSurgery.setting(.compressedSize, to: UInt32(data.count), for: Self.sheet, in: data)
            sizes = try ZIPSurgery.setting(.uncompressedSize, to: UInt32(data.count), for: Self.sheet, in: sizes)
            #expect(ReadWithDeadline.firstSheet(of: sizes) == .failure(.truncatedPart(part: Self.sheet)), "\(method)")
        }
    }

    // MARK: Stored entries, checksums, sizes

    @Test func readsStoredEntries() throws {
        let sheet = HandMadeXLSX.worksheet(InfoZIPFixture.rows(12))
        let data = try CompressionMethodChoice.stored.workbook(sheet: sheet)
        let archive = try ZIPArchiveReader([UInt8](data))
        #expect(!archive.entries.isEmpty)
        #expect(archive.entries.allSatisfy { $0.method == 0 && $0.compressedSize == $0.uncompressedSize })
        let entry = try #require(archive.entries.first { $0.name == Self.sheet })
        #expect(try archive.contents(of: entry, sizeMax: 1 << 20) == Data(sheet.utf8))
        #expect(try XLSXReader.firstSheet(of: data).rows == InfoZIPFixture.expectedRows(12))
        // The declared-size limit holds for stored entries too.
        #expect(throws: ZIPArchiveReader.Failure.declaredPastLimit(declaredBytes: sheet.utf8.count)) {
            try archive.contents(of: entry, sizeMax: sheet.utf8.count - 1)
        }
    }

    /// A stored entry must declare the same size stored and uncompressed.
    @Test func refusesAStoredEntryWithTwoSizes() throws {
        let data = try CompressionMethodChoice.stored.workbook(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(3)))
        let entry = try #require(try ZIPArchiveReader([UInt8](data)).entries.first { $0.name == Self.sheet })
        let lying = try ZIPSurgery.setting(.compressedSize, to: UInt32(entry.compressedSize - 1), for: Self.sheet,
                                           in: data)
        let outcome = ReadWithDeadline.firstSheet(of: lying)
        #expect(outcome?.error?.name == "corrupt-part")
        #expect(outcome?.error?.description.contains("stored uncompressed") == true)
    }

    @Test func refusesACRCMismatchStoredOrDeflated() throws {
        for method in [CompressionMethodChoice.deflate, .stored] {
            let data = try method.workbook(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(5)))
            let entry = try #require(try ZIPArchiveReader([UInt8](data)).entries.first { $0.name == Self.sheet })
            let lying = try ZIPSurgery.setting(.crc32, to: entry.crc32 ^ 0x0000_0100, for: Self.sheet, in: data)
            let outcome = ReadWithDeadline.firstSheet(of: lying)
            #expect(outcome == .failure(.corruptPart(part: Self.sheet, reason: "its CRC-32 checksum does not match")),
                    "\(method)")
            let archive = try ZIPArchiveReader([UInt8](lying))
            let patched = try #require(archive.entries.first { $0.name == Self.sheet })
            #expect(throws: ZIPArchiveReader.Failure.checksumMismatch) {
                try archive.contents(of: patched, sizeMax: 1 << 20)
            }
        }
    }

    /// A declared size within the limit but smaller than the part: refused once inflated, by size.
    @Test func refusesAPartLongerThanItsDeclaredSize() throws {
        let sheet = HandMadeXLSX.worksheet(InfoZIPFixture.rows(5))
        let honest = try HandMadeXLSX.standard(sheet: sheet)
        let size = sheet.utf8.count
        let lying = HandMadeXLSX.declaring(uncompressedSize: UInt32(size - 1), for: Self.sheet, in: honest)
        let expected = XLSXReadError.corruptPart(part: Self.sheet,
                                                 reason: "it holds \(size) bytes where its header declares \(size - 1)")
        #expect(ReadWithDeadline.firstSheet(of: lying) == .failure(expected))
    }

    // MARK: Refused features

    @Test func refusesEncryptedEntriesAndOtherMethods() throws {
        let data = try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(2)))
        let encrypted = try ZIPSurgery.setting(.flags, to: 0x0001, for: Self.sheet, in: data)
        #expect(ReadWithDeadline.firstSheet(of: encrypted) == .failure(.encryptedPart(part: Self.sheet)))
        #expect(XLSXReadError.encryptedPart(part: Self.sheet).name == "encrypted-part")

        let bzip2 = try ZIPSurgery.setting(.method, to: 12, for: Self.sheet, in: data)
        let outcome = ReadWithDeadline.firstSheet(of: bzip2)
        #expect(outcome == .failure(.unsupportedCompression(part: Self.sheet, method: 12)))
        #expect(outcome?.error?.name == "unsupported-compression")
    }

    @Test func refusesZIP64Markers() throws {
        let data = try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(2)))
        let end = try ZIPSurgery.endRecord(in: [UInt8](data))
        var directoryOffset = [UInt8](data)
        ZIPSurgery.setField(0xFFFF_FFFF, width: 4, at: end + 16, in: &directoryOffset)
        var entryCount = [UInt8](data)
        ZIPSurgery.setField(0xFFFF, width: 2, at: end + 10, in: &entryCount)
        ZIPSurgery.setField(0xFFFF, width: 2, at: end + 8, in: &entryCount)
        let entrySize = try ZIPSurgery.setting(.uncompressedSize, to: 0xFFFF_FFFF, for: Self.sheet, in: data)
        for archive in [Data(directoryOffset), Data(entryCount), entrySize] {
            #expect(ReadWithDeadline.firstSheet(of: archive) == .failure(.zip64NotSupported))
        }
        #expect(XLSXReadError.zip64NotSupported.name == "zip64-not-supported")
    }

    // MARK: The directory

    @Test func findsTheEndRecordBehindAComment() throws {
        let data = try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(4)))
        let end = try ZIPSurgery.endRecord(in: [UInt8](data))
        var commented = [UInt8](data)
        let comment = Array(String(repeating: "注释 comment ", count: 2000).utf8)  // 30,000 bytes
        ZIPSurgery.setField(UInt32(comment.count), width: 2, at: end + 20, in: &commented)
        commented += comment
        #expect(try XLSXReader.firstSheet(of: Data(commented)).rows == InfoZIPFixture.expectedRows(4))
        // A comment length running past the end of the file hides the record: not a ZIP.
        var overlong = [UInt8](data)
        ZIPSurgery.setField(1, width: 2, at: end + 20, in: &overlong)
        #expect(ReadWithDeadline.firstSheet(of: Data(overlong)) == .failure(.notAZip))
    }

    @Test func refusesADamagedCentralDirectory() throws {
        let data = try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(2)))
        let end = try ZIPSurgery.endRecord(in: [UInt8](data))
        var misplaced = [UInt8](data)
        ZIPSurgery.setField(1, width: 4, at: end + 16, in: &misplaced)  // the directory "starts" at byte 1
        let outcome = ReadWithDeadline.firstSheet(of: Data(misplaced))
        #expect(outcome?.error?.name == "corrupt-archive")
        #expect(outcome?.error?.description.contains("entry 1 of 4") == true)

        var pastEnd = [UInt8](data)
        ZIPSurgery.setField(UInt32(end), width: 4, at: end + 12, in: &pastEnd)  // a directory as long as the file
        #expect(ReadWithDeadline.firstSheet(of: Data(pastEnd))?.error?.name == "corrupt-archive")

        var localHeader = [UInt8](data)
        let headers = try ZIPSurgery.headers(of: Self.sheet, in: localHeader)
        localHeader[headers.local] = 0  // the local header's signature
        #expect(ReadWithDeadline.firstSheet(of: Data(localHeader)) == .failure(
            .corruptPart(part: Self.sheet, reason: "there is no local file header at byte \(headers.local)")))
    }

    /// No prefix of a workbook and no few flipped bytes may trap, hang or pass unnoticed as a broken read.
    @Test func survivesTruncationAndFlippedBytes() throws {
        let data = [UInt8](try HandMadeXLSX.standard(sheet: HandMadeXLSX.worksheet(InfoZIPFixture.rows(8))))
        for length in 0..<data.count {
            let outcome = try #require(ReadWithDeadline.firstSheet(of: Data(data[..<length])), "prefix \(length)")
            #expect(outcome.error != nil, "prefix of \(length) bytes")
        }
        var generator = ByteFlipGenerator(seed: 0x2024_0331)
        var refused = 0
        for round in 0..<400 {
            var mutated = data
            for _ in 0...(generator.next() % 4) {
                mutated[Int(generator.next() % UInt64(data.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            let outcome = try #require(ReadWithDeadline.firstSheet(of: Data(mutated)), "round \(round)")
            if outcome.error != nil { refused += 1 }
        }
        #expect(refused > 0)
    }

    @Test func decodesNamesAsUTF8OrCodePage437() {
        #expect(ZIPArchiveReader.codePage437High.count == 128)
        #expect(ZIPArchiveReader.decodedName([0x78, 0x6C, 0x2F], isUTF8: false) == "xl/")
        #expect(ZIPArchiveReader.decodedName([0x80, 0x61, 0xE1, 0xFF], isUTF8: false) == "Ça\u{DF}\u{A0}")
        #expect(ZIPArchiveReader.decodedName(ArraySlice("账户.xml".utf8), isUTF8: true) == "账户.xml")
    }

    // MARK: An independent writer: Info-ZIP

    /// Made once by Info-ZIP 3.0 (`zip -r -n .rels -fz- - _rels xl | cat`): through a pipe, so every file has a
    /// data descriptor and zero compressed size in its local header; the `.rels` parts are stored, the others
    /// deflated; local extra fields (28 bytes) differ from the central ones (24); directories have entries.
    @Test func readsAnArchiveInfoZIPMade() throws {
        let data = try #require(Data(base64Encoded: InfoZIPFixture.archive, options: .ignoreUnknownCharacters))
        let archive = try ZIPArchiveReader([UInt8](data))
        #expect(archive.entries.map(\.name) == [
            "_rels/", "_rels/.rels", "xl/", "xl/worksheets/", "xl/worksheets/sheet1.xml", "xl/workbook.xml",
            "xl/_rels/", "xl/_rels/workbook.xml.rels",
        ])
        #expect(archive.entries.filter(\.isDirectory).count == 4)
        let files = archive.entries.filter(\.isFile)
        #expect(files.allSatisfy { $0.flags & 0x0008 != 0 })  // data descriptors
        #expect(files.map(\.method) == [0, 8, 8, 0])
        try InfoZIPFixture.expectParts(of: archive)
        #expect(try XLSXReader.firstSheet(of: data) == InfoZIPFixture.expectedSheet)
    }

    static let zipTool = ["/usr/bin/zip", "/usr/local/bin/zip"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The same, made at test time by whatever `zip` is installed, written to a pipe.
    @Test(.enabled(if: zipTool != nil, "no zip command line installed; readsAnArchiveInfoZIPMade covers its output"))
    func readsAnArchiveTheZipCommandMakes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (path, text) in InfoZIPFixture.parts {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.zipTool))
        process.arguments = ["-q", "-r", "-n", ".rels", "-fz-", "-", "_rels", "xl"]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let archive = try ZIPArchiveReader([UInt8](data))
        #expect(Set(archive.entries.filter(\.isFile).map(\.name)) == Set(InfoZIPFixture.parts.map { $0.path }))
        try InfoZIPFixture.expectParts(of: archive)
        #expect(try XLSXReader.firstSheet(of: data) == InfoZIPFixture.expectedSheet)
    }
}

/// The parts of the Info-ZIP fixture, built with ``HandMadeXLSX`` exactly as the embedded archive holds them.
enum InfoZIPFixture {
    /// `n` rows: an inline string with Chinese text, then a number.
    static func rows(_ count: Int) -> String {
        (1...count).map { row in
            "<row r=\"\(row)\"><c r=\"A\(row)\" t=\"inlineStr\"><is><t>账户 \(row)</t></is></c>"
                + "<c r=\"B\(row)\"><v>\(row * 37).05</v></c></row>"
        }.joined()
    }

    static func expectedRows(_ count: Int) -> [[String]] {
        (1...count).map { row in ["账户 \(row)", "\(row * 37).05"] }
    }

    static let expectedSheet = XLSXSheet(name: "Info-ZIP", rows: expectedRows(30))

    static let parts: [(path: String, text: String)] = [
        ("_rels/.rels", HandMadeXLSX.rootRelationships),
        ("xl/workbook.xml", HandMadeXLSX.workbook(sheets: [("Info-ZIP", "rId1")])),
        ("xl/_rels/workbook.xml.rels", HandMadeXLSX.relationships([("rId1", "worksheet", "worksheets/sheet1.xml")])),
        ("xl/worksheets/sheet1.xml", HandMadeXLSX.worksheet(rows(30))),
    ]

    /// Each part of `archive` holds exactly the bytes written.
    static func expectParts(of archive: ZIPArchiveReader) throws {
        for (path, text) in parts {
            let entry = try #require(archive.entries.first { $0.name == path }, "\(path)")
            #expect(try archive.contents(of: entry, sizeMax: 1 << 20) == Data(text.utf8), "\(path)")
        }
    }

    /// 2,723 bytes from Info-ZIP 3.0 of July 2008 (see `readsAnArchiveInfoZIPMade`).
    static let archive = """
        UEsDBAoAAAAAAI6Lg10AAAAAAAAAAAAAAAAGABwAX3JlbHMvVVQJAAO7phFru6YRa3V4CwABBAAAAAAEAAAAAFBLAwQKAAgAAACOi4NdAAAA
        ACgBAAAoAQAACwAcAF9yZWxzLy5yZWxzVVQJAAO7phFru6YRa3V4CwABBAAAAAAEAAAAADw/eG1sIHZlcnNpb249IjEuMCIgZW5jb2Rpbmc9
        IlVURi04IiBzdGFuZGFsb25lPSJ5ZXMiPz4KPFJlbGF0aW9uc2hpcHMgeG1sbnM9Imh0dHA6Ly9zY2hlbWFzLm9wZW54bWxmb3JtYXRzLm9y
        Zy9wYWNrYWdlLzIwMDYvcmVsYXRpb25zaGlwcyI+PFJlbGF0aW9uc2hpcCBJZD0icklkMSIgVHlwZT0iaHR0cDovL3NjaGVtYXMub3Blbnht
        bGZvcm1hdHMub3JnL29mZmljZURvY3VtZW50LzIwMDYvcmVsYXRpb25zaGlwcy9vZmZpY2VEb2N1bWVudCIgVGFyZ2V0PSJ4bC93b3JrYm9v
        ay54bWwiLz48L1JlbGF0aW9uc2hpcHM+UEsHCAZZx4IoAQAAKAEAAFBLAwQKAAAAAACOi4NdAAAAAAAAAAAAAAAAAwAcAHhsL1VUCQADu6YR
        a7umEWt1eAsAAQQAAAAABAAAAABQSwMECgAAAAAAjouDXQAAAAAAAAAAAAAAAA4AHAB4bC93b3Jrc2hlZXRzL1VUCQADu6YRa7umEWt1eAsA
        AQQAAAAABAAAAABQSwMEFAAIAAgAjouDXQAAAAAAAAAAQgwAABgAHAB4bC93b3Jrc2hlZXRzL3NoZWV0MS54bWxVVAkAA7umEWu7phFrdXgL
        AAEEAAAAAAQAAAAAhdZRjpswEIDh9z0F4r2xZ4zBrgirVlUv0PYAKKGbqAlEgLLtDXqSnqBSb1T1GCWZLI60M/gNjPzDA5/G5eP34yE5N/2w
        79p1CiudJk276bb79mmdfvn88Y1Lk2Gs22196Npmnf5ohvSxeiifu/7bsGuaMZkC7bBOd+N4eqvUsNk1x3pYdaemnZ587fpjPU63/ZMaTn1T
        b6+bjgeFWufqWO/bdKpdFz/UYz1d991z0k+fklbl5nLxDtJkXKf79rBvm09jP63vh6ocq3+/f/39+SeBUo1VqS5ranPb8/6y+1yZYqVtqc70
        RE3l6iWPcx6X88jl8ZovMjFv5rxZzhsub655ABD72dzPlvsZ18+onzmxb+e+Xe5brm+p76zYz+d+vtzPuX5+7SOi2C/mfrHcL7h+QX3rxb6b
        +26577i+o77Pxb6f+36577m+p7/fGLEPOvDSEV+aBaZvwrT8jjvCMcM8YlKcaZkxBMcQgQysZCDKWSZbhoAZIpqB5QzkOXOyZwigISIaWNJA
        pi3IpiGghohqYFkDubZWdg0BNkRkA0sbyLb1sm0IuCGiG1jeQL5zlH1DAA4R4cASBzKe57JxCMghohxY5kDOCy07x+AcI86RdY76Nupk5xic
        Y8Q5ss6RnBfFwri+m9exgc1PbHLuQHaOwTlGnCPrHMm5s7JzDM4x4hxZ50jOnZOdY3COEefIOkdy7lF2jsE5Rpwj6xzJuc9l5xicY8Q5ss6R
        nHsvO8fgHCPOkXWO5By0kaFjgI4R6MhCR397SSFLN0G6iUg3rHSjX06dr6k/lOr+iK7m03/18B9QSwcIKjXzQWMCAABCDAAAUEsDBBQACAAI
        AI6Lg10AAAAAAAAAAB4BAAAPABwAeGwvd29ya2Jvb2sueG1sVVQJAAO7phFru6YRa3V4CwABBAAAAAAEAAAAAI2Pu27DMAxF936FwD2R0yEI
        DNtZggLeMjRLNsWiY8EWaZBKk/59ldfeiS/cw3ur7S1O5gdFA1MNq2UBBqljH+hcw+H7a7EBo8mRdxMT1vCLCtvmo7qyjCfm0WQ9aQ1DSnNp
        rXYDRqdLnpHypWeJLuVRzlZnQed1QExxsp9FsbbRBYInoZT/MLjvQ4c77i4RKT0hgpNL2b0OYVZoqscHfVVDLmbXLfW8OLb7nOW+bX2OCkbK
        kBtp/QpsU9m30L6zNX9QSwcIySMHN8EAAAAeAQAAUEsDBAoAAAAAAI6Lg10AAAAAAAAAAAAAAAAJABwAeGwvX3JlbHMvVVQJAAO7phFru6YR
        a3V4CwABBAAAAAAEAAAAAFBLAwQKAAgAAACOi4NdAAAAACkBAAApAQAAGgAcAHhsL19yZWxzL3dvcmtib29rLnhtbC5yZWxzVVQJAAO7phFr
        u6YRa3V4CwABBAAAAAAEAAAAADw/eG1sIHZlcnNpb249IjEuMCIgZW5jb2Rpbmc9IlVURi04IiBzdGFuZGFsb25lPSJ5ZXMiPz4KPFJlbGF0
        aW9uc2hpcHMgeG1sbnM9Imh0dHA6Ly9zY2hlbWFzLm9wZW54bWxmb3JtYXRzLm9yZy9wYWNrYWdlLzIwMDYvcmVsYXRpb25zaGlwcyI+PFJl
        bGF0aW9uc2hpcCBJZD0icklkMSIgVHlwZT0iaHR0cDovL3NjaGVtYXMub3BlbnhtbGZvcm1hdHMub3JnL29mZmljZURvY3VtZW50LzIwMDYv
        cmVsYXRpb25zaGlwcy93b3Jrc2hlZXQiIFRhcmdldD0id29ya3NoZWV0cy9zaGVldDEueG1sIi8+PC9SZWxhdGlvbnNoaXBzPlBLBwiabzx8
        KQEAACkBAABQSwECHgMKAAAAAACOi4NdAAAAAAAAAAAAAAAABgAYAAAAAAAAABAA7UEAAAAAX3JlbHMvVVQFAAO7phFrdXgLAAEEAAAAAAQA
        AAAAUEsBAh4DCgAIAAAAjouDXQZZx4IoAQAAKAEAAAsAGAAAAAAAAAAAAKSBQAAAAF9yZWxzLy5yZWxzVVQFAAO7phFrdXgLAAEEAAAAAAQA
        AAAAUEsBAh4DCgAAAAAAjouDXQAAAAAAAAAAAAAAAAMAGAAAAAAAAAAQAO1BvQEAAHhsL1VUBQADu6YRa3V4CwABBAAAAAAEAAAAAFBLAQIe
        AwoAAAAAAI6Lg10AAAAAAAAAAAAAAAAOABgAAAAAAAAAEADtQfoBAAB4bC93b3Jrc2hlZXRzL1VUBQADu6YRa3V4CwABBAAAAAAEAAAAAFBL
        AQIeAxQACAAIAI6Lg10qNfNBYwIAAEIMAAAYABgAAAAAAAEAAACkgUICAAB4bC93b3Jrc2hlZXRzL3NoZWV0MS54bWxVVAUAA7umEWt1eAsA
        AQQAAAAABAAAAABQSwECHgMUAAgACACOi4NdySMHN8EAAAAeAQAADwAYAAAAAAABAAAApIEHBQAAeGwvd29ya2Jvb2sueG1sVVQFAAO7phFr
        dXgLAAEEAAAAAAQAAAAAUEsBAh4DCgAAAAAAjouDXQAAAAAAAAAAAAAAAAkAGAAAAAAAAAAQAO1BIQYAAHhsL19yZWxzL1VUBQADu6YRa3V4
        CwABBAAAAAAEAAAAAFBLAQIeAwoACAAAAI6Lg12abzx8KQEAACkBAAAaABgAAAAAAAAAAACkgWQGAAB4bC9fcmVscy93b3JrYm9vay54bWwu
        cmVsc1VUBQADu6YRa3V4CwABBAAAAAAEAAAAAFBLBQYAAAAACAAIAJwCAADxBwAAAAA=
        """
}

/// The two ZIP methods ZIPFoundation writes, for the tests that run on both.
enum CompressionMethodChoice: CustomStringConvertible {
    case deflate, stored

    var description: String { self == .deflate ? "deflate" : "stored" }

    func workbook(sheet: String) throws -> Data {
        try HandMadeXLSX.standard(sheet: sheet, compressionMethod: self == .deflate ? .deflate : .none)
    }
}

/// Byte surgery on a ZIP archive, for the files a broken or hostile writer makes. Headers are found as a reader
/// finds them: the end record, then the central directory, then the local header it points to.
enum ZIPSurgery {
    /// A field both the central and the local header hold (the local one sits 2 bytes earlier).
    enum Field {
        case flags, method, crc32, compressedSize, uncompressedSize

        var centralOffset: Int {
            switch self {
            case .flags: 8
            case .method: 10
            case .crc32: 16
            case .compressedSize: 20
            case .uncompressedSize: 24
            }
        }

        var width: Int { self == .flags || self == .method ? 2 : 4 }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `data` with `field` of `path` set to `value` in its central and its local header.
    static func setting(_ field: Field, to value: UInt32, for path: String, in data: Data) throws -> Data {
        var bytes = [UInt8](data)
        let headers = try Self.headers(of: path, in: bytes)
        setField(value, width: field.width, at: headers.central + field.centralOffset, in: &bytes)
        setField(value, width: field.width, at: headers.local + field.centralOffset - 2, in: &bytes)
        return Data(bytes)
    }

    static func endRecord(in bytes: [UInt8]) throws -> Int {
        guard let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: {
            field(at: $0, width: 4, in: bytes) == 0x0605_4B50
        }) else { throw Failure(description: "no end record") }
        return end
    }

    static func headers(of path: String, in bytes: [UInt8]) throws -> (central: Int, local: Int) {
        let end = try endRecord(in: bytes)
        var offset = Int(field(at: end + 16, width: 4, in: bytes))
        for _ in 0..<field(at: end + 10, width: 2, in: bytes) {
            guard field(at: offset, width: 4, in: bytes) == 0x0201_4B50 else { break }
            let nameLength = Int(field(at: offset + 28, width: 2, in: bytes))
            let next = offset + 46 + nameLength + Int(field(at: offset + 30, width: 2, in: bytes))
                + Int(field(at: offset + 32, width: 2, in: bytes))
            if Array(bytes[(offset + 46)..<(offset + 46 + nameLength)]) == Array(path.utf8) {
                return (offset, Int(field(at: offset + 42, width: 4, in: bytes)))
            }
            offset = next
        }
        throw Failure(description: "no entry \(path)")
    }

    static func field(at offset: Int, width: Int, in bytes: [UInt8]) -> UInt32 {
        (0..<width).reduce(0) { value, index in value | UInt32(bytes[offset + index]) << (8 * index) }
    }

    static func setField(_ value: UInt32, width: Int, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<width { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }
}

/// Reads a workbook on a thread of its own and waits at most 10 seconds, so a reader that spins forever fails its
/// test (`nil`) instead of hanging the whole run.
enum ReadWithDeadline {
    static func firstSheet(of data: Data, limits: XLSXReadLimits = .init(),
                           seconds: Double = 10) -> Result<XLSXSheet, XLSXReadError>? {
        let outcome = Outcome()
        Thread {
            do throws(XLSXReadError) {
                outcome.finish(.success(try XLSXReader.firstSheet(of: data, limits: limits)))
            } catch {
                outcome.finish(.failure(error))
            }
        }.start()
        return outcome.wait(seconds: seconds)
    }

    private final class Outcome: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<XLSXSheet, XLSXReadError>?

        func finish(_ result: Result<XLSXSheet, XLSXReadError>) {
            condition.lock()
            self.result = result
            condition.broadcast()
            condition.unlock()
        }

        func wait(seconds: Double) -> Result<XLSXSheet, XLSXReadError>? {
            let deadline = Date(timeIntervalSinceNow: seconds)
            condition.lock()
            defer { condition.unlock() }
            while result == nil, condition.wait(until: deadline) {}
            return result
        }
    }
}

extension Result where Failure == XLSXReadError {
    var error: XLSXReadError? {
        switch self {
        case .failure(let error): error
        case .success: nil
        }
    }
}

/// A seeded generator (SplitMix64), so the flipped bytes are the same on every run.
struct ByteFlipGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
