package py

import (
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// Python's str and bytes: the str and bytes classes (callable, with
// unbound methods such as str.encode), the Python methods Starlark's
// string and bytes values lack (encode, decode, format, ljust, hex,
// startswith on bytes, ...), the utf-8, ascii and latin-1 codecs, and
// the __getattr__ helper through which the front end reaches them.

var (
	// StrType is str: str(x) is Python's str(x), str(b, 'utf-8') decodes;
	// str.encode, str.upper, ... are its unbound methods.
	StrType = &Type{name: "str", call: pyStr, sample: starlark.String(""), contains: isA[starlark.String]}
	// BytesType is bytes: bytes('abc', 'utf-8'), bytes([1, 2]), bytes(3),
	// bytes(b); bytes.decode, bytes.hex, ... are its unbound methods.
	BytesType = &Type{name: "bytes", call: pyBytes, sample: Bytes(""), contains: isA[Bytes]}
)

// getattrHelper is __getattr__(x, name): x.name for the names the front
// end rewrites (RewrittenMethods).
func getattrHelper(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 2 && len(kwargs) == 0 { // the front end's calls: d.items() is one per loop
		if name, ok := args[1].(starlark.String); ok {
			return GetAttr(args[0], string(name))
		}
	}
	var x starlark.Value
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &name); err != nil {
		return nil, err
	}
	return GetAttr(x, name)
}

// GetAttr is Python's getattr(x, name): the Python-only methods of str,
// bytes, list and dict values, then x's own attributes, then __class__ of
// any value and __name__ of a function or builtin; a missing attribute raises
// AttributeError with Python's message ('int' object has no attribute
// 'foo').
func GetAttr(x starlark.Value, name string) (starlark.Value, error) {
	switch x.(type) {
	case starlark.String:
		if m, ok := strMethods[name]; ok {
			return m.BindReceiver(x), nil
		}
	case Bytes:
		if m, ok := bytesMethods[name]; ok {
			return m.BindReceiver(x), nil
		}
	case *starlark.List:
		if m, ok := listMethods[name]; ok {
			return m.BindReceiver(x), nil
		}
	case *starlark.Dict:
		if m, ok := dictMethods[name]; ok {
			return m.BindReceiver(x), nil
		}
	case starlark.Int:
		if m, ok := intMethods[name]; ok {
			return m.BindReceiver(x), nil
		}
	case starlark.Tuple:
		if m, ok := tupleMethods[name]; ok {
			return m.BindReceiver(x), nil
		}
	case starlark.Float:
		if m, ok := floatMethods[name]; ok {
			return m.BindReceiver(x), nil
		}
	case *starlark.Set:
		if m, ok := setMethods[name]; ok {
			return m.BindReceiver(x), nil
		}
	}
	if v := numberAttr(x, name); v != nil {
		return v, nil
	}
	if ha, ok := x.(starlark.HasAttrs); ok {
		v, err := ha.Attr(name)
		if err != nil {
			if _, missing := err.(starlark.NoSuchAttrError); !missing {
				return nil, err
			}
		} else if v != nil {
			return v, nil
		}
	}
	switch name {
	case "__class__": // of every value: its type
		return TypeOf(x), nil
	case "__name__":
		switch f := x.(type) {
		case *starlark.Function:
			if f.Name() == "lambda" {
				return starlark.String("<lambda>"), nil
			}
			return starlark.String(f.Name()), nil
		case *starlark.Builtin:
			return starlark.String(f.Name()), nil
		}
	}
	return nil, attributeError(x, name)
}

func attributeError(x starlark.Value, name string) *Exception {
	switch x := x.(type) {
	case *starlarkstruct.Module:
		return Errorf(AttributeError, "module '%s' has no attribute '%s'", x.Name, name)
	case *Type:
		return Errorf(AttributeError, "type object '%s' has no attribute '%s'", x.name, name)
	case *ExceptionClass:
		return Errorf(AttributeError, "type object '%s' has no attribute '%s'", x.ClassName, name)
	case *NamedTupleType:
		return Errorf(AttributeError, "type object '%s' has no attribute '%s'", x.TypeName, name)
	}
	return Errorf(AttributeError, "'%s' object has no attribute '%s'", TypeName(x), name)
}

