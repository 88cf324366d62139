package pysyntax

import "unicode"

// CPython 3.11's Unicode database is version 14.0; Go's unicode package
// is newer. Characters assigned since are unassigned to Python 3.11: not
// printable in a repr and not allowed in names.
var unicodeAfter14 = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x0cf3, 0x0cf3, 1}, {0x0ece, 0x0ece, 1},
	},
	R32: []unicode.Range32{
		{0x10efd, 0x10eff, 1}, {0x1123f, 0x11241, 1}, {0x11b00, 0x11b09, 1}, {0x11f00, 0x11f10, 1},
		{0x11f12, 0x11f3a, 1}, {0x11f3e, 0x11f59, 1}, {0x1342f, 0x1342f, 1}, {0x13440, 0x13455, 1},
		{0x1b132, 0x1b132, 1}, {0x1b155, 0x1b155, 1}, {0x1d2c0, 0x1d2d3, 1}, {0x1df25, 0x1df2a, 1},
		{0x1e030, 0x1e06d, 1}, {0x1e08f, 0x1e08f, 1}, {0x1e4d0, 0x1e4f9, 1}, {0x1f6dc, 0x1f6dc, 1},
		{0x1f774, 0x1f776, 1}, {0x1f77b, 0x1f77f, 1}, {0x1f7d9, 0x1f7d9, 1}, {0x1fa75, 0x1fa77, 1},
		{0x1fa87, 0x1fa88, 1}, {0x1faad, 0x1faaf, 1}, {0x1fabb, 0x1fabd, 1}, {0x1fabf, 0x1fabf, 1},
		{0x1face, 0x1facf, 1}, {0x1fada, 0x1fadb, 1}, {0x1fae8, 0x1fae8, 1}, {0x1faf7, 0x1faf8, 1},
		{0x2b739, 0x2b739, 1}, {0x31350, 0x323af, 1},
	},
}

// notXIDContinue are the characters of ID_Continue that are not in
// XID_Continue (Python's identifiers use the XID properties, which stay
// closed under NFKC normalization).
var notXIDContinue = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x037a, 0x037a, 1}, {0x2e2f, 0x2e2f, 1}, {0x309b, 0x309c, 1}, {0xfc5e, 0xfc63, 1},
		{0xfdfa, 0xfdfb, 1}, {0xfe70, 0xfe7e, 2},
	},
}

// notXIDStart are the characters of ID_Start not in XID_Start.
var notXIDStart = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x037a, 0x037a, 1}, {0x0e33, 0x0e33, 1}, {0x0eb3, 0x0eb3, 1}, {0x2e2f, 0x2e2f, 1},
		{0x309b, 0x309c, 1}, {0xfc5e, 0xfc63, 1}, {0xfdfa, 0xfdfb, 1}, {0xfe70, 0xfe7e, 2},
		{0xff9e, 0xff9f, 1},
	},
}

// isPrintable is Python's str.isprintable for one character.
func isPrintable(r rune) bool {
	return unicode.IsPrint(r) && !(r >= 0xD800 && r <= 0xDFFF) && !unicode.Is(unicodeAfter14, r)
}

// isIDStart reports whether r may start a name (XID_Start or '_').
func isIDStart(r rune) bool {
	if r < 0x80 {
		return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return (unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)) &&
		!unicode.Is(notXIDStart, r) && !unicode.Is(unicodeAfter14, r)
}

// isIDContinue reports whether r may continue a name (XID_Continue).
func isIDContinue(r rune) bool {
	if r < 0x80 {
		return isIDStart(r) || r >= '0' && r <= '9'
	}
	return (unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r) ||
		unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue)) &&
		!unicode.Is(notXIDContinue, r) && !unicode.Is(unicodeAfter14, r)
}
