// Package hashlib is Python's hashlib module for kstar scripts.
//
// It offers the constructors md5, sha1, sha224, sha256, sha384, sha512,
// sha3_224, sha3_256, sha3_384, sha3_512, shake_128 and shake_256 (each
// taking the data to hash, as string=, and usedforsecurity=), new(name,
// data=b”), pbkdf2_hmac, algorithms_guaranteed and algorithms_available.
// A hash object has update, digest, hexdigest, copy, name, digest_size and
// block_size; a SHAKE object's digest and hexdigest take a length. Reprs,
// names and errors are CPython 3.11's with OpenSSL: new() accepts OpenSSL's
// spellings ("SHA256", "sha-256", "SHA2-256", "sha512_224"), and str data
// raises "TypeError: Strings must be encoded before hashing".
//
// Go's crypto packages do the hashing. Not offered: blake2b, blake2s,
// ripemd160, md5-sha1, sm3, scrypt, file_digest.
package hashlib

import (
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"sync"
	"unsafe"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// Algorithm is a hash function hashlib offers.
type Algorithm struct {
	// Name is Python's name for it: "sha256", "sha3_256", "shake_128".
	Name string
	// New returns a fresh hash; nil for the SHAKE functions, whose output
	// length is chosen at digest time.
	New func() hash.Hash
	// Size is digest_size in bytes (0 for SHAKE), BlockSize block_size.
	Size, BlockSize int
	newShake        func() *sha3.SHAKE
	// sum, when set, appends the digest of data to out in one go, for a
	// hash whose data all came at once (hashlib.sha256(b).hexdigest()):
	// it makes no hash object.
	sum func(data string, out []byte) []byte
	// openssl are the other names new() accepts, in any case.
	openssl []string
}

// view is s as a byte slice for a hash to read, never to keep or change.
func view(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func hashOf[H hash.Hash](f func() H) func() hash.Hash {
	return func() hash.Hash { return f() }
}

// algorithms are the hash functions, in the order Python lists them.
var algorithms = []*Algorithm{
	{Name: "md5", New: md5.New, sum: func(d string, out []byte) []byte { x := md5.Sum(view(d)); return append(out, x[:]...) }, Size: 16, BlockSize: 64, openssl: []string{"md5"}},
	{Name: "sha1", New: sha1.New, sum: func(d string, out []byte) []byte { x := sha1.Sum(view(d)); return append(out, x[:]...) }, Size: 20, BlockSize: 64, openssl: []string{"sha1", "sha-1"}},
	{Name: "sha224", New: sha256.New224, sum: func(d string, out []byte) []byte { x := sha256.Sum224(view(d)); return append(out, x[:]...) }, Size: 28, BlockSize: 64, openssl: []string{"sha224", "sha-224", "sha2-224"}},
	{Name: "sha256", New: sha256.New, sum: func(d string, out []byte) []byte { x := sha256.Sum256(view(d)); return append(out, x[:]...) }, Size: 32, BlockSize: 64, openssl: []string{"sha256", "sha-256", "sha2-256"}},
	{Name: "sha384", New: sha512.New384, sum: func(d string, out []byte) []byte { x := sha512.Sum384(view(d)); return append(out, x[:]...) }, Size: 48, BlockSize: 128, openssl: []string{"sha384", "sha-384", "sha2-384"}},
	{Name: "sha512", New: sha512.New, sum: func(d string, out []byte) []byte { x := sha512.Sum512(view(d)); return append(out, x[:]...) }, Size: 64, BlockSize: 128, openssl: []string{"sha512", "sha-512", "sha2-512"}},
	{Name: "sha512_224", New: sha512.New512_224, Size: 28, BlockSize: 128, openssl: []string{"sha512-224", "sha2-512/224"}},
	{Name: "sha512_256", New: sha512.New512_256, Size: 32, BlockSize: 128, openssl: []string{"sha512-256", "sha2-512/256"}},
	{Name: "sha3_224", New: hashOf(sha3.New224), Size: 28, BlockSize: 144, openssl: []string{"sha3-224"}},
	{Name: "sha3_256", New: hashOf(sha3.New256), Size: 32, BlockSize: 136, openssl: []string{"sha3-256"}},
	{Name: "sha3_384", New: hashOf(sha3.New384), Size: 48, BlockSize: 104, openssl: []string{"sha3-384"}},
	{Name: "sha3_512", New: hashOf(sha3.New512), Size: 64, BlockSize: 72, openssl: []string{"sha3-512"}},
	{Name: "shake_128", newShake: sha3.NewSHAKE128, BlockSize: 168, openssl: []string{"shake128", "shake-128"}},
	{Name: "shake_256", newShake: sha3.NewSHAKE256, BlockSize: 136, openssl: []string{"shake256", "shake-256"}},
}

// constructorNames are the algorithms with a constructor of their own
// in the module (CPython has none for sha512_224 and sha512_256).
var constructorNames = map[string]bool{
	"md5": true, "sha1": true, "sha224": true, "sha256": true, "sha384": true, "sha512": true,
	"sha3_224": true, "sha3_256": true, "sha3_384": true, "sha3_512": true, "shake_128": true, "shake_256": true,
}

// Lookup returns the algorithm hashlib.new(name) uses: Python's name, or
// one of OpenSSL's in any case.
func Lookup(name string) (*Algorithm, bool) {
	for _, a := range algorithms {
		if a.Name == name {
			return a, true
		}
	}
	lower := strings.ToLower(name)
	for _, a := range algorithms {
		for _, n := range a.openssl {
			if n == lower {
				return a, true
			}
		}
	}
	return nil, false
}

// AlgorithmOf returns the algorithm of a hashlib constructor
// (hashlib.sha256), as hmac's digestmod accepts it.
func AlgorithmOf(v starlark.Value) (*Algorithm, bool) {
	if c, ok := v.(*constructor); ok {
		return c.alg, true
	}
	return nil, false
}

// HashAlgorithm returns the algorithm of a hash object
// (hashlib.sha256()), for digestmod callables that return one.
func HashAlgorithm(v starlark.Value) (*Algorithm, bool) {
	if h, ok := v.(*Hash); ok {
		return h.alg, true
	}
	return nil, false
}

// UnsupportedDigestmodError is _hashlib.UnsupportedDigestmodError, which
// pbkdf2_hmac raises for an unknown hash name.
var UnsupportedDigestmodError = &py.ExceptionClass{ClassName: "UnsupportedDigestmodError", Module: "_hashlib", Base: py.ValueError}

// New returns the hashlib module.
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{
		"new":         py.Func("new", hashNew),
		"pbkdf2_hmac": py.Func("pbkdf2_hmac", pbkdf2HMAC),
	}
	guaranteed := starlark.NewSet(len(algorithms))
	available := starlark.NewSet(len(algorithms))
	for _, a := range algorithms {
		if constructorNames[a.Name] {
			members[a.Name] = &constructor{alg: a}
			guaranteed.Insert(starlark.String(a.Name))
		}
		available.Insert(starlark.String(a.Name))
	}
	members["algorithms_guaranteed"] = guaranteed
	members["algorithms_available"] = available
	return &starlarkstruct.Module{Name: "hashlib", Members: members}
}

// Data returns what a hash is fed: bytes, or CPython's TypeError for
// str ("Strings must be encoded before hashing") and other values.
func Data(v starlark.Value) (string, error) {
	if b, ok := py.BytesLike(v); ok {
		return b, nil
	}
	if _, ok := v.(starlark.String); ok {
		return "", py.Errorf(py.TypeError, "Strings must be encoded before hashing")
	}
	return "", py.Errorf(py.TypeError, "object supporting the buffer API required")
}

// constructor is hashlib.sha256 and its kind: CPython's
// openssl_sha256(string=b”, *, usedforsecurity=True).
type constructor struct{ alg *Algorithm }

var _ starlark.Callable = (*constructor)(nil)

func (c *constructor) Name() string          { return "openssl_" + c.alg.Name }
func (c *constructor) String() string        { return "<built-in function " + c.Name() + ">" }
func (c *constructor) Type() string          { return "builtin_function_or_method" }
func (c *constructor) Freeze()               {}
func (c *constructor) Truth() starlark.Bool  { return true }
func (c *constructor) Hash() (uint32, error) { return starlark.String(c.Name()).Hash() }

func (c *constructor) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 1 && len(kwargs) == 0 {
		return newHash(c.alg, args[0])
	}
	if len(args) > 1 {
		return nil, py.Errorf(py.TypeError, "%s() takes at most 1 positional argument (%d given)", c.Name(), len(args))
	}
	var data, usedForSecurity starlark.Value = nil, starlark.True
	f := &pyargs.Func{Name: c.Name(), Params: []string{"string", "*", "usedforsecurity"}, C: true}
	if err := f.Bind(args, kwargs, &data, &usedForSecurity); err != nil {
		return nil, err
	}
	return newHash(c.alg, data)
}

