// Package random is Python's random module for kstar scripts.
//
// It offers random, seed, getstate, setstate, getrandbits, randbytes,
// randrange, randint, choice, choices (weights, cum_weights, k), sample
// (k, counts), shuffle, uniform, triangular, gauss, normalvariate,
// lognormvariate, expovariate, gammavariate, betavariate, paretovariate,
// weibullvariate and vonmisesvariate as module functions, and the classes
// Random(seed) and SystemRandom().
//
// The generator is CPython's: the Mersenne Twister MT19937, seeded as
// CPython 3.11 seeds it (an int by its 32-bit words, a str or bytes by its
// SHA-512 with version 2, a float by Python's hash), and every function
// draws from it as CPython's Lib/random.py does, so a seeded script gets
// CPython's numbers. The distributions built on math.log, exp, sin and cos
// use Go's math package, which may round the last bit differently from C's
// libm for some inputs. Unseeded generators are seeded from crypto/rand.
// Non-integer arguments to randrange are refused or accepted as CPython
// 3.11 does, without its DeprecationWarning.
package random

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyclass"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the random module for one execution: its functions are the
// methods of a generator of its own, seeded from crypto/rand.
func New(env *py.Env) starlark.Value {
	r := newRandom(false)
	r.mt.seedFromEntropy()
	members := starlark.StringDict{
		"Random":       RandomClass,
		"SystemRandom": SystemRandomClass,
	}
	for name := range methods {
		members[name] = r.method(name)
	}
	return &starlarkstruct.Module{Name: "random", Members: members}
}

// Random is an instance of random.Random (or random.SystemRandom): a
// generator with CPython's state and methods.
type Random struct {
	// mu serialises draws: a script's frozen globals, and so its random
	// module, are shared by calls running at once (runtime.Script).
	mu sync.Mutex
	mt mt19937
	// gaussNext is the second value of the last pair gauss() made.
	gaussNext    float64
	hasGaussNext bool
	// system draws every bit from crypto/rand (SystemRandom).
	system bool
}

var (
	_ starlark.HasAttrs = (*Random)(nil)
	_ py.Reprer         = (*Random)(nil)
	_ py.PyClasser      = (*Random)(nil)
)

func newRandom(system bool) *Random {
	return &Random{system: system}
}

func (r *Random) className() string {
	if r.system {
		return "SystemRandom"
	}
	return "Random"
}

func (r *Random) String() string { return r.PyRepr() }

// PyRepr is CPython's repr: <random.Random object at 0x...>.
func (r *Random) PyRepr() string {
	return fmt.Sprintf("<random.%s object at %p>", r.className(), r)
}
func (r *Random) Type() string { return r.className() }

// PyClass is type(r): random.Random or random.SystemRandom.
func (r *Random) PyClass() starlark.Value {
	if r.system {
		return SystemRandomClass
	}
	return RandomClass
}
func (r *Random) Freeze()              {}
func (r *Random) Truth() starlark.Bool { return true }

// Hash hashes by identity, as CPython does.
func (r *Random) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", r)).Hash() }

// Attr returns a bound method.
func (r *Random) Attr(name string) (starlark.Value, error) {
	if _, ok := methods[name]; !ok {
		return nil, nil
	}
	return r.method(name), nil
}

// AttrNames lists the methods.
func (r *Random) AttrNames() []string {
	names := make([]string, 0, len(methods))
	for name := range methods {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (r *Random) method(name string) *starlark.Builtin {
	m := methods[name]
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		r := b.Receiver().(*Random)
		r.mu.Lock()
		defer r.mu.Unlock()
		return m(r, args, kwargs)
	}).BindReceiver(r)
}

// RandomClass is random.Random: Random(x=None) is a generator seeded as
// seed(x) seeds.
var RandomClass = &pyclass.Class{Module: "random", ClassName: "Random", Make: makeRandom(false), Instance: func(v starlark.Value) bool {
	_, ok := v.(*Random)
	return ok // a SystemRandom is a Random too, as in Python
}}

// SystemRandomClass is random.SystemRandom: a generator whose every bit
// comes from crypto/rand; seed() does nothing and it has no state.
var SystemRandomClass = &pyclass.Class{Module: "random", ClassName: "SystemRandom", Make: makeRandom(true), Instance: func(v starlark.Value) bool {
	r, ok := v.(*Random)
	return ok && r.system
}}

// makeRandom makes a generator: Random(x=None), SystemRandom(x=None).
func makeRandom(system bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(kwargs) > 0 {
			return nil, py.Errorf(py.TypeError, "%s() takes no keyword arguments", b.Name())
		}
		if len(args) > 1 {
			return nil, py.Errorf(py.TypeError, "%s() expected at most 1 argument, got %d", b.Name(), len(args))
		}
		r := newRandom(system)
		if system {
			return r, nil
		}
		var seed starlark.Value = starlark.None
		if len(args) == 1 {
			seed = args[0]
		}
		if err := r.seed(seed, 2); err != nil {
			return nil, err
		}
		return r, nil
	}
}

