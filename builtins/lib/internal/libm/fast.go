package libm

import (
	gomath "math"
	"math/big"
	"sync"
)

// The fast path: the functions are first evaluated in double-double
// arithmetic (a float64 pair, 106 bits), with a bound on the error.
// When the whole interval the bound allows rounds to one float, that
// float is the correctly rounded result (Ziv's test); only otherwise,
// for about one input in 2**30, is the result computed again with
// math/big. A call costs a few hundred nanoseconds instead of tens of
// microseconds.

// dd is the unevaluated sum hi + lo, |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

// twoSum returns a+b as an exact sum.
func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

// fastTwoSum returns a+b as an exact sum, for |a| >= |b|.
func fastTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func (x dd) add(y dd) dd {
	s := twoSum(x.hi, y.hi)
	t := twoSum(x.lo, y.lo)
	s.lo += t.hi
	s = fastTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return fastTwoSum(s.hi, s.lo)
}

func (x dd) addFloat(y float64) dd {
	s := twoSum(x.hi, y)
	s.lo += x.lo
	return fastTwoSum(s.hi, s.lo)
}

func (x dd) mul(y dd) dd {
	p := x.hi * y.hi
	e := gomath.FMA(x.hi, y.hi, -p)
	e += x.hi*y.lo + x.lo*y.hi
	return fastTwoSum(p, e)
}

func (x dd) mulFloat(y float64) dd {
	p := x.hi * y
	e := gomath.FMA(x.hi, y, -p)
	e += x.lo * y
	return fastTwoSum(p, e)
}

func (x dd) neg() dd { return dd{-x.hi, -x.lo} }

// scale multiplies x by 2**k, exactly while x stays normal.
func (x dd) scale(k int) dd { return dd{gomath.Ldexp(x.hi, k), gomath.Ldexp(x.lo, k)} }

// ddOf rounds a big.Float to a double-double.
func ddOf(x *big.Float) dd {
	hi, _ := x.Float64()
	lo, _ := new(big.Float).SetPrec(x.Prec()).Sub(x, big.NewFloat(hi)).Float64()
	return dd{hi, lo}
}

// rounded applies Ziv's test to x, whose relative error is at most
// relErr: it returns the float nearest to the exact result, and false
// when the error bound leaves two floats possible.
func rounded(x dd, relErr float64) (float64, bool) {
	e := gomath.Abs(x.hi) * relErr
	up, down := x.hi+(x.lo+e), x.hi+(x.lo-e)
	return up, up == down
}

// Constants of the fast path, from the 160-bit ones, computed on first
// use (a few milliseconds, which scripts without math do not pay).
var (
	fastOnce                              sync.Once
	ddLn2, ddInvLn2, ddHalfPi, ddPiHalfLo dd
	invFactorials                         [28]dd // 1/n!
	atanTable, inverses                   [30]dd // atan(j/8) for j <= 8; 1/n
)

func initFast() {
	fastOnce.Do(computeFast)
}

func computeFast() {
	initConstants()
	ddLn2 = ddOf(constants.ln2)
	ddInvLn2 = ddOf(newFloat().Quo(big.NewFloat(1), constants.ln2))
	ddHalfPi = ddOf(constants.halfPi)
	// The part of pi/2 beyond ddHalfPi, for argument reduction.
	rest := new(big.Float).SetPrec(piPrec).Sub(constants.halfPi, big.NewFloat(ddHalfPi.hi))
	rest.Sub(rest, big.NewFloat(ddHalfPi.lo))
	ddPiHalfLo = ddOf(rest)
	f := newFloat().SetInt64(1)
	for n := range invFactorials {
		if n > 0 {
			f.Quo(f, newFloat().SetInt64(int64(n)))
		}
		invFactorials[n] = ddOf(f)
	}
	for j := 0; j <= 8; j++ {
		atanTable[j] = ddOf(bigAtan(newFloat().Quo(big.NewFloat(float64(j)), big.NewFloat(8))))
	}
	for n := 1; n < len(inverses); n++ {
		inverses[n] = ddOf(newFloat().Quo(big.NewFloat(1), big.NewFloat(float64(n))))
	}
}

// ddExpm1Small is e**t - 1 for |t| <= 2**-11: its Taylor series to
// t**9/9!, below 2**-110 relative.
func ddExpm1Small(t dd) dd {
	p := invFactorials[9]
	for n := 8; n >= 1; n-- {
		p = p.mul(t).add(invFactorials[n])
	}
	return p.mul(t)
}