// pyAttrNames lists x's attributes, Python-only methods included, sorted.
func pyAttrNames(x starlark.Value) []string {
	var names []string
	if ha, ok := x.(starlark.HasAttrs); ok {
		names = append(names, ha.AttrNames()...)
	}
	var extra map[string]*starlark.Builtin
	switch x.(type) {
	case starlark.String:
		extra = strMethods
	case Bytes:
		extra = bytesMethods
	case *starlark.List:
		extra = listMethods
	case *starlark.Dict:
		extra = dictMethods
	case starlark.Tuple:
		extra = tupleMethods
	}
	for n := range extra {
		names = append(names, n)
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// strMethods are Python's str methods that Starlark's string lacks.
var strMethods = map[string]*starlark.Builtin{}

// bytesMethods are Python's bytes methods (Starlark's bytes has only elems).
var bytesMethods = map[string]*starlark.Builtin{}

func init() {
	for name, fn := range map[string]BuiltinFunc{
		"encode":     strEncode,
		"format":     strFormatMethod,
		"ljust":      justify('<'),
		"rjust":      justify('>'),
		"center":     justify('^'),
		"zfill":      zfill,
		"casefold":   strCasefold,
		"swapcase":   strSwapcase,
		"expandtabs": strExpandtabs,
		"isascii":    isASCII,
		"isdecimal":  strIs(func(r rune) bool { return unicode.Is(unicode.Nd, r) }),
		"isnumeric":  strIs(unicode.IsNumber),
	} {
		strMethods[name] = Func(name, fn)
	}
	for name, fn := range map[string]BuiltinFunc{
		"decode":       bytesDecode,
		"hex":          bytesHex,
		"isascii":      isASCII,
		"ljust":        justify('<'),
		"rjust":        justify('>'),
		"center":       justify('^'),
		"zfill":        zfill,
		"startswith":   bytesAffix(strings.HasPrefix),
		"endswith":     bytesAffix(strings.HasSuffix),
		"split":        bytesSplit,
		"strip":        bytesStrip(true, true),
		"lstrip":       bytesStrip(true, false),
		"rstrip":       bytesStrip(false, true),
		"replace":      bytesReplace,
		"partition":    bytesPartition(false),
		"rpartition":   bytesPartition(true),
		"find":         bytesFind(false, false),
		"index":        bytesFind(true, false),
		"rfind":        bytesFind(false, true),
		"rindex":       bytesFind(true, true),
		"count":        bytesCount,
		"join":         bytesJoin,
		"upper":        bytesMap(asciiUpper),
		"lower":        bytesMap(asciiLower),
		"isdigit":      bytesIs(func(c byte) bool { return c >= '0' && c <= '9' }),
		"isalpha":      bytesIs(isASCIILetter),
		"isalnum":      bytesIs(func(c byte) bool { return isASCIILetter(c) || c >= '0' && c <= '9' }),
		"isspace":      bytesIs(func(c byte) bool { return strings.IndexByte(asciiSpace, c) >= 0 }),
		"splitlines":   bytesSplitlines,
		"removeprefix": bytesRemoveAffix(strings.TrimPrefix),
		"removesuffix": bytesRemoveAffix(strings.TrimSuffix),
		"rsplit":       bytesRsplit,
		"capitalize":   bytesCapitalize,
		"title":        bytesTitle,
		"swapcase":     bytesMap(asciiSwapcase),
		"islower":      bytesIsCase(isASCIILower, isASCIIUpper),
		"isupper":      bytesIsCase(isASCIIUpper, isASCIILower),
		"istitle":      bytesIstitle,
		"expandtabs":   bytesExpandtabs,
		"translate":    bytesTranslate,
	} {
		bytesMethods[name] = Func(name, fn) // b.NAME: Bytes.Attr
	}
	IntType.attrs = map[string]starlark.Value{"from_bytes": Func("from_bytes", intFromBytes)}
}

// recvString returns the receiver of a str or bytes method as a Go string.
func recvString(b *starlark.Builtin) string {
	switch r := b.Receiver().(type) {
	case starlark.String:
		return string(r)
	case Bytes:
		return string(r)
	}
	return ""
}

// wrap returns s as the receiver's type (str or bytes).
func wrap(b *starlark.Builtin, s string) starlark.Value {
	if _, ok := b.Receiver().(Bytes); ok {
		return Bytes(s)
	}
	return starlark.String(s)
}

// strParam checks that an optional str parameter is a str.
func strParam(fn, param string, v starlark.Value, dflt string) (string, error) {
	switch v := v.(type) {
	case nil:
		return dflt, nil
	case starlark.String:
		return string(v), nil
	}
	return "", Errorf(TypeError, "%s() argument '%s' must be str, not %s", fn, param, TypeName(v))
}

// encodingArgs unpacks (encoding='utf-8', errors='strict').
func encodingArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (string, string, error) {
	if len(args) > 2 {
		return "", "", Errorf(TypeError, "%s() takes at most 2 arguments (%d given)", b.Name(), len(args))
	}
	var enc, errs starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "encoding?", &enc, "errors?", &errs); err != nil {
		return "", "", err
	}
	return codecParams(b.Name(), enc, errs)
}

// codecParams checks the optional encoding and errors arguments of fn:
// strs, 'utf-8' and 'strict' when omitted.
func codecParams(fn string, enc, errs starlark.Value) (encoding, errors string, err error) {
	if encoding, err = strParam(fn, "encoding", enc, "utf-8"); err != nil {
		return "", "", err
	}
	errors, err = strParam(fn, "errors", errs, "strict")
	return encoding, errors, err
}

// str.encode(encoding='utf-8', errors='strict')
func strEncode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	encoding, errors, err := encodingArgs(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	out, err := Encode(recvString(b), encoding, errors)
	if err != nil {
		return nil, err
	}
	return Bytes(out), nil
}

// bytes.decode(encoding='utf-8', errors='strict')
func bytesDecode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	encoding, errors, err := encodingArgs(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	out, err := Decode(recvString(b), encoding, errors)
	if err != nil {
		return nil, err
	}
	return starlark.String(out), nil
}

// str(object=”) / str(object=b”, encoding='utf-8', errors='strict').
func pyStr(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var obj, enc, errs starlark.Value
	if err := starlark.UnpackArgs("str", args, kwargs, "object?", &obj, "encoding?", &enc, "errors?", &errs); err != nil {
		return nil, err
	}
	if enc == nil && errs == nil {
		if obj == nil {
			return starlark.String(""), nil
		}
		s, err := StrOf(thread, obj)
		if err != nil {
			return nil, err
		}
		return starlark.String(s), nil
	}
	encoding, errors, err := codecParams("str", enc, errs)
	if err != nil {
		return nil, err
	}
	switch o := obj.(type) {
	case nil:
		return starlark.String(""), nil
	case Bytes, *Bytearray:
		data, _ := BytesLike(o)
		s, err := Decode(data, encoding, errors)
		if err != nil {
			return nil, err
		}
		return starlark.String(s), nil
	case starlark.String:
		return nil, Errorf(TypeError, "decoding str is not supported")
	}
	return nil, Errorf(TypeError, "decoding to str: need a bytes-like object, %s found", TypeName(obj))
}

// bytes(), bytes(str, encoding, errors='strict'), bytes(n), bytes(b),
// bytes(iterable of ints), bytes(o) for an o with __bytes__.
func pyBytes(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := newBytes(thread, args, kwargs, "bytes")
	if err != nil {
		return nil, err
	}
	return v, nil
}

// newBytes makes the contents of class(args) (class: bytes or bytearray,
// which takes the same arguments but ignores __bytes__).
func newBytes(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple, class string) (Bytes, error) {
	var src, enc, errs starlark.Value
	if err := starlark.UnpackArgs("bytes", args, kwargs, "source?", &src, "encoding?", &enc, "errors?", &errs); err != nil {
		return "", err
	}
	if s, ok := src.(starlark.String); ok {
		if enc == nil {
			return "", Errorf(TypeError, "string argument without an encoding")
		}
		encoding, errors, err := codecParams("bytes", enc, errs)
		if err != nil {
			return "", err
		}
		out, err := Encode(string(s), encoding, errors)
		if err != nil {
			return "", err
		}
		return Bytes(out), nil
	}
	if enc != nil {
		return "", Errorf(TypeError, "encoding without a string argument")
	}
	if errs != nil {
		return "", Errorf(TypeError, "errors without a string argument")
	}
	if class == "bytes" {
		if v, ok, err := dunderBytes(thread, src); ok || err != nil {
			return v, err
		}
	}
	switch s := src.(type) {
	case nil:
		return Bytes(""), nil
	case Bytes:
		return s, nil
	case starlark.Int, starlark.Bool:
		n, _ := asIndex(s)
		count, ok := n.Int64()
		if n.Sign() < 0 {
			return "", Errorf(ValueError, "negative count")
		}
		if !ok || count > math.MaxInt32 {
			return "", Errorf(OverflowError, "cannot fit 'int' into an index-sized integer")
		}
		if err := reserveElems(thread, int(count), 1); err != nil {
			return "", err
		}
		return Bytes(make([]byte, count)), nil
	case starlark.Iterable:
		it := s.Iterate()
		defer it.Done()
		var out []byte
		var x starlark.Value
		m := NewMeter(thread)
		for it.Next(&x) {
			if err := m.Tick(); err != nil {
				return "", err
			}
			i, err := asIndex(x)
			if err != nil {
				return "", err
			}
			k, ok := i.Int64()
			if !ok || k < 0 || k > 255 {
				return "", Errorf(ValueError, "bytes must be in range(0, 256)")
			}
			out = append(out, byte(k))
		}
		return Bytes(out), nil
	}
	return "", Errorf(TypeError, "cannot convert '%s' object to %s", TypeName(src), class)
}

// dunderBytes is o.__bytes__() for an instance of a class that defines
// it (ok false otherwise), which must return bytes.
func dunderBytes(thread *starlark.Thread, v starlark.Value) (b Bytes, ok bool, err error) {
	o := objectOf(v)
	if o == nil {
		return "", false, nil
	}
	r, ok, err := o.call(thread, "__bytes__")
	if !ok || err != nil {
		return "", ok, err
	}
	if b, isBytes := r.(Bytes); isBytes {
		return b, true, nil
	}
	return "", true, Errorf(TypeError, "__bytes__ returned non-bytes (type %s)", TypeName(r))
}

// int.from_bytes(bytes, byteorder='big', *, signed=False)
func intFromBytes(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data starlark.Value
	order := "big"
	signed := false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "bytes", &data, "byteorder?", &order, "signed?", &signed); err != nil {
		return nil, err
	}
	var raw []byte
	switch d := data.(type) {
	case Bytes:
		raw = []byte(d)
	default:
		v, err := newBytes(thread, starlark.Tuple{data}, nil, "bytes")
		if err != nil {
			return nil, err
		}
		raw = []byte(v)
	}
	switch order {
	case "big":
	case "little":
		raw = slices.Clone(raw)
		slices.Reverse(raw)
	default:
		return nil, Errorf(ValueError, "byteorder must be either 'little' or 'big'")
	}
	bi := new(big.Int).SetBytes(raw)
	if signed && len(raw) > 0 && raw[0]&0x80 != 0 {
		bi.Sub(bi, new(big.Int).Lsh(big.NewInt(1), uint(8*len(raw))))
	}
	return starlark.MakeBigInt(bi), nil
}

