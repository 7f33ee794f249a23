/// How many terminal columns text takes: 2 for CJK and other East Asian wide characters, 0 for combining marks.
///
/// `String.count` counts characters, but a Chinese name like "张三" fills four columns in a terminal, so aligning
/// by `count` would push every column after it out of line. The ranges are Unicode's East Asian Width `W` and `F`
/// blocks (the same idea as POSIX `wcwidth`), which cover Chinese, Japanese, Korean and full-width forms.
public enum DisplayWidth {
    /// The number of terminal columns `text` occupies once printed.
    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// A character (grapheme cluster) is as wide as its widest scalar, so "é" written as e + U+0301 is 1 and an
    /// emoji with the emoji-presentation selector U+FE0F is 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        if scalars.contains("\u{FE0F}") { return 2 }
        return scalars.reduce(0) { max($0, of($1)) }
    }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(scalar.value) } ? 2 : 1
    }

    /// East Asian Wide and Fullwidth blocks.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,    // Hangul Jamo initial consonants
        0x2E80...0x303E,    // CJK radicals, Kangxi radicals, CJK symbols and punctuation
        0x3041...0x33FF,    // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
        0x3400...0x4DBF,    // CJK Unified Ideographs Extension A
        0x4E00...0x9FFF,    // CJK Unified Ideographs
        0xA000...0xA4CF,    // Yi
        0xAC00...0xD7A3,    // Hangul syllables
        0xF900...0xFAFF,    // CJK compatibility ideographs
        0xFE10...0xFE19,    // vertical forms
        0xFE30...0xFE6F,    // CJK compatibility forms, small form variants
        0xFF00...0xFF60,    // full-width ASCII and punctuation
        0xFFE0...0xFFE6,    // full-width signs (￥)
        0x20000...0x2FFFD,  // CJK Extensions B–F and supplement (rare names in household registers)
        0x30000...0x3FFFD,  // CJK Extension G and later
    ]
}
