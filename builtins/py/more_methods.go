package py

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
	"unicode"

	"go.starlark.net/starlark"
)

// The methods of str, int, float and set that Starlark lacks and scripts
// use: str.format_map/isidentifier/isprintable; int.bit_count/
// conjugate/as_integer_ratio and its real/imag/numerator/denominator;
// float.is_integer/as_integer_ratio/hex/conjugate, float.fromhex and its
// real/imag; set.copy/isdisjoint and the *_update methods.
func init() {
	for name, fn := range map[string]BuiltinFunc{
		"format_map":   strFormatMap,
		"isidentifier": strIsIdentifier,
		"isprintable":  strIsPrintable,
	} {
		strMethods[name] = Func(name, fn)
		RewrittenMethods[name] = true
	}
	for name, fn := range map[string]BuiltinFunc{
		"bit_count":        intBitCount,
		"conjugate":        sameNumber,
		"as_integer_ratio": intAsIntegerRatio,
	} {
		intMethods[name] = Func(name, fn)
		RewrittenMethods[name] = true
	}
	for name, fn := range map[string]BuiltinFunc{
		"is_integer":       floatIsInteger,
		"as_integer_ratio": floatAsIntegerRatio,
		"hex":              floatHex,
		"conjugate":        sameNumber,
	} {
		floatMethods[name] = Func(name, fn)
		RewrittenMethods[name] = true
	}
	for name, fn := range map[string]BuiltinFunc{
		"copy":                        setCopy,
		"remove":                      setRemove,
		"isdisjoint":                  setIsDisjoint,
		"difference_update":           setDifferenceUpdate,
		"intersection_update":         setIntersectionUpdate,
		"symmetric_difference_update": setSymmetricDifferenceUpdate,
	} {
		setMethods[name] = Func(name, fn)
		RewrittenMethods[name] = true
	}
	for _, name := range []string{"real", "imag", "numerator", "denominator"} {
		RewrittenMethods[name] = true
	}
	FloatType.attrs = map[string]starlark.Value{"fromhex": Func("fromhex", floatFromhex)}
}

// floatMethods and setMethods are Python's methods of float and set that
// Starlark's values lack.
var (
	floatMethods = map[string]*starlark.Builtin{}
	setMethods   = map[string]*starlark.Builtin{}
)

// numberAttr is the real, imag, numerator or denominator of an int or
// float (a float has no numerator), or nil.
func numberAttr(x starlark.Value, name string) starlark.Value {
	switch x := x.(type) {
	case starlark.Int:
		switch name {
		case "real", "numerator":
			return x
		case "imag":
			return starlark.MakeInt(0)
		case "denominator":
			return starlark.MakeInt(1)
		}
	case starlark.Float:
		switch name {
		case "real":
			return x
		case "imag":
			return starlark.Float(0)
		}
	}
	return nil
}

// str.format_map(mapping) is str.format(**mapping), the mapping a dict.
func strFormatMap(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := CheckPositional("format_map", args, kwargs, 1, 1); err != nil {
		return nil, Errorf(TypeError, "str.format_map() takes exactly one argument (%d given)", len(args)+len(kwargs))
	}
	d, ok := args[0].(*starlark.Dict)
	if !ok {
		return nil, Errorf(TypeError, "'%s' object is not subscriptable", TypeName(args[0]))
	}
	var auto autoNumber
	m := NewMeter(thread)
	s, err := buildFormatString(&m, recvString(b), nil, d, 2, &auto)
	if err != nil {
		return nil, err
	}
	return starlark.String(s), nil
}

// str.isidentifier(): a letter or _ then letters, digits or _.
func strIsIdentifier(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	s := recvString(b)
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Pc, r))) {
			return starlark.False, nil
		}
	}
	return starlark.Bool(s != ""), nil
}

// str.isprintable(): no character repr() would escape (the space is
// printable, other separators and control characters are not).
func strIsPrintable(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	for _, r := range recvString(b) {
		if r != ' ' && !unicode.IsPrint(r) {
			return starlark.False, nil
		}
	}
	return starlark.True, nil
}

func intBitCount(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	n := new(big.Int).Abs(b.Receiver().(starlark.Int).BigInt())
	count := 0
	for _, w := range n.Bits() {
		count += bits.OnesCount(uint(w))
	}
	return starlark.MakeInt(count), nil
}

// sameNumber is int.conjugate() and float.conjugate(): the number.
func sameNumber(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	return b.Receiver(), nil
}

func intAsIntegerRatio(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	return starlark.Tuple{b.Receiver(), starlark.MakeInt(1)}, nil
}

func floatIsInteger(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	f := float64(b.Receiver().(starlark.Float))
	return starlark.Bool(!math.IsInf(f, 0) && f == math.Trunc(f)), nil
}

// float.as_integer_ratio(): the exact fraction in lowest terms.
func floatAsIntegerRatio(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	f := float64(b.Receiver().(starlark.Float))
	switch {
	case math.IsInf(f, 0):
		return nil, Errorf(OverflowError, "cannot convert Infinity to integer ratio")
	case math.IsNaN(f):
		return nil, Errorf(ValueError, "cannot convert NaN to integer ratio")
	}
	r := new(big.Rat).SetFloat64(f) // exact, in lowest terms
	return starlark.Tuple{starlark.MakeBigInt(r.Num()), starlark.MakeBigInt(r.Denom())}, nil
}

