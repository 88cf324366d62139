// Package datetime is Python's datetime module for kstar scripts:
//
//	datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tzinfo=None, *, fold=0)
//	  now(tz=None), utcnow(), today(), fromtimestamp(t, tz=None), utcfromtimestamp(t),
//	  fromisoformat(s), strptime(s, format), combine(date, time, tzinfo), fromordinal(n),
//	  fromisocalendar(y, w, d); min, max, resolution
//	  .year ... .microsecond, .tzinfo, .fold, date(), time(), timetz(), replace(...),
//	  astimezone(tz=None), utcoffset(), dst(), tzname(), timestamp(), timetuple(),
//	  utctimetuple(), toordinal(), weekday(), isoweekday(), isocalendar(),
//	  isoformat(sep='T', timespec='auto'), ctime(), strftime(format)
//	date(year, month, day): today(), fromtimestamp, fromordinal, fromisoformat,
//	  fromisocalendar; the date methods above
//	time(hour=0, minute=0, second=0, microsecond=0, tzinfo=None, *, fold=0):
//	  fromisoformat; replace, isoformat, strftime, utcoffset, dst, tzname
//	timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0):
//	  .days, .seconds, .microseconds, total_seconds()
//	timezone(offset, name=None): timezone.utc (also datetime.UTC), min, max;
//	  utcoffset, dst, tzname, fromutc
//	tzinfo (for isinstance), MINYEAR, MAXYEAR
//
// with CPython 3.11's arithmetic (datetime ± timedelta, datetime −
// datetime, timedelta * / // % by numbers and timedeltas, divmod, abs),
// comparisons (naive against aware raises TypeError), hashing, reprs,
// str(), format specs (f'{d:%Y-%m-%d}') and error messages.
//
// Where it differs from CPython: the only tzinfo objects are timezone
// values (no tzinfo subclasses, so no zoneinfo); local time is the
// host's zone (Go's time.Local, which reads TZ) and a local time that a
// daylight saving change repeats always has fold=0; comparing a datetime
// with a date by < raises CPython's TypeError in other words.
package datetime

import (
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the datetime module. Its values are immutable, so
// executions share them.
func New(env *py.Env) starlark.Value { return module }

// Python's bounds on years.
const (
	minYear = 1
	maxYear = 9999
)

var module = &starlarkstruct.Module{Name: "datetime", Members: starlark.StringDict{
	"datetime":  dateTimeClass,
	"date":      dateClass,
	"time":      timeClass,
	"timedelta": timedeltaClass,
	"timezone":  timezoneClass,
	"tzinfo":    tzinfoClass,
	"UTC":       utc,
	"MINYEAR":   starlark.MakeInt(minYear),
	"MAXYEAR":   starlark.MakeInt(maxYear),
}}

// class is one of the module's classes. Calling it makes an instance;
// its attributes are the class attributes (min, max, utc), the class
// methods (now, fromtimestamp) and the instance methods, unbound
// (datetime.isoformat(d)); type(x) returns it and isinstance(x, C)
// tests against it.
type class struct {
	name    string // __name__: "datetime"
	new     py.BuiltinFunc
	base    *class // date for datetime: isinstance(datetime, date) is True
	attrs   starlark.StringDict
	methods map[string]*starlark.Builtin // the instances' methods
}

var (
	_ starlark.Callable  = (*class)(nil)
	_ starlark.HasAttrs  = (*class)(nil)
	_ py.InstanceChecker = (*class)(nil)
)

func (c *class) String() string        { return "<class 'datetime." + c.name + "'>" }
func (c *class) Type() string          { return "type" }
func (c *class) Freeze()               {}
func (c *class) Truth() starlark.Bool  { return true }
func (c *class) Hash() (uint32, error) { return starlark.String(c.name).Hash() }
func (c *class) Name() string          { return c.name }

// CallInternal makes an instance: datetime(2024, 1, 2).
func (c *class) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if c.new == nil {
		return nil, py.Errorf(py.TypeError, "cannot create 'datetime.%s' instances", c.name)
	}
	return c.new(thread, nil, args, kwargs)
}

// IsInstance reports whether v is an instance of the class or of one
// derived from it.
func (c *class) IsInstance(v starlark.Value) bool {
	pc, ok := v.(py.PyClasser)
	if !ok {
		return false
	}
	for k, _ := pc.PyClass().(*class); k != nil; k = k.base {
		if k == c {
			return true
		}
	}
	return false
}

