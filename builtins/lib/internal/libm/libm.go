// Package libm computes floats as CPython's math module does on glibc,
// for the standard modules that print them (math, statistics). glibc's
// exp, log, log2, exp2, pow, sin, cos, tan, asin, acos, atan and atan2
// give the float nearest to the exact result (all but a handful of
// inputs in a million), where Go's math package may be one unit in the
// last place off (for a third of the inputs of some functions), which
// shows in repr(). Those functions here round the exact result once:
// evaluated in double-double arithmetic with an error bound (fast.go),
// or, when the bound leaves the rounding open, to 160 bits with
// math/big. log10, cbrt and the hyperbolic functions follow glibc's
// algorithms over them; Sum and Norm follow CPython's.
package libm

import (
	gomath "math"
	"math/big"
	"sync"
)

// prec is the working precision, in bits: far beyond float64's 53, so
// that rounding the result to 53 bits is wrong only for inputs within
// 2**-100 of a rounding boundary.
const prec = 160

func newFloat() *big.Float { return new(big.Float).SetPrec(prec) }

func bigOf(x float64) *big.Float { return newFloat().SetFloat64(x) }

func toFloat64(x *big.Float) float64 {
	f, _ := x.Float64()
	return f
}

// constants holds pi and ln 2 to piPrec bits, computed once.
var constants struct {
	once     sync.Once
	pi, ln2  *big.Float
	halfPi   *big.Float
	twoOverP *big.Float // 2/pi
}

// piPrec covers the argument reduction of the largest float (2**1024),
// which loses 1024 bits.
const piPrec = 1024 + 53 + prec + 64

func initConstants() {
	constants.once.Do(func() {
		// pi = 16 Atan(1/5) - 4 Atan(1/239) (Machin).
		p := atanInverse(5, piPrec)
		p.Mul(p, new(big.Float).SetPrec(piPrec).SetInt64(16))
		q := atanInverse(239, piPrec)
		q.Mul(q, new(big.Float).SetPrec(piPrec).SetInt64(4))
		constants.pi = p.Sub(p, q)
		constants.halfPi = new(big.Float).SetPrec(piPrec).Quo(constants.pi, new(big.Float).SetPrec(piPrec).SetInt64(2))
		constants.twoOverP = new(big.Float).SetPrec(piPrec).Quo(new(big.Float).SetPrec(piPrec).SetInt64(2), constants.pi)
		// ln 2 = 2 Atanh(1/3).
		constants.ln2 = atanhSeries(new(big.Float).SetPrec(piPrec).Quo(big.NewFloat(1).SetPrec(piPrec), new(big.Float).SetPrec(piPrec).SetInt64(3)), piPrec)
		constants.ln2.Mul(constants.ln2, new(big.Float).SetPrec(piPrec).SetInt64(2))
	})
}

// atanInverse is Atan(1/n) to p bits: the sum of (-1)**k / ((2k+1) n**(2k+1)).
func atanInverse(n int64, p uint) *big.Float {
	sum := new(big.Float).SetPrec(p)
	power := new(big.Float).SetPrec(p).Quo(big.NewFloat(1).SetPrec(p), new(big.Float).SetPrec(p).SetInt64(n))
	nn := new(big.Float).SetPrec(p).SetInt64(n * n)
	term := new(big.Float).SetPrec(p)
	eps := new(big.Float).SetPrec(p).SetMantExp(big.NewFloat(1), -int(p)-8)
	for k := int64(0); ; k++ {
		term.Quo(power, new(big.Float).SetPrec(p).SetInt64(2*k+1))
		if k%2 == 0 {
			sum.Add(sum, term)
		} else {
			sum.Sub(sum, term)
		}
		if term.Cmp(eps) < 0 {
			return sum
		}
		power.Quo(power, nn)
	}
}

