package libm

import (
	"errors"
	gomath "math"
)

// Errors of Sum, which CPython's math.fsum raises as OverflowError and
// ValueError.
var (
	ErrSumOverflow = errors.New("intermediate overflow in fsum")
	ErrInfMinusInf = errors.New("-inf + inf in fsum")
)

// Sum is CPython's math.fsum: the correctly rounded sum of floats, kept
// as Shewchuk's exact partial sums.
type Sum struct {
	partials        []float64
	special, infSum float64 // the sums of the NaNs and infinities added
}

// Add adds x; it fails when finite floats overflow on the way.
func (s *Sum) Add(x float64) error {
	xsave := x
	i := 0
	for _, y := range s.partials {
		if gomath.Abs(x) < gomath.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		lo := y - (hi - x)
		if lo != 0 {
			s.partials[i] = lo
			i++
		}
		x = hi
	}
	s.partials = s.partials[:i]
	if x == 0 {
		return nil
	}
	if gomath.IsInf(x, 0) || gomath.IsNaN(x) {
		// From an infinity or NaN added, or from an overflow.
		if !gomath.IsInf(xsave, 0) && !gomath.IsNaN(xsave) {
			return ErrSumOverflow
		}
		if gomath.IsInf(xsave, 0) {
			s.infSum += xsave
		}
		s.special += xsave
		s.partials = s.partials[:0]
		return nil
	}
	s.partials = append(s.partials, x)
	return nil
}

// Result returns the sum, rounded once.
func (s *Sum) Result() (float64, error) {
	if s.special != 0 {
		if gomath.IsNaN(s.infSum) {
			return 0, ErrInfMinusInf
		}
		return s.special, nil
	}
	p := s.partials
	n := len(p)
	if n == 0 {
		return 0, nil
	}
	n--
	hi, lo := p[n], 0.0
	// Sum from the top, stopping when the sum becomes inexact.
	for n > 0 {
		x := hi
		n--
		y := p[n]
		hi = x + y
		lo = y - (hi - x)
		if lo != 0 {
			break
		}
	}
	// Round half to even across several partials.
	if n > 0 && (lo < 0 && p[n-1] < 0 || lo > 0 && p[n-1] > 0) {
		y := lo * 2
		x := hi + y
		if y == x-hi {
			hi = x
		}
	}
	return hi, nil
}

// Norm is the Euclidean norm of v as CPython's math.hypot computes it:
// scaled by a power of two, the squares summed with their rounding
// errors kept, the square root corrected once, so that the result is
// correctly rounded nearly always. An infinity wins over a NaN. It
// overwrites v.
func Norm(v []float64) float64 {
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