// fillArg returns the fill character of ljust/rjust/center.
func fillArg(b *starlark.Builtin, v starlark.Value) (string, error) {
	if v == nil {
		return " ", nil
	}
	if _, isBytes := b.Receiver().(Bytes); isBytes {
		if f, ok := v.(Bytes); ok && len(f) == 1 {
			return string(f), nil
		}
		return "", Errorf(TypeError, "%s() argument 2 must be a byte string of length 1, not %s", b.Name(), TypeName(v))
	}
	f, ok := v.(starlark.String)
	if !ok {
		return "", Errorf(TypeError, "%s() argument 2 must be str, not %s", b.Name(), TypeName(v))
	}
	if utf8.RuneCountInString(string(f)) != 1 {
		return "", Errorf(TypeError, "The fill character must be exactly one character long")
	}
	return string(f), nil
}

// widthArg converts a width argument (an int).
func widthArg(v starlark.Value) (int, error) {
	i, err := asIndex(v)
	if err != nil {
		return 0, err
	}
	n, ok := i.Int64()
	if !ok || n > math.MaxInt32 {
		return 0, Errorf(OverflowError, "Python int too large to convert to C ssize_t")
	}
	return int(n), nil
}

// length counts characters of a str receiver and bytes of a bytes one.
func length(b *starlark.Builtin, s string) int {
	if _, isBytes := b.Receiver().(Bytes); isBytes {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}

// justify returns ljust ('<'), rjust ('>') or center ('^').
func justify(align byte) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var w, f starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &w, &f); err != nil {
			return nil, err
		}
		width, err := widthArg(w)
		if err != nil {
			return nil, err
		}
		fill, err := fillArg(b, f)
		if err != nil {
			return nil, err
		}
		s := recvString(b)
		marg := width - length(b, s)
		if marg <= 0 {
			return b.Receiver(), nil
		}
		if err := reserveElems(thread, marg, int64(len(fill))); err != nil {
			return nil, err
		}
		left := 0
		switch align {
		case '>':
			left = marg
		case '^':
			left = marg/2 + (marg & width & 1)
		}
		return wrap(b, strings.Repeat(fill, left)+s+strings.Repeat(fill, marg-left)), nil
	}
}

