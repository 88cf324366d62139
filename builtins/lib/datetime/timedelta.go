package datetime

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// timedelta is Python's datetime.timedelta, normalised as CPython keeps
// it: 0 <= seconds < 86400, 0 <= micros < 1000000, |days| <= 999999999.
type timedelta struct {
	days, seconds, micros int64
}

const (
	maxDeltaDays = 999999999
	microsPerDay = 86400 * 1000000
)

var (
	_ starlark.HasAttrs   = timedelta{}
	_ starlark.HasBinary  = timedelta{}
	_ starlark.HasUnary   = timedelta{}
	_ starlark.Comparable = timedelta{}
	_ py.PyAbser          = timedelta{}
)

var timedeltaClass = &class{name: "timedelta", new: newTimedelta}

func init() {
	timedeltaClass.attrs = starlark.StringDict{
		"min":        timedelta{days: -maxDeltaDays},
		"max":        timedelta{days: maxDeltaDays, seconds: 86399, micros: 999999},
		"resolution": timedelta{micros: 1},
	}
	timedeltaClass.methods = methods(map[string]py.BuiltinFunc{
		"total_seconds": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("timedelta", b, args, kwargs); err != nil {
				return nil, err
			}
			return b.Receiver().(timedelta).totalSeconds(), nil
		},
	})
}

// deltaUnits are timedelta's parameters and their length in
// microseconds, in the order CPython adds them up.
var deltaUnits = []struct {
	name   string
	micros int64
}{
	{"microseconds", 1}, {"milliseconds", 1000}, {"seconds", 1000000}, {"minutes", 60 * 1000000},
	{"hours", 3600 * 1000000}, {"days", microsPerDay}, {"weeks", 7 * microsPerDay},
}

var timedeltaParams = cParams("__new__", 0, "days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")

// newTimedelta is timedelta(days=0, seconds=0, microseconds=0,
// milliseconds=0, minutes=0, hours=0, weeks=0): ints add up exactly;
// the fractions of floats add up as a float that is rounded (half to
// even) to microseconds at the end, as CPython does.
func newTimedelta(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vals [7]starlark.Value
	if err := timedeltaParams.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	// vals are in parameter order; the units are added up from the smallest.
	byName := map[string]starlark.Value{}
	for i, n := range timedeltaParams.Params {
		byName[n] = vals[i]
	}
	total := new(big.Int)
	leftover := 0.0
	for _, u := range deltaUnits {
		v := byName[u.name]
		if v == nil {
			continue
		}
		switch x := v.(type) {
		case starlark.Int:
			total.Add(total, new(big.Int).Mul(x.BigInt(), big.NewInt(u.micros)))
		case starlark.Bool:
			if x {
				total.Add(total, big.NewInt(u.micros))
			}
		case starlark.Float:
			f := float64(x)
			if math.IsNaN(f) {
				return nil, py.Errorf(py.ValueError, "cannot convert float NaN to integer")
			}
			if math.IsInf(f, 0) {
				return nil, py.Errorf(py.OverflowError, "cannot convert float infinity to integer")
			}
			whole, frac := math.Modf(f)
			w, _ := new(big.Float).SetFloat64(whole).Int(nil)
			total.Add(total, w.Mul(w, big.NewInt(u.micros)))
			if frac != 0 {
				micros, rest := math.Modf(frac * float64(u.micros))
				total.Add(total, big.NewInt(int64(micros)))
				leftover += rest
			}
		default:
			return nil, py.Errorf(py.TypeError, "unsupported type for timedelta %s component: %s", u.name, py.TypeName(v))
		}
	}
	if leftover != 0 {
		// Half a microsecond rounds the total to even.
		whole := math.Round(leftover)
		if math.Abs(whole-leftover) == 0.5 {
			odd := float64(total.Bit(0))
			whole = 2*math.Round((leftover+odd)*0.5) - odd
		}
		total.Add(total, big.NewInt(int64(whole)))
	}
	return timedeltaFromMicros(total)
}

