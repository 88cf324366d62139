// Package uuid is Python's uuid module for kstar scripts.
//
// It offers the class UUID(hex=, bytes=, bytes_le=, fields=, int=,
// version=) with its attributes (hex, int, bytes, bytes_le, fields,
// time_low ... node, time, clock_seq, urn, variant, version), comparisons
// and hashing; uuid1(node=None, clock_seq=None), uuid3, uuid4, uuid5,
// getnode(), NAMESPACE_DNS, NAMESPACE_URL, NAMESPACE_OID, NAMESPACE_X500
// and the variant names RESERVED_NCS, RFC_4122, RESERVED_MICROSOFT and
// RESERVED_FUTURE. str(), repr() and the errors are CPython 3.11's.
//
// Where it differs: getnode() (and so uuid1's node) is a random 48-bit
// number with the multicast bit set, drawn once per execution, as CPython
// falls back to when it finds no hardware address: kstar does not read
// the host's network interfaces. UUID objects have no is_safe attribute,
// and int(u) is not supported (use u.int).
package uuid

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"hash/maphash"
	"math/big"
	"strings"
	"sync"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyclass"
	"github.com/kstar-dev/kstar/builtins/py"
)

// The variants of UUID.variant, as Python names them.
const (
	ReservedNCS       = "reserved for NCS compatibility"
	RFC4122           = "specified in RFC 4122"
	ReservedMicrosoft = "reserved for Microsoft compatibility"
	ReservedFuture    = "reserved for future definition"
)

// UUID is a uuid.UUID: 128 bits, big-endian.
type UUID [16]byte

var (
	_ starlark.HasAttrs   = UUID{}
	_ starlark.Comparable = UUID{}
	_ py.Reprer           = UUID{}
	_ py.PyStrer          = UUID{}
	_ py.PyClasser        = UUID{}
)

// UUIDClass is uuid.UUID.
var UUIDClass = &pyclass.Class{Module: "uuid", ClassName: "UUID", Make: makeUUID, Instance: func(v starlark.Value) bool {
	_, ok := v.(UUID)
	return ok
}}

// The namespaces of RFC 4122 for uuid3 and uuid5.
var (
	NamespaceDNS  = mustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
	NamespaceURL  = mustParse("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
	NamespaceOID  = mustParse("6ba7b812-9dad-11d1-80b4-00c04fd430c8")
	NamespaceX500 = mustParse("6ba7b814-9dad-11d1-80b4-00c04fd430c8")
)

func mustParse(s string) UUID {
	var u UUID
	if _, err := hex.Decode(u[:], []byte(strings.ReplaceAll(s, "-", ""))); err != nil {
		panic(err)
	}
	return u
}

// New returns the uuid module for one execution.
func New(env *py.Env) starlark.Value {
	g := &generator{}
	return &starlarkstruct.Module{Name: "uuid", Members: starlark.StringDict{
		"UUID":               UUIDClass,
		"uuid1":              py.Func("uuid1", g.uuid1),
		"uuid3":              py.Func("uuid3", nameBased("uuid3", 3)),
		"uuid4":              py.Func("uuid4", uuid4),
		"uuid5":              py.Func("uuid5", nameBased("uuid5", 5)),
		"getnode":            py.Func("getnode", g.getnode),
		"NAMESPACE_DNS":      NamespaceDNS,
		"NAMESPACE_URL":      NamespaceURL,
		"NAMESPACE_OID":      NamespaceOID,
		"NAMESPACE_X500":     NamespaceX500,
		"RESERVED_NCS":       starlark.String(ReservedNCS),
		"RFC_4122":           starlark.String(RFC4122),
		"RESERVED_MICROSOFT": starlark.String(ReservedMicrosoft),
		"RESERVED_FUTURE":    starlark.String(ReservedFuture),
	}}
}

// generator holds what uuid1 keeps between calls in one execution: the
// node and the last timestamp.
type generator struct {
	mu            sync.Mutex
	node          uint64
	lastTimestamp uint64
}

// getnode is uuid.getnode(): a random node with the multicast bit set,
// the same for the whole execution.
func (g *generator) getnode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := (&pyargs.Func{Name: "getnode"}).Bind(args, kwargs); err != nil {
		return nil, err
	}
	return starlark.MakeUint64(g.nodeID()), nil
}

