package re

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Flag is re.RegexFlag: re.IGNORECASE and the other flags, which combine
// with | (with each other and with ints) and print as CPython 3.11 prints
// them (re.IGNORECASE|re.MULTILINE).
type Flag int

// flagNames are the flags in the order RegexFlag defines them, which is
// the order their names are printed in.
var flagNames = []struct {
	name, short string
	value       int
}{
	{"ASCII", "A", flagASCII},
	{"IGNORECASE", "I", flagIgnoreCase},
	{"LOCALE", "L", flagLocale},
	{"UNICODE", "U", flagUnicode},
	{"MULTILINE", "M", flagMultiline},
	{"DOTALL", "S", flagDotAll},
	{"VERBOSE", "X", flagVerbose},
	{"TEMPLATE", "T", flagTemplate},
	{"DEBUG", "", flagDebug},
}

// allFlags is every defined flag; ~ keeps within them, as IntFlag does.
const allFlags = 511

var (
	_ starlark.HasBinary  = Flag(0)
	_ starlark.HasUnary   = Flag(0)
	_ starlark.Comparable = Flag(0)
)

// String is repr(flag) and str(flag): re.NOFLAG, re.IGNORECASE,
// re.IGNORECASE|re.MULTILINE, unknown bits in hex.
func (f Flag) String() string {
	if f == 0 {
		return "re.NOFLAG"
	}
	s := ""
	rest := int(f)
	for _, n := range flagNames {
		if rest&n.value != 0 {
			if s != "" {
				s += "|"
			}
			s += "re." + n.name
			rest &^= n.value
		}
	}
	if rest != 0 {
		if s != "" {
			s += "|"
		} else {
			s = "re."
		}
		s += fmt.Sprintf("0x%x", rest)
	}
	return s
}

func (f Flag) Type() string          { return "RegexFlag" }
func (f Flag) Freeze()               {}
func (f Flag) Truth() starlark.Bool  { return f != 0 }
func (f Flag) Hash() (uint32, error) { return uint32(f), nil }

// CompareSameType compares flags as the ints they are.
func (f Flag) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return starlark.Compare(op, starlark.MakeInt(int(f)), starlark.MakeInt(int(y.(Flag))))
}

// Binary: |, & and ^ of flags and ints are flags; other operators treat
// a flag as its int.
func (f Flag) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	var other int
	switch y := y.(type) {
	case Flag:
		other = int(y)
	case starlark.Int:
		n, ok := y.Int64()
		if !ok {
			return nil, nil
		}
		other = int(n)
	default:
		return nil, nil
	}
	switch op {
	case syntax.PIPE:
		return Flag(int(f) | other), nil
	case syntax.AMP:
		return Flag(int(f) & other), nil
	case syntax.CIRCUMFLEX:
		return Flag(int(f) ^ other), nil
	}
	x, o := starlark.Value(starlark.MakeInt(int(f))), starlark.Value(starlark.MakeInt(other))
	if side == starlark.Right {
		x, o = o, x
	}
	return starlark.Binary(op, x, o)
}

// Unary: ~flag keeps to the defined flags; - and + give ints.
func (f Flag) Unary(op syntax.Token) (starlark.Value, error) {
	switch op {
	case syntax.TILDE:
		return Flag(^int(f) & allFlags), nil
	case syntax.MINUS:
		return starlark.MakeInt(-int(f)), nil
	case syntax.PLUS:
		return starlark.MakeInt(int(f)), nil
	}
	return nil, nil
}
