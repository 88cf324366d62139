package py

import (
	"strings"
	"unicode/utf8"
)

// NewUnicodeDecodeError is Python's UnicodeDecodeError for bytes [start, end)
// of the input (offset by base, the length of a dropped BOM).
func NewUnicodeDecodeError(codec, b string, start, end, base int, reason string) *Exception {
	if end-start <= 1 {
		return Errorf(UnicodeDecodeError, "'%s' codec can't decode byte 0x%02x in position %d: %s", codec, b[start], start+base, reason)
	}
	return Errorf(UnicodeDecodeError, "'%s' codec can't decode bytes in position %d-%d: %s", codec, start+base, end-1+base, reason)
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
