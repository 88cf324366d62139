package py

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text encodings of str.encode, bytes.decode, bytes(s, enc), str(b, enc),
// open(encoding=) and the codecs module: utf-8, utf-8-sig, utf-16 and
// utf-32 (with a BOM; -le and -be without), ascii, latin-1 and cp1252,
// under every name Python's encodings.aliases gives them, with CPython's
// results and messages for the error handlers strict, ignore, replace
// and backslashreplace (and xmlcharrefreplace when encoding).

// Codec is one of the text encodings kstar knows.
type Codec struct {
	// Name is CPython's codecs.lookup(name).name: 'utf-8', 'iso8859-1'.
	Name string
	// errName is the codec's name in its error messages: 'latin-1',
	// 'charmap' for cp1252.
	errName string
	// A single-byte codec maps each byte to a character (decodeByte)
	// and back (encodeRune); reason is its message for what it cannot
	// map.
	decodeByte func(b byte) (rune, bool)
	encodeRune func(r rune) (byte, bool)
	reason     func(r rune) string
	// The others encode and decode whole strings.
	encode func(s, errors string) (string, error)
	decode func(b, errors string) (string, error)
	// inPython tells whether CPython's codec is written in Python (not
	// one of the C fast paths of str.encode and bytes.decode), so that
	// it reaches the codec registry, which wraps its TypeError and
	// LookupError (WrapCodecError).
	inPython bool
	// byLine tells whether the codec can code a file line by line
	// (open()'s text files): no BOM, no units wider than a byte.
	byLine bool
}

var (
	utf8Codec = &Codec{Name: "utf-8", errName: "utf-8", decode: decodeUTF8, byLine: true,
		encode: func(s, errors string) (string, error) { return s, nil }} // a str holds its UTF-8
	utf8SigCodec = &Codec{Name: "utf-8-sig", errName: "utf-8", inPython: true,
		encode: func(s, errors string) (string, error) { return "\xef\xbb\xbf" + s, nil },
		decode: func(b, errors string) (string, error) {
			return decodeUTF8(strings.TrimPrefix(b, "\xef\xbb\xbf"), errors)
		}}
	asciiCodec = &Codec{Name: "ascii", errName: "ascii", byLine: true,
		decodeByte: func(b byte) (rune, bool) { return rune(b), b < 0x80 },
		encodeRune: func(r rune) (byte, bool) { return byte(r), r < 0x80 },
		reason:     func(rune) string { return "ordinal not in range(128)" }}
	latin1Codec = &Codec{Name: "iso8859-1", errName: "latin-1", byLine: true,
		decodeByte: func(b byte) (rune, bool) { return rune(b), true },
		encodeRune: func(r rune) (byte, bool) { return byte(r), r < 0x100 },
		reason:     func(rune) string { return "ordinal not in range(256)" }}
	cp1252Codec = &Codec{Name: "cp1252", errName: "charmap", byLine: true, inPython: true,
		decodeByte: func(b byte) (rune, bool) {
			if b >= 0x80 && b < 0xa0 {
				r := cp1252High[b-0x80]
				return r, r != 0
			}
			return rune(b), true
		},
		encodeRune: func(r rune) (byte, bool) {
			if r < 0x80 || r >= 0xa0 && r < 0x100 {
				return byte(r), true
			}
			for i, c := range cp1252High {
				if c == r && c != 0 {
					return byte(0x80 + i), true
				}
			}
			return 0, false
		},
		reason: func(rune) string { return "character maps to <undefined>" }}
	utf16Codec   = &Codec{Name: "utf-16", encode: encodeUTF16(binary.LittleEndian, true), decode: decodeUTF16(nil)}
	utf16LECodec = &Codec{Name: "utf-16-le", encode: encodeUTF16(binary.LittleEndian, false), decode: decodeUTF16(binary.LittleEndian)}
	utf16BECodec = &Codec{Name: "utf-16-be", encode: encodeUTF16(binary.BigEndian, false), decode: decodeUTF16(binary.BigEndian)}
	utf32Codec   = &Codec{Name: "utf-32", encode: encodeUTF32(binary.LittleEndian, true), decode: decodeUTF32(nil)}
	utf32LECodec = &Codec{Name: "utf-32-le", encode: encodeUTF32(binary.LittleEndian, false), decode: decodeUTF32(binary.LittleEndian)}
	utf32BECodec = &Codec{Name: "utf-32-be", encode: encodeUTF32(binary.BigEndian, false), decode: decodeUTF32(binary.BigEndian)}
)