// atanhSeries is Atanh(z) for small |z|: the sum of z**(2k+1) / (2k+1).
func atanhSeries(z *big.Float, p uint) *big.Float {
	sum := new(big.Float).SetPrec(p).Set(z)
	z2 := new(big.Float).SetPrec(p).Mul(z, z)
	power := new(big.Float).SetPrec(p).Set(z)
	term := new(big.Float).SetPrec(p)
	for k := int64(1); ; k++ {
		power.Mul(power, z2)
		term.Quo(power, new(big.Float).SetPrec(p).SetInt64(2*k+1))
		if term.Sign() == 0 || term.MantExp(nil)-sum.MantExp(nil) < -int(p)-8 {
			return sum
		}
		sum.Add(sum, term)
	}
}

// bigExp is e**x for |x| < 2**20.
func bigExp(x *big.Float) *big.Float {
	initConstants()
	// x = k ln2 + r, |r| <= ln2/2; e**x = 2**k (e**(r/2**10))**(2**10).
	kf := newFloat().Quo(x, constants.ln2)
	k, _ := kf.Float64()
	k = gomath.Round(k)
	r := newFloat().Mul(newFloat().SetFloat64(k), constants.ln2)
	r.Sub(x, r)
	const squarings = 10
	r.SetMantExp(r, -squarings)
	sum := newFloat().SetInt64(1)
	term := newFloat().SetInt64(1)
	for n := int64(1); ; n++ {
		term.Mul(term, r)
		term.Quo(term, newFloat().SetInt64(n))
		if term.Sign() == 0 || term.MantExp(nil) < -prec-8 {
			break
		}
		sum.Add(sum, term)
	}
	for range squarings {
		sum.Mul(sum, sum)
	}
	return sum.SetMantExp(sum, int(k))
}

// bigLog is the natural log of x > 0: with x = m 2**e, m in
// [sqrt(1/2), sqrt(2)), log x = e ln2 + 2 Atanh((m-1)/(m+1)).
func bigLog(x *big.Float) *big.Float {
	initConstants()
	m := newFloat()
	e := x.MantExp(m) // m in [0.5, 1)
	if m.Cmp(big.NewFloat(gomath.Sqrt2/2)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	num := newFloat().Sub(m, big.NewFloat(1))
	den := newFloat().Add(m, big.NewFloat(1))
	z := atanhSeries(num.Quo(num, den), prec)
	z.Mul(z, big.NewFloat(2))
	return z.Add(z, newFloat().Mul(newFloat().SetInt64(int64(e)), constants.ln2))
}

// expOverflow and expUnderflow bound the x whose e**x is a finite,
// nonzero float.
const (
	expOverflow  = 709.8
	expUnderflow = -745.2
)

// Exp is e**x, correctly rounded.
func Exp(x float64) float64 {
	switch {
	case gomath.IsNaN(x) || x == 0:
		return gomath.Exp(x)
	case x > expOverflow:
		return gomath.Inf(1)
	case x < expUnderflow:
		return 0
	}
	if r, ok := fastExp(x); ok {
		return r
	}
	return toFloat64(bigExp(bigOf(x)))
}

// Exp2 is 2**x, correctly rounded.
func Exp2(x float64) float64 {
	switch {
	case gomath.IsNaN(x) || gomath.IsInf(x, 0):
		return gomath.Exp2(x)
	case x > 1025:
		return gomath.Inf(1)
	case x < -1076:
		return 0
	case x == gomath.Trunc(x):
		return gomath.Ldexp(1, int(x))
	}
	if r, ok := fastExp2(x); ok {
		return r
	}
	initConstants()
	return toFloat64(bigExp(newFloat().Mul(bigOf(x), constants.ln2)))
}

// Log is the natural logarithm, correctly rounded; NaN or -Inf (for 0)
// outside its domain.
func Log(x float64) float64 {
	if x <= 0 || gomath.IsNaN(x) || gomath.IsInf(x, 1) || x == 1 {
		return gomath.Log(x)
	}
	if r, ok := fastLog(x); ok {
		return r
	}
	return toFloat64(bigLog(bigOf(x)))
}

// Log2 is the base-2 logarithm, correctly rounded (exact for powers of
// two).
func Log2(x float64) float64 {
	if x <= 0 || gomath.IsNaN(x) || gomath.IsInf(x, 1) {
		return gomath.Log2(x)
	}
	if m, e := gomath.Frexp(x); m == 0.5 {
		return float64(e - 1)
	}
	if r, ok := fastLog2(x); ok {
		return r
	}
	l := bigLog(bigOf(x))
	return toFloat64(l.Quo(l, constants.ln2))
}

// Log10 is glibc's log10 (from fdlibm): n Log10(2) split in two parts,
// plus Log(m)/ln(10), over the correctly rounded log.
func Log10(x float64) float64 {
	if x <= 0 || gomath.IsNaN(x) || gomath.IsInf(x, 1) {
		return gomath.Log10(x)
	}
	const (
		ivln10   = 4.34294481903251816668e-01
		log102hi = 3.01029995663611771306e-01
		log102lo = 3.69423907715893078616e-13
	)
	bits := gomath.Float64bits(x)
	k := 0
	if bits < 0x0010000000000000 { // subnormal: scale up
		x *= 1 << 54
		k = -54
		bits = gomath.Float64bits(x)
	}
	hx := int32(bits >> 32)
	k += int(hx>>20) - 1023
	i := 0
	if k < 0 {
		i = 1
	}
	hx = hx&0x000fffff | int32(0x3ff-i)<<20
	y := float64(k + i)
	x = gomath.Float64frombits(uint64(uint32(hx))<<32 | bits&0xffffffff)
	z := float64(y*log102lo) + float64(ivln10*Log(x))
	return z + float64(y*log102hi)
}

// Pow is x**y as C's pow: special cases by C99 (which Go's math.Pow
// follows), the rest correctly rounded.
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case gomath.IsNaN(x) || gomath.IsNaN(y) || gomath.IsInf(x, 0) || gomath.IsInf(y, 0) || x == 0:
		return gomath.Pow(x, y)
	case y == 1:
		return x
	}
	negative := false
	if x < 0 {
		if y != gomath.Trunc(y) {
			return gomath.NaN()
		}
		negative = gomath.Mod(y, 2) != 0
		x = -x
	}
	r, ok := fastPow(x, y)
	if ok {
		if negative {
			return -r
		}
		return r
	}
	l := bigLog(bigOf(x))
	l.Mul(l, bigOf(y))
	switch lf, _ := l.Float64(); {
	case lf > expOverflow:
		r = gomath.Inf(1)
	case lf < expUnderflow:
		r = 0
	default:
		r = toFloat64(bigExp(l))
	}
	if negative {
		return -r
	}
	return r
}

