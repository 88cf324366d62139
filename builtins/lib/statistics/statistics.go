// Package statistics is Python's statistics module for kstar scripts:
//
//	mean, fmean (weights=), geometric_mean, harmonic_mean (weights=)
//	median, median_low, median_high, median_grouped (interval=)
//	mode, multimode, quantiles (n=4, method='exclusive'|'inclusive')
//	variance (xbar=), pvariance (mu=), stdev (xbar=), pstdev (mu=)
//	covariance, correlation, linear_regression (proportional=)
//	StatisticsError (a ValueError)
//
// As CPython 3.11's: sums are exact (mean of ints is an int when it is
// whole, variance([2, 4, 6]) is 4), stdev and pstdev are correctly
// rounded square roots of the exact variance, and the data may be any
// iterable, an endless consumer excepted (every function reads its data
// to the end). Numbers are ints, floats and bools: kstar has no Fraction
// or Decimal. NormalDist is not provided.
package statistics

import (
	gomath "math"
	"math/big"
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/internal/libm"
	"github.com/kstar-dev/kstar/builtins/py"
)

// StatisticsError is statistics.StatisticsError, a ValueError.
var StatisticsError = &py.ExceptionClass{ClassName: "StatisticsError", Module: "statistics", Base: py.ValueError}

// linearRegressionType is the namedtuple linear_regression returns.
var linearRegressionType = func() *py.NamedTupleType {
	t := py.NewNamedTupleType("LinearRegression", []string{"slope", "intercept"})
	t.Module = "statistics"
	return t
}()

// New returns the statistics module for one execution.
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{"StatisticsError": StatisticsError}
	for name, fn := range functions {
		members[name] = py.Func(name, fn)
	}
	return &starlarkstruct.Module{Name: "statistics", Members: members}
}

var functions = map[string]py.BuiltinFunc{
	"mean":              mean,
	"fmean":             fmean,
	"geometric_mean":    geometricMean,
	"harmonic_mean":     harmonicMean,
	"median":            medianOf("median"),
	"median_low":        medianOf("median_low"),
	"median_high":       medianOf("median_high"),
	"median_grouped":    medianGrouped,
	"mode":              mode,
	"multimode":         multimode,
	"quantiles":         quantiles,
	"variance":          spread("variance", "xbar", 1, false),
	"pvariance":         spread("pvariance", "mu", 0, false),
	"stdev":             spread("stdev", "xbar", 1, true),
	"pstdev":            spread("pstdev", "mu", 0, true),
	"covariance":        bivariate("covariance"),
	"correlation":       bivariate("correlation"),
	"linear_regression": bivariate("linear_regression"),
}

func statisticsError(msg string) error { return py.Errorf(StatisticsError, "%s", msg) }

// exactSum is CPython's statistics._sum: the exact sum of numbers, the
// type the result converts to (int unless a float was added), and the
// count. A NaN or infinity makes the sum that float.
type exactSum struct {
	count   int
	isFloat bool
	total   big.Rat
	special starlark.Value // the sum of the non-finite floats, if any
}

// add adds x, an int, bool or float.
func (s *exactSum) add(x starlark.Value) error {
	s.count++
	switch x := x.(type) {
	case starlark.Int:
		s.total.Add(&s.total, new(big.Rat).SetInt(x.BigInt()))
	case starlark.Bool:
		if x {
			s.total.Add(&s.total, big.NewRat(1, 1))
		}
	case starlark.Float:
		s.isFloat = true
		r := new(big.Rat).SetFloat64(float64(x))
		if r == nil { // NaN or infinity
			if s.special == nil {
				s.special = x
			} else {
				s.special = s.special.(starlark.Float) + x
			}
			return nil
		}
		s.total.Add(&s.total, r)
	default:
		return py.Errorf(py.TypeError, "can't convert type '%s' to numerator/denominator", py.TypeName(x))
	}
	return nil
}