// byteOrder is binary.LittleEndian or binary.BigEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// cp1252High are the characters of cp1252's bytes 0x80-0x9f (0: none).
var cp1252High = [32]rune{
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
}

// codecAliases maps normalised encoding names (Python's encodings
// aliases) to codecs.
var codecAliases = map[string]*Codec{
	"utf_8": utf8Codec, "utf8": utf8Codec, "u8": utf8Codec, "utf": utf8Codec, "cp65001": utf8Codec,
	"utf8_ucs2": utf8Codec, "utf8_ucs4": utf8Codec,
	"utf_8_sig": utf8SigCodec,
	"utf_16":    utf16Codec, "utf16": utf16Codec, "u16": utf16Codec,
	"utf_16_le": utf16LECodec, "utf_16le": utf16LECodec, "unicodelittleunmarked": utf16LECodec,
	"utf_16_be": utf16BECodec, "utf_16be": utf16BECodec, "unicodebigunmarked": utf16BECodec,
	"utf_32": utf32Codec, "utf32": utf32Codec, "u32": utf32Codec,
	"utf_32_le": utf32LECodec, "utf_32le": utf32LECodec,
	"utf_32_be": utf32BECodec, "utf_32be": utf32BECodec,
	"ascii": asciiCodec, "us_ascii": asciiCodec, "646": asciiCodec, "us": asciiCodec, "cp367": asciiCodec,
	"csascii": asciiCodec, "ibm367": asciiCodec, "iso646_us": asciiCodec, "iso_ir_6": asciiCodec,
	"ansi_x3.4_1968": asciiCodec, "ansi_x3_4_1968": asciiCodec, "ansi_x3.4_1986": asciiCodec, "iso_646.irv_1991": asciiCodec,
	"latin_1": latin1Codec, "latin1": latin1Codec, "latin": latin1Codec, "l1": latin1Codec, "iso8859_1": latin1Codec,
	"iso_8859_1": latin1Codec, "8859": latin1Codec, "cp819": latin1Codec, "csisolatin1": latin1Codec,
	"ibm819": latin1Codec, "iso8859": latin1Codec, "iso_8859_1_1987": latin1Codec, "iso_ir_100": latin1Codec,
	"cp1252": cp1252Codec, "windows_1252": cp1252Codec, "1252": cp1252Codec,
}

// LookupCodec finds a codec by any of Python's names for it: case,
// spaces and hyphens do not matter (UTF-8, utf8, utf_8, Latin-1, ...).
// An unknown name is CPython's LookupError.
func LookupCodec(encoding string) (*Codec, error) {
	var norm strings.Builder
	pendingUnderscore := false
	for _, r := range strings.ToLower(encoding) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' {
			if pendingUnderscore && norm.Len() > 0 {
				norm.WriteByte('_')
			}
			pendingUnderscore = false
			norm.WriteRune(r)
		} else {
			pendingUnderscore = true
		}
	}
	if c, ok := codecAliases[norm.String()]; ok {
		return c, nil
	}
	return nil, Errorf(LookupError, "unknown encoding: %s", encoding)
}

var knownErrorHandlers = map[string]bool{"strict": true, "ignore": true, "replace": true, "backslashreplace": true, "xmlcharrefreplace": true, "surrogateescape": true, "surrogatepass": true}

// unknownHandler is CPython's LookupError for an error handler it does
// not know, or nil for one it knows (which kstar may not offer: those
// then fail as strict does).
func unknownHandler(errors string) error {
	if !knownErrorHandlers[errors] {
		return Errorf(LookupError, "unknown error handler name '%s'", errors)
	}
	return nil
}

// charRepr renders a code point as Python's messages do: '\xe9', '\u20ac'.
func charRepr(r rune) string {
	switch {
	case r <= 0xff:
		return `\x` + HexN(int(r), 2)
	case r <= 0xffff:
		return `\u` + HexN(int(r), 4)
	}
	return `\U` + HexN(int(r), 8)
}

