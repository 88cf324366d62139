// Package math is Python's math module for kstar scripts: the constants
// pi, e, tau, inf and nan, and every function of CPython 3.11's math
// (floor, ceil, trunc, sqrt, isqrt, exp, exp2, expm1, log (with a base),
// log2, log10, log1p, pow, the trigonometric and hyperbolic functions,
// degrees, radians, hypot, dist, fabs, copysign, fmod, remainder, modf,
// frexp, ldexp, nextafter, ulp, isclose, isfinite, isinf, isnan, gcd,
// lcm, factorial, comb, perm, prod, fsum, erf, erfc, gamma, lgamma,
// cbrt), with CPython's errors ("math domain error", "math range error")
// and its exact ints (floor, ceil and trunc return ints however large;
// factorial, comb, perm, gcd, lcm, isqrt and prod of ints are exact; log
// of an int too large for a float works).
//
// Results are the floats CPython prints: sqrt, fsum, hypot and dist are
// exact to the last bit as CPython's; exp, exp2, log, log2, log10, pow,
// the trigonometric and the hyperbolic functions are correctly rounded,
// as glibc's almost always are (about one input in a thousand differs in
// the last digit, where glibc is not); expm1 and log1p are fdlibm's, as
// glibc's; erf, erfc, gamma and lgamma are Go's, which differ from
// glibc's in the last digit for some inputs.
package math

import (
	gomath "math"
	"math/big"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/internal/libm"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the math module for one execution.
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{
		"pi":  starlark.Float(gomath.Pi),
		"e":   starlark.Float(gomath.E),
		"tau": starlark.Float(2 * gomath.Pi),
		"inf": starlark.Float(gomath.Inf(1)),
		"nan": starlark.Float(gomath.NaN()),
	}
	for name, fn := range functions {
		members[name] = py.Func(name, fn)
	}
	return &starlarkstruct.Module{Name: "math", Members: members}
}

var (
	domainError = py.Errorf(py.ValueError, "math domain error")
	rangeError  = py.Errorf(py.OverflowError, "math range error")
)

// real converts a number argument to a float, as CPython's
// PyFloat_AsDouble does.
func real(v starlark.Value) (float64, error) {
	switch v := v.(type) {
	case starlark.Float:
		return float64(v), nil
	case starlark.Int:
		return intToFloat(v)
	case starlark.Bool:
		if v {
			return 1, nil
		}
		return 0, nil
	}
	return 0, py.Errorf(py.TypeError, "must be real number, not %s", py.TypeName(v))
}

// intToFloat is the float nearest to i, or OverflowError.
func intToFloat(i starlark.Int) (float64, error) {
	if n, ok := i.Int64(); ok && n > -1<<53 && n < 1<<53 {
		return float64(n), nil
	}
	f, _ := new(big.Float).SetInt(i.BigInt()).Float64()
	if gomath.IsInf(f, 0) {
		return 0, py.Errorf(py.OverflowError, "int too large to convert to float")
	}
	return f, nil
}

// integer converts an int argument (bools are ints) to a big.Int, with
// CPython's error for anything else.
func integer(v starlark.Value) (*big.Int, error) {
	switch v := v.(type) {
	case starlark.Int:
		return v.BigInt(), nil
	case starlark.Bool:
		if v {
			return big.NewInt(1), nil
		}
		return big.NewInt(0), nil
	}
	return nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
}

// check turns a float result into CPython's errors: NaN from a non-NaN
// argument is a domain error; an infinity from a finite argument is a
// range error where the function can overflow, else a domain error.
func check(r float64, args []float64, canOverflow bool) (starlark.Value, error) {
	finite, nan := true, false
	for _, x := range args {
		finite = finite && !gomath.IsInf(x, 0) && !gomath.IsNaN(x)
		nan = nan || gomath.IsNaN(x)
	}
	switch {
	case gomath.IsNaN(r) && !nan:
		return nil, domainError
	case gomath.IsInf(r, 0) && finite:
		if canOverflow {
			return nil, rangeError
		}
		return nil, domainError
	}
	return starlark.Float(r), nil
}