// sumOf adds the elements of data, taking them one at a time.
func sumOf(thread *starlark.Thread, data starlark.Value) (*exactSum, error) {
	s := &exactSum{}
	err := each(thread, data, s.add)
	return s, err
}

// each calls f with each element of data.
func each(thread *starlark.Thread, data starlark.Value, f func(starlark.Value) error) error {
	src, err := py.Iterate(thread, data)
	if err != nil {
		return err
	}
	meter := py.NewMeter(thread) // data may be endless
	for {
		if err := meter.Tick(); err != nil {
			return err
		}
		x, ok, err := src.Next(thread)
		if !ok || err != nil {
			return err
		}
		if err := f(x); err != nil {
			return err
		}
	}
}

// convert is CPython's statistics._convert: an exact value as an int
// when the data were ints and it is whole, else as a float.
func convert(r *big.Rat, isFloat bool) (starlark.Value, error) {
	if !isFloat && r.IsInt() {
		return starlark.MakeBigInt(new(big.Int).Set(r.Num())), nil
	}
	f, _ := r.Float64()
	if f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
		return nil, py.Errorf(py.OverflowError, "integer division result too large for a double")
	}
	return starlark.Float(f), nil
}

// mean(data): the exact mean, as an int when the data are ints and it
// is whole.
func mean(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := positional("mean", []string{"data"}, args, kwargs); err != nil {
		return nil, err
	}
	s, err := sumOf(thread, args[0])
	if err != nil {
		return nil, err
	}
	if s.count < 1 {
		return nil, statisticsError("mean requires at least one data point")
	}
	if s.special != nil {
		return s.special.(starlark.Float) / starlark.Float(s.count), nil
	}
	return convert(new(big.Rat).Quo(&s.total, big.NewRat(int64(s.count), 1)), s.isFloat)
}

// positional checks the arguments of a function defined in Python whose
// parameters are all required and positional.
func positional(fname string, params []string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, string(kwargs[0][0].(starlark.String)))
	}
	if len(args) > len(params) {
		s := "s"
		if len(params) == 1 {
			s = ""
		}
		return py.Errorf(py.TypeError, "%s() takes %d positional argument%s but %d were given", fname, len(params), s, len(args))
	}
	if len(args) < len(params) {
		return py.Errorf(py.TypeError, "%s() missing 1 required positional argument: '%s'", fname, params[len(args)])
	}
	return nil
}

// toFloat converts a number to a float as math.fsum does.
func toFloat(v starlark.Value) (float64, error) {
	switch v := v.(type) {
	case starlark.Float:
		return float64(v), nil
	case starlark.Bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case starlark.Int:
		f, _ := new(big.Float).SetInt(v.BigInt()).Float64()
		if f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
			return 0, py.Errorf(py.OverflowError, "int too large to convert to float")
		}
		return f, nil
	}
	return 0, py.Errorf(py.TypeError, "must be real number, not %s", py.TypeName(v))
}

// fsum is math.fsum of floats.
func fsum(xs []float64) (float64, error) {
	var s libm.Sum
	for _, x := range xs {
		if err := s.Add(x); err != nil {
			return 0, py.Errorf(py.OverflowError, "%s", err)
		}
	}
	r, err := s.Result()
	if err != nil {
		return 0, py.Errorf(py.ValueError, "%s", err)
	}
	return r, nil
}

// floats converts each element of data to a float, as fsum does.
func floats(thread *starlark.Thread, data starlark.Value) ([]float64, error) {
	var xs []float64
	err := each(thread, data, func(v starlark.Value) error {
		x, err := toFloat(v)
		xs = append(xs, x)
		return err
	})
	return xs, err
}