// Attr returns __name__, a class attribute or method, or an instance
// method unbound: datetime.isoformat(d) is d.isoformat().
func (c *class) Attr(name string) (starlark.Value, error) {
	if name == "__name__" {
		return starlark.String(c.name), nil
	}
	if v, ok := c.attrs[name]; ok {
		return v, nil
	}
	if m, ok := c.methods[name]; ok {
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) == 0 {
				return nil, py.Errorf(py.TypeError, "unbound method %s.%s() needs an argument", c.name, name)
			}
			if !c.IsInstance(args[0]) {
				return nil, py.Errorf(py.TypeError, "descriptor '%s' for 'datetime.%s' objects doesn't apply to a '%s' object", name, c.name, py.TypeName(args[0]))
			}
			return starlark.Call(thread, m.BindReceiver(args[0]), args[1:], kwargs)
		}), nil
	}
	return nil, py.Errorf(py.AttributeError, "type object 'datetime.%s' has no attribute '%s'", c.name, name)
}

// AttrNames lists the class's attributes.
func (c *class) AttrNames() []string {
	names := []string{"__name__"}
	for n := range c.attrs {
		names = append(names, n)
	}
	for n := range c.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// method returns the method name of recv, nil when there is none
// (Starlark then raises the AttributeError).
func (c *class) method(recv starlark.Value, name string) (starlark.Value, error) {
	if m, ok := c.methods[name]; ok {
		return m.BindReceiver(recv), nil
	}
	return nil, nil
}

// methodNames lists the instance methods, for AttrNames.
func (c *class) methodNames(fields ...string) []string {
	names := append([]string(nil), fields...)
	for n := range c.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// methods builds a method table: each function is guarded (a Go panic
// becomes a RuntimeError) once, here.
func methods(fns map[string]py.BuiltinFunc) map[string]*starlark.Builtin {
	m := make(map[string]*starlark.Builtin, len(fns))
	for name, fn := range fns {
		m[name] = py.Func(name, fn)
	}
	return m
}

// classMethods builds class attributes from class methods, bound to the
// class as CPython shows them (<built-in method now of type object>).
func classMethods(c *class, fns map[string]py.BuiltinFunc) {
	if c.attrs == nil {
		c.attrs = starlark.StringDict{}
	}
	for name, fn := range fns {
		c.attrs[name] = py.Func(name, fn).BindReceiver(c)
	}
}

// cParams describes the parameters of a datetime function (fn, "" for a
// constructor), which CPython parses with PyArg_ParseTupleAndKeywords;
// a "*" entry starts the keyword-only ones.
func cParams(fn string, required int, names ...string) *py.Signature {
	return &py.Signature{Name: fn, Params: names, Required: required, C: true, Wording: py.GetargsWording}
}

// noArgs checks that a method that takes no arguments got none; owner
// is the class CPython names ("date.weekday() takes no arguments").
func noArgs(owner string, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "%s.%s() takes no keyword arguments", owner, b.Name())
	}
	if len(args) > 0 {
		return py.Errorf(py.TypeError, "%s.%s() takes no arguments (%d given)", owner, b.Name(), len(args))
	}
	return nil
}

// intArg converts an integer argument (an int or a bool) to int, with
// CPython's errors for other types and for ints beyond a C int.
func intArg(v starlark.Value) (int, error) {
	switch x := v.(type) {
	case starlark.Bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case starlark.Int:
		n, ok := x.Int64()
		if !ok || n > 1<<31-1 {
			if x.Sign() < 0 {
				return 0, py.Errorf(py.OverflowError, "signed integer is less than minimum")
			}
			return 0, py.Errorf(py.OverflowError, "signed integer is greater than maximum")
		}
		if n < -1<<31 {
			return 0, py.Errorf(py.OverflowError, "signed integer is less than minimum")
		}
		return int(n), nil
	}
	return 0, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
}

// ints converts the integer arguments vals (nil: absent) into dst, whose
// values are the defaults.
func ints(vals []starlark.Value, dst ...*int) error {
	for i, d := range dst {
		if vals[i] == nil {
			continue
		}
		n, err := intArg(vals[i])
		if err != nil {
			return err
		}
		*d = n
	}
	return nil
}

// strArg returns a str argument, or CPython's "f() argument N must be
// str, not int".
func strArg(fn string, pos int, v starlark.Value) (string, error) {
	s, ok := v.(starlark.String)
	if !ok {
		return "", py.Errorf(py.TypeError, "%s() argument %d must be str, not %s", fn, pos, argTypeName(v))
	}
	return string(s), nil
}

// argTypeName names the type of a wrong argument as CPython's argument
// parser does: None for None.
func argTypeName(v starlark.Value) string {
	if v == starlark.None {
		return "None"
	}
	return py.TypeName(v)
}

// hashInts hashes a value's fields.
func hashInts(xs ...int64) uint32 {
	h := uint64(14695981039346656037)
	for _, x := range xs {
		h ^= uint64(x)
		h *= 1099511628211
	}
	return uint32(h ^ h>>32)
}