// reduce returns r = x - q pi/2 with |r| <= pi/4, and q mod 4.
func reduce(x float64) (*big.Float, int) {
	initConstants()
	_, e := gomath.Frexp(x)
	p := uint(prec + 64)
	if e > 0 {
		p += uint(e)
	}
	bx := new(big.Float).SetPrec(p).SetFloat64(x)
	qf := new(big.Float).SetPrec(p).Mul(bx, constants.twoOverP)
	qi, _ := qf.Int(nil)
	// Round to the nearest integer.
	frac := new(big.Float).SetPrec(p).Sub(qf, new(big.Float).SetPrec(p).SetInt(qi))
	if frac.Cmp(big.NewFloat(0.5)) > 0 {
		qi.Add(qi, big.NewInt(1))
	} else if frac.Cmp(big.NewFloat(-0.5)) < 0 {
		qi.Sub(qi, big.NewInt(1))
	}
	r := new(big.Float).SetPrec(p).Mul(new(big.Float).SetPrec(p).SetInt(qi), constants.halfPi)
	r.Sub(bx, r)
	q := int(new(big.Int).And(qi, big.NewInt(3)).Int64())
	return newFloat().Set(r), q
}

// sinCos returns sin r and cos r for |r| <= pi/4, by their Taylor series.
func sinCos(r *big.Float) (sin, cos *big.Float) {
	r2 := newFloat().Mul(r, r)
	sin, cos = newFloat().Set(r), newFloat().SetInt64(1)
	st, ct := newFloat().Set(r), newFloat().SetInt64(1)
	for n := int64(1); ; n++ {
		st.Mul(st, r2)
		st.Quo(st, newFloat().SetInt64(-(2*n)*(2*n+1)))
		ct.Mul(ct, r2)
		ct.Quo(ct, newFloat().SetInt64(-(2*n-1)*(2*n)))
		done := (st.Sign() == 0 || st.MantExp(nil) < -prec-8) && (ct.Sign() == 0 || ct.MantExp(nil) < -prec-8)
		sin.Add(sin, st)
		cos.Add(cos, ct)
		if done {
			return sin, cos
		}
	}
}