// timedeltaFromMicros normalises a number of microseconds, with CPython's
// OverflowError beyond ±999999999 days.
func timedeltaFromMicros(us *big.Int) (timedelta, error) {
	days, rem := new(big.Int).DivMod(us, big.NewInt(microsPerDay), new(big.Int))
	if !days.IsInt64() || days.Int64() > math.MaxInt32 || days.Int64() < math.MinInt32 {
		return timedelta{}, py.Errorf(py.OverflowError, "Python int too large to convert to C int")
	}
	return makeTimedelta(days.Int64(), 0, rem.Int64())
}

// makeTimedelta normalises days, seconds and microseconds (each of any
// sign, small enough not to overflow).
func makeTimedelta(days, seconds, micros int64) (timedelta, error) {
	seconds += floorDiv(micros, 1000000)
	micros = floorMod(micros, 1000000)
	days += floorDiv(seconds, 86400)
	seconds = floorMod(seconds, 86400)
	if days > maxDeltaDays || days < -maxDeltaDays {
		return timedelta{}, py.Errorf(py.OverflowError, "days=%d; must have magnitude <= %d", days, maxDeltaDays)
	}
	return timedelta{days, seconds, micros}, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// bigMicros is the whole timedelta in microseconds.
func (td timedelta) bigMicros() *big.Int {
	us := big.NewInt(td.days)
	us.Mul(us, big.NewInt(microsPerDay))
	return us.Add(us, big.NewInt(td.seconds*1000000+td.micros))
}

// micros64 is the timedelta in microseconds when it is within ten
// million days (more than datetime's range, and far from overflowing an
// int64), as datetime arithmetic needs it.
func (td timedelta) micros64() (int64, bool) {
	if td.days > 10000000 || td.days < -10000000 {
		return 0, false
	}
	return td.days*microsPerDay + td.seconds*1000000 + td.micros, true
}

func (td timedelta) String() string { return td.PyRepr() }
func (td timedelta) Type() string   { return "datetime.timedelta" }
func (td timedelta) Freeze()        {}
func (td timedelta) Truth() starlark.Bool {
	return td != timedelta{}
}
func (td timedelta) Hash() (uint32, error) { return hashInts(td.days, td.seconds, td.micros), nil }

// PyClass is timedelta.
func (td timedelta) PyClass() starlark.Value { return timedeltaClass }

// PyRepr is datetime.timedelta(days=1, seconds=3600), the zero fields
// left out; datetime.timedelta(0) when all are.
func (td timedelta) PyRepr() string {
	var parts []string
	if td.days != 0 {
		parts = append(parts, "days="+strconv.FormatInt(td.days, 10))
	}
	if td.seconds != 0 {
		parts = append(parts, "seconds="+strconv.FormatInt(td.seconds, 10))
	}
	if td.micros != 0 {
		parts = append(parts, "microseconds="+strconv.FormatInt(td.micros, 10))
	}
	if len(parts) == 0 {
		return "datetime.timedelta(0)"
	}
	return "datetime.timedelta(" + strings.Join(parts, ", ") + ")"
}

// PyStr is [D day[s], ]H:MM:SS[.ffffff].
func (td timedelta) PyStr() string {
	var b strings.Builder
	if td.days != 0 {
		b.WriteString(strconv.FormatInt(td.days, 10))
		if td.days == 1 || td.days == -1 {
			b.WriteString(" day, ")
		} else {
			b.WriteString(" days, ")
		}
	}
	b.WriteString(strconv.FormatInt(td.seconds/3600, 10))
	b.WriteString(":" + pad2(int(td.seconds/60%60)) + ":" + pad2(int(td.seconds%60)))
	if td.micros != 0 {
		b.WriteString("." + pad6(int(td.micros)))
	}
	return b.String()
}

// pad2 and pad6 are n with leading zeros to 2 and 6 digits.
func pad2(n int) string { return string(appendPadded(nil, n, 2)) }
func pad6(n int) string { return string(appendPadded(nil, n, 6)) }

// Attr returns days, seconds, microseconds or a method.
func (td timedelta) Attr(name string) (starlark.Value, error) {
	switch name {
	case "days":
		return starlark.MakeInt64(td.days), nil
	case "seconds":
		return starlark.MakeInt64(td.seconds), nil
	case "microseconds":
		return starlark.MakeInt64(td.micros), nil
	}
	return timedeltaClass.method(td, name)
}

// AttrNames lists the attributes.
func (td timedelta) AttrNames() []string {
	return timedeltaClass.methodNames("days", "microseconds", "seconds")
}

// totalSeconds is total_seconds(): the microseconds divided by 10**6,
// correctly rounded.
func (td timedelta) totalSeconds() starlark.Float {
	if us, ok := td.micros64(); ok && us < 1<<53 && us > -1<<53 {
		return starlark.Float(float64(us) / 1e6)
	}
	f, _ := new(big.Rat).SetFrac(td.bigMicros(), big.NewInt(1000000)).Float64()
	return starlark.Float(f)
}

func (td timedelta) neg() (timedelta, error) {
	return makeTimedelta(-td.days, -td.seconds, -td.micros)
}

// Unary is -td and +td.
func (td timedelta) Unary(op syntax.Token) (starlark.Value, error) {
	switch op {
	case syntax.MINUS:
		return td.neg()
	case syntax.PLUS:
		return td, nil
	}
	return nil, nil
}

// PyAbs is abs(td).
func (td timedelta) PyAbs() (starlark.Value, error) {
	if td.days < 0 {
		return td.neg()
	}
	return td, nil
}

// PyDivmod is divmod(td, other): the floor quotient and the remainder,
// for a timedelta other only.
func (td timedelta) PyDivmod(y starlark.Value) (starlark.Value, error) {
	o, ok := y.(timedelta)
	if !ok {
		return nil, nil
	}
	q, r, err := divmodMicros(td.bigMicros(), o.bigMicros())
	if err != nil {
		return nil, err
	}
	rem, err := timedeltaFromMicros(r)
	if err != nil {
		return nil, err
	}
	return starlark.Tuple{starlark.MakeBigInt(q), rem}, nil
}

// divmodMicros is Python's floor division and modulo of a by b.
func divmodMicros(a, b *big.Int) (*big.Int, *big.Int, error) {
	if b.Sign() == 0 {
		return nil, nil, py.Errorf(py.ZeroDivisionError, "integer division or modulo by zero")
	}
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	if r.Sign() != 0 && (r.Sign() < 0) != (b.Sign() < 0) {
		q.Sub(q, big.NewInt(1))
		r.Add(r, b)
	}
	return q, r, nil
}

// divideNearest is a / b rounded half to even, as CPython rounds the
// products and quotients of timedeltas.
func divideNearest(a, b *big.Int) (*big.Int, error) {
	if b.Sign() == 0 {
		return nil, py.Errorf(py.ZeroDivisionError, "integer division or modulo by zero")
	}
	q, r, _ := divmodMicros(a, b)
	// Compare 2r with b, in b's sign: r has b's sign (or is 0).
	twice := new(big.Int).Lsh(r, 1)
	c := twice.Cmp(b)
	if b.Sign() < 0 {
		c = -c
	}
	if c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(q, big.NewInt(1))
	}
	return q, nil
}