// fn1 makes a function of one float, as CPython's math_1.
func fn1(name string, f func(float64) float64, canOverflow bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := py.OneArg("math."+name, args, kwargs)
		if err != nil {
			return nil, err
		}
		x, err := real(v)
		if err != nil {
			return nil, err
		}
		return check(f(x), []float64{x}, canOverflow)
	}
}

// fn2 makes a function of two floats.
func fn2(name string, f func(x, y float64) float64, canOverflow bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := py.CheckPositional(name, args, kwargs, 2, 2); err != nil {
			return nil, err
		}
		x, err := real(args[0])
		if err != nil {
			return nil, err
		}
		y, err := real(args[1])
		if err != nil {
			return nil, err
		}
		return check(f(x, y), []float64{x, y}, canOverflow)
	}
}

// predicate makes isfinite, isinf and isnan.
func predicate(name string, f func(float64) bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := py.OneArg("math."+name, args, kwargs)
		if err != nil {
			return nil, err
		}
		x, err := real(v)
		if err != nil {
			return nil, err
		}
		return starlark.Bool(f(x)), nil
	}
}

var functions = map[string]py.BuiltinFunc{
	"sqrt":      fn1("sqrt", gomath.Sqrt, false),
	"exp":       fn1("exp", libm.Exp, true),
	"exp2":      fn1("exp2", libm.Exp2, true),
	"expm1":     fn1("expm1", gomath.Expm1, true),
	"log1p":     fn1("log1p", gomath.Log1p, false),
	"sin":       fn1("sin", libm.Sin, false),
	"cos":       fn1("cos", libm.Cos, false),
	"tan":       fn1("tan", libm.Tan, false),
	"asin":      fn1("asin", libm.Asin, false),
	"acos":      fn1("acos", libm.Acos, false),
	"atan":      fn1("atan", libm.Atan, false),
	"sinh":      fn1("sinh", libm.Sinh, true),
	"cosh":      fn1("cosh", libm.Cosh, true),
	"tanh":      fn1("tanh", libm.Tanh, false),
	"asinh":     fn1("asinh", libm.Asinh, false),
	"acosh":     fn1("acosh", libm.Acosh, false),
	"atanh":     fn1("atanh", libm.Atanh, false),
	"erf":       fn1("erf", gomath.Erf, false),
	"erfc":      fn1("erfc", gomath.Erfc, false),
	"gamma":     fn1("gamma", gamma, true),
	"lgamma":    fn1("lgamma", lgamma, true),
	"cbrt":      fn1("cbrt", libm.Cbrt, false),
	"fabs":      fn1("fabs", gomath.Abs, false),
	"degrees":   fn1("degrees", func(x float64) float64 { return x * (180 / gomath.Pi) }, true),
	"radians":   fn1("radians", func(x float64) float64 { return x * (gomath.Pi / 180) }, true),
	"atan2":     fn2("atan2", libm.Atan2, false),
	"copysign":  fn2("copysign", gomath.Copysign, false),
	"fmod":      fn2("fmod", fmod, false),
	"remainder": fn2("remainder", remainder, false),
	"pow":       fn2("pow", mathPow, true),
	"nextafter": fn2("nextafter", gomath.Nextafter, false),
	"isfinite":  predicate("isfinite", func(x float64) bool { return !gomath.IsInf(x, 0) && !gomath.IsNaN(x) }),
	"isinf":     predicate("isinf", func(x float64) bool { return gomath.IsInf(x, 0) }),
	"isnan":     predicate("isnan", gomath.IsNaN),
	"ulp":       fn1("ulp", ulp, false),
	"floor":     rounding("floor", gomath.Floor),
	"ceil":      rounding("ceil", gomath.Ceil),
	"trunc":     rounding("trunc", gomath.Trunc),
	"log":       mathLog,
	"log2":      logFunc("log2", libm.Log2),
	"log10":     logFunc("log10", libm.Log10),
	"isclose":   isclose,
	"hypot":     hypot,
	"dist":      dist,
	"modf":      modf,
	"frexp":     frexp,
	"ldexp":     ldexp,
	"isqrt":     isqrt,
	"gcd":       gcdLcm("gcd"),
	"lcm":       gcdLcm("lcm"),
	"factorial": factorial,
	"comb":      combPerm("comb"),
	"perm":      combPerm("perm"),
	"prod":      prod,
	"fsum":      fsum,
}