type methodFunc func(r *Random, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// methods are Random's methods, as Python names them.
var methods map[string]methodFunc

func init() {
	methods = map[string]methodFunc{
		"random":          (*Random).pyRandom,
		"seed":            (*Random).pySeed,
		"getstate":        (*Random).pyGetstate,
		"setstate":        (*Random).pySetstate,
		"getrandbits":     (*Random).pyGetrandbits,
		"randbytes":       (*Random).pyRandbytes,
		"randrange":       (*Random).pyRandrange,
		"randint":         (*Random).pyRandint,
		"choice":          (*Random).pyChoice,
		"choices":         (*Random).pyChoices,
		"sample":          (*Random).pySample,
		"shuffle":         (*Random).pyShuffle,
		"uniform":         (*Random).pyUniform,
		"triangular":      (*Random).pyTriangular,
		"gauss":           (*Random).pyGauss,
		"normalvariate":   (*Random).pyNormalvariate,
		"lognormvariate":  (*Random).pyLognormvariate,
		"expovariate":     (*Random).pyExpovariate,
		"gammavariate":    (*Random).pyGammavariate,
		"betavariate":     (*Random).pyBetavariate,
		"paretovariate":   (*Random).pyParetovariate,
		"weibullvariate":  (*Random).pyWeibullvariate,
		"vonmisesvariate": (*Random).pyVonmisesvariate,
	}
}

// spec describes a method written in Python in CPython's random.py.
func spec(name string, required int, params ...string) *pyargs.Func {
	return &pyargs.Func{Name: "Random." + name, Params: params, Required: required, Method: true}
}

// The parameters of the methods.
var (
	seedSpec            = spec("seed", 0, "a", "version")
	getstateSpec        = spec("getstate", 0)
	setstateSpec        = spec("setstate", 1, "state")
	randbytesSpec       = spec("randbytes", 1, "n")
	randrangeSpec       = spec("randrange", 1, "start", "stop", "step")
	randintSpec         = spec("randint", 2, "a", "b")
	choiceSpec          = spec("choice", 1, "seq")
	shuffleSpec         = spec("shuffle", 1, "x")
	sampleSpec          = spec("sample", 2, "population", "k", "*", "counts")
	choicesSpec         = spec("choices", 1, "population", "weights", "*", "cum_weights", "k")
	uniformSpec         = spec("uniform", 2, "a", "b")
	triangularSpec      = spec("triangular", 0, "low", "high", "mode")
	gaussSpec           = spec("gauss", 0, "mu", "sigma")
	normalvariateSpec   = spec("normalvariate", 0, "mu", "sigma")
	lognormvariateSpec  = spec("lognormvariate", 2, "mu", "sigma")
	expovariateSpec     = spec("expovariate", 1, "lambd")
	gammavariateSpec    = spec("gammavariate", 2, "alpha", "beta")
	betavariateSpec     = spec("betavariate", 2, "alpha", "beta")
	paretovariateSpec   = spec("paretovariate", 1, "alpha")
	weibullvariateSpec  = spec("weibullvariate", 2, "alpha", "beta")
	vonmisesvariateSpec = spec("vonmisesvariate", 2, "mu", "kappa")
)

// Draws from the generator.

// float draws random(): CPython's 53-bit formula, or for SystemRandom
// 56 bits of entropy shifted to 53 (as SystemRandom.random does).
func (r *Random) float() float64 {
	if r.system {
		var b [8]byte
		rand.Read(b[1:])
		return float64(binary.BigEndian.Uint64(b[:])>>3) * (1.0 / 9007199254740992.0)
	}
	return r.mt.float64()
}

// randBits is getrandbits(k), k >= 0.
func (r *Random) randBits(k int) starlark.Int {
	switch {
	case k == 0:
		return starlark.MakeInt(0)
	case k <= 64 && !r.system:
		return starlark.MakeUint64(r.mt.bits64(k))
	}
	return starlark.MakeBigInt(littleEndianInt(r.bitBytes(k)))
}

// bitBytes returns k > 0 random bits as little-endian bytes.
func (r *Random) bitBytes(k int) []byte {
	if !r.system {
		return r.mt.bytes(k)
	}
	n := (k + 7) / 8
	buf := make([]byte, n)
	rand.Read(buf)
	if extra := n*8 - k; extra > 0 {
		buf[n-1] >>= extra
	}
	return buf
}

func littleEndianInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i, c := range b {
		be[len(b)-1-i] = c
	}
	return new(big.Int).SetBytes(be)
}

// below is _randbelow(n) for 0 < n < 2**63: draws of n's bit length until
// one is below n.
func (r *Random) below(n int) int {
	if !r.system {
		return int(r.mt.below(uint64(n)))
	}
	return int(r.belowBig(big.NewInt(int64(n))).Int64())
}

// belowBig is _randbelow(n) for any n > 0.
func (r *Random) belowBig(n *big.Int) *big.Int {
	k := n.BitLen()
	for {
		v := littleEndianInt(r.bitBytes(k))
		if v.Cmp(n) < 0 {
			return v
		}
	}
}

// belowInt is _randbelow(n) for an Int n > 0.
func (r *Random) belowInt(n starlark.Int) starlark.Int {
	if n64, ok := n.Int64(); ok {
		return starlark.MakeInt(r.below(int(n64)))
	}
	return starlark.MakeBigInt(r.belowBig(n.BigInt()))
}

// Seeding.

func (r *Random) pySeed(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var a, version starlark.Value = starlark.None, starlark.MakeInt(2)
	if err := seedSpec.Bind(args, kwargs, &a, &version); err != nil {
		return nil, err
	}
	if r.system {
		return starlark.None, nil
	}
	v, err := pyargs.Int64(version)
	if err != nil {
		v = 2 // a version that is not an int selects neither version's str algorithm
	}
	return starlark.None, r.seed(a, v)
}

