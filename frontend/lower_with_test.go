package frontend

import (
	"testing"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// TestWithJumpsOut checks which with bodies return, break or continue can
// leave: those are lowered with a finally, the others without.
func TestWithJumpsOut(t *testing.T) {
	for _, tc := range []struct {
		body string // the with statement's body, indented by 4
		want bool
	}{
		{"    pass", false},
		{"    return 1", true},
		{"    if x:\n        return", true},
		{"    break", true},
		{"    if x:\n        pass\n    else:\n        continue", true},
		{"    for y in x:\n        break", false},
		{"    for y in x:\n        continue\n    return", true},
		{"    while x:\n        if y:\n            break", false},
		{"    for y in x:\n        def f():\n            return y", false},
		{"    def f():\n        return 1", false},
		{"    with y:\n        break", true},
		{"    try:\n        pass\n    except E:\n        return", true},
		{"    try:\n        pass\n    finally:\n        break", true},
		{"    try:\n        for y in x:\n            break\n    except E:\n        pass", false},
	} {
		src := "for a in b:\n  with m:\n" + tc.body + "\n"
		mod, err := pysyntax.Parse("t.py", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		with := mod.Body[0].(*pysyntax.For).Body[0].(*pysyntax.With)
		if got := jumpsOut(with.Body, false); got != tc.want {
			t.Errorf("%s\njumpsOut: %v, want %v", src, got, tc.want)
		}
	}
}