// fmod is C's fmod: NaN (a domain error) for an infinite x or a zero y.
func fmod(x, y float64) float64 {
	if gomath.IsInf(y, 0) && !gomath.IsInf(x, 0) && !gomath.IsNaN(x) {
		return x
	}
	return gomath.Mod(x, y)
}

// remainder is IEEE 754's remainder, NaN for an infinite x or a zero y.
func remainder(x, y float64) float64 {
	if gomath.IsInf(x, 0) || y == 0 {
		return gomath.NaN()
	}
	return gomath.Remainder(x, y)
}

// mathPow is math.pow: C's pow, whose domain and range errors CPython
// reports (0 ** -1 is a domain error, not an infinity).
func mathPow(x, y float64) float64 {
	if x == 0 && y < 0 && !gomath.IsInf(y, 0) {
		return gomath.NaN()
	}
	return libm.Pow(x, y)
}

// gamma is Go's Gamma, with C's NaN for the poles (0 and the negative
// integers), which CPython reports as domain errors.
func gamma(x float64) float64 {
	if x == 0 || (x < 0 && x == gomath.Trunc(x)) || gomath.IsInf(x, -1) {
		return gomath.NaN()
	}
	return gomath.Gamma(x)
}

// lgamma is log|gamma(x)|, an infinity (a domain error) at the poles.
func lgamma(x float64) float64 {
	if x <= 0 && x == gomath.Trunc(x) && !gomath.IsInf(x, -1) {
		return gomath.NaN()
	}
	l, _ := gomath.Lgamma(x)
	return l
}

// ulp is the value of the least significant bit of x.
func ulp(x float64) float64 {
	x = gomath.Abs(x)
	if gomath.IsNaN(x) || gomath.IsInf(x, 0) {
		return x
	}
	next := gomath.Nextafter(x, gomath.Inf(1))
	if gomath.IsInf(next, 0) {
		return x - gomath.Nextafter(x, 0)
	}
	return next - x
}

// rounding makes floor, ceil and trunc: an int (or bool) is returned as
// an int, a float rounded to an int however large.
func rounding(name string, f func(float64) float64) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := py.OneArg("math."+name, args, kwargs)
		if err != nil {
			return nil, err
		}
		switch v := v.(type) {
		case starlark.Int:
			return v, nil
		case starlark.Bool:
			if v {
				return starlark.MakeInt(1), nil
			}
			return starlark.MakeInt(0), nil
		case starlark.Float:
			return floatToInt(f(float64(v)))
		}
		if name == "trunc" {
			return nil, py.Errorf(py.TypeError, "type %s doesn't define __trunc__ method", py.TypeName(v))
		}
		return nil, py.Errorf(py.TypeError, "must be real number, not %s", py.TypeName(v))
	}
}

// floatToInt converts an integral float to an int, with CPython's errors
// for infinities and NaN.
func floatToInt(x float64) (starlark.Value, error) {
	switch {
	case gomath.IsInf(x, 0):
		return nil, py.Errorf(py.OverflowError, "cannot convert float infinity to integer")
	case gomath.IsNaN(x):
		return nil, py.Errorf(py.ValueError, "cannot convert float NaN to integer")
	case gomath.Abs(x) < 1<<62:
		return starlark.MakeInt64(int64(x)), nil
	}
	i, _ := big.NewFloat(x).Int(nil)
	return starlark.MakeBigInt(i), nil
}

