package math

import (
	gomath "math"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins"
)

// fsum(iterable) is the correctly rounded sum of the floats, by
// Shewchuk's exact partial sums as CPython computes it (with its
// errors for overflow and for inf + -inf).
func fsum(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := builtins.OneArg("math.fsum", args, kwargs)
	if err != nil {
		return nil, err
	}
	src, err := builtins.Iterate(thread, v)
	if err != nil {
		return nil, err
	}
	var partials []float64
	special, infSum := 0.0, 0.0
	for {
		item, ok, err := src.Next(thread)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		x, err := real(item)
		if err != nil {
			return nil, err
		}
		xsave := x
		i := 0
		for _, y := range partials {
			if gomath.Abs(x) < gomath.Abs(y) {
				x, y = y, x
			}
			hi := x + y
			lo := y - (hi - x)
			if lo != 0 {
				partials[i] = lo
				i++
			}
			x = hi
		}
		partials = partials[:i]
		if x == 0 {
			continue
		}
		if gomath.IsInf(x, 0) || gomath.IsNaN(x) {
			// From an infinity or NaN among the elements, or from an
			// overflow of finite ones.
			if !gomath.IsInf(xsave, 0) && !gomath.IsNaN(xsave) {
				return nil, builtins.Errorf(builtins.OverflowError, "intermediate overflow in fsum")
			}
			if gomath.IsInf(xsave, 0) {
				infSum += xsave
			}
			special += xsave
			partials = partials[:0]
			continue
		}
		partials = append(partials, x)
	}
	if special != 0 {
		if gomath.IsNaN(infSum) {
			return nil, builtins.Errorf(builtins.ValueError, "-inf + inf in fsum")
		}
		return starlark.Float(special), nil
	}
	hi := 0.0
	if n := len(partials); n > 0 {
		n--
		hi = partials[n]
		lo := 0.0
		// Sum from the top, stopping when the sum becomes inexact.
		for n > 0 {
			x := hi
			n--
			y := partials[n]
			hi = x + y
			lo = y - (hi - x)
			if lo != 0 {
				break
			}
		}
		// Round half to even across several partials.
		if n > 0 && (lo < 0 && partials[n-1] < 0 || lo > 0 && partials[n-1] > 0) {
			y := lo * 2
			x := hi + y
			if y == x-hi {
				hi = x
			}
		}
	}
	return starlark.Float(hi), nil
}

// norm is the Euclidean norm of v as CPython's vector_norm computes it:
// scaled by a power of two, the squares summed with their rounding
// errors kept, the square root corrected once, so that the result is
// correctly rounded nearly always. An infinity wins over a NaN.
func norm(v []float64) float64 {
	maxAbs, nan := 0.0, false
	for i, x := range v {
		x = gomath.Abs(x)
		v[i] = x
		if gomath.IsNaN(x) {
			nan = true
		} else if x > maxAbs {
			maxAbs = x
		}
	}
	return vectorNorm(v, maxAbs, nan)
}

func vectorNorm(v []float64, maxAbs float64, nan bool) float64 {
	switch {
	case gomath.IsInf(maxAbs, 1):
		return maxAbs
	case nan:
		return gomath.NaN()
	case maxAbs == 0 || len(v) <= 1:
		return maxAbs
	}
	_, maxE := gomath.Frexp(maxAbs)
	if maxE < -1023 {
		// Scaling by 2**-maxE would overflow: make the subnormals normal.
		for i := range v {
			v[i] /= 0x1p-1022
		}
		return 0x1p-1022 * vectorNorm(v, maxAbs/0x1p-1022, nan)
	}
	scale := gomath.Ldexp(1, -maxE)
	csum, frac1, frac2 := 1.0, 0.0, 0.0
	for _, x := range v {
		x *= scale // exact
		hi, lo := mul12(x, x)
		sum, err := fastSum(csum, hi)
		csum = sum
		frac1 += lo
		frac2 += err
	}
	h := gomath.Sqrt(csum - 1 + (frac1 + frac2))
	hi, lo := mul12(-h, h)
	sum, err := fastSum(csum, hi)
	csum = sum
	frac1 += lo
	frac2 += err
	x := csum - 1 + (frac1 + frac2)
	h += x / (2 * h) // the correction
	return h / scale
}

// mul12 returns x*y as an exact sum hi + lo.
func mul12(x, y float64) (hi, lo float64) {
	hi = x * y
	return hi, gomath.FMA(x, y, -hi)
}

// fastSum returns a+b as an exact sum hi + lo, for |a| >= |b|.
func fastSum(a, b float64) (hi, lo float64) {
	hi = a + b
	return hi, float64(a-hi) + b
}