// seed is Random.seed(a, version): CPython's conversion of a to an
// integer, then init_by_array with its 32-bit words.
func (r *Random) seed(a starlark.Value, version int64) error {
	r.hasGaussNext = false
	var n *big.Int
	switch v := a.(type) {
	case starlark.NoneType:
		r.mt.seedFromEntropy()
		return nil
	case starlark.Int:
		n = new(big.Int).Abs(v.BigInt())
	case starlark.Bool:
		n = big.NewInt(0)
		if v {
			n.SetInt64(1)
		}
	case starlark.Float:
		if math.IsNaN(float64(v)) {
			// hash(nan) is the object's identity in CPython 3.10+: a
			// seed nobody can repeat.
			r.mt.seedFromEntropy()
			return nil
		}
		n = new(big.Int).SetUint64(uint64(floatHash(float64(v))))
	case starlark.String, py.Bytes, *py.Bytearray:
		s, _ := py.BytesLike(v)
		if str, ok := v.(starlark.String); ok {
			s = string(str)
		}
		if _, ok := v.(*py.Bytearray); ok && version == 1 {
			return py.Errorf(py.TypeError, "unhashable type: 'bytearray'") // seeded by hash(a)
		}
		if version == 1 {
			n = new(big.Int).SetUint64(seedVersion1(s, a.Type() == "bytes"))
		} else {
			sum := sha512.Sum512([]byte(s))
			n = new(big.Int).SetBytes(append([]byte(s), sum[:]...))
		}
	default:
		return py.Errorf(py.TypeError, "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
	}
	r.mt.initByArray(seedKey(n))
	return nil
}

// seedKey splits n >= 0 into 32-bit words, least significant first ([0]
// for zero).
func seedKey(n *big.Int) []uint32 {
	be := n.Bytes()
	if len(be) == 0 {
		return []uint32{0}
	}
	key := make([]uint32, (len(be)+3)/4)
	for i, c := range be {
		pos := len(be) - 1 - i // byte position from the least significant end
		key[pos/4] |= uint32(c) << (8 * (pos % 4))
	}
	return key
}

// seedVersion1 is CPython's version 1 hash of a str (by code points) or
// bytes (by latin-1 characters), kept for old seeded sequences.
func seedVersion1(s string, isBytes bool) uint64 {
	var chars []rune
	if isBytes {
		for i := 0; i < len(s); i++ {
			chars = append(chars, rune(s[i]))
		}
	} else {
		chars = []rune(s)
	}
	var x uint64
	if len(chars) > 0 {
		x = uint64(chars[0]) << 7
	}
	for _, c := range chars {
		x = (1000003 * x) ^ uint64(c)
	}
	return x ^ uint64(len(chars))
}

// floatHash is Python's hash(x) of a finite or infinite float: x modulo
// the prime 2**61 - 1, with the sign of x (-1 becomes -2).
func floatHash(x float64) int64 {
	const bits = 61
	const modulus = 1<<bits - 1
	if math.IsInf(x, 0) {
		if x > 0 {
			return 314159
		}
		return -314159
	}
	m, e := math.Frexp(x)
	sign := int64(1)
	if m < 0 {
		sign, m = -1, -m
	}
	var h uint64
	for m != 0 {
		h = ((h << 28) & modulus) | h>>(bits-28)
		m *= 268435456.0
		e -= 28
		y := uint64(m)
		m -= float64(y)
		h += y
		if h >= modulus {
			h -= modulus
		}
	}
	if e >= 0 {
		e %= bits
	} else {
		e = bits - 1 - ((-1 - e) % bits)
	}
	h = ((h << uint(e)) & modulus) | h>>(bits-uint(e))
	result := int64(h) * sign
	if result == -1 {
		result = -2
	}
	return result
}

func (r *Random) noState() error {
	return py.Errorf(py.NotImplementedError, "System entropy source does not have state.")
}

// pyGetstate returns (3, (the 624 words..., index), gauss_next).
func (r *Random) pyGetstate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := getstateSpec.Bind(args, kwargs); err != nil {
		return nil, err
	}
	if r.system {
		return nil, r.noState()
	}
	words := make(starlark.Tuple, mtN+1)
	for i, w := range r.mt.state {
		words[i] = starlark.MakeUint64(uint64(w))
	}
	words[mtN] = starlark.MakeInt(r.mt.index)
	var gauss starlark.Value = starlark.None
	if r.hasGaussNext {
		gauss = starlark.Float(r.gaussNext)
	}
	return starlark.Tuple{starlark.MakeInt(3), words, gauss}, nil
}