// logOf is CPython's loghelper: the logarithm f of a number, also of an
// int too large for a float (as f(m) + f(2) e for int = m 2**e).
func logOf(v starlark.Value, f func(float64) float64) (float64, error) {
	if i, ok := v.(starlark.Int); ok {
		if i.Sign() <= 0 {
			return 0, domainError
		}
		if x, err := intToFloat(i); err == nil {
			return f(x), nil
		}
		m := new(big.Float).SetPrec(53).SetInt(i.BigInt())
		e := m.MantExp(m)
		mf, _ := m.Float64()
		return f(mf) + f(2)*float64(e), nil
	}
	x, err := real(v)
	if err != nil {
		return 0, err
	}
	r, err := check(f(x), []float64{x}, false)
	if err != nil {
		return 0, err
	}
	return float64(r.(starlark.Float)), nil
}

// logFunc makes log2 and log10.
func logFunc(name string, f func(float64) float64) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := py.OneArg("math."+name, args, kwargs)
		if err != nil {
			return nil, err
		}
		r, err := logOf(v, f)
		return starlark.Float(r), err
	}
}

// log(x[, base])
func mathLog(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "math.log() takes no keyword arguments")
	}
	if len(args) < 1 || len(args) > 2 {
		return nil, py.Errorf(py.TypeError, "math.log requires 1 to 2 arguments")
	}
	num, err := logOf(args[0], libm.Log)
	if err != nil {
		return nil, err
	}
	if len(args) == 1 {
		return starlark.Float(num), nil
	}
	den, err := logOf(args[1], libm.Log)
	if err != nil {
		return nil, err
	}
	if den == 0 {
		return nil, py.Errorf(py.ZeroDivisionError, "float division by zero")
	}
	return starlark.Float(num / den), nil
}

// isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)
func isclose(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var av, bv starlark.Value
	var relv, absv starlark.Value = starlark.Float(1e-9), starlark.Float(0)
	if err := py.UnpackArgs("isclose", args, kwargs, []string{"a", "b", "*", "rel_tol?", "abs_tol?"}, &av, &bv, &relv, &absv); err != nil {
		return nil, err
	}
	var x [4]float64
	for i, v := range []starlark.Value{av, bv, relv, absv} {
		var err error
		if x[i], err = real(v); err != nil {
			return nil, err
		}
	}
	a, bb, rel, abs := x[0], x[1], x[2], x[3]
	if rel < 0 || abs < 0 {
		return nil, py.Errorf(py.ValueError, "tolerances must be non-negative")
	}
	if a == bb {
		return starlark.True, nil
	}
	if gomath.IsInf(a, 0) || gomath.IsInf(bb, 0) {
		return starlark.False, nil
	}
	diff := gomath.Abs(bb - a)
	return starlark.Bool(diff <= gomath.Abs(rel*bb) || diff <= gomath.Abs(rel*a) || diff <= abs), nil
}

// hypot(*coordinates) is the Euclidean norm, as CPython computes it.
func hypot(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "hypot() takes no keyword arguments")
	}
	coords := make([]float64, len(args))
	for i, v := range args {
		x, err := real(v)
		if err != nil {
			return nil, err
		}
		coords[i] = x
	}
	return starlark.Float(libm.Norm(coords)), nil
}

// dist(p, q) is the Euclidean distance between two points.
func dist(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("dist", args, kwargs, 2, 2); err != nil {
		return nil, err
	}
	p, err := py.Elements(thread, args[0])
	if err != nil {
		return nil, err
	}
	q, err := py.Elements(thread, args[1])
	if err != nil {
		return nil, err
	}
	if len(p) != len(q) {
		return nil, py.Errorf(py.ValueError, "both points must have the same number of dimensions")
	}
	diffs := make([]float64, len(p))
	for i := range p {
		x, err := real(p[i])
		if err != nil {
			return nil, err
		}
		y, err := real(q[i])
		if err != nil {
			return nil, err
		}
		diffs[i] = x - y
	}
	return starlark.Float(libm.Norm(diffs)), nil
}