// fmean(data, weights=None): the float mean, weighted if weights are
// given.
func fmean(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data, weights starlark.Value = nil, starlark.None
	if err := py.UnpackArgs("fmean", args, kwargs, []string{"data", "weights?"}, &data, &weights); err != nil {
		return nil, err
	}
	if weights == starlark.None {
		xs, err := floats(thread, data)
		if err != nil {
			return nil, err
		}
		total, err := fsum(xs)
		if err != nil {
			return nil, err
		}
		if len(xs) == 0 {
			return nil, statisticsError("fmean requires at least one data point")
		}
		return starlark.Float(total / float64(len(xs))), nil
	}
	xs, err := py.Elements(thread, data)
	if err != nil {
		return nil, err
	}
	ws, err := py.Elements(thread, weights)
	if err != nil {
		return nil, err
	}
	products := make([]float64, 0, len(xs))
	meter := py.NewMeter(thread)
	for i := 0; i < len(xs) && i < len(ws); i++ {
		if err := meter.Tick(); err != nil {
			return nil, err
		}
		p, err := starlark.Binary(syntax.STAR, xs[i], ws[i])
		if err != nil {
			return nil, err
		}
		f, err := toFloat(p)
		if err != nil {
			return nil, err
		}
		products = append(products, f)
	}
	num, err := fsum(products)
	if err != nil {
		return nil, err
	}
	if len(xs) != len(ws) {
		return nil, statisticsError("data and weights must be the same length")
	}
	wf := make([]float64, len(ws))
	for i, w := range ws {
		if wf[i], err = toFloat(w); err != nil {
			return nil, err
		}
	}
	den, err := fsum(wf)
	if err != nil {
		return nil, err
	}
	if den == 0 {
		return nil, statisticsError("sum of weights must be non-zero")
	}
	return starlark.Float(num / den), nil
}

// logOf is math.log of a number, with its domain error as ok false.
func logOf(v starlark.Value) (float64, bool, error) {
	if i, ok := v.(starlark.Int); ok {
		if i.Sign() <= 0 {
			return 0, false, nil
		}
		if x, err := toFloat(i); err == nil {
			return libm.Log(x), true, nil
		}
		m := new(big.Float).SetPrec(53).SetInt(i.BigInt())
		e := m.MantExp(m)
		mf, _ := m.Float64()
		return libm.Log(mf) + libm.Log(2)*float64(e), true, nil
	}
	x, err := toFloat(v)
	if err != nil {
		return 0, false, err
	}
	if x <= 0 || x != x {
		return 0, x != x, nil
	}
	return libm.Log(x), true, nil
}