// zfill(width) pads with zeros after any sign.
func zfill(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var w starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &w); err != nil {
		return nil, err
	}
	width, err := widthArg(w)
	if err != nil {
		return nil, err
	}
	s := recvString(b)
	n := width - length(b, s)
	if n <= 0 {
		return b.Receiver(), nil
	}
	if err := reserveElems(thread, n, 1); err != nil {
		return nil, err
	}
	sign := ""
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[:1], s[1:]
	}
	return wrap(b, sign+strings.Repeat("0", n)+s), nil
}

func noArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) error {
	return starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
}

// fullFold holds the case foldings Go's simple case mapping lacks.
var fullFold = map[rune]string{'ß': "ss", 'ẞ': "ss", 'ς': "σ", 'ﬀ': "ff", 'ﬁ': "fi", 'ﬂ': "fl", 'ﬃ': "ffi", 'ﬄ': "ffl", 'ﬅ': "st", 'ﬆ': "st"}

func strCasefold(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	var out strings.Builder
	for _, r := range recvString(b) {
		if f, ok := fullFold[r]; ok {
			out.WriteString(f)
		} else {
			out.WriteRune(unicode.ToLower(r))
		}
	}
	return starlark.String(out.String()), nil
}

func strSwapcase(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	var out strings.Builder
	for _, r := range recvString(b) {
		switch {
		case r == 'ß':
			out.WriteString("SS")
		case unicode.IsUpper(r):
			out.WriteRune(unicode.ToLower(r))
		case unicode.IsLower(r):
			out.WriteRune(unicode.ToUpper(r))
		default:
			out.WriteRune(r)
		}
	}
	return starlark.String(out.String()), nil
}

func strExpandtabs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
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
	return starlark.String(expandTabs(s, tabsize, false)), nil
}

// expandTabs is Python's str.expandtabs (bytes.expandtabs when
// bytewise): each tab becomes the spaces up to the next multiple of
// tabsize (no spaces when tabsize <= 0); columns count characters, or
// bytes when bytewise.
func expandTabs(s string, tabsize int, bytewise bool) string {
	var out strings.Builder
	col := 0
	for i, size := 0, 1; i < len(s); i += size {
		if !bytewise {
			_, size = utf8.DecodeRuneInString(s[i:])
		}
		switch c := s[i]; c {
		case '\t':
			if tabsize > 0 {
				n := tabsize - col%tabsize
				out.WriteString(strings.Repeat(" ", n))
				col += n
			}
		case '\n', '\r':
			out.WriteByte(c)
			col = 0
		default:
			out.WriteString(s[i : i+size])
			col++
		}
	}
	return out.String()
}