// modf(x) is (fractional part, integral part), both floats.
func modf(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := py.OneArg("math.modf", args, kwargs)
	if err != nil {
		return nil, err
	}
	x, err := real(v)
	if err != nil {
		return nil, err
	}
	switch {
	case gomath.IsInf(x, 0):
		return starlark.Tuple{starlark.Float(gomath.Copysign(0, x)), starlark.Float(x)}, nil
	case gomath.IsNaN(x):
		return starlark.Tuple{starlark.Float(x), starlark.Float(x)}, nil
	}
	i, f := gomath.Modf(x)
	return starlark.Tuple{starlark.Float(f), starlark.Float(i)}, nil
}

// frexp(x) is (m, e) with x = m 2**e and 0.5 <= |m| < 1.
func frexp(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := py.OneArg("math.frexp", args, kwargs)
	if err != nil {
		return nil, err
	}
	x, err := real(v)
	if err != nil {
		return nil, err
	}
	m, e := gomath.Frexp(x)
	return starlark.Tuple{starlark.Float(m), starlark.MakeInt(e)}, nil
}

// ldexp(x, i) is x 2**i.
func ldexp(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("ldexp", args, kwargs, 2, 2); err != nil {
		return nil, err
	}
	x, err := real(args[0])
	if err != nil {
		return nil, err
	}
	var exp int64
	switch i := args[1].(type) {
	case starlark.Int:
		var ok bool
		if exp, ok = i.Int64(); !ok {
			exp = int64(i.Sign()) << 40
		}
	case starlark.Bool:
		if i {
			exp = 1
		}
	default:
		return nil, py.Errorf(py.TypeError, "Expected an int as second argument to ldexp.")
	}
	if x == 0 || gomath.IsInf(x, 0) || gomath.IsNaN(x) {
		return starlark.Float(x), nil
	}
	exp = max(min(exp, 1<<20), -1<<20)
	r := gomath.Ldexp(x, int(exp))
	if gomath.IsInf(r, 0) {
		return nil, rangeError
	}
	return starlark.Float(r), nil
}

// isqrt(n) is the integer square root of n >= 0.
func isqrt(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := py.OneArg("math.isqrt", args, kwargs)
	if err != nil {
		return nil, err
	}
	n, err := integer(v)
	if err != nil {
		return nil, err
	}
	if n.Sign() < 0 {
		return nil, py.Errorf(py.ValueError, "isqrt() argument must be nonnegative")
	}
	return starlark.MakeBigInt(new(big.Int).Sqrt(n)), nil
}

// gcdLcm makes gcd(*integers) and lcm(*integers).
func gcdLcm(name string) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(kwargs) > 0 {
			return nil, py.Errorf(py.TypeError, "%s() takes no keyword arguments", name)
		}
		acc := big.NewInt(0)
		if name == "lcm" {
			acc.SetInt64(1)
		}
		for _, v := range args {
			n, err := integer(v)
			if err != nil {
				return nil, err
			}
			n = new(big.Int).Abs(n)
			if name == "gcd" {
				acc.GCD(nil, nil, acc, n)
				continue
			}
			if acc.Sign() == 0 || n.Sign() == 0 {
				acc.SetInt64(0)
				continue
			}
			g := new(big.Int).GCD(nil, nil, acc, n)
			acc.Mul(acc, n.Quo(n, g))
		}
		return starlark.MakeBigInt(acc), nil
	}
}