// pySetstate restores a state getstate returned (version 3, or version 2
// of Python 2's pickles).
func (r *Random) pySetstate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var state starlark.Value
	if err := setstateSpec.Bind(args, kwargs, &state); err != nil {
		return nil, err
	}
	if r.system {
		return nil, r.noState()
	}
	t, ok := state.(starlark.Tuple)
	if !ok || len(t) != 3 {
		return nil, py.Errorf(py.ValueError, "state must be a tuple (version, internalstate, gauss_next)")
	}
	version, _ := t[0].(starlark.Int).Int64()
	if version != 3 && version != 2 {
		return nil, py.Errorf(py.ValueError, "state with version %s passed to Random.setstate() of version 3", py.Str(t[0]))
	}
	words, ok := t[1].(starlark.Tuple)
	if !ok {
		return nil, py.Errorf(py.TypeError, "state vector must be a tuple")
	}
	if len(words) != mtN+1 {
		return nil, py.Errorf(py.ValueError, "state vector is the wrong size")
	}
	var next mt19937
	two32 := big.NewInt(1 << 32)
	for i, w := range words {
		n, err := pyargs.Index(w)
		if err != nil {
			return nil, err
		}
		b := n.BigInt()
		if version == 2 {
			b.Mod(b, two32)
		}
		if b.Sign() < 0 {
			return nil, py.Errorf(py.OverflowError, "can't convert negative int to unsigned")
		}
		if !b.IsUint64() || (i < mtN && b.Uint64() > math.MaxUint32) {
			return nil, py.Errorf(py.OverflowError, "Python int too large to convert to C unsigned long")
		}
		if i < mtN {
			next.state[i] = uint32(b.Uint64())
		} else if b.Uint64() > mtN {
			return nil, py.Errorf(py.ValueError, "invalid state")
		} else {
			next.index = int(b.Uint64())
		}
	}
	hasGauss, gauss := false, 0.0
	if t[2] != starlark.None {
		f, ok, err := pyargs.Float(t[2])
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, py.Errorf(py.TypeError, "gauss_next must be a float or None")
		}
		hasGauss, gauss = true, f
	}
	r.mt, r.hasGaussNext, r.gaussNext = next, hasGauss, gauss
	return starlark.None, nil
}

// Integers.

func (r *Random) pyRandom(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args)+len(kwargs) > 0 {
		if len(kwargs) > 0 {
			return nil, py.Errorf(py.TypeError, "Random.random() takes no keyword arguments")
		}
		return nil, py.Errorf(py.TypeError, "Random.random() takes no arguments (%d given)", len(args))
	}
	return starlark.Float(r.float()), nil
}

func (r *Random) pyGetrandbits(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "Random.getrandbits() takes no keyword arguments")
	}
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "Random.getrandbits() takes exactly one argument (%d given)", len(args))
	}
	k, err := pyargs.Int64(args[0])
	if err != nil {
		return nil, err
	}
	if k < 0 {
		return nil, py.Errorf(py.ValueError, "number of bits must be non-negative")
	}
	if k > math.MaxInt32 {
		return nil, py.Errorf(py.OverflowError, "getrandbits() argument too large")
	}
	return r.randBits(int(k)), nil
}

func (r *Random) pyRandbytes(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var nv starlark.Value
	if err := randbytesSpec.Bind(args, kwargs, &nv); err != nil {
		return nil, err
	}
	n, err := pyargs.Int64(nv)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, py.Errorf(py.ValueError, "number of bits must be non-negative")
	}
	if n > math.MaxInt32/8 {
		return nil, py.Errorf(py.OverflowError, "getrandbits() argument too large")
	}
	if n == 0 {
		return py.Bytes(""), nil
	}
	return py.Bytes(r.bitBytes(int(n) * 8)[:n]), nil
}