// float.hex(): CPython's form, 0x1.8000000000000p+0 (13 hex digits).
func floatHex(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	f := float64(b.Receiver().(starlark.Float))
	switch {
	case math.IsInf(f, 1):
		return starlark.String("inf"), nil
	case math.IsInf(f, -1):
		return starlark.String("-inf"), nil
	case math.IsNaN(f):
		return starlark.String("nan"), nil
	case f == 0:
		if math.Signbit(f) {
			return starlark.String("-0x0.0p+0"), nil
		}
		return starlark.String("0x0.0p+0"), nil
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	frac, exp := math.Frexp(f) // f = frac * 2**exp, frac in [0.5, 1)
	mant := uint64(math.Ldexp(frac, 53))
	exp--
	lead := mant >> 52
	if exp < -1022 { // subnormal: CPython writes 0x0.<digits>p-1022
		mant = uint64(math.Ldexp(f, 1074))
		lead, exp = 0, -1022
	}
	return starlark.String(sign + "0x" + strconv.FormatUint(lead, 10) + "." + leftPadHex(mant&(1<<52-1)) + "p" + signedExp(exp)), nil
}

func leftPadHex(m uint64) string {
	s := strconv.FormatUint(m, 16)
	return strings.Repeat("0", 13-len(s)) + s
}

func signedExp(e int) string {
	if e >= 0 {
		return "+" + strconv.Itoa(e)
	}
	return strconv.Itoa(e)
}

// float.fromhex(s): Go's strconv reads C99 hex floats.
func floatFromhex(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	s, ok := x.(starlark.String)
	if !ok {
		return nil, Errorf(TypeError, "must be str, not %s", TypeName(x))
	}
	t := strings.TrimSpace(string(s))
	lower := strings.ToLower(strings.TrimLeft(t, "+-"))
	switch lower {
	case "inf", "infinity", "nan":
		f, _ := strconv.ParseFloat(t, 64)
		return starlark.Float(f), nil
	}
	if !strings.Contains(lower, "p") {
		t += "p0"
	}
	if !strings.HasPrefix(lower, "0x") {
		i := len(t) - len(strings.TrimLeft(t, "+-"))
		t = t[:i] + "0x" + t[i:]
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, Errorf(OverflowError, "hexadecimal value too large to represent as a float")
		}
		return nil, Errorf(ValueError, "invalid hexadecimal floating-point string")
	}
	return starlark.Float(f), nil
}

func recvSet(b *starlark.Builtin) *starlark.Set { return b.Receiver().(*starlark.Set) }

func setCopy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	s := recvSet(b)
	out := starlark.NewSet(s.Len())
	for _, x := range setItems(s) {
		_ = out.Insert(x) // elements of a set are hashable
	}
	return out, nil
}

// setItems lists s's elements.
func setItems(s *starlark.Set) []starlark.Value {
	it := s.Iterate()
	defer it.Done()
	out := make([]starlark.Value, 0, s.Len())
	var x starlark.Value
	for it.Next(&x) {
		out = append(out, x)
	}
	return out
}

// otherSet is the elements of an argument of a set method, as a set.
func otherSet(thread *starlark.Thread, x starlark.Value) (*starlark.Set, error) {
	if s, ok := x.(*starlark.Set); ok {
		return s, nil
	}
	elems, err := Elements(thread, x)
	if err != nil {
		return nil, Errorf(TypeError, "'%s' object is not iterable", TypeName(x))
	}
	s := starlark.NewSet(len(elems))
	for _, e := range elems {
		if err := s.Insert(e); err != nil {
			return nil, Errorf(TypeError, "unhashable type: '%s'", TypeName(e))
		}
	}
	return s, nil
}

// set.remove(x): KeyError(x) when x is not there (Starlark's error has
// no class).
func setRemove(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	if _, err := x.Hash(); err != nil {
		return nil, Errorf(TypeError, "unhashable type: '%s'", TypeName(x))
	}
	found, err := recvSet(b).Delete(x)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, KeyErrorOf(x)
	}
	return starlark.None, nil
}

func setIsDisjoint(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	other, err := otherSet(thread, x)
	if err != nil {
		return nil, err
	}
	for _, e := range setItems(recvSet(b)) {
		if ok, _ := other.Has(e); ok {
			return starlark.False, nil
		}
	}
	return starlark.True, nil
}

// set.difference_update(*others) removes the elements of others.
func setDifferenceUpdate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "set.difference_update() takes no keyword arguments")
	}
	s := recvSet(b)
	for _, x := range args {
		other, err := otherSet(thread, x)
		if err != nil {
			return nil, err
		}
		for _, e := range setItems(other) {
			if _, err := s.Delete(e); err != nil {
				return nil, err
			}
		}
	}
	return starlark.None, nil
}

// set.intersection_update(*others) keeps the elements in every other.
func setIntersectionUpdate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "set.intersection_update() takes no keyword arguments")
	}
	s := recvSet(b)
	for _, x := range args {
		other, err := otherSet(thread, x)
		if err != nil {
			return nil, err
		}
		for _, e := range setItems(s) {
			if ok, _ := other.Has(e); !ok {
				if _, err := s.Delete(e); err != nil {
					return nil, err
				}
			}
		}
	}
	return starlark.None, nil
}

// set.symmetric_difference_update(other) keeps the elements in exactly
// one of the set and other.
func setSymmetricDifferenceUpdate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	s := recvSet(b)
	other, err := otherSet(thread, x)
	if err != nil {
		return nil, err
	}
	for _, e := range setItems(other) {
		found, err := s.Delete(e)
		if err != nil {
			return nil, err
		}
		if !found {
			if err := s.Insert(e); err != nil {
				return nil, err
			}
		}
	}
	return starlark.None, nil
}