// factorial(n) is n! for an int n >= 0.
func factorial(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := py.OneArg("math.factorial", args, kwargs)
	if err != nil {
		return nil, err
	}
	n, err := integer(v)
	if err != nil {
		return nil, err
	}
	if n.Sign() < 0 {
		return nil, py.Errorf(py.ValueError, "factorial() not defined for negative values")
	}
	if !n.IsInt64() {
		return nil, py.Errorf(py.OverflowError, "factorial() argument should not exceed %d", int64(gomath.MaxInt64))
	}
	f, err := mulRange(thread, 1, n.Int64())
	if err != nil {
		return nil, err
	}
	return starlark.MakeBigInt(f), nil
}

// mulRangeLeaf is how many factors mulRange multiplies at once, between
// two looks at the execution's limits.
const mulRangeLeaf = 1 << 12

// mulRange is lo * (lo+1) * ... * hi (1 when lo > hi), as
// big.Int.MulRange, in pieces between which it consults the limits of
// the execution on thread: factorial(10**6) takes seconds, and must stop
// at the call's deadline or step budget like any loop.
func mulRange(thread *starlark.Thread, lo, hi int64) (*big.Int, error) {
	if hi-lo < mulRangeLeaf {
		return new(big.Int).MulRange(lo, hi), py.CheckLimits(thread)
	}
	mid := lo + (hi-lo)/2
	a, err := mulRange(thread, lo, mid)
	if err != nil {
		return nil, err
	}
	b, err := mulRange(thread, mid+1, hi)
	if err != nil {
		return nil, err
	}
	if err := py.Reserve(thread, int64(a.BitLen()+b.BitLen())/8); err != nil {
		return nil, err
	}
	return a.Mul(a, b), py.CheckLimits(thread)
}

// combPerm makes comb(n, k) (k-subsets of n) and perm(n, k=None)
// (k-arrangements of n, n! for k None).
func combPerm(name string) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		minArgs := 2
		if name == "perm" {
			minArgs = 1
		}
		if err := py.CheckPositional(name, args, kwargs, minArgs, 2); err != nil {
			return nil, err
		}
		n, err := integer(args[0])
		if err != nil {
			return nil, err
		}
		var k *big.Int
		if len(args) == 2 && args[1] != starlark.None {
			if k, err = integer(args[1]); err != nil {
				return nil, err
			}
		}
		if n.Sign() < 0 {
			return nil, py.Errorf(py.ValueError, "n must be a non-negative integer")
		}
		if k == nil {
			k = n
		}
		if k.Sign() < 0 {
			return nil, py.Errorf(py.ValueError, "k must be a non-negative integer")
		}
		if k.Cmp(n) > 0 {
			return starlark.MakeInt(0), nil
		}
		if !n.IsInt64() {
			return nil, py.Errorf(py.OverflowError, "%s too large", name)
		}
		nn, kk := n.Int64(), k.Int64()
		if name == "perm" {
			p, err := mulRange(thread, nn-kk+1, nn)
			if err != nil {
				return nil, err
			}
			return starlark.MakeBigInt(p), nil
		}
		return starlark.MakeBigInt(new(big.Int).Binomial(nn, kk)), nil
	}
}

// prod(iterable, *, start=1) multiplies start by each element with *.
func prod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "prod() takes exactly 1 positional argument (%d given)", len(args))
	}
	var acc starlark.Value = starlark.MakeInt(1)
	for _, kv := range kwargs {
		if kv[0] != starlark.String("start") {
			return nil, py.Errorf(py.TypeError, "prod() got an unexpected keyword argument '%s'", string(kv[0].(starlark.String)))
		}
		acc = kv[1]
	}
	src, err := py.Iterate(thread, args[0])
	if err != nil {
		return nil, err
	}
	for {
		v, ok, err := src.Next(thread)
		if err != nil {
			return nil, err
		}
		if !ok {
			return acc, nil
		}
		if acc, err = starlark.Binary(syntax.STAR, acc, v); err != nil {
			return nil, err
		}
	}
}