func (g *generator) nodeID() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.node == 0 {
		var buf [8]byte
		rand.Read(buf[2:])
		g.node = binary.BigEndian.Uint64(buf[:]) | 1<<40
	}
	return g.node
}

var uuid1Spec = &pyargs.Func{Name: "uuid1", Params: []string{"node", "clock_seq"}}

// uuid1 is uuid.uuid1(node=None, clock_seq=None): the time in 100 ns
// since 1582-10-15, never the same twice in an execution, a clock
// sequence (random unless given) and the node.
func (g *generator) uuid1(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var nodeArg, clockSeqArg starlark.Value = starlark.None, starlark.None
	if err := uuid1Spec.Bind(args, kwargs, &nodeArg, &clockSeqArg); err != nil {
		return nil, err
	}
	g.mu.Lock()
	timestamp := uint64(time.Now().UnixNano()/100) + 0x01b21dd213814000
	if g.lastTimestamp != 0 && timestamp <= g.lastTimestamp {
		timestamp = g.lastTimestamp + 1
	}
	g.lastTimestamp = timestamp
	g.mu.Unlock()
	var clockSeq *big.Int
	if clockSeqArg == starlark.None {
		var buf [2]byte
		rand.Read(buf[:])
		clockSeq = big.NewInt(int64(binary.BigEndian.Uint16(buf[:]) & 0x3fff))
	} else {
		i, err := intOperand(clockSeqArg, "&")
		if err != nil {
			return nil, err
		}
		clockSeq = i
	}
	var node *big.Int
	if nodeArg == starlark.None {
		node = new(big.Int).SetUint64(g.nodeID())
	} else {
		i, err := pyargs.Index(nodeArg)
		if err != nil {
			return nil, py.Errorf(py.TypeError, "'<=' not supported between instances of 'int' and '%s'", py.TypeName(nodeArg))
		}
		node = i.BigInt()
	}
	low8 := big.NewInt(0xff)
	fields := [6]*big.Int{
		new(big.Int).SetUint64(timestamp & 0xffffffff),
		new(big.Int).SetUint64((timestamp >> 32) & 0xffff),
		new(big.Int).SetUint64((timestamp >> 48) & 0x0fff),
		new(big.Int).And(new(big.Int).Rsh(clockSeq, 8), big.NewInt(0x3f)),
		new(big.Int).And(clockSeq, low8),
		node,
	}
	u, err := fromFields(fields)
	if err != nil {
		return nil, err
	}
	return u.withVersion(1), nil
}

// intOperand converts an int operand of a bit operation, with CPython's
// TypeError for other types.
func intOperand(v starlark.Value, op string) (*big.Int, error) {
	i, err := pyargs.Index(v)
	if err != nil {
		return nil, py.Errorf(py.TypeError, "unsupported operand type(s) for %s: '%s' and 'int'", op, py.TypeName(v))
	}
	return i.BigInt(), nil
}

func uuid4(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := (&pyargs.Func{Name: "uuid4"}).Bind(args, kwargs); err != nil {
		return nil, err
	}
	var u UUID
	rand.Read(u[:])
	return u.withVersion(4), nil
}

// nameBased is uuid3 (MD5) or uuid5 (SHA-1) of a namespace and a name.
func nameBased(name string, version int) py.BuiltinFunc {
	spec := &pyargs.Func{Name: name, Params: []string{"namespace", "name"}, Required: 2}
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var namespace, nameArg starlark.Value
		if err := spec.Bind(args, kwargs, &namespace, &nameArg); err != nil {
			return nil, err
		}
		ns, ok := namespace.(UUID)
		if !ok {
			return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'bytes'", py.TypeName(namespace))
		}
		s, ok := nameArg.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "encoding without a string argument")
		}
		var sum []byte
		if version == 3 {
			h := md5.Sum(append(ns[:], s...))
			sum = h[:]
		} else {
			h := sha1.Sum(append(ns[:], s...))
			sum = h[:]
		}
		var u UUID
		copy(u[:], sum)
		return u.withVersion(version), nil
	}
}

