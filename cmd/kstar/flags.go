package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
)

// maxPort is the highest TCP port.
const maxPort = 65535

// intRange is an int flag that accepts only values from min to max, so
// that nonsense (--port 99999, --partitions -3) is a usage error naming
// the flag instead of a surprise later.
type intRange struct {
	p        *int
	min, max int
}

// intFlag defines an int flag on fs that accepts values from min to max.
func intFlag(fs *flag.FlagSet, name string, value, min, max int, usage string) *int {
	p := new(int)
	*p = value
	fs.Var(intRange{p, min, max}, name, usage)
	return p
}

func (r intRange) String() string {
	if r.p == nil { // the zero value flag.PrintDefaults makes
		return "0"
	}
	return strconv.Itoa(*r.p)
}

func (r intRange) Set(s string) error {
	n, err := strconv.ParseInt(s, 0, strconv.IntSize)
	if err != nil {
		return fmt.Errorf("not an integer")
	}
	switch {
	case r.max == math.MaxInt && n < int64(r.min):
		return fmt.Errorf("must be at least %d", r.min)
	case n < int64(r.min) || n > int64(r.max):
		return fmt.Errorf("must be from %d to %d", r.min, r.max)
	}
	*r.p = int(n)
	return nil
}