// ddExp is e**x for |x.hi| < 709, with relative error below 2**-100: x
// = k ln2 + r, e**r = ((e**(r/2**10))**(2**10)), squared as
// (1+a)**2 - 1 = 2a + a**2 to keep small results exact.
func ddExp(x dd) dd {
	k := gomath.Round(x.hi * ddInvLn2.hi)
	r := x.add(ddLn2.mulFloat(-k))
	const squarings = 10
	a := ddExpm1Small(r.scale(-squarings))
	for range squarings {
		a = a.scale(1).add(a.mul(a))
	}
	return a.addFloat(1).scale(int(k))
}

// ddLog is log x for a finite x > 0: with x = m 2**e, m in
// [sqrt(1/2), sqrt(2)), e ln2 plus log m by one Newton step from Go's
// math.Log: y + (m e**-y - 1). Its absolute error is below 2**-98 plus
// 2**-100 of the result.
func ddLog(x float64) dd {
	m, e := gomath.Frexp(x)
	if m < gomath.Sqrt2/2 {
		m *= 2
		e--
	}
	y := gomath.Log(m)
	t := ddExp(dd{-y, 0}).mulFloat(m).addFloat(-1)
	return t.addFloat(y).add(ddLn2.mulFloat(float64(e)))
}

// minFastExp bounds the arguments of e**x on the fast path: below it,
// the low part of the double-double result would be subnormal, and
// imprecise.
const minFastExp = -669

// fastExp is the fast path of Exp.
func fastExp(x float64) (float64, bool) {
	initFast()
	if x < minFastExp {
		return 0, false
	}
	return rounded(ddExp(dd{x, 0}), 0x1p-92)
}

// fastLog is the fast path of Log.
func fastLog(x float64) (float64, bool) {
	initFast()
	l := ddLog(x)
	if l.hi == 0 {
		return 0, false
	}
	return rounded(l, 0x1p-96/gomath.Abs(l.hi)+0x1p-95)
}

// fastLog2 is the fast path of Log2.
func fastLog2(x float64) (float64, bool) {
	initFast()
	l := ddLog(x)
	if l.hi == 0 {
		return 0, false
	}
	return rounded(l.mul(ddInvLn2), 0x1p-96/gomath.Abs(l.hi)+0x1p-95)
}

// fastExp2 is the fast path of Exp2.
func fastExp2(x float64) (float64, bool) {
	initFast()
	if x < minFastExp/gomath.Ln2 || x > 1023 {
		return 0, false
	}
	return rounded(ddExp(ddLn2.mulFloat(x)), 0x1p-92+gomath.Abs(x)*0x1p-100)
}

// fastPow is the fast path of Pow for x > 0.
func fastPow(x, y float64) (float64, bool) {
	initFast()
	l := ddLog(x).mulFloat(y)
	if !(l.hi > minFastExp && l.hi < 709) {
		return 0, false
	}
	// The absolute error of l, which is the relative error of e**l.
	lErr := gomath.Abs(y) * (0x1p-96 + gomath.Abs(l.hi/y)*0x1p-95)
	if lErr > 0x1p-70 {
		return 0, false
	}
	return rounded(ddExp(l), lErr+0x1p-92)
}

// fastTrig is the fast path of Sin (which 0), Cos (1) and Tan (2) for
// |x| < 2**20: x =
// q pi/2 + r with pi/2 to 160 bits, then the Taylor series of sin r and
// cos r in double-double.
func fastTrig(x float64, which int) (float64, bool) {
	initFast()
	if !(gomath.Abs(x) < 0x1p20) {
		return 0, false
	}
	q := gomath.Round(x * (2 / gomath.Pi))
	r := dd{x, 0}.add(ddHalfPi.mulFloat(-q)).add(ddPiHalfLo.mulFloat(-q))
	if r.hi == 0 {
		return 0, false
	}
	// The reduction's absolute error (the rounding of q times the low
	// parts of pi/2), relative to r.
	reduceErr := (gomath.Abs(q)+1)*0x1p-100/gomath.Abs(r.hi) + 0x1p-96
	r2 := r.mul(r)
	s, c := ddSinCos(r, r2)
	switch int(gomath.Mod(q, 4)+4) % 4 {
	case 1:
		s, c = c, s.neg()
	case 2:
		s, c = s.neg(), c.neg()
	case 3:
		s, c = c.neg(), s
	}
	switch which {
	case 0:
		return rounded(s, reduceErr)
	case 1:
		return rounded(c, reduceErr)
	}
	return rounded(s.div(c), 2*reduceErr+0x1p-95)
}