func isASCII(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	s := recvString(b)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return starlark.False, nil
		}
	}
	return starlark.True, nil
}

// strIs returns an is* method: true when s is non-empty and every
// character satisfies pred.
func strIs(pred func(rune) bool) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		s := recvString(b)
		if s == "" {
			return starlark.False, nil
		}
		for _, r := range s {
			if !pred(r) {
				return starlark.False, nil
			}
		}
		return starlark.True, nil
	}
}

// ---- bytes methods ----

const asciiSpace = " \t\n\r\x0b\x0c"

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func asciiUpper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 32
	}
	return c
}

func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 32
	}
	return c
}

// bytesArg returns a bytes argument, or Python's TypeError.
func bytesArg(v starlark.Value) (string, error) {
	if b, ok := BytesLike(v); ok {
		return b, nil
	}
	return "", Errorf(TypeError, "a bytes-like object is required, not '%s'", TypeName(v))
}

// sliceBounds applies optional start/end arguments as Python slicing.
func sliceBounds(n int, start, end starlark.Value) (int, int, error) {
	lo, hi := 0, n
	conv := func(v starlark.Value, dflt int) (int, error) {
		if v == nil || v == starlark.None {
			return dflt, nil
		}
		i, err := asIndex(v)
		if err != nil {
			return 0, Errorf(TypeError, "slice indices must be integers or None or have an __index__ method")
		}
		k, _ := i.Int64()
		if k < 0 {
			k += int64(n)
			if k < 0 {
				k = 0
			}
		}
		if k > int64(n) {
			k = int64(n)
		}
		return int(k), nil
	}
	var err error
	if lo, err = conv(start, 0); err != nil {
		return 0, 0, err
	}
	if hi, err = conv(end, n); err != nil {
		return 0, 0, err
	}
	return lo, hi, nil
}

// bytesAffix returns startswith or endswith.
func bytesAffix(test func(s, affix string) bool) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var affix, start, end starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &affix, &start, &end); err != nil {
			return nil, err
		}
		s := recvString(b)
		lo, hi, err := sliceBounds(len(s), start, end)
		if err != nil {
			return nil, err
		}
		if lo > hi {
			return starlark.False, nil
		}
		s = s[lo:hi]
		var affixes []starlark.Value
		if t, ok := affix.(starlark.Tuple); ok {
			affixes = t
		} else {
			affixes = []starlark.Value{affix}
		}
		for _, a := range affixes {
			ab, ok := BytesLike(a)
			if !ok {
				return nil, Errorf(TypeError, "%s first arg must be bytes or a tuple of bytes, not %s", b.Name(), TypeName(a))
			}
			if test(s, ab) {
				return starlark.True, nil
			}
		}
		return starlark.False, nil
	}
}

func bytesList(parts []string) *starlark.List {
	elems := make([]starlark.Value, len(parts))
	for i, p := range parts {
		elems[i] = Bytes(p)
	}
	return starlark.NewList(elems)
}

// bytes.split(sep=None, maxsplit=-1)
func bytesSplit(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var sep starlark.Value = starlark.None
	maxsplit := -1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "sep?", &sep, "maxsplit?", &maxsplit); err != nil {
		return nil, err
	}
	s := recvString(b)
	if sep == starlark.None {
		var parts []string
		rest := strings.TrimLeft(s, asciiSpace)
		for rest != "" {
			if maxsplit >= 0 && len(parts) == maxsplit {
				parts = append(parts, rest)
				break
			}
			i := strings.IndexAny(rest, asciiSpace)
			if i < 0 {
				parts = append(parts, rest)
				break
			}
			parts = append(parts, rest[:i])
			rest = strings.TrimLeft(rest[i:], asciiSpace)
		}
		return bytesList(parts), nil
	}
	sb, err := bytesArg(sep)
	if err != nil {
		return nil, err
	}
	if sb == "" {
		return nil, Errorf(ValueError, "empty separator")
	}
	n := -1
	if maxsplit >= 0 {
		n = maxsplit + 1
	}
	return bytesList(strings.SplitN(s, sb, n)), nil
}

// bytesStrip returns strip, lstrip or rstrip (chars=None: whitespace).
func bytesStrip(left, right bool) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var chars starlark.Value = starlark.None
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &chars); err != nil {
			return nil, err
		}
		cutset := asciiSpace
		if chars != starlark.None {
			c, err := bytesArg(chars)
			if err != nil {
				return nil, err
			}
			cutset = c
		}
		s := recvString(b)
		// strings.Trim works on runes; trim byte by byte instead.
		cut := func(c byte) bool { return strings.IndexByte(cutset, c) >= 0 }
		lo, hi := 0, len(s)
		for right && hi > lo && cut(s[hi-1]) {
			hi--
		}
		for left && lo < hi && cut(s[lo]) {
			lo++
		}
		return Bytes(s[lo:hi]), nil
	}
}