// geometric_mean(data): exp(fmean(map(log, data))).
func geometricMean(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := positional("geometric_mean", []string{"data"}, args, kwargs); err != nil {
		return nil, err
	}
	var logs []float64
	err := each(thread, args[0], func(v starlark.Value) error {
		l, ok, err := logOf(v)
		if err != nil {
			return err
		}
		if !ok {
			return statisticsError("geometric mean requires a non-empty dataset containing positive numbers")
		}
		logs = append(logs, l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(logs) == 0 {
		return nil, statisticsError("geometric mean requires a non-empty dataset containing positive numbers")
	}
	total, err := fsum(logs)
	if err != nil {
		return nil, err
	}
	return starlark.Float(libm.Exp(total / float64(len(logs)))), nil
}

// isNegative reports whether the number x < 0, with Python's TypeError
// for what cannot be compared with 0.
func isNegative(x starlark.Value) (bool, error) {
	return starlark.Compare(syntax.LT, x, starlark.MakeInt(0))
}

// isZero reports whether the number x is 0.
func isZero(x starlark.Value) bool {
	eq, _ := starlark.Equal(x, starlark.MakeInt(0))
	return eq
}

// harmonic_mean(data, weights=None)
func harmonicMean(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data, weights starlark.Value = nil, starlark.None
	if err := py.UnpackArgs("harmonic_mean", args, kwargs, []string{"data", "weights?"}, &data, &weights); err != nil {
		return nil, err
	}
	const negative = "harmonic mean does not support negative values"
	xs, err := py.Elements(thread, data)
	if err != nil {
		return nil, err
	}
	n := len(xs)
	if n < 1 {
		return nil, statisticsError("harmonic_mean requires at least one data point")
	}
	if n == 1 && weights == starlark.None {
		switch xs[0].(type) {
		case starlark.Int, starlark.Float, starlark.Bool:
		default:
			return nil, py.Errorf(py.TypeError, "unsupported type")
		}
		if neg, err := isNegative(xs[0]); err != nil || neg {
			if err == nil {
				err = statisticsError(negative)
			}
			return nil, err
		}
		return xs[0], nil
	}
	meter := py.NewMeter(thread) // exact arithmetic on each element
	ws := make([]starlark.Value, n)
	sumWeights := new(big.Rat).SetInt64(int64(n))
	if weights == starlark.None {
		for i := range ws {
			ws[i] = starlark.MakeInt(1)
		}
	} else {
		if ws, err = py.Elements(thread, weights); err != nil {
			return nil, err
		}
		if len(ws) != n {
			return nil, statisticsError("Number of weights does not match data size")
		}
		s := &exactSum{}
		for _, w := range ws {
			if err := meter.Tick(); err != nil {
				return nil, err
			}
			if neg, err := isNegative(w); err != nil || neg {
				if err == nil {
					err = statisticsError(negative)
				}
				return nil, err
			}
			if err := s.add(w); err != nil {
				return nil, err
			}
		}
		sumWeights = &s.total
	}
	s := &exactSum{}
	for i, x := range xs {
		if err := meter.Tick(); err != nil {
			return nil, err
		}
		if neg, err := isNegative(x); err != nil || neg {
			if err == nil {
				err = statisticsError(negative)
			}
			return nil, err
		}
		term := starlark.Value(starlark.MakeInt(0))
		if !isZero(ws[i]) {
			if isZero(x) {
				return starlark.MakeInt(0), nil // ZeroDivisionError: CPython returns 0
			}
			if term, err = starlark.Binary(syntax.SLASH, ws[i], x); err != nil {
				return nil, err
			}
		}
		if err := s.add(term); err != nil {
			return nil, err
		}
	}
	if s.special == nil && s.total.Sign() <= 0 {
		return nil, statisticsError("Weighted sum must be positive")
	}
	if s.special != nil {
		f, _ := sumWeights.Float64()
		return starlark.Float(f) / s.special.(starlark.Float), nil
	}
	return convert(new(big.Rat).Quo(sumWeights, &s.total), s.isFloat)
}

// sorted returns the elements of data in ascending order, as sorted()
// compares them.
func sorted(thread *starlark.Thread, data starlark.Value) ([]starlark.Value, error) {
	xs, err := py.Elements(thread, data)
	if err != nil {
		return nil, err
	}
	var cmpErr error
	meter := py.NewMeter(thread) // a list as large as memory allows sorts for seconds
	sort.SliceStable(xs, func(i, j int) bool {
		if cmpErr != nil {
			return false // the sort ends soon, making no more comparisons
		}
		if cmpErr = meter.Tick(); cmpErr != nil {
			return false
		}
		less, err := starlark.Compare(syntax.LT, xs[i], xs[j])
		if err != nil {
			cmpErr = err
		}
		return less
	})
	return xs, cmpErr
}

// medianOf makes median (the middle element, or the mean of the two
// middle ones), median_low and median_high.
func medianOf(name string) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := positional(name, []string{"data"}, args, kwargs); err != nil {
			return nil, err
		}
		xs, err := sorted(thread, args[0])
		if err != nil {
			return nil, err
		}
		n := len(xs)
		switch {
		case n == 0:
			return nil, statisticsError("no median for empty data")
		case n%2 == 1 || name == "median_high":
			return xs[n/2], nil
		case name == "median_low":
			return xs[n/2-1], nil
		}
		sum, err := starlark.Binary(syntax.PLUS, xs[n/2-1], xs[n/2])
		if err != nil {
			return nil, err
		}
		return starlark.Binary(syntax.SLASH, sum, starlark.MakeInt(2))
	}
}

// median_grouped(data, interval=1.0): the median of grouped continuous
// data, by interpolation.
func medianGrouped(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data, interval starlark.Value = nil, starlark.Float(1)
	if err := py.UnpackArgs("median_grouped", args, kwargs, []string{"data", "interval?"}, &data, &interval); err != nil {
		return nil, err
	}
	xs, err := sorted(thread, data)
	if err != nil {
		return nil, err
	}
	n := len(xs)
	if n == 0 {
		return nil, statisticsError("no median for empty data")
	}
	x := xs[n/2]
	i := sort.Search(n, func(k int) bool { lt, _ := starlark.Compare(syntax.LT, xs[k], x); return !lt })
	j := sort.Search(n, func(k int) bool { gt, _ := starlark.Compare(syntax.GT, xs[k], x); return gt })
	width, err := toFloat(interval)
	if err != nil {
		return nil, py.Errorf(py.TypeError, "Value cannot be converted to a float")
	}
	xf, err := toFloat(x)
	if err != nil {
		return nil, py.Errorf(py.TypeError, "Value cannot be converted to a float")
	}
	lower := xf - width/2
	return starlark.Float(lower + float64(width*(float64(n)/2-float64(i)))/float64(j-i)), nil
}

// counts returns the elements of data with how often each occurs, in
// the order of their first occurrence.
func counts(thread *starlark.Thread, data starlark.Value) ([]starlark.Tuple, error) {
	d := starlark.NewDict(0)
	err := each(thread, data, func(v starlark.Value) error {
		n, found, err := d.Get(v)
		if err != nil {
			return err
		}
		c := 1
		if found {
			c = int(n.(starlark.Int).BigInt().Int64()) + 1
		}
		return d.SetKey(v, starlark.MakeInt(c))
	})
	return d.Items(), err
}

// mode(data): the most common element, the first of them on a tie.
func mode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := positional("mode", []string{"data"}, args, kwargs); err != nil {
		return nil, err
	}
	items, err := counts(thread, args[0])
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, statisticsError("no mode for empty data")
	}
	best := items[0]
	for _, kv := range items[1:] {
		if gt, _ := starlark.Compare(syntax.GT, kv[1], best[1]); gt {
			best = kv
		}
	}
	return best[0], nil
}