// withVersion sets the RFC 4122 variant and the version.
func (u UUID) withVersion(version int) UUID {
	u[8] = u[8]&0x3f | 0x80
	u[6] = u[6]&0x0f | byte(version)<<4
	return u
}

var uuidSpec = &pyargs.Func{Name: "UUID.__init__", Params: []string{"hex", "bytes", "bytes_le", "fields", "int", "version"}, Method: true}

// makeUUID is UUID(hex=None, bytes=None, bytes_le=None, fields=None,
// int=None, version=None), checked as CPython's __init__ checks it.
func makeUUID(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	vals := [6]starlark.Value{starlark.None, starlark.None, starlark.None, starlark.None, starlark.None, starlark.None}
	if err := uuidSpec.Bind(args, kwargs, &vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &vals[5]); err != nil {
		return nil, err
	}
	hexArg, bytesArg, bytesLE, fieldsArg, intArg, version := vals[0], vals[1], vals[2], vals[3], vals[4], vals[5]
	given := 0
	for _, v := range vals[:5] {
		if v != starlark.None {
			given++
		}
	}
	if given != 1 {
		return nil, py.Errorf(py.TypeError, "one of the hex, bytes, bytes_le, fields, or int arguments must be given")
	}
	var n *big.Int
	switch {
	case hexArg != starlark.None:
		s, err := hexString(hexArg)
		if err != nil {
			return nil, err
		}
		if n, err = parseHex(s); err != nil {
			return nil, err
		}
	case bytesLE != starlark.None:
		le, err := sixteen(bytesLE, "bytes_le")
		if err != nil {
			return nil, err
		}
		be := string([]byte{le[3], le[2], le[1], le[0], le[5], le[4], le[7], le[6]}) + le[8:]
		if _, ok := py.AsBytes(bytesLE); !ok {
			return nil, py.Errorf(py.AssertionError, "%s", py.QuoteString(be))
		}
		n = new(big.Int).SetBytes([]byte(be))
	case bytesArg != starlark.None:
		s, err := sixteen(bytesArg, "bytes")
		if err != nil {
			return nil, err
		}
		if _, ok := py.AsBytes(bytesArg); !ok {
			return nil, py.Errorf(py.AssertionError, "%s", py.Repr(bytesArg))
		}
		n = new(big.Int).SetBytes([]byte(s))
	case fieldsArg != starlark.None:
		fields, err := fieldsOf(fieldsArg)
		if err != nil {
			return nil, err
		}
		u, err := fromFields(fields)
		if err != nil {
			return nil, err
		}
		n = new(big.Int).SetBytes(u[:])
	default:
		i, ok := intArg.(starlark.Int)
		if !ok {
			if _, isFloat := intArg.(starlark.Float); !isFloat {
				return nil, py.Errorf(py.TypeError, "'<=' not supported between instances of 'int' and '%s'", py.TypeName(intArg))
			}
			return nil, py.Errorf(py.TypeError, "'float' object cannot be interpreted as an integer")
		}
		n = i.BigInt()
	}
	if n.Sign() < 0 || n.BitLen() > 128 {
		return nil, py.Errorf(py.ValueError, "int is out of range (need a 128-bit value)")
	}
	var u UUID
	n.FillBytes(u[:])
	if version != starlark.None {
		v, err := pyargs.Index(version)
		if err != nil {
			return nil, py.Errorf(py.TypeError, "'<=' not supported between instances of 'int' and '%s'", py.TypeName(version))
		}
		vi, ok := v.Int64()
		if !ok || vi < 1 || vi > 5 {
			return nil, py.Errorf(py.ValueError, "illegal version number")
		}
		u = u.withVersion(int(vi))
	}
	return u, nil
}