// Encode is Python's s.encode(encoding, errors); errors is strict,
// ignore, replace, backslashreplace or xmlcharrefreplace.
func Encode(s, encoding, errors string) (string, error) {
	c, err := LookupCodec(encoding)
	if err != nil {
		return "", err
	}
	s, err = c.Encode(s, errors)
	if err != nil && c.inPython {
		return "", WrapCodecError(err, "encoding", encoding)
	}
	return s, err
}

// Encode encodes s with errors as the error handler.
func (c *Codec) Encode(s, errors string) (string, error) {
	if c.encode != nil {
		return c.encode(s, errors)
	}
	var out strings.Builder
	runes := []rune(s)
	for i := 0; i < len(runes); {
		if b, ok := c.encodeRune(runes[i]); ok {
			out.WriteByte(b)
			i++
			continue
		}
		j := i + 1
		for j < len(runes) {
			if _, ok := c.encodeRune(runes[j]); ok {
				break
			}
			j++
		}
		switch errors {
		case "ignore":
		case "replace":
			out.WriteString(strings.Repeat("?", j-i))
		case "backslashreplace":
			for _, r := range runes[i:j] {
				out.WriteString(charRepr(r))
			}
		case "xmlcharrefreplace":
			for _, r := range runes[i:j] {
				out.WriteString("&#" + strconv.Itoa(int(r)) + ";")
			}
		default:
			if err := unknownHandler(errors); err != nil {
				return "", err
			}
			if j == i+1 {
				return "", Errorf(UnicodeEncodeError, "'%s' codec can't encode character '%s' in position %d: %s", c.errName, charRepr(runes[i]), i, c.reason(runes[i]))
			}
			return "", Errorf(UnicodeEncodeError, "'%s' codec can't encode characters in position %d-%d: %s", c.errName, i, j-1, c.reason(runes[i]))
		}
		i = j
	}
	return out.String(), nil
}

// Decode is Python's b.decode(encoding, errors); errors is strict,
// ignore, replace or backslashreplace.
func Decode(b, encoding, errors string) (string, error) {
	c, err := LookupCodec(encoding)
	if err != nil {
		return "", err
	}
	s, err := c.Decode(b, errors)
	if err != nil && c.inPython {
		return "", WrapCodecError(err, "decoding", encoding)
	}
	return s, err
}

// WrapCodecError is CPython's wrapping of the TypeError or LookupError
// of a codec called through the codec registry: "encoding with 'utf-8'
// codec failed (TypeError: ...)", an exception of the same class (doing
// is "encoding" or "decoding", encoding the name the caller gave).
func WrapCodecError(err error, doing, encoding string) error {
	exc := AsException(err)
	if exc == nil || exc.Class != TypeError && exc.Class != LookupError {
		return err
	}
	return Errorf(exc.Class, "%s with '%s' codec failed (%s: %s)", doing, encoding, exc.Class.ClassName, exc.Msg)
}

// Decode decodes b with errors as the error handler.
func (c *Codec) Decode(b, errors string) (string, error) {
	if c.decode != nil {
		return c.decode(b, errors)
	}
	var out strings.Builder
	for i := 0; i < len(b); i++ {
		if r, ok := c.decodeByte(b[i]); ok {
			out.WriteRune(r)
			continue
		}
		if err := decodeFailed(&out, errors, c.errName, b, i, i+1, 0, c.reason(0)); err != nil {
			return "", err
		}
	}
	return out.String(), nil
}

// decodeFailed applies the error handler errors to the bytes [start,
// end) of b that a decoder cannot decode: nothing for ignore, U+FFFD for
// replace, \xNN escapes for backslashreplace, else the exception (base
// offsets the positions it names).
func decodeFailed(out *strings.Builder, errors, codec, b string, start, end, base int, reason string) error {
	switch errors {
	case "ignore":
	case "replace":
		out.WriteRune(utf8.RuneError)
	case "backslashreplace":
		for k := start; k < end; k++ {
			out.WriteString(`\x` + HexN(int(b[k]), 2))
		}
	default:
		if err := unknownHandler(errors); err != nil {
			return err
		}
		return NewUnicodeDecodeError(codec, b, start, end, base, reason)
	}
	return nil
}