// div is x/y, to about 2**-104.
func (x dd) div(y dd) dd {
	q1 := x.hi / y.hi
	r := x.add(y.mulFloat(-q1))
	q2 := r.hi / y.hi
	r = r.add(y.mulFloat(-q2))
	q3 := r.hi / y.hi
	return fastTwoSum(q1, q2).addFloat(q3)
}

// ddSinCos is sin r and cos r for |r| <= pi/4 by their Taylor series
// (to r**27/27!, below 2**-100).
func ddSinCos(r, r2 dd) (sin, cos dd) {
	sin, cos = invFactorials[27], invFactorials[26]
	for n := 25; n >= 1; n -= 2 {
		sin = invFactorials[n].add(sin.mul(r2).neg())
		cos = invFactorials[n-1].add(cos.mul(r2).neg())
	}
	return sin.mul(r), cos
}

// ddAtan is atan x for 0 <= x <= 1: atan(c) + atan((x - c) / (1 + x c))
// with c the nearest eighth, then the Taylor series of the rest (|t| <=
// 1/15, to t**29/29, below 2**-110). Its relative error is below 2**-98.
func ddAtan(x dd) dd {
	j := gomath.Round(x.hi * 8)
	c := j / 8
	t := x.addFloat(-c).div(x.mulFloat(c).addFloat(1))
	t2 := t.mul(t)
	p := inverses[29]
	for n := 27; n >= 1; n -= 2 {
		p = inverses[n].add(p.mul(t2).neg())
	}
	return atanTable[int(j)].add(p.mul(t))
}

// ddAtanAny is atan x for any finite x: pi/2 - atan(1/x) beyond 1.
func ddAtanAny(x dd) dd {
	neg := x.hi < 0
	if neg {
		x = x.neg()
	}
	var a dd
	if x.hi > 1 {
		a = ddHalfPi.add(ddAtan(dd{1, 0}.div(x)).neg())
	} else {
		a = ddAtan(x)
	}
	if neg {
		return a.neg()
	}
	return a
}

// fastAtan is the fast path of Atan.
func fastAtan(x float64) (float64, bool) {
	initFast()
	if !(gomath.Abs(x) >= 0x1p-900 && gomath.Abs(x) <= 0x1p900) {
		return 0, false
	}
	return rounded(ddAtanAny(dd{x, 0}), 0x1p-95)
}

// fastAtan2 is the fast path of Atan2 for finite nonzero x and y: the
// angle from atan(|y|/|x|), in its quadrant.
func fastAtan2(y, x float64) (float64, bool) {
	initFast()
	for _, v := range []float64{x, y} { // far from subnormal and overflow
		if !(gomath.Abs(v) >= 0x1p-900 && gomath.Abs(v) <= 0x1p900) {
			return 0, false
		}
	}
	q := dd{gomath.Abs(y), 0}.div(dd{gomath.Abs(x), 0})
	if !(q.hi >= 0x1p-900 && q.hi <= 0x1p900) { // NaN too, from an overflow
		return 0, false
	}
	a := ddAtanAny(q)
	if x < 0 {
		a = ddHalfPi.scale(1).add(ddPiHalfLo.scale(1)).add(a.neg())
	}
	if y < 0 {
		a = a.neg()
	}
	return rounded(a, 0x1p-94)
}

// sqrt is the square root of x > 0 in double-double: one Newton
// correction of the float square root.
func (x dd) sqrt() dd {
	s := gomath.Sqrt(x.hi)
	sq := dd{s, 0}.mul(dd{s, 0})
	return dd{s, 0}.add(x.add(sq.neg()).div(dd{2 * s, 0}))
}

// fastAsin is the fast path of Asin for |x| < 1: atan(x / sqrt(1 - x**2)).
func fastAsin(x float64) (float64, bool) {
	initFast()
	if !(gomath.Abs(x) >= 0x1p-900) {
		return 0, false
	}
	d := dd{1, 0}.add(dd{x, 0}.mul(dd{x, 0}).neg()).sqrt()
	return rounded(ddAtanAny(dd{x, 0}.div(d)), 0x1p-94)
}

// fastAcos is the fast path of Acos for |x| < 1: 2 atan(sqrt((1 - x) /
// (1 + x))).
func fastAcos(x float64) (float64, bool) {
	initFast()
	r := dd{1, 0}.addFloat(-x).div(dd{1, 0}.addFloat(x))
	if !(r.hi >= 0x1p-900 && r.hi <= 0x1p900) {
		return 0, false
	}
	return rounded(ddAtanAny(r.sqrt()).scale(1), 0x1p-94)
}