// hexString strips what CPython's UUID(hex) strips: "urn:", "uuid:",
// braces at the ends, and hyphens.
func hexString(v starlark.Value) (string, error) {
	s, ok := v.(starlark.String)
	if !ok {
		if _, isBytes := py.AsBytes(v); isBytes {
			return "", py.Errorf(py.TypeError, "a bytes-like object is required, not 'str'")
		}
		return "", py.Errorf(py.AttributeError, "'%s' object has no attribute 'replace'", py.TypeName(v))
	}
	h := strings.ReplaceAll(strings.ReplaceAll(string(s), "urn:", ""), "uuid:", "")
	h = strings.ReplaceAll(strings.Trim(h, "{}"), "-", "")
	if len(h) != 32 {
		return "", py.Errorf(py.ValueError, "badly formed hexadecimal UUID string")
	}
	return h, nil
}

// parseHex is int(s, 16) with Python's syntax: surrounding whitespace, a
// sign, a 0x prefix, single underscores between digits.
func parseHex(s string) (*big.Int, error) {
	bad := py.Errorf(py.ValueError, "invalid literal for int() with base 16: %s", py.QuoteString(s))
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "+")
	if strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X") {
		t = strings.TrimPrefix(t[2:], "_")
	}
	if t == "" || t[0] == '_' || t[len(t)-1] == '_' || strings.Contains(t, "__") {
		return nil, bad
	}
	n, ok := new(big.Int).SetString(strings.ReplaceAll(t, "_", ""), 16)
	if !ok || n.Sign() < 0 {
		return nil, bad
	}
	return n, nil
}

// sixteen returns the 16 characters of a bytes (or, to fail CPython's
// assertion after the length check, str) argument.
func sixteen(v starlark.Value, what string) (string, error) {
	var s string
	switch v := v.(type) {
	case py.Bytes:
		s = string(v)
	case starlark.String:
		s = string(v)
	default:
		if n := starlark.Len(v); n < 0 {
			return "", py.Errorf(py.TypeError, "object of type '%s' has no len()", py.TypeName(v))
		} else if n != 16 {
			return "", py.Errorf(py.ValueError, "%s is not a 16-char string", what)
		}
		return "", py.Errorf(py.AssertionError, "%s", py.Repr(v))
	}
	if len(s) != 16 {
		return "", py.Errorf(py.ValueError, "%s is not a 16-char string", what)
	}
	return s, nil
}

// fieldsOf unpacks the fields= 6-tuple.
func fieldsOf(v starlark.Value) ([6]*big.Int, error) {
	var fields [6]*big.Int
	n := starlark.Len(v)
	if n < 0 {
		return fields, py.Errorf(py.TypeError, "object of type '%s' has no len()", py.TypeName(v))
	}
	if n != 6 {
		return fields, py.Errorf(py.ValueError, "fields is not a 6-tuple")
	}
	seq, ok := v.(starlark.Indexable)
	if !ok {
		return fields, py.Errorf(py.TypeError, "cannot unpack non-iterable %s object", py.TypeName(v))
	}
	for i := range fields {
		x, err := intOperand(seq.Index(i), "<<")
		if err != nil {
			return fields, err
		}
		fields[i] = x
	}
	return fields, nil
}

// fromFields builds a UUID from time_low, time_mid, time_hi_version,
// clock_seq_hi_variant, clock_seq_low and node, checking their ranges.
func fromFields(f [6]*big.Int) (UUID, error) {
	widths := [6]int{32, 16, 16, 8, 8, 48}
	names := [6]string{"a 32-bit", "a 16-bit", "a 16-bit", "an 8-bit", "an 8-bit", "a 48-bit"}
	n := new(big.Int)
	for i, x := range f {
		if x.Sign() < 0 || x.BitLen() > widths[i] {
			return UUID{}, py.Errorf(py.ValueError, "field %d out of range (need %s value)", i+1, names[i])
		}
		n.Lsh(n, uint(widths[i])).Or(n, x)
	}
	var u UUID
	n.FillBytes(u[:])
	return u, nil
}

func (u UUID) hex() string { return hex.EncodeToString(u[:]) }