// trig returns sin x, cos x and tan x (as exact as reduce allows), for a
// finite nonzero x.
func trig(x float64) (sin, cos *big.Float) {
	r, q := reduce(x)
	s, c := sinCos(r)
	switch q {
	case 1:
		s, c = c, s.Neg(s)
	case 2:
		s, c = s.Neg(s), c.Neg(c)
	case 3:
		s, c = c.Neg(c), s
	}
	return s, c
}

// Sin is C's sin as glibc computes it (see the package comment).
func Sin(x float64) float64 {
	if x == 0 || gomath.IsNaN(x) || gomath.IsInf(x, 0) {
		return gomath.Sin(x)
	}
	if r, ok := fastTrig(x, 0); ok {
		return r
	}
	s, _ := trig(x)
	return toFloat64(s)
}

// Cos is C's cos as glibc computes it (see the package comment).
func Cos(x float64) float64 {
	if gomath.IsNaN(x) || gomath.IsInf(x, 0) {
		return gomath.Cos(x)
	}
	if r, ok := fastTrig(x, 1); ok {
		return r
	}
	_, c := trig(x)
	return toFloat64(c)
}

// Tan is C's tan as glibc computes it (see the package comment).
func Tan(x float64) float64 {
	if x == 0 || gomath.IsNaN(x) || gomath.IsInf(x, 0) {
		return gomath.Tan(x)
	}
	if r, ok := fastTrig(x, 2); ok {
		return r
	}
	s, c := trig(x)
	return toFloat64(s.Quo(s, c))
}

// bigAtan is atan x: Atan(x) = pi/2 - Atan(1/x) for |x| > 1, then
// Atan(x) = 2 Atan(x / (1 + sqrt(1 + x**2))) three times, then its
// Taylor series.
func bigAtan(x *big.Float) *big.Float {
	initConstants()
	neg := x.Sign() < 0
	a := newFloat().Abs(x)
	inverted := a.Cmp(big.NewFloat(1)) > 0
	if inverted {
		a.Quo(big.NewFloat(1), a)
	}
	const halvings = 3
	for range halvings {
		s := newFloat().Mul(a, a)
		s.Add(s, big.NewFloat(1))
		s.Sqrt(s)
		s.Add(s, big.NewFloat(1))
		a.Quo(a, s)
	}
	a2 := newFloat().Mul(a, a)
	sum := newFloat().Set(a)
	power := newFloat().Set(a)
	for k := int64(1); ; k++ {
		power.Mul(power, a2)
		power.Neg(power)
		term := newFloat().Quo(power, newFloat().SetInt64(2*k+1))
		if term.Sign() == 0 || term.MantExp(nil)-sum.MantExp(nil) < -prec-8 {
			break
		}
		sum.Add(sum, term)
	}
	sum.SetMantExp(sum, halvings)
	if inverted {
		sum.Sub(newFloat().Set(constants.halfPi), sum)
	}
	if neg {
		sum.Neg(sum)
	}
	return sum
}

// Atan is C's atan as glibc computes it (see the package comment).
func Atan(x float64) float64 {
	if x == 0 || gomath.IsNaN(x) || gomath.IsInf(x, 0) {
		return gomath.Atan(x)
	}
	if r, ok := fastAtan(x); ok {
		return r
	}
	return toFloat64(bigAtan(bigOf(x)))
}

// Atan2 is the angle of (x, y): C99's special cases (zeros, infinities,
// NaNs) as Go's math.Atan2 gives them, the rest correctly rounded.
func Atan2(y, x float64) float64 {
	if y == 0 || x == 0 || gomath.IsNaN(x) || gomath.IsNaN(y) || gomath.IsInf(x, 0) || gomath.IsInf(y, 0) {
		return gomath.Atan2(y, x)
	}
	if r, ok := fastAtan2(y, x); ok {
		return r
	}
	initConstants()
	a := bigAtan(newFloat().Quo(bigOf(gomath.Abs(y)), bigOf(gomath.Abs(x))))
	if x < 0 {
		a.Sub(newFloat().Set(constants.pi), a)
	}
	if y < 0 {
		a.Neg(a)
	}
	return toFloat64(a)
}