// newHashObject returns an empty hash object of alg.
func newHashObject(alg *Algorithm) *Hash {
	h := &Hash{alg: alg}
	h.hexdigest = *hashHexdigestMethod.BindReceiver(h)
	return h
}

func newHash(alg *Algorithm, data starlark.Value) (*Hash, error) {
	h := newHashObject(alg)
	var b string
	if data != nil {
		var err error
		if b, err = Data(data); err != nil {
			return nil, err
		}
	}
	switch {
	case alg.newShake != nil:
		h.shake = alg.newShake()
	case alg.sum != nil:
		h.pending = b // hashed by alg.sum, or by the hash object an update makes
		return h, nil
	default:
		h.h = alg.New()
	}
	h.write(b)
	return h, nil
}

var hashNewSpec = &pyargs.Func{Name: "__hash_new", Params: []string{"name", "data", "usedforsecurity"}, Required: 1}

// hashNew is hashlib.new(name, data=b”, **kwargs).
func hashNew(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, data, usedForSecurity starlark.Value
	if err := hashNewSpec.Bind(args, kwargs, &name, &data, &usedForSecurity); err != nil {
		return nil, err
	}
	s, ok := name.(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "name must be a string")
	}
	alg, ok := Lookup(string(s))
	if !ok {
		return nil, py.Errorf(py.ValueError, "unsupported hash type %s", string(s))
	}
	return newHash(alg, data)
}