// bytes.replace(old, new, count=-1)
func bytesReplace(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var old, new starlark.Value
	count := -1
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &old, &new, &count); err != nil {
		return nil, err
	}
	o, err := bytesArg(old)
	if err != nil {
		return nil, err
	}
	n, err := bytesArg(new)
	if err != nil {
		return nil, err
	}
	return Bytes(strings.Replace(recvString(b), o, n, count)), nil
}

// bytesPartition is bytes.partition(sep) (last: rpartition): the bytes
// before the first (last) sep, sep, and the bytes after it.
func bytesPartition(last bool) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := oneArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		sep, err := bytesArg(v)
		if err != nil {
			return nil, err
		}
		if sep == "" {
			return nil, Errorf(ValueError, "empty separator")
		}
		s := recvString(b)
		i := strings.Index(s, sep)
		if last {
			i = strings.LastIndex(s, sep)
		}
		switch {
		case i >= 0:
			return starlark.Tuple{Bytes(s[:i]), Bytes(sep), Bytes(s[i+len(sep):])}, nil
		case last:
			return starlark.Tuple{Bytes(""), Bytes(""), Bytes(s)}, nil
		}
		return starlark.Tuple{Bytes(s), Bytes(""), Bytes("")}, nil
	}
}

// subArg is the sub argument of find, index and count: bytes or an int.
func subArg(v starlark.Value) (string, error) {
	if b, ok := BytesLike(v); ok {
		return b, nil
	}
	switch x := v.(type) {
	case starlark.Int:
		k, ok := x.Int64()
		if !ok || k < 0 || k > 255 {
			return "", Errorf(ValueError, "byte must be in range(0, 256)")
		}
		return string([]byte{byte(k)}), nil
	}
	return "", Errorf(TypeError, "argument should be integer or bytes-like object, not '%s'", TypeName(v))
}

// bytesFind returns find (-1 when absent) or index (ValueError).
// bytesFind makes find and index (the first occurrence), rfind and
// rindex (last: the last); index and rindex raise where the others
// return -1.
func bytesFind(raise, last bool) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var sub, start, end starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &sub, &start, &end); err != nil {
			return nil, err
		}
		sb, err := subArg(sub)
		if err != nil {
			return nil, err
		}
		s := recvString(b)
		lo, hi, err := sliceBounds(len(s), start, end)
		if err != nil {
			return nil, err
		}
		i := -1
		if lo <= hi {
			if last {
				i = strings.LastIndex(s[lo:hi], sb)
			} else {
				i = strings.Index(s[lo:hi], sb)
			}
			if i >= 0 {
				i += lo
			}
		}
		if i < 0 && raise {
			return nil, Errorf(ValueError, "subsection not found")
		}
		return starlark.MakeInt(i), nil
	}
}

func bytesCount(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var sub, start, end starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &sub, &start, &end); err != nil {
		return nil, err
	}
	sb, err := subArg(sub)
	if err != nil {
		return nil, err
	}
	s := recvString(b)
	lo, hi, err := sliceBounds(len(s), start, end)
	if err != nil {
		return nil, err
	}
	if lo > hi {
		return starlark.MakeInt(0), nil
	}
	return starlark.MakeInt(strings.Count(s[lo:hi], sb)), nil
}

func bytesJoin(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, Errorf(TypeError, "bytes.join() takes exactly one argument (%d given)", len(args)+len(kwargs))
	}
	seq, err := joinedItems(thread, args[0])
	if err != nil {
		return nil, err
	}
	var parts []string
	m := NewMeter(thread)
	sep, size := recvString(b), int64(0)
	for i := range seq.Len() {
		x := seq.Index(i)
		if err := m.Tick(); err != nil {
			return nil, err
		}
		xb, ok := BytesLike(x)
		if !ok {
			return nil, Errorf(TypeError, "sequence item %d: expected a bytes-like object, %s found", i, TypeName(x))
		}
		parts = append(parts, xb)
		size += int64(len(xb) + len(sep))
	}
	if size >= MinReserve {
		if err := m.Reserve(size); err != nil {
			return nil, err
		}
	}
	return Bytes(strings.Join(parts, sep)), nil
}

// bytesMap returns upper, lower or swapcase (ASCII only, as Python's bytes).
func bytesMap(f func(byte) byte) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		s := []byte(recvString(b))
		for i, c := range s {
			s[i] = f(c)
		}
		return Bytes(s), nil
	}
}

// bytesIs returns an is* method over ASCII bytes.
func bytesIs(pred func(byte) bool) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		s := recvString(b)
		if s == "" {
			return starlark.False, nil
		}
		for i := 0; i < len(s); i++ {
			if !pred(s[i]) {
				return starlark.False, nil
			}
		}
		return starlark.True, nil
	}
}

// bytes.splitlines(keepends=False): \n, \r and \r\n end lines.
func bytesSplitlines(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	keepends := false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "keepends?", &keepends); err != nil {
		return nil, err
	}
	s := recvString(b)
	var parts []string
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			parts = append(parts, s)
			break
		}
		eol := i + 1
		if s[i] == '\r' && eol < len(s) && s[eol] == '\n' {
			eol++
		}
		if keepends {
			parts = append(parts, s[:eol])
		} else {
			parts = append(parts, s[:i])
		}
		s = s[eol:]
	}
	return bytesList(parts), nil
}

