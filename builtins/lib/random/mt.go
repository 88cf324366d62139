package random

import (
	"crypto/rand"
	"encoding/binary"
	"math/bits"
)

// The Mersenne Twister MT19937 (Matsumoto and Nishimura, 1998), with the
// seeding and the derived outputs CPython's _random module uses, so that
// a seeded generator yields CPython's numbers.
const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// mt19937 is the generator's state: 624 words and the index of the next
// word to temper.
type mt19937 struct {
	state [mtN]uint32
	index int
}

// initGenrand fills the state from one word (the reference init_genrand).
func (m *mt19937) initGenrand(s uint32) {
	m.state[0] = s
	for i := 1; i < mtN; i++ {
		prev := m.state[i-1]
		m.state[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	m.index = mtN
}

// initByArray seeds from a key of words (the reference init_by_array),
// as CPython seeds from an integer split into 32-bit words.
func (m *mt19937) initByArray(key []uint32) {
	m.initGenrand(19650218)
	mt := &m.state
	i, j := 1, 0
	k := max(mtN, len(key))
	for ; k > 0; k-- {
		prev := mt[i-1]
		mt[i] = (mt[i] ^ ((prev ^ (prev >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= mtN {
			mt[0] = mt[mtN-1]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = mtN - 1; k > 0; k-- {
		prev := mt[i-1]
		mt[i] = (mt[i] ^ ((prev ^ (prev >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= mtN {
			mt[0] = mt[mtN-1]
			i = 1
		}
	}
	mt[0] = 0x80000000 // the most significant bit is 1: the state is not all zeros
	m.index = mtN
}

// seedFromEntropy seeds from the operating system's random source, as
// CPython seeds a generator created without a seed.
func (m *mt19937) seedFromEntropy() {
	var buf [mtN * 4]byte
	rand.Read(buf[:]) // never fails (crypto/rand panics rather than return an error)
	key := make([]uint32, mtN)
	for i := range key {
		key[i] = binary.LittleEndian.Uint32(buf[4*i:])
	}
	m.initByArray(key)
}

// uint32 returns the next tempered word (genrand_uint32).
func (m *mt19937) uint32() uint32 {
	if m.index >= mtN {
		m.twist()
	}
	y := m.state[m.index]
	m.index++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// twist generates the next 624 words.
func (m *mt19937) twist() {
	mt := &m.state
	mag := func(y uint32) uint32 { return (y & 1) * mtMatrixA }
	var kk int
	for kk = 0; kk < mtN-mtM; kk++ {
		y := (mt[kk] & mtUpperMask) | (mt[kk+1] & mtLowerMask)
		mt[kk] = mt[kk+mtM] ^ (y >> 1) ^ mag(y)
	}
	for ; kk < mtN-1; kk++ {
		y := (mt[kk] & mtUpperMask) | (mt[kk+1] & mtLowerMask)
		mt[kk] = mt[kk+(mtM-mtN)] ^ (y >> 1) ^ mag(y)
	}
	y := (mt[mtN-1] & mtUpperMask) | (mt[0] & mtLowerMask)
	mt[mtN-1] = mt[mtM-1] ^ (y >> 1) ^ mag(y)
	m.index = 0
}

// float64 returns a float in [0, 1) with 53 random bits, as CPython's
// random(): 27 bits of one word and 26 of the next.
func (m *mt19937) float64() float64 {
	a := m.uint32() >> 5
	b := m.uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) * (1.0 / 9007199254740992.0)
}

// bits64 returns k random bits, 0 < k <= 64, as CPython's getrandbits(k)
// makes them: one word shifted right for k <= 32, else a low word and a
// high word shifted right.
func (m *mt19937) bits64(k int) uint64 {
	if k <= 32 {
		return uint64(m.uint32() >> (32 - k))
	}
	lo := uint64(m.uint32())
	hi := uint64(m.uint32() >> (64 - k))
	return hi<<32 | lo
}

// bytes returns k random bits as little-endian bytes, as CPython's
// getrandbits(k) fills an integer: whole words from the least significant
// end, the last word shifted right to the bits left.
func (m *mt19937) bytes(k int) []byte {
	words := (k-1)/32 + 1
	buf := make([]byte, 4*words)
	for i := 0; i < words; i++ {
		r := m.uint32()
		if k < 32 {
			r >>= 32 - k
		}
		binary.LittleEndian.PutUint32(buf[4*i:], r)
		k -= 32
	}
	return buf
}

// below returns a uniform integer in [0, n), n > 0, by rejection: draws
// of n's bit length until one is below n (CPython's _randbelow).
func (m *mt19937) below(n uint64) uint64 {
	k := bits.Len64(n)
	r := m.bits64(k)
	for r >= n {
		r = m.bits64(k)
	}
	return r
}