// Asin is Atan(x / sqrt(1 - x**2)); NaN outside [-1, 1].
func Asin(x float64) float64 {
	if x == 0 || gomath.IsNaN(x) || gomath.Abs(x) > 1 {
		return gomath.Asin(x)
	}
	initConstants()
	if gomath.Abs(x) == 1 {
		return gomath.Copysign(toFloat64(constants.halfPi), x)
	}
	if r, ok := fastAsin(x); ok {
		return r
	}
	bx := bigOf(x)
	d := newFloat().Mul(bx, bx)
	d.Sub(big.NewFloat(1), d)
	d.Sqrt(d)
	return toFloat64(bigAtan(bx.Quo(bx, d)))
}

// Acos is 2 Atan(sqrt((1 - x) / (1 + x))); NaN outside [-1, 1].
func Acos(x float64) float64 {
	if gomath.IsNaN(x) || gomath.Abs(x) > 1 {
		return gomath.Acos(x)
	}
	initConstants()
	if x == -1 {
		return toFloat64(constants.pi)
	}
	if r, ok := fastAcos(x); ok {
		return r
	}
	bx := bigOf(x)
	num := newFloat().Sub(big.NewFloat(1), bx)
	num.Quo(num, newFloat().Add(big.NewFloat(1), bx))
	a := bigAtan(num.Sqrt(num))
	return toFloat64(a.SetMantExp(a, 1))
}

// The hyperbolic functions are glibc's (fdlibm's), over the correctly
// rounded exp and log and Go's expm1 and log1p (which are fdlibm's too).
// float64(x*y) keeps a product from being fused with an addition, which
// C does not do either.

// highWord is the sign, exponent and top 20 bits of the mantissa of x,
// which fdlibm compares with its thresholds.
func highWord(x float64) uint32 { return uint32(gomath.Float64bits(x) >> 32) }

// overflowThreshold is the largest x whose cosh and sinh are finite.
const overflowThreshold = 710.4758600739439

// Sinh is C's sinh as glibc computes it (see the package comment).
func Sinh(x float64) float64 {
	if gomath.IsNaN(x) || gomath.IsInf(x, 0) {
		return x
	}
	h := 0.5
	if x < 0 {
		h = -0.5
	}
	a := gomath.Abs(x)
	switch ix := highWord(a); {
	case ix < 0x40360000: // |x| < 22
		if ix < 0x3e300000 { // |x| < 2**-28
			return x
		}
		t := gomath.Expm1(a)
		if ix < 0x3ff00000 {
			return h * (2*t - float64(t*t)/(t+1))
		}
		return h * (t + t/(t+1))
	case ix < 0x40862e42: // Log(MaxFloat64)
		return h * Exp(a)
	case a <= overflowThreshold:
		w := Exp(0.5 * a)
		t := h * w
		return t * w
	}
	return gomath.Copysign(gomath.Inf(1), x)
}

// Cosh is C's cosh as glibc computes it (see the package comment).
func Cosh(x float64) float64 {
	if gomath.IsNaN(x) {
		return x
	}
	a := gomath.Abs(x)
	switch ix := highWord(a); {
	case ix < 0x3c800000: // |x| < 2**-55
		return 1
	case ix < 0x3fd62e43: // |x| < ln2/2
		t := gomath.Expm1(a)
		w := 1 + t
		return 1 + float64(t*t)/(w+w)
	case ix < 0x40360000: // |x| < 22
		t := Exp(a)
		return 0.5*t + 0.5/t
	case ix < 0x40862e42:
		return 0.5 * Exp(a)
	case a <= overflowThreshold:
		w := Exp(0.5 * a)
		t := 0.5 * w
		return t * w
	}
	return gomath.Inf(1)
}