// bytesRemoveAffix returns removeprefix or removesuffix.
func bytesRemoveAffix(trim func(s, affix string) string) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var affix starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &affix); err != nil {
			return nil, err
		}
		a, err := bytesArg(affix)
		if err != nil {
			return nil, err
		}
		return Bytes(trim(recvString(b), a)), nil
	}
}

// bytes.hex(sep=None, bytes_per_sep=1)
func bytesHex(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var sepv starlark.Value = starlark.None
	perSep := 1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "sep?", &sepv, "bytes_per_sep?", &perSep); err != nil {
		return nil, err
	}
	s := recvString(b)
	sep := ""
	switch v := sepv.(type) {
	case starlark.NoneType:
	case starlark.String:
		sep = string(v)
	case Bytes:
		sep = string(v)
	default:
		return nil, Errorf(TypeError, "sep must be str or bytes.")
	}
	if sepv != starlark.None && utf8.RuneCountInString(sep) != 1 {
		return nil, Errorf(ValueError, "sep must be length 1.")
	}
	if sep != "" && sep[0] >= 0x80 {
		return nil, Errorf(ValueError, "sep must be ASCII.")
	}
	var out strings.Builder
	group := perSep
	if group < 0 {
		group = -group
	}
	for i := 0; i < len(s); i++ {
		if sep != "" && i > 0 && group > 0 {
			var boundary bool
			if perSep > 0 {
				boundary = (len(s)-i)%group == 0 // groups counted from the right
			} else {
				boundary = i%group == 0
			}
			if boundary {
				out.WriteString(sep)
			}
		}
		out.WriteString(HexN(int(s[i]), 2))
	}
	return starlark.String(out.String()), nil
}

// ---- str.format ----

// str.format(*args, **kwargs)
func strFormatMethod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	kw := starlark.NewDict(len(kwargs))
	for _, kv := range kwargs {
		kw.SetKey(kv[0], kv[1])
	}
	var auto autoNumber
	if err := reserveFormatted(thread, b.Receiver(), args); err != nil {
		return nil, err
	}
	m := NewMeter(thread)
	s, err := buildFormatString(&m, recvString(b), args, kw, 2, &auto)
	if err != nil {
		return nil, err
	}
	return starlark.String(s), nil
}

// autoNumber tracks {} versus {0} numbering in one str.format call.
type autoNumber struct {
	state int // 0: not yet, 1: automatic, 2: manual
	next  int
}

// buildFormatString is CPython's build_string (Objects/stringlib/unicode_format.h).
func buildFormatString(m *Meter, format string, args starlark.Tuple, kwargs *starlark.Dict, depth int, auto *autoNumber) (string, error) {
	if depth <= 0 {
		return "", Errorf(ValueError, "Max string recursion exceeded")
	}
	var out strings.Builder
	s := []rune(format)
	pos := 0
	for pos < len(s) {
		// Literal text up to a brace.
		start := pos
		var c rune
		markup := false
		for pos < len(s) {
			c = s[pos]
			pos++
			if c == '{' || c == '}' {
				markup = true
				break
			}
		}
		atEnd := pos >= len(s)
		n := pos - start
		if markup && c == '}' && (atEnd || s[pos] != '}') {
			return "", Errorf(ValueError, "Single '}' encountered in format string")
		}
		if markup && atEnd && c == '{' {
			return "", Errorf(ValueError, "Single '{' encountered in format string")
		}
		if markup && !atEnd {
			if s[pos] == c { // escaped {{ or }}
				pos++
				markup = false
			} else {
				n--
			}
		}
		out.WriteString(string(s[start : start+n]))
		if !markup {
			continue
		}
		// parse_field
		nameStart := pos
		c = 0
	scan:
		for pos < len(s) {
			c = s[pos]
			pos++
			switch c {
			case '{':
				return "", Errorf(ValueError, "unexpected '{' in field name")
			case '[':
				for pos < len(s) && s[pos] != ']' {
					pos++
				}
			case '}', ':', '!':
				break scan
			}
		}
		fieldName := string(s[nameStart : pos-1])
		if c != '}' && c != ':' && c != '!' {
			return "", Errorf(ValueError, "expected '}' before end of string")
		}
		var conversion rune
		spec := ""
		expand := false
		if c == '!' || c == ':' {
			if c == '!' {
				if pos >= len(s) {
					return "", Errorf(ValueError, "end of string while looking for conversion specifier")
				}
				conversion = s[pos]
				pos++
				if pos < len(s) {
					c = s[pos]
					pos++
					if c == '}' {
						goto field
					}
					if c != ':' {
						return "", Errorf(ValueError, "expected ':' after conversion specifier")
					}
				}
			}
			specStart := pos
			count := 1
			for pos < len(s) {
				c = s[pos]
				pos++
				if c == '{' {
					expand = true
					count++
				} else if c == '}' {
					count--
					if count == 0 {
						spec = string(s[specStart : pos-1])
						goto field
					}
				}
			}
			return "", Errorf(ValueError, "unmatched '{' in format spec")
		}
	field:
		v, err := getFieldObject(fieldName, args, kwargs, auto)
		if err != nil {
			return "", err
		}
		if conversion != 0 {
			if conversion == 'r' || conversion == 's' || conversion == 'a' {
				if v, err = convertWith(m, v, string(conversion)); err != nil {
					return "", err
				}
			} else if conversion > 32 && conversion < 127 {
				return "", Errorf(ValueError, "Unknown conversion specifier %c", conversion)
			} else {
				return "", Errorf(ValueError, "Unknown conversion specifier \\x%x", conversion)
			}
		}
		if expand {
			spec, err = buildFormatString(m, spec, args, kwargs, depth-1, auto)
			if err != nil {
				return "", err
			}
		}
		text, err := formatWith(m, v, spec)
		if err != nil {
			return "", err
		}
		out.WriteString(text)
	}
	return out.String(), nil
}