// rangeArg converts an argument of randrange as CPython 3.11 does: ints
// as they are, integral floats as their value (CPython also warns), any
// other value as int() would, refusing what int() changes.
func rangeArg(v starlark.Value, which string) (starlark.Int, error) {
	if i, err := pyargs.Index(v); err == nil {
		return i, nil
	}
	nonInteger := py.Errorf(py.ValueError, "non-integer %s for randrange()", which)
	switch v := v.(type) {
	case starlark.Float:
		f := float64(v)
		switch {
		case math.IsNaN(f):
			return starlark.Int{}, py.Errorf(py.ValueError, "cannot convert float NaN to integer")
		case math.IsInf(f, 0):
			return starlark.Int{}, py.Errorf(py.OverflowError, "cannot convert float infinity to integer")
		case f != math.Trunc(f):
			return starlark.Int{}, nonInteger
		}
		i, _ := starlark.NumberToInt(v)
		return i, nil
	case starlark.String, py.Bytes:
		// int(s) succeeds or fails; either way the result is not s.
		s := py.Str(v)
		if b, ok := v.(py.Bytes); ok {
			s = string(b)
		}
		if _, ok := new(big.Int).SetString(strings.ReplaceAll(strings.TrimSpace(s), "_", ""), 10); ok && !strings.Contains(s, "__") {
			return starlark.Int{}, nonInteger
		}
		return starlark.Int{}, py.Errorf(py.ValueError, "invalid literal for int() with base 10: %s", py.Repr(v))
	}
	return starlark.Int{}, py.Errorf(py.TypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'", py.TypeName(v))
}

func (r *Random) pyRandrange(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var start, stop, step starlark.Value = nil, starlark.None, nil
	if err := randrangeSpec.Bind(args, kwargs, &start, &stop, &step); err != nil {
		return nil, err
	}
	return r.randrange(start, stop, step)
}

// randrange is Random.randrange(start, stop=None, step=1); a nil step
// is the default.
func (r *Random) randrange(start, stop, step starlark.Value) (starlark.Value, error) {
	istart, err := rangeArg(start, "arg 1")
	if err != nil {
		return nil, err
	}
	if stop == starlark.None {
		if step != nil {
			return nil, py.Errorf(py.TypeError, "Missing a non-None stop argument")
		}
		if istart.Sign() > 0 {
			return r.belowInt(istart), nil
		}
		return nil, py.Errorf(py.ValueError, "empty range for randrange()")
	}
	istop, err := rangeArg(stop, "stop")
	if err != nil {
		return nil, err
	}
	width := istop.Sub(istart)
	istep := starlark.MakeInt(1)
	if step != nil {
		if istep, err = rangeArg(step, "step"); err != nil {
			return nil, err
		}
	}
	if one, ok := istep.Int64(); ok && one == 1 {
		if width.Sign() > 0 {
			return istart.Add(r.belowInt(width)), nil
		}
		return nil, py.Errorf(py.ValueError, "empty range for randrange() (%s, %s, %s)", istart, istop, width)
	}
	var n starlark.Int
	switch istep.Sign() {
	case 1:
		n = floorDiv(width.Add(istep).Sub(starlark.MakeInt(1)), istep)
	case -1:
		n = floorDiv(width.Add(istep).Add(starlark.MakeInt(1)), istep)
	default:
		return nil, py.Errorf(py.ValueError, "zero step for randrange()")
	}
	if n.Sign() <= 0 {
		return nil, py.Errorf(py.ValueError, "empty range for randrange()")
	}
	return istart.Add(istep.Mul(r.belowInt(n))), nil
}

func floorDiv(x, y starlark.Int) starlark.Int {
	q, _ := starlark.Binary(syntax.SLASHSLASH, x, y)
	return q.(starlark.Int)
}

func (r *Random) pyRandint(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var a, b starlark.Value
	if err := randintSpec.Bind(args, kwargs, &a, &b); err != nil {
		return nil, err
	}
	// randint(a, b) is randrange(a, b+1): b+1 is Python's addition.
	stop, err := add(b, starlark.MakeInt(1))
	if err != nil {
		return nil, err
	}
	return r.randrange(a, stop, nil)
}

// add is Python's x + y for the numbers randint and the weights of
// choices add, with CPython's TypeError otherwise.
func add(x, y starlark.Value) (starlark.Value, error) {
	if isNumber(x) && isNumber(y) {
		if b, ok := x.(starlark.Bool); ok {
			x = boolInt(b)
		}
		if b, ok := y.(starlark.Bool); ok {
			y = boolInt(b)
		}
		return starlark.Binary(syntax.PLUS, x, y)
	}
	if _, ok := x.(starlark.String); ok {
		return nil, py.Errorf(py.TypeError, "can only concatenate str (not \"%s\") to str", py.TypeName(y))
	}
	return nil, py.Errorf(py.TypeError, "unsupported operand type(s) for +: '%s' and '%s'", py.TypeName(x), py.TypeName(y))
}

func boolInt(b starlark.Bool) starlark.Int {
	if b {
		return starlark.MakeInt(1)
	}
	return starlark.MakeInt(0)
}

func isNumber(v starlark.Value) bool {
	switch v.(type) {
	case starlark.Int, starlark.Float, starlark.Bool:
		return true
	}
	return false
}

// Sequences.

// length is Python's len(seq).
func length(seq starlark.Value) (int, error) {
	if n := starlark.Len(seq); n >= 0 {
		return n, nil
	}
	return 0, py.Errorf(py.TypeError, "object of type '%s' has no len()", py.TypeName(seq))
}

// item is Python's seq[i].
func item(seq starlark.Value, i int) (starlark.Value, error) {
	switch seq := seq.(type) {
	case py.Bytes:
		if i < 0 || i >= len(seq) {
			return nil, py.Errorf(py.IndexError, "index out of range")
		}
		return starlark.MakeInt(int(seq[i])), nil
	case starlark.Indexable:
		if i < 0 || i >= seq.Len() {
			what := py.TypeName(seq)
			switch what {
			case "str":
				what = "string"
			case "range":
				what = "range object"
			}
			return nil, py.Errorf(py.IndexError, "%s index out of range", what)
		}
		return seq.Index(i), nil
	case starlark.Mapping:
		v, found, err := seq.Get(starlark.MakeInt(i))
		if err != nil {
			return nil, err
		}
		if !found {
			key := starlark.MakeInt(i)
			return nil, &py.Exception{Class: py.KeyError, Msg: key.String(), Args: starlark.Tuple{key}}
		}
		return v, nil
	}
	return nil, py.Errorf(py.TypeError, "'%s' object is not subscriptable", py.TypeName(seq))
}

func (r *Random) pyChoice(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var seq starlark.Value
	if err := choiceSpec.Bind(args, kwargs, &seq); err != nil {
		return nil, err
	}
	n, err := length(seq)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, py.Errorf(py.IndexError, "Cannot choose from an empty sequence")
	}
	return item(seq, r.below(n))
}