// NewUnicodeDecodeError is Python's UnicodeDecodeError for bytes [start, end)
// of the input (offset by base, the length of a dropped BOM).
func NewUnicodeDecodeError(codec, b string, start, end, base int, reason string) *Exception {
	if end-start <= 1 {
		return Errorf(UnicodeDecodeError, "'%s' codec can't decode byte 0x%02x in position %d: %s", codec, b[start], start+base, reason)
	}
	return Errorf(UnicodeDecodeError, "'%s' codec can't decode bytes in position %d-%d: %s", codec, start+base, end-1+base, reason)
}

// decodeUTF8 is the utf-8 codec's decoder.
func decodeUTF8(b, errors string) (string, error) {
	if utf8.ValidString(b) {
		return b, nil
	}
	var out strings.Builder
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRuneInString(b[i:])
		if r != utf8.RuneError || size > 1 {
			out.WriteString(b[i : i+size])
			i += size
			continue
		}
		n, reason := utf8Invalid(b, i)
		if err := decodeFailed(&out, errors, "utf-8", b, i, i+n, 0, reason); err != nil {
			return "", err
		}
		i += n
	}
	return out.String(), nil
}

// encodeUTF16 returns the encoder of UTF-16 in order, with a BOM first
// when bom is set (utf-16, which CPython writes little-endian here).
func encodeUTF16(order byteOrder, bom bool) func(s, errors string) (string, error) {
	return func(s, errors string) (string, error) {
		out := make([]byte, 0, 2*len(s)+2)
		if bom {
			out = order.AppendUint16(out, 0xfeff)
		}
		for _, r := range s {
			if r >= 0x10000 {
				r -= 0x10000
				out = order.AppendUint16(out, uint16(0xd800+r>>10))
				r = 0xdc00 + r&0x3ff
			}
			out = order.AppendUint16(out, uint16(r))
		}
		return string(out), nil
	}
}

// encodeUTF32 returns the encoder of UTF-32 in order, with a BOM first
// when bom is set.
func encodeUTF32(order byteOrder, bom bool) func(s, errors string) (string, error) {
	return func(s, errors string) (string, error) {
		out := make([]byte, 0, 4*len(s)+4)
		if bom {
			out = order.AppendUint32(out, 0xfeff)
		}
		for _, r := range s {
			out = order.AppendUint32(out, uint32(r))
		}
		return string(out), nil
	}
}

// byteOrderName is the suffix of the codec that decodes in order.
func byteOrderName(order byteOrder) string {
	if order == byteOrder(binary.BigEndian) {
		return "be"
	}
	return "le"
}

// decodeUTF16 returns the decoder of UTF-16 in order, or, when order is
// nil (utf-16), in the order a BOM gives (dropped), else little-endian.
// Errors are CPython's, naming the codec of the order decoded
// ('utf-16-le') and positions in the whole input.
func decodeUTF16(order byteOrder) func(b, errors string) (string, error) {
	return func(b, errors string) (string, error) {
		start, order := 0, order // the BOM's order is this call's
		if order == nil {
			order = binary.LittleEndian
			switch {
			case strings.HasPrefix(b, "\xff\xfe"):
				start = 2
			case strings.HasPrefix(b, "\xfe\xff"):
				order, start = binary.BigEndian, 2
			}
		}
		name := "utf-16-" + byteOrderName(order)
		var out strings.Builder
		unit := func(i int) rune { return rune(order.Uint16([]byte(b[i : i+2]))) }
		for i := start; i < len(b); {
			var end int
			var reason string
			switch {
			case len(b)-i < 2:
				end, reason = len(b), "truncated data"
			case unit(i) < 0xd800 || unit(i) >= 0xe000:
				out.WriteRune(unit(i))
				i += 2
				continue
			case unit(i) >= 0xdc00:
				end, reason = i+2, "illegal encoding"
			case len(b)-i < 4:
				end, reason = len(b), "unexpected end of data"
			case unit(i+2) < 0xdc00 || unit(i+2) >= 0xe000:
				end, reason = i+2, "illegal UTF-16 surrogate"
			default:
				out.WriteRune(0x10000 + (unit(i)-0xd800)<<10 + unit(i+2) - 0xdc00)
				i += 4
				continue
			}
			if err := decodeFailed(&out, errors, name, b, i, end, 0, reason); err != nil {
				return "", err
			}
			i = end
		}
		return out.String(), nil
	}
}