// floatRatio is f as an exact fraction, with CPython's errors for
// infinities and NaN.
func floatRatio(f float64) (*big.Int, *big.Int, error) {
	if math.IsNaN(f) {
		return nil, nil, py.Errorf(py.ValueError, "cannot convert NaN to integer ratio")
	}
	if math.IsInf(f, 0) {
		return nil, nil, py.Errorf(py.OverflowError, "cannot convert Infinity to integer ratio")
	}
	r := new(big.Rat).SetFloat64(f)
	return r.Num(), r.Denom(), nil
}

// Binary is the arithmetic of timedeltas: + and - with timedeltas (and
// date and datetime, which handle it), * by numbers, / and // by
// numbers and timedeltas, % by timedeltas.
func (td timedelta) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch op {
	case syntax.PLUS, syntax.MINUS:
		o, ok := y.(timedelta)
		if !ok {
			return nil, nil // date + timedelta: the date's Binary
		}
		if op == syntax.MINUS {
			if side == starlark.Right {
				td, o = o, td
			}
			o = timedelta{-o.days, -o.seconds, -o.micros}
		}
		return makeTimedelta(td.days+o.days, td.seconds+o.seconds, td.micros+o.micros)
	case syntax.STAR:
		switch n := y.(type) {
		case starlark.Int:
			return timedeltaFromMicros(new(big.Int).Mul(td.bigMicros(), n.BigInt()))
		case starlark.Bool:
			if n {
				return td, nil
			}
			return timedelta{}, nil
		case starlark.Float:
			num, den, err := floatRatio(float64(n))
			if err != nil {
				return nil, err
			}
			q, err := divideNearest(new(big.Int).Mul(td.bigMicros(), num), den)
			if err != nil {
				return nil, err
			}
			return timedeltaFromMicros(q)
		}
	case syntax.SLASH, syntax.SLASHSLASH, syntax.PERCENT:
		if side == starlark.Right {
			return nil, nil // 1 / td
		}
		return td.divide(op, y)
	}
	return nil, nil
}

