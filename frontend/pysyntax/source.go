package pysyntax

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

var codingRE = regexp.MustCompile(`^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`)

// decodeSource checks for NUL bytes, removes a BOM, applies the coding
// declaration, checks UTF-8, and turns \r\n and \r into \n as CPython's
// tokenizer does.
func decodeSource(filename string, src []byte) ([]byte, error) {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line := 1 + bytes.Count(src[:i], []byte{'\n'})
		return nil, &Error{Kind: "SyntaxError", Msg: "source code cannot contain null bytes", Filename: filename, Line: line}
	}
	bom := bytes.HasPrefix(src, []byte("\xef\xbb\xbf"))
	if bom {
		src = src[3:]
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	if enc := codingDeclaration(src); enc != "" {
		if bom && !strings.HasPrefix(strings.ToLower(strings.ReplaceAll(enc, "_", "-"))+"-", "utf-8-") {
			// CPython wants this exact spelling after a BOM.
			return nil, &Error{Kind: "SyntaxError", Msg: "encoding problem: " + enc + " with BOM", Filename: filename}
		}
		var err error
		if src, err = decodeLegacy(filename, src, enc); err != nil {
			return nil, err
		}
	}
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		line := 1 + bytes.Count(src[:off], []byte{'\n'})
		lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
		return nil, &Error{Kind: "SyntaxError", Filename: filename, Line: line, Col: off - lineStart + 1,
			Msg: fmt.Sprintf("(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %d: invalid start byte", src[off], off-lineStart)}
	}
	return src, nil
}

// codingDeclaration returns the encoding named on line 1, or on line 2
// after a line holding only a comment or whitespace.
func codingDeclaration(src []byte) string {
	lines := bytes.SplitN(src, []byte("\n"), 3)
	for i, l := range lines[:min(2, len(lines))] {
		if m := codingRE.FindSubmatch(l); m != nil {
			return string(m[1])
		}
		if t := bytes.TrimLeft(l, " \t\f"); i == 0 && len(t) > 0 && t[0] != '#' {
			break
		}
	}
	return ""
}

// codecKey reduces a codec name to lower-case letters and digits, so that
// Python's spellings (koi8_r, KOI8-R, iso8859_5, ISO-8859-5) meet.
func codecKey(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// singleByteCodecs are the single-byte encodings decoded, by codecKey.
var singleByteCodecs = map[string]*charmap.Charmap{
	"latin1": charmap.ISO8859_1, "iso88591": charmap.ISO8859_1, "isolatin1": charmap.ISO8859_1, "l1": charmap.ISO8859_1,
	"8859": charmap.ISO8859_1, "cp819": charmap.ISO8859_1, "latin": charmap.ISO8859_1,
	"iso88592": charmap.ISO8859_2, "latin2": charmap.ISO8859_2, "iso88593": charmap.ISO8859_3, "latin3": charmap.ISO8859_3,
	"iso88594": charmap.ISO8859_4, "latin4": charmap.ISO8859_4, "iso88595": charmap.ISO8859_5, "cyrillic": charmap.ISO8859_5,
	"iso88596": charmap.ISO8859_6, "arabic": charmap.ISO8859_6, "iso88597": charmap.ISO8859_7, "greek": charmap.ISO8859_7,
	"iso88598": charmap.ISO8859_8, "hebrew": charmap.ISO8859_8, "iso88599": charmap.ISO8859_9, "latin5": charmap.ISO8859_9,
	"iso885910": charmap.ISO8859_10, "latin6": charmap.ISO8859_10, "iso885913": charmap.ISO8859_13, "latin7": charmap.ISO8859_13,
	"iso885914": charmap.ISO8859_14, "latin8": charmap.ISO8859_14, "iso885915": charmap.ISO8859_15, "latin9": charmap.ISO8859_15,
	"iso885916": charmap.ISO8859_16, "latin10": charmap.ISO8859_16,
	"koi8r": charmap.KOI8R, "koi8u": charmap.KOI8U,
	"cp437": charmap.CodePage437, "cp850": charmap.CodePage850, "cp852": charmap.CodePage852, "cp855": charmap.CodePage855,
	"cp858": charmap.CodePage858, "cp860": charmap.CodePage860, "cp862": charmap.CodePage862, "cp863": charmap.CodePage863,
	"cp865": charmap.CodePage865, "cp866": charmap.CodePage866, "cp874": charmap.Windows874,
	"cp1250": charmap.Windows1250, "windows1250": charmap.Windows1250, "cp1251": charmap.Windows1251, "windows1251": charmap.Windows1251,
	"cp1252": charmap.Windows1252, "windows1252": charmap.Windows1252, "cp1253": charmap.Windows1253, "windows1253": charmap.Windows1253,
	"cp1254": charmap.Windows1254, "windows1254": charmap.Windows1254, "cp1255": charmap.Windows1255, "windows1255": charmap.Windows1255,
	"cp1256": charmap.Windows1256, "windows1256": charmap.Windows1256, "cp1257": charmap.Windows1257, "windows1257": charmap.Windows1257,
	"cp1258": charmap.Windows1258, "windows1258": charmap.Windows1258,
	"macroman": charmap.Macintosh, "macintosh": charmap.Macintosh, "maccyrillic": charmap.MacintoshCyrillic,
}

// multiByteCodecs are encodings Python knows and kstar does not decode: a
// file declaring one is read only when it is ASCII.
var multiByteCodecs = map[string]bool{
	"ascii": true, "usascii": true, "big5": true, "big5hkscs": true, "cp932": true, "cp949": true, "cp950": true,
	"eucjp": true, "eucjis2004": true, "eucjisx0213": true, "euckr": true, "gb2312": true, "gbk": true,
	"gb18030": true, "hz": true, "iso2022jp": true, "iso2022kr": true, "johab": true, "shiftjis": true,
	"sjis": true, "shiftjis2004": true, "shiftjisx0213": true,
}

// decodeLegacy decodes src from the declared encoding enc to UTF-8.
func decodeLegacy(filename string, src []byte, enc string) ([]byte, error) {
	key := codecKey(enc)
	if key == "utf8" || key == "u8" || strings.HasPrefix(strings.ToLower(enc), "utf-8-") {
		return src, nil
	}
	if isASCII(src) && (singleByteCodecs[key] != nil || multiByteCodecs[key]) {
		return src, nil
	}
	cm := singleByteCodecs[key]
	if cm == nil {
		if multiByteCodecs[key] {
			return nil, &Error{Kind: "SyntaxError", Msg: "encoding problem: " + enc + " (kstar decodes UTF-8 and single-byte encodings only)", Filename: filename}
		}
		return nil, &Error{Kind: "SyntaxError", Msg: "unknown encoding: " + enc, Filename: filename}
	}
	var b strings.Builder
	b.Grow(len(src) + len(src)/4)
	for i, c := range src {
		if c < utf8.RuneSelf {
			b.WriteByte(c)
			continue
		}
		r := cm.DecodeByte(c)
		if r == utf8.RuneError && c < 0xA0 && strings.HasPrefix(cm.String(), "ISO 8859") {
			r = rune(c) // Python's ISO 8859 codecs map 0x80-0x9F to the C1 controls
		}
		if r == utf8.RuneError {
			return nil, &Error{Kind: "SyntaxError", Filename: filename,
				Msg: fmt.Sprintf("(unicode error) 'charmap' codec can't decode byte 0x%02x in position %d: character maps to <undefined>", c, i)}
		}
		b.WriteRune(r)
	}
	return []byte(b.String()), nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