// Tanh is C's tanh as glibc computes it (see the package comment).
func Tanh(x float64) float64 {
	if gomath.IsNaN(x) {
		return x
	}
	a := gomath.Abs(x)
	var z float64
	switch ix := highWord(a); {
	case ix < 0x3c800000: // |x| < 2**-55
		return x * (1 + x)
	case ix < 0x40360000: // |x| < 22
		if ix >= 0x3ff00000 {
			t := gomath.Expm1(2 * a)
			z = 1 - 2/(t+2)
		} else {
			t := gomath.Expm1(-2 * a)
			z = -t / (t + 2)
		}
	default:
		z = 1
	}
	if x < 0 {
		return -z
	}
	return z
}

// Asinh is C's asinh as glibc computes it (see the package comment).
func Asinh(x float64) float64 {
	if gomath.IsNaN(x) || gomath.IsInf(x, 0) {
		return x
	}
	a := gomath.Abs(x)
	var w float64
	switch ix := highWord(a); {
	case ix < 0x3e300000: // |x| < 2**-28
		return x
	case ix > 0x41b00000: // |x| > 2**28
		w = Log(a) + gomath.Ln2
	case ix > 0x40000000: // |x| > 2
		w = Log(2*a + 1/(gomath.Sqrt(float64(x*x)+1)+a))
	default:
		t := float64(x * x)
		w = gomath.Log1p(a + t/(1+gomath.Sqrt(1+t)))
	}
	if x < 0 {
		return -w
	}
	return w
}

// Acosh is C's acosh as glibc computes it (see the package comment).
func Acosh(x float64) float64 {
	switch hx := highWord(x); {
	case gomath.IsNaN(x) || x < 1:
		return gomath.NaN()
	case hx >= 0x41b00000: // x >= 2**28
		if gomath.IsInf(x, 1) {
			return x
		}
		return Log(x) + gomath.Ln2
	case x == 1:
		return 0
	case hx > 0x40000000: // x > 2
		t := float64(x * x)
		return Log(2*x - 1/(x+gomath.Sqrt(t-1)))
	}
	t := x - 1
	return gomath.Log1p(t + gomath.Sqrt(2*t+float64(t*t)))
}

// Atanh is C's atanh as glibc computes it (see the package comment).
func Atanh(x float64) float64 {
	a := gomath.Abs(x)
	switch {
	case gomath.IsNaN(x) || a > 1:
		return gomath.NaN()
	case a == 1:
		return gomath.Copysign(gomath.Inf(1), x)
	case a < 0x1p-28:
		return x
	}
	var t float64
	if a < 0.5 {
		t = a + a
		t = 0.5 * gomath.Log1p(t+t*a/(1-a))
	} else {
		t = 0.5 * gomath.Log1p((a+a)/(1-a))
	}
	if x < 0 {
		return -t
	}
	return t
}

// Cbrt is glibc's cube root, which is not always correctly rounded
// (Cbrt(27) is 3.0000000000000004): a polynomial first guess for the
// mantissa, one rational correction, and the exponent divided by 3.
func Cbrt(x float64) float64 {
	xm, xe := gomath.Frexp(gomath.Abs(x))
	if x == 0 || gomath.IsNaN(x) || gomath.IsInf(x, 0) {
		return x + x
	}
	// Variables, not constants: C divides the rounded doubles, where Go
	// would divide the exact constants.
	cbrt2, sqrCbrt2 := 1.2599210498948731648, 1.5874010519681994748 // 2**(1/3), 2**(2/3)
	factor := [5]float64{1 / sqrCbrt2, 1 / cbrt2, 1, cbrt2, sqrCbrt2}
	// Horner's scheme, each product rounded (float64(...) keeps the
	// compiler from fusing a multiply and add, as C's does not here).
	u := 0.784932344976639262 - float64(0.145263899385486377*xm)
	for _, c := range []float64{-1.83469277483613086, 2.44693122563534430, -2.11499494167371287, 1.50819193781584896, 0.354895765043919860} {
		u = c + float64(u*xm)
	}
	t2 := float64(u*u) * u
	ym := float64(float64(u*float64(t2+2*xm))/float64(2*t2+xm)) * factor[2+xe%3]
	if x < 0 {
		ym = -ym
	}
	return gomath.Ldexp(ym, xe/3)
}