// divide is td / y, td // y and td % y.
func (td timedelta) divide(op syntax.Token, y starlark.Value) (starlark.Value, error) {
	us := td.bigMicros()
	if o, ok := y.(timedelta); ok {
		ous := o.bigMicros()
		switch op {
		case syntax.SLASH:
			if ous.Sign() == 0 {
				return nil, py.Errorf(py.ZeroDivisionError, "division by zero")
			}
			f, _ := new(big.Rat).SetFrac(us, ous).Float64()
			return starlark.Float(f), nil
		case syntax.SLASHSLASH:
			q, _, err := divmodMicros(us, ous)
			if err != nil {
				return nil, err
			}
			return starlark.MakeBigInt(q), nil
		default:
			if ous.Sign() == 0 {
				return nil, py.Errorf(py.ZeroDivisionError, "integer modulo by zero")
			}
			_, r, _ := divmodMicros(us, ous)
			return timedeltaFromMicros(r)
		}
	}
	var n *big.Int
	switch x := y.(type) {
	case starlark.Int:
		n = x.BigInt()
	case starlark.Bool:
		n = big.NewInt(0)
		if x {
			n.SetInt64(1)
		}
	case starlark.Float:
		if op != syntax.SLASH {
			return nil, nil
		}
		num, den, err := floatRatio(float64(x))
		if err != nil {
			return nil, err
		}
		q, err := divideNearest(us.Mul(us, den), num)
		if err != nil {
			return nil, err
		}
		return timedeltaFromMicros(q)
	default:
		return nil, nil
	}
	switch op {
	case syntax.SLASH:
		q, err := divideNearest(us, n)
		if err != nil {
			return nil, err
		}
		return timedeltaFromMicros(q)
	case syntax.SLASHSLASH:
		q, _, err := divmodMicros(us, n)
		if err != nil {
			return nil, err
		}
		return timedeltaFromMicros(q)
	}
	return nil, nil
}

// CompareSameType orders timedeltas by length.
func (td timedelta) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	o := y.(timedelta)
	return compareInts(op, td.days, o.days, td.seconds, o.seconds, td.micros, o.micros), nil
}

// compareInts compares two values given as pairs of their fields, most
// significant first.
func compareInts(op syntax.Token, pairs ...int64) bool {
	c := 0
	for i := 0; i < len(pairs) && c == 0; i += 2 {
		switch {
		case pairs[i] < pairs[i+1]:
			c = -1
		case pairs[i] > pairs[i+1]:
			c = 1
		}
	}
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
	return c >= 0
}
