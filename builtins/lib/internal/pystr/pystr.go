// Package pystr has what the standard modules need of Python's str
// semantics beyond Starlark's: which characters are whitespace and where
// lines end.
package pystr

import "unicode"

// IsSpace is Python's str.isspace for one character: Unicode's white
// space and the separators \x1c to \x1f.
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// SplitLines is Python's s.splitlines(keepends=True): lines end at \n,
// \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, \u2028 and \u2029.
func SplitLines(s string) []string {
	var lines []string
	start := 0
	for i, r := range s {
		end := i + len(string(r))
		switch r {
		case '\r':
			if end < len(s) && s[end] == '\n' {
				continue // the line ends at the \n
			}
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		default:
			continue
		}
		lines = append(lines, s[start:end])
		start = end
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}
