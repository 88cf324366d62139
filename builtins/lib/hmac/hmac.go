// Package hmac is Python's hmac module for kstar scripts.
//
// It offers new(key, msg=None, digestmod) and the class HMAC (update,
// digest, hexdigest, copy, name, digest_size, block_size), digest(key,
// msg, digest) and compare_digest(a, b), with CPython 3.11's reprs and
// errors. digestmod is a hash name ('sha256'), a hashlib constructor
// (hashlib.sha256), or a callable returning a hashlib hash object; Go's
// crypto/hmac computes the codes with the algorithms of hashlib.
package hmac

import (
	"crypto/hmac"
	"crypto/subtle"
	"fmt"
	"hash"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/hashlib"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyclass"
	"github.com/kstar-dev/kstar/builtins/py"
)

// HMACClass is hmac.HMAC, whose arguments are those of hmac.new.
var HMACClass = &pyclass.Class{Module: "hmac", ClassName: "HMAC", Make: func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return newHMAC(thread, "HMAC.__init__", args, kwargs)
}, Instance: func(v starlark.Value) bool { _, ok := v.(*HMAC); return ok }}

// New returns the hmac module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "hmac", Members: starlark.StringDict{
		"new": py.Func("new", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return newHMAC(thread, "new", args, kwargs)
		}),
		"HMAC":           HMACClass,
		"digest":         py.Func("digest", digest),
		"compare_digest": py.Func("compare_digest", compareDigest),
	}}
}

// algorithm resolves digestmod as CPython's hmac does: a name, a hashlib
// constructor, or a callable returning a hash object.
func algorithm(thread *starlark.Thread, digestmod starlark.Value) (*hashlib.Algorithm, error) {
	if digestmod == starlark.None || digestmod == starlark.String("") {
		return nil, py.Errorf(py.TypeError, "Missing required parameter 'digestmod'.")
	}
	if name, ok := digestmod.(starlark.String); ok {
		alg, ok := hashlib.Lookup(string(name))
		if !ok {
			return nil, py.Errorf(py.ValueError, "unsupported hash type %s", string(name))
		}
		return checkAlgorithm(alg)
	}
	if alg, ok := hashlib.AlgorithmOf(digestmod); ok {
		return checkAlgorithm(alg)
	}
	if _, ok := digestmod.(starlark.Callable); !ok {
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'new'", py.TypeName(digestmod))
	}
	h, err := starlark.Call(thread, digestmod, nil, nil)
	if err != nil {
		return nil, err
	}
	alg, ok := hashlib.HashAlgorithm(h)
	if !ok {
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'digest_size'", py.TypeName(h))
	}
	return checkAlgorithm(alg)
}

// checkAlgorithm refuses the SHAKE functions, which have no fixed digest
// size, as OpenSSL does.
func checkAlgorithm(alg *hashlib.Algorithm) (*hashlib.Algorithm, error) {
	if alg.New == nil {
		return nil, py.Errorf(py.ValueError, "no reason supplied")
	}
	return alg, nil
}

// newHMAC is hmac.new(key, msg=None, digestmod=”) and HMAC(...); fname
// names the function in arity errors.
func newHMAC(thread *starlark.Thread, fname string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var key, msg, digestmod starlark.Value = nil, starlark.None, starlark.String("")
	f := &pyargs.Func{Name: fname, Params: []string{"key", "msg", "digestmod"}, Required: 1, Method: fname != "new"}
	if err := f.Bind(args, kwargs, &key, &msg, &digestmod); err != nil {
		return nil, err
	}
	k, ok := py.BytesLike(key)
	if !ok {
		return nil, py.Errorf(py.TypeError, "key: expected bytes or bytearray, but got '%s'", py.TypeName(key))
	}
	alg, err := algorithm(thread, digestmod)
	if err != nil {
		return nil, err
	}
	m := &HMAC{alg: alg, h: hmac.New(alg.New, []byte(k))}
	if msg != starlark.None {
		data, err := hashlib.Data(msg)
		if err != nil {
			return nil, err
		}
		hashlib.WriteString(m.h, data)
	}
	return m, nil
}

var digestSpec = &pyargs.Func{Name: "digest", Params: []string{"key", "msg", "digest"}, Required: 3}

// digest is hmac.digest(key, msg, digest): the code of msg in one call.
func digest(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var key, msg, digestmod starlark.Value
	if err := digestSpec.Bind(args, kwargs, &key, &msg, &digestmod); err != nil {
		return nil, err
	}
	k, err := pyargs.Bytes(key)
	if err != nil {
		return nil, err
	}
	m, err := pyargs.Bytes(msg)
	if err != nil {
		return nil, err
	}
	alg, err := algorithm(thread, digestmod)
	if err != nil {
		return nil, err
	}
	h := hmac.New(alg.New, []byte(k))
	h.Write([]byte(m))
	return py.Bytes(h.Sum(nil)), nil
}

var compareSpec = &pyargs.Func{Name: "compare_digest", Params: []string{"a", "b"}, Required: 2, C: true, PositionalOnly: true}