var pbkdf2Spec = &pyargs.Func{Name: "pbkdf2_hmac", Params: []string{"hash_name", "password", "salt", "iterations", "dklen"}, Required: 4, C: true}

// pbkdf2HMAC is hashlib.pbkdf2_hmac(hash_name, password, salt, iterations, dklen=None).
func pbkdf2HMAC(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, password, salt, iterations, dklen starlark.Value = nil, nil, nil, nil, starlark.None
	if err := pbkdf2Spec.Bind(args, kwargs, &name, &password, &salt, &iterations, &dklen); err != nil {
		return nil, err
	}
	s, ok := name.(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "pbkdf2_hmac() argument 'hash_name' must be str, not %s", py.TypeName(name))
	}
	pw, err := pyargs.Bytes(password)
	if err != nil {
		return nil, err
	}
	sv, err := pyargs.Bytes(salt)
	if err != nil {
		return nil, err
	}
	iter, err := pyargs.Int64(iterations)
	if err != nil {
		return nil, err
	}
	if iter < 1 {
		return nil, py.Errorf(py.ValueError, "iteration value must be greater than 0.")
	}
	if iter > 1<<31-1 {
		return nil, py.Errorf(py.OverflowError, "iteration value is too great.")
	}
	alg, ok := Lookup(string(s))
	if !ok || alg.New == nil {
		return nil, py.NewException(UnsupportedDigestmodError, "[digital envelope routines] unsupported")
	}
	n := int64(alg.Size)
	if dklen != starlark.None {
		if n, err = pyargs.Int64(dklen); err != nil {
			return nil, err
		}
		if n < 1 {
			return nil, py.Errorf(py.ValueError, "key length must be greater than 0.")
		}
		if n > 1<<31-1 {
			return nil, py.Errorf(py.OverflowError, "key length is too great.")
		}
	}
	key, err := pbkdf2.Key(alg.New, pw, []byte(sv), int(iter), int(n))
	if err != nil {
		return nil, py.Errorf(py.ValueError, "%v", err)
	}
	return py.Bytes(key), nil
}