// multimode(data): the most common elements, in order of appearance.
func multimode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := positional("multimode", []string{"data"}, args, kwargs); err != nil {
		return nil, err
	}
	items, err := counts(thread, args[0])
	if err != nil {
		return nil, err
	}
	most := starlark.Value(starlark.MakeInt(0))
	for _, kv := range items {
		if gt, _ := starlark.Compare(syntax.GT, kv[1], most); gt {
			most = kv[1]
		}
	}
	var modes []starlark.Value
	for _, kv := range items {
		if eq, _ := starlark.Equal(kv[1], most); eq {
			modes = append(modes, kv[0])
		}
	}
	return starlark.NewList(modes), nil
}

// arith evaluates x op y with Python's operators.
func arith(op syntax.Token, x, y starlark.Value) (starlark.Value, error) {
	return starlark.Binary(op, x, y)
}

// interpolate is (a * (n - delta) + b * delta) / n.
func interpolate(a, b starlark.Value, n, delta int) (starlark.Value, error) {
	l, err := arith(syntax.STAR, a, starlark.MakeInt(n-delta))
	if err != nil {
		return nil, err
	}
	r, err := arith(syntax.STAR, b, starlark.MakeInt(delta))
	if err != nil {
		return nil, err
	}
	s, err := arith(syntax.PLUS, l, r)
	if err != nil {
		return nil, err
	}
	return arith(syntax.SLASH, s, starlark.MakeInt(n))
}