// formatIndex is get_integer: a non-negative decimal, or -1.
func formatIndex(s string) (int, error) {
	if s == "" {
		return -1, nil
	}
	n := 0
	for _, r := range s {
		d := -1
		if r >= '0' && r <= '9' {
			d = int(r - '0')
		} else if r >= utf8.RuneSelf {
			d = unicodeDigit(r)
		}
		if d < 0 {
			return -1, nil
		}
		if n > (math.MaxInt64-d)/10 {
			return -1, Errorf(ValueError, "Too many decimal digits in format string")
		}
		n = n*10 + d
	}
	return n, nil
}

// getFieldObject resolves a field name: an index or keyword, then any
// number of .attr and [key] lookups.
func getFieldObject(field string, args starlark.Tuple, kwargs *starlark.Dict, auto *autoNumber) (starlark.Value, error) {
	i := strings.IndexAny(field, ".[")
	if i < 0 {
		i = len(field)
	}
	first, rest := field[:i], field[i:]
	index, err := formatIndex(first)
	if err != nil {
		return nil, err
	}
	empty := first == ""
	if empty || index != -1 {
		if auto.state == 0 {
			auto.state = 2
			if empty {
				auto.state = 1
			}
		}
		if auto.state == 2 && empty {
			return nil, Errorf(ValueError, "cannot switch from manual field specification to automatic field numbering")
		}
		if auto.state == 1 && !empty {
			return nil, Errorf(ValueError, "cannot switch from automatic field numbering to manual field specification")
		}
		if empty {
			index = auto.next
			auto.next++
		}
	}
	var obj starlark.Value
	if index == -1 {
		v, found, _ := kwargs.Get(starlark.String(first))
		if !found {
			return nil, &Exception{Class: KeyError, Msg: Repr(starlark.String(first)), Args: starlark.Tuple{starlark.String(first)}}
		}
		obj = v
	} else {
		if index >= len(args) {
			return nil, Errorf(IndexError, "Replacement index %d out of range for positional args tuple", index)
		}
		obj = args[index]
	}
	for rest != "" {
		var name string
		isAttr := rest[0] == '.'
		switch rest[0] {
		case '.':
			rest = rest[1:]
			j := strings.IndexAny(rest, ".[")
			if j < 0 {
				j = len(rest)
			}
			name, rest = rest[:j], rest[j:]
		case '[':
			j := strings.IndexByte(rest, ']')
			if j < 0 {
				return nil, Errorf(ValueError, "Missing ']' in format string")
			}
			name, rest = rest[1:j], rest[j+1:]
		default:
			return nil, Errorf(ValueError, "Only '.' or '[' may follow ']' in format field specifier")
		}
		if name == "" {
			return nil, Errorf(ValueError, "Empty attribute in format string")
		}
		if isAttr {
			obj, err = GetAttr(obj, name)
		} else {
			k, err2 := formatIndex(name)
			if err2 != nil {
				return nil, err2
			}
			if k >= 0 {
				obj, err = getIndex(obj, starlark.MakeInt(k))
			} else {
				obj, err = getIndex(obj, starlark.String(name))
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return obj, nil
}

// getIndex is Python's obj[key] with Python's errors.
func getIndex(obj, key starlark.Value) (starlark.Value, error) {
	switch o := obj.(type) {
	case starlark.Mapping:
		v, found, err := o.Get(key)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, &Exception{Class: KeyError, Msg: Repr(key), Args: starlark.Tuple{key}}
		}
		return v, nil
	case starlark.Indexable:
		i, ok := key.(starlark.Int)
		if !ok {
			return nil, Errorf(TypeError, "%s indices must be integers or slices, not %s", TypeName(obj), TypeName(key))
		}
		k, _ := i.Int64()
		if k < 0 {
			k += int64(o.Len())
		}
		if k < 0 || k >= int64(o.Len()) {
			return nil, Errorf(IndexError, "%s index out of range", TypeName(obj))
		}
		return o.Index(int(k)), nil
	}
	return nil, Errorf(TypeError, "'%s' object is not subscriptable", TypeName(obj))
}