// Hash is a hash object: CPython's _hashlib.HASH, or _hashlib.HASHXOF for
// the SHAKE functions.
type Hash struct {
	// mu serialises updates and digests: a hash in a script's frozen
	// globals is shared by calls running at once (runtime.Script).
	mu    sync.Mutex
	alg   *Algorithm
	h     hash.Hash // nil for a SHAKE, and until an update for an Algorithm with sum
	shake *sha3.SHAKE
	// pending is the data given to the constructor while h is nil.
	pending string
	// hexdigest is the bound method, made with the hash, so that
	// hashlib.sha256(b).hexdigest() allocates no method.
	hexdigest starlark.Builtin
	// sumBuf holds digests, so that digest() allocates only its result.
	sumBuf [64]byte
}

// WriteString feeds s to w without copying it: a hash.Hash, as an
// io.Writer, neither keeps nor changes what it is given.
func WriteString(w hash.Hash, s string) {
	w.Write(view(s))
}

var (
	_ starlark.HasAttrs = (*Hash)(nil)
	_ py.Reprer         = (*Hash)(nil)
)

func (h *Hash) write(s string) {
	if h.h == nil && h.shake == nil {
		h.h = h.alg.New()
		WriteString(h.h, h.pending)
		h.pending = ""
	}
	if h.shake != nil {
		h.shake.Write([]byte(s))
	} else {
		WriteString(h.h, s)
	}
}

// digest returns the digest (n bytes of a SHAKE's output), in hex or
// as is, without changing the state.
func (h *Hash) digest(n int, inHex bool) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var sum []byte
	switch {
	case h.shake == nil && h.h == nil:
		sum = h.alg.sum(h.pending, h.sumBuf[:0])
	case h.shake == nil:
		sum = h.h.Sum(h.sumBuf[:0])
	default:
		sum = make([]byte, n)
		h.cloneLocked().shake.Read(sum)
	}
	if inHex {
		return Hex(sum)
	}
	return string(sum)
}

func (h *Hash) clone() *Hash {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cloneLocked()
}

func (h *Hash) cloneLocked() *Hash {
	c := newHashObject(h.alg)
	if h.shake != nil {
		state, err := h.shake.MarshalBinary()
		if err != nil {
			panic(err) // SHAKE's state always marshals
		}
		c.shake = h.alg.newShake()
		if err := c.shake.UnmarshalBinary(state); err != nil {
			panic(err)
		}
		return c
	}
	if h.h == nil {
		c.pending = h.pending
		return c
	}
	hc, err := h.h.(hash.Cloner).Clone()
	if err != nil {
		panic(err) // Go's hashes always clone (outside FIPS 140 v1.0 mode)
	}
	c.h = hc
	return c
}

func (h *Hash) typeName() string {
	if h.shake != nil {
		return "_hashlib.HASHXOF"
	}
	return "_hashlib.HASH"
}

// PyRepr is CPython's <sha256 _hashlib.HASH object @ 0x...>.
func (h *Hash) PyRepr() string {
	return fmt.Sprintf("<%s %s object @ %p>", h.alg.Name, h.typeName(), h)
}
func (h *Hash) String() string       { return h.PyRepr() }
func (h *Hash) Type() string         { return h.typeName() }
func (h *Hash) Freeze()              {}
func (h *Hash) Truth() starlark.Bool { return true }

