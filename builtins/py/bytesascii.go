package py

import (
	"slices"
	"strings"

	"go.starlark.net/starlark"
)

// The bytes methods below treat bytes as ASCII text, as Python's do:
// only the letters a-z and A-Z have a case.

func isASCIIUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isASCIILower(c byte) bool { return c >= 'a' && c <= 'z' }

func asciiSwapcase(c byte) byte {
	if isASCIIUpper(c) {
		return c + 32
	}
	return asciiUpper(c)
}

// bytesCapitalize is bytes.capitalize(): the first byte upper case, the
// others lower case.
func bytesCapitalize(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	s := []byte(recvString(b))
	for i, c := range s {
		if i == 0 {
			s[i] = asciiUpper(c)
		} else {
			s[i] = asciiLower(c)
		}
	}
	return Bytes(s), nil
}

// bytesTitle is bytes.title(): a letter after a letter lower case, any
// other letter upper case.
func bytesTitle(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	s := []byte(recvString(b))
	afterLetter := false
	for i, c := range s {
		if afterLetter {
			s[i] = asciiLower(c)
		} else {
			s[i] = asciiUpper(c)
		}
		afterLetter = isASCIILetter(c)
	}
	return Bytes(s), nil
}

// bytesIsCase returns islower (is: isASCIILower, not: isASCIIUpper) or
// isupper: at least one letter of the case, none of the other.
func bytesIsCase(is, not func(byte) bool) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		s := recvString(b)
		found := false
		for i := 0; i < len(s); i++ {
			if not(s[i]) {
				return starlark.False, nil
			}
			found = found || is(s[i])
		}
		return starlark.Bool(found), nil
	}
}

// bytesIstitle is bytes.istitle(): at least one letter, upper case
// letters only after non-letters and lower case ones only after letters.
func bytesIstitle(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	s := recvString(b)
	found, afterLetter := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isASCIIUpper(c) && afterLetter, isASCIILower(c) && !afterLetter:
			return starlark.False, nil
		case isASCIILetter(c):
			found, afterLetter = true, true
		default:
			afterLetter = false
		}
	}
	return starlark.Bool(found), nil
}

// bytesExpandtabs is bytes.expandtabs(tabsize=8): each tab becomes the
// spaces up to the next multiple of tabsize; every byte is one column.
func bytesExpandtabs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	tabsize := 8
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "tabsize?", &tabsize); err != nil {
		return nil, err
	}
	s := recvString(b)
	if tabsize > 0 {
		if err := reserveElems(thread, strings.Count(s, "\t"), int64(tabsize)); err != nil {
			return nil, err
		}
	}
	return Bytes(expandTabs(s, tabsize, true)), nil
}

// bytesRsplit is bytes.rsplit(sep=None, maxsplit=-1): split as split
// does, the maxsplit splits made from the right.
func bytesRsplit(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var sep starlark.Value = starlark.None
	maxsplit := -1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "sep?", &sep, "maxsplit?", &maxsplit); err != nil {
		return nil, err
	}
	s := recvString(b)
	var parts []string // from the right
	if sep == starlark.None {
		rest := strings.TrimRight(s, asciiSpace)
		for rest != "" {
			i := strings.LastIndexAny(rest, asciiSpace)
			if i < 0 || maxsplit >= 0 && len(parts) == maxsplit {
				parts = append(parts, rest)
				break
			}
			parts = append(parts, rest[i+1:])
			rest = strings.TrimRight(rest[:i], asciiSpace)
		}
	} else {
		sb, err := bytesArg(sep)
		if err != nil {
			return nil, err
		}
		if sb == "" {
			return nil, Errorf(ValueError, "empty separator")
		}
		for maxsplit < 0 || len(parts) < maxsplit {
			i := strings.LastIndex(s, sb)
			if i < 0 {
				break
			}
			parts = append(parts, s[i+len(sb):])
			s = s[:i]
		}
		parts = append(parts, s)
	}
	slices.Reverse(parts)
	return bytesList(parts), nil
}

// bytesTranslate is bytes.translate(table, /, delete): the bytes not
// in delete, each mapped through table (a 256-byte table, or None).
func bytesTranslate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 2 {
		return nil, Errorf(TypeError, "translate expected at most 2 arguments, got %d", len(args))
	}
	var table, deleteArg starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "table", &table, "delete?", &deleteArg); err != nil {
		return nil, err
	}
	var tab string
	if table != starlark.None {
		t, err := bytesArg(table)
		if err != nil {
			return nil, err
		}
		if len(t) != 256 {
			return nil, Errorf(ValueError, "translation table must be 256 characters long")
		}
		tab = t
	}
	var del string
	if deleteArg != nil {
		d, err := bytesArg(deleteArg)
		if err != nil {
			return nil, err
		}
		del = d
	}
	s := recvString(b)
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(del, c) >= 0 {
			continue
		}
		if tab != "" {
			c = tab[c]
		}
		out = append(out, c)
	}
	return Bytes(out), nil
}

// bytesMaketrans is bytes.maketrans(frm, to): the 256-byte table of
// translate that maps each byte of frm to the byte of to at its index.
func bytesMaketrans(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var frmArg, toArg starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &frmArg, &toArg); err != nil {
		return nil, err
	}
	frm, err := bytesArg(frmArg)
	if err != nil {
		return nil, err
	}
	to, err := bytesArg(toArg)
	if err != nil {
		return nil, err
	}
	if len(frm) != len(to) {
		return nil, Errorf(ValueError, "maketrans arguments must have same length")
	}
	table := make([]byte, 256)
	for i := range table {
		table[i] = byte(i)
	}
	for i := 0; i < len(frm); i++ {
		table[frm[i]] = to[i]
	}
	return Bytes(table), nil
}