// quantiles(data, *, n=4, method='exclusive'): the n-1 cut points
// dividing the data into n intervals of equal probability.
func quantiles(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 1 {
		return nil, py.Errorf(py.TypeError, "quantiles() takes 1 positional argument but %d were given", len(args))
	}
	var data starlark.Value
	var nv, method starlark.Value = starlark.MakeInt(4), starlark.String("exclusive")
	if len(args) == 1 {
		data = args[0]
	}
	for _, kv := range kwargs {
		switch kv[0] {
		case starlark.String("n"):
			nv = kv[1]
		case starlark.String("method"):
			method = kv[1]
		case starlark.String("data"):
			data = kv[1]
		default:
			return nil, py.Errorf(py.TypeError, "quantiles() got an unexpected keyword argument '%s'", string(kv[0].(starlark.String)))
		}
	}
	if data == nil {
		return nil, py.Errorf(py.TypeError, "quantiles() missing 1 required positional argument: 'data'")
	}
	if lt, err := starlark.Compare(syntax.LT, nv, starlark.MakeInt(1)); err != nil {
		return nil, err
	} else if lt {
		return nil, statisticsError("n must be at least 1")
	}
	ni, ok := nv.(starlark.Int)
	if !ok {
		return nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(nv))
	}
	n64, ok := ni.Int64()
	if !ok || n64 > 1<<24 {
		return nil, py.Errorf(py.OverflowError, "n is too large")
	}
	n := int(n64)
	xs, err := sorted(thread, data)
	if err != nil {
		return nil, err
	}
	ld := len(xs)
	if ld < 2 {
		return nil, statisticsError("must have at least two data points")
	}
	result := make([]starlark.Value, 0, n-1)
	switch method {
	case starlark.String("inclusive"):
		m := ld - 1
		for i := 1; i < n; i++ {
			j, delta := i*m/n, i*m%n
			v, err := interpolate(xs[j], xs[j+1], n, delta)
			if err != nil {
				return nil, err
			}
			result = append(result, v)
		}
	case starlark.String("exclusive"):
		m := ld + 1
		for i := 1; i < n; i++ {
			j := min(max(i*m/n, 1), ld-1)
			delta := i*m - j*n
			v, err := interpolate(xs[j-1], xs[j], n, delta)
			if err != nil {
				return nil, err
			}
			result = append(result, v)
		}
	default:
		return nil, py.Errorf(py.ValueError, "Unknown method: %s", py.Repr(method))
	}
	return starlark.NewList(result), nil
}

// spread makes variance and stdev (ddof 1: sample) and pvariance and
// pstdev (ddof 0: population); center names their optional mean
// argument; root makes the standard deviations.
func spread(name, center string, ddof int, root bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var data, c starlark.Value = nil, starlark.None
		if err := pyArgs(name, []string{"data", center}, 1, args, kwargs, &data, &c); err != nil {
			return nil, err
		}
		ss, special, isFloat, n, err := squares(thread, data, c)
		if err != nil {
			return nil, err
		}
		if n < 1+ddof {
			what := "at least one data point"
			if ddof == 1 {
				what = "at least two data points"
			}
			return nil, statisticsError(name + " requires " + what)
		}
		if ss == nil { // from NaNs or infinities
			if root {
				return nil, py.Errorf(py.AttributeError, "'float' object has no attribute 'numerator'")
			}
			return special / starlark.Float(n-ddof), nil
		}
		mss := new(big.Rat).Quo(ss, big.NewRat(int64(n-ddof), 1))
		if root {
			return starlark.Float(sqrtOfFraction(mss.Num(), mss.Denom())), nil
		}
		return convert(mss, isFloat)
	}
}