// Hash hashes by identity, as CPython does.
func (h *Hash) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", h)).Hash() }

// AttrNames lists the attributes of a hash object.
func (h *Hash) AttrNames() []string {
	return []string{"block_size", "copy", "digest", "digest_size", "hexdigest", "name", "update"}
}

// Attr returns the attributes and bound methods of a hash object.
func (h *Hash) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(h.alg.Name), nil
	case "digest_size":
		return starlark.MakeInt(h.alg.Size), nil
	case "block_size":
		return starlark.MakeInt(h.alg.BlockSize), nil
	case "update":
		return hashUpdateMethod.BindReceiver(h), nil
	case "digest":
		return hashDigestMethod.BindReceiver(h), nil
	case "hexdigest":
		return &h.hexdigest, nil
	case "copy":
		return hashCopyMethod.BindReceiver(h), nil
	}
	return nil, nil
}

// The methods of hash objects, bound to one by Attr.
var (
	hashUpdateMethod    = py.Func("update", hashUpdate)
	hashDigestMethod    = py.Func("digest", hashDigest)
	hashCopyMethod      = py.Func("copy", hashCopy)
	hashHexdigestMethod *starlark.Builtin // set by init: hexdigest makes hash objects
)

func init() { hashHexdigestMethod = py.Func("hexdigest", hashHexdigest) }

func (h *Hash) className() string {
	if h.shake != nil {
		return "HASHXOF"
	}
	return "HASH"
}

func hashUpdate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h := b.Receiver().(*Hash)
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "%s.update() takes no keyword arguments", h.className())
	}
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "%s.update() takes exactly one argument (%d given)", h.className(), len(args))
	}
	data, err := Data(args[0])
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.write(data)
	h.mu.Unlock()
	return starlark.None, nil
}

// digestArgs checks digest()'s arguments: none, or a SHAKE's length.
func (h *Hash) digestArgs(thread *starlark.Thread, name string, args starlark.Tuple, kwargs []starlark.Tuple) (int, error) {
	if h.shake == nil {
		if len(args)+len(kwargs) > 0 {
			return 0, py.Errorf(py.TypeError, "HASH.%s() takes no arguments (%d given)", name, len(args)+len(kwargs))
		}
		return 0, nil
	}
	var length starlark.Value
	f := &pyargs.Func{Name: name, Params: []string{"length"}, Required: 1, C: true}
	if err := f.Bind(args, kwargs, &length); err != nil {
		return 0, err
	}
	n, err := pyargs.Int64(length)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > 1<<30 {
		return 0, py.NewException(py.MemoryError, "") // CPython's answer to a negative SHAKE length
	}
	if err := py.Reserve(thread, 3*n); err != nil { // the digest, and its hex
		return 0, err
	}
	return int(n), nil
}

// Hex is hex.EncodeToString with one allocation.
func Hex(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	out := make([]byte, 2*len(b))
	hex.Encode(out, b)
	return unsafe.String(&out[0], len(out)) // out is never written again
}

func hashDigest(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h := b.Receiver().(*Hash)
	n, err := h.digestArgs(thread, "digest", args, kwargs)
	if err != nil {
		return nil, err
	}
	return py.Bytes(h.digest(n, false)), nil
}

func hashHexdigest(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h := b.Receiver().(*Hash)
	n, err := h.digestArgs(thread, "hexdigest", args, kwargs)
	if err != nil {
		return nil, err
	}
	return starlark.String(h.digest(n, true)), nil
}

func hashCopy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h := b.Receiver().(*Hash)
	if len(args)+len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "%s.copy() takes no arguments (%d given)", h.className(), len(args)+len(kwargs))
	}
	return h.clone(), nil
}