// compareDigest is hmac.compare_digest(a, b): a comparison whose time
// does not depend on where a and b differ. Both are bytes, or both ASCII
// strs.
func compareDigest(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y starlark.Value
	if err := compareSpec.Bind(args, kwargs, &x, &y); err != nil {
		return nil, err
	}
	xs, xStr := x.(starlark.String)
	ys, yStr := y.(starlark.String)
	if xStr && yStr {
		if !isASCII(string(xs)) || !isASCII(string(ys)) {
			return nil, py.Errorf(py.TypeError, "comparing strings with non-ASCII characters is not supported")
		}
		return starlark.Bool(subtle.ConstantTimeCompare([]byte(xs), []byte(ys)) == 1), nil
	}
	xb, xBytes := py.BytesLike(x)
	yb, yBytes := py.BytesLike(y)
	switch {
	case xBytes && yBytes:
		return starlark.Bool(subtle.ConstantTimeCompare([]byte(xb), []byte(yb)) == 1), nil
	case xBytes || yBytes || xStr || yStr:
		return nil, py.Errorf(py.TypeError, "a bytes-like object is required, not 'str'")
	}
	return nil, py.Errorf(py.TypeError, "unsupported operand types(s) or combination of types: '%s' and '%s'", py.TypeName(x), py.TypeName(y))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// HMAC is an hmac.HMAC object.
type HMAC struct {
	// mu serialises updates and digests: an HMAC in a script's frozen
	// globals is shared by calls running at once (runtime.Script).
	mu  sync.Mutex
	alg *hashlib.Algorithm
	h   hash.Hash
}

// sum returns the code so far.
func (m *HMAC) sum() []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.h.Sum(nil)
}

var (
	_ starlark.HasAttrs = (*HMAC)(nil)
	_ py.Reprer         = (*HMAC)(nil)
	_ py.PyClasser      = (*HMAC)(nil)
)

// PyRepr is CPython's <hmac.HMAC object at 0x...>.
func (m *HMAC) PyRepr() string { return fmt.Sprintf("<hmac.HMAC object at %p>", m) }
func (m *HMAC) String() string { return m.PyRepr() }
func (m *HMAC) Type() string   { return "HMAC" }

// PyClass is type(m): hmac.HMAC.
func (m *HMAC) PyClass() starlark.Value { return HMACClass }
func (m *HMAC) Freeze()                 {}
func (m *HMAC) Truth() starlark.Bool    { return true }

// Hash hashes by identity, as CPython does.
func (m *HMAC) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", m)).Hash() }

// AttrNames lists the attributes of an HMAC object.
func (m *HMAC) AttrNames() []string {
	return []string{"block_size", "copy", "digest", "digest_size", "hexdigest", "name", "update"}
}

// Attr returns the attributes and bound methods of an HMAC object.
func (m *HMAC) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String("hmac-" + m.alg.Name), nil
	case "digest_size":
		return starlark.MakeInt(m.alg.Size), nil
	case "block_size":
		return starlark.MakeInt(m.alg.BlockSize), nil
	case "update":
		return hmacUpdateMethod.BindReceiver(m), nil
	case "digest":
		return hmacDigestMethod.BindReceiver(m), nil
	case "hexdigest":
		return hmacHexdigestMethod.BindReceiver(m), nil
	case "copy":
		return hmacCopyMethod.BindReceiver(m), nil
	}
	return nil, nil
}

// The methods of HMAC objects, bound to one by Attr.
var (
	hmacUpdateMethod    = py.Func("update", hmacUpdate)
	hmacDigestMethod    = py.Func("digest", hmacDigest)
	hmacHexdigestMethod = py.Func("hexdigest", hmacHexdigest)
	hmacCopyMethod      = py.Func("copy", hmacCopy)
)

func noArgs(name string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	return (&pyargs.Func{Name: "HMAC." + name, Method: true}).Bind(args, kwargs)
}

var updateSpec = &pyargs.Func{Name: "HMAC.update", Params: []string{"msg"}, Required: 1, Method: true}

func hmacUpdate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var msg starlark.Value
	if err := updateSpec.Bind(args, kwargs, &msg); err != nil {
		return nil, err
	}
	data, err := hashlib.Data(msg)
	if err != nil {
		return nil, err
	}
	m := b.Receiver().(*HMAC)
	m.mu.Lock()
	hashlib.WriteString(m.h, data)
	m.mu.Unlock()
	return starlark.None, nil
}

func hmacDigest(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("digest", args, kwargs); err != nil {
		return nil, err
	}
	return py.Bytes(b.Receiver().(*HMAC).sum()), nil
}

func hmacHexdigest(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("hexdigest", args, kwargs); err != nil {
		return nil, err
	}
	return starlark.String(hashlib.Hex(b.Receiver().(*HMAC).sum())), nil
}

func hmacCopy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("copy", args, kwargs); err != nil {
		return nil, err
	}
	m := b.Receiver().(*HMAC)
	m.mu.Lock()
	c, err := m.h.(hash.Cloner).Clone()
	m.mu.Unlock()
	if err != nil {
		return nil, py.Errorf(py.ValueError, "%v", err)
	}
	return &HMAC{alg: m.alg, h: c}, nil
}