// decodeUTF32 returns the decoder of UTF-32 in order, or, when order is
// nil (utf-32), in the order a BOM gives (dropped), else little-endian.
func decodeUTF32(order byteOrder) func(b, errors string) (string, error) {
	return func(b, errors string) (string, error) {
		start, order := 0, order // the BOM's order is this call's
		if order == nil {
			order = binary.LittleEndian
			switch {
			case strings.HasPrefix(b, "\xff\xfe\x00\x00"):
				start = 4
			case strings.HasPrefix(b, "\x00\x00\xfe\xff"):
				order, start = binary.BigEndian, 4
			}
		}
		name := "utf-32-" + byteOrderName(order)
		var out strings.Builder
		for i := start; i < len(b); {
			end, reason := len(b), "truncated data"
			if len(b)-i >= 4 {
				r := order.Uint32([]byte(b[i : i+4]))
				switch {
				case r >= 0xd800 && r < 0xe000:
					reason = "code point in surrogate code point range(0xd800, 0xe000)"
				case r >= 0x110000:
					reason = "code point not in range(0x110000)"
				default:
					out.WriteRune(rune(r))
					i += 4
					continue
				}
				end = i + 4
			}
			if err := decodeFailed(&out, errors, name, b, i, end, 0, reason); err != nil {
				return "", err
			}
			i = end
		}
		return out.String(), nil
	}
}

// DecodeUTF8 validates b as Python's strict UTF-8 decoder does, with its
// error messages. With surrogatePass (Python's "surrogatepass" handler)
// encoded surrogates are accepted and kept (see wtf8Encode); otherwise
// they are invalid, as in Python.
func DecodeUTF8(b, codec string, surrogatePass bool, base int) (string, error) {
	if utf8.ValidString(b) {
		return b, nil
	}
	var out strings.Builder
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			out.WriteByte(c)
			i++
			continue
		}
		n, lo, hi := 0, byte(0x80), byte(0xbf)
		switch {
		case c >= 0xc2 && c <= 0xdf:
			n = 2
		case c == 0xe0:
			n, lo = 3, 0xa0
		case c == 0xed && !surrogatePass:
			n, hi = 3, 0x9f
		case c >= 0xe1 && c <= 0xef:
			n = 3
		case c == 0xf0:
			n, lo = 4, 0x90
		case c >= 0xf1 && c <= 0xf3:
			n = 4
		case c == 0xf4:
			n, hi = 4, 0x8f
		default:
			return "", NewUnicodeDecodeError(codec, b, i, i+1, base, "invalid start byte")
		}
		for k := 1; k < n; k++ {
			if i+k >= len(b) {
				return "", NewUnicodeDecodeError(codec, b, i, len(b), base, "unexpected end of data")
			}
			if x := b[i+k]; x < lo || x > hi {
				return "", NewUnicodeDecodeError(codec, b, i, i+k, base, "invalid continuation byte")
			}
			lo, hi = 0x80, 0xbf
		}
		out.WriteString(b[i : i+n]) // with surrogatePass, possibly a surrogate's WTF-8 form
		i += n
	}
	return out.String(), nil
}

// utf8Invalid measures the invalid UTF-8 sequence at b[i] as CPython's
// decoder does (the maximal valid prefix) and gives its reason.
func utf8Invalid(b string, i int) (int, string) {
	c := b[i]
	if c < 0xc2 || c > 0xf4 {
		return 1, "invalid start byte"
	}
	need := 1
	switch {
	case c >= 0xf0:
		need = 3
	case c >= 0xe0:
		need = 2
	}
	lo, hi := byte(0x80), byte(0xbf)
	switch c {
	case 0xe0:
		lo = 0xa0
	case 0xed:
		hi = 0x9f
	case 0xf0:
		lo = 0x90
	case 0xf4:
		hi = 0x8f
	}
	j := i + 1
	if j >= len(b) {
		return 1, "unexpected end of data"
	}
	if b[j] < lo || b[j] > hi {
		return 1, "invalid continuation byte"
	}
	j++
	for k := 2; k <= need; k++ {
		if j >= len(b) {
			return j - i, "unexpected end of data"
		}
		if b[j] < 0x80 || b[j] > 0xbf {
			return j - i, "invalid continuation byte"
		}
		j++
	}
	return j - i, "invalid continuation byte" // not reached: the sequence is valid
}
