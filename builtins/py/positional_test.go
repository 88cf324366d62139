package py

import (
	"testing"

	"go.starlark.net/starlark"
)

// TestCheckPositional: CPython's messages for C functions that take only
// positional arguments.
func TestCheckPositional(t *testing.T) {
	x := starlark.MakeInt(0)
	for _, tc := range []struct {
		name     string
		min, max int
		args     starlark.Tuple
		want     string
	}{
		{"crc32", 1, 2, nil, "TypeError: crc32 expected at least 1 argument, got 0"},
		{"crc32", 1, 2, starlark.Tuple{x, x, x}, "TypeError: crc32 expected at most 2 arguments, got 3"},
		{"unpack", 2, 2, starlark.Tuple{x}, "TypeError: unpack expected 2 arguments, got 1"},
		{"islice", 2, -1, starlark.Tuple{x}, "TypeError: islice expected at least 2 arguments, got 1"},
	} {
		if err := CheckPositional(tc.name, tc.args, nil, tc.min, tc.max); err == nil || err.Error() != tc.want {
			t.Errorf("%s%v: got %v, want %s", tc.name, tc.args, err, tc.want)
		}
	}
}