func (r *Random) pyShuffle(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := shuffleSpec.Bind(args, kwargs, &x); err != nil {
		return nil, err
	}
	n, err := length(x)
	if err != nil {
		return nil, err
	}
	for i := n - 1; i > 0; i-- {
		j := r.below(i + 1)
		list, ok := x.(starlark.HasSetIndex)
		if !ok {
			if _, ok := x.(starlark.Indexable); !ok {
				return nil, py.Errorf(py.TypeError, "'%s' object is not subscriptable", py.TypeName(x))
			}
			return nil, py.Errorf(py.TypeError, "'%s' object does not support item assignment", py.TypeName(x))
		}
		xi, xj := list.Index(i), list.Index(j)
		if err := list.SetIndex(i, xj); err != nil {
			return nil, err
		}
		if err := list.SetIndex(j, xi); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

// sampleK converts sample's k as CPython's comparisons and list
// repetition do.
func sampleK(v starlark.Value, n int) (int, error) {
	if f, ok := v.(starlark.Float); ok {
		if float64(f) < 0 || float64(f) > float64(n) {
			return 0, py.Errorf(py.ValueError, "Sample larger than population or is negative")
		}
		return 0, py.Errorf(py.TypeError, "can't multiply sequence by non-int of type 'float'")
	}
	i, err := pyargs.Index(v)
	if err != nil {
		return 0, py.Errorf(py.TypeError, "'<=' not supported between instances of 'int' and '%s'", py.TypeName(v))
	}
	k, ok := i.Int64()
	if !ok || k < 0 || k > int64(n) {
		return 0, py.Errorf(py.ValueError, "Sample larger than population or is negative")
	}
	return int(k), nil
}

func (r *Random) pySample(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var population, kv, counts starlark.Value = nil, nil, starlark.None
	if err := sampleSpec.Bind(args, kwargs, &population, &kv, &counts); err != nil {
		return nil, err
	}
	seq, ok := population.(starlark.Indexable)
	if !ok {
		return nil, py.Errorf(py.TypeError, "Population must be a sequence.  For dicts or sets, use sorted(d).")
	}
	n := seq.Len()
	if counts != starlark.None {
		return r.sampleCounts(seq, kv, counts)
	}
	k, err := sampleK(kv, n)
	if err != nil {
		return nil, err
	}
	picks := r.sampleIndexes(n, k)
	result := make([]starlark.Value, k)
	for i, j := range picks {
		if result[i], err = item(seq, j); err != nil {
			return nil, err
		}
	}
	return starlark.NewList(result), nil
}

// sampleIndexes picks k distinct indexes of n as CPython's sample does:
// from a shrinking pool when n is small next to k, else by rejecting
// repeats.
func (r *Random) sampleIndexes(n, k int) []int {
	setsize := 21
	if k > 5 {
		setsize += int(math.Pow(4, math.Ceil(math.Log(float64(k*3))/math.Log(4))))
	}
	result := make([]int, k)
	if n <= setsize {
		pool := make([]int, n)
		for i := range pool {
			pool[i] = i
		}
		for i := 0; i < k; i++ {
			j := r.below(n - i)
			result[i] = pool[j]
			pool[j] = pool[n-i-1]
		}
		return result
	}
	selected := make(map[int]bool, k)
	for i := 0; i < k; i++ {
		j := r.below(n)
		for selected[j] {
			j = r.below(n)
		}
		selected[j] = true
		result[i] = j
	}
	return result
}

// sampleCounts is sample(population, k, counts=...): a sample of
// range(sum(counts)), each mapped to its element.
func (r *Random) sampleCounts(seq starlark.Indexable, kv, counts starlark.Value) (starlark.Value, error) {
	cum, err := accumulate(counts)
	if err != nil {
		return nil, err
	}
	if len(cum) != seq.Len() {
		return nil, py.Errorf(py.ValueError, "The number of counts does not match the population")
	}
	total, ok := cum[len(cum)-1].(starlark.Int)
	if !ok {
		if b, isBool := cum[len(cum)-1].(starlark.Bool); isBool {
			total, ok = boolInt(b), true
		}
	}
	if !ok {
		return nil, py.Errorf(py.TypeError, "Counts must be integers")
	}
	if total.Sign() <= 0 {
		return nil, py.Errorf(py.ValueError, "Total of counts must be greater than zero")
	}
	t, ok := total.Int64()
	if !ok || t > math.MaxInt32 {
		return nil, py.Errorf(py.OverflowError, "Python int too large to convert to C ssize_t")
	}
	k, err := sampleK(kv, int(t))
	if err != nil {
		return nil, err
	}
	cum = cum[:len(cum)-1]
	result := make([]starlark.Value, k)
	for i, s := range r.sampleIndexes(int(t), k) {
		j, err := bisectRight(cum, starlark.MakeInt(s), len(cum))
		if err != nil {
			return nil, err
		}
		if result[i], err = item(seq, j); err != nil {
			return nil, err
		}
	}
	return starlark.NewList(result), nil
}

// accumulate is list(itertools.accumulate(weights)) for numbers.
func accumulate(weights starlark.Value) ([]starlark.Value, error) {
	iterable, ok := weights.(starlark.Iterable)
	if !ok {
		return nil, py.Errorf(py.TypeError, "'%s' object is not iterable", py.TypeName(weights))
	}
	it := iterable.Iterate()
	defer it.Done()
	var cum []starlark.Value
	var w starlark.Value
	for it.Next(&w) {
		if len(cum) == 0 {
			cum = append(cum, w)
			continue
		}
		sum, err := add(cum[len(cum)-1], w)
		if err != nil {
			return nil, err
		}
		cum = append(cum, sum)
	}
	return cum, nil
}

// bisectRight is bisect.bisect_right(a, x, 0, hi).
func bisectRight(a []starlark.Value, x starlark.Value, hi int) (int, error) {
	lo := 0
	for lo < hi {
		mid := (lo + hi) / 2
		less, err := starlark.Compare(syntax.LT, x, a[mid])
		if err != nil {
			return 0, err
		}
		if less {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

func (r *Random) pyChoices(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var population, weights, cumWeights, kv starlark.Value = nil, starlark.None, starlark.None, starlark.MakeInt(1)
	if err := choicesSpec.Bind(args, kwargs, &population, &weights, &cumWeights, &kv); err != nil {
		return nil, err
	}
	n, err := length(population)
	if err != nil {
		return nil, err
	}
	// k is the count of itertools.repeat(None, k): an int, and at most 0
	// means none.
	k64, err := pyargs.Int64(kv)
	if err != nil {
		return nil, err
	}
	k := int(max(k64, 0))
	var result []starlark.Value
	if cumWeights == starlark.None && weights == starlark.None {
		result = make([]starlark.Value, 0, k)
		for range k {
			x, err := item(population, int(math.Floor(r.float()*float64(n))))
			if err != nil {
				return nil, err
			}
			result = append(result, x)
		}
		return starlark.NewList(result), nil
	}
	var cum []starlark.Value
	if cumWeights == starlark.None {
		if cum, err = accumulate(weights); err != nil {
			if i, isInt := weights.(starlark.Int); isInt {
				return nil, py.Errorf(py.TypeError, "The number of choices must be a keyword argument: k=%s", i)
			}
			return nil, err
		}
	} else if weights != starlark.None {
		return nil, py.Errorf(py.TypeError, "Cannot specify both weights and cumulative weights")
	} else {
		if cum, err = accumulateless(cumWeights); err != nil {
			return nil, err
		}
	}
	if len(cum) != n {
		return nil, py.Errorf(py.ValueError, "The number of weights does not match the population")
	}
	if n == 0 {
		return nil, py.Errorf(py.IndexError, "list index out of range")
	}
	totalv, err := add(cum[n-1], starlark.Float(0))
	if err != nil {
		return nil, err
	}
	total := float64(totalv.(starlark.Float))
	if total <= 0 {
		return nil, py.Errorf(py.ValueError, "Total of weights must be greater than zero")
	}
	if math.IsInf(total, 0) || math.IsNaN(total) {
		return nil, py.Errorf(py.ValueError, "Total of weights must be finite")
	}
	result = make([]starlark.Value, 0, k)
	for range k {
		j, err := bisectRight(cum, starlark.Float(r.float()*total), n-1)
		if err != nil {
			return nil, err
		}
		x, err := item(population, j)
		if err != nil {
			return nil, err
		}
		result = append(result, x)
	}
	return starlark.NewList(result), nil
}

// accumulateless is list(cum_weights): the elements of an iterable.
func accumulateless(v starlark.Value) ([]starlark.Value, error) {
	iterable, ok := v.(starlark.Iterable)
	if !ok {
		return nil, py.Errorf(py.TypeError, "'%s' object is not iterable", py.TypeName(v))
	}
	var elems []starlark.Value
	it := iterable.Iterate()
	defer it.Done()
	var x starlark.Value
	for it.Next(&x) {
		elems = append(elems, x)
	}
	return elems, nil
}

// Real-valued distributions.

// Constants of random.py, as CPython computes them (C's libm may round
// exp and log differently from Go's math).
const (
	nvMagicConst = 0x1.b72cd3f331398p+0 // 4 * exp(-0.5) / sqrt(2.0)
	twoPi        = 0x1.921fb54442d18p+2 // 2 * pi
	log4         = 0x1.62e42fefa39efp+0 // log(4.0)
	sgMagicConst = 0x1.40859baee748fp+1 // 1.0 + log(4.5)
)

// realArgs converts the named float arguments of a distribution; a
// value that is not a number raises CPython's TypeError for the
// operation that first meets it.
func realArgs(f *pyargs.Func, args starlark.Tuple, kwargs []starlark.Tuple, defaults ...starlark.Value) ([]float64, []starlark.Value, error) {
	vals := append([]starlark.Value(nil), defaults...)
	ptrs := make([]*starlark.Value, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := f.Bind(args, kwargs, ptrs...); err != nil {
		return nil, nil, err
	}
	out := make([]float64, len(vals))
	for i, v := range vals {
		x, ok, err := pyargs.Float(v)
		if err != nil {
			return nil, nil, err
		}
		if !ok && v != starlark.None {
			return nil, nil, py.Errorf(py.TypeError, "must be real number, not %s", py.TypeName(v))
		}
		out[i] = x
	}
	return out, vals, nil
}

func (r *Random) pyUniform(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var a, b starlark.Value
	if err := uniformSpec.Bind(args, kwargs, &a, &b); err != nil {
		return nil, err
	}
	if !isNumber(a) || !isNumber(b) {
		return nil, py.Errorf(py.TypeError, "unsupported operand type(s) for -: '%s' and '%s'", py.TypeName(b), py.TypeName(a))
	}
	// a + (b-a) * random(), with b-a exact when both are ints.
	fa, _, err := pyargs.Float(a)
	if err != nil {
		return nil, err
	}
	var width float64
	ia, aInt := a.(starlark.Int)
	ib, bInt := b.(starlark.Int)
	if aInt && bInt {
		if width, _, err = pyargs.Float(ib.Sub(ia)); err != nil {
			return nil, err
		}
	} else {
		fb, _, err := pyargs.Float(b)
		if err != nil {
			return nil, err
		}
		width = fb - fa
	}
	return starlark.Float(fa + width*r.float()), nil
}

func (r *Random) pyTriangular(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, vals, err := realArgs(triangularSpec, args, kwargs, starlark.Float(0), starlark.Float(1), starlark.None)
	if err != nil {
		return nil, err
	}
	low, high, mode := x[0], x[1], x[2]
	u := r.float()
	c := 0.5
	if vals[2] != starlark.None {
		if high == low {
			return vals[0], nil // CPython returns low itself on ZeroDivisionError
		}
		c = (mode - low) / (high - low)
	}
	if u > c {
		u, c = 1-u, 1-c
		low, high = high, low
	}
	return starlark.Float(low + (high-low)*math.Sqrt(u*c)), nil
}

func (r *Random) pyGauss(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(gaussSpec, args, kwargs, starlark.Float(0), starlark.Float(1))
	if err != nil {
		return nil, err
	}
	z := r.gaussNext
	if !r.hasGaussNext {
		x2pi := r.float() * twoPi
		g2rad := math.Sqrt(-2 * math.Log(1-r.float()))
		z = math.Cos(x2pi) * g2rad
		r.gaussNext = math.Sin(x2pi) * g2rad
		r.hasGaussNext = true
	} else {
		r.hasGaussNext = false
	}
	return starlark.Float(x[0] + z*x[1]), nil
}

func (r *Random) normal(mu, sigma float64) float64 {
	for {
		u1 := r.float()
		u2 := 1 - r.float()
		z := nvMagicConst * (u1 - 0.5) / u2
		if z*z/4 <= -math.Log(u2) {
			return mu + z*sigma
		}
	}
}

func (r *Random) pyNormalvariate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(normalvariateSpec, args, kwargs, starlark.Float(0), starlark.Float(1))
	if err != nil {
		return nil, err
	}
	return starlark.Float(r.normal(x[0], x[1])), nil
}

func (r *Random) pyLognormvariate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(lognormvariateSpec, args, kwargs, nil, nil)
	if err != nil {
		return nil, err
	}
	return starlark.Float(math.Exp(r.normal(x[0], x[1]))), nil
}

func divisionByZero() error {
	return py.Errorf(py.ZeroDivisionError, "float division by zero")
}

func (r *Random) pyExpovariate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(expovariateSpec, args, kwargs, nil)
	if err != nil {
		return nil, err
	}
	u := r.float()
	if x[0] == 0 {
		return nil, divisionByZero()
	}
	return starlark.Float(-math.Log(1-u) / x[0]), nil
}

func (r *Random) gamma(alpha, beta float64) (float64, error) {
	if alpha <= 0 || beta <= 0 {
		return 0, py.Errorf(py.ValueError, "gammavariate: alpha and beta must be > 0.0")
	}
	switch {
	case alpha > 1:
		ainv := math.Sqrt(2*alpha - 1)
		bbb := alpha - log4
		ccc := alpha + ainv
		for {
			u1 := r.float()
			if !(1e-7 < u1 && u1 < 0.9999999) {
				continue
			}
			u2 := 1 - r.float()
			v := math.Log(u1/(1-u1)) / ainv
			x := alpha * math.Exp(v)
			z := u1 * u1 * u2
			rr := bbb + ccc*v - x
			if rr+sgMagicConst-4.5*z >= 0 || rr >= math.Log(z) {
				return x * beta, nil
			}
		}
	case alpha == 1:
		return -math.Log(1-r.float()) * beta, nil
	}
	for {
		u := r.float()
		b := (math.E + alpha) / math.E
		p := b * u
		var x float64
		if p <= 1 {
			x = math.Pow(p, 1/alpha)
		} else {
			x = -math.Log((b - p) / alpha)
		}
		u1 := r.float()
		if p > 1 {
			if u1 <= math.Pow(x, alpha-1) {
				return x * beta, nil
			}
		} else if u1 <= math.Exp(-x) {
			return x * beta, nil
		}
	}
}

func (r *Random) pyGammavariate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(gammavariateSpec, args, kwargs, nil, nil)
	if err != nil {
		return nil, err
	}
	g, err := r.gamma(x[0], x[1])
	if err != nil {
		return nil, err
	}
	return starlark.Float(g), nil
}

func (r *Random) pyBetavariate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(betavariateSpec, args, kwargs, nil, nil)
	if err != nil {
		return nil, err
	}
	y, err := r.gamma(x[0], 1)
	if err != nil {
		return nil, err
	}
	if y == 0 {
		return starlark.Float(0), nil
	}
	y2, err := r.gamma(x[1], 1)
	if err != nil {
		return nil, err
	}
	return starlark.Float(y / (y + y2)), nil
}

func (r *Random) pyParetovariate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(paretovariateSpec, args, kwargs, nil)
	if err != nil {
		return nil, err
	}
	u := 1 - r.float()
	if x[0] == 0 {
		return nil, divisionByZero()
	}
	return starlark.Float(math.Pow(u, -1/x[0])), nil
}

