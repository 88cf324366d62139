package textwrap_test

import (
	"context"
	"fmt"
	"os"

	"github.com/kstar-dev/kstar/runtime"
)

// An indent as wide as the line leaves no room for text: CPython's
// textwrap then adds empty lines for ever (without drop_whitespace, or
// when the text starts with spaces); kstar puts one character on each
// line and ends.
func Example_indentFillsWidth() {
	rt := runtime.New(runtime.WithStdout(os.Stdout))
	src := []byte(`
import textwrap
print(textwrap.wrap('ab c', 1, drop_whitespace=False, initial_indent='* ', subsequent_indent='  '))
print(textwrap.wrap('  ab', 1, initial_indent='* ', subsequent_indent='  '))
`)
	err := rt.ExecFile(context.Background(), "indent.star", src, nil)
	fmt.Print(runtime.FormatError(err))
	// Output:
	// ['* a', '  b', '   ', '  c']
	// ['* a', '  b']
}