// pyArgs binds the arguments of a function defined in Python (required
// positional parameters first), with Python's errors.
func pyArgs(fname string, params []string, required int, args starlark.Tuple, kwargs []starlark.Tuple, values ...*starlark.Value) error {
	if len(args) > len(params) {
		return py.Errorf(py.TypeError, "%s() takes from %d to %d positional arguments but %d were given", fname, required, len(params), len(args))
	}
	given := make([]bool, len(params))
	for i, v := range args {
		*values[i] = v
		given[i] = true
	}
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		i := -1
		for k, p := range params {
			if p == name {
				i = k
			}
		}
		if i < 0 {
			return py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, name)
		}
		if given[i] {
			return py.Errorf(py.TypeError, "%s() got multiple values for argument '%s'", fname, name)
		}
		*values[i] = kv[1]
		given[i] = true
	}
	for i := 0; i < required; i++ {
		if !given[i] {
			return py.Errorf(py.TypeError, "%s() missing 1 required positional argument: '%s'", fname, params[i])
		}
	}
	return nil
}

// squares is CPython's statistics._ss: the exact sum of squared
// deviations from the mean (or from c, when given: then each deviation
// is computed with Python's arithmetic, as CPython does), whether the
// result is a float, and the count; for data with NaNs or infinities,
// ss is nil and special is the (non-finite) result.
func squares(thread *starlark.Thread, data, c starlark.Value) (ss *big.Rat, special starlark.Float, isFloat bool, n int, err error) {
	if c != starlark.None {
		s := &exactSum{}
		err := each(thread, data, func(x starlark.Value) error {
			d, err := arith(syntax.MINUS, x, c)
			if err != nil {
				return err
			}
			dd, err := arith(syntax.STAR, d, d)
			if err != nil {
				return err
			}
			return s.add(dd)
		})
		if err != nil {
			return nil, 0, false, 0, err
		}
		if s.special != nil {
			return nil, s.special.(starlark.Float), true, s.count, nil
		}
		return &s.total, 0, s.isFloat, s.count, nil
	}
	sx, sxx := &exactSum{}, new(big.Rat)
	err = each(thread, data, func(x starlark.Value) error {
		if err := sx.add(x); err != nil {
			return err
		}
		var r *big.Rat
		switch x := x.(type) {
		case starlark.Int:
			r = new(big.Rat).SetInt(x.BigInt())
		case starlark.Bool:
			r = big.NewRat(int64(boolInt(x)), 1)
		case starlark.Float:
			if r = new(big.Rat).SetFloat64(float64(x)); r == nil {
				return nil
			}
		}
		sxx.Add(sxx, r.Mul(r, r))
		return nil
	})
	if err != nil {
		return nil, 0, false, 0, err
	}
	n = sx.count
	if n == 0 {
		return new(big.Rat), 0, sx.isFloat, 0, nil
	}
	if sx.special != nil {
		return nil, sx.special.(starlark.Float), true, n, nil
	}
	// ss = (n * sxx - sx * sx) / n
	count := big.NewRat(int64(n), 1)
	ss = new(big.Rat).Mul(count, sxx)
	ss.Sub(ss, new(big.Rat).Mul(&sx.total, &sx.total))
	return ss.Quo(ss, count), 0, sx.isFloat, n, nil
}

func boolInt(b starlark.Bool) int {
	if b {
		return 1
	}
	return 0
}

// sqrtOfFraction is the square root of n/m, correctly rounded, as
// CPython's statistics._float_sqrt_of_frac computes it: the integer
// square root of the fraction scaled to 109 significant bits, rounded
// to odd, then divided as a float.
func sqrtOfFraction(n, m *big.Int) float64 {
	const width = 2*53 + 3
	q := n.BitLen() - m.BitLen() - width
	q = floorDiv(q, 2)
	var num, den *big.Int
	if q >= 0 {
		num = sqrtRoundToOdd(n, new(big.Int).Lsh(m, uint(2*q)))
		num.Lsh(num, uint(q))
		den = big.NewInt(1)
	} else {
		num = sqrtRoundToOdd(new(big.Int).Lsh(n, uint(-2*q)), m)
		den = new(big.Int).Lsh(big.NewInt(1), uint(-q))
	}
	f, _ := new(big.Rat).SetFrac(num, den).Float64()
	return f
}