func (r *Random) pyWeibullvariate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(weibullvariateSpec, args, kwargs, nil, nil)
	if err != nil {
		return nil, err
	}
	u := 1 - r.float()
	if x[1] == 0 {
		return nil, divisionByZero()
	}
	return starlark.Float(x[0] * math.Pow(-math.Log(u), 1/x[1])), nil
}

func (r *Random) pyVonmisesvariate(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, _, err := realArgs(vonmisesvariateSpec, args, kwargs, nil, nil)
	if err != nil {
		return nil, err
	}
	mu, kappa := x[0], x[1]
	if kappa <= 1e-6 {
		return starlark.Float(twoPi * r.float()), nil
	}
	s := 0.5 / kappa
	rr := s + math.Sqrt(1+s*s)
	var z float64
	for {
		u1 := r.float()
		z = math.Cos(math.Pi * u1)
		d := z / (rr + z)
		u2 := r.float()
		if u2 < 1-d*d || u2 <= (1-d)*math.Exp(d) {
			break
		}
	}
	q := 1 / rr
	f := (q + z) / (1 + q*z)
	var theta float64
	if r.float() > 0.5 {
		theta = pyMod(mu+math.Acos(f), twoPi)
	} else {
		theta = pyMod(mu-math.Acos(f), twoPi)
	}
	return starlark.Float(theta), nil
}

// pyMod is Python's float x % y: the result has y's sign.
func pyMod(x, y float64) float64 {
	m := math.Mod(x, y)
	if m != 0 && (m < 0) != (y < 0) {
		m += y
	}
	return m
}
