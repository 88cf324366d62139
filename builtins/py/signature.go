package py

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
)

// Signature describes the parameters of one function as Python declares
// it, and binds a call's arguments to them with CPython's rules and
// messages. It is the one argument binder of the core and the standard
// modules (UnpackArgs, lib/internal/pyargs, datetime).
//
// CPython words arity errors in two ways: functions written in Python
// (random.randint, base64.b64encode, uuid.uuid5) name the missing
// parameters, functions written in C (zlib.crc32, binascii.hexlify) say
// how many arguments they take, in the words of the argument parser the
// function uses (Wording).
type Signature struct {
	// Name is the function as CPython's messages name it:
	// "Random.randint", "b64encode", "crc32". With GetargsWording, ""
	// is a constructor: "function takes ...", "... for this function".
	Name string
	// Params are the parameter names in order (at most 64). An entry "*"
	// starts the keyword-only parameters, which come after the required
	// ones.
	Params []string
	// Required is how many leading parameters have no default.
	Required int
	// Method counts self in "takes N positional arguments" (CPython's
	// count for a bound method of a class written in Python).
	Method bool
	// C words errors as a function implemented in C does.
	C bool
	// Wording is how a C function says it got too many arguments.
	Wording Wording
	// PositionalOnly refuses keywords for every parameter (C functions
	// declared with "/").
	PositionalOnly bool
}

// Wording is the message a C function gives for too many arguments,
// which depends on the argument parser CPython generated or wrote for it.
type Wording int

const (
	// AtMostWording: "crc32() takes at most 2 arguments (3 given)",
	// counting keywords; "f() takes no arguments (1 given)".
	AtMostWording Wording = iota
	// ClinicWording (Argument Clinic): "groupby() takes at most 2
	// arguments (3 given)", "exactly" when every parameter is required,
	// "positional arguments" when some are keyword-only; counting the
	// positional arguments.
	ClinicWording
	// GetargsWording (PyArg_ParseTupleAndKeywords, as datetime's
	// constructors use): "now() takes at most 1 argument (2 given)" when
	// there are more arguments than parameters ("keyword argument" when
	// all are keywords), then "takes at most N positional arguments".
	GetargsWording
)

// Bind stores the arguments in dst, one pointer per parameter (the "*"
// entry has none); parameters without an argument keep their value.
func (s *Signature) Bind(args starlark.Tuple, kwargs []starlark.Tuple, dst ...*starlark.Value) error {
	var buf [16]starlark.Value
	vals := buf[:0]
	if len(dst) > len(buf) {
		vals = make([]starlark.Value, 0, len(dst))
	}
	vals = vals[:len(dst)]
	if err := s.BindValues(args, kwargs, vals); err != nil {
		return err
	}
	for i, v := range vals {
		if v != nil {
			*dst[i] = v
		}
	}
	return nil
}

// BindValues stores the arguments in vals, one per parameter (the "*"
// entry has none); those not given stay as they are (nil in a new
// slice).
func (s *Signature) BindValues(args starlark.Tuple, kwargs []starlark.Tuple, vals []starlark.Value) error {
	npos := len(s.Params) // number of parameters that can be given by position
	for i, p := range s.Params {
		if p == "*" {
			npos = i
			break
		}
	}
	nparams := len(s.Params)
	if npos < nparams {
		nparams--
	}
	if len(vals) != nparams {
		panic(fmt.Sprintf("py: %s has %d parameters but %d destinations", s.Name, nparams, len(vals)))
	}
	if s.C && s.Wording == GetargsWording && len(args)+len(kwargs) > nparams {
		keyword := ""
		if len(args) == 0 {
			keyword = "keyword "
		}
		return Errorf(TypeError, "%s takes at most %d %sargument%s (%d given)", s.display(), nparams, keyword, plural(nparams), len(args)+len(kwargs))
	}
	if len(args) > npos {
		return s.tooMany(npos, nparams, len(args), len(kwargs))
	}
	copy(vals, args)
	var setByName uint64 // bit i: parameter i was given by keyword
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		i := s.index(k)
		if i < 0 || s.PositionalOnly {
			switch {
			case !s.C:
				return Errorf(TypeError, "%s() got an unexpected keyword argument '%s'", s.Name, k)
			case s.Name == "" && s.Wording == GetargsWording:
				return Errorf(TypeError, "'%s' is an invalid keyword argument for this function", k)
			}
			return Errorf(TypeError, "'%s' is an invalid keyword argument for %s", k, s.display())
		}
		if i < len(args) || setByName&(1<<i) != 0 {
			if s.C {
				return Errorf(TypeError, "argument for %s given by name ('%s') and position (%d)", s.display(), k, i+1)
			}
			return Errorf(TypeError, "%s() got multiple values for argument '%s'", s.Name, k)
		}
		vals[i] = kv[1]
		setByName |= 1 << i
	}
	var missing []string
	for i := len(args); i < s.Required; i++ {
		if setByName&(1<<i) == 0 {
			if s.C {
				return Errorf(TypeError, "%s missing required argument '%s' (pos %d)", s.display(), s.Params[i], i+1)
			}
			missing = append(missing, "'"+s.Params[i]+"'")
		}
	}
	if len(missing) > 0 {
		return Errorf(TypeError, "%s() missing %d required positional argument%s: %s", s.Name, len(missing), plural(len(missing)), JoinNames(missing))
	}
	return nil
}

// display is the function as a C function's messages name it: "crc32()",
// or "function" for a constructor in GetargsWording.
func (s *Signature) display() string {
	if s.Name == "" && s.Wording == GetargsWording {
		return "function"
	}
	return s.Name + "()"
}

// index is the position of the parameter called name (not counting
// "*"), or -1.
func (s *Signature) index(name string) int {
	i := 0
	for _, p := range s.Params {
		if p == "*" {
			continue
		}
		if p == name {
			return i
		}
		i++
	}
	return -1
}

// tooMany is the error for nargs positional arguments (and nkw keyword
// ones) where npos of the nparams parameters can be given by position.
func (s *Signature) tooMany(npos, nparams, nargs, nkw int) error {
	if s.C {
		switch s.Wording {
		case ClinicWording:
			bound, what := "at most", "argument"
			if s.Required == npos {
				bound = "exactly"
			}
			if npos < nparams {
				what = "positional argument"
			}
			return Errorf(TypeError, "%s() takes %s %d %s%s (%d given)", s.Name, bound, npos, what, plural(npos), nargs)
		case GetargsWording:
			return Errorf(TypeError, "%s takes at most %d positional argument%s (%d given)", s.display(), npos, plural(npos), nargs)
		}
		if len(s.Params) == 0 {
			return Errorf(TypeError, "%s() takes no arguments (%d given)", s.Name, nargs+nkw)
		}
		return Errorf(TypeError, "%s() takes at most %d arguments (%d given)", s.Name, npos, nargs+nkw)
	}
	self := 0
	if s.Method {
		self = 1
	}
	takes := fmt.Sprint(npos + self)
	if s.Required < npos {
		takes = fmt.Sprintf("from %d to %d", s.Required+self, npos+self)
	}
	were := "were"
	if nargs+nkw+self == 1 {
		were = "was"
	}
	return Errorf(TypeError, "%s() takes %s positional argument%s but %d %s given", s.Name, takes, plural(npos+self), nargs+nkw+self, were)
}

// JoinNames lists names as CPython's messages do: a, a and b, a, b, and c.
func JoinNames(names []string) string {
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + ", and " + names[len(names)-1]
}