// PyStr is str(u): 12345678-1234-5678-1234-567812345678.
func (u UUID) PyStr() string {
	h := u.hex()
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// PyRepr is repr(u): UUID('12345678-1234-5678-1234-567812345678').
func (u UUID) PyRepr() string { return "UUID('" + u.PyStr() + "')" }

// PyClass is type(u): uuid.UUID.
func (u UUID) PyClass() starlark.Value { return UUIDClass }

func (u UUID) String() string       { return u.PyRepr() }
func (u UUID) Type() string         { return "UUID" }
func (u UUID) Freeze()              {}
func (u UUID) Truth() starlark.Bool { return true }

var hashSeed = maphash.MakeSeed()

// Hash hashes the 128 bits.
func (u UUID) Hash() (uint32, error) { return uint32(maphash.Bytes(hashSeed, u[:])), nil }

// CompareSameType orders UUIDs by their 128-bit value, as CPython does.
func (u UUID) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	v := y.(UUID)
	return threeway(op, bytes.Compare(u[:], v[:])), nil
}

func threeway(op syntax.Token, c int) bool {
	switch op {
	case syntax.EQL:
		return c == 0
	case syntax.NEQ:
		return c != 0
	case syntax.LT:
		return c < 0
	case syntax.LE:
		return c <= 0
	case syntax.GT:
		return c > 0
	}
	return c >= 0 // GE
}

var attrNames = []string{"bytes", "bytes_le", "clock_seq", "clock_seq_hi_variant", "clock_seq_low", "fields", "hex", "int", "node", "time", "time_hi_version", "time_low", "time_mid", "urn", "variant", "version"}

// AttrNames lists the attributes of a UUID.
func (u UUID) AttrNames() []string { return attrNames }

// Attr returns the attributes of a UUID, as CPython computes them.
func (u UUID) Attr(name string) (starlark.Value, error) {
	be := binary.BigEndian
	timeLow := uint64(be.Uint32(u[0:4]))
	timeMid := uint64(be.Uint16(u[4:6]))
	timeHiVersion := uint64(be.Uint16(u[6:8]))
	node := be.Uint64(u[8:16]) & 0xffffffffffff
	switch name {
	case "int":
		return starlark.MakeBigInt(new(big.Int).SetBytes(u[:])), nil
	case "hex":
		return starlark.String(u.hex()), nil
	case "bytes":
		return py.Bytes(u[:]), nil
	case "bytes_le":
		return py.Bytes([]byte{u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]}), nil
	case "fields":
		return starlark.Tuple{
			starlark.MakeUint64(timeLow), starlark.MakeUint64(timeMid), starlark.MakeUint64(timeHiVersion),
			starlark.MakeInt(int(u[8])), starlark.MakeInt(int(u[9])), starlark.MakeUint64(node),
		}, nil
	case "time_low":
		return starlark.MakeUint64(timeLow), nil
	case "time_mid":
		return starlark.MakeUint64(timeMid), nil
	case "time_hi_version":
		return starlark.MakeUint64(timeHiVersion), nil
	case "clock_seq_hi_variant":
		return starlark.MakeInt(int(u[8])), nil
	case "clock_seq_low":
		return starlark.MakeInt(int(u[9])), nil
	case "time":
		return starlark.MakeUint64((timeHiVersion&0x0fff)<<48 | timeMid<<32 | timeLow), nil
	case "clock_seq":
		return starlark.MakeInt(int(u[8]&0x3f)<<8 | int(u[9])), nil
	case "node":
		return starlark.MakeUint64(node), nil
	case "urn":
		return starlark.String("urn:uuid:" + u.PyStr()), nil
	case "variant":
		return starlark.String(u.variant()), nil
	case "version":
		if u.variant() != RFC4122 {
			return starlark.None, nil
		}
		return starlark.MakeInt(int(u[6] >> 4)), nil
	}
	return nil, nil
}

func (u UUID) variant() string {
	switch {
	case u[8]&0x80 == 0:
		return ReservedNCS
	case u[8]&0x40 == 0:
		return RFC4122
	case u[8]&0x20 == 0:
		return ReservedMicrosoft
	}
	return ReservedFuture
}