// floorDiv is Python's a // b.
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// sqrtRoundToOdd is isqrt(n // m), its lowest bit set when inexact.
func sqrtRoundToOdd(n, m *big.Int) *big.Int {
	a := new(big.Int).Sqrt(new(big.Int).Quo(n, m))
	check := new(big.Int).Mul(a, a)
	check.Mul(check, m)
	if check.Cmp(n) != 0 {
		a.SetBit(a, 0, 1)
	}
	return a
}

// bivariate makes covariance, correlation and linear_regression of two
// sequences of numbers of the same length.
func bivariate(name string) py.BuiltinFunc {
	what := map[string]string{"covariance": "covariance", "correlation": "correlation", "linear_regression": "linear regression"}[name]
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		proportional := false
		for _, kv := range kwargs {
			if name != "linear_regression" || kv[0] != starlark.String("proportional") {
				return nil, py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", name, string(kv[0].(starlark.String)))
			}
			proportional = bool(kv[1].Truth())
		}
		if len(args) != 2 {
			if len(args) < 2 {
				missing := []string{"'x' and 'y'", "'y'"}[len(args)]
				s := "s"
				if len(args) == 1 {
					s = ""
				}
				return nil, py.Errorf(py.TypeError, "%s() missing %d required positional argument%s: %s", name, 2-len(args), s, missing)
			}
			return nil, py.Errorf(py.TypeError, "%s() takes 2 positional arguments but %d were given", name, len(args))
		}
		for _, v := range args {
			if starlark.Len(v) < 0 {
				return nil, py.Errorf(py.TypeError, "object of type '%s' has no len()", py.TypeName(v))
			}
		}
		n := starlark.Len(args[0])
		if starlark.Len(args[1]) != n {
			return nil, statisticsError(what + " requires that both inputs have same number of data points")
		}
		if n < 2 {
			return nil, statisticsError(what + " requires at least two data points")
		}
		x, err := floats(thread, args[0])
		if err != nil {
			return nil, err
		}
		y, err := floats(thread, args[1])
		if err != nil {
			return nil, err
		}
		if name == "linear_regression" && proportional {
			sxy, err := fsum(products(x, y, 0, 0))
			if err != nil {
				return nil, err
			}
			sxx, err := fsum(products(x, x, 0, 0))
			if err != nil {
				return nil, err
			}
			if sxx == 0 {
				return nil, statisticsError("x is constant")
			}
			return linearRegressionType.Make(starlark.Float(sxy/sxx), starlark.Float(0)), nil
		}
		xsum, err := fsum(x)
		if err != nil {
			return nil, err
		}
		ysum, err := fsum(y)
		if err != nil {
			return nil, err
		}
		xbar, ybar := xsum/float64(n), ysum/float64(n)
		sxy, err := fsum(products(x, y, xbar, ybar))
		if err != nil {
			return nil, err
		}
		switch name {
		case "covariance":
			return starlark.Float(sxy / float64(n-1)), nil
		case "correlation":
			sxx, err := fsum(products(x, x, xbar, xbar))
			if err != nil {
				return nil, err
			}
			syy, err := fsum(products(y, y, ybar, ybar))
			if err != nil {
				return nil, err
			}
			d := gomath.Sqrt(float64(sxx * syy))
			if d == 0 {
				return nil, statisticsError("at least one of the inputs is constant")
			}
			return starlark.Float(sxy / d), nil
		}
		sxx, err := fsum(products(x, x, xbar, xbar))
		if err != nil {
			return nil, err
		}
		if sxx == 0 {
			return nil, statisticsError("x is constant")
		}
		slope := sxy / sxx
		return linearRegressionType.Make(starlark.Float(slope), starlark.Float(ybar-float64(slope*xbar))), nil
	}
}

// products returns (x[i] - xbar) * (y[i] - ybar), each rounded.
func products(x, y []float64, xbar, ybar float64) []float64 {
	p := make([]float64, len(x))
	for i := range x {
		p[i] = float64((x[i] - xbar) * (y[i] - ybar))
	}
	return p
}
